package storetest

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huying"
	"huying/audit"
	"huying/transfer"
)

// historyCSV is an old platform's export: an archived appeal with its
// unit, one with a bad phone, and one still just received.
const historyCSV = "\uFEFF工单编号,受理时间,办结时间,诉求类型,受理渠道,诉求内容,诉求地址,联系人,联系电话,状态,主办单位,办理结果\n" +
	"OLD-1,2025-03-01 09:15:00,2025-03-05 17:00:00,投诉,12345热线,和平路夜间施工噪音扰民,坪山区和平路8号,李四,13900001111,已办结,城管和综合执法局,已解决\n" +
	"OLD-2,2025-03-02 10:00:00,2025-03-03 10:00:00,求助,12345热线,路灯不亮,坪山区和平路9号,王五,12345,已办结,水务局,已解决\n" +
	"OLD-3,2025-03-04 08:00:00,,咨询,网站,社保卡如何补办,坪山区政务中心,赵六,075512345678,已受理,,\n"

func openString(s string) transfer.Open {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
}

// testImport imports history twice: the first run creates the good rows
// with their original times and no clocks or notices, the bad row fails
// alone with its row and column named; the second creates nothing.
func testImport(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	tr := transfer.New(f.Svc)
	opt := transfer.ImportOptions{Format: transfer.FormatCSV, Mapping: transfer.Mapping{Source: "旧平台"}}
	var progress []int
	opt.Progress = func(done, total int) { progress = append(progress, done, total) }
	if _, err := tr.ImportAppeals(ctx, f.Actors["dispatcher"], openString(historyCSV), opt); huying.ErrorCode(err) != huying.EFORBIDDEN {
		t.Fatalf("a dispatcher imported: %v", err)
	}
	backlog, err := s.OutboxBacklog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := tr.ImportAppeals(ctx, f.Actors["admin"], openString(historyCSV), opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 3 || rep.Imported != 2 || rep.Existing != 0 || rep.Failed != 1 || len(rep.Errors) != 1 {
		t.Fatalf("report %+v, want 3 rows: 2 imported, 1 failed", rep)
	}
	if e := rep.Errors[0]; e.Row != 3 || e.Column != "联系电话" || !strings.Contains(e.Message, "联系电话格式不正确") {
		t.Fatalf("row error %+v, want row 3, column 联系电话", e)
	}
	if len(progress) == 0 || progress[len(progress)-2] != 3 || progress[len(progress)-1] != 3 {
		t.Fatalf("progress %v, want to end at 3 of 3", progress)
	}
	list, total, err := f.Svc.List(ctx, f.Actors["supervisor"], huying.AppealFilter{})
	if err != nil || total != 2 {
		t.Fatalf("list: %d appeals, %v; want the 2 imported", total, err)
	}
	// Imported appeals are found like any other: by words, by the phone and by its last four digits.
	for _, q := range []huying.AppealFilter{{Query: "施工 噪音"}, {Phone: "13900001111"}, {Phone: "1111"}} {
		if found, n, err := f.Svc.List(ctx, f.Actors["supervisor"], q); err != nil || n != 1 || found[0].Content != "和平路夜间施工噪音扰民" {
			t.Fatalf("search %+v after the import: %d found, %v", q, n, err)
		}
	}
	zone := f.Svc.Zone
	byContent := map[string]*huying.Appeal{}
	for _, a := range list {
		byContent[a.Content] = a
	}
	old := byContent["和平路夜间施工噪音扰民"]
	if old == nil || old.Status != huying.StatusArchived || old.LeadUnit() != UnitDeptA || old.ResultClass != huying.ResultSolved ||
		!old.ReceivedAt.Equal(time.Date(2025, 3, 1, 9, 15, 0, 0, zone)) || old.Code != "PS20250301000001" || old.DueAt != nil {
		t.Fatalf("imported appeal %+v", old)
	}
	events, err := s.AppealEvents(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Kind != "receive" || !strings.Contains(events[0].Data, `"imported":true`) ||
		!events[0].At.Equal(old.ReceivedAt) || events[1].Kind != huying.EventImported ||
		!events[1].At.Equal(time.Date(2025, 3, 5, 17, 0, 0, 0, zone)) || events[1].ToStatus != huying.StatusArchived ||
		!strings.Contains(events[1].Data, `"import_source":"旧平台"`) || !strings.Contains(events[1].Data, `"lead_name":"城管和综合执法局"`) {
		t.Fatalf("events of an imported appeal: %+v", events)
	}
	for _, a := range list {
		if ds, err := s.AppealDeadlines(ctx, a.ID); err != nil || len(ds) != 0 {
			t.Fatalf("an imported appeal has clocks: %v %v", ds, err)
		}
	}
	if after, err := s.OutboxBacklog(ctx); err != nil || after != backlog {
		t.Fatalf("the import queued notices: %d before, %d after (%v)", backlog, after, err)
	}
	report, err := audit.Verify(ctx, s, audit.Options{})
	if err != nil || !report.OK() {
		t.Fatalf("audit after import: %+v %v", report, err)
	}

	again, err := tr.ImportAppeals(ctx, f.Actors["admin"], openString(historyCSV), opt)
	if err != nil {
		t.Fatal(err)
	}
	if again.Imported != 0 || again.Existing != 2 || again.Failed != 1 {
		t.Fatalf("second import %+v, want nothing new", again)
	}
	if _, total, _ := f.Svc.List(ctx, f.Actors["supervisor"], huying.AppealFilter{}); total != 2 {
		t.Fatalf("after a second import %d appeals, want 2", total)
	}
	// The same source id from another source is another appeal.
	other := opt
	other.Mapping.Source = "另一平台"
	rep, err = tr.ImportAppeals(ctx, huying.Actor{}, openString(historyCSV), other)
	if err != nil || rep.Imported != 2 {
		t.Fatalf("import from another source: %+v %v", rep, err)
	}
	lines := strings.Split(historyCSV, "\n")
	clean := strings.Join(append(lines[:2], lines[3:]...), "\n") // without the bad row
	rerun, err := tr.ImportAppeals(ctx, huying.Actor{}, openString(clean), other)
	if err != nil || rerun.Imported != 0 || rerun.Existing != 2 || rerun.Failed != 0 || !strings.Contains(rerun.Message, "没有新的诉求") {
		t.Fatalf("rerun: %+v %v", rerun, err)
	}
}

// testImportDryRun checks a dry run reports every row and writes nothing.
func testImportDryRun(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	tr := transfer.New(f.Svc)
	var before int
	if err := s.WalkEvents(ctx, func(*huying.Event) error { before++; return nil }); err != nil {
		t.Fatal(err)
	}
	rep, err := tr.ImportAppeals(ctx, f.Actors["admin"], openString(historyCSV),
		transfer.ImportOptions{Format: transfer.FormatCSV, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || rep.Imported != 2 || rep.Failed != 1 || !strings.Contains(rep.Message, "未写入任何数据") {
		t.Fatalf("dry run report %+v", rep)
	}
	if _, total, _ := f.Svc.List(ctx, f.Actors["supervisor"], huying.AppealFilter{}); total != 0 {
		t.Fatalf("a dry run created %d appeals", total)
	}
	var after int
	if err := s.WalkEvents(ctx, func(*huying.Event) error { after++; return nil }); err != nil || after != before {
		t.Fatalf("a dry run wrote events: %d → %d (%v)", before, after, err)
	}
	if got, err := s.ImportedAppeals(ctx, transfer.DefaultSource, []string{"OLD-1", "OLD-3"}); err != nil || len(got) != 0 {
		t.Fatalf("a dry run recorded sources: %v %v", got, err)
	}
	// A file without a required column is refused as a whole; a dry run
	// says so with the file's columns.
	bare := openString("工单编号,受理时间\nX,2025-01-01\n")
	_, err = tr.ImportAppeals(ctx, f.Actors["admin"], bare, transfer.ImportOptions{Format: transfer.FormatCSV})
	if huying.ErrorCode(err) != huying.EINVALID || !strings.Contains(huying.ErrorMessage(err), "缺少必需的列") {
		t.Fatalf("a file without columns: %v", err)
	}
	rep, err = tr.ImportAppeals(ctx, f.Actors["admin"], bare, transfer.ImportOptions{Format: transfer.FormatCSV, DryRun: true})
	if err != nil || !strings.Contains(rep.Problem, "诉求内容") || len(rep.Columns) != 2 || rep.Mapped["source_id"] != "工单编号" {
		t.Fatalf("dry run of a file without columns: %+v %v", rep, err)
	}
}

// testExport exports the appeal list as the list shows it: contacts
// masked, confidential appeals only to the roles that see them, each
// export an audit event.
func testExport(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	tr := transfer.New(f.Svc)
	tr.PageSize = 2 // cross pages
	secret := Intake(huying.TypeReport)
	secret.Confidential, secret.Content = true, "举报某小区违规排污，请为举报人保密。"
	f.MustReceive(t, secret)
	for range 4 {
		f.MustReceive(t, Intake(huying.TypeComplaint))
	}
	export := func(who string, format transfer.Format) [][]string {
		t.Helper()
		var buf bytes.Buffer
		n, err := tr.ExportAppeals(ctx, f.Actors[who], huying.AppealFilter{}, format, &buf)
		if err != nil {
			t.Fatalf("%s export: %v", who, err)
		}
		var rows [][]string
		if format == transfer.FormatCSV {
			if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) {
				t.Fatal("the CSV has no byte-order mark")
			}
			rows, err = csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
		} else {
			var x *excelize.File
			if x, err = excelize.OpenReader(&buf); err == nil {
				rows, err = x.GetRows("诉求")
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		if n != len(rows)-1 {
			t.Fatalf("%s: %d rows reported, %d in the file", who, n, len(rows)-1)
		}
		return rows
	}
	for _, who := range []string{"leader", "dispatcher"} {
		for _, format := range []transfer.Format{transfer.FormatCSV, transfer.FormatXLSX} {
			rows := export(who, format)
			want := 5
			if who == "leader" {
				want = 4 // a leader's list hides confidential appeals
			}
			if len(rows) != want+1 || rows[0][0] != "受理编号" || rows[0][10] != "状态" {
				t.Fatalf("%s %s: %d rows, header %v", who, format, len(rows), rows[0])
			}
			for _, r := range rows[1:] {
				if r[8] != "张*" || r[9] != "138****8000" || r[10] != "已受理" {
					t.Fatalf("%s %s row not masked or not named: %v", who, format, r)
				}
				if who == "leader" && strings.Contains(r[6], "保密") {
					t.Fatalf("a leader exported a confidential appeal: %v", r)
				}
			}
		}
	}
	if _, err := tr.ExportAppeals(ctx, huying.Actor{User: &huying.User{ID: 99, Kind: huying.UserResident}}, huying.AppealFilter{}, transfer.FormatCSV, io.Discard); huying.ErrorCode(err) != huying.EFORBIDDEN {
		t.Fatalf("a resident exported: %v", err)
	}
	var exports []*huying.Event
	if err := s.WalkEvents(ctx, func(e *huying.Event) error {
		if e.Kind == huying.EventExported {
			exports = append(exports, e)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(exports) != 4 || exports[0].Chain != huying.ChainAdmin || exports[0].Actor != "leader" ||
		!strings.Contains(exports[0].Data, `"rows":4`) || !strings.Contains(exports[0].Data, `"complete":true`) {
		t.Fatalf("export events %+v", exports)
	}
}
