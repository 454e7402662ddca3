package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"huying"
	"huying/internal/pgtest"
	"huying/internal/sqlstore"
	"huying/postgres"
	"huying/storetest"
)

var cluster *pgtest.Cluster

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &cluster)) }

var harness = storetest.Harness{
	New: func(t *testing.T) huying.Store {
		db, err := postgres.Open(context.Background(), cluster.Schema(t))
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
	pgtest.Require(t, cluster)
	storetest.Run(t, harness)
}

// TestSharedBatches runs storetest's Batches with the dialect's Batcher
// removed, on the shared VALUES-list statements SQLite uses: sqlstore
// holds only SQL both databases run, and this keeps that true of them.
func TestSharedBatches(t *testing.T) {
	pgtest.Require(t, cluster)
	storetest.Batches(t, storetest.Harness{
		New: func(t *testing.T) huying.Store {
			db := harness.New(t).(*sqlstore.DB)
			db.Dialect.Batch = nil // before any use: nothing reads it concurrently yet
			return db
		},
		Exec: harness.Exec,
	})
}

// TestAttachmentBackfill runs the attachment_access migration's backfill of
// event_attachments (found by name, so that renumbering it is a rename).
func TestAttachmentBackfill(t *testing.T) {
	pgtest.Require(t, cluster)
	list, err := postgres.Migrations()
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

// TestAutoDispatchSmallPool: 64 concurrent auto-dispatched intakes finish
// within 10 s on a pool of 4 connections. It runs after the parallel suite
// (TestStore), whose load is not its subject.
func TestAutoDispatchSmallPool(t *testing.T) {
	pgtest.Require(t, cluster)
	db, err := postgres.Open(context.Background(), cluster.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.W.SetMaxOpenConns(4)
	storetest.ConcurrentAutoDispatch(t, db)
}

// TestHeadsBackfill runs migration 0014_audit again on a store with history:
// the chain heads and appeal states it backfills are the ones the appends wrote.
func TestHeadsBackfill(t *testing.T) {
	pgtest.Require(t, cluster)
	storetest.HeadsBackfill(t, harness, func(s huying.Store) error {
		list, err := postgres.Migrations()
		if err != nil {
			return err
		}
		db := s.(*sqlstore.DB)
		_, err = sqlstore.Migrate(context.Background(), db.W, db.Dialect, list)
		return err
	})
}
