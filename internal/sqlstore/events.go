package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"huying"
)

const eventColumns = `id, chain, seq, appeal_id, kind, actor_id, actor, unit_id, from_status, to_status, note, data, at, prev_hash, hash`

func scanEvent(s scanner) (*huying.Event, error) {
	var e huying.Event
	var from, to string
	var appeal sql.NullInt64
	var at time.Time
	if err := s.Scan(&e.ID, &e.Chain, &e.Seq, &appeal, &e.Kind, &e.ActorID, &e.Actor, &e.UnitID, &from, &to,
		&e.Note, &e.Data, &at, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.AppealID, e.FromStatus, e.ToStatus, e.At = appeal.Int64, huying.Status(from), huying.Status(to), at.UTC()
	return &e, nil
}

// AppealEvents returns one appeal's chain in order.
func (db *DB) AppealEvents(ctx context.Context, appealID int64) ([]*huying.Event, error) {
	rows, err := db.reader(ctx).query(`SELECT `+eventColumns+` FROM events WHERE chain = ? ORDER BY seq`,
		huying.AppealChain(appealID))
	if err != nil {
		return nil, db.err("事件", err)
	}
	defer rows.Close()
	list := []*huying.Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, db.err("事件", err)
		}
		list = append(list, e)
	}
	return list, db.err("事件", rows.Err())
}

// WalkEvents streams every event ordered by chain and seq.
func (db *DB) WalkEvents(ctx context.Context, fn func(*huying.Event) error) error {
	rows, err := db.R.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY chain, seq`)
	if err != nil {
		return db.err("事件", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return db.err("事件", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return db.err("事件", rows.Err())
}
