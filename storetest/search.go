package storetest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/internal/loadgen"
	"huying/internal/sqlstore"
	"huying/workflow"
)

// testSearch finds appeals by phone (full and last four, through the keyed
// index), contact name and words (one, two and three characters, several
// at once, upper and lower case, a code), combines the search with every
// filter and sorts by every column, and checks that the index follows an
// appeal's writes and that searching hides what the actor may not see.
func testSearch(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	receive := func(title, content, address, name, phone string, edit func(*huying.Intake)) *huying.Appeal {
		t.Helper()
		f.Clock.Advance(time.Hour)
		in := Intake(huying.TypeHelp)
		in.Title, in.ContactName, in.ContactPhone = title, name, phone
		if content != "" {
			in.Content, in.Address = content, address
		}
		if edit != nil {
			edit(&in)
		}
		return f.MustReceive(t, in)
	}
	// drain is dispatched, flagged by a supervisor and overdue after the
	// sweep, before the others come in (whose dispatch clocks would turn
	// red too).
	drain := receive("", "", "", "张三", "13800138000", nil)
	drain = f.MustAct(t, "dispatcher", drain, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	if _, err := f.Sup.Flag(ctx, f.Actors["supervisor"], drain.ID, workflow.FlagInput{Reason: "群众反映强烈", SupervisingUnit: UnitCentre,
		DueAt: f.Clock.T.Add(72 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	f.Clock.Advance(30 * 24 * time.Hour)
	mustSweep(t, f)
	fumes := receive("饭店油烟", "楼下饭店油烟扰民，晚上噪音也很大。", "坪山街道和平路1号", "李四", "13800138001", func(in *huying.Intake) {
		in.Type, in.Urgency, in.Channel = huying.TypeComplaint, huying.UrgencyUrgent, "网站"
	})
	lamp := receive("", "小区路灯不亮，WiFi信号也差", "坪山街道龙田路8号", "王五", "0755-28881234", nil)
	site := receive("", "工地夜间施工噪音", "坪山街道东纵路", "赵六", "13800138001", func(in *huying.Intake) { in.Confidential = true })
	hood := receive("", "新装的油烟机漏油", "坪山街道", "钱七", "13700001111", nil)
	all := []*huying.Appeal{drain, fumes, lamp, site, hood}
	// lamp is placed in the street and was sent back to redo (set by hand,
	// as only a long lifecycle would).
	if err := h.Exec(t, s, `UPDATE appeals SET street = '`+UnitStreet+`', community = '`+UnitCommunity+`', redo_count = 1 WHERE id = `+
		strconv.FormatInt(lamp.ID, 10)); err != nil {
		t.Fatal(err)
	}

	ids := func(as ...*huying.Appeal) []int64 {
		out := []int64{}
		for _, a := range as {
			out = append(out, a.ID)
		}
		slices.Sort(out)
		return out
	}
	tests := []struct {
		name   string
		filter huying.AppealFilter
		want   []int64
	}{
		{"phone", huying.AppealFilter{Phone: "13800138001"}, ids(fumes, site)},
		{"phone with country code and dashes", huying.AppealFilter{Phone: "+86 138-0013-8001"}, ids(fumes, site)},
		{"phone last four", huying.AppealFilter{Phone: "8001"}, ids(fumes, site)},
		{"landline", huying.AppealFilter{Phone: "075528881234"}, ids(lamp)},
		{"landline last four", huying.AppealFilter{Phone: "1234"}, ids(lamp)},
		{"phone nobody has", huying.AppealFilter{Phone: "13800138009"}, ids()},
		{"phone and words", huying.AppealFilter{Phone: "8001", Query: "噪音 施工"}, ids(site)},
		{"contact name", huying.AppealFilter{ContactName: "王五"}, ids(lamp)},
		{"family name alone is not a name", huying.AppealFilter{ContactName: "王"}, ids()},
		{"two-character word", huying.AppealFilter{Query: "油烟"}, ids(fumes, hood)},
		{"two two-character words", huying.AppealFilter{Query: "油烟 噪音"}, ids(fumes)},
		{"words with an ideographic space", huying.AppealFilter{Query: "油烟\u3000噪音"}, ids(fumes)},
		{"two-character word in two appeals", huying.AppealFilter{Query: "噪音"}, ids(fumes, site)},
		{"one character", huying.AppealFilter{Query: "灯"}, ids(lamp)},
		{"one character and a word", huying.AppealFilter{Query: "漏 油烟"}, ids(hood)},
		{"three characters", huying.AppealFilter{Query: "油烟机"}, ids(hood)},
		{"long word", huying.AppealFilter{Query: "楼下饭店油烟扰民"}, ids(fumes)},
		{"title and address words", huying.AppealFilter{Query: "饭店 和平路1号"}, ids(fumes)},
		{"address word", huying.AppealFilter{Query: "龙田路"}, ids(lamp)},
		{"case folded", huying.AppealFilter{Query: "wifi"}, ids(lamp)},
		{"code", huying.AppealFilter{Query: lamp.Code}, ids(lamp)},
		{"code in lower case", huying.AppealFilter{Query: "  " + strings.ToLower(lamp.Code)}, ids(lamp)},
		{"part of a code", huying.AppealFilter{Query: lamp.Code[:10]}, ids(fumes, lamp, site, hood)}, // drain came in a month before
		{"words not together", huying.AppealFilter{Query: "路灯 油烟"}, ids()},
		{"word nowhere", huying.AppealFilter{Query: "燃气"}, ids()},
		{"quote in a word", huying.AppealFilter{Query: `油"烟`}, ids()},
		{"type", huying.AppealFilter{Type: huying.TypeComplaint}, ids(fumes)},
		{"urgency", huying.AppealFilter{Urgency: huying.UrgencyUrgent}, ids(fumes)},
		{"channel and words", huying.AppealFilter{Channel: "网站", Query: "油烟"}, ids(fumes)},
		{"street", huying.AppealFilter{Street: UnitStreet}, ids(lamp)},
		{"community and words", huying.AppealFilter{Community: UnitCommunity, Query: "路灯"}, ids(lamp)},
		{"redone", huying.AppealFilter{Redone: true}, ids(lamp)},
		{"flagged", huying.AppealFilter{Flagged: true}, ids(drain)},
		{"overdue", huying.AppealFilter{Overdue: true}, ids(drain)},
		{"overdue and words", huying.AppealFilter{Overdue: true, Query: "下水道"}, ids(drain)},
		{"overdue and other words", huying.AppealFilter{Overdue: true, Query: "油烟"}, ids()},
		{"unit", huying.AppealFilter{UnitID: UnitDeptA}, ids(drain)},
		{"status and words", huying.AppealFilter{Statuses: []huying.Status{huying.StatusReceived}, Query: "噪音"}, ids(fumes, site)},
		{"received between", huying.AppealFilter{ReceivedFrom: lamp.ReceivedAt, ReceivedTo: site.ReceivedAt.Add(time.Minute)}, ids(lamp, site)},
		{"received between and words", huying.AppealFilter{ReceivedFrom: fumes.ReceivedAt, ReceivedTo: hood.ReceivedAt.Add(time.Minute), Query: "油烟"},
			ids(fumes, hood)},
		{"received before", huying.AppealFilter{ReceivedTo: fumes.ReceivedAt, Query: "坪山街道"}, ids(drain)},
	}
	for _, tt := range tests {
		list, total, err := s.Appeals(ctx, tt.filter)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := ids(list...); !slices.Equal(got, tt.want) || total != len(tt.want) {
			t.Errorf("%s: got %v (total %d), want %v", tt.name, got, total, tt.want)
		}
	}

	// Every column sorts both ways; ties fall back to the id.
	sorted := func(less func(a, b *huying.Appeal) int) []int64 {
		c := slices.Clone(all)
		for i, a := range c {
			c[i], _ = s.Appeal(ctx, a.ID)
		}
		slices.SortStableFunc(c, less)
		out := []int64{}
		for _, a := range c {
			out = append(out, a.ID)
		}
		return out
	}
	byID := func(a, b *huying.Appeal) int { return int(a.ID - b.ID) }
	for _, tt := range []struct {
		sort huying.AppealSort
		less func(a, b *huying.Appeal) int
	}{
		{huying.SortReceived, func(a, b *huying.Appeal) int { return cmpOr(a.ReceivedAt.Compare(b.ReceivedAt), byID(a, b)) }},
		{huying.SortUpdated, func(a, b *huying.Appeal) int { return cmpOr(a.UpdatedAt.Compare(b.UpdatedAt), byID(a, b)) }},
		{huying.SortCode, func(a, b *huying.Appeal) int { return cmpStrings(a.Code, b.Code) }},
		{huying.SortStatus, func(a, b *huying.Appeal) int {
			return cmpOr(cmpStrings(string(a.Status), string(b.Status)), byID(a, b))
		}},
	} {
		for _, desc := range []bool{false, true} {
			list, _, err := s.Appeals(ctx, huying.AppealFilter{Sort: tt.sort, Desc: desc})
			if err != nil {
				t.Fatal(err)
			}
			want := sorted(tt.less)
			if desc {
				slices.Reverse(want)
			}
			if got := appealIDs(list); !slices.Equal(got, want) {
				t.Errorf("sort %s desc=%v: got %v, want %v", tt.sort, desc, got, want)
			}
		}
	}
	if list, _, err := s.Appeals(ctx, huying.AppealFilter{Query: "油烟", Sort: huying.SortReceived, Desc: true}); err != nil ||
		!slices.Equal(appealIDs(list), []int64{hood.ID, fumes.ID}) {
		t.Errorf("words sorted by received_at desc: %v %v", appealIDs(list), err)
	}

	// The index follows a rewrite of the text and of the phone.
	if err := s.Update(ctx, func(tx huying.Tx) error {
		a, err := tx.Appeal(hood.ID)
		if err != nil {
			return err
		}
		a.Title, a.Content, a.ContactPhone = "抽风机漏油", "新装的抽风机漏油", "13700002222"
		return tx.UpdateAppeal(a, a.Version)
	}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		filter huying.AppealFilter
		want   []int64
	}{
		{"old word", huying.AppealFilter{Query: "油烟机"}, ids()},
		{"new word", huying.AppealFilter{Query: "抽风机"}, ids(hood)},
		{"old phone", huying.AppealFilter{Phone: "13700001111"}, ids()},
		{"new phone", huying.AppealFilter{Phone: "2222"}, ids(hood)},
	} {
		list, _, err := s.Appeals(ctx, tt.filter)
		if err != nil || !slices.Equal(ids(list...), tt.want) {
			t.Errorf("after the rewrite, %s: got %v %v, want %v", tt.name, ids(list...), err, tt.want)
		}
	}

	// Searching shows only what the actor may see, masked: the confidential
	// appeal of 13800138001 to the dispatcher but not to the leader; a
	// department only its own appeals.
	for _, tt := range []struct {
		who    string
		filter huying.AppealFilter
		want   []int64
	}{
		{"dispatcher", huying.AppealFilter{Phone: "13800138001"}, ids(fumes, site)},
		{"leader", huying.AppealFilter{Phone: "13800138001"}, ids(fumes)},
		{"leader", huying.AppealFilter{Query: "施工"}, ids()},
		{"leader", huying.AppealFilter{Phone: "8001"}, ids(fumes)},
		{"handler_b", huying.AppealFilter{Query: "下水道"}, ids()},
		{"handler_a", huying.AppealFilter{Query: "下水道", Phone: "8000"}, ids(drain)},
	} {
		list, total, err := f.Svc.List(ctx, f.Actors[tt.who], tt.filter)
		if err != nil || !slices.Equal(ids(list...), tt.want) || total != len(tt.want) {
			t.Errorf("%s %+v: got %v (total %d) %v, want %v", tt.who, tt.filter, ids(list...), total, err, tt.want)
		}
		for _, a := range list {
			if !strings.Contains(a.ContactPhone, "****") || !strings.HasSuffix(a.ContactName, "*") {
				t.Errorf("%s: contact not masked: %s %s", tt.who, a.ContactName, a.ContactPhone)
			}
		}
	}
}

func cmpOr(c ...int) int {
	for _, x := range c {
		if x != 0 {
			return x
		}
	}
	return 0
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// testSearchTotal: a search by words counts up to huying.MaxSearchTotal
// (one more means more), a list without words counts exactly, and rows the
// load generator writes in SQL are indexed (phone and text) like the others.
func testSearchTotal(t *testing.T, h Harness) {
	s := h.New(t)
	db, ok := s.(*sqlstore.DB)
	if !ok {
		t.Skip("not an sqlstore")
	}
	ctx := context.Background()
	n := huying.MaxSearchTotal + 5
	if err := loadgen.Bulk(ctx, db, n, time.Date(2026, 9, 28, 2, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		filter huying.AppealFilter
		total  int
		page   int
	}{
		{"common word", huying.AppealFilter{Query: "负载", Limit: 10}, huying.MaxSearchTotal + 1, 10},
		{"common word and a rare one", huying.AppealFilter{Query: "负载 批量数据", Limit: 10}, huying.MaxSearchTotal + 1, 10},
		{"no words", huying.AppealFilter{Limit: 10}, n, 10},
		{"phone of every row", huying.AppealFilter{Phone: "8000", Limit: 10}, n, 10},
		{"one row's title", huying.AppealFilter{Query: "数据 1003"}, 1, 1},
	} {
		list, total, err := s.Appeals(ctx, tt.filter)
		if err != nil || total != tt.total || len(list) != tt.page {
			t.Errorf("%s: %d rows, total %d, %v; want %d, total %d", tt.name, len(list), total, err, tt.page, tt.total)
		}
	}
}
