package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/knowledge"
	"huying/workflow"
)

// testKnowledge: articles are written by admins and their own unit's
// handlers, with compare-and-set on the version; a suggestion finds an
// article by its keywords and by its question in other words; a direct
// answer from an article names it in the event, counts its use and the
// direct-answer rate; an expired article cannot be answered from, and a
// refused answer writes nothing.
func testKnowledge(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	kb := f.Know
	now := f.Clock.Now()

	gas, err := kb.Create(ctx, f.Actors["admin"], knowledge.ArticleInput{
		Question: "燃气费怎么缴纳？", Answer: "可通过深圳燃气微信公众号、支付宝生活缴费或营业厅缴纳。",
		Category: "城乡建设/燃气", UnitID: UnitDeptB, Keywords: []string{"燃气费、缴费", " 交费 "},
	})
	if err != nil {
		t.Fatal(err)
	}
	if gas.ID == 0 || gas.Version != 1 || strings.Join(gas.Keywords, "|") != "燃气费|缴费|交费" || !gas.ValidFrom.Equal(now) {
		t.Fatalf("created %+v", gas)
	}
	old := now.Add(-48 * time.Hour)
	expired, err := kb.Create(ctx, f.Actors["admin"], knowledge.ArticleInput{
		Question: "2025年医保缴费截止时间", Answer: "2025年度医保缴费已截止。", UnitID: UnitDeptA,
		Keywords: []string{"医保"}, ValidFrom: &old, ValidTo: &now,
	})
	if err != nil {
		t.Fatal(err)
	}

	// Who may write: a handler for their own unit only; intake agents not at all.
	own := knowledge.ArticleInput{Question: "井盖丢失找谁？", Answer: "请拨打12345，由城管部门处理。", Keywords: []string{"井盖"}}
	mine, err := kb.Create(ctx, f.Actors["handler_a"], own)
	if err != nil || mine.UnitID != UnitDeptA {
		t.Fatalf("handler's own article: %+v %v", mine, err)
	}
	own.UnitID = UnitDeptB
	_, err = kb.Create(ctx, f.Actors["handler_a"], own)
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = kb.Create(ctx, f.Actors["intake"], own)
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = kb.Update(ctx, f.Actors["handler_a"], gas.ID, knowledge.ArticleInput{Question: "x", Answer: "y", Version: 1})
	wantCode(t, err, huying.EFORBIDDEN)
	// Nor may a handler move their own article to another unit.
	_, err = kb.Update(ctx, f.Actors["handler_a"], mine.ID, knowledge.ArticleInput{Question: mine.Question, Answer: mine.Answer,
		UnitID: UnitDeptB, Version: mine.Version})
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = kb.Create(ctx, f.Actors["admin"], knowledge.ArticleInput{Question: "没有答复", UnitID: UnitDeptA})
	wantCode(t, err, huying.EINVALID)
	_, err = kb.Create(ctx, f.Actors["admin"], knowledge.ArticleInput{Question: "q", Answer: "a", UnitID: "no-such-unit"})
	wantCode(t, err, huying.EINVALID)
	_, err = kb.Create(ctx, f.Actors["admin"], knowledge.ArticleInput{Question: "q", Answer: "a", UnitID: UnitDeptA, ValidFrom: &now, ValidTo: &old})
	wantCode(t, err, huying.EINVALID)
	if _, total, _ := kb.List(ctx, f.Actors["admin"], huying.ArticleFilter{}); total != 3 {
		t.Fatalf("after refused writes: %d articles, want 3", total)
	}

	// Compare-and-set on the version.
	upd := knowledge.ArticleInput{Question: "燃气费怎么缴纳？", Answer: "可通过深圳燃气微信公众号、支付宝、银行代扣或营业厅缴纳。",
		Category: gas.Category, Keywords: gas.Keywords, Version: 1}
	gas, err = kb.Update(ctx, f.Actors["handler_b"], gas.ID, upd)
	if err != nil || gas.Version != 2 || !strings.Contains(gas.Answer, "银行代扣") {
		t.Fatalf("update: %+v %v", gas, err)
	}
	_, err = kb.Update(ctx, f.Actors["admin"], gas.ID, upd) // version 1 again: stale
	wantCode(t, err, huying.ECONFLICT)

	// Lists: valid now, by unit, by words.
	if list, _, _ := kb.List(ctx, f.Actors["intake"], huying.ArticleFilter{ValidAt: now}); len(list) != 2 {
		t.Fatalf("valid now: %d, want 2", len(list))
	}
	if list, _, _ := kb.List(ctx, f.Actors["intake"], huying.ArticleFilter{Query: "燃气 代扣"}); len(list) != 1 || list[0].ID != gas.ID {
		t.Fatalf("query: %+v", list)
	}
	if list, _, _ := kb.List(ctx, f.Actors["intake"], huying.ArticleFilter{UnitID: UnitDeptA}); len(list) != 2 {
		t.Fatalf("unit: %d, want 2", len(list))
	}
	_, _, err = kb.List(ctx, huying.Actor{User: &huying.User{ID: 99, Kind: huying.UserResident, Roles: []huying.Role{huying.RoleResident}}}, huying.ArticleFilter{})
	wantCode(t, err, huying.EFORBIDDEN)

	// Suggestions: a keyword, then the question in other words; never an expired article.
	sg, err := kb.Suggest(ctx, f.Actors["intake"], "您好，我想问一下家里的燃气费在哪里可以交？")
	if err != nil || len(sg) == 0 || sg[0].Article.ID != gas.ID || !slices.Contains(sg[0].Matched, "燃气费") {
		t.Fatalf("suggest by keyword: %+v %v", sg, err)
	}
	sg, _ = kb.Suggest(ctx, f.Actors["intake"], "小区门口的井盖不见了")
	if len(sg) == 0 || sg[0].Article.ID != mine.ID {
		t.Fatalf("suggest by question words: %+v", sg)
	}
	for _, x := range must(kb.Suggest(ctx, f.Actors["intake"], "2025年医保缴费截止时间是什么时候")) {
		if x.Article.ID == expired.ID {
			t.Fatal("an expired article was suggested")
		}
	}

	// Answering from the article.
	c := f.MustReceive(t, Intake(huying.TypeConsult))
	_, err = f.Svc.Act(ctx, f.Actors["intake"], c.ID, huying.CmdAnswer, workflow.Action{Note: expired.Answer, ArticleID: expired.ID})
	wantCode(t, err, huying.EINVALID)
	_, err = f.Svc.Act(ctx, f.Actors["intake"], c.ID, huying.CmdAnswer, workflow.Action{Note: "x", ArticleID: 9999})
	wantCode(t, err, huying.EINVALID)
	f.MustAct(t, "intake", c, huying.CmdAnswer, workflow.Action{Note: gas.Answer, ArticleID: gas.ID})
	events, err := s.AppealEvents(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	if last.Kind != string(huying.CmdAnswer) || !strings.Contains(last.Data, `"article_id":`) || !strings.Contains(last.Data, "燃气费怎么缴纳") {
		t.Fatalf("answer event %+v", last)
	}
	plain := f.MustReceive(t, Intake(huying.TypeConsult))
	f.MustAct(t, "intake", plain, huying.CmdAnswer, workflow.Action{Note: "已告知办理地点。"})
	f.MustReceive(t, Intake(huying.TypeComplaint))
	list, _, _ := kb.List(ctx, f.Actors["intake"], huying.ArticleFilter{})
	if list[0].ID != gas.ID || list[0].Uses != 1 || list[1].Uses != 0 {
		t.Fatalf("uses: %+v", list[0])
	}
	st, err := kb.Stats(ctx, f.Actors["leader"], now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil || st.Received != 3 || st.Answered != 2 || st.FromArticle != 1 || st.Rate < 0.66 || st.Rate > 0.67 {
		t.Fatalf("stats %+v %v", st, err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
