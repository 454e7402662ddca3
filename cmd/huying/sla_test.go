package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huying"
	"huying/sqlite"
	"huying/workday"
	"huying/workflow"
)

// TestSLAExplainJSON pins the README example.
func TestSLAExplainJSON(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	args := []string{"explain", "--type", "投诉", "--urgency", "一般", "--received", "2026-09-30T16:00:00+08:00", "--json", "--data", t.TempDir()}
	if err := runSLA(args, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var got []map[string]string
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	want := []map[string]string{
		{"stage": "dispatch", "due_at": "2026-09-30T18:00:00+08:00", "warn_at": "2026-09-30T17:36:00+08:00"},
		{"stage": "sign", "due_at": "2026-10-08T11:00:00+08:00", "warn_at": "2026-10-08T10:36:00+08:00"},
		{"stage": "first_contact", "due_at": "2026-10-09T11:00:00+08:00", "warn_at": "2026-10-09T09:00:00+08:00"},
		{"stage": "return", "due_at": "2026-10-08T18:00:00+08:00", "warn_at": "2026-10-08T16:36:00+08:00"},
		{"stage": "arbitrate", "due_at": "2026-10-09T18:00:00+08:00", "warn_at": "2026-10-09T16:36:00+08:00"},
		{"stage": "close", "due_at": "2026-10-27T18:00:00+08:00", "warn_at": "2026-10-22T18:00:00+08:00"},
		{"stage": "extension", "due_at": "2026-11-10T18:00:00+08:00", "warn_at": "2026-11-06T18:00:00+08:00"},
		{"stage": "review", "due_at": "2026-10-28T18:00:00+08:00", "warn_at": "2026-10-28T16:36:00+08:00"},
		{"stage": "callback", "due_at": "2026-10-28T18:00:00+08:00", "warn_at": "2026-10-28T16:36:00+08:00"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d stages, want %d:\n%s", len(got), len(want), out.String())
	}
	for i := range want {
		if len(got[i]) != 3 || got[i]["stage"] != want[i]["stage"] || got[i]["due_at"] != want[i]["due_at"] || got[i]["warn_at"] != want[i]["warn_at"] {
			t.Errorf("element %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestSLAExplainText(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	// A received time in UTC and without a zone mean the same instant here.
	for _, received := range []string{"2026-09-30T08:00:00Z", "2026-09-30 16:00"} {
		out.Reset()
		args := []string{"explain", "--type", "咨询", "--received", received, "--data", t.TempDir()}
		if err := runSLA(args, &out, &errOut); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"咨询 · 一般 · 受理时间 2026-09-30 16:00 星期三",
			"用去时限的 80% 时",
			"办结      2个工作日",
			"2026-10-09 15:12 星期五  2026-10-09 18:00 星期五",
			"签收      2小时（工作时间）   派单到期 2026-09-30 18:00 星期三",
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("--received %s: output lacks %q:\n%s", received, want, out.String())
			}
		}
	}
}

func TestSLAExplainProfileFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "sla.json")
	profile := `{"jurisdiction":"测试区","warn_ratio":0.5,"rules":[{"type":"*","urgency":"*","limits":{"close":"1wd"}}]}`
	if err := os.WriteFile(file, []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	args := []string{"explain", "--profile", file, "--type", "表扬", "--received", "2026-09-29T10:00:00+08:00", "--json", "--data", dir}
	if err := runSLA(args, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "stage": "close",
    "due_at": "2026-09-30T18:00:00+08:00",
    "warn_at": "2026-09-30T14:30:00+08:00"
  }
]
`
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestSLAErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"rules":[{"type":"*","urgency":"*","limits":{"close":"1.5wd"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{nil, "缺少子命令"},
		{[]string{"nope"}, "未知的子命令"},
		{[]string{"explain"}, "请用 --type 指定诉求类型"},
		{[]string{"explain", "--type", "表扬"}, "没有诉求类型“表扬”、紧急程度“一般”的时限配置"},
		{[]string{"explain", "--type", "投诉", "--urgency", "特急"}, "紧急程度“特急”"},
		{[]string{"explain", "--type", "投诉", "--received", "yesterday"}, "受理时间"},
		{[]string{"explain", "--type", "投诉", "extra"}, "多余的参数"},
		{[]string{"explain", "--type", "投诉", "--profile", bad}, "工作日必须是整数"},
		{[]string{"explain", "--type", "投诉", "--profile", filepath.Join(dir, "missing.json")}, "无法读取时限配置"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		err := runSLA(tt.args, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("runSLA(%q) error = %v, want one containing %q", tt.args, err, tt.want)
		}
	}
}

func TestSLADefaults(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := runSLA([]string{"defaults"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out.Bytes()) || !strings.Contains(out.String(), `"close": "15wd"`) {
		t.Errorf("defaults output:\n%s", out.String())
	}
}

// TestSLAExplainNamesVersion: with a database, explain uses the version
// of the SLA table in effect at the received time, and says which.
func TestSLAExplainNamesVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(data, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := workday.New(workday.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := workflow.New(store, cal)
	if err := svc.LoadSettings(ctx); err != nil {
		t.Fatal(err)
	}
	table := `{"jurisdiction":"测试区","rules":[{"type":"*","urgency":"*","limits":{"close":"2wd"}}]}`
	if _, err := svc.CreateSLAVersion(ctx, huying.Actor{}, workflow.NewSLAVersion{Table: []byte(table), Note: "缩短办结时限", BaseVersion: 1}); err != nil {
		t.Fatal(err)
	}
	store.Close()

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--received", "2026-09-30T16:00:00+08:00"}, "时限配置第 1 版"},
		{nil, "时限配置第 2 版"},
		{[]string{"--received", "2026-09-30T16:00:00+08:00", "--version", "2"}, "缩短办结时限"},
	} {
		var out, errOut bytes.Buffer
		args := append([]string{"explain", "--type", "投诉", "--data", data}, tt.args...)
		if err := runSLA(args, &out, &errOut); err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("%q: output lacks %q:\n%s", tt.args, tt.want, out.String())
		}
	}
	var out, errOut bytes.Buffer
	if err := runSLA([]string{"explain", "--type", "投诉", "--data", data, "--json"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Stage      string `json:"stage"`
		SLAVersion int    `json:"sla_version"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got) != 1 || got[0].Stage != "close" || got[0].SLAVersion != 2 {
		t.Fatalf("json: %+v %v\n%s", got, err, out.String())
	}
	if err := runSLA([]string{"explain", "--type", "投诉", "--data", data, "--version", "9"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "没有第 9 版") {
		t.Fatalf("unknown version: %v", err)
	}
}

// TestCalendarCheckSeesConsoleImport: `calendar check` answers with the
// years an admin imported through the console, as serve counts them.
func TestCalendarCheckSeesConsoleImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(data, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := workday.New(workday.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := workflow.New(store, cal)
	csv := "节日,放假开始,放假结束,调休上班\n国庆节,2028-10-01,2028-10-07,2028-10-08\n"
	if _, err := svc.ImportCalendar(ctx, huying.Actor{}, workflow.CalendarImport{Format: "csv", Content: csv, Year: 2028}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	var out bytes.Buffer
	if err := runCalendar([]string{"check", "--data", data, "2028-10-02", "2028-10-08"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	want := "2028-10-02 星期一：休息日（国庆节放假）\n2028-10-08 星期日：工作日（国庆节调休上班）\n"
	if out.String() != want {
		t.Errorf("check:\n%s\nwant:\n%s", out.String(), want)
	}
}
