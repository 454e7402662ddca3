package api

import (
	"net/http"

	"huying/dispatch"
)

func (h *handler) getCatalogue(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.CatalogueFor(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (h *handler) putCatalogue(w http.ResponseWriter, r *http.Request) {
	var c dispatch.Catalogue
	if err := decode(w, r, &c); err != nil {
		h.writeError(w, r, err)
		return
	}
	version, err := h.svc.SetCatalogue(r.Context(), actorFrom(r.Context()), &c)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": version})
}

func (h *handler) suggestions(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.svc.Suggestions(r.Context(), actorFrom(r.Context()), id, r.URL.Query().Get("category"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}
