package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCalendarCheck(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	args := []string{"check", "--data", t.TempDir(), "2026-10-01", "2026-10-10", "2026-09-29", "2026-09-19", "2026-02-14", "2030-10-01"}
	if err := runCalendar(args, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"2026-10-01 星期四：休息日（国庆节放假）",
		"2026-10-10 星期六：工作日（国庆节调休上班）",
		"2026-09-29 星期二：工作日",
		"2026-09-19 星期六：休息日（周末）",
		"2026-02-14 星期六：工作日（春节调休上班）",
		"2030-10-01 星期二：工作日。注意：没有 2030 年的节假日安排，只按周一至周五判断",
	}, "\n") + "\n"
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestCalendarErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"year":2028,"holidays":[{"name":"春节","from":"2028-01-25","to":"2028-02-01","workdays":["2028-02-02"]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{nil, "缺少子命令"},
		{[]string{"frobnicate"}, "未知的子命令"},
		{[]string{"check"}, "请给出要查询的日期"},
		{[]string{"check", "2026-13-01"}, "格式不对"},
		{[]string{"check", "--bogus", "2026-10-01"}, "参数错误"},
		{[]string{"check", "--hours", "18:00-09:00", "2026-10-01"}, "工作时间"},
		{[]string{"import"}, "请给出一个节假日安排文件"},
		{[]string{"import", filepath.Join(dir, "missing.json")}, "无法读取"},
		{[]string{"import", "--data", dir, bad}, "只能是周六或周日"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		err := runCalendar(tt.args, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("runCalendar(%q) error = %v, want one containing %q", tt.args, err, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "calendar")); !os.IsNotExist(err) {
		t.Errorf("a rejected import wrote to the data directory: %v", err)
	}
}

func TestCalendarImport(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	src := filepath.Join(t.TempDir(), "2028.json")
	year := `{
  "year": 2028,
  "source": "测试用安排",
  "holidays": [
    {"name": "元旦", "from": "2028-01-01", "to": "2028-01-03", "workdays": []},
    {"name": "国庆节", "from": "2028-10-01", "to": "2028-10-07", "workdays": ["2028-09-30", "2028-10-08"]}
  ]
}
`
	if err := os.WriteFile(src, []byte(year), 0o644); err != nil {
		t.Fatal(err)
	}

	// --dry-run shows what would change and writes nothing.
	var out bytes.Buffer
	if err := runCalendar([]string{"import", "--dry-run", "--data", data, src}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"2028 年节假日安排",
		"来源：测试用安排",
		"国庆节：2028-10-01（星期日）至2028-10-07（星期六）放假，共 7 天；调休上班：2028-09-30（星期六）、2028-10-08（星期日）",
		"当前没有 2028 年的安排",
		"2028-10-02（星期一）：工作日 → 休息日（国庆节放假）",
		"2028-10-08（星期日）：休息日（周末） → 工作日（国庆节调休上班）",
		"未写入",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry-run output lacks %q:\n%s", want, out.String())
		}
	}
	target := filepath.Join(data, "calendar", "2028.json")
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatalf("--dry-run wrote %s", target)
	}

	// A real import copies the file, and later commands see it.
	out.Reset()
	if err := runCalendar([]string{"import", src, "--data", data}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(target); err != nil || string(got) != year {
		t.Fatalf("imported file = %q, %v", got, err)
	}
	out.Reset()
	if err := runCalendar([]string{"check", "--data", data, "2028-10-02", "2028-10-08"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	want := "2028-10-02 星期一：休息日（国庆节放假）\n2028-10-08 星期日：工作日（国庆节调休上班）\n"
	if out.String() != want {
		t.Errorf("check after import:\n%s\nwant:\n%s", out.String(), want)
	}

	// Importing the same file again changes nothing.
	out.Reset()
	if err := runCalendar([]string{"import", "--data", data, src}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "没有哪一天的工作日状态改变") {
		t.Errorf("re-import output:\n%s", out.String())
	}
}
