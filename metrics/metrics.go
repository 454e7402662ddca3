// Package metrics serves Prometheus metrics at /metrics in the text
// exposition format, written by hand: a handful of gauges does not earn
// the client library's dependency tree. The figures are read by a
// background refresh (Start/Stop), never on the request path, so a scrape
// costs a copy of the last snapshot; the endpoint answers only a bearer
// token or allowed addresses.
package metrics

import (
	"bytes"
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"huying"
	"huying/internal/startstop"
)

// Source is what the metrics read.
type Source struct {
	Store huying.Store
	// LastSweep returns the duration of the last sweep tick.
	LastSweep func() time.Duration
}

// Metrics keeps the last snapshot of the figures and serves it.
type Metrics struct {
	Src Source
	// Every is the refresh interval (default 15 s).
	Every time.Duration
	// Token, when set, lets a scraper in with "Authorization: Bearer <Token>".
	Token string
	// Allow are the client addresses served without a token (default
	// loopback only).
	Allow  []netip.Prefix
	Logger *slog.Logger

	mu   sync.RWMutex
	snap []byte
	loop startstop.Loop
}

// DefaultAllow is loopback, IPv4 and IPv6.
var DefaultAllow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// Start refreshes the snapshot now and then every Every until Stop.
func (m *Metrics) Start(ctx context.Context) error {
	if m.Every <= 0 {
		m.Every = 15 * time.Second
	}
	m.Refresh(ctx) // a scrape right after start finds figures
	return m.loop.Start(ctx, m.Every, false, m.Refresh)
}

// Stop stops the refresh. It is idempotent.
func (m *Metrics) Stop() { m.loop.Stop() }

// Refresh reads the figures once; on a failure the snapshot says so
// (huying_metrics_up 0) and keeps no stale numbers.
func (m *Metrics) Refresh(ctx context.Context) {
	var b bytes.Buffer
	err := m.write(ctx, &b)
	if err != nil {
		b.Reset()
		if m.Logger != nil {
			m.Logger.Warn("metrics refresh", slog.String("component", "metrics"), slog.Any("error", err))
		}
	}
	up := 1
	if err != nil {
		up = 0
	}
	fmt.Fprintf(&b, "# HELP huying_metrics_up Whether the last refresh read the database.\n# TYPE huying_metrics_up gauge\nhuying_metrics_up %d\n", up)
	fmt.Fprintf(&b, "# HELP huying_metrics_refreshed_seconds Unix time of the last refresh.\n# TYPE huying_metrics_refreshed_seconds gauge\nhuying_metrics_refreshed_seconds %d\n", time.Now().Unix())
	m.mu.Lock()
	m.snap = b.Bytes()
	m.mu.Unlock()
}

func (m *Metrics) write(ctx context.Context, w *bytes.Buffer) error {
	src := m.Src
	counts, err := src.Store.DeadlineCounts(ctx)
	if err != nil {
		return err
	}
	backlog, err := src.Store.OutboxBacklog(ctx)
	if err != nil {
		return err
	}
	byStatus, err := src.Store.CountByStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "# HELP huying_deadlines_open Running stage clocks by stage and colour (open=green, yellow, red).")
	fmt.Fprintln(w, "# TYPE huying_deadlines_open gauge")
	agg := map[[2]string]int{}
	for _, c := range counts {
		agg[[2]string{c.Stage, string(c.State)}] += c.Count
	}
	keys := make([][2]string, 0, len(agg))
	for k := range agg {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		fmt.Fprintf(w, "huying_deadlines_open{stage=%q,state=%q} %d\n", k[0], k[1], agg[k])
	}
	fmt.Fprintln(w, "# HELP huying_appeals Appeals by status.")
	fmt.Fprintln(w, "# TYPE huying_appeals gauge")
	statuses := make([]string, 0, len(byStatus))
	for s := range byStatus {
		statuses = append(statuses, string(s))
	}
	sort.Strings(statuses)
	for _, s := range statuses {
		fmt.Fprintf(w, "huying_appeals{status=%q} %d\n", s, byStatus[huying.Status(s)])
	}
	fmt.Fprintln(w, "# HELP huying_outbox_backlog Notices waiting to be sent.")
	fmt.Fprintln(w, "# TYPE huying_outbox_backlog gauge")
	fmt.Fprintf(w, "huying_outbox_backlog %d\n", backlog)
	if src.LastSweep != nil {
		fmt.Fprintln(w, "# HELP huying_sweep_duration_seconds Duration of the last deadline sweep.")
		fmt.Fprintln(w, "# TYPE huying_sweep_duration_seconds gauge")
		fmt.Fprintf(w, "huying_sweep_duration_seconds %g\n", src.LastSweep().Seconds())
	}
	return nil
}

// allowed reports whether r may scrape: the token, or an allowed address.
func (m *Metrics) allowed(r *http.Request) bool {
	if m.Token != "" {
		if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok &&
			subtle.ConstantTimeCompare([]byte(got), []byte(m.Token)) == 1 {
			return true
		}
	}
	allow := m.Allow
	if allow == nil {
		allow = DefaultAllow
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && slices.ContainsFunc(allow, func(p netip.Prefix) bool { return p.Contains(ap.Addr().Unmap()) })
}

// ServeHTTP serves the last snapshot to allowed scrapers; others get the
// 404 any unknown path gets.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !m.allowed(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"code":"ENOTFOUND","message":"接口不存在"}` + "\n"))
		return
	}
	m.mu.RLock()
	snap := m.snap
	m.mu.RUnlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = w.Write(snap)
}
