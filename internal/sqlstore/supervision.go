package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"huying"
)

const flagColumns = `f.id, f.appeal_id, f.title, f.reason, f.supervising_unit, f.due_at, f.public, f.created_by,
	f.created_at, f.closed_at, f.closed_note, a.code`

func (r runner) flags(where string, args ...any) ([]*huying.Flag, error) {
	rows, err := r.query(`SELECT `+flagColumns+` FROM flags f JOIN appeals a ON a.id = f.appeal_id`+where+` ORDER BY f.id DESC`, args...)
	if err != nil {
		return nil, r.db.err("挂牌督办", err)
	}
	list := []*huying.Flag{}
	byID := map[int64]*huying.Flag{}
	for rows.Next() {
		var f huying.Flag
		var closed sql.NullTime
		if err := rows.Scan(&f.ID, &f.AppealID, &f.Title, &f.Reason, &f.SupervisingUnit, &f.DueAt, &f.Public,
			&f.CreatedBy, &f.CreatedAt, &closed, &f.ClosedNote, &f.AppealCode); err != nil {
			rows.Close()
			return nil, r.db.err("挂牌督办", err)
		}
		f.DueAt, f.CreatedAt, f.ClosedAt, f.Progress = f.DueAt.UTC(), f.CreatedAt.UTC(), nullTime(closed), []huying.FlagProgress{}
		list = append(list, &f)
		byID[f.ID] = &f
	}
	if err := rows.Close(); err != nil {
		return nil, r.db.err("挂牌督办", err)
	}
	if len(list) == 0 {
		return list, nil
	}
	ids := make([]any, 0, len(list))
	for _, f := range list {
		ids = append(ids, f.ID)
	}
	rows, err = r.query(`SELECT id, flag_id, note, created_by, author, created_at FROM flag_progress
		WHERE flag_id IN (`+strings.Repeat("?,", len(ids)-1)+`?) ORDER BY id`, ids...)
	if err != nil {
		return nil, r.db.err("督办进展", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p huying.FlagProgress
		if err := rows.Scan(&p.ID, &p.FlagID, &p.Note, &p.CreatedBy, &p.Author, &p.CreatedAt); err != nil {
			return nil, r.db.err("督办进展", err)
		}
		p.CreatedAt = p.CreatedAt.UTC()
		byID[p.FlagID].Progress = append(byID[p.FlagID].Progress, p)
	}
	return list, r.db.err("督办进展", rows.Err())
}

// Flags lists flags.
func (db *DB) Flags(ctx context.Context, f huying.FlagFilter) ([]*huying.Flag, error) {
	var where []string
	var args []any
	if f.AppealID != 0 {
		where, args = append(where, "f.appeal_id = ?"), append(args, f.AppealID)
	}
	if f.OpenOnly {
		where = append(where, "f.closed_at IS NULL")
	}
	if f.PublicOnly {
		where = append(where, "f.public")
	}
	if f.HideConfidential {
		where = append(where, "NOT a.confidential")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	return db.reader(ctx).flags(cond, args...)
}

// CreateFlag inserts a flag.
func (t *Tx) CreateFlag(f *huying.Flag) error {
	err := t.queryRow(`INSERT INTO flags (appeal_id, title, reason, supervising_unit, due_at, public, created_by,
		created_at, closed_at, closed_note) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		f.AppealID, f.Title, f.Reason, f.SupervisingUnit, f.DueAt.UTC(), f.Public, f.CreatedBy, f.CreatedAt.UTC(),
		timeArg(f.ClosedAt), f.ClosedNote).Scan(&f.ID)
	return t.db.err("挂牌督办", err)
}

// Flag reads one flag.
func (t *Tx) Flag(id int64) (*huying.Flag, error) {
	list, err := t.flags(" WHERE f.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, huying.Errorf(huying.ENOTFOUND, "挂牌督办事项不存在")
	}
	return list[0], nil
}

// AddFlagProgress inserts a progress entry.
func (t *Tx) AddFlagProgress(p *huying.FlagProgress) error {
	err := t.queryRow(`INSERT INTO flag_progress (flag_id, note, created_by, author, created_at) VALUES (?,?,?,?,?) RETURNING id`,
		p.FlagID, p.Note, p.CreatedBy, p.Author, p.CreatedAt.UTC()).Scan(&p.ID)
	return t.db.err("督办进展", err)
}

// CloseFlag closes an open flag.
func (t *Tx) CloseFlag(id int64, at time.Time, note string) error {
	return t.casOne(`UPDATE flags SET closed_at = ?, closed_note = ? WHERE id = ? AND closed_at IS NULL`,
		"挂牌督办事项已销号", at.UTC(), note, id)
}

// casOne runs an UPDATE that must change exactly one row, or ECONFLICT.
func (t *Tx) casOne(query, conflict string, args ...any) error {
	res, err := t.exec(query, args...)
	return t.db.cas(res, err, 1, "更新", conflict)
}

func (r runner) whistles(where string, args ...any) ([]*huying.Whistle, error) {
	rows, err := r.query(`SELECT w.id, w.appeal_id, w.unit_id, w.reason, w.created_by, w.created_at, a.code
		FROM whistles w JOIN appeals a ON a.id = w.appeal_id`+where+` ORDER BY w.id DESC`, args...)
	if err != nil {
		return nil, r.db.err("吹哨", err)
	}
	list := []*huying.Whistle{}
	byID := map[int64]*huying.Whistle{}
	for rows.Next() {
		var w huying.Whistle
		if err := rows.Scan(&w.ID, &w.AppealID, &w.UnitID, &w.Reason, &w.CreatedBy, &w.CreatedAt, &w.AppealCode); err != nil {
			rows.Close()
			return nil, r.db.err("吹哨", err)
		}
		w.CreatedAt, w.Calls = w.CreatedAt.UTC(), []huying.WhistleCall{}
		list = append(list, &w)
		byID[w.ID] = &w
	}
	if err := rows.Close(); err != nil || len(list) == 0 {
		return list, r.db.err("吹哨", err)
	}
	ids := make([]any, 0, len(list))
	for _, w := range list {
		ids = append(ids, w.ID)
	}
	rows, err = r.query(`SELECT whistle_id, unit_id, due_at, reported_at, rating, rating_note, rated_at FROM whistle_calls
		WHERE whistle_id IN (`+strings.Repeat("?,", len(ids)-1)+`?) ORDER BY whistle_id, unit_id`, ids...)
	if err != nil {
		return nil, r.db.err("报到", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c huying.WhistleCall
		var reported, rated sql.NullTime
		if err := rows.Scan(&id, &c.UnitID, &c.DueAt, &reported, &c.Rating, &c.RatingNote, &rated); err != nil {
			return nil, r.db.err("报到", err)
		}
		c.DueAt, c.ReportedAt, c.RatedAt = c.DueAt.UTC(), nullTime(reported), nullTime(rated)
		byID[id].Calls = append(byID[id].Calls, c)
	}
	return list, r.db.err("报到", rows.Err())
}

// Whistles lists the whistles of an appeal, or all.
func (db *DB) Whistles(ctx context.Context, appealID int64) ([]*huying.Whistle, error) {
	if appealID == 0 {
		return db.reader(ctx).whistles("")
	}
	return db.reader(ctx).whistles(" WHERE w.appeal_id = ?", appealID)
}

// CreateWhistle inserts a whistle and its calls.
func (t *Tx) CreateWhistle(w *huying.Whistle) error {
	err := t.queryRow(`INSERT INTO whistles (appeal_id, unit_id, reason, created_by, created_at) VALUES (?,?,?,?,?) RETURNING id`,
		w.AppealID, w.UnitID, w.Reason, w.CreatedBy, w.CreatedAt.UTC()).Scan(&w.ID)
	if err != nil {
		return t.db.err("吹哨", err)
	}
	for _, c := range w.Calls {
		if _, err := t.exec(`INSERT INTO whistle_calls (whistle_id, unit_id, due_at, reported_at, rating, rating_note, rated_at)
			VALUES (?,?,?,?,?,?,?)`, w.ID, c.UnitID, c.DueAt.UTC(), nil, 0, "", nil); err != nil {
			return t.db.err("报到", err)
		}
	}
	return nil
}

// Whistle reads one whistle.
func (t *Tx) Whistle(id int64) (*huying.Whistle, error) {
	list, err := t.whistles(" WHERE w.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, huying.Errorf(huying.ENOTFOUND, "吹哨记录不存在")
	}
	return list[0], nil
}

// ReportIn records a summoned unit's report.
func (t *Tx) ReportIn(whistleID int64, unitID string, at time.Time) error {
	return t.casOne(`UPDATE whistle_calls SET reported_at = ? WHERE whistle_id = ? AND unit_id = ? AND reported_at IS NULL`,
		"该单位已经报到", at.UTC(), whistleID, unitID)
}

// RateCall records a rating once.
func (t *Tx) RateCall(whistleID int64, unitID string, rating int, note string, at time.Time) error {
	return t.casOne(`UPDATE whistle_calls SET rating = ?, rating_note = ?, rated_at = ? WHERE whistle_id = ? AND unit_id = ? AND rated_at IS NULL`,
		"该单位已经评价过", rating, note, at.UTC(), whistleID, unitID)
}

// WhistleStats returns both sides' figures (双考核).
func (db *DB) WhistleStats(ctx context.Context) ([]huying.WhistleStat, error) {
	stats := map[string]*huying.WhistleStat{}
	get := func(unit string) *huying.WhistleStat {
		if stats[unit] == nil {
			stats[unit] = &huying.WhistleStat{UnitID: unit}
		}
		return stats[unit]
	}
	r := db.reader(ctx)
	rows, err := r.query(`SELECT unit_id, COUNT(*),
		SUM(CASE WHEN reported_at IS NOT NULL AND reported_at <= due_at THEN 1 ELSE 0 END),
		SUM(CASE WHEN reported_at IS NOT NULL AND reported_at > due_at THEN 1 ELSE 0 END),
		SUM(CASE WHEN reported_at IS NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN rated_at IS NOT NULL THEN 1 ELSE 0 END),
		COALESCE(AVG(CASE WHEN rated_at IS NOT NULL THEN rating END), 0)
		FROM whistle_calls GROUP BY unit_id`)
	if err != nil {
		return nil, db.err("吹哨统计", err)
	}
	for rows.Next() {
		var unit string
		var s huying.WhistleStat
		if err := rows.Scan(&unit, &s.Summoned, &s.ReportedOnTime, &s.ReportedLate, &s.NotReported, &s.Rated, &s.AvgRating); err != nil {
			rows.Close()
			return nil, db.err("吹哨统计", err)
		}
		st := get(unit)
		st.Summoned, st.ReportedOnTime, st.ReportedLate, st.NotReported, st.Rated, st.AvgRating =
			s.Summoned, s.ReportedOnTime, s.ReportedLate, s.NotReported, s.Rated, s.AvgRating
	}
	if err := rows.Close(); err != nil {
		return nil, db.err("吹哨统计", err)
	}
	rows, err = r.query(`SELECT w.unit_id, COUNT(DISTINCT w.id), SUM(CASE WHEN c.rated_at IS NOT NULL THEN 1 ELSE 0 END)
		FROM whistles w JOIN whistle_calls c ON c.whistle_id = w.id GROUP BY w.unit_id`)
	if err != nil {
		return nil, db.err("吹哨统计", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var blown, given int
		if err := rows.Scan(&unit, &blown, &given); err != nil {
			return nil, db.err("吹哨统计", err)
		}
		st := get(unit)
		st.Blown, st.RatingsGiven = blown, given
	}
	list := make([]huying.WhistleStat, 0, len(stats))
	for _, s := range stats {
		list = append(list, *s)
	}
	slices.SortFunc(list, func(a, b huying.WhistleStat) int { return strings.Compare(a.UnitID, b.UnitID) })
	return list, db.err("吹哨统计", rows.Err())
}
