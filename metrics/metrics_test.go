package metrics_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"huying/metrics"
	"huying/sqlite"
	"huying/storetest"
)

func newMetrics(tb testing.TB) *metrics.Metrics {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "huying.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	f := storetest.MustFixture(tb, db)
	f.MustReceive(tb, storetest.Intake("投诉"))
	m := &metrics.Metrics{Src: metrics.Source{Store: db}, Token: "scrape-token-0123"}
	m.Refresh(context.Background())
	return m
}

func scrape(m *metrics.Metrics, remote, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = remote
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	m.ServeHTTP(w, req)
	return w
}

// TestMetricsAccess: loopback or the token gets the snapshot; anyone
// else, a wrong token included, gets 404.
func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	m := newMetrics(t)
	for _, c := range []struct {
		remote, token string
		status        int
	}{
		{"127.0.0.1:5000", "", 200},
		{"[::1]:5000", "", 200},
		{"203.0.113.9:5000", "", 404},
		{"203.0.113.9:5000", "wrong-token", 404},
		{"203.0.113.9:5000", "scrape-token-0123", 200},
	} {
		w := scrape(m, c.remote, c.token)
		if w.Code != c.status {
			t.Errorf("%s token %q: %d, want %d", c.remote, c.token, w.Code, c.status)
		}
		if w.Code == 200 && (!strings.Contains(w.Body.String(), `huying_appeals{status="received"} 1`) || !strings.Contains(w.Body.String(), "huying_metrics_up 1")) {
			t.Errorf("snapshot: %s", w.Body.String())
		}
	}
	m.Allow = []netip.Prefix{}
	if w := scrape(m, "127.0.0.1:5000", ""); w.Code != 404 {
		t.Errorf("no allowed addresses, loopback: %d", w.Code)
	}
}

// BenchmarkScrape is the cost of one /metrics request (a copy of the
// snapshot; the database is read by the background refresh).
func BenchmarkScrape(b *testing.B) {
	m := newMetrics(b)
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:5000"
	for b.Loop() {
		w := httptest.NewRecorder()
		m.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkRefresh is the cost of the background refresh (the queries a
// scrape used to run itself).
func BenchmarkRefresh(b *testing.B) {
	m := newMetrics(b)
	for b.Loop() {
		m.Refresh(context.Background())
	}
}
