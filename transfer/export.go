package transfer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"huying"
)

// AppealColumns are the columns of an appeal export, named as the console
// names them; the import's default mapping reads the same names (an
// export's masked contacts would still fail the import's phone check).
var AppealColumns = []string{
	"受理编号", "受理时间", "诉求类型", "紧急程度", "受理渠道", "标题", "诉求内容", "诉求地址", "联系人", "联系电话",
	"状态", "主办单位", "协办单位", "分类", "街道", "社区", "办理时限", "时限情况", "办理结果", "满意度", "重办次数", "保密",
}

// ExportAppeals writes the appeals matching f that the actor may see, as
// the list shows them (contacts masked, confidential appeals hidden from
// the roles the list hides them from), to w in format, reading the store
// one page at a time so that no more than a page is held. The list's order
// is kept: newest first pages by id, the other orders by offset. The
// export is recorded on the admin chain with the filters and the row
// count, also when it stops part way. It returns the rows written.
// Returns EFORBIDDEN (not staff) or EINVALID (over MaxExportRows).
func (s *Service) ExportAppeals(ctx context.Context, actor huying.Actor, f huying.AppealFilter, format Format, w io.Writer) (int, error) {
	if !actor.IsStaff() {
		return 0, huying.Errorf(huying.EFORBIDDEN, "只有工作人员可以导出诉求列表")
	}
	requested := f
	f.Limit, f.Offset, f.BeforeID, f.Bare = 1, 0, 0, false
	_, total, err := s.App.List(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	if total > MaxExportRows {
		return 0, huying.Errorf(huying.EINVALID, "符合条件的诉求有 %d 件，一次最多导出 %d 件，请缩小筛选范围", total, MaxExportRows)
	}
	units, err := s.App.Store.Units(ctx)
	if err != nil {
		return 0, err
	}
	names := unitNames(units)
	t, err := NewTable(w, format, "诉求", AppealColumns, s.App.Zone)
	if err != nil {
		return 0, err
	}
	n, err := s.appealRows(ctx, actor, f, t, names)
	if err == nil {
		err = t.Close()
	}
	if aerr := s.recordExport(ctx, actor, "appeals", format, filterData(requested), n, err == nil); aerr != nil && err == nil {
		err = aerr
	}
	return n, err
}

// appealRows pages through the list into t.
func (s *Service) appealRows(ctx context.Context, actor huying.Actor, f huying.AppealFilter, t *Table, names map[string]string) (int, error) {
	f.Limit, f.SkipTotal = s.pageSize(), true
	keyset := f.Sort == huying.SortNewest
	n := 0
	for {
		list, _, err := s.App.List(ctx, actor, f)
		if err != nil {
			return n, err
		}
		for _, a := range list {
			if err := t.Row(s.appealRow(a, names)...); err != nil {
				return n, err
			}
			n++
		}
		if len(list) < f.Limit || n >= MaxExportRows {
			return n, nil
		}
		if keyset {
			f.BeforeID = list[len(list)-1].ID
		} else {
			f.Offset += len(list)
		}
	}
}

// appealRow is one appeal as the export's columns.
func (s *Service) appealRow(a *huying.Appeal, names map[string]string) []any {
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return id
	}
	var assists []string
	for _, as := range a.Assignments {
		if as.Role == huying.AssignAssist {
			assists = append(assists, name(as.UnitID))
		}
	}
	lead, label, satisfaction := "", "", ""
	if id := a.LeadUnit(); id != "" {
		lead = name(id)
	}
	if a.DueAt != nil && a.Status.Open() {
		label = s.App.DueLabel(*a.DueAt)
	}
	if a.Rating != nil {
		satisfaction = a.Rating.Satisfaction
	}
	street, community := "", ""
	if a.Street != "" {
		street = name(a.Street)
	}
	if a.Community != "" {
		community = name(a.Community)
	}
	return []any{a.Code, a.ReceivedAt, string(a.Type), string(a.Urgency), a.Channel, a.Title, a.Content, a.Address,
		a.ContactName, a.ContactPhone, a.Status.Name(), lead, strings.Join(assists, "、"), a.Category, street, community,
		a.DueAt, label, a.ResultClass, satisfaction, a.RedoCount, a.Confidential}
}

// recordExport writes the export's audit event on the admin chain, even
// when the caller has gone (a download cut short is still an export).
func (s *Service) recordExport(ctx context.Context, actor huying.Actor, list string, format Format, filters map[string]any, rows int, complete bool) error {
	data := map[string]any{"list": list, "format": string(format), "filters": filters, "rows": rows, "complete": complete}
	err := s.App.Store.Update(context.WithoutCancel(ctx), func(tx huying.Tx) error {
		return tx.AppendEvent(huying.AdminEvent(actor, huying.EventExported, data, s.App.NowUTC()))
	})
	if err != nil {
		return fmt.Errorf("record export: %w", err)
	}
	return nil
}

// filterData is the filter a caller asked for, its set fields only, keyed
// by field name: every field the filter has (and any it gains) is
// recorded without this code knowing them.
func filterData(f any) map[string]any {
	out := map[string]any{}
	v := reflect.ValueOf(f)
	for i := range v.NumField() {
		field, fv := v.Type().Field(i), v.Field(i)
		if !field.IsExported() || fv.IsZero() || field.Name == "Limit" || field.Name == "Offset" || field.Name == "Bare" {
			continue
		}
		switch x := fv.Interface().(type) {
		case time.Time:
			out[field.Name] = x.UTC().Format(time.RFC3339)
		default:
			// Round-trip through JSON so the event's data holds plain values.
			b, err := json.Marshal(x)
			if err != nil {
				continue
			}
			var plain any
			if json.Unmarshal(b, &plain) == nil {
				out[field.Name] = plain
			}
		}
	}
	return out
}
