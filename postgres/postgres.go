// Package postgres is Huying's production store on PostgreSQL through
// pgx/v5. The SQL is shared with sqlite in internal/sqlstore; this package
// owns the pool, migrations, row and chain locks, and error codes.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"huying"
	"huying/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the embedded migrations.
func Migrations() ([]sqlstore.Migration, error) {
	return sqlstore.Migrations(migrationFiles, "migrations")
}

var dialect = sqlstore.Dialect{
	Name:        "postgres",
	Numbered:    true,
	ForUpdate:   "FOR UPDATE",
	SkipLocked:  "FOR UPDATE SKIP LOCKED",
	LockChains:  lockChains,
	Batch:       arrays{},
	ByteOrder:   ` COLLATE "C"`,
	Snapshot:    sql.LevelRepeatableRead,
	BeijingDate: func(col string) string { return "to_char(" + col + " AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')" },
	Cast:        func(sqlType string) string { return "::" + sqlType },
	FormatError: formatError,
	Unavailable: unavailable,
	Search:      sqlstore.TextIndex{Match: matchText},
}

// Open connects to the database at url (postgres://…) and migrates it.
func Open(ctx context.Context, url string) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	list, err := Migrations()
	if err != nil {
		db.Close()
		return nil, err
	}
	// Two nodes starting at once must not both migrate.
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7311)`); err != nil {
		db.Close()
		return nil, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7311)`)
	if _, err := sqlstore.Migrate(ctx, db, dialect, list); err != nil {
		db.Close()
		return nil, err
	}
	return sqlstore.New(db, db, dialect), nil
}

// lockChains takes transaction-scoped advisory locks on the chain names,
// in sorted order so that two transactions cannot deadlock, so that two
// transactions appending to one chain (say, two contact reads of one
// appeal) take turns instead of both claiming the same seq.
func lockChains(ctx context.Context, tx *sql.Tx, chains []string) error {
	sorted := slices.Sorted(slices.Values(chains))
	// Advisory locks are the database's, not the schema's: the key names the
	// schema too, so that two stores in one database (the tests' schemas)
	// never take each other's locks — two of them with the same appeal codes
	// locking chains in another order than their rows could deadlock.
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':' || c, 0))
		FROM unnest($1::text[]) AS c ORDER BY c`, sorted)
	return err
}

func formatError(err error) error {
	e, ok := errors.AsType[*pgconn.PgError](err)
	if !ok {
		return err
	}
	switch e.Code {
	case "23505":
		return huying.Errorf(huying.ECONFLICT, "记录已存在：%s", e.ConstraintName)
	case "23503":
		return huying.Errorf(huying.EINVALID, "引用的单位、用户或诉求不存在")
	case "40001", "40P01":
		return huying.Errorf(huying.ECONFLICT, "并发冲突，请重试")
	}
	return err
}

// unavailable reports whether err says PostgreSQL is out of reach or cannot
// write: no connection (refused, broken, timed out), the server shutting
// down or refusing connections (57P01–57P05, class 08), out of disk, memory
// or connections (class 53), an I/O error (class 58), or a read-only
// server (25006, a standby after a failover).
func unavailable(err error) bool {
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		return true
	}
	if errors.Is(err, pgconn.ErrConnClosed) || pgconn.Timeout(err) {
		return true
	}
	if e, ok := errors.AsType[*pgconn.PgError](err); ok {
		c := e.Code
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") || strings.HasPrefix(c, "58") ||
			strings.HasPrefix(c, "57P") || c == "25006"
	}
	return false
}
