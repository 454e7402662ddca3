package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"huying"
	"huying/api"
	"huying/blob"
	"huying/demo"
	"huying/dispatch"
	"huying/identity"
	"huying/inbox"
	"huying/knowledge"
	"huying/modelstore"
	"huying/place"
	"huying/server"
	"huying/sqlite"
	"huying/supervision"
	"huying/web"
	"huying/workday"
	"huying/workflow"
)

// benchResult is one side of the comparison.
type benchResult struct {
	Name      string  `json:"name"`
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	PerSecond float64 `json:"per_second"`
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`
}

// runIntake posts appeals to the real server and to the bare baseline
// for the same time, one after the other, and compares them.
func runIntake(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("intake", stderr)
	duration := fs.Duration("duration", 10*time.Second, "每一方的压测时长")
	clients := fs.Int("clients", 16, "并发客户端数")
	asJSON := fs.Bool("json", false, "输出 JSON")
	cpuprofile := fs.String("cpuprofile", "", "把 huying 一方压测期间的 CPU 剖析写入此文件")
	withDispatch := fs.Bool("dispatch", false, "受理时完整分拨：分类、定位、派单目录、自动派单（坪山区演示单位和目录）")
	if err := fs.Parse(args); err != nil {
		return helpOK(err)
	}
	if *duration <= 0 || *duration > 10*time.Minute || *clients < 1 || *clients > 512 {
		return fmt.Errorf("--duration 须在 0 到 10 分钟之间，--clients 须在 1 到 512 之间")
	}
	dir, err := os.MkdirTemp("", "huying-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	huyingURL, token, stopHuying, err := benchStartHuying(ctx, filepath.Join(dir, "huying"), *withDispatch)
	if err != nil {
		return err
	}
	defer stopHuying()
	baseURL, stopBase, err := benchStartBaseline(ctx, filepath.Join(dir, "baseline.db"))
	if err != nil {
		return err
	}
	defer stopBase()

	fmt.Fprintf(stderr, "压测 huying %s，%d 个并发客户端…\n", *duration, *clients)
	stopProfile, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	h := benchLoad(ctx, "huying", huyingURL+"/api/v1/appeals", token, *duration, *clients)
	stopProfile()
	fmt.Fprintf(stderr, "压测裸基线 %s…\n", *duration)
	b := benchLoad(ctx, "baseline", baseURL, "", *duration, *clients)
	ratio := h.PerSecond / b.PerSecond
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"huying": h, "baseline": b, "ratio": ratio,
			"duration": duration.String(), "clients": *clients})
	}
	fmt.Fprintf(stdout, "%-9s %9s %7s %10s %8s %8s\n", "", "requests", "errors", "appeals/s", "p50 ms", "p99 ms")
	for _, r := range []benchResult{h, b} {
		fmt.Fprintf(stdout, "%-9s %9d %7d %10.0f %8.2f %8.2f\n", r.Name, r.Requests, r.Errors, r.PerSecond, r.P50ms, r.P99ms)
	}
	fmt.Fprintf(stdout, "huying / baseline = %.2f\n", ratio)
	return nil
}

// benchStartHuying starts the real server on a fresh SQLite database with
// one intake user and its token.
func benchStartHuying(ctx context.Context, dir string, withDispatch bool) (url, token string, stop func(), err error) {
	store, err := sqlite.Open(ctx, filepath.Join(dir, "huying.db"))
	if err != nil {
		return "", "", nil, err
	}
	cal, err := workday.New(workday.Options{})
	if err != nil {
		return "", "", nil, err
	}
	svc := workflow.New(store, cal)
	ids := identity.Beside(store, svc)
	ids.PasswordCost = 4
	for _, u := range demo.Units() {
		if err := ids.CreateUnit(ctx, huying.Actor{}, u); err != nil {
			return "", "", nil, err
		}
	}
	if withDispatch {
		// The whole intake path: classify, place, route by the catalogue
		// and dispatch in the intake transaction.
		cat, err := demo.Catalogue()
		if err != nil {
			return "", "", nil, err
		}
		if _, err := svc.SetCatalogue(ctx, huying.Actor{}, cat); err != nil {
			return "", "", nil, err
		}
		model, _, err := modelstore.Current(dir)
		if err != nil {
			return "", "", nil, err
		}
		svc.Classifier, svc.Places, svc.AutoDispatchAt = model, place.Locator{MinConfidence: 0.5}, dispatch.AutoDispatchAt
	}
	// The load comes through one channel whose agreed rate the bench does
	// not reach (the default token rate would refuse it after 600 a minute).
	if err := svc.SaveChannel(ctx, huying.Actor{}, huying.Channel{Name: "压测渠道", Kind: huying.ChannelDepartment, RatePerMinute: 100_000_000}); err != nil {
		return "", "", nil, err
	}
	token, _, err = ids.CreateToken(ctx, huying.Actor{}, identity.NewToken{Name: "bench", Channel: "压测渠道"})
	if err != nil {
		return "", "", nil, err
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(server.Config{Addr: "127.0.0.1:0", API: api.New(api.Services{Appeals: svc, Identity: ids, Supervision: supervision.New(svc), Knowledge: knowledge.New(svc.Store), Inbox: inbox.New(svc.Store, logger)}, &blob.Store{Dir: filepath.Join(dir, "attachments")}, logger, api.Options{}),
		Console: web.Handler(), Ready: store.Ping, Logger: logger})
	if err := srv.Start(); err != nil {
		return "", "", nil, err
	}
	return "http://" + srv.Addr(), token, func() { _ = srv.Shutdown(context.Background()); store.Close() }, nil
}

// benchStartBaseline starts the bare baseline: decode the JSON, insert it
// into one table, answer with the id.
func benchStartBaseline(ctx context.Context, path string) (string, func(), error) {
	store, err := sqlite.Open(ctx, path) // the same pragmas and single writer
	if err != nil {
		return "", nil, err
	}
	db := store.W
	if _, err := db.ExecContext(ctx, `CREATE TABLE bare (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		var v map[string]any
		if err != nil || json.Unmarshal(body, &v) != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		var id int64
		if err := db.QueryRowContext(r.Context(), `INSERT INTO bare (body) VALUES (?) RETURNING id`, string(body)).Scan(&id); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]int64{"id": id})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/", func() { _ = srv.Shutdown(context.Background()); store.Close() }, nil
}

var benchBody = []byte(`{"type":"投诉","urgency":"一般","channel":"小程序","content":"坪山街道六和社区和平路12号门前下水道堵塞，污水外溢，气味很大，希望尽快疏通。","address":"坪山区坪山街道六和社区和平路12号","contact_name":"张三","contact_phone":"13800138000"}`)

// benchLoad posts benchBody from clients goroutines for d and measures.
func benchLoad(ctx context.Context, name, url, token string, d time.Duration, clients int) benchResult {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errors    int
		wg        sync.WaitGroup
	)
	start := time.Now()
	for range clients {
		wg.Go(func() {
			var local []time.Duration
			bad := 0
			for ctx.Err() == nil {
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(benchBody))
				req.Header.Set("Content-Type", "application/json")
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					bad++
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					if bad == 0 {
						fmt.Fprintf(os.Stderr, "%s: HTTP %d %s\n", name, resp.StatusCode, bytes.TrimSpace(body))
					}
					bad++
					continue
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, local...)
			errors += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	q := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	return benchResult{Name: name, Requests: len(latencies), Errors: errors,
		PerSecond: float64(len(latencies)) / elapsed.Seconds(), P50ms: q(0.50), P99ms: q(0.99)}
}
