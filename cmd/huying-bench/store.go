package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"huying/internal/pgtest"
	"huying/internal/sqlstore"
	"huying/postgres"
	"huying/sqlite"
)

// benchStore is a fresh store for one benchmark: SQLite in a temporary
// directory, or with pg a throwaway PostgreSQL cluster. Dir is the
// temporary directory (for the benchmark's own files too); Stop closes the
// store and removes everything it made.
type benchStore struct {
	DB   *sqlstore.DB
	Dir  string
	Name string // sqlite or postgres
	Stop func()
}

func openBenchStore(ctx context.Context, pg bool, prefix string) (*benchStore, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, err
	}
	s := &benchStore{Dir: dir, Name: "sqlite", Stop: func() { os.RemoveAll(dir) }}
	if pg {
		cluster, err := pgtest.Start()
		if err != nil {
			s.Stop()
			return nil, fmt.Errorf("启动临时 PostgreSQL：%w", err)
		}
		removeDir := s.Stop
		s.Stop = func() { cluster.Stop(); removeDir() }
		if s.DB, err = postgres.Open(ctx, cluster.URL); err != nil {
			s.Stop()
			return nil, err
		}
		s.Name = "postgres"
	} else if s.DB, err = sqlite.Open(ctx, filepath.Join(dir, "huying.db")); err != nil {
		s.Stop()
		return nil, err
	}
	stop := s.Stop
	s.Stop = func() { s.DB.Close(); stop() }
	return s, nil
}
