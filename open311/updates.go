package open311

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
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
			events, err := h.reader.events(ctx, a)
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
