package server_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"huying"
	"huying/internal/pgtest"
	"huying/open311"
	"huying/postgres"
	"huying/sqlite"
)

var cluster *pgtest.Cluster

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &cluster)) }

// TestInputEdges sends text that is not text — NUL and other control
// characters, invalid UTF-8, lone surrogates, bidirectional overrides in
// names, search terms of 50 KB — through every way in (JSON bodies, query
// strings, paths, Open311 forms and URLs), on both databases: each is a
// 400 naming the field, and nothing is written. PostgreSQL answered NUL
// with a 500, SQLite stored it, and a long q was a 500 on SQLite.
func TestInputEdges(t *testing.T) {
	t.Parallel()
	stores := map[string]func(t *testing.T) huying.Store{
		"sqlite": func(t *testing.T) huying.Store {
			db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "huying.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		"postgres": func(t *testing.T) huying.Store {
			pgtest.Require(t, cluster)
			db, err := postgres.Open(context.Background(), cluster.Schema(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			store := open(t)
			fr := start(t, store)
			inputEdges(t, fr, store)
		})
	}
}

func inputEdges(t *testing.T, fr *front, store huying.Store) {
	count := func() int {
		_, n, err := store.Appeals(context.Background(), huying.AppealFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	intake := func(k, v string) string {
		m := map[string]any{"type": "求助", "content": "和平路路灯不亮", "address": "坪山区和平路1号",
			"contact_name": "张三", "contact_phone": "13800138000", "channel": "12345热线"}
		b, _ := json.Marshal(m)
		if k == "" {
			return string(b)
		}
		// Splice the raw JSON value in, so that escapes and bad bytes arrive as written.
		var parts []string
		for key, val := range m {
			if key == k {
				continue
			}
			vb, _ := json.Marshal(val)
			parts = append(parts, `"`+key+`":`+string(vb))
		}
		return "{" + strings.Join(append(parts, `"`+k+`":`+v), ",") + "}"
	}
	before := count()
	long := url.QueryEscape(strings.Repeat("路灯", 25000)) // 50,000 characters
	cases := []struct {
		name, method, path, auth, body string
		field                          string // "" for a 400 without field
	}{
		{"NUL in contact_name", "POST", "/api/v1/appeals", "bearer", intake("contact_name", `"李\u0000四"`), "contact_name"},
		{"bell in content", "POST", "/api/v1/appeals", "bearer", intake("content", `"路灯\u0007不亮"`), "content"},
		{"escape in address", "POST", "/api/v1/appeals", "bearer", intake("address", `"\u001b[31m和平路"`), "address"},
		{"invalid UTF-8 in content", "POST", "/api/v1/appeals", "bearer", intake("content", "\"路灯\xff\xfe不亮\""), ""},
		{"lone surrogate in content", "POST", "/api/v1/appeals", "bearer", intake("content", `"路灯\ud800不亮"`), "content"},
		{"override in contact_name", "POST", "/api/v1/appeals", "bearer", intake("contact_name", `"张\u202e三"`), "contact_name"},
		{"isolate in title", "POST", "/api/v1/appeals", "bearer", intake("title", `"\u2066路灯\u2069"`), "title"},
		{"NUL in attachment name", "POST", "/api/v1/appeals", "bearer", intake("attachments", `[{"hash":"`+strings.Repeat("a", 64)+`","name":"a\u0000.jpg"}]`), "attachments[0].name"},
		{"override in user name", "POST", "/api/v1/users", "admin", `{"username":"evil","name":"管理\u202e员","password":"12345678","unit_id":"centre","roles":["intake"]}`, "name"},
		{"NUL in unit name", "POST", "/api/v1/units", "admin", `{"id":"unit-x","name":"街\u0000道","kind":"street"}`, "name"},
		{"NUL in login", "POST", "/api/v1/auth/login", "", `{"username":"dispatcher\u0000","password":"x"}`, "username"},
		{"q of 201 characters", "GET", "/api/v1/appeals?q=" + strings.Repeat("路", 201), "bearer", "", "q"},
		{"q of 50 KB", "GET", "/api/v1/appeals?q=" + long, "bearer", "", "q"},
		{"NUL in q", "GET", "/api/v1/appeals?q=%00", "bearer", "", "q"},
		{"invalid UTF-8 in q", "GET", "/api/v1/appeals?q=%ff", "bearer", "", "q"},
		{"NUL in channel filter", "GET", "/api/v1/appeals?channel=a%00", "bearer", "", "channel"},
		{"NUL in a path", "GET", "/api/v1/appeals/PS%00", "bearer", "", "path"},
		{"NUL in track code", "GET", "/api/v1/track?code=PS%00&phone4=0000", "", "", "code"},
	}
	for _, c := range cases {
		s, _, body := fr.do(c.method, c.path, c.auth, c.body)
		var e struct{ Code, Message, Field string }
		_ = json.Unmarshal(body, &e)
		if s != 400 || e.Code != huying.EINVALID || e.Field != c.field || !strings.ContainsFunc(e.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("%s: got %d %s, want 400 EINVALID on field %q with a Chinese message", c.name, s, body, c.field)
		}
	}
	if got := count(); got != before {
		t.Errorf("bad input wrote %d appeals", got-before)
	}
	// A search at its limits: four words of nearly the longest a word may be, within the whole query's length.
	word := strings.Repeat("路", huying.MaxSearchWordRunes-1)
	q := strings.Join([]string{word, word, word, word}, " ")
	if utf8.RuneCountInString(q) > huying.MaxSearchRunes {
		t.Fatalf("the test's query is %d characters, over the %d allowed", utf8.RuneCountInString(q), huying.MaxSearchRunes)
	}
	s, _, body := fr.do("GET", "/api/v1/appeals?q="+url.QueryEscape(q), "bearer", "")
	if s != 200 {
		t.Errorf("q of %d characters in four words: %d %s", utf8.RuneCountInString(q), s, body)
	}
	// Line breaks and tabs are text; an override in the content (not a
	// name) is kept, and left out of the title made from it.
	s, _, body = fr.do("POST", "/api/v1/appeals", "bearer", intake("content", `"\u202e第一行\r\n第二行\t完"`))
	var a struct{ Title, Content string }
	if _ = json.Unmarshal(body, &a); s != 201 || strings.ContainsRune(a.Title, 0x202e) || !strings.Contains(a.Content, "\r\n") {
		t.Errorf("multi-line content: %d %s", s, body)
	}
	_, _, _ = fr.do("GET", "/api/v1/me", "cookie", "")

	// Open311, anonymous: URLs and forms.
	form := url.Values{"api_key": {fr.token}, "service_code": {"0301"}, "lat": {"22.70"}, "long": {"114.35"}, "phone": {"13912345678"}}
	with := func(k, v string) string {
		f := url.Values{}
		for a, b := range form {
			f[a] = b
		}
		f.Set(k, v)
		return f.Encode()
	}
	before = count()
	for _, c := range []struct{ name, method, path, body string }{
		{"NUL in a request id", "GET", open311.Prefix + "requests/PS%00.json", ""},
		{"NUL in service_request_id", "GET", open311.Prefix + "requests.json?service_request_id=PS%00", ""},
		{"NUL in service_code", "GET", open311.Prefix + "requests.json?service_code=0301%00", ""},
		{"NUL in a token", "GET", open311.Prefix + "tokens/%00.json", ""},
		{"NUL in an update query", "GET", open311.Prefix + "servicerequestupdates.json?service_request_id=%00", ""},
		{"NUL in description", "POST", open311.Prefix + "requests.json", with("description", "路灯\x00不亮")},
		{"override in first_name", "POST", open311.Prefix + "requests.json", with("first_name", "张\u202e")},
		{"bad escape in the query", "GET", open311.Prefix + "requests.json?a=%zz", ""},
	} {
		s, _, body := fr.do(c.method, c.path, "", c.body)
		if s != 400 || !strings.Contains(string(body), `"code":40`) {
			t.Errorf("open311 %s: got %d %s, want a 400 error list", c.name, s, body)
		}
	}
	if got := count(); got != before {
		t.Errorf("bad Open311 input wrote %d appeals", got-before)
	}
}
