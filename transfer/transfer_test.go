package transfer

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"huying"
)

func TestCSVTable(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("CST", 8*3600)
	var buf bytes.Buffer
	tb, err := NewTable(&buf, FormatCSV, "诉求", []string{"编号", "内容", "时间", "件数", "保密"}, zone)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 9, 28, 2, 0, 0, 0, time.UTC)
	for _, row := range [][]any{
		{"PS1", "=HYPERLINK(\"http://x\")", at, -3, true},
		{"PS2", "+86 报警", (*time.Time)(nil), 0, false},
		{"PS3", "正常内容，含逗号", time.Time{}, 12},
	} {
		if err := tb.Row(row...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tb.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\uFEFF") || tb.Rows() != 3 {
		t.Fatalf("no BOM or %d rows", tb.Rows())
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"编号", "内容", "时间", "件数", "保密"},
		{"PS1", "'=HYPERLINK(\"http://x\")", "2026-09-28 10:00:00", "-3", "是"}, // a formula is defused; a number is not
		{"PS2", "'+86 报警", "", "0", "否"},
		{"PS3", "正常内容，含逗号", "", "12", ""},
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i, rows[i], want[i])
		}
	}
}

func TestCheckTimesAndStatuses(t *testing.T) {
	t.Parallel()
	zone := time.FixedZone("CST", 8*3600)
	c := &checker{zone: zone}
	want := time.Date(2025, 3, 1, 1, 15, 0, 0, time.UTC) // 09:15 in Beijing
	for _, v := range []string{"2025-03-01 09:15:00", "2025-03-01 09:15", "2025/3/1 9:15", "2025年3月1日 09:15", "2025-03-01T09:15:00+08:00", "45717.385416666664"} {
		got, err := c.time(v)
		if err != nil || !got.Equal(want) {
			t.Errorf("time(%q) = %v, %v; want %v", v, got, err, want)
		}
	}
	for _, v := range []string{"", "2025-13-01", "昨天", "1"} {
		if _, err := c.time(v); err == nil {
			t.Errorf("time(%q) read", v)
		}
	}
	for in, want := range map[string]huying.Status{"archived": huying.StatusArchived, "已归档": huying.StatusArchived, "已办结": huying.StatusArchived,
		"办理中": huying.StatusHandling, "不予受理": huying.StatusRefused, "不明": ""} {
		if got, _ := statusOf(in); got != want {
			t.Errorf("statusOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMapping(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		json, err string
	}{
		{`{"source": "旧平台", "columns": {"source_id": "单号"}, "statuses": {"完结": "archived"}}`, ""},
		{`{"columns": {"phone": "电话"}}`, "字段 \"phone\" 未知"},
		{`{"statuses": {"完结": "done"}}`, "未知的状态"},
		{`{"sauce": "x"}`, "不是有效的 JSON"},
	} {
		m, err := ReadMapping(strings.NewReader(c.json))
		if c.err == "" {
			if err != nil || m.Source != "旧平台" {
				t.Errorf("%s: %v %+v", c.json, err, m)
			}
			continue
		}
		if err == nil || !strings.Contains(huying.ErrorMessage(err), c.err) {
			t.Errorf("%s: %v, want %q", c.json, err, c.err)
		}
	}
	m := Mapping{Columns: map[string]string{FieldSourceID: "单号"}}
	if err := m.Validate(); err != nil || m.Source != DefaultSource {
		t.Fatalf("default source: %v %q", err, m.Source)
	}
	cols, err := m.columns([]string{"\uFEFF单号", "受理时间", "类型", "内容", "地址", "联系人", "电话", "状态"})
	if err != nil || cols[FieldSourceID] != 0 || cols[FieldContactPhone] != 6 || cols[FieldReceivedAt] != 1 {
		t.Fatalf("columns %v %v", cols, err)
	}
	if _, err := m.columns([]string{"编号"}); err == nil {
		t.Fatal("a header without the mapped column passed")
	}
}

func TestFilterData(t *testing.T) {
	t.Parallel()
	f := huying.AppealFilter{Statuses: []huying.Status{huying.StatusReceived}, Query: "油烟", Limit: 50, Offset: 100,
		ReceivedFrom: time.Date(2026, 9, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))}
	got := filterData(f)
	if len(got) != 3 || got["Query"] != "油烟" || got["ReceivedFrom"] != "2026-08-31T16:00:00Z" || got["Statuses"].([]any)[0] != "received" {
		t.Fatalf("filterData = %v", got)
	}
}
