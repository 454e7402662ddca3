package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/supervision"
	"huying/workflow"
)

// testFlags puts an appeal under 挂牌督办, reports progress, lets its clock
// go red and closes it.
func testFlags(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	a := f.MustAppealIn(t, huying.StatusHandling, "")
	in := workflow.FlagInput{Reason: "群众反映强烈，多次重复投诉", SupervisingUnit: UnitCentre, DueAt: f.Clock.T.Add(7 * 24 * time.Hour), Public: true}
	_, err := f.Sup.Flag(ctx, f.Actors["dispatcher"], a.ID, in)
	wantCode(t, err, huying.EFORBIDDEN)
	flag, err := f.Sup.Flag(ctx, f.Actors["supervisor"], a.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Sup.FlagProgress(ctx, f.Actors["handler_a"], flag.ID, "第一周：已完成现场勘查"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Sup.FlagProgress(ctx, f.Actors["handler_b"], flag.ID, "不是我的"), huying.EFORBIDDEN)
	f.Clock.Advance(8 * 24 * time.Hour)
	mustSweep(t, f)
	if d := deadline(t, s, a.ID, huying.StageFlag); d.State != huying.DeadlineRed {
		t.Fatalf("flag clock %s after its due time, want red", d.State)
	}
	wantCode(t, f.Sup.Urge(ctx, f.Actors["handler_b"], a.ID, "快点"), huying.EFORBIDDEN)
	if err := f.Sup.Urge(ctx, f.Actors["supervisor"], a.ID, "群众反复来电，请今天内答复"); err != nil {
		t.Fatal(err)
	}
	if kinds := kindsOf(t, s, a.ID); kinds[len(kinds)-1] != "urge" {
		t.Fatalf("manual urge not in the timeline: %v", kinds)
	}
	public, err := f.Sup.Flags(ctx, huying.Actor{}, huying.FlagFilter{})
	if err != nil || len(public) != 1 || len(public[0].Progress) != 1 || public[0].AppealCode != a.Code {
		t.Fatalf("public flags %+v %v", public, err)
	}
	if err := f.Sup.CloseFlag(ctx, f.Actors["supervisor"], flag.ID, "已整改到位，销号"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Sup.CloseFlag(ctx, f.Actors["supervisor"], flag.ID, "再销"), huying.ECONFLICT)
	if d := deadline(t, s, a.ID, huying.StageFlag); d.State != huying.DeadlineDone {
		t.Fatalf("flag clock %s after closing", d.State)
	}
	open, _ := f.Sup.Flags(ctx, f.Actors["leader"], huying.FlagFilter{OpenOnly: true})
	if len(open) != 0 {
		t.Fatalf("%d open flags after closing", len(open))
	}
	MustAuditClean(t, s)
}

// testWhistles: a street blows the whistle, one department reports in on
// time and one late, the street rates both after closure, and the figures
// of both sides add up.
func testWhistles(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	a := f.MustReceive(t, Intake(huying.TypeHelp))
	a = f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitStreet})
	a = f.MustAct(t, "handler_street", a, huying.CmdSign, workflow.Action{})

	_, err := f.Sup.Blow(ctx, f.Actors["handler_a"], a.ID, supervision.BlowInput{UnitIDs: []string{UnitDeptB}, Reason: "x"})
	wantCode(t, err, huying.EFORBIDDEN) // a department cannot blow
	_, err = f.Sup.Blow(ctx, f.Actors["handler_street"], a.ID, supervision.BlowInput{UnitIDs: []string{UnitCommunity}, Reason: "x"})
	wantCode(t, err, huying.EINVALID) // only departments are summoned
	w, err := f.Sup.Blow(ctx, f.Actors["handler_street"], a.ID, supervision.BlowInput{UnitIDs: []string{UnitDeptA, UnitDeptB}, Reason: "排水管网破损，需城管、水务联合处置"})
	if err != nil {
		t.Fatal(err)
	}
	// The summoned departments are co-handlers now.
	if _, err := f.Svc.Get(ctx, f.Actors["handler_b"], a.ID); err != nil {
		t.Fatalf("summoned department cannot see the appeal: %v", err)
	}
	f.Clock.Advance(10 * time.Minute)
	if err := f.Sup.ReportIn(ctx, f.Actors["handler_b"], w.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Sup.ReportIn(ctx, f.Actors["handler_b"], w.ID), huying.ECONFLICT)
	f.Clock.Advance(30 * time.Minute)
	mustSweep(t, f)
	reds, _ := s.Deadlines(ctx, huying.DeadlineFilter{States: []huying.DeadlineState{huying.DeadlineRed}, Stage: huying.StageReportIn})
	if len(reds) != 1 || reds[0].UnitID != UnitDeptA {
		t.Fatalf("red report-ins %+v, want dept-a's", reds)
	}
	if err := f.Sup.ReportIn(ctx, f.Actors["handler_a"], w.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Sup.RateCall(ctx, f.Actors["handler_street"], w.ID, UnitDeptA, 3, "迟到"), huying.ECONFLICT) // not closed yet
	a = f.MustAct(t, "handler_street", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "联合处置完毕"})
	if err := f.Sup.RateCall(ctx, f.Actors["handler_street"], w.ID, UnitDeptA, 3, "报到迟到"); err != nil {
		t.Fatal(err)
	}
	if err := f.Sup.RateCall(ctx, f.Actors["handler_street"], w.ID, UnitDeptB, 5, "响应迅速"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Sup.RateCall(ctx, f.Actors["handler_b"], w.ID, UnitDeptB, 5, ""), huying.EFORBIDDEN)
	// A unit never summoned is named as such; a second rating is a conflict.
	err = f.Sup.RateCall(ctx, f.Actors["handler_street"], w.ID, UnitCommunity, 4, "")
	if huying.ErrorCode(err) != huying.EINVALID || !strings.Contains(err.Error(), "未被本次吹哨召集") {
		t.Fatalf("rating an unsummoned unit: %v", err)
	}
	wantCode(t, f.Sup.RateCall(ctx, f.Actors["handler_street"], w.ID, UnitDeptB, 4, ""), huying.ECONFLICT)
	stats, err := f.Sup.WhistleStats(ctx, f.Actors["supervisor"])
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]huying.WhistleStat{}
	for _, st := range stats {
		by[st.UnitID] = st
	}
	if st := by[UnitDeptA]; st.Summoned != 1 || st.ReportedLate != 1 || st.AvgRating != 3 {
		t.Errorf("dept-a figures %+v", st)
	}
	if st := by[UnitDeptB]; st.Summoned != 1 || st.ReportedOnTime != 1 || st.AvgRating != 5 {
		t.Errorf("dept-b figures %+v", st)
	}
	if st := by[UnitStreet]; st.Blown != 1 || st.RatingsGiven != 2 {
		t.Errorf("street figures %+v", st)
	}
	if _, _, err := f.Svc.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	MustAuditClean(t, s)
}
