package api

import (
	"net/http"

	"huying"
	"huying/ratelimit"
)

func (h *handler) residentCode(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Phone string `json:"phone"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.ids.SendCode(r.Context(), in.Phone, ratelimit.ClientIP(r)); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"message": "验证码已发送，5 分钟内有效"})
}

func (h *handler) residentLogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Phone string `json:"phone"`
		Code  string `json:"code"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	token, u, err := h.ids.VerifyCode(r.Context(), in.Phone, in.Code)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.setSession(w, token)
	writeJSON(w, http.StatusOK, viewUser(u))
}

func (h *handler) myTrack(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	t, err := h.svc.MyTrack(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (h *handler) supplement(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		Note        string              `json:"note"`
		Attachments []huying.Attachment `json:"attachments"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.Supplement(r.Context(), actorFrom(r.Context()), id, in.Note, in.Attachments); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) subscribe(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.Subscribe(r.Context(), actorFrom(r.Context()), id); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
