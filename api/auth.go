package api

import (
	"context"
	"net/http"
	"strings"

	"huying"
	"huying/ratelimit"
	"huying/workflow"
)

type actorKey struct{}

func actorFrom(ctx context.Context) huying.Actor {
	a, _ := ctx.Value(actorKey{}).(huying.Actor)
	return a
}

// auth requires a session cookie or a bearer API token and puts the actor
// in the request context.
func (h *handler) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var (
			actor huying.Actor
			err   error
		)
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			actor, err = h.svc.AuthenticateToken(r.Context(), strings.TrimSpace(bearer))
			if err == nil && !h.limits.Allow("channel:"+actor.Channel, h.svc.ChannelRate(r.Context(), actor.Channel)) {
				w.Header().Set("Retry-After", "60")
				err = huying.Errorf(huying.ETOOMANY, "渠道「%s」的请求超过约定速率，请稍后再试", actor.Channel)
			}
		} else if c, cerr := r.Cookie(SessionCookie); cerr == nil {
			actor, err = h.svc.Authenticate(r.Context(), c.Value)
		} else {
			err = huying.Errorf(huying.EUNAUTHORIZED, "请先登录")
		}
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, actor)))
	}
}

// public rate-limits an endpoint that needs no login, per client IP.
func (h *handler) public(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.limits.Allow("ip:"+ratelimit.ClientIP(r), h.publicRate) {
			w.Header().Set("Retry-After", "60")
			h.writeError(w, r, huying.Errorf(huying.ETOOMANY, "请求过于频繁，请一分钟后再试"))
			return
		}
		next(w, r)
	}
}

type userView struct {
	*huying.User
	RoleNames []string `json:"role_names"`
}

func viewUser(u *huying.User) userView {
	v := userView{User: u, RoleNames: []string{}}
	for _, r := range u.Roles {
		v.RoleNames = append(v.RoleNames, huying.RoleNames[r])
	}
	return v
}

func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	token, u, err := h.svc.Login(r.Context(), in.Username, in.Password)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.setSession(w, token)
	writeJSON(w, http.StatusOK, viewUser(u))
}

// setSession sets the HttpOnly, SameSite session cookie.
func (h *handler) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(workflow.SessionTTL.Seconds()),
	})
}

func (h *handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := h.svc.Logout(r.Context(), c.Value); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) me(w http.ResponseWriter, r *http.Request) {
	actor := actorFrom(r.Context())
	writeJSON(w, http.StatusOK, viewUser(actor.User))
}
