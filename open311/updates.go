package open311

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"huying"
)

// The FixMyStreet extension servicerequestupdates carries Huying's richer
// states, while a request's core status stays open or closed.
const (
	defaultUpdatesWindow = 24 * time.Hour
	maxUpdates           = 1000   // per response, earliest first
	maxScan              = 100000 // appeals read to answer one date-range query
)

// updates is GET servicerequestupdates: the public updates in a date range
// (start_date, end_date on the update's time; default the last 24 hours,
// at most 90 days), or, as our extension, all updates of the requests in
// service_request_id. Earliest first, at most 1,000: a client that gets
// 1,000 asks again from the last updated_datetime it saw.
func (h *handler) updates(w http.ResponseWriter, r *http.Request, f format) error {
	ctx := r.Context()
	q := r.URL.Query()
	from, err := parseBound(q, "start_date", h.zone, false)
	if err != nil {
		return err
	}
	to, err := parseBound(q, "end_date", h.zone, true)
	if err != nil {
		return err
	}
	ids := splitList(q["service_request_id"])
	if len(ids) > maxIDs {
		return badRequest(CodeInvalid, "service_request_id 一次不能超过 %d 个", maxIDs)
	}
	type item struct {
		code string
		u    updateView
	}
	var found []item
	keep := func(a *huying.Appeal, events []*huying.Event) {
		for _, e := range events {
			if (!from.IsZero() && e.At.Before(from)) || (!to.IsZero() && !e.At.Before(to)) {
				continue
			}
			var data map[string]any
			_ = json.Unmarshal([]byte(e.Data), &data)
			if u, ok := publicUpdate(e, data, h.zone); ok {
				found = append(found, item{a.Code, u})
			}
		}
	}
	if len(ids) > 0 {
		for _, id := range ids {
			a, events, err := h.reader.byCode(ctx, strings.ToUpper(id))
			if huying.ErrorCode(err) == huying.ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			keep(a, events)
		}
	} else {
		now := h.svc.Now().Add(time.Microsecond)
		switch {
		case to.IsZero() && !from.IsZero() && !from.Before(now):
			to = from.Add(window) // a range that starts later than now is empty
		case to.IsZero():
			to = now
		}
		if from.IsZero() {
			from = to.Add(-defaultUpdatesWindow)
		}
		if !from.Before(to) {
			return badRequest(CodeInvalid, "start_date 须早于 end_date")
		}
		if to.Sub(from) > window {
			from = to.Add(-window)
		}
		if err := h.scanUpdated(ctx, from, to, keep); err != nil {
			return err
		}
	}
	slices.SortStableFunc(found, func(a, b item) int {
		return cmp.Or(a.u.at.Compare(b.u.at), strings.Compare(a.code, b.code), cmp.Compare(a.u.seq, b.u.seq))
	})
	out := list{item: "request_update"}
	for i, it := range found {
		if i == maxUpdates {
			break
		}
		out.items = append(out.items, it.u.object(it.code, h.zone))
	}
	write(w, f, http.StatusOK, "service_request_updates", out)
	return nil
}

// scanUpdated calls fn for each visible appeal changed in [from, to) with
// its events. The store cannot filter on updated_at yet, so it reads the
// channel's appeals received before to, newest first, and loads events only
// for rows whose updated_at is in range. An Open311 channel's volume is a
// small share of a district's; maxScan bounds the cost all the same.
func (h *handler) scanUpdated(ctx context.Context, from, to time.Time, fn func(*huying.Appeal, []*huying.Event)) error {
	f := huying.AppealFilter{ReceivedTo: to}
	for offset := 0; ; offset += 500 {
		if offset >= maxScan {
			return badRequest(CodeInvalid, "时间范围内的诉求过多，请缩小 start_date 与 end_date 的范围，或按 service_request_id 查询")
		}
		page, _, err := h.reader.appeals(ctx, f, offset, 500)
		if err != nil {
			return err
		}
		for _, a := range page {
			if a.UpdatedAt.Before(from) {
				continue
			}
			events, err := h.svc.Store.AppealEvents(ctx, a.ID)
			if err != nil {
				return err
			}
			fn(a, events)
		}
		if len(page) < 500 {
			return nil
		}
	}
}

// postUpdate is POST servicerequestupdates: the resident, through the app
// that filed the request, answers the callback (回访). FIXED or CLOSED
// confirms the reply and rates it (满意 unless attribute[satisfaction] says
// otherwise); OPEN or REOPEN is 不满意 and sends the appeal back for redo
// (重办), as the lifecycle allows. The app proves it acts for the resident
// with its api_key and the phone the request was filed with. Other updates
// (adding information to an open request) are not offered yet.
func (h *handler) postUpdate(w http.ResponseWriter, r *http.Request, f format) error {
	fm, err := readForm(w, r)
	if err != nil {
		return err
	}
	if err := h.checkJurisdiction(fm.get("jurisdiction_id")); err != nil {
		return err
	}
	ctx := r.Context()
	actor, err := h.authenticate(ctx, fm.get("api_key"))
	if err != nil {
		return err
	}
	code := strings.ToUpper(fm.get("service_request_id"))
	if code == "" {
		return badRequest(CodeMissing, "service_request_id 必填")
	}
	rating, ferr := parseRating(fm)
	if ferr != nil {
		return ferr
	}
	a, _, err := h.reader.byCode(ctx, code)
	if err != nil {
		return err
	}
	phone := normalizePhone(fm.get("phone"))
	if phone == "" {
		return badRequest(CodeContact, "phone 必填：须与提交诉求时的联系电话一致")
	}
	if phone != a.ContactPhone {
		return fail(http.StatusForbidden, CodeForbidden, "phone 与提交诉求时的联系电话不一致")
	}
	if a.Status != huying.StatusReviewed {
		return badRequest(CodeConflict, "诉求当前状态为「%s」，还不能评价：承办单位办结并经分拨中心审核后才能评价", a.Status.Name())
	}
	if _, err := h.svc.RateForChannel(ctx, actor, a.Code, phone, *rating); err != nil {
		return err
	}
	_, events, err := h.reader.byCode(ctx, code)
	if err != nil {
		return err
	}
	var seq int64
	for _, e := range events {
		if e.Kind == string(huying.CmdRate) {
			seq = e.Seq
		}
	}
	write(w, f, http.StatusOK, "service_request_updates", list{item: "request_update", items: []any{
		object{{"update_id", updateID(a.Code, seq)}, {"account_id", nil}},
	}})
	return nil
}

// satisfactions accepts Huying's words and English keys.
var satisfactions = map[string]string{
	huying.Satisfied: huying.Satisfied, huying.BasicSatisfied: huying.BasicSatisfied, huying.Unsatisfied: huying.Unsatisfied,
	"satisfied": huying.Satisfied, "basically_satisfied": huying.BasicSatisfied, "unsatisfied": huying.Unsatisfied,
}

// parseRating reads the rating of an update: status, attribute[satisfaction],
// the four 1–5 scores attribute[speed|effect|experience|reply_quality], and
// description as the comment.
func parseRating(fm *form) (*huying.Rating, error) {
	status := strings.ToUpper(fm.get("status"))
	rt := &huying.Rating{Comment: fm.get("description")}
	switch status {
	case "FIXED", "CLOSED":
		rt.Satisfaction = huying.Satisfied
	case "OPEN", "REOPEN":
		rt.Satisfaction = huying.Unsatisfied
	case "":
		return nil, badRequest(CodeMissing, "status 必填：FIXED 或 CLOSED 表示确认办结并评价，OPEN 或 REOPEN 表示不满意、要求重办")
	default:
		return nil, badRequest(CodeInvalid, "status %q 不支持：FIXED 或 CLOSED 表示确认办结并评价，OPEN 或 REOPEN 表示不满意、要求重办", status)
	}
	if vals := splitList(fm.attrs["satisfaction"]); len(vals) > 0 {
		s, ok := satisfactions[strings.ToLower(vals[0])]
		if !ok || len(vals) > 1 {
			return nil, badRequest(CodeAttribute, "attribute[satisfaction] 须为 满意、基本满意 或 不满意（satisfied、basically_satisfied、unsatisfied）之一")
		}
		if (status == "OPEN" || status == "REOPEN") != (s == huying.Unsatisfied) {
			return nil, badRequest(CodeAttribute, "attribute[satisfaction] 与 status 矛盾：OPEN/REOPEN 即为不满意")
		}
		rt.Satisfaction = s
	}
	for key, dst := range map[string]*int{"speed": &rt.Speed, "effect": &rt.Effect, "experience": &rt.Experience, "reply_quality": &rt.ReplyQuality} {
		vals := splitList(fm.attrs[key])
		if len(vals) == 0 {
			continue
		}
		n, err := strconv.Atoi(vals[0])
		if err != nil || n < 1 || n > 5 || len(vals) > 1 {
			return nil, badRequest(CodeAttribute, "attribute[%s] 须为 1 到 5 的整数", key)
		}
		*dst = n
	}
	return rt, nil
}
