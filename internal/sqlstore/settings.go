package sqlstore

import (
	"context"

	"huying"
)

// CalendarYears returns the imported holiday arrangements by year.
func (db *DB) CalendarYears(ctx context.Context) ([]*huying.CalendarYear, error) {
	r := db.reader(ctx)
	rows, err := r.query(`SELECT year, data, imported_at, imported_by FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, db.err("节假日安排", err)
	}
	defer rows.Close()
	list := []*huying.CalendarYear{}
	for rows.Next() {
		var y huying.CalendarYear
		var data string
		if err := rows.Scan(&y.Year, &data, &y.ImportedAt, &y.ImportedBy); err != nil {
			return nil, db.err("节假日安排", err)
		}
		y.Data, y.ImportedAt = []byte(data), y.ImportedAt.UTC()
		list = append(list, &y)
	}
	return list, db.err("节假日安排", rows.Err())
}

// SaveCalendarYear inserts or replaces the imported arrangement of a year.
func (t *Tx) SaveCalendarYear(y *huying.CalendarYear) error {
	_, err := t.exec(`INSERT INTO calendar_years (year, data, imported_at, imported_by) VALUES (?,?,?,?)
		ON CONFLICT (year) DO UPDATE SET data = excluded.data, imported_at = excluded.imported_at, imported_by = excluded.imported_by`,
		y.Year, string(y.Data), y.ImportedAt.UTC(), y.ImportedBy)
	return t.db.err("节假日安排", err)
}

// SLAVersions returns every version of the SLA table, oldest first.
func (db *DB) SLAVersions(ctx context.Context) ([]*huying.SLAVersion, error) {
	return slaVersions(db.reader(ctx))
}

// SLAVersions reads every version of the SLA table inside the transaction.
func (t *Tx) SLAVersions() ([]*huying.SLAVersion, error) { return slaVersions(t.runner) }

func slaVersions(r runner) ([]*huying.SLAVersion, error) {
	db := r.db
	rows, err := r.query(`SELECT version, data, note, effective_at, created_by FROM sla_versions ORDER BY version`)
	if err != nil {
		return nil, db.err("时限配置", err)
	}
	defer rows.Close()
	list := []*huying.SLAVersion{}
	for rows.Next() {
		var v huying.SLAVersion
		var data string
		if err := rows.Scan(&v.Version, &data, &v.Note, &v.EffectiveAt, &v.CreatedBy); err != nil {
			return nil, db.err("时限配置", err)
		}
		v.Data, v.EffectiveAt = []byte(data), v.EffectiveAt.UTC()
		list = append(list, &v)
	}
	return list, db.err("时限配置", rows.Err())
}

// CreateSLAVersion inserts a version of the SLA table.
func (t *Tx) CreateSLAVersion(v *huying.SLAVersion) error {
	_, err := t.exec(`INSERT INTO sla_versions (version, data, note, effective_at, created_by) VALUES (?,?,?,?,?)`,
		v.Version, string(v.Data), v.Note, v.EffectiveAt.UTC(), v.CreatedBy)
	if huying.ErrorCode(t.db.err("时限配置", err)) == huying.ECONFLICT {
		return huying.Errorf(huying.ECONFLICT, "时限配置第 %d 版已被他人保存，请刷新后重试", v.Version)
	}
	return t.db.err("时限配置", err)
}
