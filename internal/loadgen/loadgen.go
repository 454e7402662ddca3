// Package loadgen writes generated load straight into a Huying database in
// SQL, so that a million rows take seconds where the services would take
// hours: open appeals with running deadlines for the sweep benchmark
// (huying-bench sweep), and a year of appeals for measuring the console
// (huying seed --demo --bulk). The rows are load, not history: they carry
// no events. It lives apart from internal/pgtest so that the shipped
// binary, which uses Bulk, does not link the test PostgreSQL launcher.
package loadgen

import (
	"context"
	"slices"
	"time"

	"huying/internal/sqlstore"
)

// Handling writes n handling appeals led by the unit chengguan (which must
// exist), each with an open 办结 (close) deadline; the first due of them
// are yellow and already past due at now, the others due in 30 days. The
// sweep never searches, so they get no search entries (IndexAfter).
func Handling(ctx context.Context, db *sqlstore.DB, n, due int, now time.Time) error {
	past, soon, later := now.Add(-time.Minute), now.Add(-2*time.Hour), now.Add(30*24*time.Hour)
	ts := db.Dialect.Cast("timestamptz")
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO appeals (code, type, urgency, channel, title, content, address, contact_name, contact_phone,
			confidential, status, version, designated, redo_count, result_class, created_by, received_at, updated_at, due_at)
			SELECT 'PSB' || n, '投诉', '一般', '12345热线', '压测诉求 ' || n, '坪山区某处占道经营，影响通行。', '坪山区坪山街道',
			'张三', '13800138000', false, 'handling', 1, false, 0, '', 0, ?, ?, ?`,
			[]any{now.Add(-20 * 24 * time.Hour), now, past}},
		{`INSERT INTO assignments (appeal_id, unit_id, role, position) SELECT n, 'chengguan', 'lead', 0`, nil},
		{`INSERT INTO deadlines (appeal_id, stage, unit_id, state, start_at, warn_at, due_at, next_at, escalations)
			SELECT n, 'close', 'chengguan', CASE WHEN n <= ? THEN 'yellow' ELSE 'open' END, ?, ?,
			CASE WHEN n <= ? THEN ?` + ts + ` ELSE ?` + ts + ` END, CASE WHEN n <= ? THEN ?` + ts + ` ELSE ?` + ts + ` END, 0`,
			[]any{due, now.Add(-20 * 24 * time.Hour), soon, due, past, later, due, past, later}},
	}
	for _, st := range stmts {
		if err := execSeries(ctx, db, st.q, n, st.args...); err != nil {
			return err
		}
	}
	_, err := db.W.ExecContext(ctx, `ANALYZE`)
	return err
}

// Bulk writes n appeals received over the year before now, in every
// status, type and intake channel, with no events or clocks.
func Bulk(ctx context.Context, db *sqlstore.DB, n int, now time.Time) error {
	received := `datetime(julianday(?) - (n % 365) - (n % 1440) / 1440.0)`
	at := any(now.UTC().Format("2006-01-02 15:04:05"))
	if db.Dialect.Numbered {
		received = `?::timestamptz - make_interval(days => n % 365, mins => n % 1440)`
		at = now.UTC()
	}
	q := `INSERT INTO appeals (code, type, urgency, channel, title, content, address, contact_name, contact_phone,
		confidential, status, version, designated, redo_count, result_class, created_by, received_at, updated_at)
		SELECT 'PSL' || n,
		CASE n % 5 WHEN 0 THEN '咨询' WHEN 1 THEN '求助' WHEN 2 THEN '投诉' WHEN 3 THEN '举报' ELSE '建议' END, '一般',
		CASE n % 6 WHEN 0 THEN '12345热线' WHEN 1 THEN '网站' WHEN 2 THEN '移动端' WHEN 3 THEN '小程序' WHEN 4 THEN '网格上报' ELSE '信箱' END,
		'批量数据 ' || n, '坪山区某处问题（批量生成的负载数据）', '坪山区', '张三', '13800138000', false,
		CASE n % 20 WHEN 12 THEN 'received' WHEN 13 THEN 'dispatched' WHEN 14 THEN 'signed' WHEN 15 THEN 'handling'
			WHEN 16 THEN 'replied' WHEN 17 THEN 'reviewed' WHEN 18 THEN 'answered' WHEN 19 THEN 'rated' ELSE 'archived' END,
		1, false, 0, '', 0, ` + received + `, ` + received
	var before int64
	if err := db.W.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM appeals`).Scan(&before); err != nil {
		return err
	}
	if err := execSeries(ctx, db, q, n, at, at); err != nil {
		return err
	}
	// The console searches these rows: give them their phone and text
	// entries, which rows written in SQL do not get by themselves.
	if err := db.IndexAfter(ctx, before); err != nil {
		return err
	}
	_, err := db.W.ExecContext(ctx, `ANALYZE`)
	return err
}

// execSeries runs the INSERT … SELECT q once for each n = 1…count, the
// database generating the rows: q gets a FROM over a recursive CTE on
// SQLite, which binds its limit before args, and over generate_series on
// PostgreSQL, which binds it after.
func execSeries(ctx context.Context, db *sqlstore.DB, q string, count int, args ...any) error {
	if db.Dialect.Numbered {
		q = sqlstore.Rebind(q + ` FROM generate_series(1, ?) AS s(n)`)
		args = append(slices.Clone(args), count)
	} else {
		q = `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?) ` + q + ` FROM s`
		args = append([]any{count}, args...)
	}
	_, err := db.W.ExecContext(ctx, q, args...)
	return err
}
