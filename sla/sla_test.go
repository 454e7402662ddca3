package sla_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"huying/sla"
	"huying/workday"
)

// MustCalendar returns the default calendar.
func MustCalendar(t testing.TB) *workday.Calendar {
	t.Helper()
	c, err := workday.New(workday.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// MustProfile returns the built-in profile for a type and urgency.
func MustProfile(t testing.TB, typ, urgency string) *sla.Profile {
	t.Helper()
	p, err := sla.Default().Profile(sla.Key{Type: typ, Urgency: urgency})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func rfc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDefaultLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ, urgency string
		stage        sla.Stage
		want         string
	}{
		{"咨询", "一般", sla.StageClose, "2wd"},
		{"求助", "一般", sla.StageClose, "10wd"},
		{"建议", "一般", sla.StageClose, "10wd"},
		{"投诉", "一般", sla.StageClose, "15wd"},
		{"举报", "一般", sla.StageClose, "15wd"},
		{"投诉", "紧急", sla.StageClose, "2h"},
		{"咨询", "一般", sla.StageDispatch, "2h"},
		{"咨询", "紧急", sla.StageDispatch, "0.5h"},
		{"投诉", "一般", sla.StageSign, "2wh"},
		{"投诉", "紧急", sla.StageSign, "0.5h"},
		{"求助", "一般", sla.StageFirstContact, "24h"},
		{"求助", "一般", sla.StageExtension, "10wd"},
		{"求助", "一般", sla.StageReturn, "1wd"},
		{"求助", "一般", sla.StageCallback, "1wd"},
		{"求助", "一般", sla.StageReview, "1wd"},
	}
	for _, tt := range tests {
		p := MustProfile(t, tt.typ, tt.urgency)
		if got := p.Limits[tt.stage].String(); got != tt.want {
			t.Errorf("%s/%s %s = %s, want %s", tt.typ, tt.urgency, tt.stage, got, tt.want)
		}
		if p.WarnRatio != 0.8 {
			t.Errorf("%s/%s WarnRatio = %v", tt.typ, tt.urgency, p.WarnRatio)
		}
	}
	// Every type × urgency of the built-in table has every stage.
	for _, typ := range []string{"咨询", "求助", "投诉", "举报", "建议"} {
		for _, u := range []string{"一般", "紧急"} {
			if p := MustProfile(t, typ, u); len(p.Limits) != len(sla.Stages) {
				t.Errorf("%s/%s has %d stages, want %d", typ, u, len(p.Limits), len(sla.Stages))
			}
		}
	}
	// An unknown type has no close limit in the built-in table.
	if _, err := sla.Default().Profile(sla.Key{Type: "表扬", Urgency: "一般"}); !errors.Is(err, sla.ErrNoProfile) {
		t.Errorf("Profile(表扬/一般) error = %v, want ErrNoProfile", err)
	}
	// ... unless urgent, where the close limit does not depend on the type.
	if _, err := sla.Default().Profile(sla.Key{Type: "表扬", Urgency: "紧急"}); err != nil {
		t.Errorf("Profile(表扬/紧急) error = %v", err)
	}
}

func TestCompute(t *testing.T) {
	t.Parallel()
	cal := MustCalendar(t)
	tests := []struct {
		name      string
		limit     string
		ratio     float64
		start     string
		warn, due string
	}{
		// Clock hours run through nights and holidays.
		{"clock", "2h", 0.8, "2026-09-30T16:00:00+08:00", "2026-09-30T17:36:00+08:00", "2026-09-30T18:00:00+08:00"},
		{"clock half hour", "0.5h", 0.8, "2026-10-01T23:50:00+08:00", "2026-10-02T00:14:00+08:00", "2026-10-02T00:20:00+08:00"},
		// A clock-hour warning is moved into working hours: 04:00 on National Day goes back to 09-30 18:00.
		{"clock from UTC", "24h", 0.5, "2026-09-30T08:00:00Z", "2026-09-30T18:00:00+08:00", "2026-10-01T16:00:00+08:00"},
		// Working hours skip the night, lunch and National Day.
		{"working hours", "2wh", 0.8, "2026-09-30T17:00:00+08:00", "2026-10-08T09:36:00+08:00", "2026-10-08T10:00:00+08:00"},
		{"working hours at night", "2wh", 0.8, "2026-09-29T20:00:00+08:00", "2026-09-30T10:36:00+08:00", "2026-09-30T11:00:00+08:00"},
		{"working hours over lunch", "2wh", 0.5, "2026-09-29T11:00:00+08:00", "2026-09-29T12:00:00+08:00", "2026-09-29T15:00:00+08:00"},
		// Working days: start day not counted; 80% of 15 wd is the end of the 12th.
		{"15 working days", "15wd", 0.8, "2026-09-30T16:00:00+08:00", "2026-10-22T18:00:00+08:00", "2026-10-27T18:00:00+08:00"},
		{"2 working days", "2wd", 0.8, "2026-09-30T16:00:00+08:00", "2026-10-09T15:12:00+08:00", "2026-10-09T18:00:00+08:00"},
		{"1 working day before a make-up Sunday", "1wd", 0.8, "2026-09-18T10:00:00+08:00", "2026-09-20T16:36:00+08:00", "2026-09-20T18:00:00+08:00"},
		{"10 working days over Spring Festival", "10wd", 0.8, "2026-02-13T09:30:00+08:00", "2026-03-03T18:00:00+08:00", "2026-03-05T18:00:00+08:00"},
		{"ratio 1", "1wd", 1, "2026-09-29T10:00:00+08:00", "2026-09-30T18:00:00+08:00", "2026-09-30T18:00:00+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := sla.ParseLimit(tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			p := &sla.Profile{WarnRatio: tt.ratio, Limits: map[sla.Stage]sla.Limit{sla.StageClose: l}}
			d, err := sla.Compute(p, cal, sla.StageClose, rfc(tt.start))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.WarnAt.Format(time.RFC3339); got != tt.warn {
				t.Errorf("WarnAt = %s, want %s", got, tt.warn)
			}
			if got := d.DueAt.Format(time.RFC3339); got != tt.due {
				t.Errorf("DueAt = %s, want %s", got, tt.due)
			}
			if d.Stage != sla.StageClose || d.Limit != l || !d.Start.Equal(rfc(tt.start)) {
				t.Errorf("Deadline = %+v", d)
			}
		})
	}
}

func TestComputeMissingStage(t *testing.T) {
	t.Parallel()
	p := &sla.Profile{Key: sla.Key{Type: "x", Urgency: "y"}, WarnRatio: 0.8, Limits: map[sla.Stage]sla.Limit{}}
	_, err := sla.Compute(p, MustCalendar(t), sla.StageSign, rfc("2026-09-30T16:00:00+08:00"))
	if !errors.Is(err, sla.ErrNoLimit) {
		t.Errorf("Compute error = %v, want ErrNoLimit", err)
	}
}

// TestScheduleExplainExample pins the numbers of the README's
// `huying sla explain --type 投诉 --urgency 一般 --received 2026-09-30T16:00:00+08:00`.
func TestScheduleExplainExample(t *testing.T) {
	t.Parallel()
	got := sla.Schedule(MustProfile(t, "投诉", "一般"), MustCalendar(t), rfc("2026-09-30T16:00:00+08:00"))
	want := []struct {
		stage            sla.Stage
		start, warn, due string
	}{
		{sla.StageDispatch, "2026-09-30T16:00:00+08:00", "2026-09-30T17:36:00+08:00", "2026-09-30T18:00:00+08:00"},
		{sla.StageSign, "2026-09-30T18:00:00+08:00", "2026-10-08T10:36:00+08:00", "2026-10-08T11:00:00+08:00"},
		{sla.StageFirstContact, "2026-10-08T11:00:00+08:00", "2026-10-09T09:00:00+08:00", "2026-10-09T11:00:00+08:00"},
		{sla.StageReturn, "2026-09-30T18:00:00+08:00", "2026-10-08T16:36:00+08:00", "2026-10-08T18:00:00+08:00"},
		{sla.StageArbitrate, "2026-10-08T18:00:00+08:00", "2026-10-09T16:36:00+08:00", "2026-10-09T18:00:00+08:00"},
		{sla.StageClose, "2026-09-30T16:00:00+08:00", "2026-10-22T18:00:00+08:00", "2026-10-27T18:00:00+08:00"},
		{sla.StageExtension, "2026-10-27T18:00:00+08:00", "2026-11-06T18:00:00+08:00", "2026-11-10T18:00:00+08:00"},
		{sla.StageReview, "2026-10-27T18:00:00+08:00", "2026-10-28T16:36:00+08:00", "2026-10-28T18:00:00+08:00"},
		{sla.StageCallback, "2026-10-27T18:00:00+08:00", "2026-10-28T16:36:00+08:00", "2026-10-28T18:00:00+08:00"},
	}
	if len(got) != len(want) {
		t.Fatalf("Schedule gave %d deadlines, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Stage != w.stage || g.Start.Format(time.RFC3339) != w.start ||
			g.WarnAt.Format(time.RFC3339) != w.warn || g.DueAt.Format(time.RFC3339) != w.due {
			t.Errorf("stage %d = %s start %s warn %s due %s; want %s start %s warn %s due %s", i,
				g.Stage, g.Start.Format(time.RFC3339), g.WarnAt.Format(time.RFC3339), g.DueAt.Format(time.RFC3339),
				w.stage, w.start, w.warn, w.due)
		}
	}
}

func TestScheduleAnchorsFallBackToReceived(t *testing.T) {
	t.Parallel()
	// Without a dispatch limit, sign starts at receipt.
	p := &sla.Profile{WarnRatio: 0.8, Limits: map[sla.Stage]sla.Limit{
		sla.StageSign:  {Amount: 1, Unit: sla.ClockHours},
		sla.StageClose: {Amount: 1, Unit: sla.WorkingDays},
	}}
	got := sla.Schedule(p, MustCalendar(t), rfc("2026-09-29T10:00:00+08:00"))
	if len(got) != 2 || got[0].Stage != sla.StageSign || !got[0].DueAt.Equal(rfc("2026-09-29T11:00:00+08:00")) {
		t.Errorf("Schedule = %+v", got)
	}
}

func TestWarnNeverAfterDue(t *testing.T) {
	t.Parallel()
	cal := MustCalendar(t)
	start := rfc("2025-12-20T00:00:00+08:00")
	for _, k := range sla.Default().Keys() {
		p, err := sla.Default().Profile(k)
		if err != nil {
			t.Fatal(err)
		}
		for h := 0; h < 24*60; h += 7 { // every 7 hours over two months
			for _, d := range sla.Schedule(p, cal, start.Add(time.Duration(h)*time.Hour)) {
				if d.WarnAt.After(d.DueAt) || d.WarnAt.Before(d.Start) || !d.DueAt.After(d.Start) {
					t.Fatalf("%s %s: start %s warn %s due %s", k, d.Stage, d.Start, d.WarnAt, d.DueAt)
				}
			}
		}
	}
}

func TestParseLimit(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]sla.Limit{
		"15wd":  {Amount: 15, Unit: sla.WorkingDays},
		" 2wh ": {Amount: 2, Unit: sla.WorkingHours},
		"0.5h":  {Amount: 0.5, Unit: sla.ClockHours},
		"24 h":  {Amount: 24, Unit: sla.ClockHours},
	} {
		got, err := sla.ParseLimit(in)
		if err != nil || got != want {
			t.Errorf("ParseLimit(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "15", "1.5wd", "0h", "-2h", "2d", "xwd", "NaNh", "Infh", "400wd"} {
		if l, err := sla.ParseLimit(in); err == nil {
			t.Errorf("ParseLimit(%q) = %v, want an error", in, l)
		}
	}
	for l, want := range map[sla.Limit]string{
		{Amount: 15, Unit: sla.WorkingDays}:  "15个工作日",
		{Amount: 2, Unit: sla.WorkingHours}:  "2小时（工作时间）",
		{Amount: 0.5, Unit: sla.ClockHours}:  "30分钟（自然时间）",
		{Amount: 1.25, Unit: sla.ClockHours}: "1小时15分钟（自然时间）",
	} {
		if got := l.Label(); got != want {
			t.Errorf("%v.Label() = %q, want %q", l, got, want)
		}
	}
}

func TestParseTable(t *testing.T) {
	t.Parallel()
	tab, err := sla.Parse([]byte(`{
	  "jurisdiction": "测试区",
	  "warn_ratio": 0.75,
	  "rules": [
	    {"type": "*", "urgency": "*", "limits": {"dispatch": "2h", "close": "5wd"}},
	    {"type": "*", "urgency": "紧急", "warn_ratio": 0.5, "limits": {"dispatch": "0.5h", "close": "2h"}},
	    {"type": "咨询", "urgency": "*", "limits": {"close": "1wd"}},
	    {"type": "咨询", "urgency": "紧急", "limits": {"close": "1h"}}
	  ]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		typ, urgency    string
		dispatch, close string
		ratio           float64
	}{
		{"咨询", "紧急", "0.5h", "1h", 0.5}, // exact rule beats (咨询, *) and (*, 紧急)
		{"咨询", "一般", "2h", "1wd", 0.75}, // (咨询, *) beats (*, *)
		{"投诉", "紧急", "0.5h", "2h", 0.5},
		{"其他", "特急", "2h", "5wd", 0.75}, // only (*, *) matches
	}
	for _, tt := range tests {
		p, err := tab.Profile(sla.Key{Type: tt.typ, Urgency: tt.urgency})
		if err != nil {
			t.Fatalf("%s/%s: %v", tt.typ, tt.urgency, err)
		}
		if p.Limits[sla.StageDispatch].String() != tt.dispatch || p.Limits[sla.StageClose].String() != tt.close ||
			p.WarnRatio != tt.ratio || p.Jurisdiction != "测试区" {
			t.Errorf("%s/%s = %+v", tt.typ, tt.urgency, p)
		}
	}
}

func TestParseTableErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, json, want string }{
		{"not json", `[`, "JSON"},
		{"unknown field", `{"rules":[], "x":1}`, "unknown field"},
		{"no rules", `{"rules":[]}`, "没有任何规则"},
		{"bad ratio", `{"warn_ratio":1.5,"rules":[{"type":"*","urgency":"*","limits":{"close":"1wd"}}]}`, "预警比例"},
		{"bad rule ratio", `{"rules":[{"type":"*","urgency":"*","warn_ratio":-1,"limits":{"close":"1wd"}}]}`, "预警比例"},
		{"empty type", `{"rules":[{"type":"","urgency":"*","limits":{"close":"1wd"}}]}`, "缺少 type"},
		{"duplicate", `{"rules":[{"type":"*","urgency":"*","limits":{"close":"1wd"}},{"type":"*","urgency":"*","limits":{}}]}`, "重复"},
		{"unknown stage", `{"rules":[{"type":"*","urgency":"*","limits":{"close":"1wd","visit":"1h"}}]}`, "未知"},
		{"bad limit", `{"rules":[{"type":"*","urgency":"*","limits":{"close":"1.5wd"}}]}`, "整数"},
		{"named without close", `{"rules":[{"type":"咨询","urgency":"一般","limits":{"sign":"1h"}}]}`, "没有办结时限"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := sla.Parse([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestDefaultJSONRoundTrip(t *testing.T) {
	t.Parallel()
	tab, err := sla.Parse(sla.DefaultJSON())
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Keys()) != 10 {
		t.Errorf("default table names %d keys, want 10: %v", len(tab.Keys()), tab.Keys())
	}
}
