package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"huying"
	"huying/api"
	"huying/blob"
	"huying/identity"
	"huying/internal/pgtest"
	"huying/open311"
	"huying/postgres"
	"huying/server"
	"huying/sqlite"
	"huying/storetest"
	"huying/web"
)

// front is the whole HTTP front (API, Open311, probes) on a store, with a
// console session, an API token and an appeal made while the store worked.
type front struct {
	t      *testing.T
	url    string
	f      *storetest.Fixture
	cookie string
	token  string
	code   string
}

func start(t *testing.T, store huying.Store) *front {
	t.Helper()
	f := storetest.MustFixture(t, store)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(server.Config{
		Addr:    "127.0.0.1:0",
		API:     api.New(api.Services{Appeals: f.Svc, Identity: f.Ids, Supervision: f.Sup, Knowledge: f.Know, Inbox: f.Inbox}, &blob.Store{Dir: t.TempDir()}, logger, api.Options{PublicRate: 1000}),
		Console: web.Handler(),
		Extra:   map[string]http.Handler{open311.Prefix: open311.New(open311.Config{Service: f.Svc, Auth: f.Ids, Logger: logger})},
		Ready:   store.Ping,
		Logger:  logger,
	})
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	fr := &front{t: t, url: "http://" + srv.Addr(), f: f}
	ctx := context.Background()
	token, _, err := f.Ids.CreateToken(ctx, huying.Actor{}, identity.NewToken{Name: "测试渠道", Channel: "Open311",
		Scopes: []huying.Scope{huying.ScopeIntake, huying.ScopeRead, huying.ScopeOpen311}})
	if err != nil {
		t.Fatal(err)
	}
	fr.token = token
	fr.cookie, _, err = f.Ids.Login(ctx, "dispatcher", storetest.Password)
	if err != nil {
		t.Fatal(err)
	}
	fr.code = f.MustReceive(t, storetest.Intake(huying.TypeHelp)).Code
	if s, _, _ := fr.do("GET", "/readyz", "", ""); s != 200 {
		t.Fatalf("readyz before the outage: %d", s)
	}
	return fr
}

// do sends a request (auth "cookie" for the dispatcher's session,
// "bearer" for the channel token, a fixture user's name, or "") and returns the
// status, the Retry-After header and the body.
func (fr *front) do(method, path, auth, body string) (int, string, []byte) {
	fr.t.Helper()
	req, _ := http.NewRequest(method, fr.url+path, strings.NewReader(body))
	switch auth {
	case "":
	case "cookie":
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: fr.cookie})
	case "bearer":
		req.Header.Set("Authorization", "Bearer "+fr.token)
	default: // a fixture user's name
		token, _, err := fr.f.Ids.Login(context.Background(), auth, storetest.Password)
		if err != nil {
			fr.t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: token})
	}
	if strings.HasPrefix(path, open311.Prefix) {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fr.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), b
}

// wantUnavailable checks that every entry point answers 503 with
// Retry-After, the JSON API with EUNAVAILABLE, never 401 or 404.
func (fr *front) wantUnavailable() {
	fr.t.Helper()
	intake, _ := json.Marshal(map[string]any{"type": "求助", "content": "路灯不亮", "address": "坪山区和平路1号",
		"contact_name": "张三", "contact_phone": "13800138000", "channel": "12345热线"})
	form := url.Values{"api_key": {fr.token}, "service_code": {"0301"}, "lat": {"22.70"}, "long": {"114.35"}, "phone": {"13912345678"}}
	for _, c := range []struct{ name, method, path, auth, body string }{
		{"console session", "GET", "/api/v1/me", "cookie", ""},
		{"channel token", "GET", "/api/v1/appeals", "bearer", ""},
		{"channel intake", "POST", "/api/v1/appeals", "bearer", string(intake)},
		{"login", "POST", "/api/v1/auth/login", "", `{"username":"dispatcher","password":"` + storetest.Password + `"}`},
		{"track", "GET", "/api/v1/track?code=" + fr.code + "&phone4=8000", "", ""},
		{"track unknown", "GET", "/api/v1/track?code=PS20990101000001&phone4=0000", "", ""},
		{"readyz", "GET", "/readyz", "", ""},
		{"open311 list", "GET", open311.Prefix + "requests.json", "", ""},
		{"open311 one", "GET", open311.Prefix + "requests/" + fr.code + ".json", "", ""},
		{"open311 post", "POST", open311.Prefix + "requests.json", "", form.Encode()},
		{"open311 updates", "GET", open311.Prefix + "servicerequestupdates.json?start_date=2026-09-01T00:00:00Z", "", ""},
		{"resident's own track", "GET", "/api/v1/appeals/" + fr.code + "/track", "cookie", ""},
	} {
		s, retry, body := fr.do(c.method, c.path, c.auth, c.body)
		if s != http.StatusServiceUnavailable || retry == "" {
			fr.t.Errorf("%s: got %d (Retry-After %q) %s, want 503 with Retry-After", c.name, s, retry, body)
			continue
		}
		if strings.HasPrefix(c.path, "/api/") {
			var e struct{ Code, Message string }
			if err := json.Unmarshal(body, &e); err != nil || e.Code != huying.EUNAVAILABLE || e.Message != "系统暂时不可用，请稍后再试" {
				fr.t.Errorf("%s: body %s, want EUNAVAILABLE 系统暂时不可用，请稍后再试", c.name, body)
			}
		}
		if strings.HasPrefix(c.path, open311.Prefix) && !bytes.Contains(body, []byte(`"code":503`)) {
			fr.t.Errorf("%s: body %s, want an Open311 error with code 503", c.name, body)
		}
	}
}

// TestOutageSQLiteClosed closes the store under a running server.
func TestOutageSQLiteClosed(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	fr := start(t, db)
	db.Close()
	fr.wantUnavailable()
}

// TestOutageSQLiteFull fills the database (max_page_count, which SQLite
// answers with SQLITE_FULL exactly as a full disk): a write that needs a
// page is a 503 that writes nothing; reads still work.
func TestOutageSQLiteFull(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fr := start(t, db)
	var pages int
	if err := db.W.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}
	// Content of 5,000 characters spills into overflow pages: new pages.
	intake, _ := json.Marshal(map[string]any{"type": "求助", "content": strings.Repeat("路灯不亮", 1250), "address": "坪山区和平路1号",
		"contact_name": "张三", "contact_phone": "13800138000", "channel": "12345热线"})
	s, retry, body := fr.do("POST", "/api/v1/appeals", "bearer", string(intake))
	if s != http.StatusServiceUnavailable || retry == "" || !bytes.Contains(body, []byte(huying.EUNAVAILABLE)) {
		t.Fatalf("intake on a full database: %d (Retry-After %q) %s, want 503 EUNAVAILABLE", s, retry, body)
	}
	if _, n, err := db.Appeals(context.Background(), huying.AppealFilter{}); err != nil || n != 1 {
		t.Fatalf("%d appeals (%v), want the one from before", n, err)
	}
	if s, _, body := fr.do("GET", "/api/v1/track?code="+fr.code+"&phone4=8000", "", ""); s != 200 {
		t.Fatalf("track on a full database: %d %s, want 200 (reads work)", s, body)
	}
}

// TestOutagePostgres stops the PostgreSQL cluster under a running server.
// It starts a cluster of its own, since stopping it is the point.
func TestOutagePostgres(t *testing.T) {
	t.Parallel()
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		t.Skip("TEST_DATABASE_URL is set: not stopping a cluster this test did not start")
	}
	cluster, err := pgtest.Start()
	if err != nil {
		pgtest.Require(t, nil)
	}
	t.Cleanup(cluster.Stop)
	db, err := postgres.Open(context.Background(), cluster.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fr := start(t, db)
	cluster.Stop()
	fr.wantUnavailable()
}
