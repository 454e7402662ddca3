// Package server is Huying's HTTP front: the root mux (probes, the API, the
// console), the middleware around it, and the http.Server lifecycle.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Server serves Huying over HTTP.
type Server struct {
	srv    *http.Server
	ln     net.Listener
	logger *slog.Logger
}

// Config is what the server mounts.
type Config struct {
	Addr    string
	API     http.Handler // mounted at /api/v1/
	Console http.Handler // mounted at /
	// Extra handlers by pattern (for example the Open311 interface).
	Extra map[string]http.Handler
	// Ready reports whether the database is reachable and takes writes
	// (/readyz; the store's Ping).
	Ready  func(ctx context.Context) error
	Logger *slog.Logger
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed; from anyone else the socket address is the client.
	TrustedProxies []netip.Prefix
	// OnShutdown run as the server starts shutting down (ending live streams).
	OnShutdown []func()
}

// New builds the server; Start listens.
func New(c Config) *Server {
	s := &Server{logger: c.Logger}
	s.srv = &http.Server{
		Addr:              c.Addr,
		Handler:           s.routes(c),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(c.Logger.Handler(), slog.LevelWarn),
	}
	for _, f := range c.OnShutdown {
		s.srv.RegisterOnShutdown(f)
	}
	return s
}

func (s *Server) routes(c Config) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := c.Ready(ctx); err != nil {
			s.logger.Warn("not ready", slog.Any("error", err))
			w.Header().Set("Retry-After", "30")
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle("/api/v1/", c.API)
	for pattern, h := range c.Extra {
		mux.Handle(pattern, h)
	}
	mux.Handle("/", consoleHeaders(c.Console))
	// Cookie-authenticated writes from another site are refused; bearer
	// clients send no browser origin headers and pass.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusForbidden, "EFORBIDDEN", "拒绝来自其他网站的请求：请在本系统页面中操作")
	}))
	return s.recover(clientIP(c.TrustedProxies, s.accessLog(securityHeaders(csrf.Handler(mux)))))
}

// writeError writes the API's JSON error shape.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"code": code, "message": message})
}

// clientIP puts the client's address in r.RemoteAddr, so that every limit
// and log counts the same one: behind a trusted proxy it is the rightmost
// X-Forwarded-For address that is not itself a trusted proxy; otherwise
// the socket address (a forged header from anyone else is ignored).
func clientIP(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(a netip.Addr) bool {
		return slices.ContainsFunc(trusted, func(p netip.Prefix) bool { return p.Contains(a.Unmap()) })
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !isTrusted(peer.Addr()) {
			next.ServeHTTP(w, r)
			return
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			if !isTrusted(a) || i == 0 {
				r2 := r.Clone(r.Context())
				r2.RemoteAddr = netip.AddrPortFrom(a.Unmap(), 0).String()
				next.ServeHTTP(w, r2)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// ParseProxies parses a comma-separated list of CIDRs or addresses.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var list []netip.Prefix
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			list = append(list, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q 不是 IP 地址或 CIDR 网段", f)
		}
		list = append(list, netip.PrefixFrom(a, a.BitLen()))
	}
	return list, nil
}

// consolePolicy is the console's Content-Security-Policy: its own scripts,
// styles (Element Plus sets inline styles), images and the API, nothing
// from elsewhere, never framed.
const consolePolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func consoleHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", consolePolicy)
		next.ServeHTTP(w, r)
	})
}

// Start listens on the configured address and serves in the background.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", s.srv.Addr)
	if err != nil {
		return err
	}
	s.ln = ln
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logger.Error("http server stopped", slog.Any("error", err))
		}
	}()
	return nil
}

// Addr is the address the server listens on (useful with port 0).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Shutdown stops accepting requests and waits for those in flight.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		level := slog.LevelDebug
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.logger.Log(r.Context(), level, "request", slog.String("request_id", id), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Int("status", sw.status), slog.Duration("duration", time.Since(start)))
	})
}

func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.Error("panic", slog.String("path", r.URL.Path), slog.Any("panic", v))
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"code":"EINTERNAL","message":"系统内部错误，请稍后重试"}` + "\n"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
