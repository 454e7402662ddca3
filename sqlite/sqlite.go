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

var dialect = sqlstore.Dialect{Name: "sqlite", GroupCommit: true, FormatError: formatError, Unavailable: unavailable,
	Cast:        func(string) string { return "" },
	BeijingDate: func(col string) string { return "date(" + col + ", '+8 hours')" },
	Search:      sqlstore.TextIndex{Match: matchText, Write: writeText, From: searchFrom, Newest: "appeals_fts.rowid DESC"}}

// busyTimeout is how long, in milliseconds, a connection waits for a lock.
const busyTimeout = 10000

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
	// journal_size_limit: see JournalSizeLimit.
	for _, p := range []string{fmt.Sprintf("busy_timeout(%d)", busyTimeout), "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)",
		"cache_size(-32768)", "temp_store(MEMORY)", fmt.Sprintf("journal_size_limit(%d)", JournalSizeLimit)} {
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
	db := sqlstore.New(w, r, dialect)
	db.Probe = func(context.Context) error { return probeDisk(path + "-probe") }
	return db, nil
}

// ProbeSize is what the disk probe writes: one file system block.
const ProbeSize = 4096

// probeDisk rewrites the small file at path and syncs it, for readiness.
// A write transaction alone does not show a full disk: in WAL mode a commit
// appends to the WAL, and after a checkpoint the WAL is written again from
// its start, into blocks it already has, so small writes go on succeeding
// on a full disk until the WAL must grow or a checkpoint must extend the
// database, and then intakes fail (BEGIN IMMEDIATE and a rollback write
// nothing at all). Truncating the probe frees its block, and writing it
// again with fsync (delayed allocation reports ENOSPC only then) needs a
// fresh one, so the probe fails as soon as the file system has none.
func probeDisk(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("disk probe: %w: %w", huying.ErrUnavailable, err)
	}
	_, werr := f.Write(make([]byte, ProbeSize))
	var serr error
	if werr == nil {
		serr = f.Sync()
	}
	if err := errors.Join(werr, serr, f.Close()); err != nil {
		return fmt.Errorf("disk probe: %w: %w", huying.ErrUnavailable, err)
	}
	return nil
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

// unavailable reports whether err says the database file cannot be
// written or read: the disk is full (SQLITE_FULL), an I/O error
// (SQLITE_IOERR_*), the file cannot be opened or is read-only (a disk
// remounted read-only after errors), or the lock was held past busy_timeout.
func unavailable(err error) bool {
	e, ok := errors.AsType[*sqlite.Error](err)
	if !ok {
		return false
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_BUSY:
		return true
	}
	return false
}

// constraintName extracts "table.column" from a SQLite constraint message.
func constraintName(msg string) string {
	if _, after, ok := strings.Cut(msg, "failed: "); ok {
		return strings.TrimSuffix(after, ")")
	}
	return msg
}
