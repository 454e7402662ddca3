package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // working-day maths runs in Asia/Shanghai on any host

	"huying"
	"huying/postgres"
	"huying/sqlite"
	"huying/workday"
)

const calendarUsage = `用法：
  huying calendar check [--data 目录] 日期...
      查询日期是否为工作日，日期格式为 2026-10-01。
  huying calendar import [--data 目录] [--dry-run] 文件
      校验某一年的节假日安排文件（格式见 workday 包文档），显示将载入的内容，
      然后复制到 <数据目录>/calendar/<年份>.json；此后 huying 加载日历时，
      用它替换内置的同一年安排。--dry-run 只校验和显示，不写入。
      管理员在控制台（管理 → 节假日）导入的年份保存在数据库中，优先于这里的文件；
      check 也按数据库中的年份回答。

通用参数：
  --data 目录    数据目录（默认 ./data）
  --hours 时段   工作时间（默认 09:00-12:00,14:00-18:00）
`

// runCalendar implements `huying calendar`; args are the words after
// "calendar".
func runCalendar(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, calendarUsage)
		return errors.New("缺少子命令：check 或 import")
	}
	switch args[0] {
	case "check":
		return calendarCheck(args[1:], stdout, stderr)
	case "import":
		return calendarImport(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, calendarUsage)
		return nil
	}
	fmt.Fprint(stderr, calendarUsage)
	return fmt.Errorf("未知的子命令 %q：可用 check 或 import", args[0])
}

// calendarFlags are the flags every calendar-using command shares.
type calendarFlags struct {
	data  string
	hours string
}

func (f *calendarFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "data", "数据目录")
	fs.StringVar(&f.hours, "hours", "09:00-12:00,14:00-18:00", "工作时间")
}

// load builds the calendar: the embedded years, overlaid with the files that
// `calendar import` put in the data directory.
func (f *calendarFlags) load() (*workday.Calendar, error) {
	years, err := f.years()
	if err != nil {
		return nil, err
	}
	return f.build(years)
}

func (f *calendarFlags) years() ([]workday.Year, error) {
	years, err := workday.Embedded()
	if err != nil {
		return nil, fmt.Errorf("内置节假日数据有误：%w", err)
	}
	years, err = workday.Overlay(years, os.DirFS(f.data))
	if err != nil {
		return nil, fmt.Errorf("数据目录 %s 中的节假日文件有误：%w", f.data, err)
	}
	return f.overlayStore(years)
}

// overlayStore lays the years imported through the console (kept in the
// database, when there is one: HUYING_DB or huying.db in the data
// directory) over years, as serve does: they win over the files.
func (f *calendarFlags) overlayStore(years []workday.Year) ([]workday.Year, error) {
	ctx := context.Background()
	var store huying.Store
	var err error
	switch file := filepath.Join(f.data, "huying.db"); {
	case os.Getenv("HUYING_DB") != "":
		store, err = postgres.Open(ctx, os.Getenv("HUYING_DB"))
	case fileExists(file):
		store, err = sqlite.Open(ctx, file)
	default:
		return years, nil
	}
	if err != nil {
		return nil, fmt.Errorf("打开数据库：%w", err)
	}
	defer store.Close()
	imported, err := store.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	for _, iy := range imported {
		y, err := workday.ParseYear(iy.Data)
		if err != nil {
			return nil, fmt.Errorf("数据库中导入的 %d 年节假日安排有误：%w", iy.Year, err)
		}
		years = slices.DeleteFunc(years, func(x workday.Year) bool { return x.Year == y.Year })
		years = append(years, y)
	}
	slices.SortFunc(years, func(a, b workday.Year) int { return a.Year - b.Year })
	return years, nil
}

func (f *calendarFlags) build(years []workday.Year) (*workday.Calendar, error) {
	hours, err := workday.ParseHours(f.hours)
	if err != nil {
		return nil, err
	}
	return workday.New(workday.Options{Hours: hours, Years: years})
}

// calendarParse parses flags that may come before, between or after the
// positional arguments, and returns the positional ones.
func calendarParse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("参数错误：%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func calendarFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, calendarUsage) }
	return fs
}

func calendarCheck(args []string, stdout, stderr io.Writer) error {
	fs := calendarFlagSet("calendar check", stderr)
	var cf calendarFlags
	cf.register(fs)
	dates, err := calendarParse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if len(dates) == 0 {
		return errors.New("请给出要查询的日期，例如 huying calendar check 2026-10-01")
	}
	cal, err := cf.load()
	if err != nil {
		return err
	}
	for _, s := range dates {
		d, err := calendarDateArg(s, cal.Location())
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, calendarDescribe(cal.Day(d)))
	}
	return nil
}

// calendarDateArg reads a date, or an RFC 3339 instant whose date in the
// calendar's zone is meant.
func calendarDateArg(s string, loc *time.Location) (workday.Date, error) {
	if d, err := workday.ParseDate(s); err == nil {
		return d, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return workday.DateOf(t.In(loc)), nil
	}
	return workday.Date{}, fmt.Errorf("日期 %q 格式不对，应为 2026-10-01", s)
}

// calendarDescribe says in one line whether a day is worked and why, e.g.
// "2026-10-10 星期六：工作日（国庆节调休上班）".
func calendarDescribe(day workday.Day) string {
	s := fmt.Sprintf("%s %s：%s", day.Date, workday.WeekdayName(day.Date.Weekday()), calendarStatus(day))
	if !day.Covered {
		s += fmt.Sprintf("。注意：没有 %d 年的节假日安排，只按周一至周五判断", day.Date.Year)
	}
	return s
}

// calendarStatus says whether a day is worked and why, e.g. "休息日（春节放假）".
func calendarStatus(day workday.Day) string {
	switch day.Kind {
	case workday.KindHoliday:
		return "休息日（" + day.Holiday + "放假）"
	case workday.KindMakeUp:
		return "工作日（" + day.Holiday + "调休上班）"
	case workday.KindWeekend:
		return "休息日（周末）"
	}
	return "工作日"
}

func calendarImport(args []string, stdout, stderr io.Writer) error {
	fs := calendarFlagSet("calendar import", stderr)
	var cf calendarFlags
	cf.register(fs)
	dryRun := fs.Bool("dry-run", false, "只校验和显示，不写入")
	files, err := calendarParse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if len(files) != 1 {
		return errors.New("请给出一个节假日安排文件，例如 huying calendar import 2027.json")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return fmt.Errorf("无法读取 %s：%w", files[0], err)
	}
	year, err := workday.ParseYear(data)
	if err != nil {
		return fmt.Errorf("%s 校验未通过：%w", files[0], err)
	}

	current, err := cf.years()
	if err != nil {
		return err
	}
	before, err := cf.build(current)
	if err != nil {
		return err
	}
	next := []workday.Year{year}
	for _, y := range current {
		if y.Year != year.Year {
			next = append(next, y)
		}
	}
	after, err := cf.build(next)
	if err != nil {
		return err
	}

	calendarSummary(stdout, year)
	fmt.Fprintln(stdout)
	calendarDiff(stdout, before, after, year.Year)

	target := filepath.Join(cf.data, workday.OverlayDir, strconv.Itoa(year.Year)+".json")
	if *dryRun {
		fmt.Fprintf(stdout, "\n校验通过（--dry-run，未写入 %s）。\n", target)
		return nil
	}
	if err := calendarWriteFile(target, data); err != nil {
		return fmt.Errorf("无法写入 %s：%w", target, err)
	}
	fmt.Fprintf(stdout, "\n已保存到 %s；之后 huying 加载日历时用它替换 %d 年的安排。\n", target, year.Year)
	return nil
}

func calendarSummary(w io.Writer, y workday.Year) {
	fmt.Fprintf(w, "%d 年节假日安排\n", y.Year)
	if y.Source != "" {
		fmt.Fprintf(w, "来源：%s\n", y.Source)
	}
	if y.Note != "" {
		fmt.Fprintf(w, "说明：%s\n", y.Note)
	}
	var off, offWeekdays, worked int
	for _, h := range y.Holidays {
		days := h.DaysOff()
		for _, d := range days {
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				offWeekdays++
			}
		}
		off += len(days)
		worked += len(h.Workdays)
		if h.From == h.To {
			fmt.Fprintf(w, "  %s：%s放假，共 1 天", h.Name, calendarDay(h.From))
		} else {
			fmt.Fprintf(w, "  %s：%s至%s放假，共 %d 天", h.Name, calendarDay(h.From), calendarDay(h.To), len(days))
		}
		if len(h.Workdays) > 0 {
			parts := make([]string, len(h.Workdays))
			for i, d := range h.Workdays {
				parts[i] = calendarDay(d)
			}
			fmt.Fprintf(w, "；调休上班：%s", strings.Join(parts, "、"))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "合计：放假 %d 天（其中周一至周五 %d 天），调休上班 %d 天。\n", off, offWeekdays, worked)
}

func calendarDay(d workday.Date) string {
	return d.String() + "（" + workday.WeekdayName(d.Weekday()) + "）"
}

// calendarDiff lists the days around year whose workday status the import
// changes.
func calendarDiff(w io.Writer, before, after *workday.Calendar, year int) {
	if !before.Covers(year) {
		fmt.Fprintf(w, "当前没有 %d 年的安排（只按周一至周五判断），导入后新增该年安排。\n", year)
	}
	var changes []string
	from := workday.Date{Year: year - 1, Month: time.December, Day: 1}
	to := workday.Date{Year: year + 1, Month: time.January, Day: 31}
	for d := from; !to.Before(d); d = d.AddDays(1) {
		b, a := before.Day(d), after.Day(d)
		if b.Workday != a.Workday {
			changes = append(changes, fmt.Sprintf("  %s：%s → %s", calendarDay(d), calendarStatus(b), calendarStatus(a)))
		}
	}
	if len(changes) == 0 {
		fmt.Fprintln(w, "与当前使用的安排相比，没有哪一天的工作日状态改变。")
		return
	}
	fmt.Fprintf(w, "与当前使用的安排相比，%d 天的工作日状态改变：\n", len(changes))
	for _, c := range changes {
		fmt.Fprintln(w, c)
	}
}

// calendarWriteFile writes data to path through a temporary file in the same
// folder, so a crash never leaves a half-written year behind.
func calendarWriteFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".import-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
