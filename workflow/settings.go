package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"huying"
	"huying/sla"
	"huying/workday"
)

// settings are the admin-kept settings the service applies: the SLA
// table's versions and the calendar with the imported holiday years. Both
// are swapped whole, so that a command reads one consistent set.
type settings struct {
	cal      atomic.Pointer[workday.Calendar]
	sla      atomic.Pointer[[]slaEntry]
	imported atomic.Pointer[map[int]*huying.CalendarYear]
}

type slaEntry struct {
	huying.SLAVersion
	table *sla.Table
}

// slaSeedAt is when version 1, the start-up file, takes effect: before any
// appeal, so that every appeal received before version 2 keeps it.
var slaSeedAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// cal returns the calendar in force: the start-up one with the imported
// years over it once LoadSettings has run.
func (s *Service) cal() *workday.Calendar {
	if c := s.settings.cal.Load(); c != nil {
		return c
	}
	return s.Calendar
}

// CalendarInForce returns the calendar the service counts by: the
// start-up calendar with the holiday years imported through the API.
func (s *Service) CalendarInForce() *workday.Calendar { return s.cal() }

// slaAt returns the version of the SLA table an appeal received at
// received is under, and the table: the newest version in effect then
// (0 and s.SLA before LoadSettings has run).
func (s *Service) slaAt(received time.Time) (int, *sla.Table) {
	if list := s.settings.sla.Load(); list != nil {
		for i := len(*list) - 1; i >= 0; i-- {
			if e := (*list)[i]; !received.Before(e.EffectiveAt) {
				return e.Version, e.table
			}
		}
	}
	return 0, s.SLA
}

// SLAVersionOf returns the version of the SLA table appeal a was received
// under (0 when no versions are loaded: the start-up table).
func (s *Service) SLAVersionOf(a *huying.Appeal) int {
	v, _ := s.slaAt(a.ReceivedAt)
	return v
}

// LoadSettings reads the admin-kept settings from the store and applies
// them: version 1 of the SLA table is seeded from s.SLA (the start-up
// file) when the store has none, and the imported holiday years are laid
// over the start-up calendar. Call it once before serving; the service
// reloads after each change it makes.
func (s *Service) LoadSettings(ctx context.Context) error {
	versions, err := s.Store.SLAVersions(ctx)
	if err != nil {
		return err
	}
	if len(versions) == 0 {
		data, err := json.Marshal(s.SLA)
		if err != nil {
			return err
		}
		seed := &huying.SLAVersion{Version: 1, Data: data, Note: "启动时的时限配置（--sla 文件或内置默认值）", EffectiveAt: slaSeedAt, CreatedBy: "system"}
		err = s.Store.Update(ctx, func(tx huying.Tx) error {
			have, err := tx.SLAVersions()
			if err != nil || len(have) > 0 {
				return err
			}
			if err := tx.CreateSLAVersion(seed); err != nil {
				return err
			}
			return tx.AppendEvent(huying.AdminEvent(huying.Actor{}, "sla_version_created", map[string]any{"version": 1, "note": seed.Note}, s.now()))
		})
		if err != nil && huying.ErrorCode(err) != huying.ECONFLICT {
			return err
		}
	}
	if err := s.reloadSLA(ctx); err != nil {
		return err
	}
	return s.reloadCalendar(ctx)
}

// RefreshSettings reloads the SLA versions and the imported holiday years
// once LoadSettings has run, so that a node sees what an admin saved on
// another (the sweeper calls it every tick). Before LoadSettings it does
// nothing.
func (s *Service) RefreshSettings(ctx context.Context) error {
	if s.settings.sla.Load() == nil {
		return nil
	}
	if err := s.reloadSLA(ctx); err != nil {
		return err
	}
	return s.reloadCalendar(ctx)
}

func (s *Service) reloadSLA(ctx context.Context) error {
	versions, err := s.Store.SLAVersions(ctx)
	if err != nil {
		return err
	}
	list := make([]slaEntry, 0, len(versions))
	for _, v := range versions {
		t, err := sla.Parse(v.Data)
		if err != nil {
			return fmt.Errorf("时限配置第 %d 版有误：%w", v.Version, err)
		}
		list = append(list, slaEntry{SLAVersion: *v, table: t})
	}
	s.settings.sla.Store(&list)
	return nil
}

func (s *Service) reloadCalendar(ctx context.Context) error {
	imported, err := s.Store.CalendarYears(ctx)
	if err != nil {
		return err
	}
	byYear := map[int]*huying.CalendarYear{}
	var years []workday.Year
	for _, y := range s.Calendar.Years() {
		years = append(years, y)
	}
	for _, iy := range imported {
		y, err := workday.ParseYear(iy.Data)
		if err != nil {
			return fmt.Errorf("导入的 %d 年节假日安排有误：%w", iy.Year, err)
		}
		byYear[iy.Year] = iy
		years = slices.DeleteFunc(years, func(x workday.Year) bool { return x.Year == y.Year })
		years = append(years, y)
	}
	cal, err := workday.New(workday.Options{Location: s.Calendar.Location(), Hours: s.Calendar.Hours(), Years: years})
	if err != nil {
		return err
	}
	s.settings.imported.Store(&byYear)
	s.settings.cal.Store(cal)
	return nil
}

// SLAVersionView is a version of the SLA table as the API shows it.
type SLAVersionView struct {
	huying.SLAVersion
	Table   json.RawMessage `json:"table"`
	Current bool            `json:"current"`
}

// SLAVersions lists the versions of the SLA table, newest first, to staff.
func (s *Service) SLAVersions(ctx context.Context, actor huying.Actor) ([]SLAVersionView, error) {
	if !actor.IsStaff() {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看时限配置的权限")
	}
	if err := s.reloadSLA(ctx); err != nil {
		return nil, err
	}
	list := *s.settings.sla.Load()
	out := make([]SLAVersionView, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		out = append(out, SLAVersionView{SLAVersion: list[i].SLAVersion, Table: list[i].Data, Current: i == len(list)-1})
	}
	return out, nil
}

// NewSLAVersion is the input of CreateSLAVersion: the table (package
// sla's JSON), why it changed, and the version it was edited from.
type NewSLAVersion struct {
	Table       json.RawMessage `json:"table"`
	Note        string          `json:"note"`
	BaseVersion int             `json:"base_version"`
}

// CreateSLAVersion saves a new version of the SLA table, in effect for
// the appeals received from now on; appeals received before keep the
// deadlines of the version they were received under. The base version
// must still be the newest (compare-and-set: two admins editing at once
// cannot lose an edit). Admins only. Returns EINVALID, EFORBIDDEN or
// ECONFLICT.
func (s *Service) CreateSLAVersion(ctx context.Context, actor huying.Actor, in NewSLAVersion) (*SLAVersionView, error) {
	if err := actor.RequireAdmin("修改时限配置"); err != nil {
		return nil, err
	}
	in.Note = strings.TrimSpace(in.Note)
	if in.Note == "" || utf8.RuneCountInString(in.Note) > huying.MaxReasonRunes {
		return nil, huying.FieldErrorf("note", "请说明修改原因（不超过 %d 字）", huying.MaxReasonRunes)
	}
	table, err := sla.Parse(in.Table)
	if err != nil {
		return nil, huying.FieldErrorf("table", "%s", err.Error())
	}
	data, err := json.Marshal(table)
	if err != nil {
		return nil, err
	}
	now := s.now()
	v := &huying.SLAVersion{Data: data, Note: in.Note, EffectiveAt: now, CreatedBy: actor.Name()}
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		have, err := tx.SLAVersions()
		if err != nil {
			return err
		}
		last := 0
		if len(have) > 0 {
			last = have[len(have)-1].Version
			if prev, err := sla.Parse(have[len(have)-1].Data); err == nil && reflect.DeepEqual(prev.Rules, table.Rules) &&
				prev.WarnRatio == table.WarnRatio && prev.Jurisdiction == table.Jurisdiction {
				return huying.FieldErrorf("table", "时限配置与第 %d 版相同，没有改动", last)
			}
		}
		if in.BaseVersion != last {
			return huying.Errorf(huying.ECONFLICT, "时限配置已更新到第 %d 版（您编辑的是第 %d 版），请刷新后重试", last, in.BaseVersion)
		}
		v.Version = last + 1
		if err := tx.CreateSLAVersion(v); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "sla_version_created", map[string]any{"version": v.Version, "note": v.Note}, now))
	})
	if err != nil {
		return nil, err
	}
	if err := s.reloadSLA(ctx); err != nil {
		return nil, err
	}
	return &SLAVersionView{SLAVersion: *v, Table: data, Current: true}, nil
}

// CalendarYearView is one year of the calendar as the API shows it.
type CalendarYearView struct {
	Year int `json:"year"`
	// Origin is where the arrangement comes from: imported (an admin
	// imported the notice through the console), file (huying calendar
	// import), builtin (built into the program) or none (Monday to Friday).
	Origin string `json:"origin"`
	// Confirmed is true when a notice was imported for the year.
	Confirmed  bool              `json:"confirmed"`
	Source     string            `json:"source,omitempty"`
	Note       string            `json:"note,omitempty"`
	Holidays   []workday.Holiday `json:"holidays"`
	ImportedAt *time.Time        `json:"imported_at,omitempty"`
	ImportedBy string            `json:"imported_by,omitempty"`
	Days       []CalendarDayView `json:"days,omitempty"`
	Changes    []CalendarDayView `json:"changes,omitempty"`
	_          struct{}          `json:"-"`
}

// CalendarDayView is one day of a year.
type CalendarDayView struct {
	Date    workday.Date `json:"date"`
	Workday bool         `json:"workday"`
	Kind    string       `json:"kind"`
	Holiday string       `json:"holiday,omitempty"`
}

// CalendarYears lists the years of the calendar to staff, from the first
// loaded year to the year after the current one, each saying whether it
// is confirmed.
func (s *Service) CalendarYears(ctx context.Context, actor huying.Actor) ([]CalendarYearView, error) {
	if !actor.IsStaff() {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看工作日历的权限")
	}
	if err := s.reloadCalendar(ctx); err != nil {
		return nil, err
	}
	cal := s.cal()
	years := cal.Years()
	last := s.Now().In(cal.Location()).Year() + 1
	first := last
	if len(years) > 0 {
		first, last = min(first, years[0].Year), max(last, years[len(years)-1].Year)
	}
	out := []CalendarYearView{}
	for y := last; y >= first; y-- {
		out = append(out, s.calendarYear(cal, y, false))
	}
	return out, nil
}

// CalendarYear returns one year with every day, to staff.
func (s *Service) CalendarYear(ctx context.Context, actor huying.Actor, year int) (*CalendarYearView, error) {
	if !actor.IsStaff() {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看工作日历的权限")
	}
	if year < 2000 || year > 2100 {
		return nil, huying.FieldErrorf("year", "年份应在 2000 到 2100 之间")
	}
	if err := s.reloadCalendar(ctx); err != nil {
		return nil, err
	}
	v := s.calendarYear(s.cal(), year, true)
	return &v, nil
}

func (s *Service) calendarYear(cal *workday.Calendar, year int, days bool) CalendarYearView {
	v := CalendarYearView{Year: year, Origin: "none", Holidays: []workday.Holiday{}}
	for _, y := range cal.Years() {
		if y.Year != year {
			continue
		}
		v.Source, v.Note, v.Holidays, v.Origin = y.Source, y.Note, y.Holidays, "builtin"
		if e, ok := workday.EmbeddedYear(year); !ok || !reflect.DeepEqual(e, y) {
			v.Origin, v.Confirmed = "file", true
		}
	}
	if m := s.settings.imported.Load(); m != nil {
		if iy, ok := (*m)[year]; ok {
			at := iy.ImportedAt
			v.Origin, v.Confirmed, v.ImportedAt, v.ImportedBy = "imported", true, &at, iy.ImportedBy
		}
	}
	if days {
		v.Days = yearDays(cal, year)
	}
	return v
}

func yearDays(cal *workday.Calendar, year int) []CalendarDayView {
	var out []CalendarDayView
	for d := (workday.Date{Year: year, Month: time.January, Day: 1}); d.Year == year; d = d.AddDays(1) {
		day := cal.Day(d)
		out = append(out, CalendarDayView{Date: d, Workday: day.Workday, Kind: day.Kind.String(), Holiday: day.Holiday})
	}
	return out
}

// CalendarImport is the input of ImportCalendar: the notice as CSV or
// JSON (package workday's formats), the year it is for, its title, and
// whether only to check it.
type CalendarImport struct {
	Format  string `json:"format"`
	Content string `json:"content"`
	Year    int    `json:"year"`
	Source  string `json:"source"`
	DryRun  bool   `json:"dry_run"`
}

// ImportCalendar checks a year's holiday arrangement and, unless a dry
// run, saves it with an admin event and applies it at once: the year is
// confirmed. The answer lists the days whose status changes. Deadlines
// already set keep their times; clocks started from now on count by the
// new year. Admins only. Returns EINVALID (errors name the line) or
// EFORBIDDEN.
func (s *Service) ImportCalendar(ctx context.Context, actor huying.Actor, in CalendarImport) (*CalendarYearView, error) {
	if err := actor.RequireAdmin("导入节假日安排"); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Content) == "" {
		return nil, huying.FieldErrorf("content", "请上传或粘贴节假日安排")
	}
	if len(in.Content) > 64<<10 {
		return nil, huying.FieldErrorf("content", "节假日安排文件过大（不超过 64 KB）")
	}
	var y workday.Year
	var err error
	switch in.Format {
	case "csv":
		if in.Year < 2000 || in.Year > 2100 {
			return nil, huying.FieldErrorf("year", "请填写通知所属的年份（2000 到 2100）")
		}
		y, err = workday.ParseNoticeCSV([]byte(in.Content), in.Year, in.Source)
	case "json":
		y, err = workday.ParseNoticeJSON([]byte(in.Content), in.Year)
	default:
		return nil, huying.FieldErrorf("format", "格式应为 csv 或 json")
	}
	if err != nil {
		return nil, huying.FieldErrorf("content", "%s", err.Error())
	}
	if err := s.reloadCalendar(ctx); err != nil {
		return nil, err
	}
	before := s.cal()
	years := slices.DeleteFunc(before.Years(), func(x workday.Year) bool { return x.Year == y.Year })
	after, err := workday.New(workday.Options{Location: before.Location(), Hours: before.Hours(), Years: append(years, y)})
	if err != nil {
		return nil, huying.FieldErrorf("content", "%s", err.Error())
	}
	view := s.calendarYear(before, y.Year, false) // the year's status until it is saved
	view.Source, view.Note, view.Holidays = y.Source, y.Note, y.Holidays
	old, now := yearDays(before, y.Year), yearDays(after, y.Year)
	for i := range now {
		if old[i] != now[i] {
			view.Changes = append(view.Changes, now[i])
		}
	}
	if in.DryRun {
		return &view, nil
	}
	data, err := json.Marshal(y)
	if err != nil {
		return nil, err
	}
	at := s.now()
	iy := &huying.CalendarYear{Year: y.Year, Data: data, ImportedAt: at, ImportedBy: actor.Name()}
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.SaveCalendarYear(iy); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "calendar_imported", map[string]any{"year": y.Year, "source": y.Source,
			"holidays": len(y.Holidays), "changed_days": len(view.Changes)}, at))
	})
	if err != nil {
		return nil, err
	}
	if err := s.reloadCalendar(ctx); err != nil {
		return nil, err
	}
	view.Origin, view.Confirmed, view.ImportedAt, view.ImportedBy = "imported", true, &at, iy.ImportedBy
	return &view, nil
}
