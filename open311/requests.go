package open311

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"huying"
)

// Defaults of GET requests (the spec leaves them open; see doc.go).
const (
	DefaultPageSize = 50
	MaxPageSize     = 500 // the store's largest page, and Chicago's
	maxPage         = 10000
	window          = 90 * 24 * time.Hour // the spec's largest date range
	maxMergedRows   = 5000                // page × page_size with several service codes
)

func (h *handler) postRequest(w http.ResponseWriter, r *http.Request, f format) error {
	fm, actor, err := h.postForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	code := fm.get("service_code")
	if code == "" {
		return badRequest(CodeMissing, "service_code 必填（见 services.%s）", ext(f))
	}
	l, err := h.catalogue(ctx)
	if err != nil {
		return err
	}
	s := l.Service(code)
	if s == nil {
		return fail(http.StatusNotFound, CodeNotFound, "service_code %q 不存在", code)
	}
	in, ferr := buildIntake(s, fm, h.zone)
	if ferr != nil {
		return ferr
	}
	// The token's user files, through the Open311 channel: whichever
	// channel the token was issued for, the interface is Open311's.
	actor.Channel = h.cfg.Channel
	a, _, err := h.svc.Receive(ctx, actor, in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	var item object
	switch s.Type {
	case TypeRealtime:
		item = append(item, field{"service_request_id", a.Code})
	case TypeBatch:
		item = append(item, field{"token", token(a.Code)})
	}
	item = append(item, field{"service_notice", optional(h.notice(s))}, field{"account_id", nil})
	write(w, f, http.StatusOK, "service_requests", list{item: "request", items: []any{item}})
	return nil
}

func ext(f format) string {
	if f == formatJSON {
		return "json"
	}
	return "xml"
}

// Tokens. Huying files every request at once, so a batch service's token
// can name its request from the start: the token is the tracking code with
// a short checksum, base32-encoded. It is no secret (it only leads to the
// service_request_id, which GET shows anyway); the checksum makes a
// mistyped token a 404 rather than another request. No table is needed, and
// tokens keep working across restarts and nodes.

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func token(code string) string {
	sum := sha256.Sum256([]byte("huying-open311-token:" + code))
	return tokenEncoding.EncodeToString(append([]byte(code), sum[:5]...))
}

func tokenCode(tok string) (string, bool) {
	b, err := tokenEncoding.DecodeString(tok)
	if err != nil || len(b) <= 5 {
		return "", false
	}
	code := string(b[:len(b)-5])
	return code, token(code) == tok
}

func (h *handler) token(w http.ResponseWriter, r *http.Request, f format, tok string) error {
	code, ok := tokenCode(tok)
	if !ok {
		return fail(http.StatusNotFound, CodeNotFound, "token %q 不存在", tok)
	}
	if _, _, err := h.reader.byCode(r.Context(), code); err != nil {
		if huying.ErrorCode(err) == huying.ENOTFOUND {
			return fail(http.StatusNotFound, CodeNotFound, "token %q 不存在", tok)
		}
		return err
	}
	write(w, f, http.StatusOK, "service_requests", list{item: "request", items: []any{
		object{{"service_request_id", code}, {"token", tok}},
	}})
	return nil
}

func (h *handler) request(w http.ResponseWriter, r *http.Request, f format, code string) error {
	l, err := h.catalogue(r.Context())
	if err != nil {
		return err
	}
	a, events, err := h.reader.byCode(r.Context(), strings.ToUpper(code))
	if err != nil {
		return err
	}
	v := h.view(a, events, l)
	write(w, f, http.StatusOK, "service_requests", list{item: "request", items: []any{v.object(h.zone)}})
	return nil
}

// listQuery is a parsed GET requests query.
type listQuery struct {
	ids       []string // overrides everything else
	codes     []string
	statuses  []huying.Status // empty: any
	from, to  time.Time       // received_at in [from, to)
	page, per int
}

// parseListQuery reads GET requests' parameters. now and zone resolve
// dates; services checks service codes.
func parseListQuery(q url.Values, now time.Time, zone *time.Location, services *ServiceList) (*listQuery, error) {
	lq := &listQuery{ids: splitList(q["service_request_id"]), page: 1, per: DefaultPageSize}
	if len(lq.ids) > maxIDs {
		return nil, badRequest(CodeInvalid, "service_request_id 一次不能超过 %d 个", maxIDs)
	}
	for i, id := range lq.ids {
		lq.ids[i] = strings.ToUpper(id)
	}
	for _, c := range splitList(q["service_code"]) {
		if services.Service(c) == nil {
			return nil, fail(http.StatusNotFound, CodeNotFound, "service_code %q 不存在", c)
		}
		lq.codes = append(lq.codes, c)
	}
	var open, closed bool
	for _, s := range splitList(q["status"]) {
		switch strings.ToLower(s) {
		case "open":
			open = true
		case "closed":
			closed = true
		default:
			return nil, badRequest(CodeInvalid, "status 只能是 open 或 closed（可用逗号分隔）")
		}
	}
	if open != closed {
		for st := range huying.StatusNames {
			if st.Open() == open {
				lq.statuses = append(lq.statuses, st)
			}
		}
		slices.Sort(lq.statuses)
	}
	var err error
	if lq.from, err = parseBound(q, "start_date", zone, false); err != nil {
		return nil, err
	}
	if lq.to, err = parseBound(q, "end_date", zone, true); err != nil {
		return nil, err
	}
	// The spec's window: at most 90 days, the last 90 by default. A longer
	// range is clamped to its last 90 days, not refused.
	switch {
	case lq.from.IsZero() && lq.to.IsZero():
		lq.to = now.Add(time.Microsecond)
		lq.from = lq.to.Add(-window)
	case lq.from.IsZero():
		lq.from = lq.to.Add(-window)
	case lq.to.IsZero():
		lq.to = lq.from.Add(window)
	}
	if !lq.from.Before(lq.to) {
		return nil, badRequest(CodeInvalid, "start_date 须早于 end_date")
	}
	if lq.to.Sub(lq.from) > window {
		lq.from = lq.to.Add(-window)
	}
	if lq.page, err = intParam(q, "page", 1, 1, maxPage); err != nil {
		return nil, err
	}
	if lq.per, err = intParam(q, "page_size", DefaultPageSize, 1, MaxPageSize); err != nil {
		return nil, err
	}
	return lq, nil
}

// parseBound reads a W3C date-time. Bounds compare at the precision times
// are shown, whole seconds: a start bound is cut to its second, an end
// bound is inclusive to the end of its second (a request shown as 10:00:00
// but stored at 10:00:00.4 matches end_date=…T10:00:00), and a bare date
// takes the whole day.
func parseBound(q url.Values, key string, zone *time.Location, end bool) (time.Time, error) {
	s := strings.TrimSpace(q.Get(key))
	if s == "" {
		return time.Time{}, nil
	}
	t, ok := parseTime(s, zone)
	if !ok {
		return time.Time{}, badRequest(CodeInvalid, "%s 须为 W3C/ISO 8601 时间，如 2026-09-28T00:00:00+08:00", key)
	}
	t = t.Truncate(time.Second)
	if end {
		if len(s) == len("2006-01-02") {
			return t.AddDate(0, 0, 1), nil
		}
		return t.Add(time.Second), nil
	}
	return t, nil
}

func intParam(q url.Values, key string, def, lo, hi int) (int, error) {
	s := strings.TrimSpace(q.Get(key))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(CodeInvalid, "%s 须为 %d 到 %d 的整数", key, lo, hi)
	}
	return n, nil
}

// requests is GET requests: by service_request_id list, or filtered by
// service_code, status and dates, newest first, a page at a time (page is
// 1-based). X-Total-Count carries the number of matches over all pages.
func (h *handler) requests(w http.ResponseWriter, r *http.Request, f format) error {
	ctx := r.Context()
	l, err := h.catalogue(ctx)
	if err != nil {
		return err
	}
	lq, err := parseListQuery(r.URL.Query(), h.svc.Now(), h.zone, l)
	if err != nil {
		return err
	}
	out := list{item: "request"}
	if len(lq.ids) > 0 {
		for _, id := range lq.ids {
			a, events, err := h.reader.byCode(ctx, id)
			if huying.ErrorCode(err) == huying.ENOTFOUND {
				continue // a list by ids leaves out the ones it cannot show
			} else if err != nil {
				return err
			}
			out.items = append(out.items, h.view(a, events, l).object(h.zone))
		}
		w.Header().Set("X-Total-Count", strconv.Itoa(len(out.items)))
		write(w, f, http.StatusOK, "service_requests", out)
		return nil
	}
	base := huying.AppealFilter{Statuses: lq.statuses, ReceivedFrom: lq.from, ReceivedTo: lq.to}
	appeals, total, err := h.list(ctx, base, lq.codes, (lq.page-1)*lq.per, lq.per)
	if err != nil {
		return err
	}
	for _, a := range appeals {
		events, err := h.reader.events(ctx, a)
		if err != nil {
			return err
		}
		out.items = append(out.items, h.view(a, events, l).object(h.zone))
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	write(w, f, http.StatusOK, "service_requests", out)
	return nil
}

// list reads one page of visible appeals with any of codes (none: all).
// The store filters by one substring, so several codes are read each up to
// the page's end and merged.
func (h *handler) list(ctx context.Context, base huying.AppealFilter, codes []string, offset, n int) ([]*huying.Appeal, int, error) {
	if len(codes) <= 1 {
		if len(codes) == 1 {
			base.Query = tag(codes[0])
		}
		return h.reader.appeals(ctx, base, offset, n)
	}
	if offset+n > maxMergedRows {
		return nil, 0, badRequest(CodeInvalid, "按多个 service_code 查询时 page × page_size 不能超过 %d，请分别查询", maxMergedRows)
	}
	var all []*huying.Appeal
	total := 0
	for _, c := range codes {
		fc := base
		fc.Query = tag(c)
		got, t, err := h.reader.appeals(ctx, fc, 0, offset+n)
		if err != nil {
			return nil, 0, err
		}
		all, total = append(all, got...), total+t
	}
	slices.SortFunc(all, func(a, b *huying.Appeal) int { return cmp.Compare(b.ID, a.ID) }) // the store's order
	if offset >= len(all) {
		return []*huying.Appeal{}, total, nil
	}
	return all[offset:min(offset+n, len(all))], total, nil
}
