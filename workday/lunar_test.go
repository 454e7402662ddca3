package workday_test

import (
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"huying/workday"
)

// lunarExplained lists the days on which the embedded data knowingly disagrees
// with lunar-go's holiday table, each with the reason. It is empty: on
// 2020-01-01 – 2026-12-31 the two agree on every day.
var lunarExplained = map[string]string{}

// TestAgainstLunarGo cross-checks every day of 2020–2026 with the statutory
// holiday table that github.com/6tail/lunar-go maintains independently (its
// HolidayUtil package). The package is used here only; the calendar's data is
// its own, transcribed from the State Council's notices.
func TestAgainstLunarGo(t *testing.T) {
	t.Parallel()
	c := MustCalendar(t)
	seen := map[string]bool{}
	for d := (workday.Date{Year: 2020, Month: time.January, Day: 1}); d.Year <= 2026; d = d.AddDays(1) {
		ours := c.Day(d)
		theirs := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		what := "weekday rule"
		if h := HolidayUtil.GetHolidayByYmd(d.Year, int(d.Month), d.Day); h != nil {
			theirs = h.IsWork()
			what = h.String()
		}
		if ours.Workday == theirs {
			continue
		}
		key := d.String()
		if reason, ok := lunarExplained[key]; ok {
			seen[key] = true
			t.Logf("%s: known difference: %s", key, reason)
			continue
		}
		t.Errorf("%s (%s): calendar says workday=%v (%s %q), lunar-go says workday=%v (%s)",
			key, workday.WeekdayName(d.Weekday()), ours.Workday, ours.Kind, ours.Holiday, theirs, what)
	}
	for key := range lunarExplained {
		if !seen[key] {
			t.Errorf("%s is listed as a known difference but the two now agree: remove it", key)
		}
	}
}
