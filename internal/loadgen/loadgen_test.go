package loadgen_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"huying"
	"huying/identity"
	"huying/internal/loadgen"
	"huying/internal/pgtest"
	"huying/internal/sqlstore"
	"huying/postgres"
	"huying/sqlite"
)

var cluster *pgtest.Cluster

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &cluster)) }

// open opens a fresh database of the dialect with the units the sweep
// load is led by.
func open(t *testing.T, dialect string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	var db *sqlstore.DB
	var err error
	if dialect == "postgres" {
		pgtest.Require(t, cluster)
		db, err = postgres.Open(ctx, cluster.Schema(t))
	} else {
		db, err = sqlite.Open(ctx, filepath.Join(t.TempDir(), "huying.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ids := identity.New(db)
	for _, u := range []huying.Unit{{ID: "ps-centre", Name: "分拨中心", Kind: huying.UnitCentre}, {ID: "chengguan", ParentID: "ps-centre", Name: "城管局", Kind: huying.UnitDepartment}} {
		if err := ids.CreateUnit(ctx, huying.Actor{}, u); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func count(t *testing.T, db *sqlstore.DB, q string, args ...any) int {
	t.Helper()
	if db.Dialect.Numbered {
		q = sqlstore.Rebind(q)
	}
	var n int
	if err := db.R.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestHandlingAndBulk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := open(t, dialect)
			if err := loadgen.Handling(ctx, db, 50, 5, now); err != nil {
				t.Fatal(err)
			}
			if err := loadgen.Bulk(ctx, db, 40, now); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				q    string
				want int
			}{
				{`SELECT count(*) FROM appeals WHERE status = 'handling' AND code LIKE 'PSB%'`, 50},
				{`SELECT count(*) FROM assignments WHERE unit_id = 'chengguan' AND role = 'lead'`, 50},
				{`SELECT count(*) FROM deadlines WHERE stage = 'close' AND state = 'yellow'`, 5},
				{`SELECT count(*) FROM deadlines WHERE stage = 'close' AND state = 'open'`, 45},
				{`SELECT count(*) FROM appeals WHERE code LIKE 'PSL%'`, 40},
				{`SELECT count(DISTINCT status) FROM appeals WHERE code LIKE 'PSL%'`, 9},
				{`SELECT count(DISTINCT type) FROM appeals WHERE code LIKE 'PSL%'`, 5},
				{`SELECT count(DISTINCT channel) FROM appeals WHERE code LIKE 'PSL%'`, 6},
			} {
				if got := count(t, db, c.q); got != c.want {
					t.Errorf("%s: got %d, want %d", c.q, got, c.want)
				}
			}
		})
	}
}
