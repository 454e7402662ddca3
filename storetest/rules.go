package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/workflow"
)

// testRules: a return only within the profile's return limit; an
// extension no longer than the profile's extension limit; a second 不满意
// puts the redo under 挂牌督办 and marks it for the 通报; an open flag
// blocks archiving until 销号.
func testRules(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()

	// 退单 within its limit (1 working day in the default profile).
	a := f.MustReceive(t, Intake(huying.TypeComplaint))
	a = f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	a = f.MustAct(t, "handler_a", a, huying.CmdSign, workflow.Action{})
	f.Clock.Advance(6 * 7 * 24 * time.Hour)
	_, err := f.Svc.Act(ctx, f.Actors["handler_a"], a.ID, huying.CmdReturn, workflow.Action{Reason: "职能不符", Note: "六周后才退"})
	wantCode(t, err, huying.ECONFLICT)
	b := f.MustReceive(t, Intake(huying.TypeComplaint))
	b = f.MustAct(t, "dispatcher", b, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	b = f.MustAct(t, "handler_a", b, huying.CmdReturn, workflow.Action{Reason: "职能不符", Note: "当天退单"})
	// The centre's own clock (派单异议审核) runs on the return, on the board
	// when it goes red, and stops at the decision.
	if d := deadline(t, s, b.ID, huying.StageArbitrate); d.UnitID != UnitCentre || d.State != huying.DeadlineOpen || !d.DueAt.After(f.Clock.Now()) {
		t.Fatalf("arbitration clock %+v", d)
	}
	f.Clock.Advance(3 * 24 * time.Hour)
	mustSweep(t, f)
	mustSweep(t, f)
	_, items, err := f.Svc.Board(ctx, f.Actors["supervisor"], huying.DeadlineFilter{States: []huying.DeadlineState{huying.DeadlineRed}, Stage: huying.StageArbitrate})
	if err != nil || len(items) != 1 || items[0].AppealID != b.ID {
		t.Fatalf("board's red arbitrations %+v %v", items, err)
	}
	b = f.MustAct(t, "dispatcher", b, huying.CmdArbitrate, workflow.Action{Decision: workflow.DecisionReassign, LeadUnitID: UnitDeptB})
	if d := deadline(t, s, b.ID, huying.StageArbitrate); d.State != huying.DeadlineDone {
		t.Fatalf("arbitration clock after the decision %+v", d)
	}

	// Extensions capped at 10 working days past the handling deadline.
	c := f.MustReceive(t, Intake(huying.TypeComplaint))
	c = f.MustAct(t, "dispatcher", c, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	c = f.MustAct(t, "handler_a", c, huying.CmdSign, workflow.Action{})
	seven := c.DueAt.AddDate(0, 7, 0)
	_, err = f.Svc.Act(ctx, f.Actors["handler_a"], c.ID, huying.CmdRequestExtension, workflow.Action{DueAt: &seven, Note: "延期七个月"})
	wantCode(t, err, huying.EINVALID)
	week := c.DueAt.Add(7 * 24 * time.Hour)
	c = f.MustAct(t, "handler_a", c, huying.CmdRequestExtension, workflow.Action{DueAt: &week, Note: "延期一周"})
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], c.ID, huying.CmdDecideExtension, workflow.Action{Decision: workflow.DecisionApprove, DueAt: &seven})
	wantCode(t, err, huying.EINVALID)

	// Two 不满意: the second redo is flagged; the flag blocks archiving.
	d := f.MustAppealIn(t, huying.StatusReviewed, "")
	unhappy := &huying.Rating{Satisfaction: huying.Unsatisfied, Comment: "没解决"}
	d = f.MustAct(t, "intake", d, huying.CmdRate, workflow.Action{Rating: unhappy})
	if flags, _ := s.Flags(ctx, huying.FlagFilter{AppealID: d.ID}); len(flags) != 0 {
		t.Fatalf("a first 不满意 raised a flag: %+v", flags)
	}
	d = f.MustAct(t, "handler_a", d, huying.CmdSign, workflow.Action{})
	d = f.MustAct(t, "handler_a", d, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "再次办理"})
	d = f.MustAct(t, "dispatcher", d, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept})
	d = f.MustAct(t, "intake", d, huying.CmdRate, workflow.Action{Rating: unhappy})
	flags, err := s.Flags(ctx, huying.FlagFilter{AppealID: d.ID, OpenOnly: true})
	if err != nil || len(flags) != 1 || d.Status != huying.StatusDispatched {
		t.Fatalf("second 不满意: status %s, flags %+v %v", d.Status, flags, err)
	}
	if kinds := kindsOf(t, s, d.ID); !slices.Contains(kinds, "flag") {
		t.Fatalf("no flag event: %v", kinds)
	}
	d = f.MustAct(t, "handler_a", d, huying.CmdSign, workflow.Action{})
	d = f.MustAct(t, "handler_a", d, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "第三次办理"})
	d = f.MustAct(t, "dispatcher", d, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept})
	d = f.MustAct(t, "intake", d, huying.CmdRate, workflow.Action{Rating: &huying.Rating{Satisfaction: huying.Satisfied}})
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], d.ID, huying.CmdArchive, workflow.Action{})
	wantCode(t, err, huying.ECONFLICT)
	if err := f.Sup.CloseFlag(ctx, f.Actors["supervisor"], flags[0].ID, "已办结，诉求人满意，销号"); err != nil {
		t.Fatal(err)
	}
	f.MustAct(t, "dispatcher", d, huying.CmdArchive, workflow.Action{})
	MustAuditClean(t, s)
}

// testSmallRules: a duplicate unit code is a Chinese ECONFLICT naming the
// unit that holds it, not the driver's constraint message.
func testSmallRules(t *testing.T, h Harness) {
	f, _ := setup(t, h)
	ctx := context.Background()
	err := f.Ids.CreateUnit(ctx, f.Actors["admin"], huying.Unit{ID: UnitDeptA, ParentID: UnitCentre, Name: "另一个部门", Kind: huying.UnitDepartment})
	if huying.ErrorCode(err) != huying.ECONFLICT || !strings.Contains(err.Error(), "单位编码 "+UnitDeptA+" 已被") ||
		strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "units") {
		t.Fatalf("duplicate unit: %v", err)
	}
}

// testRecall: the centre takes an order back (撤回) — freely before the
// unit signed, with a reason after — and dispatches it again; the units'
// clocks stop, the dispatch clock starts again, the lead unit's handlers
// are told, and the chain derives the row.
func testRecall(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	a := f.MustReceive(t, Intake(huying.TypeHelp))
	a = f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	_, err := f.Svc.Act(ctx, f.Actors["handler_a"], a.ID, huying.CmdRecall, workflow.Action{})
	wantCode(t, err, huying.EFORBIDDEN)
	a = f.MustAct(t, "dispatcher", a, huying.CmdRecall, workflow.Action{})
	if a.Status != huying.StatusReceived || len(a.Assignments) != 0 || a.DueAt != nil {
		t.Fatalf("recalled before signing: %s %+v due %v", a.Status, a.Assignments, a.DueAt)
	}
	if d := deadline(t, s, a.ID, huying.StageSign); d.State != huying.DeadlineDone {
		t.Errorf("sign clock after the recall: %s", d.State)
	}
	if d := deadline(t, s, a.ID, huying.StageDispatch); d.State == huying.DeadlineDone {
		t.Errorf("no dispatch clock after the recall")
	}

	a = f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptB})
	a = f.MustAct(t, "handler_b", a, huying.CmdSign, workflow.Action{})
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], a.ID, huying.CmdRecall, workflow.Action{})
	wantCode(t, err, huying.EINVALID) // signed: a reason is required
	a = f.MustAct(t, "dispatcher", a, huying.CmdRecall, workflow.Action{Note: "职责调整，改派城管"})
	a = f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	if a.LeadUnit() != UnitDeptA || a.Status != huying.StatusDispatched {
		t.Fatalf("re-dispatched: %s %s", a.LeadUnit(), a.Status)
	}
	told := false
	for _, n := range claimAll(t, s) {
		if n.Template == "撤回通知" && n.Recipient == f.Actors["handler_b"].User.Phone && strings.Contains(n.Payload, "职责调整") {
			told = true
		}
	}
	if !told {
		t.Error("the signed unit's handler was not told of the recall with its reason")
	}
	MustAuditClean(t, s)
}
