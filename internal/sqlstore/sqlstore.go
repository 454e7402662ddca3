// Package sqlstore is the SQL both database adapters share: one
// implementation of huying.Store over database/sql, written with "?"
// placeholders and parameterised by a Dialect for the few places where
// SQLite and PostgreSQL differ (placeholders, row locks, error codes).
// The sqlite and postgres packages own the connections and migrations;
// keeping the queries here once is why this package exists.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"huying"
)

// Dialect is what differs between databases.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Numbered rewrites "?" placeholders as $1, $2, ….
	Numbered bool
	// ForUpdate is appended to SELECTs that read a row the transaction will
	// change ("FOR UPDATE" on PostgreSQL; SQLite locks the whole database).
	ForUpdate string
	// LockChain serialises appends to one event chain inside tx. SQLite
	// needs nothing: its write transactions are already serial.
	LockChain func(ctx context.Context, tx *sql.Tx, chain string) error
	// FormatError turns driver errors (unique or foreign key violations)
	// into *huying.Error; other errors are returned unchanged.
	FormatError func(err error) error
}

// DB is a huying.Store over a writer pool and a reader pool (the same pool
// on PostgreSQL; one connection for writes on SQLite).
type DB struct {
	W, R    *sql.DB
	Dialect Dialect
}

var _ huying.Store = (*DB)(nil)

// New returns a store on the given pools.
func New(w, r *sql.DB, d Dialect) *DB {
	return &DB{W: w, R: r, Dialect: d}
}

// q returns query with placeholders in the dialect's form.
func (db *DB) q(query string) string {
	if !db.Dialect.Numbered {
		return query
	}
	return Rebind(query)
}

// Rebind rewrites "?" placeholders as $1, $2, … (no "?" appears in our SQL text otherwise).
func Rebind(query string) string {
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (db *DB) err(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return huying.Errorf(huying.ENOTFOUND, "%s不存在", op)
	}
	if e, ok := errors.AsType[*huying.Error](err); ok {
		return e
	}
	if fe := db.Dialect.FormatError(err); fe != err {
		return fe
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Ping checks both pools.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.W.PingContext(ctx); err != nil {
		return err
	}
	return db.R.PingContext(ctx)
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

// Update runs fn in one write transaction.
func (db *DB) Update(ctx context.Context, fn func(huying.Tx) error) error {
	sqltx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{db: db, tx: sqltx, ctx: ctx}
	if err := fn(tx); err != nil {
		_ = sqltx.Rollback()
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return db.err("提交", err)
	}
	return nil
}

// Tx is a write transaction.
type Tx struct {
	db  *DB
	tx  *sql.Tx
	ctx context.Context
}

var _ huying.Tx = (*Tx)(nil)

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(t.ctx, t.db.q(query), args...)
}

func (t *Tx) queryRow(query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.ctx, t.db.q(query), args...)
}

// NextSeq increments and returns a named counter.
func (t *Tx) NextSeq(name string) (int64, error) {
	var v int64
	err := t.queryRow(`INSERT INTO counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&v)
	return v, t.db.err("计数器", err)
}
