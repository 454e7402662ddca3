package api

import (
	"net/http"
	"strconv"

	"huying"
)

func (h *handler) appealDeadlines(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.svc.AppealDeadlines(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

// board is the supervisor's board: running deadlines counted by unit,
// stage and colour, and the most urgent yellow and red items.
func (h *handler) board(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := huying.DeadlineFilter{UnitID: q.Get("unit"), Stage: q.Get("stage")}
	if s := q.Get("state"); s != "" {
		f.States = []huying.DeadlineState{huying.DeadlineState(s)}
	} else {
		f.States = []huying.DeadlineState{huying.DeadlineRed, huying.DeadlineYellow}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			h.writeError(w, r, huying.FieldErrorf("limit", "limit 须为非负整数"))
			return
		}
		f.Limit = n
	}
	counts, items, err := h.svc.Board(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"counts": counts, "items": items, "stage_names": huying.StageNames})
}
