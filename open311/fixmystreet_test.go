package open311

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/storetest"
	"huying/workflow"
)

// fmsUpdate is a POST servicerequestupdates as FixMyStreet's
// Open311::_populate_service_request_update_params builds it: the report's
// current state in status with every comment (FIXED, CLOSED, OPEN, REOPEN
// only when the user ticked a box; otherwise the state it last fetched),
// the comment's time, its id, the commenter's split name ("-" for a missing
// last name), phone and email, a photo link, and jurisdiction_id (api_key
// is added by env.post).
func fmsUpdate(code, updateID, status, text string, at time.Time) url.Values {
	return url.Values{
		"jurisdiction_id":    {"szpsq.gov.cn"},
		"service_request_id": {code},
		"update_id":          {updateID},
		"status":             {status},
		"description":        {text},
		"updated_datetime":   {at.In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339)},
		"first_name":         {"三"},
		"last_name":          {"张"},
		"phone":              {"13800138000"},
		"email":              {"zhang@example.org"},
		"media_url":          {"https://fms.example.org/photo/" + updateID + ".full.jpeg"},
	}
}

// fmsPost posts an update to the .xml endpoint, FixMyStreet's, or .json,
// and returns the update_id of the answer (FixMyStreet keeps it as the
// comment's external id and retries until it gets one), "" after an error.
func (e *env) fmsPost(ext string, form url.Values) string {
	e.t.Helper()
	r := e.post("servicerequestupdates."+ext, form)
	if r.status != http.StatusOK {
		e.t.Errorf("POST servicerequestupdates.%s %s %q: %d %s", ext, form.Get("status"), form.Get("description"), r.status, r.body)
		return ""
	}
	if ext == "json" {
		id, _ := r.items(e.t)[0]["update_id"].(string)
		return id
	}
	root, err := parseXMLTree(r.body)
	if err != nil {
		e.t.Fatal(err)
	}
	// XML::Simple with ForceArray on request_update: $obj->{request_update}->[0]->{update_id}.
	if root.name != "service_request_updates" || len(root.children) != 1 || root.children[0].name != "request_update" ||
		root.children[0].child("update_id") == nil || root.children[0].child("update_id").text == "" {
		e.t.Fatalf("XML answer FixMyStreet cannot read: %s", r.body)
	}
	return root.children[0].child("update_id").text
}

// appeal reads an appeal and its events.
func (e *env) appeal(code string) (*huying.Appeal, []*huying.Event) {
	e.t.Helper()
	a, err := e.db.AppealByCode(context.Background(), code)
	if err != nil {
		e.t.Fatal(err)
	}
	events, err := e.db.AppealEvents(context.Background(), a.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return a, events
}

func kinds(events []*huying.Event, kind string) []*huying.Event {
	var out []*huying.Event
	for _, ev := range events {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// TestFixMyStreetUpdates posts updates exactly as FixMyStreet does and
// checks that status is read as the report's state, not as a rating: every
// update is the resident's comment, and only a state the resident marked
// (one that differs from what Huying had reported) rates a reply that
// awaits its rating.
func TestFixMyStreetUpdates(t *testing.T) {
	t.Parallel()
	solved := storetest.Step{Who: "handler_a", Cmd: huying.CmdReply, Action: workflow.Action{ResultClass: huying.ResultSolved, Note: "已责令停止夜间施工"}}
	partly := storetest.Step{Who: "handler_a", Cmd: huying.CmdReply, Action: workflow.Action{ResultClass: huying.ResultPartly, Note: "已约谈施工方，夜间打桩减少"}}
	review := storetest.Step{Who: "dispatcher", Cmd: huying.CmdReview, Action: workflow.Action{Decision: workflow.DecisionAccept}}

	for _, ext := range []string{"xml", "json"} {
		t.Run(ext, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			steps := e.f.Path(huying.StatusHandling) // dispatch, sign, contact
			// replied files a request and takes it through reply and review,
			// then lets two hours pass (more than fetchLag).
			replied := func(reply storetest.Step) string {
				code := e.mustFile(noiseForm())
				e.handle(code, append(append([]storetest.Step{}, steps...), reply, review)...)
				e.f.Clock.Advance(2 * time.Hour)
				return code
			}
			now := func() time.Time { return e.f.Clock.T }

			// A question while the unit works on it (in progress): a
			// comment for the unit, accepted, and no redo.
			working := e.mustFile(noiseForm())
			e.handle(working, steps...)
			for i, status := range []string{"IN_PROGRESS", "OPEN"} {
				q := fmsUpdate(working, "q"+strconv.Itoa(i), status, "请问施工方什么时候停工？", now())
				if id := e.fmsPost(ext, q); !strings.HasPrefix(id, working+"-") {
					t.Errorf("question %s: update_id %q", status, id)
				}
			}
			a, events := e.appeal(working)
			if a.Status != huying.StatusHandling || a.RedoCount != 0 || len(kinds(events, "rate")) != 0 || len(kinds(events, "supplement")) != 2 {
				t.Errorf("question on a request in progress: %s redo %d, %d ratings, %d supplements", a.Status, a.RedoCount, len(kinds(events, "rate")), len(kinds(events, "supplement")))
			}
			// The unit reads it, with its photo, on the appeal's timeline.
			timeline, err := e.f.Svc.Events(context.Background(), e.f.Actors["handler_a"], a.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := timeline[len(timeline)-1]
			if last.Kind != "supplement" || !strings.Contains(last.Note, "请问施工方什么时候停工？") || !strings.Contains(last.Note, "https://fms.example.org/photo/q1.full.jpeg") {
				t.Errorf("the unit's timeline ends with %s %q", last.Kind, last.Note)
			}

			// A partly solved reply is shown as in_progress; a question on it
			// (IN_PROGRESS, or OPEN from a client without extended states)
			// is still only a comment, though the appeal awaits its rating.
			partial := replied(partly)
			for i, status := range []string{"IN_PROGRESS", "OPEN"} {
				e.fmsPost(ext, fmsUpdate(partial, "p"+strconv.Itoa(i), status, "还有一台打桩机晚上在响，能再看看吗？", now()))
			}
			if a, _ := e.appeal(partial); a.Status != huying.StatusReviewed || a.Rating != nil {
				t.Errorf("question on an in-progress reply: %s %+v", a.Status, a.Rating)
			}
			// The resident ticks "fixed": FIXED (or CLOSED without extended
			// states) differs from what Huying reported, so it is 满意.
			e.fmsPost(ext, fmsUpdate(partial, "p-fixed", "FIXED", "现在晚上安静了，谢谢", now()))
			if a, _ := e.appeal(partial); a.Status != huying.StatusRated || a.Rating == nil || a.Rating.Satisfaction != huying.Satisfied || a.Rating.Comment != "现在晚上安静了，谢谢" {
				t.Errorf("FIXED marked on an in-progress reply: %s %+v", a.Status, a.Rating)
			}
			core := replied(partly)
			e.fmsPost(ext, fmsUpdate(core, "c-fixed", "CLOSED", "已解决", now()))
			if a, _ := e.appeal(core); a.Status != huying.StatusRated || a.Rating.Satisfaction != huying.Satisfied {
				t.Errorf("CLOSED marked on an in-progress reply: %s %+v", a.Status, a.Rating)
			}

			// A fixed reply: FixMyStreet shows the report fixed, so its
			// FIXED with a complaint is the echoed state — a comment, not 满意.
			fixed := replied(solved)
			complaint := "烧烤摊还在……根本没解决"
			e.fmsPost(ext, fmsUpdate(fixed, "f1", "FIXED", complaint, now()))
			e.fmsPost(ext, fmsUpdate(fixed, "f2", "closed", complaint, now()))
			a, events = e.appeal(fixed)
			if a.Status != huying.StatusReviewed || a.Rating != nil || len(kinds(events, "supplement")) != 2 {
				t.Errorf("echoed FIXED on a fixed reply: %s %+v", a.Status, a.Rating)
			}
			// Ticking "not fixed" sends OPEN: 不满意 with the text as the
			// reason, and a redo reported as open.
			e.f.Clock.Advance(time.Hour)
			reopen := fmsUpdate(fixed, "f3", "OPEN", complaint+"，晚上十点还在营业", now())
			first := e.fmsPost(ext, reopen)
			a, events = e.appeal(fixed)
			if a.Status != huying.StatusDispatched || a.RedoCount != 1 || a.Rating == nil || a.Rating.Satisfaction != huying.Unsatisfied || a.Rating.Comment != complaint+"，晚上十点还在营业" {
				t.Errorf("OPEN marked on a fixed reply: %s redo %d %+v", a.Status, a.RedoCount, a.Rating)
			}
			// FixMyStreet retries a comment it got no update_id for: the
			// same answer, nothing recorded twice, no second redo.
			if again := e.fmsPost(ext, reopen); again != first {
				t.Errorf("retry answered %s, first %s", again, first)
			}
			if a2, events2 := e.appeal(fixed); a2.RedoCount != 1 || len(events2) != len(events) {
				t.Errorf("retry: redo %d, %d events (was %d)", a2.RedoCount, len(events2), len(events))
			}
			req := e.get("requests/" + fixed + ".json").items(t)[0]
			updates := e.get("servicerequestupdates.json?service_request_id=" + fixed).items(t)
			if req["status"] != "open" || updates[len(updates)-1]["status"] != "open" {
				t.Errorf("redo: request %v, last update %v", req["status"], updates[len(updates)-1])
			}
			for _, u := range updates {
				if strings.Contains(u["description"].(string), "烧烤") {
					t.Errorf("the resident's comment is sent back as the centre's update: %v", u)
				}
			}
			e.sameXMLAndJSON("servicerequestupdates?service_request_id=" + fixed)

			// REOPEN is never an echo: 不满意 on a reply awaiting its rating.
			explicit := replied(solved)
			e.fmsPost(ext, fmsUpdate(explicit, "r1", "REOPEN", "没有解决", now()))
			if a, _ := e.appeal(explicit); a.Status != huying.StatusDispatched || a.Rating.Satisfaction != huying.Unsatisfied {
				t.Errorf("REOPEN on a fixed reply: %s %+v", a.Status, a.Rating)
			}

			// OPEN written before the reply (FixMyStreet retrying it, or
			// polling late) echoes the state the resident saw: a comment.
			late := e.mustFile(noiseForm())
			e.handle(late, steps...)
			written := now()
			e.handle(late, solved, review)
			e.f.Clock.Advance(3 * time.Hour)
			e.fmsPost(ext, fmsUpdate(late, "l1", "OPEN", "进展如何？", written))
			// Within fetchLag of the reply, OPEN may still echo the state
			// before it: a comment too (the callback asks the resident).
			e.fmsPost(ext, fmsUpdate(late, "l2", "OPEN", "进展如何？", written.Add(time.Hour+30*time.Minute)))
			if a, _ := e.appeal(late); a.Status != huying.StatusReviewed || a.Rating != nil {
				t.Errorf("OPEN echoed from before the reply: %s %+v", a.Status, a.Rating)
			}
			// Someone else's update (another phone) never rates.
			e.fmsPost(ext, with(fmsUpdate(late, "l3", "REOPEN", "我也觉得没解决", now()), "phone", "13900000000", "first_name", "四", "last_name", "李"))
			e.fmsPost(ext, with(fmsUpdate(late, "l4", "REOPEN", "我也觉得没解决", now()), "phone", ""))
			if a, events := e.appeal(late); a.Status != huying.StatusReviewed || len(kinds(events, "supplement")) != 4 {
				t.Errorf("another user's REOPEN: %s, %d supplements", a.Status, len(kinds(events, "supplement")))
			}

			// Every state FixMyStreet sends, either case, on a request before
			// review and after it is closed: accepted as a comment.
			closed := e.mustFile(noiseForm())
			e.handle(closed, e.f.Path(huying.StatusRated)...)
			for i, status := range []string{"IN_PROGRESS", "ACTION_SCHEDULED", "INVESTIGATING", "DUPLICATE", "NOT_RESPONSIBLE",
				"NOT_COUNCILS_RESPONSIBILITY", "NO_FURTHER_ACTION", "INTERNAL_REFERRAL", "CLOSED", "FIXED", "OPEN", "REOPEN",
				"in_progress", "fixed", "reopen", ""} {
				for _, code := range []string{working, closed} {
					e.fmsPost(ext, fmsUpdate(code, "s"+strconv.Itoa(i), status, "补充：今晚又响到十二点", now()))
				}
			}
			if a, _ := e.appeal(working); a.Status != huying.StatusHandling {
				t.Errorf("states on a request in progress moved it to %s", a.Status)
			}
			if a, events := e.appeal(closed); a.Status != huying.StatusRated || len(kinds(events, "supplement")) != 16 || len(kinds(events, "rate")) != 1 {
				t.Errorf("states on a closed request: %s, %d supplements, %d ratings", a.Status, len(kinds(events, "supplement")), len(kinds(events, "rate")))
			}
		})
	}
}
