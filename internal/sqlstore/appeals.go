package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"

	"huying"
)

// appealColumns14 are the columns of the appeals table as migration 0014's
// Go step found it; appealColumns adds those of later migrations.
const (
	appealColumns14 = `id, code, type, urgency, channel, title, content, address, lng, lat,
	contact_name, contact_phone, confidential, status, version, designated, redo_count,
	merged_into, result_class, rating, created_by, received_at, updated_at, contacted_at,
	due_at, original_due_at, category, triage, street, community`
	appealColumns = appealColumns14 + `, parent_id, assignee_id, callback_attempts, callback_at, on_air`
)

type scanner interface{ Scan(dest ...any) error }

func scanAppeal(s scanner) (*huying.Appeal, error) { return scanAppealOf(s, true) }

// scanAppealOf scans appealColumns, or appealColumns14 without later.
func scanAppealOf(s scanner, later bool) (*huying.Appeal, error) {
	var (
		a                             huying.Appeal
		lng, lat                      sql.NullFloat64
		merged, parent                sql.NullInt64
		rating                        sql.NullString
		received, updated             time.Time
		contacted, due, originalDue   sql.NullTime
		typ, urgency, status, resultC string
		triage, onAir                 string
		callbackAt                    sql.NullTime
	)
	dest := []any{&a.ID, &a.Code, &typ, &urgency, &a.Channel, &a.Title, &a.Content, &a.Address, &lng, &lat,
		&a.ContactName, &a.ContactPhone, &a.Confidential, &status, &a.Version, &a.Designated, &a.RedoCount,
		&merged, &resultC, &rating, &a.CreatedBy, &received, &updated, &contacted, &due, &originalDue, &a.Category, &triage, &a.Street, &a.Community}
	if later {
		dest = append(dest, &parent, &a.AssigneeID, &a.CallbackAttempts, &callbackAt, &onAir)
	}
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	a.Type, a.Urgency, a.Status, a.ResultClass = huying.AppealType(typ), huying.Urgency(urgency), huying.Status(status), resultC
	if lng.Valid && lat.Valid {
		a.Point = &huying.Point{Lng: lng.Float64, Lat: lat.Float64}
	}
	a.MergedInto, a.ParentID = merged.Int64, parent.Int64
	if rating.Valid && rating.String != "" {
		a.Rating = new(huying.Rating)
		if err := json.Unmarshal([]byte(rating.String), a.Rating); err != nil {
			return nil, err
		}
	}
	if triage != "" {
		a.Triage = new(huying.Triage)
		if err := json.Unmarshal([]byte(triage), a.Triage); err != nil {
			return nil, err
		}
	}
	if onAir != "" {
		a.OnAir = new(huying.OnAir)
		if err := json.Unmarshal([]byte(onAir), a.OnAir); err != nil {
			return nil, err
		}
	}
	a.CallbackAt = nullTime(callbackAt)
	a.ReceivedAt, a.UpdatedAt = received.UTC(), updated.UTC()
	a.ContactedAt, a.DueAt, a.OriginalDueAt = nullTime(contacted), nullTime(due), nullTime(originalDue)
	a.Assignments, a.Attachments = []huying.Assignment{}, []huying.Attachment{}
	return &a, nil
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func timeArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// appealArgs returns the values of the writable columns, in appealColumns
// order from type to assignee_id.
func appealArgs(a *huying.Appeal) ([]any, error) {
	var lng, lat any
	if a.Point != nil {
		lng, lat = a.Point.Lng, a.Point.Lat
	}
	var merged, rating, parent any
	triage := ""
	if a.Triage != nil {
		b, err := json.Marshal(a.Triage)
		if err != nil {
			return nil, err
		}
		triage = string(b)
	}
	if a.MergedInto != 0 {
		merged = a.MergedInto
	}
	if a.ParentID != 0 {
		parent = a.ParentID
	}
	onAir := ""
	if a.OnAir != nil {
		b, err := json.Marshal(a.OnAir)
		if err != nil {
			return nil, err
		}
		onAir = string(b)
	}
	if a.Rating != nil {
		b, err := json.Marshal(a.Rating)
		if err != nil {
			return nil, err
		}
		rating = string(b)
	}
	return []any{string(a.Type), string(a.Urgency), a.Channel, a.Title, a.Content, a.Address, lng, lat,
		a.ContactName, a.ContactPhone, a.Confidential, string(a.Status), a.Version, a.Designated, a.RedoCount,
		merged, a.ResultClass, rating, a.CreatedBy, a.ReceivedAt.UTC(), a.UpdatedAt.UTC(),
		timeArg(a.ContactedAt), timeArg(a.DueAt), timeArg(a.OriginalDueAt), a.Category, triage, a.Street, a.Community, parent, a.AssigneeID,
		a.CallbackAttempts, timeArg(a.CallbackAt), onAir}, nil
}

// loadDetails fills the assignments and attachments of appeals in three
// queries.
func (db *DB) loadDetails(q runner, appeals []*huying.Appeal) error {
	if len(appeals) == 0 {
		return nil
	}
	byID := make(map[int64]*huying.Appeal, len(appeals))
	ids := make([]int64, len(appeals))
	for i, a := range appeals {
		byID[a.ID], ids[i] = a, a.ID
	}
	rows, err := q.query(`SELECT appeal_id, unit_id, role FROM assignments WHERE `+q.idsCond("appeal_id", ids)+
		` ORDER BY appeal_id, position`, q.idsArgs(ids)...)
	if err != nil {
		return err
	}
	if err := scanAssignments(rows, byID); err != nil {
		return err
	}
	// The intake's files, then those supplements and replies added.
	err = scanAttachments(q, `SELECT aa.appeal_id, aa.hash, aa.name, '', f.size, f.content_type
		FROM appeal_attachments aa JOIN attachments f ON f.hash = aa.hash
		WHERE `+q.idsCond("aa.appeal_id", ids)+` ORDER BY aa.appeal_id, aa.position`, ids, func(id int64, at huying.Attachment) {
		byID[id].Attachments = append(byID[id].Attachments, at)
	})
	if err != nil {
		return err
	}
	return scanAttachments(q, `SELECT ea.appeal_id, ea.hash, ea.name, ea.kind, f.size, f.content_type
		FROM event_attachments ea JOIN attachments f ON f.hash = ea.hash
		WHERE `+q.idsCond("ea.appeal_id", ids)+` ORDER BY ea.appeal_id, f.created_at, ea.hash`, ids, func(id int64, at huying.Attachment) {
		byID[id].AddedAttachments = append(byID[id].AddedAttachments, at)
	})
}

// scanAttachments runs query (appeal id, hash, name, added by, size, type,
// over appeal ids) and hands each row to add.
func scanAttachments(q runner, query string, ids []int64, add func(int64, huying.Attachment)) error {
	rows, err := q.query(query, q.idsArgs(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at huying.Attachment
		if err := rows.Scan(&id, &at.Hash, &at.Name, &at.AddedBy, &at.Size, &at.ContentType); err != nil {
			return err
		}
		add(id, at)
	}
	return rows.Err()
}

func (db *DB) appealWhere(q runner, where string, args ...any) (*huying.Appeal, error) {
	a, err := scanAppeal(q.queryRow(`SELECT `+appealColumns+` FROM appeals WHERE `+where, args...))
	if err != nil {
		return nil, db.err("诉求", err)
	}
	if err := db.loadDetails(q, []*huying.Appeal{a}); err != nil {
		return nil, db.err("诉求", err)
	}
	return a, nil
}

// Appeal returns an appeal by id.
func (db *DB) Appeal(ctx context.Context, id int64) (*huying.Appeal, error) {
	return db.appealWhere(db.reader(ctx), "id = ?", id)
}

// AppealByCode returns an appeal by tracking code.
func (db *DB) AppealByCode(ctx context.Context, code string) (*huying.Appeal, error) {
	return db.appealWhere(db.reader(ctx), "code = ?", code)
}

// Appeals lists appeals matching f, newest first unless f sorts otherwise,
// with the total count.
func (db *DB) Appeals(ctx context.Context, f huying.AppealFilter) ([]*huying.Appeal, int, error) {
	var where []string
	var args []any
	if len(f.Statuses) > 0 {
		where = append(where, "status IN ("+strings.Repeat("?,", len(f.Statuses)-1)+"?)")
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	if f.UnitID != "" {
		where = append(where, "EXISTS (SELECT 1 FROM assignments s WHERE s.appeal_id = appeals.id AND s.unit_id = ?)")
		args = append(args, f.UnitID)
	}
	if f.ParentID != 0 {
		where = append(where, "parent_id = ?")
		args = append(args, f.ParentID)
	}
	if f.AssigneeID != 0 {
		where = append(where, "assignee_id = ?")
		args = append(args, f.AssigneeID)
	}
	if r := f.Reach; r != nil {
		var any []string
		if r.CreatedBy != 0 {
			any, args = append(any, "created_by = ?"), append(args, r.CreatedBy)
		}
		if r.Community != "" {
			any, args = append(any, "(community = ? AND NOT confidential)"), append(args, r.Community)
		}
		if r.UnitID != "" {
			any, args = append(any, "EXISTS (SELECT 1 FROM assignments s WHERE s.appeal_id = appeals.id AND s.unit_id = ?)"), append(args, r.UnitID)
		}
		if len(any) == 0 {
			any = append(any, "1 = 0")
		}
		where = append(where, "("+strings.Join(any, " OR ")+")")
	}
	if f.HideConfidential {
		where = append(where, "(NOT confidential OR created_by = ?)")
		args = append(args, f.CreatedBy)
	} else if f.CreatedBy != 0 {
		where = append(where, "created_by = ?")
		args = append(args, f.CreatedBy)
	}
	if f.Type != "" {
		where = append(where, "type = ?")
		args = append(args, string(f.Type))
	}
	if f.Channel != "" {
		where = append(where, "channel = ?")
		args = append(args, f.Channel)
	}
	if f.Community != "" {
		where = append(where, "community = ?")
		args = append(args, f.Community)
	}
	if f.Street != "" {
		where = append(where, "street = ?")
		args = append(args, f.Street)
	}
	if f.Urgency != "" {
		where = append(where, "urgency = ?")
		args = append(args, string(f.Urgency))
	}
	if f.Overdue {
		where = append(where, "EXISTS (SELECT 1 FROM deadlines d WHERE d.appeal_id = appeals.id AND d.state = '"+string(huying.DeadlineRed)+"')")
	}
	if f.Flagged {
		where = append(where, "EXISTS (SELECT 1 FROM flags g WHERE g.appeal_id = appeals.id)")
	}
	if f.Redone {
		where = append(where, "redo_count > 0")
	}
	r := db.reader(ctx)
	search, sargs, capped, err := db.searchCond(r, f)
	if err != nil {
		return nil, 0, db.err("诉求列表", err)
	}
	where, args = append(where, search...), append(args, sargs...)
	if !f.ReceivedFrom.IsZero() {
		where = append(where, "received_at >= ?")
		args = append(args, f.ReceivedFrom.UTC())
	}
	if !f.ReceivedTo.IsZero() {
		where = append(where, "received_at < ?")
		args = append(args, f.ReceivedTo.UTC())
	}
	if f.BeforeID > 0 {
		where = append(where, "id < ?")
		args = append(args, f.BeforeID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	total := -1
	from := ` FROM appeals`
	if capped && db.Dialect.Search.From != "" {
		from = ` FROM ` + db.Dialect.Search.From
	}
	count, cargs := `SELECT COUNT(*)`+from+cond, args
	if capped {
		// A common word is in tens of thousands of appeals; counting them
		// all would read every one.
		count, cargs = `SELECT COUNT(*) FROM (SELECT 1`+from+cond+` LIMIT ?) AS m`, append(slices.Clone(args), huying.MaxSearchTotal+1)
	}
	if !f.SkipTotal {
		if err := r.queryRow(count, cargs...).Scan(&total); err != nil {
			return nil, 0, db.err("诉求列表", err)
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	order := ` ORDER BY id DESC`
	if capped && db.Dialect.Search.Newest != "" {
		order = ` ORDER BY ` + db.Dialect.Search.Newest
	}
	dir := ""
	if f.Desc {
		dir = " DESC"
	}
	switch f.Sort {
	case huying.SortDue:
		order = ` ORDER BY CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at` + dir + `, id` + dir
	case huying.SortOldest:
		order = ` ORDER BY id`
	case huying.SortWaiting:
		order = ` ORDER BY CASE WHEN urgency = '` + string(huying.UrgencyUrgent) + `' THEN 0 ELSE 1 END, received_at, id`
	case huying.SortReceived, huying.SortUpdated:
		order = ` ORDER BY ` + string(f.Sort) + dir + `, id` + dir
	case huying.SortStatus:
		order = ` ORDER BY status` + db.Dialect.ByteOrder + dir + `, id` + dir
	case huying.SortCode:
		order = ` ORDER BY code` + db.Dialect.ByteOrder + dir
	}
	rows, err := r.query(`SELECT `+appealColumns+from+cond+order+` LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, db.err("诉求列表", err)
	}
	defer rows.Close()
	list := []*huying.Appeal{}
	for rows.Next() {
		a, err := scanAppeal(rows)
		if err != nil {
			return nil, 0, db.err("诉求列表", err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, db.err("诉求列表", err)
	}
	rows.Close()
	return list, total, db.err("诉求列表", db.loadDetails(r, list))
}

// CountByStatus counts appeals per status.
func (db *DB) CountByStatus(ctx context.Context) (map[huying.Status]int, error) {
	rows, err := db.reader(ctx).query(`SELECT status, COUNT(*) FROM appeals GROUP BY status`)
	if err != nil {
		return nil, db.err("统计", err)
	}
	defer rows.Close()
	m := map[huying.Status]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, db.err("统计", err)
		}
		m[huying.Status(s)] = n
	}
	return m, db.err("统计", rows.Err())
}

// Appeal reads an appeal inside the transaction, locking its row where the database can.
func (t *Tx) Appeal(id int64) (*huying.Appeal, error) {
	a, err := t.db.appealWhere(t.runner, "id = ? "+t.db.Dialect.ForUpdate, id)
	if err == nil {
		t.remember(a)
	}
	return a, err
}

// rowSnapshot is an appeal row as this transaction last read or wrote it:
// the values of its writable columns (encoded, so that later changes to
// the appeal's triage or rating cannot reach them) and its assignments.
type rowSnapshot struct {
	version     int
	args        []any
	assignments []huying.Assignment
}

// remember keeps what the row of a now holds.
func (t *Tx) remember(a *huying.Appeal) {
	args, err := appealArgs(a)
	if err != nil {
		return // UpdateAppeal then writes every column
	}
	if t.read == nil {
		t.read = map[int64]rowSnapshot{}
	}
	t.read[a.ID] = rowSnapshot{version: a.Version, args: args, assignments: slices.Clone(a.Assignments)}
}

// AppealByCode finds an appeal by tracking code inside the transaction
// (without locking it: lock it with Appeal before changing it).
func (t *Tx) AppealByCode(code string) (*huying.Appeal, error) {
	return t.db.appealWhere(t.runner, "code = ?", code)
}

// AppealByIdempotencyKey finds an appeal by idempotency key.
func (t *Tx) AppealByIdempotencyKey(key string) (*huying.Appeal, error) {
	return t.db.appealWhere(t.runner, "idempotency_key = ?", key)
}

// insertAppealColumns are the columns a new appeal row is written with,
// in the order of insertArgs.
const insertAppealColumns = `code, type, urgency, channel, title, content, address, lng, lat,
	contact_name, contact_phone, confidential, status, version, designated, redo_count,
	merged_into, result_class, rating, created_by, received_at, updated_at, contacted_at,
	due_at, original_due_at, category, triage, street, community, parent_id, assignee_id,
	callback_attempts, callback_at, on_air, idempotency_key, phone_hash, phone_tail_hash`

// insertAppealColumnCount is how many insertAppealColumns there are.
const insertAppealColumnCount = 37

// insertArgs are a new appeal's values for insertAppealColumns, with the
// keyed hashes of its phone for the phone search.
func (t *Tx) insertArgs(a *huying.Appeal) ([]any, error) {
	args, err := appealArgs(a)
	if err != nil {
		return nil, err
	}
	var key any
	if a.IdempotencyKey != "" {
		key = a.IdempotencyKey
	}
	pk, err := t.db.phoneKey(t.runner)
	if err != nil {
		return nil, t.db.err("新建诉求", err)
	}
	full, tail := phoneHashes(pk, a.ContactPhone)
	return append([]any{a.Code}, append(args, key, full, tail)...), nil
}

// CreateAppeal inserts an appeal with its assignments and attachments.
func (t *Tx) CreateAppeal(a *huying.Appeal) error {
	args, err := t.insertArgs(a)
	if err != nil {
		return err
	}
	err = t.queryRow(`INSERT INTO appeals (`+insertAppealColumns+`) VALUES (`+placeholders(insertAppealColumnCount)+`) RETURNING id`,
		args...).Scan(&a.ID)
	if err != nil {
		return t.db.err("新建诉求", err)
	}
	for i, at := range a.Attachments {
		if _, err := t.exec(`INSERT INTO appeal_attachments (appeal_id, hash, name, position) VALUES (?,?,?,?)`,
			a.ID, at.Hash, at.Name, i); err != nil {
			return t.db.err("诉求附件", err)
		}
	}
	if err := t.insertAssignments(a); err != nil {
		return err
	}
	if err := t.indexText(a, true); err != nil {
		return err
	}
	t.remember(a)
	t.noteState(a)
	return nil
}

func (t *Tx) insertAssignments(a *huying.Appeal) error {
	for i, as := range a.Assignments {
		if _, err := t.exec(`INSERT INTO assignments (appeal_id, unit_id, role, position) VALUES (?,?,?,?)`,
			a.ID, as.UnitID, as.Role, i); err != nil {
			return t.db.err("派单", err)
		}
	}
	return nil
}

// UpdateAppeal is a compare-and-set on the appeal's version.
func (t *Tx) UpdateAppeal(a *huying.Appeal, version int) error {
	next := *a
	next.Version = version + 1
	args, err := appealArgs(&next)
	if err != nil {
		return err
	}
	// Only the columns that changed since this transaction read the row
	// are written (all of them for a row it did not read), and the
	// assignments only if they changed.
	before, ok := t.read[a.ID]
	var old []any
	if ok && before.version == version {
		old = before.args
	}
	var set []string
	var vals []any
	reindex := false
	for i, col := range appealSetColumns {
		if old == nil || col == "version" || !reflect.DeepEqual(old[i], args[i]) {
			set, vals = append(set, col+" = ?"), append(vals, args[i])
			switch col {
			case "contact_phone":
				pk, err := t.db.phoneKey(t.runner)
				if err != nil {
					return t.db.err("更新诉求", err)
				}
				full, tail := phoneHashes(pk, a.ContactPhone)
				set, vals = append(set, "phone_hash = ?", "phone_tail_hash = ?"), append(vals, full, tail)
			case "title", "content", "address":
				reindex = true
			}
		}
	}
	res, err := t.exec(`UPDATE appeals SET `+strings.Join(set, ", ")+` WHERE id = ? AND version = ?`, append(vals, a.ID, version)...)
	if err := t.db.cas(res, err, 1, "更新诉求", "诉求已被他人更新，请刷新后重试"); err != nil {
		return err
	}
	a.Version = next.Version
	if old == nil || !slices.Equal(before.assignments, a.Assignments) {
		if old == nil || len(before.assignments) > 0 {
			if _, err := t.exec(`DELETE FROM assignments WHERE appeal_id = ?`, a.ID); err != nil {
				return t.db.err("派单", err)
			}
		}
		if err := t.insertAssignments(a); err != nil {
			return err
		}
	}
	if reindex {
		if err := t.indexText(a, false); err != nil {
			return err
		}
	}
	t.remember(a)
	t.noteState(a)
	return nil
}

// appealSetColumns are the columns UpdateAppeal may write, in appealArgs order.
var appealSetColumns = []string{"type", "urgency", "channel", "title", "content", "address", "lng", "lat",
	"contact_name", "contact_phone", "confidential", "status", "version", "designated", "redo_count",
	"merged_into", "result_class", "rating", "created_by", "received_at", "updated_at", "contacted_at",
	"due_at", "original_due_at", "category", "triage", "street", "community", "parent_id", "assignee_id", "callback_attempts", "callback_at", "on_air"}

// Stats counts the appeals received in [from, to) by type, channel and day.
func (db *DB) Stats(ctx context.Context, from, to time.Time) (*huying.Stats, error) {
	st := &huying.Stats{ByType: map[string]int{}, ByChannel: map[string]int{}, ByCommunity: map[string]int{}, ByDay: []huying.DayCount{}}
	r := db.reader(ctx)
	for _, g := range []struct {
		col string
		dst map[string]int
	}{{"type", st.ByType}, {"channel", st.ByChannel}, {"community", st.ByCommunity}} {
		rows, err := r.query(`SELECT `+g.col+`, COUNT(*) FROM appeals WHERE received_at >= ? AND received_at < ? GROUP BY `+g.col,
			from.UTC(), to.UTC())
		if err != nil {
			return nil, db.err("统计", err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return nil, db.err("统计", err)
			}
			g.dst[k] = n
		}
		if err := rows.Close(); err != nil {
			return nil, db.err("统计", err)
		}
	}
	day := db.Dialect.BeijingDate("received_at")
	rows, err := r.query(`SELECT `+day+`, COUNT(*), SUM(CASE WHEN status IN `+statusSet(huying.ClosedStatuses...)+` THEN 1 ELSE 0 END)
		FROM appeals WHERE received_at >= ? AND received_at < ? GROUP BY `+day+` ORDER BY 1`, from.UTC(), to.UTC())
	if err != nil {
		return nil, db.err("统计", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d huying.DayCount
		if err := rows.Scan(&d.Date, &d.Received, &d.Closed); err != nil {
			return nil, db.err("统计", err)
		}
		st.ByDay = append(st.ByDay, d)
	}
	if err := rows.Err(); err != nil {
		return nil, db.err("统计", err)
	}
	if st.Ratings, err = db.ratingStats(r, from, to); err != nil {
		return nil, err
	}
	return st, nil
}

// RecentInCommunity returns the code and content of the newest open appeals
// of a community received since since, for the near-duplicate search.
func (db *DB) RecentInCommunity(ctx context.Context, community string, since time.Time, limit int) ([]huying.AppealText, error) {
	rows, err := db.reader(ctx).query(`SELECT id, code, content FROM appeals WHERE community = ? AND received_at >= ?
		AND status IN `+statusSet(huying.OpenStatuses...)+` ORDER BY received_at DESC LIMIT ?`, community, since.UTC(), limit)
	if err != nil {
		return nil, db.err("诉求", err)
	}
	defer rows.Close()
	var out []huying.AppealText
	for rows.Next() {
		var a huying.AppealText
		if err := rows.Scan(&a.ID, &a.Code, &a.Content); err != nil {
			return nil, db.err("诉求", err)
		}
		out = append(out, a)
	}
	return out, db.err("诉求", rows.Err())
}

// Children reads the parts of a split appeal in code order.
func (t *Tx) Children(parent int64) ([]*huying.Appeal, error) {
	return t.appealsIn(`SELECT id FROM appeals WHERE parent_id = ? ORDER BY id`, parent)
}

// RecordRating inserts a rating.
func (t *Tx) RecordRating(r *huying.RatingRecord) error {
	_, err := t.exec(`INSERT INTO ratings (appeal_id, seq, unit_id, satisfaction, speed, effect, experience, reply_quality, redo, at)
		VALUES (?,?,?,?,?,?,?,?,?,?)`, r.AppealID, r.Seq, r.UnitID, r.Satisfaction, r.Speed, r.Effect, r.Experience,
		r.ReplyQuality, r.Redo, r.At.UTC())
	return t.db.err("评价", err)
}

// ratingStats counts the ratings given in [from, to).
func (db *DB) ratingStats(r runner, from, to time.Time) (huying.RatingStats, error) {
	var st huying.RatingStats
	rows, err := r.query(`SELECT satisfaction, seq = 1, redo, COUNT(*) FROM ratings WHERE at >= ? AND at < ?
		GROUP BY satisfaction, seq = 1, redo`, from.UTC(), to.UTC())
	if err != nil {
		return st, db.err("评价统计", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var first, redo bool
		var n int
		if err := rows.Scan(&s, &first, &redo, &n); err != nil {
			return st, db.err("评价统计", err)
		}
		st.All.Add(s, n)
		if first {
			st.First.Add(s, n)
		}
		if !redo {
			st.Final.Add(s, n)
		}
	}
	return st, db.err("评价统计", rows.Err())
}
