package api

import (
	"net/http"
	"strconv"

	"huying"
	"huying/identity"
	"huying/workflow"
)

func (h *handler) updateUnit(w http.ResponseWriter, r *http.Request) {
	var in identity.UnitChange
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	u, err := h.ids.UpdateUnit(r.Context(), actorFrom(r.Context()), r.PathValue("unit"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (h *handler) setUnitDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Version int `json:"version"`
		}
		if err := decode(w, r, &in); err != nil {
			h.writeError(w, r, err)
			return
		}
		u, err := h.ids.SetUnitDisabled(r.Context(), actorFrom(r.Context()), r.PathValue("unit"), disabled, in.Version)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, u)
	}
}

func (h *handler) listSLAVersions(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.SLAVersions(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (h *handler) createSLAVersion(w http.ResponseWriter, r *http.Request) {
	var in workflow.NewSLAVersion
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := h.svc.CreateSLAVersion(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

func (h *handler) calendarYears(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.CalendarYears(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (h *handler) calendarYear(w http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		h.writeError(w, r, huying.FieldErrorf("year", "年份应为四位数字，如 2026"))
		return
	}
	y, err := h.svc.CalendarYear(r.Context(), actorFrom(r.Context()), year)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, y)
}

func (h *handler) importCalendar(w http.ResponseWriter, r *http.Request) {
	var in workflow.CalendarImport
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	y, err := h.svc.ImportCalendar(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if in.DryRun {
		status = http.StatusOK
	}
	writeJSON(w, status, y)
}
