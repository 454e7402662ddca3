package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"huying"
	"huying/workflow"
)

// appealView adds display fields to an appeal.
type appealView struct {
	*huying.Appeal
	StatusName string `json:"status_name"`
	// DueLabel is the working time left on the handling deadline, or how
	// late it is ("剩余 1 个工作日 3 小时"), for open appeals.
	DueLabel string `json:"due_label,omitempty"`
	// Clock is, in lists, the appeal's most urgent running clock (the
	// dispatch clock of one not yet dispatched).
	Clock *clockView `json:"clock,omitempty"`
	// Parts are, on one split appeal read alone, its parts (拆分子单).
	Parts []workflow.Part `json:"parts,omitempty"`
}

// clockView is a running clock as a list shows it.
type clockView struct {
	Stage     string               `json:"stage"`
	StageName string               `json:"stage_name"`
	State     huying.DeadlineState `json:"state"`
	DueAt     time.Time            `json:"due_at"`
	Label     string               `json:"label"`
}

func (h *handler) view(a *huying.Appeal) appealView {
	v := appealView{Appeal: a, StatusName: a.Status.Name()}
	if a.DueAt != nil && a.Status.Open() {
		v.DueLabel = h.svc.DueLabel(*a.DueAt)
	}
	return v
}

func (h *handler) receive(w http.ResponseWriter, r *http.Request) {
	var in huying.Intake
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, replayed, err := h.svc.Receive(r.Context(), actorFrom(r.Context()), in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
		status = http.StatusOK
	}
	w.Header().Set("Location", "/api/v1/appeals/"+strconv.FormatInt(a.ID, 10))
	writeJSON(w, status, h.view(a.Masked()))
}

// appealID resolves the {id} path value: a number or a tracking code.
func (h *handler) appealID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	if id, err := strconv.ParseInt(raw, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	a, err := h.svc.GetByCode(r.Context(), actorFrom(r.Context()), strings.ToUpper(raw))
	if err != nil {
		return 0, err
	}
	return a.ID, nil
}

func (h *handler) getAppeal(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.svc.Get(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v := h.view(a)
	if a.ParentID == 0 && a.LeadUnit() == "" && a.Status != huying.StatusReceived {
		// Only a split parent is past dispatch without a lead unit.
		if v.Parts, err = h.svc.Parts(r.Context(), actorFrom(r.Context()), id); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, v)
}

func (h *handler) listAppeals(w http.ResponseWriter, r *http.Request) {
	f, err := appealFilter(r.URL.Query())
	if err == nil {
		err = assigneeFilter(r, &f)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, total, err := h.svc.List(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	clocks, err := h.svc.Clocks(r.Context(), list)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	items := make([]appealView, len(list))
	for i, a := range list {
		items[i] = h.view(a)
		if d := clocks[a.ID]; d != nil {
			items[i].Clock = &clockView{Stage: d.Stage, StageName: huying.StageNames[d.Stage], State: d.State, DueAt: d.DueAt,
				Label: h.svc.DueLabel(d.DueAt)}
		}
	}
	out := map[string]any{"items": items, "total": total}
	if total > huying.MaxSearchTotal {
		out["total"], out["total_capped"] = huying.MaxSearchTotal, true
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handler) appealEvents(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	events, err := h.svc.Events(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var v huying.ChainVerifier
	verified := true
	for _, e := range events {
		if v.Check(e.Event) != nil {
			verified = false
			break
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": events, "chain_verified": verified})
}

func (h *handler) appealContact(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.Contact(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// split is POST /appeals/{id}/split, the command split (拆分) under its
// own path: its body lists the parts.
func (h *handler) split(w http.ResponseWriter, r *http.Request) {
	r.SetPathValue("command", string(huying.CmdSplit))
	h.act(w, r)
}

func (h *handler) act(w http.ResponseWriter, r *http.Request) {
	cmd := huying.Command(r.PathValue("command"))
	if _, ok := huying.Transitions[cmd]; !ok || cmd == huying.CmdReceive {
		h.notFound(w, r)
		return
	}
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in workflow.Action
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.svc.Act(r.Context(), actorFrom(r.Context()), id, cmd, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.view(a))
}

// setOnAir records the 《民心桥》 broadcast answer of an appeal.
func (h *handler) setOnAir(w http.ResponseWriter, r *http.Request) {
	id, err := h.appealID(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var in workflow.OnAirInput
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	a, err := h.svc.SetOnAir(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.view(a))
}

// batchBody is the body of a batch command: the appeals, each with the
// version the caller saw, and the one input every command gets.
type batchBody struct {
	Items  []workflow.BatchItem `json:"items"`
	Action workflow.Action      `json:"action"`
}

// batchResult is one row of a batch's answer.
type batchResult struct {
	ID     int64       `json:"id"`
	OK     bool        `json:"ok"`
	Appeal *appealView `json:"appeal,omitempty"`
	Error  *errorBody  `json:"error,omitempty"`
}

// batchUrge is the batch of 催办, supervision's command beside the lifecycle's.
const batchUrge = "urge"

func (h *handler) actBatch(w http.ResponseWriter, r *http.Request) {
	cmd := huying.Command(r.PathValue("command"))
	_, lifecycle := huying.Transitions[cmd]
	if (!lifecycle || cmd == huying.CmdReceive) && cmd != batchUrge {
		h.notFound(w, r)
		return
	}
	var in batchBody
	if err := decode(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	var results []workflow.BatchResult
	var err error
	if cmd == batchUrge {
		results, err = h.sup.UrgeBatch(r.Context(), actorFrom(r.Context()), in.Items, in.Action.Note)
	} else {
		results, err = h.svc.ActBatch(r.Context(), actorFrom(r.Context()), cmd, in.Items, in.Action)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out, done := make([]batchResult, len(results)), 0
	for i, res := range results {
		out[i] = batchResult{ID: res.ID, OK: res.Err == nil}
		if res.Err != nil {
			out[i].Error = &errorBody{Code: huying.ErrorCode(res.Err), Message: huying.ErrorMessage(res.Err), Field: huying.ErrorField(res.Err)}
			continue
		}
		done++
		if res.Appeal != nil {
			v := h.view(res.Appeal)
			out[i].Appeal = &v
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out, "done": done, "failed": len(out) - done})
}

func (h *handler) upload(w http.ResponseWriter, r *http.Request) {
	// Refuse before the body is read and written to disk.
	if err := workflow.CanUpload(actorFrom(r.Context())); err != nil {
		h.writeError(w, r, err)
		return
	}
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	if name == "" || len(name) > 200 {
		h.writeError(w, r, huying.FieldErrorf("name", "请在 name 参数中给出附件文件名（不超过 200 字节）"))
		return
	}
	at, err := h.blobs.Put(http.MaxBytesReader(w, r.Body, huying.MaxAttachmentLen+1), huying.MaxAttachmentLen, name)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.svc.RecordAttachment(r.Context(), actorFrom(r.Context()), at); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, at)
}

func (h *handler) download(w http.ResponseWriter, r *http.Request) {
	hash := r.PathValue("hash")
	if err := h.svc.AuthorizeDownload(r.Context(), actorFrom(r.Context()), hash); err != nil {
		h.writeError(w, r, err)
		return
	}
	f, err := h.blobs.Open(hash)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", "attachment")
	http.ServeContent(w, r, "", time.Time{}, f)
}

func (h *handler) stats(w http.ResponseWriter, r *http.Request) {
	actor := actorFrom(r.Context())
	to := h.svc.Now()
	from := to.AddDate(0, 0, -30)
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := r.URL.Query().Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				h.writeError(w, r, huying.FieldErrorf(p.name, "%s 须为 RFC 3339 时间，例如 2026-10-01T00:00:00+08:00", p.name))
				return
			}
			*p.dst = t
		}
	}
	counts, err := h.svc.CountByStatus(r.Context(), actor)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	st, err := h.svc.Stats(r.Context(), actor, from, to)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	da, err := h.kb.Stats(r.Context(), actor, from, to)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	rt := st.Ratings
	writeJSON(w, http.StatusOK, map[string]any{"by_status": counts, "from": from, "to": to,
		"by_type": st.ByType, "by_channel": st.ByChannel, "by_community": st.ByCommunity, "by_day": st.ByDay, "direct_answers": da,
		"ratings": map[string]any{"all": rt.All, "first": rt.First, "final": rt.Final,
			"satisfaction_rate": rt.All.Rate(), "first_rate": rt.First.Rate(), "final_rate": rt.Final.Rate(),
			"definition": huying.SatisfactionDefinition + "；有效回访为期内全部评价（不满意转重办的评价也计入），一次满意率只计每件诉求的首次评价"}})
}

// maxAuditProblems is how many problems GET /audit/verify lists (all are counted).
const maxAuditProblems = 50

func (h *handler) auditVerify(w http.ResponseWriter, r *http.Request) {
	rep, err := h.svc.Audit(r.Context(), actorFrom(r.Context()))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	problems := []string{}
	for _, p := range rep.Problems[:min(len(rep.Problems), maxAuditProblems)] {
		problems = append(problems, p.String())
	}
	body := map[string]any{"ok": rep.OK(), "chains": rep.Chains, "events": rep.Events, "appeals": rep.Appeals,
		"problems": problems, "total": rep.Total, "signed": rep.Signed, "keyless": rep.Keyless}
	if cp := rep.Checkpoint; cp != nil {
		body["checkpoint_at"] = cp.At
	}
	writeJSON(w, http.StatusOK, body)
}

// appealFilter reads the filters, search and order of an appeal list
// (GET /appeals) from its query parameters, refusing values it does not
// know with a message that names the parameter.
// assigneeFilter reads assignee=me (我的工单: the orders the caller's unit
// assigned to them).
func assigneeFilter(r *http.Request, f *huying.AppealFilter) error {
	switch r.URL.Query().Get("assignee") {
	case "":
	case "me":
		if u := actorFrom(r.Context()).User; u != nil && actorFrom(r.Context()).IsStaff() {
			f.AssigneeID = u.ID
			return nil
		}
		return huying.FieldErrorf("assignee", "assignee=me 只适用于工作人员")
	default:
		return huying.FieldErrorf("assignee", "assignee 只能是 me（我的工单）")
	}
	return nil
}

func appealFilter(q url.Values) (huying.AppealFilter, error) {
	f := huying.AppealFilter{Query: strings.TrimSpace(q.Get("q")), Type: huying.AppealType(q.Get("type")), Channel: q.Get("channel"),
		UnitID: q.Get("unit"), Street: q.Get("street"), Community: q.Get("community"), Urgency: huying.Urgency(q.Get("urgency")),
		ContactName: strings.TrimSpace(q.Get("name")), Sort: huying.AppealSort(q.Get("sort"))}
	if !slices.Contains(huying.AppealSorts, f.Sort) {
		return f, huying.FieldErrorf("sort", "未知的排序 %q（可选 received_at、updated_at、due_at、code、status、waiting）", f.Sort)
	}
	switch q.Get("order") {
	case "":
	case "asc", "desc":
		if !f.Sort.Column() {
			return f, huying.FieldErrorf("order", "排序方向 order 只能与按列排序（sort=received_at 等）一起使用")
		}
		f.Desc = q.Get("order") == "desc"
	default:
		return f, huying.FieldErrorf("order", "排序方向 order 须为 asc 或 desc")
	}
	if f.Type != "" && !slices.Contains(huying.AppealTypes, f.Type) {
		return f, huying.FieldErrorf("type", "未知的诉求类型 %q（可选咨询、求助、投诉、举报、建议）", f.Type)
	}
	if f.Urgency != "" && f.Urgency != huying.UrgencyNormal && f.Urgency != huying.UrgencyUrgent {
		return f, huying.FieldErrorf("urgency", "紧急程度 urgency 须为「一般」或「紧急」")
	}
	words := huying.SearchWords(f.Query)
	if len(words) > huying.MaxSearchWords {
		return f, huying.FieldErrorf("q", "搜索词不能超过 %d 个", huying.MaxSearchWords)
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) > huying.MaxSearchWordRunes {
			return f, huying.FieldErrorf("q", "每个搜索词不能超过 %d 个字", huying.MaxSearchWordRunes)
		}
	}
	if utf8.RuneCountInString(f.ContactName) > huying.MaxNameRunes {
		return f, huying.FieldErrorf("name", "联系人姓名不能超过 %d 个字", huying.MaxNameRunes)
	}
	if p := strings.TrimSpace(q.Get("phone")); p != "" {
		d := huying.PhoneDigits(p)
		if strings.Trim(p, "0123456789+- ") != "" || len(d) != 4 && (len(d) < 7 || len(d) > 13) {
			return f, huying.FieldErrorf("phone", "电话 phone 须为完整号码或后四位数字")
		}
		f.Phone = d
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"overdue", &f.Overdue}, {"flagged", &f.Flagged}, {"redone", &f.Redone}} {
		switch q.Get(b.name) {
		case "", "false", "0":
		case "true", "1":
			*b.dst = true
		default:
			return f, huying.FieldErrorf(b.name, "%s 须为 true 或 false", b.name)
		}
	}
	for s := range strings.SplitSeq(q.Get("status"), ",") {
		if s == "" {
			continue
		}
		if !huying.Status(s).Valid() {
			return f, huying.FieldErrorf("status", "未知的状态 %q", s)
		}
		f.Statuses = append(f.Statuses, huying.Status(s))
	}
	var err error
	if f.Limit, err = queryInt(q, "limit", maxAppealPage); err != nil {
		return f, err
	}
	if f.Offset, err = queryInt(q, "offset", 0); err != nil {
		return f, err
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.ReceivedFrom}, {"to", &f.ReceivedTo}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, huying.FieldErrorf(p.name, "%s 须为 RFC 3339 时间，例如 2026-10-01T00:00:00+08:00", p.name)
			}
			*p.dst = t
		}
	}
	if !f.ReceivedFrom.IsZero() && !f.ReceivedTo.IsZero() && !f.ReceivedFrom.Before(f.ReceivedTo) {
		return f, huying.FieldErrorf("to", "受理时间的结束 to 须晚于开始 from")
	}
	return f, nil
}
