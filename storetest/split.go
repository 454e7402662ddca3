package storetest

import (
	"context"
	"strings"
	"testing"

	"huying"
	"huying/dispatch"
	"huying/identity"
	"huying/workflow"
)

// splitParts are three parts of one call: the first dispatched at once,
// the others left for the dispatcher.
func splitParts() []workflow.SplitPart {
	return []workflow.SplitPart{
		{Content: "和平路12号门前下水道堵塞，污水外溢。", LeadUnitID: UnitDeptA},
		{Title: "和平路路灯不亮", Content: "和平路路灯连续一周不亮，夜间出行不便。", Type: huying.TypeComplaint},
		{Content: "小区门口占道经营，影响通行。"},
	}
}

// closeByRating walks a dispatched part through sign, reply, review and a
// satisfied rating, as lead unit lead's handler who.
func closeByRating(t *testing.T, f *Fixture, a *huying.Appeal, who string) *huying.Appeal {
	t.Helper()
	a = f.MustAct(t, who, a, huying.CmdSign, workflow.Action{})
	a = f.MustAct(t, who, a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已处理"})
	a = f.MustAct(t, "dispatcher", a, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept})
	return a
}

var satisfied = &huying.Rating{Satisfaction: huying.Satisfied, Speed: 5, Effect: 5, Experience: 5, ReplyQuality: 5}

// testSplit: a confidential appeal split in three (拆分) — the parts get
// the parent's code with -1, -2, -3, their own types and clocks, an event
// naming the parent, the parent's confidentiality; a stale version or a
// part split again is refused; each part is called back on its own, and
// the parent archives itself in the transaction of its last part's close.
func testSplit(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	in := Intake(huying.TypeHelp)
	in.Confidential = true
	a := f.MustReceive(t, in)

	_, err := f.Svc.Act(ctx, f.Actors["intake"], a.ID, huying.CmdSplit, workflow.Action{Parts: splitParts()})
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], a.ID, huying.CmdSplit, workflow.Action{Parts: splitParts()[:1]})
	wantCode(t, err, huying.EINVALID)
	bad := splitParts()
	bad[2].LeadUnitID = "no-such-unit"
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], a.ID, huying.CmdSplit, workflow.Action{Parts: bad})
	wantCode(t, err, huying.EINVALID)
	if huying.ErrorField(err) != "parts[2].lead_unit_id" {
		t.Errorf("bad lead's field: %q", huying.ErrorField(err))
	}
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], a.ID, huying.CmdSplit, workflow.Action{Version: a.Version + 1, Parts: splitParts()})
	wantCode(t, err, huying.ECONFLICT)
	if list, _, _ := s.Appeals(ctx, huying.AppealFilter{ParentID: a.ID}); len(list) != 0 {
		t.Fatalf("a refused split left %d parts", len(list))
	}

	a = f.MustAct(t, "dispatcher", a, huying.CmdSplit, workflow.Action{Version: a.Version, Parts: splitParts(), Note: "一次来电反映三项事项"})
	if a.Status != huying.StatusSplit {
		t.Fatalf("parent after split: %s", a.Status)
	}
	if d := deadline(t, s, a.ID, huying.StageDispatch); d.State != huying.DeadlineDone {
		t.Errorf("the parent's dispatch clock still runs: %s", d.State)
	}
	parts, err := f.Svc.Parts(ctx, f.Actors["dispatcher"], a.ID)
	if err != nil || len(parts) != 3 {
		t.Fatalf("parts: %+v %v", parts, err)
	}
	kids := make([]*huying.Appeal, 3)
	for i, p := range parts {
		c, err := s.Appeal(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		kids[i] = c
		want := a.Code + "-" + string(rune('1'+i))
		if c.Code != want || c.ParentID != a.ID || !c.Confidential || c.ContactPhone != in.ContactPhone || c.CreatedBy != a.CreatedBy {
			t.Errorf("part %d: code %s parent %d confidential %v", i+1, c.Code, c.ParentID, c.Confidential)
		}
		events, _ := s.AppealEvents(ctx, c.ID)
		if len(events) == 0 || events[0].Kind != string(huying.CmdReceive) || !strings.Contains(events[0].Data, `"parent":"`+a.Code+`"`) {
			t.Errorf("part %d's first event does not name the parent: %+v", i+1, events)
		}
	}
	if kids[0].Status != huying.StatusDispatched || kids[0].LeadUnit() != UnitDeptA || kids[0].DueAt == nil {
		t.Errorf("part 1 not dispatched at once: %s %s", kids[0].Status, kids[0].LeadUnit())
	}
	if d := deadline(t, s, kids[0].ID, huying.StageSign); d.State == huying.DeadlineDone || d.UnitID != UnitDeptA {
		t.Errorf("part 1 has no sign clock of its own: %+v", d)
	}
	if kids[1].Status != huying.StatusReceived || kids[1].Type != huying.TypeComplaint || kids[1].Title != "和平路路灯不亮" {
		t.Errorf("part 2: %s %s %q", kids[1].Status, kids[1].Type, kids[1].Title)
	}
	if d := deadline(t, s, kids[1].ID, huying.StageDispatch); d.State == huying.DeadlineDone {
		t.Errorf("part 2 has no dispatch clock")
	}
	// Confidential: the parts are as hidden as their parent.
	if _, err := f.Svc.Get(ctx, f.Actors["leader"], kids[1].ID); huying.ErrorCode(err) != huying.ENOTFOUND {
		t.Errorf("a leader sees a confidential part: %v", err)
	}
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], kids[1].ID, huying.CmdSplit, workflow.Action{Parts: splitParts()})
	wantCode(t, err, huying.ECONFLICT) // one level only
	dup := f.MustReceive(t, in)
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], dup.ID, huying.CmdMerge, workflow.Action{TargetCode: a.Code})
	wantCode(t, err, huying.ECONFLICT) // merge into the part of the same matter instead
	f.MustAct(t, "dispatcher", dup, huying.CmdMerge, workflow.Action{TargetCode: kids[0].Code})
	told := 0
	for _, n := range claimAll(t, s) {
		if n.Recipient == in.ContactPhone && n.Template == "拆分告知" && strings.Contains(n.Payload, a.Code+"-3") {
			told++
		}
		if n.Recipient == in.ContactPhone && n.Template == "受理告知" && strings.Contains(n.Payload, a.Code+"-") {
			t.Errorf("a part sent its own 受理告知: %s", n.Payload)
		}
	}
	if told != 1 {
		t.Errorf("the resident was told of the split %d times, want once", told)
	}

	// Callback once per part (the default): each part is rated on its own.
	kids[0] = closeByRating(t, f, kids[0], "handler_a")
	if kids[0].Status != huying.StatusReviewed {
		t.Fatalf("part 1 reviewed: %s", kids[0].Status)
	}
	f.MustAct(t, "intake", kids[0], huying.CmdRate, workflow.Action{Rating: satisfied})
	kids[1] = f.MustAct(t, "dispatcher", kids[1], huying.CmdRefuse, workflow.Action{Reason: "转110"})
	if p, _ := s.Appeal(ctx, a.ID); p.Status != huying.StatusSplit {
		t.Fatalf("parent closed with a part open: %s", p.Status)
	}
	tr, err := f.Svc.Track(ctx, a.Code, in.ContactPhone[7:])
	if err != nil || len(tr.Parts) != 3 || tr.Parts[0].Status != huying.StatusRated || tr.Parts[2].Status != huying.StatusReceived || tr.CanRate {
		t.Fatalf("tracking the parent: %+v %v", tr, err)
	}
	kids[2] = f.MustAct(t, "dispatcher", kids[2], huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptB})
	kids[2] = closeByRating(t, f, kids[2], "handler_b")
	if tr, err := f.Svc.Track(ctx, kids[2].Code, in.ContactPhone[7:]); err != nil || !tr.CanRate || tr.PartOf != a.Code {
		t.Fatalf("a reviewed part's tracking: %+v %v", tr, err)
	}
	f.MustAct(t, "intake", kids[2], huying.CmdRate, workflow.Action{Rating: satisfied})
	p, err := s.Appeal(ctx, a.ID)
	if err != nil || p.Status != huying.StatusArchived {
		t.Fatalf("parent after its last part closed: %s %v", p.Status, err)
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	last := events[len(events)-1]
	if last.Kind != string(huying.CmdArchive) || last.Actor != "system" {
		t.Errorf("the parent's last event: %s by %s", last.Kind, last.Actor)
	}
	closedAt := last.At
	kidEvents, _ := s.AppealEvents(ctx, kids[2].ID)
	if !kidEvents[len(kidEvents)-1].At.Equal(closedAt) {
		t.Errorf("the parent closed at %v, its last part at %v", closedAt, kidEvents[len(kidEvents)-1].At)
	}
	MustAuditClean(t, s)
}

// testSplitCallbackAtEnd: with the callback at the end, a reviewed part
// waits (no rating of its own, no invitation, no callback clock); when
// every part is reviewed or closed the parent is called back once, and its
// rating rates the parts, archiving them and the parent together; a
// 不满意 sends the parts to redo and the parent back to waiting.
func testSplitCallbackAtEnd(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	f.Svc.SplitCallback = workflow.SplitCallbackEnd
	in := Intake(huying.TypeHelp)
	a := f.MustReceive(t, in)
	parts := splitParts()[:2]
	parts[1].LeadUnitID = UnitDeptB
	a = f.MustAct(t, "dispatcher", a, huying.CmdSplit, workflow.Action{Parts: parts})
	list, _ := f.Svc.Parts(ctx, f.Actors["dispatcher"], a.ID)
	one, _ := s.Appeal(ctx, list[0].ID)
	two, _ := s.Appeal(ctx, list[1].ID)
	claimAll(t, s)

	one = closeByRating(t, f, one, "handler_a")
	_, err := f.Svc.Act(ctx, f.Actors["intake"], one.ID, huying.CmdRate, workflow.Action{Rating: satisfied})
	wantCode(t, err, huying.ECONFLICT)
	for _, d := range mustDeadlines(t, s, one.ID) {
		if d.Stage == huying.StageCallback {
			t.Errorf("a part waiting for the callback at the end has its own callback clock")
		}
	}
	if p, _ := s.Appeal(ctx, a.ID); p.Status != huying.StatusSplit {
		t.Fatalf("parent with one part reviewed: %s", p.Status)
	}
	two = closeByRating(t, f, two, "handler_b")
	p, _ := s.Appeal(ctx, a.ID)
	if p.Status != huying.StatusReviewed {
		t.Fatalf("parent with every part reviewed: %s", p.Status)
	}
	if d := deadline(t, s, a.ID, huying.StageCallback); d.State == huying.DeadlineDone {
		t.Errorf("the parent has no callback clock")
	}
	invites := 0
	for _, n := range claimAll(t, s) {
		if n.Template == "回访邀请" {
			invites++
			if !strings.Contains(n.Payload, a.Code) || strings.Contains(n.Payload, a.Code+"-") {
				t.Errorf("the invitation names a part: %s", n.Payload)
			}
		}
	}
	if invites != 1 {
		t.Errorf("%d callback invitations, want one", invites)
	}

	// 不满意: both parts go back to their units, the parent waits again.
	unhappy := &huying.Rating{Satisfaction: huying.Unsatisfied, Speed: 2, Effect: 1, Experience: 2, ReplyQuality: 2}
	p = f.MustAct(t, "intake", p, huying.CmdRate, workflow.Action{Rating: unhappy})
	if p.Status != huying.StatusSplit {
		t.Fatalf("parent after 不满意: %s", p.Status)
	}
	one, _ = s.Appeal(ctx, one.ID)
	two, _ = s.Appeal(ctx, two.ID)
	if one.Status != huying.StatusDispatched || one.RedoCount != 1 || two.Status != huying.StatusDispatched {
		t.Fatalf("parts after 不满意: %s (%d redos), %s", one.Status, one.RedoCount, two.Status)
	}
	one = closeByRating(t, f, one, "handler_a")
	two = closeByRating(t, f, two, "handler_b")
	p, _ = s.Appeal(ctx, a.ID)
	// The resident rates on the parent's page, with the proof Track gave.
	tr, err := f.Svc.Track(ctx, a.Code, in.ContactPhone[7:])
	if err != nil || !tr.CanRate || tr.RateProof == "" {
		t.Fatalf("the parent is not open to the resident's rating: %+v %v", tr, err)
	}
	if _, err := f.Svc.RateByResident(ctx, a.Code, tr.RateProof, *satisfied); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{one.ID, two.ID} {
		c, _ := s.Appeal(ctx, id)
		if c.Status != huying.StatusRated || c.Rating == nil || c.Rating.Satisfaction != huying.Satisfied {
			t.Errorf("part %s after the parent's rating: %s %+v", c.Code, c.Status, c.Rating)
		}
	}
	if p, _ = s.Appeal(ctx, a.ID); p.Status != huying.StatusArchived {
		t.Fatalf("parent after the callback at the end: %s", p.Status)
	}
	MustAuditClean(t, s)
}

func mustDeadlines(t *testing.T, s huying.Store, id int64) []*huying.Deadline {
	t.Helper()
	list, err := s.AppealDeadlines(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// communityCatalogue puts 小区管理 on the community duty list and leaves
// 市政设施 to the street.
func communityCatalogue(t *testing.T, f *Fixture) {
	t.Helper()
	cat := &dispatch.Catalogue{Rules: []dispatch.Rule{
		{ID: "street", Category: "城乡建设", Lead: dispatch.LeadStreet},
		{ID: "duty", Category: "城乡建设/城市建设和市政管理/小区管理", Place: UnitStreet, Lead: UnitCommunity, CommunityDuty: true},
	}}
	if _, err := f.Svc.SetCatalogue(context.Background(), f.Actors["admin"], cat); err != nil {
		t.Fatal(err)
	}
}

// mustUser adds a staff user to the fixture.
func mustUser(t *testing.T, f *Fixture, name, unit, phone string, roles ...huying.Role) huying.Actor {
	t.Helper()
	u, err := f.Ids.CreateUser(context.Background(), huying.Actor{}, identity.NewUser{Username: name, Name: name, Password: Password,
		UnitID: unit, Roles: roles, Phone: phone})
	if err != nil {
		t.Fatal(err)
	}
	f.Actors[name] = huying.Actor{User: u}
	return f.Actors[name]
}

// testPassDown: 二级分拨 — a street passes its order to its own community
// for a matter on the community duty list; the community leads and gets
// the 派单通知, the street stays on as copy, the handling deadline is not
// restarted; another street's community, a matter off the list, and a
// unit that is not a street are refused.
func testPassDown(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	communityCatalogue(t, f)
	if err := f.Ids.CreateUnit(ctx, huying.Actor{}, huying.Unit{ID: "street-2", ParentID: UnitCentre, Name: "马峦街道", Kind: huying.UnitStreet}); err != nil {
		t.Fatal(err)
	}
	if err := f.Ids.CreateUnit(ctx, huying.Actor{}, huying.Unit{ID: "community-2", ParentID: "street-2", Name: "马峦社区", Kind: huying.UnitCommunity}); err != nil {
		t.Fatal(err)
	}
	mustUser(t, f, "handler_comm", UnitCommunity, "13900001111", huying.RoleHandler)

	a := f.MustReceive(t, Intake(huying.TypeHelp))
	a = f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitStreet, Category: "城乡建设/城市建设和市政管理/小区管理"})
	a = f.MustAct(t, "handler_street", a, huying.CmdSign, workflow.Action{})
	due := *a.DueAt
	closeBefore := deadline(t, s, a.ID, huying.StageClose)
	claimAll(t, s)
	pass := workflow.Action{LeadUnitID: UnitCommunity, Note: "属小区管理事项，由社区办理"}

	_, err := f.Svc.Act(ctx, f.Actors["handler_a"], a.ID, huying.CmdPassDown, pass)
	wantCode(t, err, huying.ENOTFOUND) // not the handler's order
	_, err = f.Svc.Act(ctx, f.Actors["handler_street"], a.ID, huying.CmdPassDown, workflow.Action{LeadUnitID: "community-2", Note: "转派"})
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = f.Svc.Act(ctx, f.Actors["handler_street"], a.ID, huying.CmdPassDown, workflow.Action{LeadUnitID: UnitCommunity})
	wantCode(t, err, huying.EINVALID) // no reason
	_, err = f.Svc.Act(ctx, f.Actors["handler_street"], a.ID, huying.CmdPassDown, workflow.Action{LeadUnitID: UnitDeptA, Note: "转派"})
	wantCode(t, err, huying.EINVALID) // not a community
	if after, _ := s.Appeal(ctx, a.ID); after.Version != a.Version {
		t.Fatalf("a refused pass-down changed the appeal")
	}

	a = f.MustAct(t, "handler_street", a, huying.CmdPassDown, pass)
	if a.Status != huying.StatusDispatched || a.LeadUnit() != UnitCommunity || !a.AssignedTo(UnitStreet) || !a.DueAt.Equal(due) {
		t.Fatalf("passed down: %s lead %s %+v due %v (was %v)", a.Status, a.LeadUnit(), a.Assignments, a.DueAt, due)
	}
	if d := deadline(t, s, a.ID, huying.StageClose); d.UnitID != UnitCommunity || !d.DueAt.Equal(closeBefore.DueAt) {
		t.Errorf("the community's handling clock: %+v, the street's was due %v", d, closeBefore.DueAt)
	}
	if d := deadline(t, s, a.ID, huying.StageSign); d.UnitID != UnitCommunity || d.State == huying.DeadlineDone {
		t.Errorf("the community has no sign clock: %+v", d)
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	e := events[len(events)-1]
	if e.Kind != string(huying.CmdPassDown) || e.Note != pass.Note || !strings.Contains(e.Data, `"from":"`+UnitStreet+`"`) {
		t.Errorf("the pass-down event: %+v", e)
	}
	told := false
	for _, n := range claimAll(t, s) {
		told = told || n.Template == "派单通知" && n.Recipient == "13900001111"
	}
	if !told {
		t.Error("the community's handler got no 派单通知")
	}
	// The street still sees it (copy), the community handles it.
	if _, err := f.Svc.Get(ctx, f.Actors["handler_street"], a.ID); err != nil {
		t.Errorf("the street lost sight of its order: %v", err)
	}
	f.MustAct(t, "handler_comm", a, huying.CmdSign, workflow.Action{})

	// A matter off the community duty list stays with the street.
	b := f.MustReceive(t, Intake(huying.TypeHelp))
	b = f.MustAct(t, "dispatcher", b, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitStreet, Category: "城乡建设/城市建设和市政管理/市政设施"})
	_, err = f.Svc.Act(ctx, f.Actors["handler_street"], b.ID, huying.CmdPassDown, pass)
	wantCode(t, err, huying.ECONFLICT)
	// A department cannot pass down at all.
	c := f.MustReceive(t, Intake(huying.TypeHelp))
	c = f.MustAct(t, "dispatcher", c, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA, Category: "城乡建设/城市建设和市政管理/小区管理"})
	_, err = f.Svc.Act(ctx, f.Actors["handler_a"], c.ID, huying.CmdPassDown, pass)
	wantCode(t, err, huying.EFORBIDDEN)
	MustAuditClean(t, s)
}

// testAssignHandler: 指派处理人 — the lead unit names one of its own
// handlers, who gets the 派单通知 and finds the order in "my orders";
// another unit's user, a non-handler and another unit's order are refused.
func testAssignHandler(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	second := mustUser(t, f, "handler_a2", UnitDeptA, "13900002222", huying.RoleHandler)
	clerk := mustUser(t, f, "clerk_a", UnitDeptA, "13900003333", huying.RoleIntake)
	a := f.MustAppealIn(t, huying.StatusSigned, "")
	claimAll(t, s)

	_, err := f.Svc.Act(ctx, f.Actors["handler_a"], a.ID, huying.CmdAssign, workflow.Action{AssigneeID: f.Actors["handler_b"].User.ID})
	wantCode(t, err, huying.EFORBIDDEN) // another unit's handler
	_, err = f.Svc.Act(ctx, f.Actors["handler_a"], a.ID, huying.CmdAssign, workflow.Action{AssigneeID: clerk.User.ID})
	wantCode(t, err, huying.EINVALID) // not a handler
	_, err = f.Svc.Act(ctx, f.Actors["handler_b"], a.ID, huying.CmdAssign, workflow.Action{AssigneeID: f.Actors["handler_b"].User.ID})
	wantCode(t, err, huying.ENOTFOUND) // another unit's order
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], a.ID, huying.CmdAssign, workflow.Action{AssigneeID: second.User.ID})
	wantCode(t, err, huying.EFORBIDDEN)
	if after, _ := s.Appeal(ctx, a.ID); after.Version != a.Version || after.AssigneeID != 0 {
		t.Fatalf("a refused assignment changed the appeal")
	}

	a = f.MustAct(t, "handler_a", a, huying.CmdAssign, workflow.Action{AssigneeID: second.User.ID, Note: "请负责现场核查"})
	if a.AssigneeID != second.User.ID || a.Status != huying.StatusSigned {
		t.Fatalf("assigned: %d %s", a.AssigneeID, a.Status)
	}
	mine, n, err := f.Svc.List(ctx, second, huying.AppealFilter{AssigneeID: second.User.ID})
	if err != nil || n != 1 || mine[0].ID != a.ID {
		t.Fatalf("my orders: %d %v", n, err)
	}
	if _, n, _ := f.Svc.List(ctx, f.Actors["handler_a"], huying.AppealFilter{AssigneeID: f.Actors["handler_a"].User.ID}); n != 0 {
		t.Errorf("handler_a's own orders: %d, want 0", n)
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	e := events[len(events)-1]
	if e.Kind != string(huying.CmdAssign) || !strings.Contains(e.Data, `"assignee_name":"handler_a2"`) || e.Note != "请负责现场核查" {
		t.Errorf("the assign event: %+v", e)
	}
	told := false
	for _, n := range claimAll(t, s) {
		told = told || n.Template == "派单通知" && n.Recipient == "13900002222"
	}
	if !told {
		t.Error("the assigned handler got no 派单通知")
	}
	// A recall takes the order back from the unit and its handler.
	a = f.MustAct(t, "dispatcher", a, huying.CmdRecall, workflow.Action{Note: "改派"})
	if a.AssigneeID != 0 {
		t.Errorf("recalled order still assigned to %d", a.AssigneeID)
	}
	MustAuditClean(t, s)
}

// testSplitConcurrentClose closes the two parts of a split at once: each
// transaction locks the parent before it reads the other part, so the
// second to commit sees the first and archives the parent, exactly once.
func testSplitConcurrentClose(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	for round := range 3 {
		a := f.MustReceive(t, Intake(huying.TypeHelp))
		parts := splitParts()[:2]
		parts[1].LeadUnitID = UnitDeptB
		a = f.MustAct(t, "dispatcher", a, huying.CmdSplit, workflow.Action{Parts: parts})
		list, _ := f.Svc.Parts(ctx, f.Actors["dispatcher"], a.ID)
		one, _ := s.Appeal(ctx, list[0].ID)
		two, _ := s.Appeal(ctx, list[1].ID)
		one = closeByRating(t, f, one, "handler_a")
		two = closeByRating(t, f, two, "handler_b")
		errs := make(chan error, 2)
		for _, c := range []*huying.Appeal{one, two} {
			go func() {
				_, err := f.Svc.Act(ctx, f.Actors["intake"], c.ID, huying.CmdRate, workflow.Action{Version: c.Version, Rating: satisfied})
				errs <- err
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		p, _ := s.Appeal(ctx, a.ID)
		events, _ := s.AppealEvents(ctx, a.ID)
		archives := 0
		for _, e := range events {
			if e.Kind == string(huying.CmdArchive) {
				archives++
			}
		}
		if p.Status != huying.StatusArchived || archives != 1 {
			t.Fatalf("round %d: parent %s after both parts closed at once, %d archive events", round, p.Status, archives)
		}
	}
	MustAuditClean(t, s)
}
