package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"huying"
	"huying/identity"
	"huying/internal/loadgen"
	"huying/workday"
	"huying/workflow"
)

// runSweep fills a database with n open appeals, each with a running
// handling deadline, of which due have just become overdue, and times one
// sweep tick over them.
func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("sweep", stderr)
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
	bs, err := openBenchStore(ctx, *pg, "huying-bench-sweep-")
	if err != nil {
		return err
	}
	defer bs.Stop()
	db, name := bs.DB, bs.Name
	cal, err := workday.New(workday.Options{})
	if err != nil {
		return err
	}
	svc := workflow.New(db, cal)
	ids := identity.Beside(db, svc)
	ids.PasswordCost = 4
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
	if err := loadgen.Handling(ctx, db, *n, *due, now); err != nil {
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
