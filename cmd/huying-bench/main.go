// Command huying-bench measures Huying on this machine (docs/BENCHMARKS.md;
// make bench runs it): intake throughput and latency against a bare SQLite
// baseline, and one deadline-sweep tick over a million open appeals on
// SQLite or a throwaway PostgreSQL cluster. It is a command of its own so
// that the shipped binary, huying, links neither the benchmarks nor the
// test PostgreSQL launcher (internal/pgtest) that sweep --pg starts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	_ "time/tzdata" // working-day maths and tracking codes use Asia/Shanghai on any host
)

const usage = `用法：huying-bench intake [--duration 10s] [--clients 16] [--dispatch] [--json]
      huying-bench sweep [--appeals 1000000] [--due 10000] [--pg] [--json]
      huying-bench search [--appeals 1000000] [--queries 200] [--pg] [--json]
      huying-bench import [--rows 100000] [--pg] [--json]
      huying-bench export [--rows 100000] [--pg] [--json]

intake：在本机回环地址上启动真实的 huying 服务（临时数据目录中的 SQLite），用并发客户端
在固定时间内持续调用 POST /api/v1/appeals，报告每秒受理数和 p50/p99 延迟；
同一次运行中再对一个“裸基线”做同样的压测：最小的处理函数，把同样的 JSON 以相同的
持久化设置（WAL、synchronous=NORMAL、单写连接）插入一张 SQLite 表。
sweep：在临时数据库（SQLite；加 --pg 则为临时 PostgreSQL 集群）中写入大量未办结诉求
及其时限，其中一部分刚刚到期，计时一次时限巡检。
search：在临时数据库中写入大量文本、来电号码和地点各不相同的诉求，计时按完整号码、
按后四位、按一两个词、按词加筛选条件的查询，报告 p50/p99。
import：生成一份历史诉求 CSV（多数已归档、带主办单位），计时导入（每秒行数）。
export：先导入这么多件诉求，再计时以 xlsx 和 CSV 全部导出，并报告导出期间的堆内存峰值。
"huying-bench <命令> -h" 显示该命令的参数。
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "错误：", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("请指定 intake、sweep 或 search")
	}
	switch args[0] {
	case "intake":
		return runIntake(ctx, args[1:], stdout, stderr)
	case "sweep":
		return runSweep(ctx, args[1:], stdout, stderr)
	case "search":
		return runSearch(ctx, args[1:], stdout, stderr)
	case "import":
		return runImportBench(ctx, args[1:], stdout, stderr)
	case "export":
		return runExportBench(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("未知命令 %q：请指定 intake、sweep 或 search", args[0])
}

func flagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("huying-bench "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// helpOK makes -h a success and passes other errors on.
func helpOK(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// startCPUProfile writes a CPU profile to path (nothing when path is "")
// until the returned function is called.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
