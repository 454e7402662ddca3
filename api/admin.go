package api

import (
	"net/http"

	"huying"
	"huying/identity"
)

func (h *handler) units(w http.ResponseWriter, r *http.Request) {
	units, err := h.ids.Units(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": units})
}

func (h *handler) createUnit(w http.ResponseWriter, r *http.Request) {
	var u huying.Unit
	if err := decode(w, r, &u); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.ids.CreateUnit(r.Context(), actorFrom(r.Context()), u); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

func (h *handler) users(w http.ResponseWriter, r *http.Request) {
	users, err := h.ids.Users(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	items := make([]userView, len(users))
	for i, u := range users {
		items[i] = viewUser(u)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h *handler) createUser(w http.ResponseWriter, r *http.Request) {
	var in identity.NewUser
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	u, err := h.ids.CreateUser(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, viewUser(u))
}

func (h *handler) updateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(r, "uid")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in identity.UserChange
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	u, err := h.ids.UpdateUser(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewUser(u))
}

func (h *handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(r, "uid")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.ids.ResetPassword(r.Context(), actorFrom(r.Context()), id, in.Password); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) setDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathInt(r, "uid")
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		u, err := h.ids.SetUserDisabled(r.Context(), actorFrom(r.Context()), id, disabled)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, viewUser(u))
	}
}

func (h *handler) changePassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		OldPassword string `json:"old_password"`
		Password    string `json:"password"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.ids.ChangePassword(r.Context(), actorFrom(r.Context()), in.OldPassword, in.Password); err != nil {
		h.writeError(w, r, err)
		return
	}
	// Every session of the user ended, this one too: log in again.
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) listTokens(w http.ResponseWriter, r *http.Request) {
	list, err := h.ids.Tokens(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (h *handler) createToken(w http.ResponseWriter, r *http.Request) {
	var in identity.NewToken
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	token, tk, err := h.ids.CreateToken(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": token, "info": tk})
}

func (h *handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(r, "tid")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.ids.RevokeToken(r.Context(), actorFrom(r.Context()), id); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) createWebhook(w http.ResponseWriter, r *http.Request) {
	var in struct {
		URL    string `json:"url"`
		Secret string `json:"secret"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	hook, err := h.svc.CreateWebhook(r.Context(), actorFrom(r.Context()), in.URL, in.Secret)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, hook)
}

func (h *handler) listWebhooks(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Webhooks(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (h *handler) setWebhookDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathInt(r, "wid")
		if err == nil {
			err = h.svc.SetWebhookDisabled(r.Context(), actorFrom(r.Context()), id, disabled)
		}
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (h *handler) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(r, "wid")
	if err == nil {
		err = h.svc.DeleteWebhook(r.Context(), actorFrom(r.Context()), id)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
