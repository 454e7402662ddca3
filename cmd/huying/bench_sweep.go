package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"huying"
	"huying/identity"
	"huying/internal/pgtest"
	"huying/internal/sqlstore"
	"huying/postgres"
	"huying/sqlite"
	"huying/workday"
	"huying/workflow"
)

// benchSweep fills a database with n open appeals, each with a running
// handling deadline, of which due have just become overdue, and times one
// sweep tick over them.
func benchSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cmdFlagSet("bench sweep", stderr)
	n := fs.Int("appeals", 1_000_000, "未办结诉求数")
	due := fs.Int("due", 10_000, "其中刚刚到期的数量")
	pg := fs.Bool("pg", false, "在临时 PostgreSQL 集群上测试（否则用临时 SQLite）")
	asJSON := fs.Bool("json", false, "输出 JSON")
	cpuprofile := fs.String("cpuprofile", "", "把巡检期间的 CPU 剖析写入此文件")
	if err := fs.Parse(args); err != nil {
		return helpOK(err)
	}
	if *n < 1 || *n > 5_000_000 || *due < 1 || *due > *n {
		return fmt.Errorf("--appeals 须在 1 到 500 万之间，--due 须在 1 到 --appeals 之间")
	}
	dir, err := os.MkdirTemp("", "huying-bench-sweep-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var db *sqlstore.DB
	name := "sqlite"
	if *pg {
		cluster, err := pgtest.Start()
		if err != nil {
			return fmt.Errorf("启动临时 PostgreSQL：%w", err)
		}
		defer cluster.Stop()
		if db, err = postgres.Open(ctx, cluster.URL); err != nil {
			return err
		}
		name = "postgres"
	} else if db, err = sqlite.Open(ctx, filepath.Join(dir, "huying.db")); err != nil {
		return err
	}
	defer db.Close()
	cal, err := workday.New(workday.Options{})
	if err != nil {
		return err
	}
	svc := workflow.New(db, cal)
	ids := identity.New(db)
	ids.PasswordCost, ids.ChannelRate, ids.UsersChanged = 4, svc.ChannelRate, svc.UsersChanged
	now := time.Now().UTC().Truncate(time.Second)
	svc.Now = func() time.Time { return now }
	for _, u := range []huying.Unit{{ID: "ps-centre", Name: "分拨中心", Kind: huying.UnitCentre}, {ID: "chengguan", ParentID: "ps-centre", Name: "城管局", Kind: huying.UnitDepartment}} {
		if err := ids.CreateUnit(ctx, huying.Actor{}, u); err != nil {
			return err
		}
	}
	if _, err := ids.CreateUser(ctx, huying.Actor{}, identity.NewUser{Username: "h-chengguan", Name: "承办人", Password: "bench-password",
		UnitID: "chengguan", Roles: []huying.Role{huying.RoleHandler}, Phone: "13900000000"}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "写入 %d 件未办结诉求及其时限（%s）…\n", *n, name)
	t0 := time.Now()
	if err := benchFill(ctx, db, *n, *due, now); err != nil {
		return fmt.Errorf("写入测试数据：%w", err)
	}
	fill := time.Since(t0)
	fmt.Fprintf(stderr, "写入用时 %s；执行一次巡检…\n", fill.Round(time.Millisecond))
	stopProfile, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	t1 := time.Now()
	res, err := svc.Sweep(ctx, 2*(*due))
	tick := time.Since(t1)
	stopProfile()
	if err != nil {
		return err
	}
	if res.Red != *due || res.Urged != *due {
		return fmt.Errorf("巡检结果不符：%+v，应有 %d 件超期催办", res, *due)
	}
	out := map[string]any{"db": name, "appeals": *n, "due": *due, "tick_seconds": tick.Seconds(),
		"per_due_row_us": float64(tick.Microseconds()) / float64(*due), "fill_seconds": fill.Seconds(), "result": res}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(out)
	}
	fmt.Fprintf(stdout, "%s: %d open appeals, %d just due: one sweep tick %s (%.1f µs per due row; %d red, %d 催办 with SMS)\n",
		name, *n, *due, tick.Round(time.Millisecond), out["per_due_row_us"], res.Red, res.Urged)
	return nil
}

// benchFill writes n handling appeals led by chengguan, each with an open
// close deadline; the first due of them are yellow and already past due.
// It generates the rows in the database (a recursive CTE on SQLite,
// generate_series on PostgreSQL) so that a million rows take seconds.
func benchFill(ctx context.Context, db *sqlstore.DB, n, due int, now time.Time) error {
	series := `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?) `
	from := ` FROM s`
	if db.Dialect.Numbered {
		series, from = ``, ` FROM generate_series(1, ?) AS s(n)`
	}
	past, soon, later := now.Add(-time.Minute), now.Add(-2*time.Hour), now.Add(30*24*time.Hour)
	ts := db.Dialect.Cast("timestamptz")
	stmts := []struct {
		q    string
		args []any
	}{
		{series + `INSERT INTO appeals (code, type, urgency, channel, title, content, address, contact_name, contact_phone,
			confidential, status, version, designated, redo_count, result_class, created_by, received_at, updated_at, due_at)
			SELECT 'PSB' || n, '投诉', '一般', '12345热线', '压测诉求 ' || n, '坪山区某处占道经营，影响通行。', '坪山区坪山街道',
			'张三', '13800138000', false, 'handling', 1, false, 0, '', 0, ?, ?, ?` + from,
			[]any{now.Add(-20 * 24 * time.Hour), now, past, n}},
		{series + `INSERT INTO assignments (appeal_id, unit_id, role, position) SELECT n, 'chengguan', 'lead', 0` + from, []any{n}},
		{series + `INSERT INTO deadlines (appeal_id, stage, unit_id, state, start_at, warn_at, due_at, next_at, escalations)
			SELECT n, 'close', 'chengguan', CASE WHEN n <= ? THEN 'yellow' ELSE 'open' END, ?, ?,
			CASE WHEN n <= ? THEN ?` + ts + ` ELSE ?` + ts + ` END, CASE WHEN n <= ? THEN ?` + ts + ` ELSE ?` + ts + ` END, 0` + from,
			[]any{due, now.Add(-20 * 24 * time.Hour), soon, due, past, later, due, past, later, n}},
	}
	if !db.Dialect.Numbered {
		// SQLite binds the CTE's limit first.
		for i := range stmts {
			args := stmts[i].args
			stmts[i].args = append([]any{args[len(args)-1]}, args[:len(args)-1]...)
		}
	}
	for _, st := range stmts {
		q := st.q
		if db.Dialect.Numbered {
			q = sqlstore.Rebind(q)
		}
		if _, err := db.W.ExecContext(ctx, q, st.args...); err != nil {
			return err
		}
	}
	_, err := db.W.ExecContext(ctx, `ANALYZE`)
	return err
}

// bulkFill adds n generated appeals received over the past year, in every
// status, type and intake channel, for measuring the console against a
// district's volume (`seed --demo --bulk N`). They carry no events or
// clocks: they are load, not history.
func bulkFill(ctx context.Context, db *sqlstore.DB, n int, now time.Time) error {
	received := `datetime(julianday(?) - (n % 365) - (n % 1440) / 1440.0)`
	head, from := `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?) `, ` FROM s`
	args := []any{n, now.UTC().Format("2006-01-02 15:04:05"), now.UTC().Format("2006-01-02 15:04:05")}
	if db.Dialect.Numbered {
		received = `?::timestamptz - make_interval(days => n % 365, mins => n % 1440)`
		head, from = ``, ` FROM generate_series(1, ?) AS s(n)`
		args = []any{now.UTC(), now.UTC(), n}
	}
	q := head + `INSERT INTO appeals (code, type, urgency, channel, title, content, address, contact_name, contact_phone,
		confidential, status, version, designated, redo_count, result_class, created_by, received_at, updated_at)
		SELECT 'PSL' || n,
		CASE n % 5 WHEN 0 THEN '咨询' WHEN 1 THEN '求助' WHEN 2 THEN '投诉' WHEN 3 THEN '举报' ELSE '建议' END, '一般',
		CASE n % 6 WHEN 0 THEN '12345热线' WHEN 1 THEN '网站' WHEN 2 THEN '移动端' WHEN 3 THEN '小程序' WHEN 4 THEN '网格上报' ELSE '信箱' END,
		'批量数据 ' || n, '坪山区某处问题（批量生成的负载数据）', '坪山区', '张三', '13800138000', false,
		CASE n % 20 WHEN 12 THEN 'received' WHEN 13 THEN 'dispatched' WHEN 14 THEN 'signed' WHEN 15 THEN 'handling'
			WHEN 16 THEN 'replied' WHEN 17 THEN 'reviewed' WHEN 18 THEN 'answered' WHEN 19 THEN 'rated' ELSE 'archived' END,
		1, false, 0, '', 0, ` + received + `, ` + received + from
	if db.Dialect.Numbered {
		q = sqlstore.Rebind(q)
	}
	if _, err := db.W.ExecContext(ctx, q, args...); err != nil {
		return err
	}
	_, err := db.W.ExecContext(ctx, `ANALYZE`)
	return err
}
