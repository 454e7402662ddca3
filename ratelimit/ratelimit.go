// Package ratelimit counts requests per key in fixed windows (a minute by
// default): enough to stop guessing tracking codes and codes, and to hold a
// channel to its agreed rate, without a shared store (each node counts its
// own).
package ratelimit

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Window counts requests per key in the current window.
type Window struct {
	mu     sync.Mutex
	now    func() time.Time
	period time.Duration
	window time.Time
	counts map[string]int
}

// New returns a one-minute window on the clock now (time.Now when nil).
func New(now func() time.Time) *Window { return NewPeriod(now, time.Minute) }

// NewPeriod returns a window of period on the clock now (time.Now when nil).
func NewPeriod(now func() time.Time, period time.Duration) *Window {
	if now == nil {
		now = time.Now
	}
	return &Window{now: now, period: period, counts: map[string]int{}}
}

// roll starts a new window when the current one is over; mu is held.
func (w *Window) roll() {
	if m := w.now().Truncate(w.period); !m.Equal(w.window) {
		w.window, w.counts = m, map[string]int{}
	}
}

// Allow counts one request of key and reports whether it is within n a
// window; n <= 0 allows everything.
func (w *Window) Allow(key string, n int) bool {
	if n <= 0 {
		return true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.roll()
	w.counts[key]++
	return w.counts[key] <= n
}

// Count is how many requests of key this window has counted.
func (w *Window) Count(key string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.roll()
	return w.counts[key]
}

// ClientIP is the request's remote IP. The server puts the client's
// address there (believing X-Forwarded-For only from trusted proxies), so
// every limit counts the same address.
func ClientIP(r *http.Request) string {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return ip
}

// PerIP limits next to n requests per IP a minute, answering the rest with
// reject (which should say 429 in the caller's format).
func PerIP(n int, w *Window, reject http.HandlerFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if !w.Allow(ClientIP(r), n) {
			rw.Header().Set("Retry-After", "60")
			reject(rw, r)
			return
		}
		next.ServeHTTP(rw, r)
	})
}
