// Package sqlite is Huying's embedded store: modernc.org/sqlite (pure Go) in
// WAL mode, one writer connection with immediate transactions and a pool of
// read-only connections. The SQL itself is shared with postgres in
// internal/sqlstore; this package owns the connections, pragmas, migrations
// and error codes.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"huying"
	"huying/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the embedded migrations.
func Migrations() ([]sqlstore.Migration, error) {
	return sqlstore.Migrations(migrationFiles, "migrations")
}

var dialect = sqlstore.Dialect{Name: "sqlite", GroupCommit: true, FormatError: formatError,
	Cast:        func(string) string { return "" },
	BeijingDate: func(col string) string { return "date(" + col + ", '+8 hours')" }}

// Open opens (creating if needed) the database file at path and migrates it.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	// busy_timeout comes first so that the other pragmas wait for a lock
	// instead of failing; synchronous=NORMAL in WAL mode loses nothing on a
	// process crash (only on power loss, the last transactions).
	pragmas := url.Values{}
	// cache_size: 32 MiB of pages per connection instead of SQLite's 2 MiB,
	// so that a sweep over a million open appeals stays in memory.
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)", "cache_size(-32768)", "temp_store(MEMORY)"} {
		pragmas.Add("_pragma", p)
	}
	pragmas.Set("_time_format", "sqlite")
	base := "file:" + path + "?" + pragmas.Encode()
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	list, err := Migrations()
	if err != nil {
		w.Close()
		return nil, err
	}
	if _, err := sqlstore.Migrate(ctx, w, dialect, list); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return sqlstore.New(w, r, dialect), nil
}

func formatError(err error) error {
	e, ok := errors.AsType[*sqlite.Error](err)
	if !ok {
		return err
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return huying.Errorf(huying.ECONFLICT, "记录已存在：%s", constraintName(e.Error()))
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return huying.Errorf(huying.EINVALID, "引用的单位、用户或诉求不存在")
	}
	return err
}

// constraintName extracts "table.column" from a SQLite constraint message.
func constraintName(msg string) string {
	if _, after, ok := strings.Cut(msg, "failed: "); ok {
		return strings.TrimSuffix(after, ")")
	}
	return msg
}
