// Package sqlstore is the SQL both database adapters share: one
// implementation of huying.Store over database/sql, written with "?"
// placeholders and parameterised by a Dialect for the few places where
// SQLite and PostgreSQL differ (placeholders, row locks, error codes,
// batches). It holds only SQL that both databases run; a statement only
// one of them runs is its adapter's, reached through the Dialect. The
// sqlite and postgres packages own the connections and migrations;
// keeping the queries here once is why this package exists.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"

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
	// SkipLocked is appended to the sweeper's SELECT of due rows ("FOR
	// UPDATE SKIP LOCKED" on PostgreSQL), so that several nodes never take
	// the same row.
	SkipLocked string
	// LockChains serialises appends to event chains inside tx. SQLite
	// needs nothing: its write transactions are already serial.
	LockChains func(ctx context.Context, tx *sql.Tx, chains []string) error
	// Cast returns the cast that types a placeholder in a VALUES list
	// ("::timestamptz" on PostgreSQL, "" on SQLite, which needs none).
	Cast func(sqlType string) string
	// BeijingDate is the SQL of the Asia/Shanghai date ("YYYY-MM-DD") of a
	// UTC time column.
	BeijingDate func(col string) string
	// ByteOrder is appended to ORDER BY a text column to sort it by bytes,
	// as Go compares strings (` COLLATE "C"` on PostgreSQL, whose default
	// collation may follow a locale; SQLite's BINARY already does).
	ByteOrder string
	// Snapshot is the isolation level of the audit's read transaction
	// (REPEATABLE READ on PostgreSQL, so that its queries see one snapshot).
	Snapshot sql.IsolationLevel
	// Batch, if set, is the dialect's own statements for many rows at once
	// (PostgreSQL binds one array per column). Without it the shared
	// statements of batch.go bind VALUES and IN lists, in chunks.
	Batch Batcher
	// GroupCommit runs concurrent Updates in one transaction on a single
	// writer goroutine (see group.go); for SQLite's one writer connection.
	GroupCommit bool
	// FormatError turns driver errors (unique or foreign key violations)
	// into *huying.Error; other errors are returned unchanged.
	FormatError func(err error) error
	// Search is the index of the appeals' text (see search.go).
	Search TextIndex
	// Unavailable reports whether a driver error says the database cannot
	// be reached or written (PostgreSQL down, disk full, I/O error); such
	// errors become huying.ErrUnavailable, and the user is told to retry.
	Unavailable func(err error) bool
}

// DB is a huying.Store over a writer pool and a reader pool (the same pool
// on PostgreSQL; one connection for writes on SQLite).
type DB struct {
	W, R    *sql.DB
	Dialect Dialect

	// stmts caches prepared statements per pool and query text: parsing
	// the SQL was a fifth of the intake path's CPU on SQLite.
	mu     sync.Mutex
	stmts  map[*sql.DB]map[string]*sql.Stmt
	wanted map[string]bool // writer queries to prepare after the current transaction

	group *groupWriter // nil without Dialect.GroupCommit

	// Probe, if set, is a further readiness check of Ping (SQLite's disk
	// probe); it returns an error wrapping huying.ErrUnavailable.
	Probe func(ctx context.Context) error

	keyMu sync.Mutex
	key   []byte // the phone index key, once read (see phoneKey)

	// Trace, if set before use, is called with every statement the store
	// runs (tests count the statements of a command with it).
	Trace func(query string)
}

// maxStmts bounds the cache; list queries built from filters vary.
const maxStmts = 256

// cached returns the prepared statement of query on pool. On a miss it
// returns nil and the query runs as text. Outside a transaction the
// statement is prepared now; inside one it is only noted, because the
// transaction holds the writer (SQLite has one connection, PostgreSQL's
// pool may be exhausted) and preparing could wait for itself. Update
// prepares the noted queries after the commit.
func (db *DB) cached(ctx context.Context, pool *sql.DB, query string, inTx bool) *sql.Stmt {
	db.mu.Lock()
	st := db.stmts[pool][query]
	full := len(db.stmts[pool]) >= maxStmts
	if st == nil && !full && inTx {
		db.wanted[query] = true
	}
	db.mu.Unlock()
	if st != nil || full || inTx {
		return st
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	return db.remember(pool, query, st)
}

// remember caches st and returns the statement to use: st, or the one
// another goroutine cached first (st is then closed, so it must not be used).
func (db *DB) remember(pool *sql.DB, query string, st *sql.Stmt) *sql.Stmt {
	db.mu.Lock()
	defer db.mu.Unlock()
	if old := db.stmts[pool][query]; old != nil {
		st.Close()
		return old
	}
	if db.stmts[pool] == nil {
		db.stmts[pool] = map[string]*sql.Stmt{}
	}
	db.stmts[pool][query] = st
	return st
}

// prepareWanted prepares the writer's queries noted during transactions.
func (db *DB) prepareWanted(ctx context.Context) {
	db.mu.Lock()
	wanted := db.wanted
	if len(wanted) > 0 {
		db.wanted = map[string]bool{}
	}
	db.mu.Unlock()
	for q := range wanted {
		if st, err := db.W.PrepareContext(ctx, q); err == nil {
			db.remember(db.W, q, st)
		}
	}
}

// runner runs statements either on the reader pool or inside a write
// transaction, rebinding placeholders and using prepared statements.
type runner struct {
	db  *DB
	tx  *sql.Tx // nil: the reader pool
	ctx context.Context
}

func (db *DB) reader(ctx context.Context) runner { return runner{db: db, ctx: ctx} }

func (r runner) stmt(query string) (*sql.Stmt, string) {
	if r.db.Trace != nil {
		r.db.Trace(query)
	}
	query = r.db.q(query)
	pool := r.db.R
	if r.tx != nil {
		pool = r.db.W
	}
	st := r.db.cached(r.ctx, pool, query, r.tx != nil)
	if st != nil && r.tx != nil {
		st = r.tx.StmtContext(r.ctx, st)
	}
	return st, query
}

func (r runner) query(query string, args ...any) (*sql.Rows, error) {
	if st, q := r.stmt(query); st != nil {
		return st.QueryContext(r.ctx, args...)
	} else if r.tx != nil {
		return r.tx.QueryContext(r.ctx, q, args...)
	} else {
		return r.db.R.QueryContext(r.ctx, q, args...)
	}
}

func (r runner) queryRow(query string, args ...any) *sql.Row {
	if st, q := r.stmt(query); st != nil {
		return st.QueryRowContext(r.ctx, args...)
	} else if r.tx != nil {
		return r.tx.QueryRowContext(r.ctx, q, args...)
	} else {
		return r.db.R.QueryRowContext(r.ctx, q, args...)
	}
}

func (r runner) exec(query string, args ...any) (sql.Result, error) {
	if st, q := r.stmt(query); st != nil {
		return st.ExecContext(r.ctx, args...)
	} else {
		return r.tx.ExecContext(r.ctx, q, args...)
	}
}

var _ huying.Store = (*DB)(nil)

// New returns a store on the given pools.
func New(w, r *sql.DB, d Dialect) *DB {
	db := &DB{W: w, R: r, Dialect: d, stmts: map[*sql.DB]map[string]*sql.Stmt{}, wanted: map[string]bool{}}
	if d.GroupCommit {
		db.startGroup()
	}
	return db
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
	if errors.Is(err, huying.ErrUnavailable) {
		return err // keeps the driver's cause for the log
	}
	if e, ok := errors.AsType[*huying.Error](err); ok {
		return e
	}
	if db.unavailable(err) {
		return fmt.Errorf("%s: %w: %w", op, huying.ErrUnavailable, err)
	}
	if fe := db.Dialect.FormatError(err); fe != err {
		return fe
	}
	return fmt.Errorf("%s: %w", op, err)
}

// unavailable reports whether err says the database is out of reach: the
// pool is closed, the connection broke or timed out, or the dialect says so.
// A query that merely outlives the caller's deadline counts too: it is the
// database that does not answer.
func (db *DB) unavailable(err error) bool {
	var ne net.Error
	switch {
	case errors.Is(err, sql.ErrConnDone), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &ne):
		return true
	case db.Dialect.Unavailable != nil && db.Dialect.Unavailable(err):
		return true
	}
	// database/sql does not export the error of a closed pool.
	return strings.Contains(err.Error(), "sql: database is closed")
}

// cas checks that a compare-and-set UPDATE changed exactly want rows: any
// fewer means another transaction changed them first (ECONFLICT with the
// message conflict).
func (db *DB) cas(res sql.Result, err error, want int, op, conflict string) error {
	if err != nil {
		return db.err(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return db.err(op, err)
	}
	if int(n) != want {
		return huying.Errorf(huying.ECONFLICT, "%s", conflict)
	}
	return nil
}

// Ping checks that the database answers reads and takes a write, for
// /readyz: a reachable database that cannot write (a full disk, a
// read-only standby) is not ready. The write bumps the "readyz" counter in
// an ordinary Update (on SQLite through the group writer, so that a stuck
// writer shows too); then Probe, if set, runs.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.R.PingContext(ctx); err != nil {
		return db.err("数据库", err)
	}
	err := db.Update(ctx, func(tx huying.Tx) error {
		_, err := tx.NextSeq("readyz")
		return err
	})
	if err != nil {
		return err
	}
	if db.Probe != nil {
		return db.Probe(ctx)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.stop()
	}
	db.mu.Lock()
	for _, m := range db.stmts {
		for _, st := range m {
			st.Close()
		}
	}
	db.stmts = nil
	db.mu.Unlock()
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

// Update runs fn in one write transaction.
func (db *DB) Update(ctx context.Context, fn func(huying.Tx) error) error {
	if db.group != nil {
		return db.group.enqueue(ctx, fn)
	}
	sqltx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return db.err("开始事务", err)
	}
	tx := &Tx{runner: runner{db: db, tx: sqltx, ctx: ctx}}
	err = fn(tx)
	if err != nil {
		_ = sqltx.Rollback()
	} else if err = sqltx.Commit(); err != nil {
		err = db.err("提交", err)
	}
	db.prepareWanted(ctx)
	return err
}

// statusSet is the SQL list "('a','b')" of statuses, built from the
// root package's constants (never from input), so that a set in a query
// cannot drift from the lifecycle's.
func statusSet(list ...huying.Status) string {
	quoted := make([]string, len(list))
	for i, s := range list {
		quoted[i] = "'" + string(s) + "'"
	}
	return "(" + strings.Join(quoted, ", ") + ")"
}

// Tx is a write transaction.
type Tx struct {
	runner
	// states are the AppealState of the appeals this transaction wrote,
	// until an event of the appeal's chain records them on its head.
	states map[int64]string
	// read are the appeals as this transaction last read (and locked) or
	// wrote them, so that UpdateAppeal writes only what changed.
	read map[int64]rowSnapshot
}

var _ huying.Tx = (*Tx)(nil)

// NextSeq increments and returns a named counter.
func (t *Tx) NextSeq(name string) (int64, error) {
	var v int64
	err := t.queryRow(`INSERT INTO counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&v)
	return v, t.db.err("计数器", err)
}
