package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"huying"
	"huying/identity"
	"huying/internal/sqlstore"
	"huying/transfer"
	"huying/workday"
	"huying/workflow"
)

// transferBench is a throwaway database with a district and a dispatcher,
// for the import and export benchmarks.
type transferBench struct {
	db         *sqlstore.DB
	svc        *workflow.Service
	dispatcher huying.Actor
	name, dir  string
	stop       func()
	// cpu is the process's CPU time (user + system) during the last import.
	cpu time.Duration
}

// cpuTime is the CPU time this process has used (user + system), so that a
// figure on a shared machine can be read apart from the others' load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func newTransferBench(ctx context.Context, pg bool) (*transferBench, error) {
	bs, err := openBenchStore(ctx, pg, "huying-bench-transfer-")
	if err != nil {
		return nil, err
	}
	b := &transferBench{db: bs.DB, dir: bs.Dir, name: bs.Name, stop: bs.Stop}
	cal, err := workday.New(workday.Options{})
	if err != nil {
		b.stop()
		return nil, err
	}
	b.svc = workflow.New(b.db, cal)
	ids := identity.Beside(b.db, b.svc)
	ids.PasswordCost = 4
	for _, u := range []huying.Unit{{ID: "ps-centre", Name: "分拨中心", Kind: huying.UnitCentre},
		{ID: "chengguan", ParentID: "ps-centre", Name: "城管局", Kind: huying.UnitDepartment}} {
		if err := ids.CreateUnit(ctx, huying.Actor{}, u); err != nil {
			b.stop()
			return nil, err
		}
	}
	u, err := ids.CreateUser(ctx, huying.Actor{}, identity.NewUser{Username: "dispatcher", Name: "分拨员", Password: "bench-password",
		UnitID: "ps-centre", Roles: []huying.Role{huying.RoleDispatcher}})
	if err != nil {
		b.stop()
		return nil, err
	}
	b.dispatcher = huying.Actor{User: u}
	return b, nil
}

// writeHistory writes a CSV of n past appeals, as an old platform exports
// them: most archived with their unit and result, some still received.
func writeHistory(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	_ = w.Write([]string{"工单编号", "受理时间", "办结时间", "诉求类型", "受理渠道", "诉求内容", "诉求地址", "联系人", "联系电话", "状态", "主办单位", "办理结果"})
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	types := []string{"投诉", "求助", "咨询", "建议", "举报"}
	for i := range n {
		recv := start.Add(time.Duration(i) * 5 * time.Minute)
		closed, status, lead, result := recv.Add(50*time.Hour).Format(time.DateTime), "已归档", "城管局", "已解决"
		if i%10 == 9 {
			closed, status, lead, result = "", "已受理", "", ""
		}
		_ = w.Write([]string{"H" + strconv.Itoa(i+1), recv.Format(time.DateTime), closed, types[i%len(types)], "12345热线",
			"坪山区和平路" + strconv.Itoa(i%300) + "号门前夜间施工噪音扰民，影响休息，希望有关部门尽快处理。", "坪山区和平路" + strconv.Itoa(i%300) + "号",
			"张三", fmt.Sprintf("139%08d", i), status, lead, result})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// importRows writes n rows of history and imports them, timed.
func (b *transferBench) importRows(ctx context.Context, n int) (*transfer.ImportReport, time.Duration, error) {
	path := filepath.Join(b.dir, "history.csv")
	if err := writeHistory(path, n); err != nil {
		return nil, 0, err
	}
	t0, cpu0 := time.Now(), cpuTime()
	rep, err := transfer.New(b.svc).ImportAppeals(ctx, huying.Actor{}, func() (io.ReadCloser, error) { return os.Open(path) },
		transfer.ImportOptions{Format: transfer.FormatCSV})
	d := time.Since(t0)
	b.cpu = cpuTime() - cpu0
	if err == nil && (rep.Imported != n || rep.Failed != 0) {
		err = fmt.Errorf("导入结果不符：%s", rep.Message)
	}
	return rep, d, err
}

// runImportBench times huying import appeals of --rows rows of CSV.
func runImportBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("import", stderr)
	rows := fs.Int("rows", 100_000, "导入的行数")
	pg := fs.Bool("pg", false, "在临时 PostgreSQL 集群上测试（否则用临时 SQLite）")
	asJSON := fs.Bool("json", false, "输出 JSON")
	cpuprofile := fs.String("cpuprofile", "", "把导入期间的 CPU 剖析写入此文件")
	if err := fs.Parse(args); err != nil {
		return helpOK(err)
	}
	if *rows < 1 || *rows > 2_000_000 {
		return fmt.Errorf("--rows 须在 1 到 200 万之间")
	}
	b, err := newTransferBench(ctx, *pg)
	if err != nil {
		return err
	}
	defer b.stop()
	fmt.Fprintf(stderr, "导入 %d 行历史诉求（%s）…\n", *rows, b.name)
	stopProfile, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	_, d, err := b.importRows(ctx, *rows)
	stopProfile()
	if err != nil {
		return err
	}
	perSec := float64(*rows) / d.Seconds()
	load := loadAverage()
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"db": b.name, "rows": *rows, "seconds": d.Seconds(), "rows_per_second": perSec,
			"cpu_seconds": b.cpu.Seconds(), "load_average": load})
	}
	fmt.Fprintf(stdout, "%s: imported %d rows of CSV in %s: %.0f rows/s (CPU %s, %.0f rows per CPU second; load average %s)\n",
		b.name, *rows, d.Round(time.Millisecond), perSec, b.cpu.Round(time.Millisecond), float64(*rows)/b.cpu.Seconds(), load)
	return nil
}

// runExportBench fills a database with --rows appeals (through the
// import) and times exports of all of them as xlsx and CSV, with the
// peak heap while each runs.
func runExportBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("export", stderr)
	rows := fs.Int("rows", 100_000, "导出的诉求数")
	pg := fs.Bool("pg", false, "在临时 PostgreSQL 集群上测试（否则用临时 SQLite）")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := fs.Parse(args); err != nil {
		return helpOK(err)
	}
	if *rows < 1 || *rows > transfer.MaxExportRows {
		return fmt.Errorf("--rows 须在 1 到 %d 之间", transfer.MaxExportRows)
	}
	b, err := newTransferBench(ctx, *pg)
	if err != nil {
		return err
	}
	defer b.stop()
	fmt.Fprintf(stderr, "写入 %d 件诉求（%s）…\n", *rows, b.name)
	if _, _, err := b.importRows(ctx, *rows); err != nil {
		return err
	}
	var results []map[string]any
	for _, format := range []transfer.Format{transfer.FormatXLSX, transfer.FormatCSV} {
		path := filepath.Join(b.dir, "export."+string(format))
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		// Twice: what the export before left behind with finalizers (its
		// files) goes only on the second collection.
		runtime.GC()
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		peak := newHeapPeak()
		t0 := time.Now()
		n, err := transfer.New(b.svc).ExportAppeals(ctx, b.dispatcher, huying.AppealFilter{}, format, f)
		d := time.Since(t0)
		top := peak.stop()
		f.Close()
		if err != nil {
			return err
		}
		if n != *rows {
			return fmt.Errorf("导出 %d 行，应为 %d 行", n, *rows)
		}
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		results = append(results, map[string]any{"format": string(format), "rows": n, "seconds": d.Seconds(),
			"peak_heap_mb": float64(top) / (1 << 20), "base_heap_mb": float64(base.HeapAlloc) / (1 << 20), "file_mb": float64(st.Size()) / (1 << 20)})
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"db": b.name, "exports": results})
	}
	for _, r := range results {
		fmt.Fprintf(stdout, "%s: exported %d appeals as %s in %.2f s, peak heap %.1f MB (%.1f MB before), file %.1f MB\n",
			b.name, r["rows"], r["format"], r["seconds"], r["peak_heap_mb"], r["base_heap_mb"], r["file_mb"])
	}
	return nil
}

// heapPeak samples the live heap every 5 ms until stopped.
type heapPeak struct {
	done chan struct{}
	wg   sync.WaitGroup
	max  uint64
}

func newHeapPeak() *heapPeak {
	p := &heapPeak{done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			p.max = max(p.max, m.HeapAlloc)
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *heapPeak) stop() uint64 {
	close(p.done)
	p.wg.Wait()
	return p.max
}

// loadAverage is the first field of /proc/loadavg ("" elsewhere): the
// machine's load while the figure was taken.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
