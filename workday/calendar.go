package workday

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultZone is the zone of the calendar unless Options says otherwise.
const DefaultZone = "Asia/Shanghai"

// Span is one stretch of working hours within a day, as offsets from local
// midnight: Start inclusive, End exclusive.
type Span struct {
	Start time.Duration // offset of the first working instant
	End   time.Duration // offset just after the last working instant
}

// DefaultHours are the working hours used unless Options says otherwise:
// 09:00–12:00 and 14:00–18:00, seven hours a day.
var DefaultHours = []Span{
	{9 * time.Hour, 12 * time.Hour},
	{14 * time.Hour, 18 * time.Hour},
}

// ParseHours parses working hours written as "09:00-12:00,14:00-18:00".
func ParseHours(s string) ([]Span, error) {
	var out []Span
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		a, b, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("工作时间 %q 格式不对，应为 09:00-12:00,14:00-18:00", s)
		}
		start, err1 := parseClock(a)
		end, err2 := parseClock(b)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("工作时间 %q 格式不对，应为 09:00-12:00,14:00-18:00", s)
		}
		out = append(out, Span{start, end})
	}
	if err := validateHours(out); err != nil {
		return nil, err
	}
	return out, nil
}

// parseClock reads HH:MM, allowing 24:00 as the end of the day.
func parseClock(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "24:00" {
		return 24 * time.Hour, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func validateHours(spans []Span) error {
	if len(spans) == 0 {
		return errors.New("工作时间不能为空")
	}
	var prev time.Duration
	for i, s := range spans {
		if s.Start < 0 || s.End > 24*time.Hour || s.Start >= s.End {
			return fmt.Errorf("工作时间第 %d 段 %s 无效", i+1, s)
		}
		if i > 0 && s.Start < prev {
			return fmt.Errorf("工作时间第 %d 段 %s 与前一段重叠或顺序颠倒", i+1, s)
		}
		prev = s.End
	}
	return nil
}

// String formats s as 09:00-12:00.
func (s Span) String() string {
	f := func(d time.Duration) string {
		return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return f(s.Start) + "-" + f(s.End)
}

// Options configures New. The zero value means Asia/Shanghai, DefaultHours
// and the embedded arrangements.
type Options struct {
	// Location is the zone in which days and hours are counted.
	Location *time.Location
	// Hours are the working hours of every workday, sorted and disjoint.
	Hours []Span
	// Years are the holiday arrangements; nil means Embedded().
	Years []Year
}

// Kinds of day, from Calendar.Day.
const (
	KindWeekday Kind = iota // an ordinary Monday to Friday
	KindWeekend             // an ordinary Saturday or Sunday
	KindHoliday             // a day off of a holiday arrangement
	KindMakeUp              // a weekend day worked in exchange (调休上班)
)

// Kind tells why a day is or is not a workday.
type Kind uint8

// String returns the Chinese name of the kind.
func (k Kind) String() string {
	switch k {
	case KindWeekday:
		return "工作日"
	case KindWeekend:
		return "周末"
	case KindHoliday:
		return "节假日"
	case KindMakeUp:
		return "调休上班日"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Day describes one date of a Calendar.
type Day struct {
	Date    Date // the date described
	Workday bool // whether people work that day
	Kind    Kind // why
	// Holiday names the holiday for KindHoliday and KindMakeUp days.
	Holiday string
	// Covered tells whether the date's year has a loaded arrangement; when
	// false the answer only follows the Monday–Friday rule.
	Covered bool
}

// Override values stored per day in Calendar.kinds.
const (
	overrideNone uint8 = iota
	overrideOff
	overrideWork
)

// Calendar answers working-day questions for one zone, one set of working
// hours and a set of holiday arrangements. It is immutable and safe for
// concurrent use.
type Calendar struct {
	loc    *time.Location
	hours  []Span
	dayLen time.Duration

	// kinds holds the override of each day from day number first on.
	first int32
	kinds []uint8
	names map[int32]string
	years map[int]Year
}

// New builds a Calendar. Overlapping arrangements are applied in year order,
// so a later year's file wins for a date both list.
func New(o Options) (*Calendar, error) {
	c := &Calendar{loc: o.Location, hours: slices.Clone(o.Hours)}
	if c.loc == nil {
		loc, err := time.LoadLocation(DefaultZone)
		if err != nil {
			return nil, fmt.Errorf("无法加载时区 %s（程序需要导入 time/tzdata）：%w", DefaultZone, err)
		}
		c.loc = loc
	}
	if c.hours == nil {
		c.hours = slices.Clone(DefaultHours)
	}
	if err := validateHours(c.hours); err != nil {
		return nil, err
	}
	for _, s := range c.hours {
		c.dayLen += s.End - s.Start
	}
	years := o.Years
	if years == nil {
		var err error
		if years, err = Embedded(); err != nil {
			return nil, err
		}
	}
	years = slices.Clone(years)
	slices.SortStableFunc(years, func(a, b Year) int { return a.Year - b.Year })

	c.years = map[int]Year{}
	c.names = map[int32]string{}
	lo, hi := int32(1<<31-1), int32(-1<<31)
	for _, y := range years {
		if err := y.Validate(); err != nil {
			return nil, fmt.Errorf("%d 年：%w", y.Year, err)
		}
		c.years[y.Year] = y
		for _, h := range y.Holidays {
			lo = min(lo, h.From.days())
			hi = max(hi, h.To.days())
			for _, w := range h.Workdays {
				lo = min(lo, w.days())
				hi = max(hi, w.days())
			}
		}
	}
	if lo <= hi {
		c.first = lo
		c.kinds = make([]uint8, hi-lo+1)
	}
	for _, y := range years {
		for _, h := range y.Holidays {
			for d := h.From.days(); d <= h.To.days(); d++ {
				c.kinds[d-c.first] = overrideOff
				c.names[d] = h.Name
			}
			for _, w := range h.Workdays {
				c.kinds[w.days()-c.first] = overrideWork
				c.names[w.days()] = h.Name
			}
		}
	}
	return c, nil
}

// Location returns the calendar's zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Hours returns the working hours of a workday.
func (c *Calendar) Hours() []Span { return slices.Clone(c.hours) }

// DayLength returns the working time of one whole workday (7h by default).
func (c *Calendar) DayLength() time.Duration { return c.dayLen }

// Covers reports whether the calendar has an arrangement for year.
func (c *Calendar) Covers(year int) bool {
	_, ok := c.years[year]
	return ok
}

// Years returns the loaded arrangements, sorted by year.
func (c *Calendar) Years() []Year {
	out := make([]Year, 0, len(c.years))
	for _, y := range c.years {
		out = append(out, y)
	}
	slices.SortFunc(out, func(a, b Year) int { return a.Year - b.Year })
	return out
}

// Day describes date d: whether it is a workday and why.
func (c *Calendar) Day(d Date) Day {
	n := d.days()
	out := Day{Date: d, Covered: c.Covers(d.Year), Holiday: c.names[n]}
	switch c.override(n) {
	case overrideOff:
		out.Kind = KindHoliday
	case overrideWork:
		out.Kind, out.Workday = KindMakeUp, true
	default:
		if wd := weekdayOf(n); wd == time.Saturday || wd == time.Sunday {
			out.Kind = KindWeekend
		} else {
			out.Kind, out.Workday = KindWeekday, true
		}
	}
	return out
}

// IsWorkday reports whether t falls on a workday, taking t's date in the
// calendar's zone. It says nothing about the time of day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	day, _ := c.split(t)
	return c.isWork(day)
}

// IsWorkdayDate reports whether date d is a workday.
func (c *Calendar) IsWorkdayDate(d Date) bool { return c.isWork(d.days()) }

// IsWorkingTime reports whether t falls within the working hours of a workday.
func (c *Calendar) IsWorkingTime(t time.Time) bool {
	day, pos := c.split(t)
	if !c.isWork(day) {
		return false
	}
	for _, s := range c.hours {
		if pos >= s.Start && pos < s.End {
			return true
		}
	}
	return false
}

// AddWorkdays returns the end of working hours of the n-th workday after t's
// date (in the calendar's zone). The date of t itself is never counted, as the
// civil code counts periods, so n = 1 on a Wednesday, at any time of day, gives
// Thursday 18:00 with the default hours. For n <= 0 it returns t.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	if n <= 0 {
		return t
	}
	day, _ := c.split(t)
	for n > 0 {
		day++
		if c.isWork(day) {
			n--
		}
	}
	return c.at(t, day, c.hours[len(c.hours)-1].End)
}

// StartOfNextWorkday returns the start of working hours of the first workday
// after t's date: the instant from which working-day periods that start at t
// are counted. AddWorkdays(t, n) equals
// AddWorkingHours(StartOfNextWorkday(t), n*DayLength()).
func (c *Calendar) StartOfNextWorkday(t time.Time) time.Time {
	day, _ := c.split(t)
	day++
	for !c.isWork(day) {
		day++
	}
	return c.at(t, day, c.hours[0].Start)
}

// AddWorkingHours returns the instant at which d of working time has passed
// since t. Time outside working hours does not count, so from Friday 17:00 two
// working hours end on Monday 10:00. When d runs out exactly at the end of a
// span, the end of that span is returned (12:00, not 14:00). For d <= 0 it
// returns t.
func (c *Calendar) AddWorkingHours(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	day, pos := c.split(t)
	for {
		if c.isWork(day) {
			for _, s := range c.hours {
				if pos >= s.End {
					continue
				}
				from := max(pos, s.Start)
				avail := s.End - from
				if d <= avail {
					return c.at(t, day, from+d)
				}
				d -= avail
				pos = s.End
			}
		}
		// Skip whole workdays at once when the remainder allows it.
		day++
		pos = 0
		for d > c.dayLen {
			if c.isWork(day) {
				d -= c.dayLen
			}
			day++
		}
	}
}

// WorkingTimeBetween returns the working time from a to b: the part of [a, b)
// that falls within the working hours of workdays. It is negative when b is
// before a.
func (c *Calendar) WorkingTimeBetween(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -c.WorkingTimeBetween(b, a)
	}
	da, pa := c.split(a)
	db, pb := c.split(b)
	if da == db {
		if !c.isWork(da) {
			return 0
		}
		return c.overlap(pa, pb)
	}
	var total time.Duration
	if c.isWork(da) {
		total += c.overlap(pa, 24*time.Hour)
	}
	for d := da + 1; d < db; d++ {
		if c.isWork(d) {
			total += c.dayLen
		}
	}
	if c.isWork(db) {
		total += c.overlap(0, pb)
	}
	return total
}

// overlap returns the working time between two offsets of one workday.
func (c *Calendar) overlap(from, to time.Duration) time.Duration {
	var total time.Duration
	for _, s := range c.hours {
		if lo, hi := max(from, s.Start), min(to, s.End); hi > lo {
			total += hi - lo
		}
	}
	return total
}

func (c *Calendar) override(day int32) uint8 {
	if i := day - c.first; i >= 0 && int(i) < len(c.kinds) {
		return c.kinds[i]
	}
	return overrideNone
}

func (c *Calendar) isWork(day int32) bool {
	switch c.override(day) {
	case overrideOff:
		return false
	case overrideWork:
		return true
	}
	wd := weekdayOf(day)
	return wd != time.Saturday && wd != time.Sunday
}

// split returns t's local day number and its offset from local midnight,
// using the zone offset in force at t; this avoids time.Date on the hot path.
func (c *Calendar) split(t time.Time) (int32, time.Duration) {
	_, off := t.In(c.loc).Zone()
	sec := t.Unix() + int64(off)
	day := sec / 86400
	rem := sec % 86400
	if rem < 0 {
		rem += 86400
		day--
	}
	return int32(day), time.Duration(rem)*time.Second + time.Duration(t.Nanosecond())
}

// at returns the instant at offset pos of local day number day. It first
// assumes the zone offset of ref, the usual case, and falls back to time.Date
// when the offset differs (a zone with daylight saving time).
func (c *Calendar) at(ref time.Time, day int32, pos time.Duration) time.Time {
	_, off := ref.In(c.loc).Zone()
	guess := time.Unix(int64(day)*86400-int64(off), 0).Add(pos).In(c.loc)
	if _, off2 := guess.Zone(); off2 == off {
		return guess
	}
	d := civil(day)
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, int(pos), c.loc)
}
