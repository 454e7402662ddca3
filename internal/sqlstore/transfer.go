package sqlstore

import (
	"context"
	"strings"

	"huying"
)

// The rows imports leave: appeal_sources links an imported appeal to its id
// in the system it came from.

// ImportedAppeals returns, of ids, those already imported from source.
func (db *DB) ImportedAppeals(ctx context.Context, source string, ids []string) (map[string]int64, error) {
	return importedAppeals(db.reader(ctx), source, ids)
}

// ImportedAppeals is the store's ImportedAppeals inside the transaction.
func (t *Tx) ImportedAppeals(source string, ids []string) (map[string]int64, error) {
	return importedAppeals(t.runner, source, ids)
}

func importedAppeals(r runner, source string, ids []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, c := range chunks(len(ids), 1) {
		args := []any{source}
		for _, id := range ids[c[0]:c[1]] {
			args = append(args, id)
		}
		rows, err := r.query(`SELECT source_id, appeal_id FROM appeal_sources WHERE source = ? AND source_id IN (`+
			placeholders(c[1]-c[0])+`)`, args...)
		if err != nil {
			return nil, r.db.err("导入记录", err)
		}
		for rows.Next() {
			var id string
			var appeal int64
			if err := rows.Scan(&id, &appeal); err != nil {
				rows.Close()
				return nil, r.db.err("导入记录", err)
			}
			out[id] = appeal
		}
		if err := rows.Close(); err != nil {
			return nil, r.db.err("导入记录", err)
		}
	}
	return out, nil
}

// RecordImports inserts the links of imported appeals, in chunks.
func (t *Tx) RecordImports(list []huying.ImportedAppeal) error {
	const cols = 5
	ts := t.db.Dialect.Cast("timestamptz")
	row := "?,?,?,?" + ts + ",?" + ts
	for _, c := range chunks(len(list), cols) {
		args := make([]any, 0, (c[1]-c[0])*cols)
		for _, im := range list[c[0]:c[1]] {
			args = append(args, im.Source, im.SourceID, im.AppealID, timeArg(im.ClosedAt), im.ImportedAt.UTC())
		}
		if _, err := t.exec(`INSERT INTO appeal_sources (source, source_id, appeal_id, closed_at, imported_at) VALUES `+
			values(c[1]-c[0], row), args...); err != nil {
			return t.db.err("导入记录", err)
		}
	}
	return nil
}

// ReserveSeq raises a named counter by n and returns its new value.
func (t *Tx) ReserveSeq(name string, n int64) (int64, error) {
	if n < 1 {
		return 0, huying.Errorf(huying.EINVALID, "计数器 %s 的增量须为正数", strings.TrimSpace(name))
	}
	var v int64
	err := t.queryRow(`INSERT INTO counters (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + ? RETURNING value`, name, n, n).Scan(&v)
	return v, t.db.err("计数器", err)
}

// CreateAppeals inserts appeals and their assignments a chunk per
// statement, RETURNING the ids matched by code.
func (t *Tx) CreateAppeals(list []*huying.Appeal) error {
	const cols = insertAppealColumnCount
	row := placeholders(cols)
	for _, c := range chunks(len(list), cols) {
		batch := list[c[0]:c[1]]
		args := make([]any, 0, len(batch)*cols)
		byCode := make(map[string]*huying.Appeal, len(batch))
		for _, a := range batch {
			if len(a.Attachments) > 0 {
				return huying.Errorf(huying.EINVALID, "批量新建的诉求不能带附件")
			}
			vals, err := t.insertArgs(a)
			if err != nil {
				return err
			}
			args = append(args, vals...)
			byCode[a.Code] = a
		}
		rows, err := t.query(`INSERT INTO appeals (`+insertAppealColumns+`) VALUES `+values(len(batch), row)+
			` RETURNING id, code`, args...)
		if err != nil {
			return t.db.err("新建诉求", err)
		}
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return t.db.err("新建诉求", err)
			}
			if a := byCode[code]; a != nil {
				a.ID = id
			}
		}
		if err := rows.Close(); err != nil {
			return t.db.err("新建诉求", err)
		}
		for _, a := range batch {
			if err := t.indexText(a, true); err != nil { // imported appeals are found by words too
				return err
			}
		}
	}
	var assigned []any
	n := 0
	for _, a := range list {
		if a.ID == 0 {
			return huying.Errorf(huying.EINTERNAL, "新建诉求 %s 未返回编号", a.Code)
		}
		for i, as := range a.Assignments {
			assigned = append(assigned, a.ID, as.UnitID, as.Role, i)
			n++
		}
		t.noteState(a)
	}
	for _, c := range chunks(n, 4) {
		if _, err := t.exec(`INSERT INTO assignments (appeal_id, unit_id, role, position) VALUES `+
			values(c[1]-c[0], "?,?,?,?"), assigned[c[0]*4:c[1]*4]...); err != nil {
			return t.db.err("派单", err)
		}
	}
	return nil
}
