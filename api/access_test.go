package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/api"
	"huying/blob"
	"huying/identity"
	"huying/knowledge"
	"huying/open311"
	"huying/sqlite"
	"huying/storetest"
	"huying/workflow"
)

var printMatrix = flag.Bool("print-matrix", false, "print the statuses TestAccessMatrix sees, in the table's format")

// credentials are the columns of the access matrix: every kind of caller.
var credentials = []string{"anon", "resident", "channel", "o311key", "intake", "dispatcher", "handler", "supervisor", "leader", "admin", "reporter"}

// accessMatrix is the status each kind of caller gets on every route of
// the JSON API, in the order of credentials:
//
//	anon resident channel o311key intake dispatcher handler supervisor leader admin reporter
//
// channel is a bearer token with the intake and read scopes, o311key one
// with only the open311 scope; handler is the lead unit's handler of the
// appeal the paths name ({id}), which the intake agent filed and the
// dispatcher dispatched; it lies in the reporter's community (社区网格员). Writes send an empty object, so that a caller who
// passes the role check gets the validation's 400 (or the command's 409)
// and nothing changes; 401 is "log in", 403 "not your role or scope", 404
// "not visible to you". A route of api.go without a row fails the test.
var accessMatrix = map[string]string{
	"GET /api/v1/openapi.yaml":                   "200 200 200 200 200 200 200 200 200 200 200",
	"GET /api/v1/meta":                           "200 200 200 200 200 200 200 200 200 200 200",
	"GET /api/v1/geo":                            "200 200 200 200 200 200 200 200 200 200 200",
	"POST /api/v1/auth/login":                    "400 400 400 400 400 400 400 400 400 400 400",
	"GET /api/v1/track":                          "400 400 400 400 400 400 400 400 400 400 400",
	"POST /api/v1/track/rate":                    "400 400 400 400 400 400 400 400 400 400 400",
	"GET /api/v1/public/flags":                   "200 200 200 200 200 200 200 200 200 200 200",
	"POST /api/v1/resident/code":                 "400 400 400 400 400 400 400 400 400 400 400",
	"GET /api/v1/public/channels/{name}/appeals": "404 404 404 404 404 404 404 404 404 404 404",
	"POST /api/v1/resident/login":                "400 400 400 400 400 400 400 400 400 400 400",
	"GET /api/v1/me":                             "401 200 200 200 200 200 200 200 200 200 200",
	"GET /api/v1/units":                          "401 403 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/units":                         "401 403 403 403 403 403 403 403 403 400 403",
	"PATCH /api/v1/units/{unit}":                 "401 403 403 403 403 403 403 403 403 400 403",
	"POST /api/v1/units/{unit}/disable":          "401 403 403 403 403 403 403 403 403 400 403",
	"POST /api/v1/units/{unit}/enable":           "401 403 403 403 403 403 403 403 403 400 403",
	"GET /api/v1/sla/versions":                   "401 403 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/sla/versions":                  "401 403 403 403 403 403 403 403 403 400 403",
	"GET /api/v1/calendar":                       "401 403 403 403 200 200 200 200 200 200 200",
	"GET /api/v1/calendar/{year}":                "401 403 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/calendar/import":               "401 403 403 403 403 403 403 403 403 400 403",
	"GET /api/v1/users":                          "401 403 403 403 403 403 403 403 403 200 403",
	"POST /api/v1/users":                         "401 403 403 403 403 403 403 403 403 400 403",
	"POST /api/v1/me/password":                   "401 403 403 403 400 400 400 400 400 400 400",
	"GET /api/v1/me/colleagues":                  "401 403 403 403 403 403 200 403 403 403 403",
	"PATCH /api/v1/users/{uid}":                  "401 403 403 403 403 403 403 403 403 200 403",
	"POST /api/v1/users/{uid}/password":          "401 403 403 403 403 403 403 403 403 400 403",
	"POST /api/v1/users/{uid}/disable":           "401 403 403 403 403 403 403 403 403 200 403",
	"POST /api/v1/users/{uid}/enable":            "401 403 403 403 403 403 403 403 403 200 403",
	"GET /api/v1/tokens":                         "401 403 403 403 403 403 403 403 403 200 403",
	"POST /api/v1/tokens":                        "401 403 403 403 403 403 403 403 403 400 403",
	"DELETE /api/v1/tokens/{tid}":                "401 403 403 403 403 403 403 403 403 204 403",
	"GET /api/v1/webhooks":                       "401 403 403 403 403 403 403 403 403 200 403",
	"POST /api/v1/webhooks/{wid}/disable":        "401 403 403 403 403 403 403 403 403 404 403",
	"POST /api/v1/webhooks/{wid}/enable":         "401 403 403 403 403 403 403 403 403 404 403",
	"DELETE /api/v1/webhooks/{wid}":              "401 403 403 403 403 403 403 403 403 404 403",
	"POST /api/v1/webhooks":                      "401 403 403 403 403 403 403 403 403 400 403",
	"GET /api/v1/channels":                       "401 403 403 403 200 200 200 200 200 200 200",
	"PUT /api/v1/channels/{name}":                "401 403 403 403 403 403 403 403 403 400 403",
	"GET /api/v1/channels/stats":                 "401 403 403 403 403 200 403 200 200 200 403",
	"GET /api/v1/channels/stats/export":          "401 403 403 403 403 200 403 200 200 200 403",
	"GET /api/v1/reporters/points":               "401 403 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/attachments":                   "401 400 400 403 400 400 400 400 400 400 400",
	"GET /api/v1/attachments/{hash}":             "401 404 404 404 200 200 200 200 200 200 200",
	"POST /api/v1/appeals":                       "401 400 400 403 400 400 403 403 403 403 400",
	"GET /api/v1/appeals":                        "401 200 200 403 200 200 200 200 200 200 200",
	"GET /api/v1/appeals/export":                 "401 403 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/imports/appeals":               "401 403 403 403 403 403 403 403 403 400 403",
	"GET /api/v1/appeals/{id}":                   "401 404 404 404 200 200 200 200 200 200 200",
	"GET /api/v1/appeals/{id}/events":            "401 404 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/appeals/{id}/contact/reveal":   "401 404 403 403 200 403 200 403 403 403 403",
	"POST /api/v1/appeals/{id}/{command}":        "401 404 403 403 403 403 400 403 403 403 403",
	"PUT /api/v1/appeals/{id}/on-air":            "401 404 403 403 400 400 403 403 403 403 403",
	"POST /api/v1/appeals/{id}/split":            "401 404 403 403 403 400 403 403 403 403 403",
	"POST /api/v1/batch/{command}":               "401 403 403 403 403 403 400 403 403 403 403",
	"GET /api/v1/appeals/{id}/deadlines":         "401 404 403 403 200 200 200 200 200 200 200",
	"GET /api/v1/stats":                          "401 403 403 403 403 200 403 200 200 200 403",
	"GET /api/v1/board":                          "401 403 403 403 403 200 403 200 200 200 403",
	"GET /api/v1/catalogue":                      "401 403 403 403 404 404 404 404 404 404 404",
	"PUT /api/v1/catalogue":                      "401 403 403 403 403 403 403 403 403 400 403",
	"GET /api/v1/appeals/{id}/suggestions":       "401 404 403 403 200 200 200 200 200 200 200",
	"GET /api/v1/appeals/{id}/track":             "401 404 404 404 200 404 404 404 404 404 404",
	"POST /api/v1/appeals/{id}/supplements":      "401 404 403 403 400 400 400 400 400 400 400",
	"POST /api/v1/appeals/{id}/subscriptions":    "401 404 403 403 403 403 403 403 403 403 403",
	"POST /api/v1/appeals/{id}/flags":            "401 404 403 403 403 403 403 400 403 403 403",
	"POST /api/v1/appeals/{id}/urges":            "401 404 403 403 403 400 403 400 403 403 403",
	"GET /api/v1/flags":                          "401 200 403 403 200 200 200 200 200 200 200",
	"GET /api/v1/flags/export":                   "401 403 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/flags/{fid}/progress":          "401 403 403 403 403 403 400 400 403 403 403",
	"POST /api/v1/flags/{fid}/close":             "401 403 403 403 403 403 403 204 403 403 403",
	"POST /api/v1/appeals/{id}/whistles":         "401 404 403 403 403 403 403 403 403 403 400",
	"GET /api/v1/appeals/{id}/whistles":          "401 404 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/whistles/{wid}/report-in":      "401 403 403 403 403 403 404 403 403 403 403",
	"POST /api/v1/whistles/{wid}/ratings":        "401 403 403 403 400 400 400 400 400 400 400",
	"GET /api/v1/whistles/stats":                 "401 403 403 403 403 200 403 200 200 200 403",
	"GET /api/v1/notifications":                  "401 403 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/notifications/read":            "401 403 403 403 400 400 400 400 400 400 400",
	"GET /api/v1/stream":                         "401 403 403 403 503 503 503 503 503 503 503",
	"GET /api/v1/knowledge":                      "401 403 403 403 200 200 200 200 200 200 200",
	"POST /api/v1/knowledge":                     "401 403 403 403 403 403 400 403 403 400 403",
	"GET /api/v1/knowledge/suggest":              "401 403 403 403 200 200 200 200 200 200 200",
	"PUT /api/v1/knowledge/{aid}":                "401 403 403 403 403 403 400 403 403 400 403",
	"GET /api/v1/whistles/stats/export":          "401 403 403 403 403 200 403 200 200 200 403",
	"GET /api/v1/audit/verify":                   "401 403 403 403 403 403 403 200 403 200 403",
	"POST /api/v1/auth/logout":                   "401 204 403 403 204 204 204 204 204 204 204",
}

// open311Matrix is the same for the Open311 interface, by api_key:
//
//	none channel o311key
var open311Matrix = map[string]string{
	"GET /georeport/v2/discovery.json":              "200 200 200",
	"GET /georeport/v2/services.json":               "200 200 200",
	"GET /georeport/v2/services/9999.json":          "404 404 404",
	"GET /georeport/v2/requests.json":               "200 200 200",
	"POST /georeport/v2/requests.json":              "403 403 404",
	"GET /georeport/v2/requests/{id}.json":          "404 404 404",
	"GET /georeport/v2/servicerequestupdates.json":  "200 200 200",
	"POST /georeport/v2/servicerequestupdates.json": "403 403 400",
	"GET /georeport/v2/tokens/x.json":               "404 404 404",
}

// matrixEnv is a server with the JSON API and Open311 mounted as serve
// mounts them, and one caller of every kind.
type matrixEnv struct {
	*env
	tokens  map[string]string // bearer tokens by credential
	cookies map[string]*http.Cookie
	values  map[string]string // path parameters
}

func newMatrixEnv(t *testing.T) *matrixEnv {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := storetest.MustFixture(t, db)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", api.New(api.Services{Appeals: f.Svc, Identity: f.Ids, Supervision: f.Sup, Knowledge: f.Know, Inbox: f.Inbox}, &blob.Store{Dir: filepath.Join(dir, "attachments")}, logger, api.Options{PublicRate: 10000, LoginRate: 10000}))
	mux.Handle(open311.Prefix, open311.New(open311.Config{Service: f.Svc, Auth: f.Ids, Logger: logger}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	m := &matrixEnv{env: &env{t: t, srv: srv, f: f, db: db, cookies: map[string]string{}},
		tokens: map[string]string{}, cookies: map[string]*http.Cookie{}, values: map[string]string{}}
	ctx := context.Background()
	admin := f.Actors["admin"]
	for cred, scopes := range map[string][]huying.Scope{
		"channel": {huying.ScopeIntake, huying.ScopeRead},
		"o311key": {huying.ScopeOpen311},
		"victim":  {huying.ScopeIntake},
	} {
		tok, tk, err := f.Ids.CreateToken(ctx, admin, identity.NewToken{Name: cred, Channel: "小程序", Scopes: scopes})
		if err != nil {
			t.Fatal(err)
		}
		m.tokens[cred] = tok
		if cred == "victim" {
			m.values["tid"] = strconv.FormatInt(tk.ID, 10)
		}
	}
	victim, err := f.Ids.CreateUser(ctx, admin, identity.NewUser{Username: "victim", Name: "被管理的用户", Password: storetest.Password,
		UnitID: storetest.UnitCentre, Roles: []huying.Role{huying.RoleIntake}})
	if err != nil {
		t.Fatal(err)
	}
	m.values["uid"] = strconv.FormatInt(victim.ID, 10)
	m.cookies["resident"] = m.residentSession("13911112222")

	// The appeal the paths name, with an attachment, a flag and a whistle,
	// placed in the reporter's community (which the reporter follows).
	f.Svc.Places = storetest.CommunityPlaces{}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 64)...)
	_, up := m.upload("intake", "photo.png", png)
	hash, _ := up["hash"].(string)
	m.values["hash"] = hash
	in := withField("attachments", []map[string]any{{"hash": hash, "name": "photo.png"}})
	s, a := m.do("intake", "POST", "/api/v1/appeals", in)
	if s != 201 {
		t.Fatalf("intake: %d %v", s, a)
	}
	code := a["code"].(string)
	m.values["id"] = code
	if s, b := m.do("dispatcher", "POST", "/api/v1/appeals/"+code+"/dispatch", map[string]any{"lead_unit_id": storetest.UnitDeptA}); s != 200 {
		t.Fatalf("dispatch: %d %v", s, b)
	}
	fl, err := f.Sup.Flag(ctx, f.Actors["supervisor"], int64(a["id"].(float64)), workflow.FlagInput{Reason: "挂牌", SupervisingUnit: storetest.UnitCentre,
		DueAt: f.Clock.Now().Add(72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	m.values["fid"] = strconv.FormatInt(fl.ID, 10)
	art, err := f.Know.Create(ctx, f.Actors["admin"], knowledge.ArticleInput{Question: "井盖丢失找谁？", Answer: "由城管部门处理。", UnitID: storetest.UnitDeptA})
	if err != nil {
		t.Fatal(err)
	}
	m.values["aid"] = strconv.FormatInt(art.ID, 10)
	m.values["wid"] = "999999" // no such whistle: the roles that may act get 404
	m.values["name"] = "小程序"
	m.values["command"] = "note"
	m.values["unit"] = storetest.UnitDeptB
	m.values["year"] = "2026"
	return m
}

// residentSession logs a resident in with an SMS code from the outbox.
func (m *matrixEnv) residentSession(phone string) *http.Cookie {
	m.t.Helper()
	if s, body := m.do("", "POST", "/api/v1/resident/code", map[string]string{"phone": phone}); s != 202 {
		m.t.Fatalf("code: %d %v", s, body)
	}
	list, err := m.db.ClaimNotices(context.Background(), time.Now().Add(100*24*time.Hour), time.Minute, 100)
	if err != nil || len(list) == 0 {
		m.t.Fatalf("no code in the outbox: %v", err)
	}
	code := regexp.MustCompile(`\d{6}`).FindString(list[len(list)-1].Payload)
	j, _ := json.Marshal(map[string]string{"phone": phone, "code": code})
	resp, err := http.Post(m.srv.URL+"/api/v1/resident/login", "application/json", bytes.NewReader(j))
	if err != nil || resp.StatusCode != 200 {
		m.t.Fatalf("resident login: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == api.SessionCookie {
			return c
		}
	}
	m.t.Fatal("no resident session cookie")
	return nil
}

// send makes one request as cred and returns its status.
func (m *matrixEnv) send(cred, method, path string, body io.Reader, contentType string) int {
	m.t.Helper()
	req, _ := http.NewRequest(method, m.srv.URL+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	switch {
	case cred == "anon":
	case m.tokens[cred] != "":
		req.Header.Set("Authorization", "Bearer "+m.tokens[cred])
	case m.cookies[cred] != nil:
		req.AddCookie(m.cookies[cred])
	default:
		user := cred
		if cred == "handler" {
			user = "handler_a"
		}
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: m.login(user)})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// fill puts the fixture's values in a route's path parameters.
func (m *matrixEnv) fill(path string) string {
	return regexp.MustCompile(`\{(\w+)\}`).ReplaceAllStringFunc(path, func(p string) string {
		return url.PathEscape(m.values[strings.Trim(p, "{}")])
	})
}

// apiRoutes are the routes api.go registers, in the order they are tried:
// logging out (which ends the caller's session) comes last.
func apiRoutes(t *testing.T) []string {
	src, err := os.ReadFile("api.go")
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, r := range regexp.MustCompile(`mux.HandleFunc\("((GET|POST|PUT|PATCH|DELETE) /api/v1/[^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		routes = append(routes, r[1])
	}
	slices.SortStableFunc(routes, func(a, b string) int {
		return boolInt(a == "POST /api/v1/auth/logout") - boolInt(b == "POST /api/v1/auth/logout")
	})
	return routes
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestAccessMatrix sends every route of the JSON API and of Open311 as
// every kind of caller and compares the statuses with the tables above.
// go test -run TestAccessMatrix -print-matrix ./api prints what it sees.
func TestAccessMatrix(t *testing.T) {
	m := newMatrixEnv(t)
	var printed strings.Builder
	for _, route := range apiRoutes(t) {
		method, path, _ := strings.Cut(route, " ")
		var got []string
		for _, cred := range credentials {
			var body io.Reader
			ct := ""
			if method != "GET" && method != "DELETE" {
				body, ct = strings.NewReader("{}"), "application/json"
			}
			got = append(got, strconv.Itoa(m.send(cred, method, m.fill(path), body, ct)))
		}
		line := strings.Join(got, " ")
		fmt.Fprintf(&printed, "\t%q: %q,\n", route, line)
		want, ok := accessMatrix[route]
		switch {
		case !ok:
			t.Errorf("%s has no row in accessMatrix (it answers %s)", route, line)
		case want != line:
			t.Errorf("%s:\n got  %s\n want %s\n      (%s)", route, line, want, strings.Join(credentials, " "))
		}
	}
	for _, route := range open311Routes {
		method, path, _ := strings.Cut(route, " ")
		var got []string
		for _, key := range []string{"", m.tokens["channel"], m.tokens["o311key"]} {
			form := url.Values{"api_key": {key}, "service_code": {"9999"}, "description": {"路灯不亮"}, "lat": {"22.7"}, "long": {"114.3"}}
			if key == "" {
				form.Del("api_key")
			}
			var body io.Reader
			ct := ""
			if method == "POST" {
				body, ct = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
			}
			got = append(got, strconv.Itoa(m.send("anon", method, m.fill(path), body, ct)))
		}
		line := strings.Join(got, " ")
		fmt.Fprintf(&printed, "\t%q: %q,\n", route, line)
		if want := open311Matrix[route]; want != line {
			t.Errorf("%s: got %s, want %s (no key, channel token, Open311 key)", route, line, want)
		}
	}
	if *printMatrix {
		fmt.Print(printed.String())
	}
	// Every Open311 route of open311.go is in the list above.
	src, err := os.ReadFile("../open311/open311.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regexp.MustCompile(`mux.HandleFunc\("(GET|POST) "\+Prefix\+"([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		pattern := "^" + r[1] + " " + regexp.QuoteMeta(open311.Prefix+r[2]) + "(json)?$"
		pattern = strings.ReplaceAll(pattern, `\{file\}`, `[^/]+\.json`)
		if !slices.ContainsFunc(open311Routes, regexp.MustCompile(pattern).MatchString) {
			t.Errorf("Open311 route %s %s has no row in open311Matrix", r[1], r[2])
		}
	}
}

// open311Routes are the Open311 routes (json and xml behave alike; json is tried).
var open311Routes = []string{
	"GET /georeport/v2/discovery.json",
	"GET /georeport/v2/services.json",
	"GET /georeport/v2/services/9999.json",
	"GET /georeport/v2/requests.json",
	"POST /georeport/v2/requests.json",
	"GET /georeport/v2/requests/{id}.json",
	"GET /georeport/v2/servicerequestupdates.json",
	"POST /georeport/v2/servicerequestupdates.json",
	"GET /georeport/v2/tokens/x.json",
}
