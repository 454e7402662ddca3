package open311

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"huying"
	"huying/workflow"
)

// fetchLag is how long a client may go on showing a state Huying has
// replaced: FixMyStreet fetches updates on a timer, so for a while after
// Huying reports a new state its users still see, and echo, the one before.
const fetchLag = time.Hour

// notOpen are the extended statuses Huying reports whose core status is
// closed, which is what a client without extended statuses echoes as CLOSED.
var notOpen = map[string]bool{
	"closed": true, "fixed": true, "duplicate": true, "not_councils_responsibility": true,
	"no_further_action": true, "internal_referral": true, "cancelled": true,
}

// posted is one POST servicerequestupdates, read.
type posted struct {
	status string // upper case, as FixMyStreet sends it; "" when absent
	text   string
	links  []string
	author string
	phone  string
	key    string    // update_id, FixMyStreet's id of its comment
	at     time.Time // updated_datetime; zero when absent or unreadable
	// rating is set when the app rates explicitly, with
	// attribute[satisfaction] or a score (Huying's own apps, not FixMyStreet).
	rating *huying.Rating
}

// postUpdate is POST servicerequestupdates. An update is the resident's
// comment, recorded in every state as a supplement (补充) for the unit; it
// also rates the reply when the appeal awaits the resident's rating and the
// update says so (see doc.go for the rule). A retry with the same update_id
// records nothing new and gets the same update_id back.
func (h *handler) postUpdate(w http.ResponseWriter, r *http.Request, f format) error {
	fm, actor, err := h.postForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	code := strings.ToUpper(fm.get("service_request_id"))
	if code == "" {
		return badRequest(CodeMissing, "service_request_id 必填")
	}
	u, ferr := parseUpdate(fm, h.zone)
	if ferr != nil {
		return ferr
	}
	a, events, err := h.reader.byCode(ctx, code)
	if err != nil {
		return err
	}
	seq, replayed := priorUpdate(events, actor.User.ID, u.key)
	rating, err := h.rating(a, events, u)
	if err != nil && !replayed {
		return err
	}
	if !replayed {
		text := u.text
		if text == "" && len(u.links) == 0 {
			text = "（未附文字）"
		}
		seq, replayed, err = h.svc.SupplementForChannel(ctx, actor, a.Code, workflow.ChannelSupplement{
			Note: text, Links: u.links, Author: u.author, Phone: u.phone, State: u.status, Key: u.key})
		if err != nil {
			return err
		}
	}
	if replayed {
		// The first call may have stopped between the comment and the
		// rating: rate now only if nothing rated since the comment.
		if a, events, err = h.reader.byCode(ctx, code); err != nil {
			return err
		}
		if rating, err = h.rating(a, events, u); err != nil || ratedSince(events, seq) {
			rating = nil
		}
	}
	if rating != nil {
		if _, err := h.svc.RateForChannel(ctx, actor, a.Code, u.phone, *rating); err != nil {
			return err
		}
	}
	write(w, f, http.StatusOK, "service_request_updates", list{item: "request_update", items: []any{
		object{{"update_id", updateID(a.Code, seq)}, {"account_id", nil}},
	}})
	return nil
}

// priorUpdate finds the supplement an earlier call with update_id key made.
func priorUpdate(events []*huying.Event, actorID int64, key string) (int64, bool) {
	if key == "" {
		return 0, false
	}
	for _, e := range events {
		var d struct {
			Key string `json:"update_id"`
		}
		if e.Kind == "supplement" && e.ActorID == actorID && json.Unmarshal([]byte(e.Data), &d) == nil && d.Key == key {
			return e.Seq, true
		}
	}
	return 0, false
}

// ratedSince reports whether the appeal was rated after event seq.
func ratedSince(events []*huying.Event, seq int64) bool {
	return slices.ContainsFunc(events, func(e *huying.Event) bool { return e.Kind == string(huying.CmdRate) && e.Seq > seq })
}

// parseUpdate reads an update as FixMyStreet sends it: service_request_id,
// update_id, status, updated_datetime, description, media_url (repeatable),
// first_name, last_name, phone, email; plus Huying's rating attributes.
// Only what no comment can be is refused: text over MaxDescription, media
// that is not a link, and bad rating attributes.
func parseUpdate(fm *form, zone *time.Location) (*posted, *failure) {
	u := &posted{
		status: strings.ToUpper(strings.TrimSpace(fm.get("status"))),
		text:   clean(strings.TrimSpace(strings.ReplaceAll(fm.get("description"), "\r\n", "\n"))),
		phone:  normalizePhone(fm.get("phone")),
		key:    strings.TrimSpace(fm.get("update_id")),
	}
	if n := utf8.RuneCountInString(u.text); n > MaxDescription {
		return nil, badRequest(CodeTooLong, "description 不能超过 %d 个字（当前 %d 个字）", MaxDescription, n)
	}
	if len(u.key) > 200 {
		return nil, badRequest(CodeInvalid, "update_id 不能超过 200 个字符")
	}
	if t, ok := parseTime(strings.TrimSpace(fm.get("updated_datetime")), zone); ok {
		u.at = t
	}
	first, last := clean(oneLine(fm.get("first_name"))), clean(oneLine(fm.get("last_name")))
	if last == "-" { // FixMyStreet's stand-in for a missing last name
		last = ""
	}
	if first != "" || last != "" {
		u.author = huying.StripBidi(contactName(first, last))
	}
	for _, m := range fm.values["media_url"] {
		if m = strings.TrimSpace(m); m == "" || slices.Contains(u.links, m) {
			continue
		}
		l, ok := mediaURL(m)
		if !ok {
			return nil, badRequest(CodeInvalid, "media_url 须为 http 或 https 链接（不超过 %d 个字符）", maxURLLen)
		}
		u.links = append(u.links, l)
	}
	if len(u.links) > maxMedia {
		return nil, badRequest(CodeInvalid, "media_url 不能超过 %d 个", maxMedia)
	}
	rt, ferr := parseRating(fm, u.status)
	if ferr != nil {
		return nil, ferr
	}
	if rt != nil {
		rt.Comment = firstRunesKeepLines(u.text, huying.MaxReasonRunes)
	}
	u.rating = rt
	return u, nil
}

// satisfactions accepts Huying's words and English keys.
var satisfactions = map[string]string{
	huying.Satisfied: huying.Satisfied, huying.BasicSatisfied: huying.BasicSatisfied, huying.Unsatisfied: huying.Unsatisfied,
	"satisfied": huying.Satisfied, "basically_satisfied": huying.BasicSatisfied, "unsatisfied": huying.Unsatisfied,
}

// parseRating reads an explicit rating: attribute[satisfaction] and the
// four 1–5 scores attribute[speed|effect|experience|reply_quality]. It is
// nil when none is given. Without attribute[satisfaction], status gives it
// (FIXED/CLOSED 满意, OPEN/REOPEN 不满意); a status that says the opposite
// of attribute[satisfaction] is refused.
func parseRating(fm *form, status string) (*huying.Rating, *failure) {
	rt := &huying.Rating{}
	given := false
	for key, dst := range map[string]*int{"speed": &rt.Speed, "effect": &rt.Effect, "experience": &rt.Experience, "reply_quality": &rt.ReplyQuality} {
		vals := splitList(fm.attrs[key])
		if len(vals) == 0 {
			continue
		}
		n, err := strconv.Atoi(vals[0])
		if err != nil || n < 1 || n > 5 || len(vals) > 1 {
			return nil, badRequest(CodeAttribute, "attribute[%s] 须为 1 到 5 的整数", key)
		}
		*dst, given = n, true
	}
	fromStatus := map[string]string{"FIXED": huying.Satisfied, "CLOSED": huying.Satisfied, "OPEN": huying.Unsatisfied, "REOPEN": huying.Unsatisfied}[status]
	if vals := splitList(fm.attrs["satisfaction"]); len(vals) > 0 {
		s, ok := satisfactions[strings.ToLower(vals[0])]
		if !ok || len(vals) > 1 {
			return nil, badRequest(CodeAttribute, "attribute[satisfaction] 须为 满意、基本满意 或 不满意（satisfied、basically_satisfied、unsatisfied）之一")
		}
		if fromStatus != "" && (fromStatus == huying.Unsatisfied) != (s == huying.Unsatisfied) {
			return nil, badRequest(CodeAttribute, "attribute[satisfaction] 与 status 矛盾：OPEN/REOPEN 即为不满意，FIXED/CLOSED 即为满意或基本满意")
		}
		rt.Satisfaction, given = s, true
	}
	if !given {
		return nil, nil
	}
	if rt.Satisfaction == "" {
		if fromStatus == "" {
			return nil, badRequest(CodeMissing, "评分须同时给出 attribute[satisfaction]，或 status 为 FIXED、CLOSED（满意）或 OPEN、REOPEN（不满意）")
		}
		rt.Satisfaction = fromStatus
	}
	return rt, nil
}

// rating decides what update u rates, if anything, on appeal a with its
// events (the rule of doc.go). It is nil for a comment only. An explicit
// rating that cannot be taken is an error; an implicit one never is.
func (h *handler) rating(a *huying.Appeal, events []*huying.Event, u *posted) (*huying.Rating, error) {
	resident := u.phone != "" && u.phone == a.ContactPhone
	awaiting := a.Status == huying.StatusReviewed
	if u.rating != nil {
		switch {
		case u.phone == "":
			return nil, badRequest(CodeContact, "评价须带 phone：须与提交诉求时的联系电话一致")
		case !resident:
			return nil, fail(http.StatusForbidden, CodeForbidden, "phone 与提交诉求时的联系电话不一致")
		case !awaiting:
			return nil, badRequest(CodeConflict, "诉求当前状态为「%s」，还不能评价：承办单位办结并经分拨中心审核后才能评价", a.Status.Name())
		}
		return u.rating, nil
	}
	if !awaiting || !resident {
		return nil, nil
	}
	at, now := u.at, h.svc.Now()
	if at.IsZero() || at.After(now) {
		at = now
	}
	if !marked(u.status, shownAt(events, at, h.zone)) {
		return nil, nil
	}
	rt := &huying.Rating{Satisfaction: huying.Satisfied, Comment: firstRunesKeepLines(u.text, huying.MaxReasonRunes)}
	if u.status == "OPEN" || u.status == "REOPEN" {
		rt.Satisfaction = huying.Unsatisfied
	}
	return rt, nil
}

// shownAt returns the extended statuses a client may have been showing for
// the request at t: the one Huying had reported fetchLag before t, and every
// one reported since, up to t. A client that filed the request knows it as
// open before any update.
func shownAt(events []*huying.Event, t time.Time, zone *time.Location) []string {
	shown := []string{"open"}
	for _, e := range events {
		if e.At.After(t) {
			break
		}
		var data map[string]any
		_ = json.Unmarshal([]byte(e.Data), &data)
		u, ok := publicUpdate(e, data, zone)
		if !ok || u.status == "unchanged" { // FixMyStreet keeps its state on "unchanged"
			continue
		}
		if e.At.After(t.Add(-fetchLag)) {
			shown = append(shown, u.status)
		} else {
			shown = []string{u.status}
		}
	}
	return shown
}

// marked reports whether status is the resident's mark rather than the
// state the client echoes: FIXED, CLOSED or OPEN that is none of the shown
// states, in extended (FIXED) or core (CLOSED, OPEN) words; REOPEN always.
func marked(status string, shown []string) bool {
	switch status {
	case "REOPEN":
		return true
	case "FIXED", "CLOSED", "OPEN":
	default:
		return false
	}
	for _, s := range shown {
		core := "OPEN"
		if notOpen[s] {
			core = "CLOSED"
		}
		if status == strings.ToUpper(s) || status == core {
			return false
		}
	}
	return true
}

// firstRunesKeepLines cuts s to n runes, keeping its line breaks.
func firstRunesKeepLines(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
