package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"huying"
)

// TestProbeDisk checks the readiness probe on a file system with room and
// on one without: /dev/full answers every write with ENOSPC, as a full
// disk does.
func TestProbeDisk(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "huying.db-probe")
	if err := probeDisk(path); err != nil {
		t.Fatalf("probe with room: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != ProbeSize {
		t.Fatalf("probe file %v %v, want %d bytes", fi, err, ProbeSize)
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	if err := probeDisk("/dev/full"); huying.ErrorCode(err) != huying.EUNAVAILABLE {
		t.Fatalf("probe of a full disk: %v, want EUNAVAILABLE", err)
	}
}

// TestPingWrites checks that Ping takes a write: a store whose writer
// cannot write is not ready, though it still reads.
func TestPingWrites(t *testing.T) {
	t.Parallel()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(context.Background()); err != nil {
		t.Fatalf("ping: %v", err)
	}
	if _, err := db.W.Exec(`PRAGMA query_only = 1`); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(context.Background()); huying.ErrorCode(err) != huying.EUNAVAILABLE {
		t.Fatalf("ping of a store that cannot write: %v, want EUNAVAILABLE", err)
	}
	if err := db.R.PingContext(context.Background()); err != nil {
		t.Fatalf("reads: %v", err)
	}
}
