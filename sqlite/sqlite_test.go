package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"huying"
	"huying/internal/sqlstore"
	"huying/postgres"
	"huying/sqlite"
	"huying/storetest"
)

var harness = storetest.Harness{
	New: func(t *testing.T) huying.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "huying.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	},
	Exec: func(t *testing.T, s huying.Store, query string) error {
		_, err := s.(*sqlstore.DB).W.Exec(query)
		return err
	},
}

func TestStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, harness)
}

// TestAutoDispatchConcurrent: 64 concurrent auto-dispatched intakes finish
// within 10 s (postgres.TestAutoDispatchSmallPool is the same on a pool of
// 4). It is not part of the parallel suite, whose load is not its subject.
func TestAutoDispatchConcurrent(t *testing.T) {
	storetest.ConcurrentAutoDispatch(t, harness.New(t))
}

// TestMigrationsInLockstep keeps the two dialects' migrations numbered alike.
func TestMigrationsInLockstep(t *testing.T) {
	t.Parallel()
	a, err := sqlite.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	b, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Name != b[i].Name {
			t.Errorf("migration %d: sqlite %s, postgres %s", i, a[i].Name, b[i].Name)
		}
	}
}

// TestAttachmentBackfill runs the attachment_access migration's backfill of
// event_attachments (found by name, so that renumbering it is a rename).
func TestAttachmentBackfill(t *testing.T) {
	t.Parallel()
	list, err := sqlite.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if i := strings.Index(m.SQL, "INSERT"); strings.HasSuffix(m.Name, "_attachment_access.sql") && i >= 0 {
			storetest.AttachmentBackfill(t, harness, m.SQL[i:])
			return
		}
	}
	t.Fatal("no attachment_access migration with an INSERT")
}

// TestHeadsBackfill runs migration 0014_audit again on a store with history:
// the chain heads and appeal states it backfills are the ones the appends wrote.
func TestHeadsBackfill(t *testing.T) {
	t.Parallel()
	storetest.HeadsBackfill(t, harness, func(s huying.Store) error {
		list, err := sqlite.Migrations()
		if err != nil {
			return err
		}
		db := s.(*sqlstore.DB)
		_, err = sqlstore.Migrate(context.Background(), db.W, db.Dialect, list)
		return err
	})
}
