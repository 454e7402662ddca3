package api

import (
	"context"
	"net/http"
	"strings"

	"huying"
	"huying/identity"
	"huying/ratelimit"
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
			actor, err = h.ids.AuthenticateToken(r.Context(), strings.TrimSpace(bearer))
			switch {
			case err != nil:
			case !tokenRoutes[r.Pattern]:
				err = huying.Errorf(huying.EFORBIDDEN, "接口令牌不能调用此接口，请使用工作人员账号登录")
			}
		} else if c, cerr := r.Cookie(SessionCookie); cerr == nil {
			actor, err = h.ids.Authenticate(r.Context(), c.Value)
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

// tokenRoutes are the routes an API token may call at all: intake,
// uploads for it, and reading back what its channel filed. The workflow
// checks the token's scopes and what it may see again.
var tokenRoutes = map[string]bool{
	"GET /api/v1/me":                 true,
	"POST /api/v1/appeals":           true,
	"GET /api/v1/appeals":            true,
	"GET /api/v1/appeals/{id}":       true,
	"GET /api/v1/appeals/{id}/track": true,
	"POST /api/v1/attachments":       true,
	"GET /api/v1/attachments/{hash}": true,
}

// public rate-limits an endpoint that needs no login, per client IP.
func (h *handler) public(next http.HandlerFunc) http.HandlerFunc {
	return h.perIP("ip:", func() int { return h.publicRate }, next)
}

// loginLimited is public with its own, smaller bucket per IP for logins,
// so that guessing passwords does not use up the public reads and the reverse.
func (h *handler) loginLimited(next http.HandlerFunc) http.HandlerFunc {
	return h.perIP("login:", func() int { return h.loginRate }, next)
}

func (h *handler) perIP(bucket string, rate func() int, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.limits.Allow(bucket+ratelimit.ClientIP(r), rate()) {
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
	token, u, err := h.ids.Login(r.Context(), in.Username, in.Password)
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
		SameSite: http.SameSiteLaxMode, MaxAge: int(identity.SessionTTL.Seconds()),
	})
}

func (h *handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := h.ids.Logout(r.Context(), c.Value); err != nil {
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

// colleagues lists the handlers of the caller's unit, whom it may assign an
// order to (指派处理人): names and ids only.
func (h *handler) colleagues(w http.ResponseWriter, r *http.Request) {
	list, err := h.ids.Colleagues(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}
