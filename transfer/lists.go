package transfer

import (
	"context"
	"io"
	"strconv"

	"huying"
)

// The smaller lists the console shows, exported through the same Table
// and audited the same way. Each list is read by its own service, with
// that service's role checks, and handed here whole: none is long.

// ExportFlags writes flags (挂牌督办) as a list showed them to the actor.
func (s *Service) ExportFlags(ctx context.Context, actor huying.Actor, list []*huying.Flag, filters map[string]any, format Format, w io.Writer) (int, error) {
	names, err := s.names(ctx)
	if err != nil {
		return 0, err
	}
	rows := make([][]any, len(list))
	for i, f := range list {
		state := "督办中"
		if f.ClosedAt != nil {
			state = "已销号"
		}
		last := ""
		if n := len(f.Progress); n > 0 {
			last = f.Progress[n-1].Note
		}
		rows[i] = []any{f.AppealCode, f.Title, f.Reason, name(names, f.SupervisingUnit), f.CreatedAt, f.DueAt, state, f.ClosedAt,
			f.ClosedNote, f.Public, len(f.Progress), last}
	}
	return s.exportRows(ctx, actor, "flags", "挂牌督办", []string{"受理编号", "标题", "督办理由", "督办单位", "挂牌时间", "督办时限", "状态",
		"销号时间", "销号说明", "公开", "进展条数", "最新进展"}, rows, filters, format, w)
}

// ExportChannelStats writes the channel figures (渠道统计).
func (s *Service) ExportChannelStats(ctx context.Context, actor huying.Actor, list []huying.ChannelStat, format Format, w io.Writer) (int, error) {
	rows := make([][]any, len(list))
	for i, c := range list {
		rows[i] = []any{c.Channel, c.Appeals, percent(c.Share), c.Duplicates}
	}
	return s.exportRows(ctx, actor, "channel_stats", "渠道统计", []string{"受理渠道", "诉求数", "占比", "并单数"}, rows, nil, format, w)
}

// ExportWhistleStats writes the 吹哨报到 figures per unit.
func (s *Service) ExportWhistleStats(ctx context.Context, actor huying.Actor, list []huying.WhistleStat, format Format, w io.Writer) (int, error) {
	names, err := s.names(ctx)
	if err != nil {
		return 0, err
	}
	rows := make([][]any, len(list))
	for i, st := range list {
		rows[i] = []any{name(names, st.UnitID), st.Summoned, st.ReportedOnTime, st.ReportedLate, st.NotReported, st.Rated,
			fixed1(st.AvgRating), st.Blown, st.RatingsGiven}
	}
	return s.exportRows(ctx, actor, "whistle_stats", "吹哨报到", []string{"单位", "被吹哨次数", "按时报到", "迟到报到", "未报到", "被评价次数",
		"平均评分", "吹哨次数", "评价他人次数"}, rows, nil, format, w)
}

// exportRows writes a whole list to one table and audits the export.
func (s *Service) exportRows(ctx context.Context, actor huying.Actor, list, sheet string, header []string, rows [][]any,
	filters map[string]any, format Format, w io.Writer) (int, error) {
	if !actor.IsStaff() {
		return 0, huying.Errorf(huying.EFORBIDDEN, "只有工作人员可以导出列表")
	}
	t, err := NewTable(w, format, sheet, header, s.App.Zone)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		if err = t.Row(r...); err != nil {
			break
		}
		n++
	}
	if err == nil {
		err = t.Close()
	}
	if filters == nil {
		filters = map[string]any{}
	}
	if aerr := s.recordExport(ctx, actor, list, format, filters, n, err == nil); aerr != nil && err == nil {
		err = aerr
	}
	return n, err
}

func (s *Service) names(ctx context.Context) (map[string]string, error) {
	units, err := s.App.Store.Units(ctx)
	if err != nil {
		return nil, err
	}
	return unitNames(units), nil
}

func name(names map[string]string, id string) string {
	if n, ok := names[id]; ok {
		return n
	}
	return id
}

func percent(share float64) string { return fixed1(share*100) + "%" }

func fixed1(f float64) string {
	return strconv.FormatFloat(f, 'f', 1, 64)
}
