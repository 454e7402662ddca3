package api

import (
	"net/http"

	"huying"
	"huying/workflow"
)

func (h *handler) units(w http.ResponseWriter, r *http.Request) {
	units, err := h.svc.Store.Units(r.Context())
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
	if err := h.svc.CreateUnit(r.Context(), actorFrom(r.Context()), u); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

func (h *handler) users(w http.ResponseWriter, r *http.Request) {
	users, err := h.svc.Users(r.Context(), actorFrom(r.Context()))
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
	var in workflow.NewUser
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	u, err := h.svc.CreateUser(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, viewUser(u))
}

func (h *handler) createToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name    string `json:"name"`
		Channel string `json:"channel"`
		UserID  int64  `json:"user_id"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	token, tk, err := h.svc.CreateToken(r.Context(), actorFrom(r.Context()), in.Name, in.Channel, in.UserID)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": token, "info": tk})
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
