package open311

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"huying"
	"huying/storetest"
	"huying/workflow"
)

// TestSchemasReject makes sure the validator bites: each body breaks one
// rule that the schemas state.
func TestSchemasReject(t *testing.T) {
	t.Parallel()
	s := loadSchemas(t)
	for _, c := range []struct{ schema, body string }{
		{"services", `[{"service_code":1,"service_name":"x","metadata":false,"type":"realtime"}]`},
		{"services", `[{"service_code":"1","service_name":"x","metadata":false,"type":"sometimes"}]`},
		{"requests", `[{"service_request_id":"1","status":"pending","service_code":"1","requested_datetime":"2026-09-28T10:00:00+08:00"}]`},
		{"requests", `[{"service_request_id":"1","status":"open","service_code":"1","requested_datetime":"2026-09-28 10:00"}]`},
		{"service-definition", `{"service_code":"1","attributes":[{"variable":true,"code":"a","datatype":"date","required":false}]}`},
		{"errors", `{"code":400,"description":"x"}`},
		{"errors", `[]`},
		{"post-requests", `[{"service_request_id":"1","token":"t"}]`},
		{"discovery", `{"changeset":"2011-02-03 14:18","contact":"c","key_service":"k","endpoints":[]}`},
		{"servicerequestupdates", `[{"update_id":"u","service_request_id":"1","status":"resolved","updated_datetime":"2026-09-28T10:00:00+08:00","description":""}]`},
	} {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(c.body)))
		if err != nil {
			t.Fatal(err)
		}
		if s[c.schema].Validate(inst) == nil {
			t.Errorf("schema %s accepted %s", c.schema, c.body)
		}
	}
}

// handle runs the fixture's path for a request filed through Open311, one
// hour of the clock per step.
func (e *env) handle(code string, steps ...storetest.Step) {
	e.t.Helper()
	for _, st := range steps {
		e.f.Clock.Advance(time.Hour)
		a, err := e.db.AppealByCode(context.Background(), code)
		if err != nil {
			e.t.Fatal(err)
		}
		e.f.MustAct(e.t, st.Who, a, st.Cmd, st.Action)
	}
}

func updatesOf(t *testing.T, r response) (statuses, externals []string) {
	t.Helper()
	for _, u := range r.items(t) {
		statuses = append(statuses, u["status"].(string))
		externals = append(externals, u["external_status_code"].(string))
	}
	return statuses, externals
}

func TestServiceRequestUpdates(t *testing.T) {
	t.Parallel()
	e := setup(t)
	id := e.mustFile(noiseForm())
	other := e.mustFile(with(noiseForm(), "description", "另一处工地"))
	steps := e.f.Path(huying.StatusReviewed) // dispatch, sign, contact, reply, review
	// An internal note and a refused extension must not show.
	e.handle(id, steps[0], steps[1], storetest.Step{Who: "handler_a", Cmd: huying.CmdNote, Action: workflow.Action{Note: "内部：与施工方约谈"}})
	e.handle(id, steps[2:]...)

	// Before review an update is a comment only, whatever its status; an
	// explicit rating (attribute[satisfaction]) is refused. A rating needs
	// the resident's phone.
	e.handle(other, steps[0])
	rate := url.Values{"service_request_id": {other}, "status": {"FIXED"}, "phone": {"13800138000"}, "update_id": {"fms-1"},
		"updated_datetime": {"2026-09-28T18:00:00+08:00"}, "description": {"谢谢"}}
	if r := e.post("servicerequestupdates.json", rate); r.status != 200 {
		t.Errorf("a comment on a dispatched request: %d %s", r.status, r.body)
	}
	if a, _ := e.db.AppealByCode(context.Background(), other); a.Status != huying.StatusDispatched || a.Rating != nil {
		t.Errorf("a comment on a dispatched request rated it: %s %+v", a.Status, a.Rating)
	}
	explicit := with(rate, "update_id", "app-2", "attribute[satisfaction]", "满意")
	if r := e.post("servicerequestupdates.json", explicit); r.status != 400 || r.items(t)[0]["code"] != float64(CodeConflict) {
		t.Errorf("rating a dispatched request: %d %s", r.status, r.body)
	}
	for _, c := range []struct {
		form         url.Values
		status, code int
	}{
		{with(explicit, "service_request_id", id, "phone", "13900000000"), 403, CodeForbidden},
		{with(explicit, "service_request_id", id, "phone", ""), 400, CodeContact},
		{with(rate, "service_request_id", id, "api_key", "-"), 403, CodeForbidden},
		{with(rate, "service_request_id", id, "attribute[satisfaction]", "超级满意"), 400, CodeAttribute},
		{with(rate, "service_request_id", id, "status", "REOPEN", "attribute[satisfaction]", "满意"), 400, CodeAttribute},
		{with(rate, "service_request_id", id, "attribute[speed]", "6"), 400, CodeAttribute},
		{with(rate, "service_request_id", id, "status", "IN_PROGRESS", "attribute[speed]", "4"), 400, CodeMissing},
		{with(rate, "service_request_id", id, "media_url", "javascript:alert(1)"), 400, CodeInvalid},
		{with(rate, "service_request_id", "PS20260928999999"), 404, CodeNotFound},
		{with(rate, "service_request_id", ""), 400, CodeMissing},
	} {
		r := e.post("servicerequestupdates.json", c.form)
		if r.status != c.status || r.items(t)[0]["code"] != float64(c.code) {
			t.Errorf("%v: %d %s, want %d/%d", c.form, r.status, r.body, c.status, c.code)
		}
	}

	// The resident confirms through the app: the request closes.
	e.f.Clock.Advance(time.Hour)
	r := e.post("servicerequestupdates.json", with(rate, "service_request_id", id, "update_id", "app-3", "attribute[satisfaction]", "基本满意", "attribute[speed]", "4"))
	if r.status != http.StatusOK {
		t.Fatalf("rating: %d %s", r.status, r.body)
	}
	if uid := r.items(t)[0]["update_id"]; !strings.HasPrefix(uid.(string), id+"-") {
		t.Errorf("update_id %v", uid)
	}
	a, _ := e.db.AppealByCode(context.Background(), id)
	if a.Status != huying.StatusRated || a.Rating == nil || a.Rating.Satisfaction != huying.BasicSatisfied || a.Rating.Speed != 4 || a.Rating.Comment != "谢谢" {
		t.Errorf("after rating: %s %+v", a.Status, a.Rating)
	}
	req := e.get("requests/" + id + ".json").items(t)[0]
	if req["status"] != "closed" || req["updated_datetime"] != "2026-09-28T18:00:00+08:00" || req["status_notes"] != "诉求人已评价：基本满意" {
		t.Errorf("closed request: %v", req)
	}

	u := e.get("servicerequestupdates.json?service_request_id=" + id)
	statuses, externals := updatesOf(t, u)
	wantS := []string{"open", "action_scheduled", "investigating", "in_progress", "fixed", "unchanged", "closed"}
	wantE := []string{"received", "dispatched", "signed", "handling", "replied", "reviewed", "rated"}
	if strings.Join(statuses, ",") != strings.Join(wantS, ",") || strings.Join(externals, ",") != strings.Join(wantE, ",") {
		t.Errorf("updates: %v %v\n%s", statuses, externals, u.body)
	}
	if strings.Contains(string(u.body), "内部") || strings.Contains(string(u.body), "13800138000") {
		t.Errorf("updates leak internal notes or the contact: %s", u.body)
	}
	e.sameXMLAndJSON("servicerequestupdates")
	e.sameXMLAndJSON("servicerequestupdates?service_request_id=" + id)

	// By date range (FixMyStreet's way): the default is the last 24 hours;
	// a window picks updates by their own time.
	all := e.get("servicerequestupdates.json").items(t)
	if len(all) != 7+2 { // id's seven, other's receive and dispatch
		t.Errorf("last 24 hours: %d updates", len(all))
	}
	win := e.get("servicerequestupdates.json?start_date=2026-09-28T12:00:00%2B08:00&end_date=2026-09-28T14:00:00%2B08:00")
	statuses, _ = updatesOf(t, win)
	if strings.Join(statuses, ",") != "investigating,in_progress" {
		t.Errorf("window 12:00–14:00: %v\n%s", statuses, win.body)
	}
	if fut := e.get("servicerequestupdates.json?start_date=2026-09-29T00:00:00Z"); len(fut.items(t)) != 0 {
		t.Errorf("future window: %s", fut.body)
	}

	// Not satisfied: REOPEN sends the appeal back for redo, reported as open.
	e.handle(other, steps[1:]...)
	r = e.post("servicerequestupdates.xml", with(rate, "update_id", "fms-4", "status", "REOPEN", "description", "噪音依旧"))
	if r.status != http.StatusOK {
		t.Fatalf("reopen: %d %s", r.status, r.body)
	}
	req = e.get("requests/" + other + ".json").items(t)[0]
	statuses, _ = updatesOf(t, e.get("servicerequestupdates.json?service_request_id="+other))
	if req["status"] != "open" || statuses[len(statuses)-1] != "open" || !strings.Contains(req["status_notes"].(string), "重新交办") {
		t.Errorf("after reopen: %v %v", req, statuses)
	}
}

// TestUpdateStatuses maps each resident-visible event to its extended
// status; internal kinds give no update.
func TestUpdateStatuses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		e    huying.Event
		want string // "" = no update
	}{
		{huying.Event{Kind: "answer", ToStatus: huying.StatusAnswered, Note: "工作日 9:00-18:00"}, "closed"},
		{huying.Event{Kind: "refuse", ToStatus: huying.StatusRefused, Data: `{"reason":"转110"}`}, "not_councils_responsibility"},
		{huying.Event{Kind: "refuse", ToStatus: huying.StatusRefused, Data: `{"reason":"不予受理"}`}, "no_further_action"},
		{huying.Event{Kind: "merge", ToStatus: huying.StatusMerged, Data: `{"target":"PS1"}`}, "duplicate"},
		{huying.Event{Kind: "arbitrate", ToStatus: huying.StatusDispatched, Data: `{"lead_name":"水务局"}`}, "action_scheduled"},
		{huying.Event{Kind: "decide_extension", ToStatus: huying.StatusHandling, Data: `{"decision":"approve","due_at":"2026-10-20T10:00:00Z"}`}, "in_progress"},
		{huying.Event{Kind: "decide_extension", ToStatus: huying.StatusHandling, Data: `{"decision":"refuse"}`}, ""},
		{huying.Event{Kind: "decide_termination", ToStatus: huying.StatusTerminated}, "cancelled"},
		{huying.Event{Kind: "decide_termination", ToStatus: huying.StatusHandling}, ""},
		{huying.Event{Kind: "reply", ToStatus: huying.StatusReplied, Data: `{"result_class":"解释说明"}`}, "no_further_action"},
		{huying.Event{Kind: "review", ToStatus: huying.StatusHandling}, ""},
		{huying.Event{Kind: "rate", ToStatus: huying.StatusDispatched, Data: `{"redo":1}`}, "open"},
		{huying.Event{Kind: "archive", ToStatus: huying.StatusArchived}, "closed"},
		{huying.Event{Kind: "note", Note: "内部"}, ""},
		{huying.Event{Kind: "return", ToStatus: huying.StatusReturned}, ""},
		{huying.Event{Kind: "contact_viewed"}, ""},
		{huying.Event{Kind: "request_extension", ToStatus: huying.StatusExtensionRequested}, ""},
	} {
		var data map[string]any
		if c.e.Data != "" {
			if err := json.Unmarshal([]byte(c.e.Data), &data); err != nil {
				t.Fatal(err)
			}
		}
		u, ok := publicUpdate(&c.e, data, time.UTC)
		if got := map[bool]string{true: u.status, false: ""}[ok]; got != c.want {
			t.Errorf("%s → %s: %q, want %q", c.e.Kind, c.e.ToStatus, got, c.want)
		}
	}
}
