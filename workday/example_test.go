package workday_test

import (
	"fmt"
	"time"

	"huying/workday"
)

func ExampleCalendar_IsWorkday() {
	c, _ := workday.New(workday.Options{}) // embedded 2020–2027, Asia/Shanghai, 09–12 and 14–18
	loc := c.Location()
	for _, t := range []time.Time{
		time.Date(2026, time.September, 30, 10, 0, 0, 0, loc), // Wednesday
		time.Date(2026, time.October, 1, 10, 0, 0, 0, loc),    // National Day
		time.Date(2026, time.October, 8, 10, 0, 0, 0, loc),    // first day back
		time.Date(2026, time.October, 10, 10, 0, 0, 0, loc),   // make-up Saturday
		time.Date(2026, time.October, 11, 10, 0, 0, 0, loc),   // ordinary Sunday
	} {
		fmt.Println(t.Format(time.DateOnly), c.IsWorkday(t))
	}
	// Output:
	// 2026-09-30 true
	// 2026-10-01 false
	// 2026-10-08 true
	// 2026-10-10 true
	// 2026-10-11 false
}

func ExampleCalendar_Day() {
	c, _ := workday.New(workday.Options{})
	for _, s := range []string{"2026-02-14", "2026-02-17", "2026-03-01"} {
		d, _ := workday.ParseDate(s)
		day := c.Day(d)
		fmt.Println(s, workday.WeekdayName(d.Weekday()), day.Workday, day.Kind, day.Holiday)
	}
	// Output:
	// 2026-02-14 星期六 true 调休上班日 春节
	// 2026-02-17 星期二 false 节假日 春节
	// 2026-03-01 星期日 false 周末
}

func ExampleCalendar_AddWorkdays() {
	c, _ := workday.New(workday.Options{})
	received := time.Date(2026, time.September, 30, 16, 0, 0, 0, c.Location())
	// A complaint (投诉) must be closed within 15 working days; the day of
	// receipt does not count, and National Day is skipped.
	fmt.Println(c.AddWorkdays(received, 15).Format(time.RFC3339))
	// Output:
	// 2026-10-27T18:00:00+08:00
}

func ExampleCalendar_AddWorkingHours() {
	c, _ := workday.New(workday.Options{})
	dispatched := time.Date(2026, time.September, 30, 17, 0, 0, 0, c.Location())
	// Two working hours from 17:00 on the eve of National Day end after the
	// holiday, at 10:00 on the first workday.
	fmt.Println(c.AddWorkingHours(dispatched, 2*time.Hour).Format(time.RFC3339))
	// Output:
	// 2026-10-08T10:00:00+08:00
}

func ExampleCalendar_WorkingTimeBetween() {
	c, _ := workday.New(workday.Options{})
	loc := c.Location()
	a := time.Date(2026, time.September, 30, 16, 0, 0, 0, loc)
	b := time.Date(2026, time.October, 8, 10, 30, 0, 0, loc)
	fmt.Println(c.WorkingTimeBetween(a, b))
	// Output:
	// 3h30m0s
}

func ExampleParseYear() {
	y, err := workday.ParseYear([]byte(`{
	  "year": 2028,
	  "source": "国务院办公厅关于2028年部分节假日安排的通知",
	  "holidays": [
	    {"name": "元旦", "from": "2028-01-01", "to": "2028-01-03", "workdays": []}
	  ]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(y.Year, y.Holidays[0].Name, len(y.Holidays[0].DaysOff()))

	_, err = workday.ParseYear([]byte(`{"year": 2028, "holidays": [
	  {"name": "春节", "from": "2028-01-25", "to": "2028-02-01", "workdays": ["2028-02-02"]}]}`))
	fmt.Println(err)
	// Output:
	// 2028 元旦 3
	// 第 1 个假日“春节”的调休上班日 2028-02-02 是星期三，调休上班日只能是周六或周日
}
