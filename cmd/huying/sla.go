package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"huying"
	"huying/postgres"
	"huying/sla"
	"huying/sqlite"
	"huying/workday"
	"huying/workflow"
)

const slaUsage = `用法：
  huying sla explain --type 类型 [--urgency 紧急程度] [--received 受理时间] [--json]
      列出诉求各环节的起算、黄牌预警时间和到期时间，便于核对时限计算。
      类型：咨询、求助、投诉、举报、建议；紧急程度：一般（默认）、紧急。
      受理时间为 RFC 3339（如 2026-09-30T16:00:00+08:00）或 2026-09-30 16:00
      （按 Asia/Shanghai），默认为当前时间。--json 输出
      [{"stage","due_at","warn_at","sla_version"}] 数组。
      没有 --profile 时，读取数据库中的时限配置版本（管理员在控制台保存的），
      按受理时间选用当时生效的版本并注明版本号；--version 指定某一版。
  huying sla defaults
      输出内置的时限配置 JSON，可修改后用 --profile 指定。

参数：
  --profile 文件   时限配置 JSON（不读数据库；默认内置的深圳市辖区配置）
  --version 版本   使用数据库中的第几版时限配置（默认按受理时间选用）
  --db 地址        PostgreSQL 地址；不填则读数据目录中的 SQLite（存在时）
  --data 目录      数据目录，读取导入的节假日安排（默认 ./data）
  --hours 时段     工作时间（默认 09:00-12:00,14:00-18:00）
`

// runSLA implements `huying sla`; args are the words after "sla".
func runSLA(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, slaUsage)
		return errors.New("缺少子命令：explain 或 defaults")
	}
	switch args[0] {
	case "explain":
		return slaExplain(args[1:], stdout, stderr)
	case "defaults":
		_, err := stdout.Write(sla.DefaultJSON())
		return err
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, slaUsage)
		return nil
	}
	fmt.Fprint(stderr, slaUsage)
	return fmt.Errorf("未知的子命令 %q：可用 explain 或 defaults", args[0])
}

// slaDeadlineJSON is one element of `sla explain --json`.
type slaDeadlineJSON struct {
	Stage  sla.Stage `json:"stage"`
	DueAt  string    `json:"due_at"`
	WarnAt string    `json:"warn_at"`
	// SLAVersion is the version of the database's SLA table used (0: a
	// file or the built-in table, no database).
	SLAVersion int `json:"sla_version,omitempty"`
}

func slaExplain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sla explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, slaUsage) }
	var cf calendarFlags
	cf.register(fs)
	typ := fs.String("type", "", "诉求类型")
	urgency := fs.String("urgency", sla.UrgencyNormal, "紧急程度")
	received := fs.String("received", "", "受理时间")
	profile := fs.String("profile", "", "时限配置 JSON 文件")
	asJSON := fs.Bool("json", false, "输出 JSON")
	version := fs.Int("version", 0, "数据库中时限配置的版本")
	dbURL := fs.String("db", os.Getenv("HUYING_DB"), "PostgreSQL 地址")
	rest, err := calendarParse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("多余的参数：%s", strings.Join(rest, " "))
	}
	if *typ == "" {
		return errors.New("请用 --type 指定诉求类型（咨询、求助、投诉、举报、建议）")
	}

	cal, err := cf.load()
	if err != nil {
		return err
	}
	start := time.Now().In(cal.Location())
	if *received != "" {
		if start, err = slaParseTime(*received, cal.Location()); err != nil {
			return err
		}
	}

	table := sla.Default()
	origin, used := "内置默认配置（未读取数据库）", 0
	if *profile == "" {
		v, c, err := slaFromStore(cf.data, *dbURL, start, *version, cal)
		if err != nil {
			return err
		}
		if v != nil {
			if table, err = sla.Parse(v.Data); err != nil {
				return fmt.Errorf("数据库中的时限配置第 %d 版有误：%w", v.Version, err)
			}
			cal, used = c, v.Version
			origin = fmt.Sprintf("时限配置第 %d 版（%s 起受理的诉求适用；%s）", v.Version, slaTime(v.EffectiveAt.In(cal.Location())), v.Note)
			if v.Version == 1 {
				origin = fmt.Sprintf("时限配置第 1 版（%s；适用于第 2 版保存前受理的诉求）", v.Note)
			}
		} else if *version != 0 {
			return fmt.Errorf("没有数据库，无法选用第 %d 版时限配置", *version)
		}
	} else if *version != 0 {
		return errors.New("--profile 与 --version 不能同时使用")
	} else {
		origin = "文件 " + *profile + "（不是数据库中的版本）"
	}
	if *profile != "" {
		data, err := os.ReadFile(*profile)
		if err != nil {
			return fmt.Errorf("无法读取时限配置 %s：%w", *profile, err)
		}
		if table, err = sla.Parse(data); err != nil {
			return fmt.Errorf("时限配置 %s 有误：%w", *profile, err)
		}
	}
	key := sla.Key{Type: strings.TrimSpace(*typ), Urgency: strings.TrimSpace(*urgency)}
	p, err := table.Profile(key)
	if err != nil {
		var known []string
		for _, k := range table.Keys() {
			known = append(known, k.String())
		}
		return fmt.Errorf("没有诉求类型“%s”、紧急程度“%s”的时限配置；已配置：%s",
			key.Type, key.Urgency, strings.Join(known, "、"))
	}

	deadlines := sla.Schedule(p, cal, start)

	if *asJSON {
		out := make([]slaDeadlineJSON, len(deadlines))
		for i, d := range deadlines {
			out[i] = slaDeadlineJSON{d.Stage, d.DueAt.Format(time.RFC3339), d.WarnAt.Format(time.RFC3339), used}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	fmt.Fprintf(stdout, "时限依据：%s\n", origin)
	slaPrint(stdout, p, cal, start, deadlines)
	return nil
}

// slaFromStore reads the SLA versions from the database, when there is one
// (dbURL, or huying.db in the data directory), and returns the version
// asked for, or the one in effect at received, with the calendar including
// the holiday years imported through the console. Without a database it
// returns nil.
func slaFromStore(data, dbURL string, received time.Time, version int, cal *workday.Calendar) (*huying.SLAVersion, *workday.Calendar, error) {
	ctx := context.Background()
	var store huying.Store
	var err error
	switch file := filepath.Join(data, "huying.db"); {
	case dbURL != "":
		store, err = postgres.Open(ctx, dbURL)
	case fileExists(file):
		store, err = sqlite.Open(ctx, file)
	default:
		return nil, cal, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("打开数据库：%w", err)
	}
	defer store.Close()
	svc := workflow.New(store, cal)
	if err := svc.LoadSettings(ctx); err != nil {
		return nil, nil, err
	}
	versions, err := store.SLAVersions(ctx)
	if err != nil {
		return nil, nil, err
	}
	var pick *huying.SLAVersion
	for _, v := range versions {
		if version != 0 && v.Version == version || version == 0 && !received.Before(v.EffectiveAt) {
			pick = v
		}
	}
	if pick == nil {
		return nil, nil, fmt.Errorf("数据库中没有第 %d 版时限配置（共 %d 版）", version, len(versions))
	}
	return pick, svc.CalendarInForce(), nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// slaParseTime reads RFC 3339, or a local time without zone in the
// calendar's zone.
func slaParseTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc), nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("受理时间 %q 格式不对，应为 2026-09-30T16:00:00+08:00 或 2026-09-30 16:00", s)
}

func slaPrint(w io.Writer, p *sla.Profile, cal *workday.Calendar, start time.Time, ds []sla.Deadline) {
	fmt.Fprintf(w, "%s · %s · %s · 受理时间 %s\n", p.Jurisdiction, p.Key.Type, p.Key.Urgency, slaTime(start))
	fmt.Fprintf(w, "黄牌预警：用去时限的 %s 时（工作时限按工作时间计）；工作日时限不计起算当天，到期于最后一个工作日下班时。\n",
		strconv.FormatFloat(math.Round(p.WarnRatio*10000)/100, 'f', -1, 64)+"%")
	fmt.Fprintf(w, "工作时间：%s（%s）\n\n", slaHours(cal), cal.Location())

	rows := [][]string{{"环节", "时限", "起算", "黄牌预警", "到期"}}
	for _, d := range ds {
		from := "受理"
		if a := d.Stage.Anchor(); a != "" && slices.ContainsFunc(ds, func(x sla.Deadline) bool { return x.Stage == a }) {
			from = a.Label() + "到期"
		}
		rows = append(rows, []string{
			d.Stage.Label(), d.Limit.Label(), from + " " + slaTime(d.Start), slaTime(d.WarnAt), slaTime(d.DueAt),
		})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], slaWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-slaWidth(c)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
	for _, y := range []int{start.Year(), start.Year() + 1} {
		if !cal.Covers(y) {
			fmt.Fprintf(w, "\n注意：没有 %d 年的节假日安排，该年只按周一至周五计算工作日。\n", y)
			break
		}
	}
}

func slaTime(t time.Time) string {
	return t.Format("2006-01-02 15:04") + " " + workday.WeekdayName(t.Weekday())
}

func slaHours(cal *workday.Calendar) string {
	var parts []string
	for _, s := range cal.Hours() {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, "、")
}

// slaWidth is the display width of s in a terminal: two columns for CJK
// characters and full-width punctuation, one for the rest.
func slaWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			if r != utf8.RuneError {
				n++
			}
		}
	}
	return n
}
