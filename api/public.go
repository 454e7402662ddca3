package api

import (
	"net/http"
	"strings"

	"huying"
	"huying/place"
)

// meta returns the vocabulary the console and integrations need: enums with
// their Chinese names and the transition table.
func (h *handler) meta(w http.ResponseWriter, _ *http.Request) {
	statuses := []map[string]string{}
	for _, s := range []huying.Status{huying.StatusReceived, huying.StatusAnswered, huying.StatusRefused, huying.StatusMerged,
		huying.StatusDispatched, huying.StatusSigned, huying.StatusHandling, huying.StatusReturned,
		huying.StatusExtensionRequested, huying.StatusTerminationRequested, huying.StatusTerminated,
		huying.StatusReplied, huying.StatusReviewed, huying.StatusRated, huying.StatusUnreachable, huying.StatusArchived} {
		statuses = append(statuses, map[string]string{"code": string(s), "name": s.Name()})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"types":          huying.AppealTypes,
		"urgencies":      []huying.Urgency{huying.UrgencyNormal, huying.UrgencyUrgent},
		"channels":       huying.Channels,
		"statuses":       statuses,
		"refuse_reasons": huying.RefuseReasons,
		"return_reasons": huying.ReturnReasons,
		"result_classes": huying.ResultClasses,
		"satisfactions":  huying.Satisfactions,
		"roles":          huying.RoleNames,
		"transitions":    huying.Transitions,
		"stage_names":    huying.StageNames,
		"unit_kinds": map[huying.UnitKind]string{huying.UnitCentre: "分拨中心", huying.UnitStreet: "街道",
			huying.UnitCommunity: "社区", huying.UnitDepartment: "职能部门", huying.UnitEnterprise: "公共服务企业"},
		"channel_kinds": huying.ChannelKinds,
	})
}

func (h *handler) track(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	t, err := h.svc.Track(r.Context(), q.Get("code"), strings.TrimSpace(q.Get("phone4")))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (h *handler) trackRate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Code string `json:"code"`
		// Proof is the rate_proof of the GET /track that found the appeal.
		Proof  string        `json:"proof"`
		Rating huying.Rating `json:"rating"`
	}
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	t, err := h.svc.RateByResident(r.Context(), in.Code, in.Proof, in.Rating)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// geo serves the district's outline and its (demo) street and community
// areas as GeoJSON, for the console's map.
func (h *handler) geo(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(place.GeoJSON())
}
