package transfer

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"huying"
)

// MaxReportedErrors bounds the row errors a report lists; Failed counts
// them all.
const MaxReportedErrors = 1000

// RowError is a row that cannot be imported and why, in Chinese.
type RowError struct {
	// Row is the file's row number (the header is row 1).
	Row int `json:"row"`
	// Column is the header of the column at fault (or the field's Chinese
	// name when the file has no such column).
	Column  string `json:"column"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// String is the error as a report line: 第 3 行「联系电话」列：….
func (e RowError) String() string {
	return fmt.Sprintf("第 %d 行「%s」列：%s", e.Row, e.Column, e.Message)
}

// ImportOptions configure an import.
type ImportOptions struct {
	Format  Format
	Mapping Mapping
	// DryRun checks every row and counts what would be imported, and
	// writes nothing.
	DryRun bool
	// Progress, if set, is called after each batch with the rows done
	// and the rows in the file.
	Progress func(done, total int)
}

// ImportReport is what an import did (or, dry, would do).
type ImportReport struct {
	Source string `json:"source"`
	DryRun bool   `json:"dry_run"`
	// Rows is the file's rows after the header, blank ones left out.
	Rows int `json:"rows"`
	// Imported are the new appeals (dry: that would be created).
	Imported int `json:"imported"`
	// Existing are rows whose source id was imported before: skipped.
	Existing int `json:"existing"`
	// Failed are the rows with an error, each imported nothing.
	Failed int        `json:"failed"`
	Errors []RowError `json:"errors"`
	// Columns are the file's column headers, and Mapped the column each
	// field was read from, for the console's column mapping.
	Columns []string          `json:"columns"`
	Mapped  map[string]string `json:"mapped"`
	// Problem, in a dry run, is what stops the file as a whole (a
	// required column missing); the rows were not checked.
	Problem string `json:"problem,omitempty"`
	// Message says the outcome in one Chinese sentence.
	Message string `json:"message"`
}

// needsLead are the statuses of an appeal some unit holds.
var needsLead = []huying.Status{huying.StatusDispatched, huying.StatusSigned, huying.StatusHandling, huying.StatusReturned,
	huying.StatusExtensionRequested, huying.StatusTerminationRequested, huying.StatusReplied, huying.StatusReviewed}

// row is a checked row, ready to become an appeal.
type row struct {
	line     int
	sourceID string
	appeal   huying.Appeal
	closedAt *time.Time
	leadName string
}

// ImportAppeals imports the history in a file (opened twice: to count its
// rows, then to read them) for an admin or the command line. Each row is
// checked on its own — required fields, dates, status, unit, phone — and a
// bad row is reported and skipped while the others go in, in transactions
// of BatchSize rows. A row whose (source, source id) was imported before
// adds nothing, so a file imported twice imports nothing the second time.
// An imported appeal keeps its received and closed times: its receive
// event (marked "imported") is at the received time, and an imported
// event at the closing time records the status, lead unit and result the
// other system kept. No clocks start and no notices go out. Returns
// EFORBIDDEN, or EINVALID for a file that cannot be read at all (no
// header, a required column missing).
func (s *Service) ImportAppeals(ctx context.Context, actor huying.Actor, open Open, opt ImportOptions) (*ImportReport, error) {
	if err := actor.RequireAdmin("导入历史诉求"); err != nil {
		return nil, err
	}
	m := opt.Mapping
	if err := m.Validate(); err != nil {
		return nil, err
	}
	total, err := countRows(open, opt.Format)
	if err != nil {
		return nil, err
	}
	units, err := s.App.Store.Units(ctx)
	if err != nil {
		return nil, err
	}
	rr, err := openRows(open, opt.Format)
	if err != nil {
		return nil, err
	}
	defer rr.Close()
	header, err := rr.Next()
	if err != nil {
		return nil, huying.FieldErrorf("file", "文件是空的：第 1 行须是列名")
	}
	cols, err := m.columns(header)
	columns, mapped := make([]string, len(header)), map[string]string{}
	for i, h := range header {
		columns[i] = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
	}
	for field, i := range cols {
		mapped[field] = columns[i]
	}
	if err != nil {
		if !opt.DryRun {
			return nil, err
		}
		// A dry run reports what stops the file as a whole, with its
		// columns, so that the mapping can be put right.
		msg := huying.ErrorMessage(err)
		return &ImportReport{Source: m.Source, DryRun: true, Rows: total, Errors: []RowError{}, Columns: columns, Mapped: mapped,
			Problem: msg, Message: "试运行：" + msg + "。未写入任何数据。"}, nil
	}
	c := &checker{m: &m, cols: cols, header: header, zone: s.App.Zone, now: s.App.NowUTC(), units: map[string]string{}, names: unitNames(units), seen: map[string]int{}}
	for _, u := range units {
		c.units[u.ID], c.units[u.Name] = u.ID, u.ID
	}
	rep := &ImportReport{Source: m.Source, DryRun: opt.DryRun, Rows: total, Errors: []RowError{}, Columns: columns, Mapped: mapped}
	// One goroutine reads and checks the rows while this one writes the
	// batch before: the database and the parsing overlap.
	type checked struct {
		rows   []row
		failed int // rows failed so far, for the progress
		err    error
	}
	batches := make(chan checked, 1)
	stop := make(chan struct{})
	defer func() {
		// Stop the reader and wait for it, before rr closes.
		close(stop)
		for range batches {
		}
	}()
	var failed []RowError
	nFailed := 0
	go func() {
		defer close(batches)
		send := func(b checked) bool {
			select {
			case batches <- b:
				return true
			case <-stop:
				return false
			}
		}
		batch := make([]row, 0, s.batchSize())
		for line := 2; ; line++ {
			cells, err := rr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				send(checked{err: err})
				return
			}
			if blank(cells) {
				continue
			}
			r, rowErr := c.check(line, cells)
			if rowErr != nil {
				nFailed++
				if len(failed) < MaxReportedErrors {
					failed = append(failed, *rowErr)
				}
				continue
			}
			if batch = append(batch, r); len(batch) == cap(batch) {
				if !send(checked{rows: batch, failed: nFailed}) {
					return
				}
				batch = make([]row, 0, s.batchSize())
			}
		}
		send(checked{rows: batch, failed: nFailed})
	}()
	done := 0
	for b := range batches {
		if b.err != nil {
			return nil, b.err
		}
		if err := s.writeBatch(ctx, actor, m.Source, b.rows, opt.DryRun, rep); err != nil {
			return rep, err
		}
		done += len(b.rows)
		if opt.Progress != nil {
			opt.Progress(min(done+b.failed, total), total)
		}
	}
	// The reader has finished (it closed batches): its counts are final.
	rep.Failed, rep.Errors = nFailed, append(rep.Errors, failed...)
	if !opt.DryRun {
		data := map[string]any{"import_source": m.Source, "rows": rep.Rows, "imported": rep.Imported, "existing": rep.Existing, "failed": rep.Failed}
		if err := s.App.Store.Update(context.WithoutCancel(ctx), func(tx huying.Tx) error {
			return tx.AppendEvent(huying.AdminEvent(actor, huying.EventImported, data, s.App.NowUTC()))
		}); err != nil {
			return rep, fmt.Errorf("record import: %w", err)
		}
	}
	rep.Message = rep.summary()
	return rep, nil
}

func (r *ImportReport) summary() string {
	switch {
	case r.DryRun:
		return fmt.Sprintf("试运行：共 %d 行，可导入 %d 行，此前已导入 %d 行（将跳过），%d 行有错误；未写入任何数据。",
			r.Rows, r.Imported, r.Existing, r.Failed)
	case r.Imported == 0 && r.Failed == 0 && r.Existing > 0:
		return fmt.Sprintf("没有新的诉求：文件中的 %d 行此前都已导入，本次未导入任何诉求。", r.Existing)
	}
	return fmt.Sprintf("导入完成：共 %d 行，新导入 %d 行，此前已导入 %d 行（已跳过），%d 行有错误未导入。",
		r.Rows, r.Imported, r.Existing, r.Failed)
}

// countRows counts the rows after the header, blank ones left out.
func countRows(open Open, format Format) (int, error) {
	rr, err := openRows(open, format)
	if err != nil {
		return 0, err
	}
	defer rr.Close()
	n := -1
	for {
		cells, err := rr.Next()
		if err == io.EOF {
			return max(n, 0), nil
		}
		if err != nil {
			return 0, err
		}
		if n < 0 || !blank(cells) {
			n++
		}
	}
}

// writeBatch imports the checked rows of one batch in one transaction
// (dry: counts what it would). Rows already imported are skipped.
func (s *Service) writeBatch(ctx context.Context, actor huying.Actor, source string, batch []row, dry bool, rep *ImportReport) error {
	if len(batch) == 0 {
		return nil
	}
	ids := make([]string, len(batch))
	for i, r := range batch {
		ids[i] = r.sourceID
	}
	if dry {
		existing, err := s.App.Store.ImportedAppeals(ctx, source, ids)
		if err != nil {
			return err
		}
		rep.Existing += len(existing)
		rep.Imported += len(batch) - len(existing)
		return nil
	}
	now := s.App.NowUTC()
	var imported, skipped int
	err := s.App.Store.Update(ctx, func(tx huying.Tx) error {
		imported, skipped = 0, 0 // the store may run this again
		existing, err := tx.ImportedAppeals(source, ids)
		if err != nil {
			return err
		}
		fresh := make([]*huying.Appeal, 0, len(batch))
		rows := make([]*row, 0, len(batch))
		days := map[string][]*huying.Appeal{}
		for i := range batch {
			if _, ok := existing[batch[i].sourceID]; ok {
				skipped++
				continue
			}
			a := batch[i].appeal
			a.Assignments = slices.Clone(batch[i].appeal.Assignments)
			day := a.ReceivedAt.In(s.App.Zone).Format("20060102")
			days[day] = append(days[day], &a)
			fresh, rows = append(fresh, &a), append(rows, &batch[i])
		}
		for _, day := range slices.Sorted(maps.Keys(days)) {
			list := days[day]
			last, err := tx.ReserveSeq("code:"+s.App.CodePrefix+day, int64(len(list)))
			if err != nil {
				return err
			}
			for i, a := range list {
				a.Code = fmt.Sprintf("%s%s%06d", s.App.CodePrefix, day, last-int64(len(list)-1-i))
			}
		}
		events := make([]*huying.Event, 0, 2*len(fresh))
		links := make([]huying.ImportedAppeal, len(fresh))
		if err := tx.CreateAppeals(fresh); err != nil {
			return err
		}
		for i, a := range fresh {
			events = append(events, importEvents(a, actor, source, rows[i], now)...)
			links[i] = huying.ImportedAppeal{Source: source, SourceID: rows[i].sourceID, AppealID: a.ID, ClosedAt: rows[i].closedAt, ImportedAt: now}
		}
		if err := tx.AppendEvents(events); err != nil {
			return err
		}
		imported = len(fresh)
		return tx.RecordImports(links)
	})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	rep.Imported += imported
	rep.Existing += skipped
	return nil
}

// importEvents are an imported appeal's chain: its receive event at the
// received time, marked imported, and, unless the appeal is still just
// received, the imported event at its closing (or received) time with the
// status, lead unit and result the other system kept.
func importEvents(a *huying.Appeal, actor huying.Actor, source string, r *row, now time.Time) []*huying.Event {
	note := "历史诉求，导入自「" + source + "」"
	recv := huying.NewEvent(a, actor, string(huying.CmdReceive), huying.StatusNone, huying.StatusReceived, note,
		map[string]any{"channel": a.Channel, "type": a.Type, "urgency": a.Urgency, "code": a.Code, "imported": true,
			"import_source": source, "source_id": r.sourceID}, a.ReceivedAt)
	recv.Seq = 1
	lead := a.LeadUnit()
	if a.Status == huying.StatusReceived && lead == "" && a.ResultClass == "" {
		return []*huying.Event{recv}
	}
	data := map[string]any{"import_source": source, "source_id": r.sourceID, "imported_at": now.Format(time.RFC3339)}
	if lead != "" {
		data["lead"], data["lead_name"] = lead, r.leadName
	}
	if a.ResultClass != "" {
		data["result_class"] = a.ResultClass
	}
	at := a.ReceivedAt
	if r.closedAt != nil {
		at = *r.closedAt
		data["closed_at"] = r.closedAt.Format(time.RFC3339)
	}
	return []*huying.Event{recv, huying.NewEvent(a, actor, huying.EventImported, huying.StatusReceived, a.Status,
		"原系统记录："+a.Status.Name(), data, at)}
}

// checker checks rows against a mapping.
type checker struct {
	m      *Mapping
	cols   map[string]int
	header []string
	zone   *time.Location
	now    time.Time
	units  map[string]string // id or name → id
	names  map[string]string // id → name
	seen   map[string]int    // source id → the row it was on
}

func (c *checker) column(field string) string {
	if i, ok := c.cols[field]; ok && i < len(c.header) {
		return strings.TrimSpace(strings.TrimPrefix(c.header[i], "\uFEFF"))
	}
	return FieldNames[field]
}

func (c *checker) value(cells []string, field string) string {
	if i, ok := c.cols[field]; ok && i < len(cells) {
		if v := strings.TrimSpace(cells[i]); v != "" {
			return v
		}
	}
	if v := c.m.Defaults[field]; v != "" {
		return v
	}
	switch field {
	case FieldChannel:
		return "12345热线"
	case FieldUrgency:
		return string(huying.UrgencyNormal)
	}
	return ""
}

// check reads one row, or says what is wrong with it.
func (c *checker) check(line int, cells []string) (row, *RowError) {
	fail := func(field, format string, args ...any) (row, *RowError) {
		return row{}, &RowError{Row: line, Column: c.column(field), Field: field, Message: fmt.Sprintf(format, args...)}
	}
	get := func(field string) string { return c.value(cells, field) }
	r := row{line: line, sourceID: get(FieldSourceID)}
	switch {
	case r.sourceID == "":
		return fail(FieldSourceID, "缺少来源编号（原系统的工单编号），无法保证重复导入时不重复")
	case utf8.RuneCountInString(r.sourceID) > 100:
		return fail(FieldSourceID, "来源编号不能超过 100 个字")
	}
	if err := huying.CheckText(FieldSourceID, r.sourceID); err != nil {
		return fail(FieldSourceID, "%s", huying.ErrorMessage(err))
	}
	if prev, dup := c.seen[r.sourceID]; dup {
		return fail(FieldSourceID, "来源编号「%s」与第 %d 行重复", r.sourceID, prev)
	}
	received, err := c.time(get(FieldReceivedAt))
	switch {
	case get(FieldReceivedAt) == "":
		return fail(FieldReceivedAt, "缺少受理时间")
	case err != nil:
		return fail(FieldReceivedAt, "受理时间「%s」无法识别，请写成 2024-05-01 08:30:00 这样的格式", get(FieldReceivedAt))
	case received.After(c.now):
		return fail(FieldReceivedAt, "受理时间 %s 晚于现在", get(FieldReceivedAt))
	}
	word := get(FieldStatus)
	status, ok := huying.Status(""), false
	if st, mapped := c.m.Statuses[word]; mapped {
		status, ok = statusOf(st)
	} else {
		status, ok = statusOf(word)
	}
	switch {
	case word == "":
		return fail(FieldStatus, "缺少状态")
	case !ok:
		return fail(FieldStatus, "状态「%s」无法识别；请用「已归档」「办理中」等状态名，或在映射的 statuses 中说明它对应的状态", word)
	case status == huying.StatusMerged:
		return fail(FieldStatus, "已并单的诉求不能导入：请导入它并入的那件诉求")
	}
	if !status.Open() {
		v := get(FieldClosedAt)
		closed, err := c.time(v)
		switch {
		case v == "":
			return fail(FieldClosedAt, "状态为「%s」的诉求须填写办结时间", status.Name())
		case err != nil:
			return fail(FieldClosedAt, "办结时间「%s」无法识别，请写成 2024-05-01 08:30:00 这样的格式", v)
		case closed.Before(received):
			return fail(FieldClosedAt, "办结时间 %s 早于受理时间", v)
		case closed.After(c.now):
			return fail(FieldClosedAt, "办结时间 %s 晚于现在", v)
		}
		r.closedAt = &closed
	}
	lead := ""
	if v := get(FieldLeadUnit); v != "" {
		if lead, ok = c.units[v]; !ok {
			return fail(FieldLeadUnit, "主办单位「%s」不存在：请填写单位名称或编码", v)
		}
	} else if slices.Contains(needsLead, status) {
		return fail(FieldLeadUnit, "状态为「%s」的诉求须填写主办单位", status.Name())
	}
	result := get(FieldResultClass)
	if result != "" && !slices.Contains(huying.ResultClasses, result) {
		return fail(FieldResultClass, "办理结果「%s」无法识别，可选：%s", result, strings.Join(huying.ResultClasses, "、"))
	}
	confidential := false
	switch v := get(FieldConfidential); v {
	case "", "否", "0", "false", "FALSE", "N", "n":
	case "是", "1", "true", "TRUE", "Y", "y":
		confidential = true
	default:
		return fail(FieldConfidential, "保密一栏只能填「是」或「否」，而不是「%s」", v)
	}
	category := get(FieldCategory)
	if utf8.RuneCountInString(category) > 100 {
		return fail(FieldCategory, "分类不能超过 100 个字")
	}
	if err := huying.CheckText(FieldCategory, category); err != nil {
		return fail(FieldCategory, "%s", huying.ErrorMessage(err))
	}
	phone := strings.TrimPrefix(strings.ReplaceAll(get(FieldContactPhone), " ", ""), "+86")
	in := huying.Intake{Type: huying.AppealType(get(FieldType)), Urgency: huying.Urgency(get(FieldUrgency)), Channel: get(FieldChannel),
		Title: get(FieldTitle), Content: get(FieldContent), Address: get(FieldAddress), ContactName: get(FieldContactName),
		ContactPhone: phone, Confidential: confidential}
	in.Normalize()
	if err := in.Validate(); err != nil {
		field := huying.ErrorField(err)
		if !slices.Contains(Fields, field) {
			field = FieldContent
		}
		return fail(field, "%s", huying.ErrorMessage(err))
	}
	c.seen[r.sourceID] = line
	updated := received
	if r.closedAt != nil {
		updated = *r.closedAt
	}
	r.appeal = huying.Appeal{Type: in.Type, Urgency: in.Urgency, Channel: in.Channel, Title: in.Title, Content: in.Content,
		Address: in.Address, ContactName: in.ContactName, ContactPhone: in.ContactPhone, Confidential: in.Confidential,
		Status: status, Version: 1, ResultClass: result, Category: category, ReceivedAt: received, UpdatedAt: updated,
		Attachments: []huying.Attachment{}}
	if lead != "" {
		r.appeal.Assignments = []huying.Assignment{{UnitID: lead, Role: huying.AssignLead}}
		r.leadName = c.names[lead]
	}
	return r, nil
}

// timeLayouts are the ways files write a time, read in the zone when they
// carry none.
var timeLayouts = []string{time.DateTime, "2006-01-02 15:04", time.DateOnly, "2006/1/2 15:04:05", "2006/1/2 15:04",
	"2006/1/2", "2006年1月2日 15:04:05", "2006年1月2日 15:04", "2006年1月2日", "1/2/06 15:04", "01-02-06 15:04", "2006-01-02T15:04:05"}

// time reads a cell as a time: an RFC 3339 time, a local time in one of
// timeLayouts, or an Excel date serial (a cell formatted as a number).
func (c *checker) time(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, v, c.zone); err == nil {
			return t.UTC(), nil
		}
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 1 && f < 2958465 {
		t, err := excelize.ExcelDateToTime(f, false)
		if err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, c.zone).UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q", v)
}
