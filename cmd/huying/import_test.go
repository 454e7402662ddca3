package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestImportCommand imports an xlsx twice through huying import appeals,
// with a mapping, after a dry run: plain progress lines off a terminal,
// the row error in Chinese, nothing new the second time.
func TestImportCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	x := excelize.NewFile()
	for i, row := range [][]any{
		{"单号", "时间", "结束", "类别", "内容", "地点", "姓名", "手机", "进度"},
		{"X-1", "2025-06-01 09:00:00", "2025-06-02 09:00:00", "投诉", "小区门口占道经营", "坪山区东纵路", "陈七", "13700001234", "完结"},
		{"X-2", "2025-06-01 10:00:00", "", "投诉", "噪音", "坪山区东纵路", "陈七", "13700001234", "不明"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "history.xlsx")
	if err := x.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	mapping := filepath.Join(dir, "mapping.json")
	if err := os.WriteFile(mapping, []byte(`{"source": "老系统", "columns": {"source_id": "单号", "received_at": "时间", "closed_at": "结束",
		"type": "类别", "content": "内容", "address": "地点", "contact_name": "姓名", "contact_phone": "手机", "status": "进度"},
		"statuses": {"完结": "archived"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, append(args, "--data", dir, "--file", file, "--mapping", mapping), nil, &out, &errOut)
		return out.String(), errOut.String(), err
	}
	out, progress, err := cli("import", "appeals", "--dry-run")
	if err != nil || !strings.Contains(out, "第 3 行「进度」列：状态「不明」无法识别") || !strings.Contains(out, "可导入 1 行") ||
		!strings.Contains(progress, "已处理 2 / 2 行") {
		t.Fatalf("dry run: %q %q %v", out, progress, err)
	}
	if out, _, err = cli("import", "appeals"); err != nil || !strings.Contains(out, "新导入 1 行") {
		t.Fatalf("import: %q %v", out, err)
	}
	if out, _, err = cli("import", "appeals"); err != nil || !strings.Contains(out, "新导入 0 行，此前已导入 1 行") {
		t.Fatalf("second import: %q %v", out, err)
	}
	if _, _, err := run2(ctx, "import", "appeals", "--data", dir, "--file", filepath.Join(dir, "x.pdf")); err == nil || !strings.Contains(err.Error(), ".xlsx 或 .csv") {
		t.Fatalf("a pdf: %v", err)
	}
}

func run2(ctx context.Context, args ...string) (string, string, error) {
	var out, errOut bytes.Buffer
	err := run(ctx, args, nil, &out, &errOut)
	return out.String(), errOut.String(), err
}
