package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"huying/internal/sqlstore"
	"huying/sqlite"
)

// grow writes about 4 MB through the writer, so that the WAL grows.
func grow(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	if _, err := db.W.Exec(`CREATE TABLE IF NOT EXISTS scratch (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.W.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for range 4000 {
		if _, err := tx.Exec(`INSERT INTO scratch (x) VALUES (?)`, strings.Repeat("x", 1000)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func walSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestJournalSizeLimit(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, pool := range map[string]*sql.DB{"writer": db.W, "reader": db.R} {
		var n int64
		if err := pool.QueryRow(`PRAGMA journal_size_limit`).Scan(&n); err != nil || n != sqlite.JournalSizeLimit {
			t.Errorf("%s: journal_size_limit %d (%v), want %d", name, n, err, sqlite.JournalSizeLimit)
		}
	}
}

// TestCheckpointTruncatesWAL grows the WAL behind a long reader: the
// checkpoint gives up at once while the reader is there (it must not hold
// the writer), and truncates the WAL to nothing once it has gone.
func TestCheckpointTruncatesWAL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "huying.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	grow(t, db)
	reader, err := db.R.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRow(`SELECT COUNT(*) FROM scratch`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	grow(t, db)
	before := walSize(t, path)
	if before < 4<<20 {
		t.Fatalf("WAL is %d bytes, want it grown past 4 MB", before)
	}
	start := time.Now()
	busy, _, _, err := sqlite.Checkpoint(ctx, db)
	if err != nil || !busy || walSize(t, path) < before {
		t.Fatalf("checkpoint behind a reader: busy=%v err=%v, WAL %d → %d bytes", busy, err, before, walSize(t, path))
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("checkpoint behind a reader took %v: it waited for the busy timeout", d)
	}
	if _, err := db.W.Exec(`INSERT INTO scratch (x) VALUES ('writes still work')`); err != nil {
		t.Fatal(err)
	}
	_ = reader.Rollback()
	busy, frames, done, err := sqlite.Checkpoint(ctx, db)
	if err != nil || busy || frames != done {
		t.Fatalf("checkpoint without readers: busy=%v frames=%d done=%d err=%v", busy, frames, done, err)
	}
	if got := walSize(t, path); got != 0 {
		t.Fatalf("WAL is %d bytes after the checkpoint, want 0", got)
	}
	var busyTimeout int
	if err := db.W.QueryRow(`PRAGMA busy_timeout`).Scan(&busyTimeout); err != nil || busyTimeout != 10000 {
		t.Fatalf("writer's busy_timeout after a checkpoint: %d (%v), want 10000 restored", busyTimeout, err)
	}
}

// TestCheckpointer runs the loop on the fake clock: one interval later the
// WAL is empty.
func TestCheckpointer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "huying.db")
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		grow(t, db)
		if walSize(t, path) == 0 {
			t.Fatal("WAL did not grow")
		}
		cp := &sqlite.Checkpointer{DB: db, Interval: time.Minute}
		if err := cp.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		defer cp.Stop()
		time.Sleep(time.Minute + time.Second)
		synctest.Wait()
		if got := walSize(t, path); got != 0 {
			t.Fatalf("WAL is %d bytes a minute later, want 0", got)
		}
	})
}
