package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"huying"
	"huying/blob"
	"huying/dispatch"
	"huying/identity"
	"huying/modelstore"
	"huying/place"
	"huying/postgres"
	"huying/sla"
	"huying/sqlite"
	"huying/workday"
	"huying/workflow"
)

// Config is the one configuration of the program, from environment
// variables with flags overriding them.
type Config struct {
	Addr     string // HUYING_ADDR, --addr
	Data     string // HUYING_DATA, --data: SQLite file, attachments, calendar overlays
	DB       string // HUYING_DB, --db: postgres://… or empty for SQLite in Data
	LogLevel string // HUYING_LOG_LEVEL, --log-level
	Demo     bool   // --demo: seed 坪山区 demo data into an empty database
	SLA      string // HUYING_SLA, --sla: a JSON file of time limits (时限配置) replacing the defaults
	// AutoDispatch is the routing confidence (把握度 of the first
	// suggestion) at or above which intake dispatches without a
	// dispatcher (--auto-dispatch; 0 turns it off).
	AutoDispatch float64
	// SplitCallback is how the resident of a split appeal (拆分) is called
	// back: "part", once per part, or "end", once when every part is done
	// (HUYING_SPLIT_CALLBACK, --split-callback).
	SplitCallback string
	// CallbackAttempts and CallbackSpacing: how many unanswered callbacks
	// (回访未接通), at least how far apart, make an appeal 无法联系
	// (--callback-attempts, --callback-spacing; domain-12345.md gives
	// neither, so 3 a day apart by default).
	CallbackAttempts int
	CallbackSpacing  time.Duration
}

// DefaultConfig returns the defaults overlaid with the environment.
func DefaultConfig() Config {
	c := Config{Addr: "127.0.0.1:8080", Data: "./data", LogLevel: "info", AutoDispatch: dispatch.AutoDispatchAt,
		SplitCallback:    workflow.SplitCallbackPart,
		CallbackAttempts: huying.DefaultCallbackAttempts, CallbackSpacing: huying.DefaultCallbackSpacing}
	for env, dst := range map[string]*string{"HUYING_ADDR": &c.Addr, "HUYING_DATA": &c.Data, "HUYING_DB": &c.DB,
		"HUYING_LOG_LEVEL": &c.LogLevel, "HUYING_SLA": &c.SLA, "HUYING_SPLIT_CALLBACK": &c.SplitCallback} {
		if v := os.Getenv(env); v != "" {
			*dst = v
		}
	}
	return c
}

// dataFlags registers the flags every data command shares.
func (c *Config) dataFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", c.Data, "数据目录（SQLite 数据库、附件、日历）")
	fs.StringVar(&c.DB, "db", c.DB, "PostgreSQL 地址 postgres://…；不填则使用数据目录中的 SQLite")
	fs.StringVar(&c.SLA, "sla", c.SLA, "时限配置 JSON 文件（格式见 sla/default.json）；不填则用内置的深圳辖区默认值")
	fs.Float64Var(&c.AutoDispatch, "auto-dispatch", c.AutoDispatch, "派单把握度（首选单位领先次选的程度，按事项关键词命中计算）达到此值时自动派单；仅按分类兜底的不自动派单；0 关闭")
	fs.StringVar(&c.SplitCallback, "split-callback", c.SplitCallback, "拆分诉求的回访方式：part 每个子单分别回访，end 全部子单办结后统一回访一次")
	fs.IntVar(&c.CallbackAttempts, "callback-attempts", c.CallbackAttempts, "回访未接通达到此次数即记为无法联系")
	fs.DurationVar(&c.CallbackSpacing, "callback-spacing", c.CallbackSpacing, "两次未接通回访之间至少相隔的时间（如 24h）")
}

// Validate checks the configuration at start.
func (c *Config) Validate() error {
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return fmt.Errorf("--db 须为 postgres:// 开头的地址，或留空使用 SQLite")
	}
	if c.Data == "" {
		return fmt.Errorf("--data 不能为空")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level 须为 debug、info、warn 或 error")
	}
	if c.AutoDispatch < 0 || c.AutoDispatch > 1 {
		return fmt.Errorf("--auto-dispatch 须在 0 到 1 之间")
	}
	if c.SplitCallback != workflow.SplitCallbackPart && c.SplitCallback != workflow.SplitCallbackEnd {
		return fmt.Errorf("--split-callback 须为 part（每个子单分别回访）或 end（全部子单办结后统一回访）")
	}
	// Zero (a Config built in code) takes the defaults.
	if c.CallbackAttempts < 0 || c.CallbackAttempts > 10 {
		return fmt.Errorf("--callback-attempts 须在 1 到 10 之间")
	}
	if c.CallbackSpacing != 0 && (c.CallbackSpacing < time.Hour || c.CallbackSpacing > 7*24*time.Hour) {
		return fmt.Errorf("--callback-spacing 须在 1h 到 168h 之间")
	}
	return nil
}

// parseFlags parses args into c with fs, validating the result.
func (c *Config) parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	return c.Validate()
}

func cmdFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("huying "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// openStore opens the configured database, migrating it.
func (c *Config) openStore(ctx context.Context) (huying.Store, error) {
	if c.DB != "" {
		return postgres.Open(ctx, c.DB)
	}
	return sqlite.Open(ctx, filepath.Join(c.Data, "huying.db"))
}

// calendar loads the working-day calendar with the administrator's
// imported years from the data directory.
func (c *Config) calendar() (*workday.Calendar, error) {
	years, err := workday.Embedded()
	if err != nil {
		return nil, err
	}
	if years, err = workday.Overlay(years, os.DirFS(c.Data)); err != nil {
		return nil, err
	}
	return workday.New(workday.Options{Years: years})
}

// open returns the store, the appeal service on it and the identity
// service wired to it (token rates from the channel registry, the staff
// cache refreshed when a user changes).
func (c *Config) open(ctx context.Context) (huying.Store, *workflow.Service, *identity.Service, error) {
	cal, err := c.calendar()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("加载工作日历：%w", err)
	}
	table := sla.Default()
	if c.SLA != "" {
		data, err := os.ReadFile(c.SLA)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("读取时限配置：%w", err)
		}
		if table, err = sla.Parse(data); err != nil {
			return nil, nil, nil, fmt.Errorf("时限配置 %s 有误：%w", c.SLA, err)
		}
	}
	store, err := c.openStore(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("打开数据库：%w", err)
	}
	svc := workflow.New(store, cal)
	svc.SLA = table
	svc.Places = place.Locator{MinConfidence: 0.5}
	model, _, err := modelstore.Current(c.Data)
	if err != nil {
		store.Close()
		return nil, nil, nil, fmt.Errorf("读取分类模型：%w", err)
	}
	svc.Classifier, svc.AutoDispatchAt = modelstore.NewLive(model), c.AutoDispatch
	svc.SplitCallback = c.SplitCallback
	svc.CallbackAttempts, svc.CallbackSpacing = c.CallbackAttempts, c.CallbackSpacing
	if err := svc.LoadSettings(ctx); err != nil {
		store.Close()
		return nil, nil, nil, fmt.Errorf("读取时限配置版本和导入的节假日安排：%w", err)
	}
	ids := identity.Beside(store, svc)
	ids.NoticeSign = svc.NoticeSign
	return store, svc, ids, nil
}

func (c *Config) blobs() *blob.Store { return &blob.Store{Dir: filepath.Join(c.Data, "attachments")} }

func (c *Config) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// isHelp reports whether err is the flag package's -h.
func isHelp(err error) bool { return errors.Is(err, flag.ErrHelp) }
