// Package ratelimit counts requests per key in fixed one-minute windows:
// enough to stop guessing tracking codes and codes, and to hold a channel
// to its agreed rate, without a shared store (each node counts its own).
package ratelimit

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Window counts requests per key in the current minute.
type Window struct {
	mu     sync.Mutex
	now    func() time.Time
	window time.Time
	counts map[string]int
}

// New returns a window on the clock now (time.Now when nil).
func New(now func() time.Time) *Window {
	if now == nil {
		now = time.Now
	}
	return &Window{now: now, counts: map[string]int{}}
}

// Allow counts one request of key and reports whether it is within n a
// minute; n <= 0 allows everything.
func (w *Window) Allow(key string, n int) bool {
	if n <= 0 {
		return true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if m := w.now().Truncate(time.Minute); !m.Equal(w.window) {
		w.window, w.counts = m, map[string]int{}
	}
	w.counts[key]++
	return w.counts[key] <= n
}

// ClientIP is the request's remote IP (the server listens on loopback
// behind the district's gateway, which terminates TLS).
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
