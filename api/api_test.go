package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"huying"
	"huying/api"
	"huying/blob"
	"huying/identity"
	"huying/knowledge"
	"huying/sqlite"
	"huying/storetest"
	"huying/workflow"
)

type env struct {
	t   *testing.T
	srv *httptest.Server
	f   *storetest.Fixture
	db  huying.Store
	// cookies by user name
	cookies map[string]string
}

func setup(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := storetest.MustFixture(t, db)
	h := api.New(api.Services{Appeals: f.Svc, Identity: f.Ids, Supervision: f.Sup, Knowledge: f.Know, Inbox: f.Inbox}, &blob.Store{Dir: filepath.Join(dir, "attachments")}, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Options{PublicRate: 1000})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, f: f, db: db, cookies: map[string]string{}}
}

// do sends a request as user (a fixture name, "" for none) and decodes the JSON answer.
func (e *env) do(user, method, path string, body any, header ...string) (int, map[string]any) {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if user != "" {
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: e.login(user)})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func (e *env) login(user string) string {
	e.t.Helper()
	if c, ok := e.cookies[user]; ok {
		return c
	}
	j, _ := json.Marshal(map[string]string{"username": user, "password": storetest.Password})
	resp, err := http.Post(e.srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(j))
	if err != nil || resp.StatusCode != http.StatusOK {
		e.t.Fatalf("login %s: %v %v", user, err, resp.Status)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == api.SessionCookie {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				e.t.Fatalf("session cookie not HttpOnly+SameSite=Lax: %+v", c)
			}
			e.cookies[user] = c.Value
			return c.Value
		}
	}
	e.t.Fatal("no session cookie")
	return ""
}

var validIntake = map[string]any{
	"type": "投诉", "content": "坪山街道和平社区东纵路88号餐馆油烟直排，熏得住户无法开窗。",
	"address": "坪山区坪山街道和平社区东纵路88号", "contact_name": "李四", "contact_phone": "13912345678",
	"channel": "12345热线",
}

func withField(k string, v any) map[string]any {
	m := map[string]any{}
	for a, b := range validIntake {
		m[a] = b
	}
	if v == nil {
		delete(m, k)
	} else {
		m[k] = v
	}
	return m
}

func hasChinese(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func (e *env) appealCount() int {
	_, n, err := e.db.Appeals(context.Background(), huying.AppealFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestBadIntake sends malformed and invalid intakes: each gets a 4xx with
// a Chinese message and, where it concerns a field, the field; none writes.
func TestBadIntake(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tests := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"malformed json", `{"type": "投诉",`, 400, ""},
		{"not an object", `[1,2]`, 400, ""},
		{"empty body", ``, 400, ""},
		{"two objects", `{} {}`, 400, ""},
		{"unknown field", withField("colour", "red"), 400, "colour"},
		{"wrong type", withField("confidential", "yes"), 400, "confidential"},
		{"missing type", withField("type", nil), 400, "type"},
		{"bad type", withField("type", "表扬"), 400, "type"},
		{"bad urgency", withField("urgency", "特急"), 400, "urgency"},
		{"missing content", withField("content", nil), 400, "content"},
		{"blank content", withField("content", "   "), 400, "content"},
		{"over-long content", withField("content", strings.Repeat("长", huying.MaxContentRunes+1)), 400, "content"},
		{"over-long title", withField("title", strings.Repeat("题", huying.MaxTitleRunes+1)), 400, "title"},
		{"no place", withField("address", nil), 400, "address"},
		{"point outside China", withField("point", map[string]float64{"lng": 2.35, "lat": 48.85}), 400, "point"},
		{"missing name", withField("contact_name", nil), 400, "contact_name"},
		{"missing phone", withField("contact_phone", nil), 400, "contact_phone"},
		{"short phone", withField("contact_phone", "1381234"), 400, "contact_phone"},
		{"letters in phone", withField("contact_phone", "1381234abcd"), 400, "contact_phone"},
		{"phone starting 12", withField("contact_phone", "12812345678"), 400, "contact_phone"},
		{"unknown attachment", withField("attachments", []map[string]any{{"hash": strings.Repeat("a", 64), "name": "x.jpg"}}), 400, "attachments"},
		{"bad attachment hash", withField("attachments", []map[string]any{{"hash": "nothex", "name": "x.jpg"}}), 400, "attachments"},
		{"too large", `{"content":"` + strings.Repeat("x", api.MaxBody) + `"}`, 413, ""},
	}
	for _, tt := range tests {
		status, body := e.do("intake", "POST", "/api/v1/appeals", tt.body)
		msg, _ := body["message"].(string)
		field, _ := body["field"].(string)
		if status != tt.status || !hasChinese(msg) || field != tt.field {
			t.Errorf("%s: got %d %q field %q, want %d with a Chinese message and field %q", tt.name, status, msg, field, tt.status, tt.field)
		}
	}
	if n := e.appealCount(); n != 0 {
		t.Fatalf("bad intakes wrote %d appeals", n)
	}
	status, body := e.do("intake", "POST", "/api/v1/appeals", validIntake)
	if status != 201 || !regexp.MustCompile(`^PS\d{14}$`).MatchString(body["code"].(string)) {
		t.Fatalf("valid intake: %d %v", status, body)
	}
	if body["contact_phone"] != "139****5678" {
		t.Fatalf("intake response shows contact %v, want masked", body["contact_phone"])
	}
}

// TestBadCommands sends invalid commands over HTTP: unknown units, wrong
// states, bad decisions, stale versions; each a clear Chinese error and no change.
func TestBadCommands(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, created := e.do("intake", "POST", "/api/v1/appeals", validIntake)
	id := "/api/v1/appeals/" + created["code"].(string)
	tests := []struct {
		name, user, cmd string
		body            any
		status          int
		field           string
	}{
		{"unknown lead unit", "dispatcher", "dispatch", map[string]any{"lead_unit_id": "no-such"}, 400, "lead_unit_id"},
		{"unknown assist unit", "dispatcher", "dispatch", map[string]any{"lead_unit_id": "dept-a", "assist_unit_ids": []string{"no-such"}}, 400, "assist_unit_ids"},
		{"no lead unit", "dispatcher", "dispatch", map[string]any{}, 400, "lead_unit_id"},
		{"stale version", "dispatcher", "dispatch", map[string]any{"lead_unit_id": "dept-a", "version": 99}, 409, ""},
		{"wrong state", "dispatcher", "review", map[string]any{"decision": "accept"}, 409, ""},
		{"wrong role", "leader", "dispatch", map[string]any{"lead_unit_id": "dept-a"}, 403, ""},
		{"bad refuse reason", "intake", "refuse", map[string]any{"reason": "太忙"}, 400, "reason"},
		{"answer a complaint", "intake", "answer", map[string]any{"note": "答复"}, 409, ""},
		{"unknown command", "dispatcher", "explode", map[string]any{}, 404, ""},
		{"bad time", "dispatcher", "dispatch", `{"lead_unit_id":"dept-a","due_at":"tomorrow"}`, 400, ""},
		{"note too long", "dispatcher", "dispatch", map[string]any{"lead_unit_id": "dept-a", "note": strings.Repeat("字", huying.MaxReasonRunes+1)}, 400, "note"},
	}
	for _, tt := range tests {
		status, body := e.do(tt.user, "POST", id+"/"+tt.cmd, tt.body)
		msg, _ := body["message"].(string)
		field, _ := body["field"].(string)
		if status != tt.status || !hasChinese(msg) || field != tt.field {
			t.Errorf("%s: got %d %q field %q, want %d with a Chinese message and field %q", tt.name, status, msg, field, tt.status, tt.field)
		}
	}
	_, got := e.do("dispatcher", "GET", id, nil)
	if got["status"] != "received" || got["version"].(float64) != 1 {
		t.Fatalf("bad commands changed the appeal: %v %v", got["status"], got["version"])
	}
}

// TestRoleBoundariesHTTP checks the server enforces roles and units.
func TestRoleBoundariesHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, created := e.do("intake", "POST", "/api/v1/appeals", validIntake)
	id := "/api/v1/appeals/" + created["code"].(string)
	if s, _ := e.do("dispatcher", "POST", id+"/dispatch", map[string]any{"lead_unit_id": "dept-a"}); s != 200 {
		t.Fatalf("dispatch: %d", s)
	}
	checks := []struct {
		name, user, method, path string
		body                     any
		status                   int
	}{
		{"no login", "", "GET", id, nil, 401},
		{"other unit's handler reads", "handler_b", "GET", id, nil, 404},
		{"other unit's handler signs", "handler_b", "POST", id + "/sign", map[string]any{}, 404},
		{"other unit's handler reads events", "handler_b", "GET", id + "/events", nil, 404},
		{"dispatcher unmasks", "dispatcher", "POST", id + "/contact/reveal", nil, 403},
		{"leader unmasks", "leader", "POST", id + "/contact/reveal", nil, 403},
		{"handler of the unit unmasks", "handler_a", "POST", id + "/contact/reveal", nil, 200},
		{"intake unmasks for callback", "intake", "POST", id + "/contact/reveal", nil, 200},
		{"non-admin lists users", "dispatcher", "GET", "/api/v1/users", nil, 403},
		{"non-admin adds users", "leader", "POST", "/api/v1/users", map[string]any{"username": "x"}, 403},
		{"non-admin issues tokens", "dispatcher", "POST", "/api/v1/tokens", map[string]any{"name": "x", "channel": "小程序"}, 403},
		{"handler reads stats", "handler_a", "GET", "/api/v1/stats", nil, 403},
		{"leader reads stats", "leader", "GET", "/api/v1/stats", nil, 200},
		{"handler verifies audit", "handler_a", "GET", "/api/v1/audit/verify", nil, 403},
		{"supervisor verifies audit", "supervisor", "GET", "/api/v1/audit/verify", nil, 200},
		{"reporter reads others' appeal", "reporter", "GET", id, nil, 404},
		{"supervisor reads the board", "supervisor", "GET", "/api/v1/board", nil, 200},
		{"handler reads the board", "handler_a", "GET", "/api/v1/board", nil, 403},
		{"handler reads its order's deadlines", "handler_a", "GET", id + "/deadlines", nil, 200},
		{"other handler reads deadlines", "handler_b", "GET", id + "/deadlines", nil, 404},
	}
	for _, c := range checks {
		if s, body := e.do(c.user, c.method, c.path, c.body); s != c.status {
			t.Errorf("%s: got %d %v, want %d", c.name, s, body, c.status)
		}
	}
	_, got := e.do("dispatcher", "GET", id, nil)
	if got["contact_phone"] != "139****5678" || got["contact_name"] != "李*" {
		t.Fatalf("dispatcher sees %v %v, want masked", got["contact_name"], got["contact_phone"])
	}
	_, list := e.do("handler_b", "GET", "/api/v1/appeals", nil)
	if list["total"].(float64) != 0 {
		t.Fatalf("handler_b lists %v appeals, want 0", list["total"])
	}
	_, ev := e.do("handler_a", "GET", id+"/events", nil)
	items := ev["items"].([]any)
	last := items[len(items)-1].(map[string]any)
	if last["kind"] != "contact_viewed" || ev["chain_verified"] != true {
		t.Fatalf("last event %v verified %v, want contact_viewed and a verified chain", last["kind"], ev["chain_verified"])
	}
}

func TestIdempotencyKeyHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	s1, a := e.do("intake", "POST", "/api/v1/appeals", validIntake, "Idempotency-Key", "k-1")
	s2, b := e.do("intake", "POST", "/api/v1/appeals", validIntake, "Idempotency-Key", "k-1")
	if s1 != 201 || s2 != 200 || a["code"] != b["code"] || e.appealCount() != 1 {
		t.Fatalf("retry: %d %d %v %v, count %d", s1, s2, a["code"], b["code"], e.appealCount())
	}
}

func TestPublicTrackHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, a := e.do("intake", "POST", "/api/v1/appeals", validIntake)
	code := a["code"].(string)
	if s, _ := e.do("", "GET", "/api/v1/track?code="+code+"&phone4=0000", nil); s != 404 {
		t.Fatalf("wrong digits: %d", s)
	}
	s, tr := e.do("", "GET", "/api/v1/track?code="+code+"&phone4=5678", nil)
	if s != 200 || tr["status"] != "received" || tr["status_name"] != "已受理" {
		t.Fatalf("track: %d %v", s, tr)
	}
	if strings.Contains(strings.ToLower(toJSON(tr)), "13912345678") {
		t.Fatal("the public view shows the phone number")
	}
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	e := setup(t)
	resp, err := http.Get(e.srv.URL + "/api/v1/openapi.yaml")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("openapi: %v %v", err, resp.Status)
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	src, err := os.ReadFile("api.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := regexp.MustCompile(`mux.HandleFunc\("(GET|POST|PUT|PATCH|DELETE) /api/v1(/[^"]*)"`).FindAllStringSubmatch(string(src), -1)
	if len(routes) < 20 {
		t.Fatalf("found only %d routes", len(routes))
	}
	for _, r := range routes {
		path, method := r[2], strings.ToLower(r[1])
		block := pathBlock(string(doc), path)
		if block == "" || !strings.Contains(block, "\n    "+method+":") {
			t.Errorf("openapi.yaml lacks %s %s", r[1], path)
		}
	}
}

// pathBlock returns the YAML under "  <path>:" in the paths section.
func pathBlock(doc, path string) string {
	i := strings.Index(doc, "\n  "+path+":\n")
	if i < 0 {
		return ""
	}
	rest := doc[i+len(path)+5:]
	if j := regexp.MustCompile(`\n  /`).FindStringIndex(rest); j != nil {
		rest = rest[:j[0]]
	}
	return "\n" + rest
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// TestChannelRate holds a channel's token to its agreed rate.
func TestChannelRate(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	if err := e.f.Svc.SaveChannel(ctx, e.f.Actors["admin"], huying.Channel{Name: "限速渠道", Kind: huying.ChannelDepartment, RatePerMinute: 2}); err != nil {
		t.Fatal(err)
	}
	token, _, err := e.f.Ids.CreateToken(ctx, e.f.Actors["admin"], identity.NewToken{Name: "限速", Channel: "限速渠道"})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for range 3 {
		s, _ := e.do("", "POST", "/api/v1/appeals", validIntake, "Authorization", "Bearer "+token)
		got = append(got, s)
	}
	if got[0] != 201 || got[1] != 201 || got[2] != 429 {
		t.Fatalf("statuses %v, want 201 201 429", got)
	}
}

// upload posts raw bytes to /attachments as user.
func (e *env) upload(user, name string, body []byte) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/attachments?name="+name, bytes.NewReader(body))
	req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: e.login(user)})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestAttachments uploads a photo and uses it in an intake, and refuses
// files of the wrong type, too large, or without a name.
func TestAttachments(t *testing.T) {
	t.Parallel()
	e := setup(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 100)...)
	s, up := e.upload("intake", "photo.png", png)
	if s != 201 || up["content_type"] != "image/png" || len(up["hash"].(string)) != 64 {
		t.Fatalf("upload: %d %v", s, up)
	}
	in := withField("attachments", []map[string]any{{"hash": up["hash"], "name": "photo.png"}})
	s, a := e.do("intake", "POST", "/api/v1/appeals", in)
	if s != 201 || len(a["attachments"].([]any)) != 1 {
		t.Fatalf("intake with attachment: %d %v", s, a)
	}
	resp, err := http.Get(e.srv.URL + "/api/v1/attachments/" + up["hash"].(string))
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("download without login: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	tests := []struct {
		name, file string
		body       []byte
		status     int
	}{
		{"text file", "note.txt", []byte("just some text"), 400},
		{"empty", "empty.png", nil, 400},
		{"too large", "big.png", append(png, bytes.Repeat([]byte{0}, huying.MaxAttachmentLen)...), 413},
		{"no name", "", png, 400},
	}
	for _, tt := range tests {
		s, body := e.upload("intake", tt.file, tt.body)
		if msg, _ := body["message"].(string); s != tt.status || !hasChinese(msg) {
			t.Errorf("%s: got %d %v, want %d with a Chinese message", tt.name, s, body, tt.status)
		}
	}
}

// TestPublicRateLimit refuses the public endpoints past the per-IP rate.
func TestPublicRateLimit(t *testing.T) {
	t.Parallel()
	e := setup(t)
	h := api.New(api.Services{Appeals: e.f.Svc, Identity: e.f.Ids, Supervision: e.f.Sup, Knowledge: e.f.Know, Inbox: e.f.Inbox}, &blob.Store{Dir: t.TempDir()}, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Options{PublicRate: 3})
	srv := httptest.NewServer(h)
	defer srv.Close()
	var got []int
	for range 4 {
		resp, err := http.Get(srv.URL + "/api/v1/track?code=PS20990101000001&phone4=0000")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got = append(got, resp.StatusCode)
		if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
	if got[2] != 404 || got[3] != 429 {
		t.Fatalf("statuses %v, want 404 ×3 then 429", got)
	}
}

// TestResidentOverHTTP: SMS code, login cookie, filing with the verified
// phone, and a list of only the resident's own appeals.
func TestResidentOverHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const phone = "13911112222"
	if s, body := e.do("", "POST", "/api/v1/resident/code", map[string]string{"phone": phone}); s != 202 {
		t.Fatalf("code: %d %v", s, body)
	}
	list, err := e.db.ClaimNotices(context.Background(), time.Now().Add(100*24*time.Hour), time.Minute, 100)
	if err != nil || len(list) == 0 {
		t.Fatalf("no code in the outbox: %v", err)
	}
	code := regexp.MustCompile(`\d{6}`).FindString(list[len(list)-1].Payload)
	if s, _ := e.do("", "POST", "/api/v1/resident/login", map[string]string{"phone": phone, "code": "000000"}); s != 400 {
		t.Fatalf("wrong code: %d", s)
	}
	j, _ := json.Marshal(map[string]string{"phone": phone, "code": code})
	resp, err := http.Post(e.srv.URL+"/api/v1/resident/login", "application/json", bytes.NewReader(j))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == api.SessionCookie {
			cookie = c
		}
	}
	e.do("intake", "POST", "/api/v1/appeals", validIntake) // someone else's
	post := func(method, path string, body any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	s, a := post("POST", "/api/v1/appeals", withField("contact_phone", "13800000000"))
	if s != 201 || a["channel"] != "移动端" || a["contact_phone"] != "139****2222" {
		t.Fatalf("resident intake: %d %v", s, a)
	}
	s, mine := post("GET", "/api/v1/appeals", nil)
	if s != 200 || mine["total"].(float64) != 1 {
		t.Fatalf("resident list: %d %v", s, mine["total"])
	}
}

// TestIdempotencyKeyReusedWithAnotherBody: a key that created one appeal
// and comes back with a different intake is a 409, not a silent replay.
func TestIdempotencyKeyReusedWithAnotherBody(t *testing.T) {
	t.Parallel()
	e := setup(t)
	if s, _ := e.do("intake", "POST", "/api/v1/appeals", validIntake, "Idempotency-Key", "k-2"); s != 201 {
		t.Fatalf("first: %d", s)
	}
	other := withField("content", "和平路路灯连续三晚不亮，夜里行人看不清路，请尽快维修。")
	s, body := e.do("intake", "POST", "/api/v1/appeals", other, "Idempotency-Key", "k-2")
	if s != 409 || body["code"] != "ECONFLICT" || !hasChinese(body["message"].(string)) || e.appealCount() != 1 {
		t.Fatalf("reuse with another body: %d %v, count %d", s, body, e.appealCount())
	}
}

// TestQueryAndMethodEdges: a page above the maximum, an unknown board
// filter or value, a wrong method and an unknown path are refused in JSON
// with a Chinese message.
func TestQueryAndMethodEdges(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, c := range []struct{ path, field string }{
		{"/api/v1/appeals?limit=501", "limit"},
		{"/api/v1/appeals?offset=-1", "offset"},
		{"/api/v1/board?limit=1001", "limit"},
		{"/api/v1/board?colour=red", "colour"},
		{"/api/v1/board?stage=lunch", "stage"},
		{"/api/v1/board?state=purple", "state"},
		{"/api/v1/board?unit=nowhere", "unit"},
		{"/api/v1/appeals?sort=random", "sort"},
	} {
		s, body := e.do("supervisor", "GET", c.path, nil)
		if s != 400 || body["field"] != c.field || !hasChinese(body["message"].(string)) {
			t.Errorf("GET %s: %d %v, want 400 on %s", c.path, s, body, c.field)
		}
	}
	if s, body := e.do("supervisor", "GET", "/api/v1/board?state=red&stage=close&limit=1000", nil); s != 200 {
		t.Errorf("valid board filters: %d %v", s, body)
	}
	req, _ := http.NewRequest("DELETE", e.srv.URL+"/api/v1/appeals", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if allow := resp.Header.Get("Allow"); resp.StatusCode != 405 || !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") ||
		body["code"] != "EMETHOD" || !hasChinese(body["message"].(string)) {
		t.Errorf("DELETE /appeals: %d Allow %q %v", resp.StatusCode, allow, body)
	}
	if s, body := e.do("", "GET", "/api/v1/nothing-here", nil); s != 404 || body["code"] != "ENOTFOUND" {
		t.Errorf("unknown path: %d %v", s, body)
	}
}

// TestAuditVerifyHTTP: GET /audit/verify runs the full audit (appeal rows
// against their events too) for supervisors, and says when the server has
// no key to check the checkpoints' signatures.
func TestAuditVerifyHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	if s, _ := e.do("intake", "POST", "/api/v1/appeals", validIntake); s != 201 {
		t.Fatalf("intake: %d", s)
	}
	s, body := e.do("supervisor", "GET", "/api/v1/audit/verify", nil)
	if s != 200 || body["ok"] != true || body["appeals"] != float64(1) || body["keyless"] != true || body["total"] != float64(0) {
		t.Fatalf("audit: %d %v", s, body)
	}
	if s, _ := e.do("handler_a", "GET", "/api/v1/audit/verify", nil); s != 403 {
		t.Fatalf("handler's audit: %d", s)
	}
}

// TestOpenAPISchemasCoverTypes: every JSON field the API writes for these
// types is a property of its schema in openapi.yaml, so that the console's
// types generated from the document (web/src/api/schema.d.ts) lack nothing.
func TestOpenAPISchemasCoverTypes(t *testing.T) {
	t.Parallel()
	doc := string(openapiDoc(t))
	for name, v := range map[string]any{"Appeal": huying.Appeal{}, "Attachment": huying.Attachment{}, "Assignment": huying.Assignment{},
		"Unit": huying.Unit{}, "Rating": huying.Rating{}, "Point": huying.Point{}, "Deadline": huying.Deadline{}, "Event": huying.Event{},
		"Triage": huying.Triage{}, "Suggestion": huying.Suggestion{},
		"Article": huying.Article{}, "ArticleInput": knowledge.ArticleInput{}, "ArticleSuggestion": knowledge.Suggestion{},
		"DirectAnswerStats": huying.DirectAnswerStats{}, "InboxItem": huying.InboxItem{},
		"SLAVersion": huying.SLAVersion{}, "CalendarYear": workflow.CalendarYearView{}, "CalendarDay": workflow.CalendarDayView{}} {
		props := schemaProperties(doc, name)
		if len(props) == 0 {
			t.Errorf("openapi.yaml has no schema %s", name)
			continue
		}
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			tag, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			if tag != "" && tag != "-" && !props[tag] {
				t.Errorf("schema %s lacks %s (%s.%s)", name, tag, rt.Name(), rt.Field(i).Name)
			}
		}
	}
}

func openapiDoc(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// schemaProperties returns the property names of components.schemas.name.
func schemaProperties(doc, name string) map[string]bool {
	i := strings.Index(doc, "\n    "+name+":\n")
	if i < 0 {
		return nil
	}
	block := doc[i+1:]
	props := map[string]bool{}
	in := false
	for _, line := range strings.Split(block, "\n")[1:] {
		switch {
		case strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "     "):
			return props // the next schema
		case line == "      properties:":
			in = true
		case strings.HasPrefix(line, "      ") && !strings.HasPrefix(line, "       "):
			in = false
		case in && strings.HasPrefix(line, "        ") && !strings.HasPrefix(line, "         "):
			if k, _, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
				props[k] = true
			}
		}
	}
	return props
}

// TestBatchArchive: a batch archives each appeal as its own command; one
// that is not closed is refused on its row and the others are done; a
// command batches do not run, duplicates and a handler's archive are refused.
func TestBatchArchive(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.f.MustAppealIn(t, huying.StatusRated, "")
	b := e.f.MustAppealIn(t, huying.StatusAnswered, "")
	c := e.f.MustAppealIn(t, huying.StatusHandling, "")
	items := []map[string]any{{"id": a.ID, "version": a.Version}, {"id": b.ID}, {"id": c.ID}}
	s, body := e.do("dispatcher", "POST", "/api/v1/batch/archive", map[string]any{"items": items, "action": map[string]any{"note": "批量归档"}})
	if s != 200 || body["done"] != float64(2) || body["failed"] != float64(1) {
		t.Fatalf("batch archive: %d %v", s, body)
	}
	rows := body["results"].([]any)
	last := rows[2].(map[string]any)
	if rows[0].(map[string]any)["ok"] != true || last["ok"] != false || last["error"].(map[string]any)["code"] != "ECONFLICT" {
		t.Fatalf("rows %v", rows)
	}
	if got, _ := e.db.Appeal(context.Background(), a.ID); got.Status != huying.StatusArchived {
		t.Fatalf("a is %s", got.Status)
	}
	for _, tc := range []struct {
		who, cmd string
		items    []map[string]any
		status   int
	}{
		{"dispatcher", "sign", items, 403},
		{"dispatcher", "merge", items, 400},
		{"dispatcher", "archive", []map[string]any{{"id": c.ID}, {"id": c.ID}}, 400},
		{"handler_a", "archive", items, 403},
	} {
		if s, body := e.do(tc.who, "POST", "/api/v1/batch/"+tc.cmd, map[string]any{"items": tc.items}); s != tc.status {
			t.Errorf("%s %s: %d %v, want %d", tc.who, tc.cmd, s, body, tc.status)
		}
	}
}

// TestBatchUrge: 批量催办 urges each open appeal with its own event and SMS
// to its unit, and refuses a closed one alone; a handler may not batch-urge.
func TestBatchUrge(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.f.MustAppealIn(t, huying.StatusHandling, "")
	b := e.f.MustAppealIn(t, huying.StatusSigned, "")
	c := e.f.MustAppealIn(t, huying.StatusArchived, "")
	items := []map[string]any{{"id": a.ID}, {"id": b.ID}, {"id": c.ID}}
	s, body := e.do("supervisor", "POST", "/api/v1/batch/urge", map[string]any{"items": items, "action": map[string]any{"note": "临近时限，请抓紧办理"}})
	if s != 200 || body["done"] != float64(2) || body["failed"] != float64(1) {
		t.Fatalf("batch urge: %d %v", s, body)
	}
	if last := body["results"].([]any)[2].(map[string]any); last["error"].(map[string]any)["code"] != "ECONFLICT" {
		t.Fatalf("closed appeal: %v", last)
	}
	for _, id := range []int64{a.ID, b.ID} {
		events, _ := e.db.AppealEvents(context.Background(), id)
		if last := events[len(events)-1]; last.Kind != "urge" || last.Note != "临近时限，请抓紧办理" {
			t.Fatalf("appeal %d's last event %+v", id, last)
		}
	}
	if s, _ := e.do("supervisor", "POST", "/api/v1/batch/urge", map[string]any{"items": items, "action": map[string]any{}}); s != 400 {
		t.Fatalf("no note: %d", s)
	}
	if s, _ := e.do("handler_a", "POST", "/api/v1/batch/urge", map[string]any{"items": items, "action": map[string]any{"note": "x"}}); s != 403 {
		t.Fatalf("handler: %d", s)
	}
}
