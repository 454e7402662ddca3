package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"huying"
)

const deadlineColumns = `d.id, d.appeal_id, d.stage, d.unit_id, d.state, d.start_at, d.warn_at, d.due_at,
	d.original_due_at, d.next_at, d.escalations, d.done_at`

func scanDeadline(s scanner, extra ...any) (*huying.Deadline, error) {
	var d huying.Deadline
	var state string
	var original, next, done sql.NullTime
	dest := append([]any{&d.ID, &d.AppealID, &d.Stage, &d.UnitID, &state, &d.StartAt, &d.WarnAt, &d.DueAt,
		&original, &next, &d.Escalations, &done}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	d.State = huying.DeadlineState(state)
	d.StartAt, d.WarnAt, d.DueAt = d.StartAt.UTC(), d.WarnAt.UTC(), d.DueAt.UTC()
	d.OriginalDueAt, d.NextAt, d.DoneAt = nullTime(original), nullTime(next), nullTime(done)
	return &d, nil
}

func (r runner) deadlines(query string, withAppeal bool, args ...any) ([]*huying.Deadline, error) {
	rows, err := r.query(query, args...)
	if err != nil {
		return nil, r.db.err("时限", err)
	}
	defer rows.Close()
	list := []*huying.Deadline{}
	for rows.Next() {
		var d *huying.Deadline
		var code, title string
		if withAppeal {
			d, err = scanDeadline(rows, &code, &title)
			if d != nil {
				d.AppealCode, d.AppealTitle = code, title
			}
		} else {
			d, err = scanDeadline(rows)
		}
		if err != nil {
			return nil, r.db.err("时限", err)
		}
		list = append(list, d)
	}
	return list, r.db.err("时限", rows.Err())
}

// AppealDeadlines returns every deadline of an appeal.
func (db *DB) AppealDeadlines(ctx context.Context, appealID int64) ([]*huying.Deadline, error) {
	return db.reader(ctx).deadlines(`SELECT `+deadlineColumns+` FROM deadlines d WHERE d.appeal_id = ? ORDER BY d.id`, false, appealID)
}

// Deadlines returns not-done deadlines matching f, earliest due first.
func (db *DB) Deadlines(ctx context.Context, f huying.DeadlineFilter) ([]*huying.Deadline, error) {
	where := []string{"d.state <> 'done'"}
	var args []any
	if len(f.States) > 0 {
		where = append(where, "d.state IN ("+strings.Repeat("?,", len(f.States)-1)+"?)")
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if f.UnitID != "" {
		where = append(where, "d.unit_id = ?")
		args = append(args, f.UnitID)
	}
	if f.Stage != "" {
		where = append(where, "d.stage = ?")
		args = append(args, f.Stage)
	}
	if f.HideConfidential {
		where = append(where, "NOT a.confidential")
	}
	r := db.reader(ctx)
	if len(f.AppealIDs) > 0 {
		where = append(where, r.idsCond("d.appeal_id", f.AppealIDs))
		args = append(args, r.idsArgs(f.AppealIDs)...)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	return r.deadlines(`SELECT `+deadlineColumns+`, a.code, a.title FROM deadlines d
		JOIN appeals a ON a.id = d.appeal_id WHERE `+strings.Join(where, " AND ")+` ORDER BY d.due_at LIMIT ?`,
		true, append(args, limit)...)
}

// DeadlineCounts counts not-done deadlines by unit, stage and state.
func (db *DB) DeadlineCounts(ctx context.Context) ([]huying.DeadlineCount, error) {
	rows, err := db.reader(ctx).query(`SELECT unit_id, stage, state, COUNT(*) FROM deadlines
		WHERE state <> 'done' GROUP BY unit_id, stage, state ORDER BY unit_id, stage, state`)
	if err != nil {
		return nil, db.err("时限统计", err)
	}
	defer rows.Close()
	list := []huying.DeadlineCount{}
	for rows.Next() {
		var c huying.DeadlineCount
		var state string
		if err := rows.Scan(&c.UnitID, &c.Stage, &state, &c.Count); err != nil {
			return nil, db.err("时限统计", err)
		}
		c.State = huying.DeadlineState(state)
		list = append(list, c)
	}
	return list, db.err("时限统计", rows.Err())
}

// OpenDeadlines returns an appeal's deadlines that are not done.
func (t *Tx) OpenDeadlines(appealID int64) ([]*huying.Deadline, error) {
	return t.deadlines(`SELECT `+deadlineColumns+` FROM deadlines d WHERE d.appeal_id = ? AND d.state <> 'done' ORDER BY d.id`, false, appealID)
}

// CreateDeadline inserts a deadline.
func (t *Tx) CreateDeadline(d *huying.Deadline) error {
	err := t.queryRow(`INSERT INTO deadlines (appeal_id, stage, unit_id, state, start_at, warn_at, due_at,
		original_due_at, next_at, escalations, done_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		d.AppealID, d.Stage, d.UnitID, string(d.State), d.StartAt.UTC(), d.WarnAt.UTC(), d.DueAt.UTC(),
		timeArg(d.OriginalDueAt), timeArg(d.NextAt), d.Escalations, timeArg(d.DoneAt)).Scan(&d.ID)
	return t.db.err("时限", err)
}

// DueDeadlines returns deadlines whose next_at has come, skipping rows
// another node's sweep has locked.
func (t *Tx) DueDeadlines(now time.Time, limit int) ([]*huying.Deadline, error) {
	return t.deadlines(`SELECT `+deadlineColumns+` FROM deadlines d WHERE d.next_at IS NOT NULL AND d.next_at <= ?
		ORDER BY d.next_at LIMIT ? `+t.db.Dialect.SkipLocked, false, now.UTC(), limit)
}
