package main

import (
	"context"
	"database/sql"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"huying"
	"huying/internal/pgtest"
	"huying/notify"
	"huying/postgres"
	"huying/storetest"
	"huying/workday"
	"huying/workflow"
)

// TestTwoNodesFireEachDeadlineOnce runs two real `huying serve` processes
// on one PostgreSQL database, sweeping every 50 ms, over overdue appeals:
// every escalation, auto-sign and 催办 happens exactly once, and every
// notice is written to the SMS log once.
func TestTwoNodesFireEachDeadlineOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and real processes")
	}
	cluster, err := pgtest.Start()
	if err != nil {
		if os.Getenv("HUYING_REQUIRE_PG") == "1" {
			t.Fatalf("PostgreSQL required: %v", err)
		}
		t.Skipf("PostgreSQL not available: %v", err)
	}
	t.Cleanup(cluster.Stop) // after the nodes, which are cleaned up first
	url := cluster.Schema(t)
	start := time.Now()
	ctx := context.Background()

	// Forty appeals dispatched thirty days ago and never signed.
	store, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	f := storetest.MustFixture(t, store)
	f.Clock.T = time.Now().Add(-30 * 24 * time.Hour).UTC()
	const n = 40
	for range n {
		f.MustAppealIn(t, huying.StatusDispatched, "")
	}
	store.Close()

	t.Logf("setup %s", time.Since(start))
	dataDir := t.TempDir()
	for range 2 {
		startNode(t, url, dataDir)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string) int {
		var c int
		if err := db.QueryRow(q).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	deadline := time.Now().Add(60 * time.Second)
	for count(`SELECT COUNT(*) FROM appeals WHERE status = 'signed'`) < n || count(`SELECT COUNT(*) FROM outbox WHERE next_at IS NOT NULL`) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the nodes did not finish: %d signed", count(`SELECT COUNT(*) FROM appeals WHERE status = 'signed'`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("converged %s", time.Since(start))
	time.Sleep(500 * time.Millisecond) // several more ticks on both nodes: nothing more may fire
	for _, kind := range []string{"sign_escalated", "sign", "urge"} {
		rows, err := db.Query(`SELECT appeal_id, COUNT(*) FROM events WHERE kind = $1 GROUP BY appeal_id`, kind)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for rows.Next() {
			var id, c int64
			if err := rows.Scan(&id, &c); err != nil {
				t.Fatal(err)
			}
			seen++
			if c != 1 {
				t.Errorf("appeal %d: %s fired %d times", id, kind, c)
			}
		}
		rows.Close()
		if seen != n {
			t.Errorf("%s fired on %d appeals, want %d", kind, seen, n)
		}
	}
	msgs, err := notify.ReadSMSLog(filepath.Join(dataDir, "sms.log"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]int{}
	for _, m := range msgs {
		ids[m.ID]++
	}
	for id, c := range ids {
		if c != 1 {
			t.Errorf("notice %d written %d times", id, c)
		}
	}
	if want := count(`SELECT COUNT(*) FROM outbox WHERE channel = 'sms'`); len(ids) != want {
		t.Errorf("%d SMS in the log, %d in the outbox", len(ids), want)
	}
	cal, _ := workday.New(workday.Options{})
	store, err = postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, _, err := workflow.New(store, cal).VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("two nodes: %d appeals escalated, auto-signed and urged once each; %d SMS sent once each", n, len(ids))
}

func startNode(t *testing.T, url, dataDir string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(os.Args[0], "serve", "--db", url, "--data", dataDir, "--addr", addr, "--sweep-interval", "50ms", "--log-level", "warn", "--sms", "log")
	cmd.Env = append(os.Environ(), "HUYING_TEST_MAIN=1")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() })
}
