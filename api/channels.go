package api

import (
	"net/http"

	"huying"
)

func (h *handler) listChannels(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Channels(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (h *handler) saveChannel(w http.ResponseWriter, r *http.Request) {
	var c huying.Channel
	if err := decode(w, r, &c); err != nil {
		h.writeError(w, r, err)
		return
	}
	c.Name = r.PathValue("name")
	if err := h.svc.SaveChannel(r.Context(), actorFrom(r.Context()), c); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (h *handler) channelStats(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.ChannelStats(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (h *handler) reporterPoints(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.ReporterPoints(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list, "points_per_report": huying.PointsPerReport})
}

// onAir is the public list of a published channel (《民心桥》).
func (h *handler) onAir(w http.ResponseWriter, r *http.Request) {
	limit, err := queryInt(r.URL.Query(), "limit", maxPublicPage)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.svc.PublishedAppeals(r.Context(), r.PathValue("name"), limit)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}
