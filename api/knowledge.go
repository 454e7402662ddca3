package api

import (
	"net/http"

	"huying"
	"huying/knowledge"
)

// maxArticlePage is the largest page of GET /knowledge.
const maxArticlePage = 200

func (h *handler) listArticles(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := onlyParams(q, "q", "unit", "valid", "limit", "offset"); err != nil {
		h.writeError(w, r, err)
		return
	}
	f := huying.ArticleFilter{Query: q.Get("q"), UnitID: q.Get("unit")}
	switch q.Get("valid") {
	case "":
	case "true":
		f.ValidAt = h.svc.Now()
	default:
		h.writeError(w, r, huying.FieldErrorf("valid", "valid 只能为 true（只列有效期内的条目）"))
		return
	}
	var err error
	if f.Limit, err = queryInt(q, "limit", maxArticlePage); err != nil {
		h.writeError(w, r, err)
		return
	}
	if f.Offset, err = queryInt(q, "offset", 0); err != nil {
		h.writeError(w, r, err)
		return
	}
	list, total, err := h.kb.List(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list, "total": total})
}

func (h *handler) suggestArticles(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := onlyParams(q, "q"); err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.kb.Suggest(r.Context(), actorFrom(r.Context()), q.Get("q"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (h *handler) createArticle(w http.ResponseWriter, r *http.Request) {
	var in knowledge.ArticleInput
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.kb.Create(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (h *handler) updateArticle(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(r, "aid")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in knowledge.ArticleInput
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.kb.Update(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
