package workflow

import (
	"testing"
	"time"

	"huying/workday"
)

func TestDueLabel(t *testing.T) {
	t.Parallel()
	cal, err := workday.New(workday.Options{})
	if err != nil {
		t.Fatal(err)
	}
	zone := cal.Location()
	now := time.Date(2026, 9, 30, 16, 0, 0, 0, zone) // Wednesday 16:00, before National Day
	s := &Service{Calendar: cal, Now: func() time.Time { return now }}
	tests := []struct {
		due  time.Time
		want string
	}{
		{time.Date(2026, 9, 30, 17, 30, 0, 0, zone), "剩余 1 小时"},
		{time.Date(2026, 9, 30, 16, 20, 0, 0, zone), "剩余 20 分钟"},
		// 2 working hours today, then the holiday (10-01 to 10-07), then a full day on 10-08 and 3 h on 10-09.
		{time.Date(2026, 10, 9, 12, 0, 0, 0, zone), "剩余 1 个工作日 5 小时"},
		{time.Date(2026, 9, 30, 10, 0, 0, 0, zone), "已超期 4 小时"},
		{time.Date(2026, 9, 29, 16, 0, 0, 0, zone), "已超期 1 个工作日"},
	}
	for _, tt := range tests {
		if got := s.DueLabel(tt.due); got != tt.want {
			t.Errorf("DueLabel(%s) = %q, want %q", tt.due.Format(time.DateTime), got, tt.want)
		}
	}
	// No working time in between: the clock time, never 剩余 0 分钟.
	now = time.Date(2026, 9, 30, 20, 0, 0, 0, zone)
	for _, tt := range []struct {
		due  time.Time
		want string
	}{
		{time.Date(2026, 9, 30, 22, 0, 0, 0, zone), "剩余 2 小时"},
		{time.Date(2026, 9, 30, 19, 30, 0, 0, zone), "已超期 30 分钟"},
	} {
		if got := s.DueLabel(tt.due); got != tt.want {
			t.Errorf("DueLabel(%s) = %q, want %q", tt.due.Format(time.DateTime), got, tt.want)
		}
	}
}
