package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func testServer(t *testing.T, proxies string) *httptest.Server {
	t.Helper()
	trusted, err := ParseProxies(proxies)
	if err != nil {
		t.Fatal(err)
	}
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, r.RemoteAddr)
	})
	s := New(Config{API: echo, Console: echo, Ready: func(context.Context) error { return nil },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TrustedProxies: trusted})
	srv := httptest.NewServer(s.srv.Handler)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestTrustedProxies: X-Forwarded-For counts only from a trusted proxy,
// and then the rightmost address that is not a trusted proxy is the client.
func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, proxies, xff, want string
	}{
		{"no proxies: the header is ignored", "", "203.0.113.9", "127.0.0.1"},
		{"untrusted peer: ignored", "10.0.0.0/8", "203.0.113.9", "127.0.0.1"},
		{"trusted peer", "127.0.0.1", "203.0.113.9", "203.0.113.9"},
		{"a forged first hop is skipped", "127.0.0.0/8", "198.51.100.1, 203.0.113.9", "203.0.113.9"},
		{"a chain of proxies", "127.0.0.0/8,10.0.0.0/8", "203.0.113.9, 10.1.2.3", "203.0.113.9"},
		{"garbage", "127.0.0.1", "not-an-ip", "127.0.0.1"},
	}
	for _, tt := range tests {
		srv := testServer(t, tt.proxies)
		_, body := get(t, srv.URL+"/api/v1/x", "X-Forwarded-For", tt.xff)
		if !strings.HasPrefix(body, tt.want+":") {
			t.Errorf("%s: client %q, want %s", tt.name, body, tt.want)
		}
	}
	if _, err := ParseProxies("10.0.0.0/8, nonsense"); err == nil {
		t.Error("a bad proxy list was accepted")
	}
}

// TestConsoleHeaders: the console has a Content-Security-Policy.
func TestConsoleHeaders(t *testing.T) {
	t.Parallel()
	srv := testServer(t, "")
	resp, _ := get(t, srv.URL+"/")
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
}

// TestCrossOriginRefusal: a cookie-borne write from another site is our
// JSON error in Chinese, not English plain text.
func TestCrossOriginRefusal(t *testing.T) {
	t.Parallel()
	srv := testServer(t, "")
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/appeals", strings.NewReader("{}"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 403 || body["code"] != "EFORBIDDEN" || !strings.Contains(body["message"], "其他网站") {
		t.Fatalf("cross-site write: %d %v %v", resp.StatusCode, body, err)
	}
}
