// Command huying is Huying (呼应), a district's 民生诉求分拨系统, in one
// binary: the server, its database tools and its evaluation commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // working-day maths and tracking codes use Asia/Shanghai on any host
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `呼应 Huying — 民生诉求分拨系统

用法：huying <命令> [参数]

命令：
  serve      启动服务（控制台、JSON API）
  migrate    升级数据库结构
  seed       写入坪山区演示数据（--demo）
  import     导入历史诉求（import appeals --file 文件.csv|文件.xlsx [--dry-run] [--mapping 映射.json]）
  user       管理用户（user add）
  token      签发渠道接口令牌（token add）
  audit      校验审计链：事件哈希链、链头、诉求记录与签名检查点（audit verify）
  classify   诉求文本分类（train / eval / cv / predict）
  route      派单路由评测（route eval：按单位统计准确率与自动派单）
  sla        时限计算（sla explain）
  calendar   工作日历（calendar check / import）
  version    显示版本

每个读写数据的命令都接受 --data 目录（默认 ./data，环境变量 HUYING_DATA）
和 --db 地址（postgres://…，环境变量 HUYING_DB；不填则使用数据目录中的 SQLite）。
"huying <命令> -h" 显示该命令的参数。
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "错误：", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("请指定命令")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "seed":
		return runSeed(ctx, rest, stdout, stderr)
	case "user":
		return runUser(ctx, rest, stdout, stderr)
	case "import":
		return runImport(ctx, rest, stdout, stderr)
	case "token":
		return runToken(ctx, rest, stdout, stderr)
	case "audit":
		return runAudit(ctx, rest, stdout, stderr)
	case "bench":
		// The benchmarks are not in the shipped binary any more.
		return fmt.Errorf("性能测试已移至单独的命令 huying-bench（cmd/huying-bench，make bench 构建并运行）")
	case "classify":
		return runClassifyIO(rest, stdin, stdout, stderr)
	case "route":
		return runRoute(rest, stdout, stderr)
	case "sla":
		return runSLA(rest, stdout, stderr)
	case "calendar":
		return runCalendar(rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "huying", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("未知命令 %q", cmd)
}
