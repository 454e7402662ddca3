package postgres_test

import (
	"context"
	"os"
	"testing"

	"huying"
	"huying/internal/pgtest"
	"huying/internal/sqlstore"
	"huying/postgres"
	"huying/storetest"
)

var cluster *pgtest.Cluster

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &cluster)) }

func TestStore(t *testing.T) {
	pgtest.Require(t, cluster)
	storetest.Run(t, storetest.Harness{
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
	})
}
