package sqlstore

import (
	"database/sql"
	"strings"
	"time"

	"huying"
)

// Batched writes for the sweeper, which changes thousands of rows per tick:
// one statement per chunk instead of one per row. Every table is written
// through these, so single-row writes share the code.
//
// The statements here bind VALUES lists and IN lists, which both databases
// run (multi-row VALUES, UPDATE … FROM, INSERT … ON CONFLICT and RETURNING
// are in SQLite since 3.35 and in PostgreSQL), so SQLite's batches are the
// shared ones and PostgreSQL could run them too (storetest's Batches does).
// A dialect with a Batcher sends each batch as one statement of its own
// instead.

// maxParams keeps a statement under SQLite's 32766 and PostgreSQL's 65535
// bound parameters. storetest's Batches crosses the chunks this makes
// (maxParams/columns rows); keep its sizes in step.
const maxParams = 30000

// Batcher is a dialect's own statements for many rows at once, for a
// database that binds a whole batch in a few parameters (PostgreSQL: one
// array per column). Each method returns one statement, with "?"
// placeholders, and its arguments; the batch is not chunked.
type Batcher interface {
	// InIDs is the condition that col is one of the ids bound, as one
	// []int64, to its one placeholder.
	InIDs(col string) string
	// UpdateDeadlines writes state, warn_at, due_at, original_due_at,
	// next_at, escalations and done_at of each deadline whose stored state
	// and escalations are still From and Escalations: one row affected per
	// such deadline.
	UpdateDeadlines(us []huying.DeadlineUpdate) (string, []any)
	// InsertEvents inserts events linked by AppendEvents (At already UTC),
	// RETURNING id, chain, seq.
	InsertEvents(events []*huying.Event) (string, []any)
	// InsertNotices inserts into outbox, skipping any notice that conflicts
	// on (event_id, channel, recipient).
	InsertNotices(ns []*huying.Notice) (string, []any)
	// WriteHeads inserts or moves chain_heads rows; a head with no State
	// keeps the state stored.
	WriteHeads(heads []huying.ChainHead) (string, []any)
}

// chunks splits n rows of cols parameters each into [from, to) ranges.
func chunks(n, cols int) [][2]int {
	size := max(maxParams/cols, 1)
	var out [][2]int
	for i := 0; i < n; i += size {
		out = append(out, [2]int{i, min(i+size, n)})
	}
	return out
}

// placeholders returns "?,?,…" for n parameters.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// values returns "(?,?,…),(?,?,…)" for rows rows of the given placeholders.
func values(rows int, placeholders string) string {
	return strings.TrimSuffix(strings.Repeat("("+placeholders+"),", rows), ",")
}

// MergedInto reads the appeals merged into target, oldest first.
func (t *Tx) MergedInto(target int64) ([]*huying.Appeal, error) {
	return t.appealsIn(`SELECT id FROM appeals WHERE merged_into = ? ORDER BY id`, target)
}

// appealsIn reads the appeals whose ids query selects, in its order.
func (t *Tx) appealsIn(query string, arg int64) ([]*huying.Appeal, error) {
	ids, err := int64s(t.runner, query, arg)
	if err != nil {
		return nil, t.db.err("诉求", err)
	}
	byID, err := t.AppealsByID(ids)
	if err != nil {
		return nil, err
	}
	out := make([]*huying.Appeal, 0, len(ids))
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out, nil
}

// AppealsByID reads several appeals with their assignments inside the
// transaction (no attachments: the sweeper does not need them).
func (t *Tx) AppealsByID(ids []int64) (map[int64]*huying.Appeal, error) {
	out := make(map[int64]*huying.Appeal, len(ids))
	size := maxParams
	if t.db.Dialect.Batch != nil {
		size = max(len(ids), 1) // the dialect's own condition, not chunked
	}
	for i := 0; i < len(ids); i += size {
		chunk := ids[i:min(i+size, len(ids))]
		rows, err := t.query(`SELECT `+appealColumns+` FROM appeals WHERE `+t.idsCond("id", chunk), t.idsArgs(chunk)...)
		if err != nil {
			return nil, t.db.err("诉求", err)
		}
		for rows.Next() {
			a, err := scanAppeal(rows)
			if err != nil {
				rows.Close()
				return nil, t.db.err("诉求", err)
			}
			out[a.ID] = a
		}
		if err := rows.Close(); err != nil {
			return nil, t.db.err("诉求", err)
		}
		rows, err = t.query(`SELECT appeal_id, unit_id, role FROM assignments WHERE `+t.idsCond("appeal_id", chunk)+
			` ORDER BY appeal_id, position`, t.idsArgs(chunk)...)
		if err != nil {
			return nil, t.db.err("派单", err)
		}
		if err := scanAssignments(rows, out); err != nil {
			return nil, t.db.err("派单", err)
		}
	}
	return out, nil
}

// idsCond is "col IN (?,…)", or the dialect's own condition.
func (r runner) idsCond(col string, ids []int64) string {
	if b := r.db.Dialect.Batch; b != nil {
		return b.InIDs(col)
	}
	return col + " IN (" + placeholders(len(ids)) + ")"
}

// idsArgs are the arguments of idsCond.
func (r runner) idsArgs(ids []int64) []any {
	if r.db.Dialect.Batch != nil {
		return []any{ids}
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// scanAssignments adds the rows (appeal_id, unit_id, role) to their appeals and closes rows.
func scanAssignments(rows *sql.Rows, byID map[int64]*huying.Appeal) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var as huying.Assignment
		if err := rows.Scan(&id, &as.UnitID, &as.Role); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			a.Assignments = append(a.Assignments, as)
		}
	}
	return rows.Err()
}

// AppendEvents links events to the ends of their chains, in order (several
// may share a chain), and inserts them.
func (t *Tx) AppendEvents(events []*huying.Event) error {
	if len(events) == 0 {
		return nil
	}
	var chains []string
	seen := map[string]bool{}
	for _, e := range events {
		if !seen[e.Chain] {
			seen[e.Chain] = true
			chains = append(chains, e.Chain)
		}
	}
	if lock := t.db.Dialect.LockChains; lock != nil {
		if err := lock(t.ctx, t.tx, chains); err != nil {
			return t.db.err("事件链", err)
		}
	}
	type head struct {
		seq  int64
		hash string
	}
	heads := map[string]head{}
	var lookup []any
	looked := map[string]bool{}
	for _, e := range events {
		// Seq 1 from the caller means "the first event of a new chain" (an
		// intake): there is no head to read, and UNIQUE (chain, seq) still
		// refuses a second first event.
		if e.Seq != 1 && !looked[e.Chain] {
			looked[e.Chain] = true
			lookup = append(lookup, e.Chain)
		}
	}
	// The head, not the last event found, is what a new event links to:
	// after someone deletes a chain's last event the next one still names
	// it, and the gap shows.
	for _, c := range chunks(len(lookup), 1) {
		in := strings.TrimSuffix(strings.Repeat("?,", c[1]-c[0]), ",")
		rows, err := t.query(`SELECT chain, seq, hash FROM chain_heads WHERE chain IN (`+in+`)`, lookup[c[0]:c[1]]...)
		if err != nil {
			return t.db.err("事件链", err)
		}
		for rows.Next() {
			var ch string
			var h head
			if err := rows.Scan(&ch, &h.seq, &h.hash); err != nil {
				rows.Close()
				return t.db.err("事件链", err)
			}
			heads[ch] = h
		}
		if err := rows.Close(); err != nil {
			return t.db.err("事件链", err)
		}
	}
	for _, e := range events {
		h := heads[e.Chain]
		e.Seq, e.PrevHash = h.seq+1, h.hash
		e.At = e.At.UTC().Truncate(time.Microsecond)
		e.Hash = e.ComputeHash()
		heads[e.Chain] = head{e.Seq, e.Hash}
	}
	if err := t.insertEvents(events); err != nil {
		return err
	}
	// The heads move, each with the state of its appeal if this
	// transaction wrote the appeal before the event (see noteState).
	moved := make([]huying.ChainHead, len(chains))
	at := make(map[string]int, len(chains))
	for i, ch := range chains {
		moved[i], at[ch] = huying.ChainHead{Chain: ch, Seq: heads[ch].seq, Hash: heads[ch].hash}, i
	}
	for _, e := range events {
		if st, ok := t.states[e.AppealID]; ok && e.AppealID != 0 && e.Chain == huying.AppealChain(e.AppealID) {
			moved[at[e.Chain]].State = st
			delete(t.states, e.AppealID)
		}
	}
	return t.writeHeads(moved)
}

// insertEvents inserts linked events and sets their ids.
func (t *Tx) insertEvents(events []*huying.Event) error {
	if b := t.db.Dialect.Batch; b != nil {
		q, args := b.InsertEvents(events)
		rows, err := t.query(q, args...)
		if err != nil {
			return t.db.err("写入事件", err)
		}
		return t.scanEventIDs(rows, events)
	}
	const cols = 14
	for _, c := range chunks(len(events), cols) {
		batch := events[c[0]:c[1]]
		args := make([]any, 0, len(batch)*cols)
		for _, e := range batch {
			var appeal any
			if e.AppealID != 0 {
				appeal = e.AppealID
			}
			args = append(args, e.Chain, e.Seq, appeal, e.Kind, e.ActorID, e.Actor, e.UnitID, string(e.FromStatus),
				string(e.ToStatus), e.Note, e.Data, e.At, e.PrevHash, e.Hash)
		}
		rows, err := t.query(`INSERT INTO events (chain, seq, appeal_id, kind, actor_id, actor, unit_id, from_status,
			to_status, note, data, at, prev_hash, hash) VALUES `+values(len(batch), "?,?,?,?,?,?,?,?,?,?,?,?,?,?")+
			` RETURNING id, chain, seq`, args...)
		if err != nil {
			return t.db.err("写入事件", err)
		}
		if err := t.scanEventIDs(rows, batch); err != nil {
			return err
		}
	}
	return nil
}

// scanEventIDs sets the ids an INSERT … RETURNING id, chain, seq gave,
// matched by (chain, seq): neither database promises the rows' order.
func (t *Tx) scanEventIDs(rows *sql.Rows, events []*huying.Event) error {
	type key struct {
		chain string
		seq   int64
	}
	ids := map[key]int64{}
	for rows.Next() {
		var id int64
		var k key
		if err := rows.Scan(&id, &k.chain, &k.seq); err != nil {
			rows.Close()
			return t.db.err("写入事件", err)
		}
		ids[k] = id
	}
	if err := rows.Close(); err != nil {
		return t.db.err("写入事件", err)
	}
	for _, e := range events {
		e.ID = ids[key{e.Chain, e.Seq}]
	}
	return nil
}

// AppendEvent links one event to the end of its chain and inserts it.
func (t *Tx) AppendEvent(e *huying.Event) error { return t.AppendEvents([]*huying.Event{e}) }

// EnqueueNotices adds notices, skipping any an event already has for the
// same channel and recipient.
func (t *Tx) EnqueueNotices(ns []*huying.Notice) error {
	if len(ns) == 0 {
		return nil
	}
	if b := t.db.Dialect.Batch; b != nil {
		q, args := b.InsertNotices(ns)
		_, err := t.exec(q, args...)
		return t.db.err("通知", err)
	}
	const cols = 10
	for _, c := range chunks(len(ns), cols) {
		batch := ns[c[0]:c[1]]
		args := make([]any, 0, len(batch)*cols)
		for _, n := range batch {
			args = append(args, n.EventID, n.Channel, n.Recipient, n.Template, n.Payload, n.Attempts, timeArg(n.NextAt),
				timeArg(n.SentAt), n.LastError, n.CreatedAt.UTC())
		}
		_, err := t.exec(`INSERT INTO outbox (event_id, channel, recipient, template, payload, attempts, next_at,
			sent_at, last_error, created_at) VALUES `+values(len(batch), "?,?,?,?,?,?,?,?,?,?")+`
			ON CONFLICT (event_id, channel, recipient) DO NOTHING`, args...)
		if err != nil {
			return t.db.err("通知", err)
		}
	}
	return nil
}

// EnqueueNotice adds one notice.
func (t *Tx) EnqueueNotice(n *huying.Notice) error { return t.EnqueueNotices([]*huying.Notice{n}) }

// UpdateDeadlines writes deadlines, each if its stored state and
// escalation count are still the ones given (compare and set); if any
// changed meanwhile it returns ECONFLICT and the caller's transaction
// must not commit.
func (t *Tx) UpdateDeadlines(us []huying.DeadlineUpdate) error {
	if len(us) == 0 {
		return nil
	}
	if b := t.db.Dialect.Batch; b != nil {
		q, args := b.UpdateDeadlines(us)
		res, err := t.exec(q, args...)
		return t.db.cas(res, err, len(us), "时限", "时限已被更新")
	}
	const cols = 10
	c := t.db.Dialect.Cast
	ph := "?" + c("bigint") + ",?" + c("text") + ",?" + c("timestamptz") + ",?" + c("timestamptz") + ",?" + c("timestamptz") +
		",?" + c("timestamptz") + ",?" + c("integer") + ",?" + c("timestamptz") + ",?" + c("text") + ",?" + c("integer")
	for _, ch := range chunks(len(us), cols) {
		batch := us[ch[0]:ch[1]]
		args := make([]any, 0, len(batch)*cols)
		for _, u := range batch {
			d := u.Deadline
			args = append(args, d.ID, string(d.State), d.WarnAt.UTC(), d.DueAt.UTC(), timeArg(d.OriginalDueAt),
				timeArg(d.NextAt), d.Escalations, timeArg(d.DoneAt), string(u.From), u.Escalations)
		}
		res, err := t.exec(`WITH v (id, state, warn_at, due_at, original_due_at, next_at, escalations, done_at, from_state, from_escalations)
			AS (VALUES `+values(len(batch), ph)+`)
			UPDATE deadlines SET state = v.state, warn_at = v.warn_at, due_at = v.due_at, original_due_at = v.original_due_at,
			next_at = v.next_at, escalations = v.escalations, done_at = v.done_at FROM v
			WHERE deadlines.id = v.id AND deadlines.state = v.from_state AND deadlines.escalations = v.from_escalations`, args...)
		if err := t.db.cas(res, err, len(batch), "时限", "时限已被更新"); err != nil {
			return err
		}
	}
	return nil
}

// UpdateDeadline is UpdateDeadlines for one row.
func (t *Tx) UpdateDeadline(d *huying.Deadline, from huying.DeadlineState, escalations int) error {
	return t.UpdateDeadlines([]huying.DeadlineUpdate{{Deadline: d, From: from, Escalations: escalations}})
}
