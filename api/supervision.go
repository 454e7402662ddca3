package api

import (
	"context"
	"net/http"
	"strconv"

	"huying"
	"huying/supervision"
	"huying/workflow"
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
	if err := onlyParams(q, "unit", "stage", "state", "limit"); err != nil {
		h.writeError(w, r, err)
		return
	}
	f := huying.DeadlineFilter{UnitID: q.Get("unit"), Stage: q.Get("stage")}
	if _, ok := huying.StageNames[f.Stage]; f.Stage != "" && !ok {
		h.writeError(w, r, huying.FieldErrorf("stage", "未知的时限环节 %q", f.Stage))
		return
	}
	switch s := huying.DeadlineState(q.Get("state")); s {
	case "":
		f.States = []huying.DeadlineState{huying.DeadlineRed, huying.DeadlineYellow}
	case huying.DeadlineOpen, huying.DeadlineYellow, huying.DeadlineRed, huying.DeadlineDone:
		f.States = []huying.DeadlineState{s}
	default:
		h.writeError(w, r, huying.FieldErrorf("state", "未知的时限状态 %q（可选 open、yellow、red、done）", s))
		return
	}
	var err error
	if f.Limit, err = queryInt(q, "limit", maxBoardPage); err != nil {
		h.writeError(w, r, err)
		return
	}
	counts, items, err := h.svc.Board(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"counts": counts, "items": items, "stage_names": huying.StageNames})
}

// pathInt reads a positive integer path value.
func pathInt(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, huying.Errorf(huying.ENOTFOUND, "记录不存在")
	}
	return n, nil
}

func (h *handler) createFlag(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in workflow.FlagInput
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	f, err := h.sup.Flag(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, f)
}

func (h *handler) listFlags(w http.ResponseWriter, r *http.Request) {
	f := huying.FlagFilter{OpenOnly: r.URL.Query().Get("open") == "1"}
	list, err := h.sup.Flags(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

// publicFlags lists the flags marked public, for residents.
func (h *handler) publicFlags(w http.ResponseWriter, r *http.Request) {
	list, err := h.sup.Flags(r.Context(), huying.Actor{}, huying.FlagFilter{PublicOnly: true})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	for _, f := range list {
		f.CreatedBy = 0
		for i := range f.Progress {
			f.Progress[i].CreatedBy, f.Progress[i].Author = 0, ""
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

type noteBody struct {
	Note string `json:"note"`
}

// noteAction decodes {"note": …}, runs fn on the record the path names and
// answers 204: flag progress, closing a flag, a manual urge.
func (h *handler) noteAction(id func(*http.Request) (int64, error), fn func(context.Context, huying.Actor, int64, string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, err := id(r)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		var in noteBody
		if err := decode(w, r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
		if err := fn(r.Context(), actorFrom(r.Context()), n, in.Note); err != nil {
			h.writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func flagID(r *http.Request) (int64, error) { return pathInt(r, "fid") }

func (h *handler) blow(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in supervision.BlowInput
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	wh, err := h.sup.Blow(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, wh)
}

func (h *handler) appealWhistles(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.sup.Whistles(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (h *handler) reportIn(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(r, "wid")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.sup.ReportIn(r.Context(), actorFrom(r.Context()), id); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) rateCall(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(r, "wid")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in struct {
		UnitID string `json:"unit_id"`
		Rating int    `json:"rating"`
		Note   string `json:"note"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.sup.RateCall(r.Context(), actorFrom(r.Context()), id, in.UnitID, in.Rating, in.Note); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) whistleStats(w http.ResponseWriter, r *http.Request) {
	list, err := h.sup.WhistleStats(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}
