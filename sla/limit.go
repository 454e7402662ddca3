// Package sla computes the deadlines (时限) of an appeal's stages from SLA
// profiles kept as data: for each appeal type × urgency of a jurisdiction, a
// limit per stage in working days, working hours or clock hours.
//
// This part is pure: it never reads the clock and does no I/O. Callers pass
// the instant a stage starts and a workday.Calendar; the deadline rows, the
// sweeper that turns them yellow and red, and escalation live elsewhere.
//
// # How a deadline is computed
//
//   - Clock hours (h) run around the clock, 7×24: due = start + limit.
//   - Working hours (wh) count only the calendar's working hours of workdays:
//     due = Calendar.AddWorkingHours(start, limit).
//   - Working days (wd) follow the civil-code rule: the day of the start is
//     not counted and the period ends when work stops on its last day:
//     due = Calendar.AddWorkdays(start, n), 18:00 with the default hours.
//
// The yellow warning (黄牌预警) comes when a share of the limit (WarnRatio,
// 0.8 by default) has been used, measured in the limit's own unit: clock time
// for clock limits and working time for working limits. For n working days the
// limit is n whole working days counted from the start of the first workday
// after the start's date, so 80% of 15 working days is the end of the 12th.
//
// # Profiles as data
//
// A Table holds one jurisdiction's rules, loaded from JSON (see Parse); the
// built-in Default is the proposed default for a Shenzhen district from
// domain-12345.md §3. Appeal type and urgency are plain strings here (咨询、求助、
// 投诉、举报、建议 × 一般、紧急); a rule may use "*" for either to apply to all, and
// the most specific rule wins stage by stage.
package sla

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit of a Limit.
type Unit string

// The units of a Limit.
const (
	// WorkingDays count whole workdays of the calendar, not counting the
	// start's own date.
	WorkingDays Unit = "wd"
	// WorkingHours count only working hours of workdays.
	WorkingHours Unit = "wh"
	// ClockHours run around the clock (7×24).
	ClockHours Unit = "h"
)

// Limit is a time limit for one stage, such as 15 working days. Its text form,
// used in JSON, is the amount followed by the unit: "15wd", "2wh", "0.5h".
type Limit struct {
	Amount float64 // how many units; a whole number for WorkingDays
	Unit   Unit    // WorkingDays, WorkingHours or ClockHours
}

// ParseLimit parses a limit in its text form ("15wd", "2wh", "24h", "0.5h").
// Working days must be a whole number; every amount must be positive.
func ParseLimit(s string) (Limit, error) {
	s = strings.TrimSpace(s)
	var l Limit
	for _, u := range []Unit{WorkingDays, WorkingHours, ClockHours} {
		if num, ok := strings.CutSuffix(s, string(u)); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil {
				return Limit{}, fmt.Errorf("时限 %q 的数值无效", s)
			}
			l = Limit{v, u}
			break
		}
	}
	if l.Unit == "" {
		return Limit{}, fmt.Errorf("时限 %q 无效：单位应为 wd（工作日）、wh（工作小时）或 h（自然小时）", s)
	}
	if err := l.Validate(); err != nil {
		return Limit{}, err
	}
	return l, nil
}

// Validate checks that the amount is positive and finite, that working days
// are whole, and that the unit is known.
func (l Limit) Validate() error {
	switch l.Unit {
	case WorkingDays, WorkingHours, ClockHours:
	default:
		return fmt.Errorf("时限单位 %q 无效：应为 wd、wh 或 h", string(l.Unit))
	}
	if !(l.Amount > 0) || math.IsInf(l.Amount, 0) {
		return fmt.Errorf("时限 %s 的数值必须大于 0", l)
	}
	if l.Unit == WorkingDays && l.Amount != math.Trunc(l.Amount) {
		return fmt.Errorf("时限 %s 无效：工作日必须是整数", l)
	}
	if l.Unit == WorkingDays && l.Amount > 366 || l.Unit != WorkingDays && l.Amount > 24*366 {
		return fmt.Errorf("时限 %s 过长", l)
	}
	return nil
}

// Duration returns the limit as a duration, for clock and working hours. It is
// zero for working days, whose length depends on the calendar.
func (l Limit) Duration() time.Duration {
	if l.Unit == WorkingDays {
		return 0
	}
	return time.Duration(math.Round(l.Amount * float64(time.Hour)))
}

// String returns the text form, such as "15wd".
func (l Limit) String() string {
	return strconv.FormatFloat(l.Amount, 'f', -1, 64) + string(l.Unit)
}

// Label returns the limit in Chinese for people, such as "15个工作日",
// "2小时（工作时间）" or "30分钟（自然时间）".
func (l Limit) Label() string {
	switch l.Unit {
	case WorkingDays:
		return strconv.FormatFloat(l.Amount, 'f', -1, 64) + "个工作日"
	case WorkingHours:
		return durationLabel(l.Duration()) + "（工作时间）"
	case ClockHours:
		return durationLabel(l.Duration()) + "（自然时间）"
	}
	return l.String()
}

func durationLabel(d time.Duration) string {
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	switch {
	case m == 0:
		return strconv.FormatInt(h, 10) + "小时"
	case h == 0:
		return strconv.FormatInt(m, 10) + "分钟"
	}
	return strconv.FormatInt(h, 10) + "小时" + strconv.FormatInt(m, 10) + "分钟"
}

// MarshalText writes the text form.
func (l Limit) MarshalText() ([]byte, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return []byte(l.String()), nil
}

// UnmarshalText reads the text form.
func (l *Limit) UnmarshalText(b []byte) error {
	v, err := ParseLimit(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
