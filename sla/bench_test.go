package sla_test

import (
	"testing"
	"time"

	"huying/sla"
)

// benchStarts are receipt times spread over 2026, so the benchmark crosses
// weekends, holidays and make-up days rather than one lucky stretch.
func benchStarts() []time.Time {
	base := rfc("2026-01-01T00:00:00+08:00")
	out := make([]time.Time, 1024)
	for i := range out {
		out[i] = base.Add(time.Duration(i)*8*time.Hour + time.Duration(i%60)*time.Minute)
	}
	return out
}

// BenchmarkScheduleAppeal measures the deadline computation for one appeal:
// looking up its profile and computing all eight stages (due and warning
// times). Target: under 5 µs per appeal.
func BenchmarkScheduleAppeal(b *testing.B) {
	cal := MustCalendar(b)
	tab := sla.Default()
	keys := []sla.Key{
		{Type: "投诉", Urgency: "一般"}, {Type: "咨询", Urgency: "一般"}, {Type: "求助", Urgency: "一般"},
		{Type: "举报", Urgency: "紧急"}, {Type: "建议", Urgency: "一般"},
	}
	starts := benchStarts()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p, err := tab.Profile(keys[i%len(keys)])
		if err != nil {
			b.Fatal(err)
		}
		if d := sla.Schedule(p, cal, starts[i%len(starts)]); len(d) != len(sla.Stages) {
			b.Fatal(len(d))
		}
		i++
	}
}

// BenchmarkComputeClose measures one stage: the 15-working-day close limit of
// a complaint, the longest walk through the calendar among the defaults.
func BenchmarkComputeClose(b *testing.B) {
	cal := MustCalendar(b)
	p := MustProfile(b, "投诉", "一般")
	starts := benchStarts()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := sla.Compute(p, cal, sla.StageClose, starts[i%len(starts)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
