package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"huying"
)

// The audit tables (migration 0014_audit): chain_heads moves with every
// append, audit_checkpoints and audit_checkpoint_heads are the signed
// checkpoints. The audit package reads them through AuditSnapshot.

// noteState remembers the state of an appeal this transaction wrote; the
// next event of its chain records it on the chain's head. A write with no
// event after it in the transaction is thus never vouched for, and the
// verifier reports the row.
func (t *Tx) noteState(a *huying.Appeal) {
	if t.states == nil {
		t.states = map[int64]string{}
	}
	t.states[a.ID] = huying.AppealState(a)
}

// writeHeads moves chain heads (one per chain). A head with no State keeps
// the state it had: the event did not come with a write of its appeal (a
// contact read, a deadline turning red).
func (t *Tx) writeHeads(heads []huying.ChainHead) error {
	const upsert = ` ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,
		state = CASE WHEN excluded.state = '' THEN chain_heads.state ELSE excluded.state END`
	if b := t.db.Dialect.Batch; b != nil {
		q, args := b.WriteHeads(heads)
		_, err := t.exec(q, args...)
		return t.db.err("事件链头", err)
	}
	const cols = 4
	for _, c := range chunks(len(heads), cols) {
		batch := heads[c[0]:c[1]]
		args := make([]any, 0, len(batch)*cols)
		for _, h := range batch {
			args = append(args, h.Chain, h.Seq, h.Hash, h.State)
		}
		if _, err := t.exec(`INSERT INTO chain_heads (chain, seq, hash, state) VALUES `+values(len(batch), "?,?,?,?")+upsert, args...); err != nil {
			return t.db.err("事件链头", err)
		}
	}
	return nil
}

// queryer is a *sql.Tx or *sql.DB.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// appealPage reads up to limit appeals with ids after after, in id order,
// with their assignments: two queries, one after the other, so that it
// works inside one PostgreSQL transaction (a connection runs one query at
// a time).
// later is false for migration 0014's Go step, which reads the columns
// of its time (appealColumns14).
func appealPage(ctx context.Context, q queryer, d Dialect, after int64, limit int, later bool) ([]*huying.Appeal, error) {
	rebind := func(s string) string {
		if d.Numbered {
			return Rebind(s)
		}
		return s
	}
	cols := appealColumns
	if !later {
		cols = appealColumns14
	}
	rows, err := q.QueryContext(ctx, rebind(`SELECT `+cols+` FROM appeals WHERE id > ? ORDER BY id LIMIT ?`), after, limit)
	if err != nil {
		return nil, err
	}
	var page []*huying.Appeal
	byID := map[int64]*huying.Appeal{}
	for rows.Next() {
		a, err := scanAppealOf(rows, later)
		if err != nil {
			rows.Close()
			return nil, err
		}
		page, byID[a.ID] = append(page, a), a
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if len(page) == 0 {
		return nil, nil
	}
	rows, err = q.QueryContext(ctx, rebind(`SELECT appeal_id, unit_id, role FROM assignments
		WHERE appeal_id >= ? AND appeal_id <= ? ORDER BY appeal_id, position`), page[0].ID, page[len(page)-1].ID)
	if err != nil {
		return nil, err
	}
	return page, scanAssignments(rows, byID)
}

// backfillAppealStates is migration 0014_audit's Go step: it records the
// state of every appeal on its chain's head, as the migration found it.
func backfillAppealStates(ctx context.Context, tx *sql.Tx, d Dialect) error {
	var after int64
	for {
		page, err := appealPage(ctx, tx, d, after, 1000, false)
		if err != nil || len(page) == 0 {
			return err
		}
		args := make([]any, 0, 2*len(page))
		for _, a := range page {
			args = append(args, huying.AppealChain(a.ID), huying.AppealState(a))
		}
		ph := "?" + d.Cast("text") + ",?" + d.Cast("text")
		q := `WITH v (chain, state) AS (VALUES ` + values(len(page), ph) + `)
			UPDATE chain_heads SET state = v.state FROM v WHERE chain_heads.chain = v.chain`
		if d.Numbered {
			q = Rebind(q)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		after = page[len(page)-1].ID
	}
}

// AuditSnapshot runs fn on a read-only transaction of the reader pool: one
// snapshot (REPEATABLE READ on PostgreSQL; on SQLite a read transaction in
// WAL mode keeps the snapshot of its first read).
func (db *DB) AuditSnapshot(ctx context.Context, fn func(huying.AuditReader) error) error {
	tx, err := db.R.BeginTx(ctx, &sql.TxOptions{Isolation: db.Dialect.Snapshot, ReadOnly: true})
	if err != nil {
		return db.err("审计快照", err)
	}
	defer tx.Rollback()
	return fn(&auditReader{db: db, tx: tx, ctx: ctx})
}

// auditReader runs its queries as text on the snapshot's transaction (the
// statement cache is for the pools, not this one connection).
type auditReader struct {
	db  *DB
	tx  *sql.Tx
	ctx context.Context
}

var _ huying.AuditReader = (*auditReader)(nil)

func (r *auditReader) query(q string, args ...any) (*sql.Rows, error) {
	return r.tx.QueryContext(r.ctx, r.db.q(q), args...)
}

// withMore scans a row into dest followed by more.
type withMore struct {
	rows *sql.Rows
	more []any
}

func (w withMore) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.more...)...) }

// nullHead is a chain_heads row read through a LEFT JOIN.
type nullHead struct {
	seq         sql.NullInt64
	hash, state sql.NullString
}

func (n *nullHead) dest() []any { return []any{&n.seq, &n.hash, &n.state} }

func (n *nullHead) head(chain string) *huying.ChainHead {
	if !n.seq.Valid {
		return nil
	}
	return &huying.ChainHead{Chain: chain, Seq: n.seq.Int64, Hash: n.hash.String, State: n.state.String}
}

func (r *auditReader) WalkEvents(fn func(*huying.Event, *huying.ChainHead) error) error {
	cols := "e." + strings.ReplaceAll(eventColumns, ", ", ", e.")
	rows, err := r.query(`SELECT ` + cols + `, h.seq, h.hash, h.state FROM events e
		LEFT JOIN chain_heads h ON h.chain = e.chain ORDER BY e.chain, e.seq`)
	if err != nil {
		return r.db.err("事件", err)
	}
	defer rows.Close()
	var nh nullHead
	var head *huying.ChainHead
	for rows.Next() {
		e, err := scanEvent(withMore{rows, nh.dest()})
		if err != nil {
			return r.db.err("事件", err)
		}
		if head == nil || head.Chain != e.Chain {
			head = nh.head(e.Chain)
		}
		if err := fn(e, head); err != nil {
			return err
		}
	}
	return r.db.err("事件", rows.Err())
}

func (r *auditReader) WalkOrphanHeads(fn func(huying.ChainHead) error) error {
	rows, err := r.query(`SELECT chain, seq, hash, state FROM chain_heads h
		WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.chain = h.chain) ORDER BY chain`)
	if err != nil {
		return r.db.err("事件链头", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h huying.ChainHead
		if err := rows.Scan(&h.Chain, &h.Seq, &h.Hash, &h.State); err != nil {
			return r.db.err("事件链头", err)
		}
		if err := fn(h); err != nil {
			return err
		}
	}
	return r.db.err("事件链头", rows.Err())
}

func (r *auditReader) WalkAppeals(fn func(*huying.Appeal) error) error {
	var after int64
	for {
		page, err := appealPage(r.ctx, r.tx, r.db.Dialect, after, 1000, true)
		if err != nil {
			return r.db.err("诉求", err)
		}
		if len(page) == 0 {
			return nil
		}
		for _, a := range page {
			if err := fn(a); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ID
	}
}

const checkpointColumns = `id, at, root, heads, events, mac`

func scanCheckpoint(s scanner) (*huying.Checkpoint, error) {
	var c huying.Checkpoint
	if err := s.Scan(&c.ID, &c.At, &c.Root, &c.Heads, &c.Events, &c.MAC); err != nil {
		return nil, err
	}
	c.At = c.At.UTC()
	return &c, nil
}

func (r *auditReader) LatestCheckpoint() (*huying.Checkpoint, error) {
	rows, err := r.query(`SELECT ` + checkpointColumns + ` FROM audit_checkpoints ORDER BY id DESC LIMIT 1`)
	return r.oneCheckpoint(rows, err)
}

func (r *auditReader) CheckpointByID(id int64) (*huying.Checkpoint, error) {
	rows, err := r.query(`SELECT `+checkpointColumns+` FROM audit_checkpoints WHERE id = ?`, id)
	return r.oneCheckpoint(rows, err)
}

func (r *auditReader) oneCheckpoint(rows *sql.Rows, err error) (*huying.Checkpoint, error) {
	if err != nil {
		return nil, r.db.err("检查点", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, r.db.err("检查点", err)
		}
		return nil, huying.Errorf(huying.ENOTFOUND, "检查点不存在")
	}
	c, err := scanCheckpoint(rows)
	return c, r.db.err("检查点", err)
}

func (r *auditReader) WalkCheckpointHeads(fn func(huying.ChainHead, string, *huying.ChainHead) error) error {
	rows, err := r.query(`SELECT c.chain, c.seq, c.hash, c.state, COALESCE(e.hash, ''), h.seq, h.hash, h.state
		FROM audit_checkpoint_heads c
		LEFT JOIN events e ON e.chain = c.chain AND e.seq = c.seq
		LEFT JOIN chain_heads h ON h.chain = c.chain
		ORDER BY c.chain` + r.db.Dialect.ByteOrder)
	if err != nil {
		return r.db.err("检查点", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c huying.ChainHead
		var eventHash string
		var nh nullHead
		if err := rows.Scan(append([]any{&c.Chain, &c.Seq, &c.Hash, &c.State, &eventHash}, nh.dest()...)...); err != nil {
			return r.db.err("检查点", err)
		}
		if err := fn(c, eventHash, nh.head(c.Chain)); err != nil {
			return err
		}
	}
	return r.db.err("检查点", rows.Err())
}

// WriteCheckpoint records the chain heads as a new checkpoint, in one
// write transaction serialised with other nodes' checkpoints. Only heads
// that moved forward since the last checkpoint are copied into
// audit_checkpoint_heads, and only when the event that checkpoint recorded
// is still there with its hash: a chain rewritten behind the checkpoint
// keeps its signed head, and verify goes on reporting it. The root is then
// computed over all of audit_checkpoint_heads (one read of every head).
func (db *DB) WriteCheckpoint(ctx context.Context, at time.Time, sign func(*huying.Checkpoint) string) (*huying.Checkpoint, error) {
	var c *huying.Checkpoint
	err := db.Update(ctx, func(htx huying.Tx) error {
		t := htx.(*Tx)
		c = &huying.Checkpoint{At: at.UTC().Truncate(time.Microsecond)}
		if lock := t.db.Dialect.LockChains; lock != nil {
			if err := lock(t.ctx, t.tx, []string{"audit checkpoint"}); err != nil {
				return t.db.err("检查点", err)
			}
		}
		if err := t.queryRow(`INSERT INTO audit_checkpoints (at, root, heads, events, mac) VALUES (?, '', 0, 0, '') RETURNING id`,
			c.At).Scan(&c.ID); err != nil {
			return t.db.err("检查点", err)
		}
		if _, err := t.exec(`INSERT INTO audit_checkpoint_heads (chain, seq, hash, state, checkpoint_id)
			SELECT h.chain, h.seq, h.hash, h.state, ?`+t.db.Dialect.Cast("bigint")+` FROM chain_heads h
			LEFT JOIN audit_checkpoint_heads c ON c.chain = h.chain
			WHERE c.chain IS NULL OR (h.seq > c.seq AND EXISTS (
				SELECT 1 FROM events e WHERE e.chain = c.chain AND e.seq = c.seq AND e.hash = c.hash))
			ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, state = excluded.state,
				checkpoint_id = excluded.checkpoint_id`, c.ID); err != nil {
			return t.db.err("检查点", err)
		}
		rows, err := t.query(`SELECT chain, seq, hash, state FROM audit_checkpoint_heads ORDER BY chain` + t.db.Dialect.ByteOrder)
		if err != nil {
			return t.db.err("检查点", err)
		}
		var root huying.RootHasher
		for rows.Next() {
			var h huying.ChainHead
			if err := rows.Scan(&h.Chain, &h.Seq, &h.Hash, &h.State); err != nil {
				rows.Close()
				return t.db.err("检查点", err)
			}
			if err := root.Add(h); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return t.db.err("检查点", err)
		}
		c.Root, c.Heads, c.Events = root.Sum(), root.Heads, root.Events
		c.MAC = sign(c)
		_, err = t.exec(`UPDATE audit_checkpoints SET root = ?, heads = ?, events = ?, mac = ? WHERE id = ?`,
			c.Root, c.Heads, c.Events, c.MAC, c.ID)
		return t.db.err("检查点", err)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
