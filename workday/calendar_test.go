package workday_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	_ "time/tzdata"

	"huying/workday"
)

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// MustCalendar returns the default calendar: embedded years, default hours.
func MustCalendar(t testing.TB) *workday.Calendar {
	t.Helper()
	c, err := workday.New(workday.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sh parses "2006-01-02 15:04" in Asia/Shanghai.
func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestIsWorkdayAcrossHolidays(t *testing.T) {
	t.Parallel()
	c := MustCalendar(t)
	tests := []struct {
		date string
		want bool
		kind workday.Kind
		name string
	}{
		// Spring Festival 2026: 15–23 Feb off, Saturdays 14 and 28 Feb worked.
		{"2026-02-13", true, workday.KindWeekday, ""},
		{"2026-02-14", true, workday.KindMakeUp, "春节"},
		{"2026-02-15", false, workday.KindHoliday, "春节"},
		{"2026-02-17", false, workday.KindHoliday, "春节"},
		{"2026-02-23", false, workday.KindHoliday, "春节"},
		{"2026-02-24", true, workday.KindWeekday, ""},
		{"2026-02-28", true, workday.KindMakeUp, "春节"},
		{"2026-03-01", false, workday.KindWeekend, ""},
		// Spring Festival 2024: New Year's Eve (9 Feb) stays a workday.
		{"2024-02-04", true, workday.KindMakeUp, "春节"},
		{"2024-02-09", true, workday.KindWeekday, ""},
		{"2024-02-10", false, workday.KindHoliday, "春节"},
		{"2024-02-18", true, workday.KindMakeUp, "春节"},
		// Spring Festival 2020, extended by the State Council to 2 Feb: the
		// Saturday 1 Feb, first a make-up day, became a day off.
		{"2020-01-19", true, workday.KindMakeUp, "春节"},
		{"2020-01-31", false, workday.KindHoliday, "春节"},
		{"2020-02-01", false, workday.KindHoliday, "春节"},
		{"2020-02-03", true, workday.KindWeekday, ""},
		// Mid-Autumn 2026 is its own three days; National Day 1–7 Oct with
		// Sunday 20 Sep and Saturday 10 Oct worked.
		{"2026-09-19", false, workday.KindWeekend, ""},
		{"2026-09-20", true, workday.KindMakeUp, "国庆节"},
		{"2026-09-25", false, workday.KindHoliday, "中秋节"},
		{"2026-09-28", true, workday.KindWeekday, ""},
		{"2026-09-30", true, workday.KindWeekday, ""},
		{"2026-10-01", false, workday.KindHoliday, "国庆节"},
		{"2026-10-07", false, workday.KindHoliday, "国庆节"},
		{"2026-10-08", true, workday.KindWeekday, ""},
		{"2026-10-10", true, workday.KindMakeUp, "国庆节"},
		{"2026-10-11", false, workday.KindWeekend, ""},
		// National Day and Mid-Autumn together, 2023: 29 Sep – 6 Oct off,
		// the weekend 7–8 Oct worked.
		{"2023-09-28", true, workday.KindWeekday, ""},
		{"2023-09-29", false, workday.KindHoliday, "中秋节、国庆节"},
		{"2023-10-06", false, workday.KindHoliday, "中秋节、国庆节"},
		{"2023-10-07", true, workday.KindMakeUp, "中秋节、国庆节"},
		{"2023-10-08", true, workday.KindMakeUp, "中秋节、国庆节"},
		// New Year 2023 started on 31 Dec 2022.
		{"2022-12-30", true, workday.KindWeekday, ""},
		{"2022-12-31", false, workday.KindHoliday, "元旦"},
		{"2023-01-02", false, workday.KindHoliday, "元旦"},
		{"2023-01-03", true, workday.KindWeekday, ""},
		// Outside the covered years only the weekend rule applies.
		{"2030-10-01", true, workday.KindWeekday, ""},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			t.Parallel()
			d, err := workday.ParseDate(tt.date)
			if err != nil {
				t.Fatal(err)
			}
			got := c.Day(d)
			if got.Workday != tt.want || got.Kind != tt.kind || got.Holiday != tt.name {
				t.Errorf("Day(%s) = workday %v, %v %q; want %v, %v %q", tt.date,
					got.Workday, got.Kind, got.Holiday, tt.want, tt.kind, tt.name)
			}
			// IsWorkday agrees at any time of that day in Shanghai, and
			// uses the Shanghai date even for a UTC instant.
			for _, hm := range []string{"00:00", "12:30", "23:59"} {
				ti := sh(tt.date + " " + hm)
				if c.IsWorkday(ti) != tt.want || c.IsWorkday(ti.UTC()) != tt.want {
					t.Errorf("IsWorkday(%s %s) != %v", tt.date, hm, tt.want)
				}
			}
		})
	}
}

func TestCovers(t *testing.T) {
	t.Parallel()
	c := MustCalendar(t)
	for y := 2020; y <= 2027; y++ {
		if !c.Covers(y) {
			t.Errorf("Covers(%d) = false", y)
		}
	}
	if c.Covers(2019) || c.Covers(2028) {
		t.Error("Covers reports a year that has no data")
	}
}

func TestAddWorkdays(t *testing.T) {
	t.Parallel()
	c := MustCalendar(t)
	tests := []struct {
		start string
		n     int
		want  string
	}{
		{"2026-09-28 10:00", 1, "2026-09-29 18:00"}, // Mon → Tue
		{"2026-09-28 20:00", 1, "2026-09-29 18:00"}, // evening: still Tue
		{"2026-09-28 08:00", 1, "2026-09-29 18:00"}, // start day never counts
		{"2026-09-30 16:00", 1, "2026-10-08 18:00"}, // over National Day
		{"2026-09-30 16:00", 2, "2026-10-09 18:00"},
		{"2026-09-30 16:00", 3, "2026-10-10 18:00"}, // make-up Saturday
		{"2026-09-30 16:00", 15, "2026-10-27 18:00"},
		{"2026-10-03 11:00", 1, "2026-10-08 18:00"}, // starts on a holiday
		{"2026-09-18 17:00", 1, "2026-09-20 18:00"}, // Fri → make-up Sunday
		{"2026-09-18 17:00", 2, "2026-09-21 18:00"},
		{"2026-02-13 15:00", 1, "2026-02-14 18:00"}, // Spring Festival
		{"2026-02-13 15:00", 2, "2026-02-24 18:00"},
		{"2026-02-13 15:00", 10, "2026-03-05 18:00"},
		{"2023-09-28 09:00", 1, "2023-10-07 18:00"},
		{"2023-09-28 09:00", 2, "2023-10-08 18:00"},
		{"2023-09-28 09:00", 3, "2023-10-09 18:00"},
		{"2026-12-31 10:00", 1, "2027-01-04 18:00"}, // across years
		{"2026-09-30 16:00", 0, "2026-09-30 16:00"},
	}
	for _, tt := range tests {
		got := c.AddWorkdays(sh(tt.start), tt.n)
		if want := sh(tt.want); !got.Equal(want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.start, tt.n, got.In(shanghai), tt.want)
		}
		if got.Location().String() != "Asia/Shanghai" {
			t.Errorf("AddWorkdays(%s, %d) location = %s, want Asia/Shanghai", tt.start, tt.n, got.Location())
		}
	}
}

func TestAddWorkingHours(t *testing.T) {
	t.Parallel()
	c := MustCalendar(t)
	tests := []struct {
		start string
		d     time.Duration
		want  string
	}{
		{"2026-09-29 09:00", 2 * time.Hour, "2026-09-29 11:00"},
		{"2026-09-29 11:00", 1 * time.Hour, "2026-09-29 12:00"}, // ends at the span's end
		{"2026-09-29 11:00", 2 * time.Hour, "2026-09-29 15:00"}, // lunch does not count
		{"2026-09-29 12:30", 1 * time.Hour, "2026-09-29 15:00"}, // starts in the lunch break
		{"2026-09-29 07:00", 30 * time.Minute, "2026-09-29 09:30"},
		{"2026-09-29 17:00", 2 * time.Hour, "2026-09-30 10:00"},
		{"2026-09-29 17:00", 1 * time.Hour, "2026-09-29 18:00"},
		{"2026-09-29 20:00", 7 * time.Hour, "2026-09-30 18:00"},
		{"2026-09-30 16:00", 2 * time.Hour, "2026-09-30 18:00"},
		{"2026-09-30 16:00", 3 * time.Hour, "2026-10-08 10:00"}, // over National Day
		{"2026-09-30 16:00", 9*time.Hour + 30*time.Minute, "2026-10-09 09:30"},
		{"2026-09-30 16:00", 2*time.Hour + 15*7*time.Hour, "2026-10-27 18:00"},
		{"2026-10-09 17:30", time.Hour, "2026-10-10 09:30"},     // make-up Saturday
		{"2026-02-13 17:00", 2 * time.Hour, "2026-02-14 10:00"}, // make-up Saturday
		{"2026-02-14 17:00", 2 * time.Hour, "2026-02-24 10:00"}, // Spring Festival
		{"2026-09-29 10:00", 0, "2026-09-29 10:00"},
	}
	for _, tt := range tests {
		got := c.AddWorkingHours(sh(tt.start), tt.d)
		if want := sh(tt.want); !got.Equal(want) {
			t.Errorf("AddWorkingHours(%s, %s) = %s, want %s", tt.start, tt.d, got.In(shanghai), tt.want)
		}
	}
}

func TestWorkingTimeBetween(t *testing.T) {
	t.Parallel()
	c := MustCalendar(t)
	tests := []struct {
		a, b string
		want time.Duration
	}{
		{"2026-09-29 09:00", "2026-09-29 18:00", 7 * time.Hour},
		{"2026-09-29 11:00", "2026-09-29 15:00", 2 * time.Hour},
		{"2026-09-29 12:10", "2026-09-29 13:50", 0},
		{"2026-09-29 17:00", "2026-09-30 10:00", 2 * time.Hour},
		{"2026-09-30 16:00", "2026-10-08 10:00", 3 * time.Hour},
		{"2026-10-01 09:00", "2026-10-07 18:00", 0},
		{"2026-09-30 16:00", "2026-10-27 18:00", 2*time.Hour + 15*7*time.Hour},
		{"2026-10-08 10:00", "2026-09-30 16:00", -3 * time.Hour},
		{"2026-10-10 08:00", "2026-10-10 20:00", 7 * time.Hour}, // make-up Saturday
	}
	for _, tt := range tests {
		if got := c.WorkingTimeBetween(sh(tt.a), sh(tt.b)); got != tt.want {
			t.Errorf("WorkingTimeBetween(%s, %s) = %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestConsistency checks the functions against each other on random instants
// over 2020–2027: adding working time and measuring it back agree, and
// AddWorkdays is whole working days from the next workday's start.
func TestConsistency(t *testing.T) {
	t.Parallel()
	c := MustCalendar(t)
	r := rand.New(rand.NewPCG(1, 2))
	base := sh("2020-01-01 00:00")
	span := sh("2027-12-01 00:00").Sub(base)
	for range 5000 {
		start := base.Add(time.Duration(r.Int64N(int64(span))))
		d := time.Duration(r.Int64N(int64(40 * 7 * time.Hour)))
		end := c.AddWorkingHours(start, d)
		if got := c.WorkingTimeBetween(start, end); got != d {
			t.Fatalf("WorkingTimeBetween(%s, AddWorkingHours(_, %s)) = %s", start, d, got)
		}
		if d > 0 && !c.IsWorkingTime(end.Add(-time.Nanosecond)) {
			t.Fatalf("AddWorkingHours(%s, %s) = %s ends outside working time", start, d, end)
		}
		n := r.IntN(30) + 1
		got := c.AddWorkdays(start, n)
		want := c.AddWorkingHours(c.StartOfNextWorkday(start), time.Duration(n)*c.DayLength())
		if !got.Equal(want) {
			t.Fatalf("AddWorkdays(%s, %d) = %s, want %s", start, n, got, want)
		}
		if !c.IsWorkday(got) {
			t.Fatalf("AddWorkdays(%s, %d) = %s, not a workday", start, n, got)
		}
	}
}

func TestCustomHoursAndZone(t *testing.T) {
	t.Parallel()
	hours, err := workday.ParseHours("08:30-12:00, 13:30-17:30")
	if err != nil {
		t.Fatal(err)
	}
	c, err := workday.New(workday.Options{Hours: hours})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.DayLength(); got != 7*time.Hour+30*time.Minute {
		t.Errorf("DayLength = %s", got)
	}
	if got := c.AddWorkdays(sh("2026-09-29 10:00"), 1); !got.Equal(sh("2026-09-30 17:30")) {
		t.Errorf("AddWorkdays with custom hours = %s", got)
	}
	if got := c.AddWorkingHours(sh("2026-09-29 11:30"), time.Hour); !got.Equal(sh("2026-09-29 14:00")) {
		t.Errorf("AddWorkingHours with custom hours = %s", got)
	}

	// A zone with daylight saving time exercises the slow path of the
	// conversion back to an instant: New York moved to EDT on 8 Mar 2026.
	ny := mustLoad("America/New_York")
	c2, err := workday.New(workday.Options{Location: ny, Years: []workday.Year{}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 6, 17, 0, 0, 0, ny) // Friday, EST
	got := c2.AddWorkingHours(start, 2*time.Hour)
	if want := time.Date(2026, 3, 9, 10, 0, 0, 0, ny); !got.Equal(want) {
		t.Errorf("AddWorkingHours across DST = %s, want %s", got, want)
	}
	if got := c2.AddWorkdays(start, 1); !got.Equal(time.Date(2026, 3, 9, 18, 0, 0, 0, ny)) {
		t.Errorf("AddWorkdays across DST = %s", got)
	}
}

func TestParseHoursErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "9-12", "12:00-09:00", "09:00-12:00,11:00-13:00", "14:00-18:00,09:00-12:00", "09:00-25:00"} {
		if _, err := workday.ParseHours(s); err == nil {
			t.Errorf("ParseHours(%q) accepted", s)
		}
	}
}

func TestParseYearErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json, want string
	}{
		{"not json", `{`, "JSON"},
		{"unknown field", `{"year":2028,"source":"x","holidays":[{"name":"元旦","from":"2028-01-01","to":"2028-01-01","workday":[]}]}`, "unknown field"},
		{"bad year", `{"year":1999,"holidays":[{"name":"元旦","from":"1999-01-01","to":"1999-01-01"}]}`, "年份"},
		{"no holidays", `{"year":2028,"holidays":[]}`, "没有任何假日"},
		{"bad date", `{"year":2028,"holidays":[{"name":"元旦","from":"2028-02-30","to":"2028-01-01"}]}`, "格式不对"},
		{"reversed", `{"year":2028,"holidays":[{"name":"元旦","from":"2028-01-03","to":"2028-01-01"}]}`, "早于"},
		{"far away", `{"year":2028,"holidays":[{"name":"元旦","from":"2029-03-01","to":"2029-03-01"}]}`, "不在 2028 年前后"},
		{"no name", `{"year":2028,"holidays":[{"name":" ","from":"2028-01-01","to":"2028-01-01"}]}`, "没有名称"},
		{"weekday make-up", `{"year":2028,"holidays":[{"name":"元旦","from":"2028-01-01","to":"2028-01-01","workdays":["2028-01-05"]}]}`, "只能是周六或周日"},
		{"overlap", `{"year":2028,"holidays":[{"name":"a","from":"2028-01-01","to":"2028-01-03"},{"name":"b","from":"2028-01-03","to":"2028-01-04"}]}`, "重复"},
		{"off and worked", `{"year":2028,"holidays":[{"name":"a","from":"2028-01-01","to":"2028-01-02","workdays":["2028-01-01"]}]}`, "重复"},
		{"trailing", `{"year":2028,"holidays":[{"name":"a","from":"2028-01-01","to":"2028-01-01"}]} {}`, "多余"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := workday.ParseYear([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseYear error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestEmbeddedYearsAreValidAndComplete(t *testing.T) {
	t.Parallel()
	years, err := workday.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(years) != 8 || years[0].Year != 2020 || years[7].Year != 2027 {
		t.Fatalf("embedded years = %d files, want 2020–2027", len(years))
	}
	for _, y := range years {
		// Every year has the seven statutory holidays (two may share one
		// entry when Mid-Autumn falls next to National Day).
		names := map[string]bool{}
		for _, h := range y.Holidays {
			for _, n := range strings.Split(h.Name, "、") {
				names[n] = true
			}
		}
		for _, n := range []string{"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} {
			if !names[n] {
				t.Errorf("%d: no %s", y.Year, n)
			}
		}
		if y.Source == "" {
			t.Errorf("%d: no source", y.Year)
		}
	}
}

func TestOverlay(t *testing.T) {
	t.Parallel()
	base, err := workday.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		// A corrected 2027 that also makes 2027-01-04 (Monday) a day off.
		"calendar/2027.json": {Data: []byte(`{"year":2027,"source":"test","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-04","workdays":[]}]}`)},
		"calendar/2028.json": {Data: []byte(`{"year":2028,"source":"test","holidays":[{"name":"元旦","from":"2028-01-01","to":"2028-01-03","workdays":[]}]}`)},
		"calendar/README":    {Data: []byte("ignored")},
	}
	years, err := workday.Overlay(base, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(years) != 9 || years[8].Year != 2028 {
		t.Fatalf("Overlay gave %d years", len(years))
	}
	c, err := workday.New(workday.Options{Years: years})
	if err != nil {
		t.Fatal(err)
	}
	for date, want := range map[string]bool{
		"2027-01-04": false, // from the overlay
		"2027-02-08": true,  // the embedded Spring Festival 2027 is replaced as a whole
		"2028-01-03": false,
		"2026-10-01": false, // other years untouched
	} {
		d, _ := workday.ParseDate(date)
		if got := c.IsWorkdayDate(d); got != want {
			t.Errorf("IsWorkdayDate(%s) = %v, want %v", date, got, want)
		}
	}

	// A missing folder is no overlay; a misnamed or invalid file is an error.
	if got, err := workday.Overlay(base, fstest.MapFS{}); err != nil || len(got) != len(base) {
		t.Errorf("Overlay(empty) = %d years, %v", len(got), err)
	}
	bad := fstest.MapFS{"calendar/2029.json": fsys["calendar/2028.json"]}
	if _, err := workday.Overlay(base, bad); err == nil || !strings.Contains(err.Error(), "文件名应为 2028.json") {
		t.Errorf("Overlay(misnamed) error = %v", err)
	}
	bad = fstest.MapFS{"calendar/2028.json": {Data: []byte(`{"year":2028}`)}}
	if _, err := workday.Overlay(base, bad); err == nil {
		t.Error("Overlay(invalid) accepted")
	}
}

func TestDateRoundTrip(t *testing.T) {
	t.Parallel()
	d := workday.Date{Year: 1900, Month: time.January, Day: 1}
	want := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 200 * 366 {
		if got := workday.DateOf(want); got != d {
			t.Fatalf("DateOf(%s) = %s, want %s", want, got, d)
		}
		if d.Weekday() != want.Weekday() {
			t.Fatalf("%s.Weekday() = %s, want %s", d, d.Weekday(), want.Weekday())
		}
		d = d.AddDays(1)
		want = want.AddDate(0, 0, 1)
	}
}
