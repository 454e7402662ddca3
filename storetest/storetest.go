package storetest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"huying"
	"huying/identity"
	"huying/workflow"
)

// Harness is what a store package gives the suite.
type Harness struct {
	// New returns an empty, migrated store private to the test.
	New func(t *testing.T) huying.Store
	// Exec runs raw SQL on the store's database, bypassing the store, to
	// simulate someone editing rows by hand.
	Exec func(t *testing.T, s huying.Store, query string) error
}

// Run runs the conformance suite.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"Lifecycle", testLifecycle},
		{"ForbiddenTransitions", testForbiddenTransitions},
		{"StaleVersion", testStaleVersion},
		{"ConcurrentSign", testConcurrentSign},
		{"Idempotency", testIdempotency},
		{"RoleBoundaries", testRoleBoundaries},
		{"AuditTamper", testAuditTamper},
		{"Audit", testAudit},
		{"Track", testTrack},
		{"NotFound", testNotFound},
		{"ListFilters", testListFilters},
		{"Auth", testAuth},
		{"BadInputWritesNothing", testBadInputWritesNothing},
		{"ConcurrentFailuresIsolated", testConcurrentFailuresIsolated},
		{"SweepClose", testSweepClose},
		{"SweepAutoSign", testSweepAutoSign},
		{"SweepExtension", testSweepExtension},
		{"SweepConcurrent", testSweepConcurrent},
		{"EscalationTiming", testEscalationTiming},
		{"Rules", testRules},
		{"SmallRules", testSmallRules},
		{"Recall", testRecall},
		{"Split", testSplit},
		{"SplitCallbackAtEnd", testSplitCallbackAtEnd},
		{"SplitConcurrentClose", testSplitConcurrentClose},
		{"PassDown", testPassDown},
		{"AssignHandler", testAssignHandler},
		{"Statements", testStatements},
		{"Notices", testNotices},
		{"Flags", testFlags},
		{"Whistles", testWhistles},
		{"AutoDispatch", testAutoDispatch},
		{"Resident", testResident},
		{"MergedResident", testMergedResident},
		{"Channels", testChannels},
		{"ConcurrentReads", testConcurrentReads},
		{"AttachmentAccess", testAttachmentAccess},
		{"Batches", Batches},
		{"Knowledge", testKnowledge},
		{"Inbox", testInbox},
		{"Search", testSearch},
		{"SearchTotal", testSearchTotal},
		{"Import", testImport},
		{"ImportDryRun", testImportDryRun},
		{"Export", testExport},
		{"Callback", testCallback},
		{"ReporterScope", testReporterScope},
		{"OnAir", testOnAir},
		{"UnitAdmin", testUnitAdmin},
		{"SLAVersions", testSLAVersions},
		{"CalendarImport", testCalendarImport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, h)
		})
	}
}

func setup(t *testing.T, h Harness) (*Fixture, huying.Store) {
	t.Helper()
	s := h.New(t)
	return MustFixture(t, s), s
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := huying.ErrorCode(err); got != code {
		t.Fatalf("got error %v (code %q), want code %s", err, got, code)
	}
}

// testLifecycle walks appeals through every command of the lifecycle across
// the roles, and checks the audit chain at the end.
func testLifecycle(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	act := func(who string, a *huying.Appeal, cmd huying.Command, in workflow.Action, want huying.Status) *huying.Appeal {
		t.Helper()
		f.Clock.Advance(10 * time.Minute)
		a = f.MustAct(t, who, a, cmd, in)
		if a.Status != want {
			t.Fatalf("%s: status %s, want %s", cmd, a.Status, want)
		}
		return a
	}

	// A consultation answered at intake, then archived.
	c := f.MustReceive(t, Intake(huying.TypeConsult))
	if len(c.Code) != len("PS20260928000001") || c.Code[:10] != "PS20260928" {
		t.Fatalf("tracking code %q, want PS + Beijing date + 6 digits", c.Code)
	}
	act("intake", c, huying.CmdAnswer, workflow.Action{Note: "社保卡补办可在区政务服务中心办理。"}, huying.StatusAnswered)
	act("dispatcher", c, huying.CmdArchive, workflow.Action{}, huying.StatusArchived)

	// An emergency transferred to 110.
	e := f.MustReceive(t, Intake(huying.TypeHelp))
	act("intake", e, huying.CmdRefuse, workflow.Action{Reason: "转110", Note: "已三方通话转110"}, huying.StatusRefused)

	// The main appeal: dispatched to a street (copy to the centre) with an
	// assisting department, returned, reassigned, returned again, designated.
	a := f.MustReceive(t, Intake(huying.TypeComplaint))
	dup := f.MustReceive(t, Intake(huying.TypeComplaint))
	act("dispatcher", dup, huying.CmdMerge, workflow.Action{TargetCode: a.Code}, huying.StatusMerged)
	a = act("dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitStreet, AssistUnitIDs: []string{UnitDeptB}}, huying.StatusDispatched)
	if got := a.Assignments; len(got) != 3 || got[0].UnitID != UnitStreet || got[1].UnitID != UnitDeptB || got[2] != (huying.Assignment{UnitID: UnitCentre, Role: huying.AssignCopy}) {
		t.Fatalf("assignments %+v, want street lead, dept-b assist, centre copy", got)
	}
	if a.DueAt == nil {
		t.Fatal("dispatch set no deadline")
	}
	a = act("handler_street", a, huying.CmdReturn, workflow.Action{Reason: "职能不符", Note: "属排水管网，归水务部门"}, huying.StatusReturned)
	a = act("dispatcher", a, huying.CmdArbitrate, workflow.Action{Decision: workflow.DecisionReassign, LeadUnitID: UnitDeptA}, huying.StatusDispatched)
	a = act("handler_a", a, huying.CmdReturn, workflow.Action{Reason: "职责交叉", Note: "应由水务局主办"}, huying.StatusReturned)
	a = act("dispatcher", a, huying.CmdArbitrate, workflow.Action{Decision: workflow.DecisionDesignate, LeadUnitID: UnitDeptA, AssistUnitIDs: []string{UnitDeptB}, Note: "按派单目录由城管主办，水务协办"}, huying.StatusDispatched)
	if !a.Designated {
		t.Fatal("designate did not mark the appeal designated")
	}
	_, err := f.Svc.Act(ctx, f.Actors["handler_a"], a.ID, huying.CmdReturn, workflow.Action{Reason: "职能不符", Note: "再退"})
	wantCode(t, err, huying.ECONFLICT)

	a = act("handler_a", a, huying.CmdSign, workflow.Action{}, huying.StatusSigned)
	a = act("handler_a", a, huying.CmdNote, workflow.Action{Note: "已安排人员现场查看"}, huying.StatusSigned)
	a = act("handler_a", a, huying.CmdContact, workflow.Action{Method: "电话", Note: "已电话联系诉求人"}, huying.StatusHandling)
	if a.ContactedAt == nil {
		t.Fatal("contact did not record the first contact time")
	}
	a = act("handler_b", a, huying.CmdNote, workflow.Action{Note: "水务局已派员协助"}, huying.StatusHandling)
	due := a.DueAt.Add(7 * 24 * time.Hour)
	a = act("handler_a", a, huying.CmdRequestExtension, workflow.Action{DueAt: &due, Note: "需更换管道"}, huying.StatusExtensionRequested)
	a = act("dispatcher", a, huying.CmdDecideExtension, workflow.Action{Decision: workflow.DecisionRefuse, Note: "理由不充分"}, huying.StatusHandling)
	a = act("handler_a", a, huying.CmdRequestExtension, workflow.Action{DueAt: &due, Note: "需更换管道，已附施工计划"}, huying.StatusExtensionRequested)
	originalDue := *a.DueAt
	a = act("dispatcher", a, huying.CmdDecideExtension, workflow.Action{Decision: workflow.DecisionApprove, DueAt: &due}, huying.StatusHandling)
	if a.OriginalDueAt == nil || !a.OriginalDueAt.Equal(originalDue) || !a.DueAt.Equal(due) {
		t.Fatalf("extension kept due=%v original=%v, want %v and %v", a.DueAt, a.OriginalDueAt, due, originalDue)
	}
	_, err = f.Svc.Act(ctx, f.Actors["handler_a"], a.ID, huying.CmdRequestExtension, workflow.Action{DueAt: &due, Note: "再延"})
	wantCode(t, err, huying.ECONFLICT)
	a = act("handler_a", a, huying.CmdRequestTermination, workflow.Action{Note: "诉求人不配合"}, huying.StatusTerminationRequested)
	a = act("dispatcher", a, huying.CmdDecideTermination, workflow.Action{Decision: workflow.DecisionRefuse, Note: "请继续办理"}, huying.StatusHandling)
	a = act("handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultPartly, Note: "已临时疏通"}, huying.StatusReplied)
	a = act("dispatcher", a, huying.CmdReview, workflow.Action{Decision: workflow.DecisionSendBack, Note: "答复未说明后续计划"}, huying.StatusHandling)
	a = act("handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已更换管道，恢复通畅"}, huying.StatusReplied)
	a = act("dispatcher", a, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept}, huying.StatusReviewed)
	unhappy := &huying.Rating{Satisfaction: huying.Unsatisfied, Speed: 2, Effect: 1, Experience: 2, ReplyQuality: 2, Comment: "又堵了"}
	a = act("intake", a, huying.CmdRate, workflow.Action{Rating: unhappy}, huying.StatusDispatched)
	if a.RedoCount != 1 || a.LeadUnit() != UnitDeptA {
		t.Fatalf("redo count %d lead %s, want 1 and %s", a.RedoCount, a.LeadUnit(), UnitDeptA)
	}
	a = act("handler_a", a, huying.CmdSign, workflow.Action{}, huying.StatusSigned)
	a = act("handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "重新疏通并加装防堵网"}, huying.StatusReplied)
	a = act("dispatcher", a, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept}, huying.StatusReviewed)
	happy := &huying.Rating{Satisfaction: huying.Satisfied, Speed: 4, Effect: 5, Experience: 5, ReplyQuality: 4}
	a = act("intake", a, huying.CmdRate, workflow.Action{Rating: happy}, huying.StatusRated)
	a = act("dispatcher", a, huying.CmdArchive, workflow.Action{}, huying.StatusArchived)

	// Both ratings count: the 不满意 that sent it to redo and the final 满意.
	st, err := s.Stats(ctx, f.Clock.Now().Add(-time.Hour), f.Clock.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := huying.RatingStats{All: huying.RatingCounts{Valid: 2, Satisfied: 1, Unsatisfied: 1},
		First: huying.RatingCounts{Valid: 1, Unsatisfied: 1}, Final: huying.RatingCounts{Valid: 1, Satisfied: 1}}
	if st.Ratings != want || st.Ratings.All.Rate() != 50 {
		t.Fatalf("ratings %+v (rate %v), want %+v and 50", st.Ratings, st.Ratings.All.Rate(), want)
	}

	// A termination approved, then archived.
	tm := f.MustAppealIn(t, huying.StatusTerminated, "")
	act("dispatcher", tm, huying.CmdArchive, workflow.Action{}, huying.StatusArchived)

	events, err := s.AppealEvents(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	for _, cmd := range []huying.Command{huying.CmdReceive, huying.CmdDispatch, huying.CmdReturn, huying.CmdArbitrate,
		huying.CmdSign, huying.CmdNote, huying.CmdContact, huying.CmdRequestExtension, huying.CmdDecideExtension,
		huying.CmdRequestTermination, huying.CmdDecideTermination, huying.CmdReply, huying.CmdReview, huying.CmdRate, huying.CmdArchive} {
		if !slices.Contains(kinds, string(cmd)) {
			t.Errorf("timeline lacks %s: %v", cmd, kinds)
		}
	}
	if !slices.Contains(kinds, "merged_in") {
		t.Errorf("the merge target's timeline lacks merged_in: %v", kinds)
	}
	chains, n, err := f.Svc.VerifyAudit(ctx)
	if err != nil || chains < 5 || n < len(events) {
		t.Fatalf("audit verify: %d chains, %d events, %v", chains, n, err)
	}
	MustAuditClean(t, s)
}

// testForbiddenTransitions runs every command on an appeal in every status
// the command may not start from, and checks ECONFLICT and no change.
func testForbiddenTransitions(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	target := f.MustReceive(t, Intake(huying.TypeConsult))
	valid := map[huying.Command]Step{}
	for _, st := range f.Path(huying.StatusArchived) {
		valid[st.Cmd] = st
	}
	due := f.Clock.T.Add(20 * 24 * time.Hour)
	for _, st := range []Step{
		{"intake", huying.CmdAnswer, workflow.Action{Note: "答复"}},
		{"intake", huying.CmdRefuse, workflow.Action{Reason: "转119"}},
		{"dispatcher", huying.CmdMerge, workflow.Action{TargetCode: target.Code}},
		{"handler_a", huying.CmdReturn, workflow.Action{Reason: "属地不符", Note: "不在辖区"}},
		{"dispatcher", huying.CmdArbitrate, workflow.Action{Decision: workflow.DecisionDesignate, LeadUnitID: UnitDeptA}},
		{"handler_a", huying.CmdNote, workflow.Action{Note: "进展"}},
		{"handler_a", huying.CmdRequestExtension, workflow.Action{DueAt: &due, Note: "延期"}},
		{"dispatcher", huying.CmdDecideExtension, workflow.Action{Decision: workflow.DecisionApprove, DueAt: &due}},
		{"handler_a", huying.CmdRequestTermination, workflow.Action{Note: "终止"}},
		{"dispatcher", huying.CmdDecideTermination, workflow.Action{Decision: workflow.DecisionApprove}},
		{"dispatcher", huying.CmdRecall, workflow.Action{Note: "改派"}},
		{"dispatcher", huying.CmdSplit, f.Path(huying.StatusSplit)[0].Action},
		{"handler_a", huying.CmdPassDown, workflow.Action{LeadUnitID: UnitCommunity, Note: "社区职责"}},
		{"handler_a", huying.CmdAssign, workflow.Action{AssigneeID: f.Actors["handler_a"].User.ID}},
	} {
		valid[st.Cmd] = st
	}
	statuses := []huying.Status{huying.StatusReceived, huying.StatusAnswered, huying.StatusRefused, huying.StatusMerged,
		huying.StatusDispatched, huying.StatusSigned, huying.StatusHandling, huying.StatusReturned,
		huying.StatusExtensionRequested, huying.StatusTerminationRequested, huying.StatusTerminated,
		huying.StatusReplied, huying.StatusReviewed, huying.StatusRated, huying.StatusArchived, huying.StatusSplit}
	cases := 0
	for _, status := range statuses {
		a := f.MustAppealIn(t, status, target.Code)
		for cmd, tr := range huying.Transitions {
			if cmd == huying.CmdReceive || slices.Contains(tr.From, status) {
				continue
			}
			st, ok := valid[cmd]
			if !ok {
				t.Fatalf("no valid input for %s", cmd)
			}
			cases++
			_, err := f.Svc.Act(ctx, f.Actors[st.Who], a.ID, cmd, st.Action)
			want := huying.ECONFLICT
			if st.Who == "handler_a" && !a.AssignedTo(UnitDeptA) {
				want = huying.ENOTFOUND // the order is not the handler's: it does not exist for them
			}
			if code := huying.ErrorCode(err); code != want {
				t.Errorf("%s from %s: got %v, want %s", cmd, status, err, want)
			}
			after, err := s.Appeal(ctx, a.ID)
			if err != nil || after.Version != a.Version || after.Status != status {
				t.Errorf("%s from %s changed the appeal: %+v %v", cmd, status, after, err)
			}
		}
	}
	if cases < 150 {
		t.Fatalf("only %d forbidden transitions tried", cases)
	}
}

func testStaleVersion(t *testing.T, h Harness) {
	f, _ := setup(t, h)
	a := f.MustReceive(t, Intake(huying.TypeHelp))
	_, err := f.Svc.Act(context.Background(), f.Actors["dispatcher"], a.ID, huying.CmdDispatch,
		workflow.Action{Version: a.Version + 1, LeadUnitID: UnitDeptA})
	wantCode(t, err, huying.ECONFLICT)
	f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{Version: a.Version, LeadUnitID: UnitDeptA})
}

// testConcurrentSign signs one order from many goroutines: exactly one wins.
func testConcurrentSign(t *testing.T, h Harness) {
	f, s := setup(t, h)
	a := f.MustAppealIn(t, huying.StatusDispatched, "")
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	for range 8 {
		wg.Go(func() {
			_, err := f.Svc.Act(context.Background(), f.Actors["handler_a"], a.ID, huying.CmdSign, workflow.Action{})
			mu.Lock()
			codes[huying.ErrorCode(err)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[""] != 1 || codes[huying.ECONFLICT] != 7 {
		t.Fatalf("outcomes %v, want one success and seven ECONFLICT", codes)
	}
	events, _ := s.AppealEvents(context.Background(), a.ID)
	signs := 0
	for _, e := range events {
		if e.Kind == string(huying.CmdSign) {
			signs++
		}
	}
	if signs != 1 {
		t.Fatalf("%d sign events, want 1", signs)
	}
	MustAuditClean(t, s)
}

func testIdempotency(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	in := Intake(huying.TypeHelp)
	a, replayed, err := f.Svc.Receive(ctx, f.Actors["intake"], in, "retry-1")
	if err != nil || replayed {
		t.Fatalf("first receive: %v replayed=%v", err, replayed)
	}
	b, replayed, err := f.Svc.Receive(ctx, f.Actors["intake"], in, "retry-1")
	if err != nil || !replayed || b.ID != a.ID || b.Code != a.Code {
		t.Fatalf("retry: %v replayed=%v id %d vs %d", err, replayed, b.ID, a.ID)
	}
	// The same key from another caller is another appeal.
	c, replayed, err := f.Svc.Receive(ctx, f.Actors["reporter"], in, "retry-1")
	if err != nil || replayed || c.ID == a.ID {
		t.Fatalf("other caller: %v replayed=%v", err, replayed)
	}
	_, total, _ := s.Appeals(ctx, huying.AppealFilter{})
	if total != 2 {
		t.Fatalf("%d appeals, want 2", total)
	}
}

func testRoleBoundaries(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	a := f.MustAppealIn(t, huying.StatusDispatched, "")
	in := Intake(huying.TypeReport)
	in.Confidential = true
	secret := f.MustReceive(t, in)

	// A handler of another unit cannot see, sign or list the order.
	_, err := f.Svc.Get(ctx, f.Actors["handler_b"], a.ID)
	wantCode(t, err, huying.ENOTFOUND)
	_, err = f.Svc.Act(ctx, f.Actors["handler_b"], a.ID, huying.CmdSign, workflow.Action{})
	wantCode(t, err, huying.ENOTFOUND)
	list, _, err := f.Svc.List(ctx, f.Actors["handler_b"], huying.AppealFilter{})
	if err != nil || len(list) != 0 {
		t.Fatalf("handler_b lists %d appeals (%v), want 0", len(list), err)
	}
	// A role that may not run a command is refused before anything is read.
	_, err = f.Svc.Act(ctx, f.Actors["intake"], a.ID, huying.CmdSign, workflow.Action{})
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = f.Svc.Act(ctx, f.Actors["leader"], a.ID, huying.CmdArchive, workflow.Action{})
	wantCode(t, err, huying.EFORBIDDEN)
	// The dispatcher sees the contact masked and may not unmask it.
	got, err := f.Svc.Get(ctx, f.Actors["dispatcher"], a.ID)
	if err != nil || got.ContactPhone != "138****8000" || got.ContactName != "张*" {
		t.Fatalf("dispatcher sees %q %q (%v), want masked", got.ContactName, got.ContactPhone, err)
	}
	_, err = f.Svc.Contact(ctx, f.Actors["dispatcher"], a.ID)
	wantCode(t, err, huying.EFORBIDDEN)
	// The lead handler may unmask it, and the read is an event.
	c, err := f.Svc.Contact(ctx, f.Actors["handler_a"], a.ID)
	if err != nil || c.Phone != "13800138000" {
		t.Fatalf("handler_a contact %+v %v", c, err)
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	if last := events[len(events)-1]; last.Kind != huying.EventContactViewed || last.Actor != "handler_a" {
		t.Fatalf("last event %s by %s, want contact_viewed by handler_a", last.Kind, last.Actor)
	}
	// Confidential appeals: hidden from leaders and other intake agents' lists, visible to supervisors.
	_, err = f.Svc.Get(ctx, f.Actors["leader"], secret.ID)
	wantCode(t, err, huying.ENOTFOUND)
	if _, err := f.Svc.Get(ctx, f.Actors["supervisor"], secret.ID); err != nil {
		t.Fatalf("supervisor cannot see a confidential appeal: %v", err)
	}
	list, _, _ = f.Svc.List(ctx, f.Actors["leader"], huying.AppealFilter{})
	for _, x := range list {
		if x.Confidential {
			t.Fatal("leader lists a confidential appeal")
		}
	}
	// The reporter sees only their own reports.
	mine := f.MustReceive(t, Intake(huying.TypeSuggestion))
	_, err = f.Svc.Get(ctx, f.Actors["reporter"], mine.ID)
	wantCode(t, err, huying.ENOTFOUND)
	MustAuditClean(t, s)
}

// testAuditTamper edits an event row by hand and expects verify to name it.
func testAuditTamper(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	a := f.MustAppealIn(t, huying.StatusHandling, "")
	if _, _, err := f.Svc.VerifyAudit(ctx); err != nil {
		t.Fatalf("verify before tampering: %v", err)
	}
	// Events are append-only in the database itself.
	if err := h.Exec(t, s, `UPDATE events SET note = 'x'`); err == nil {
		t.Fatal("the database let an event be updated")
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	target := events[1]
	for _, q := range []string{`DROP TRIGGER events_no_update`, `DROP TRIGGER events_no_change ON events`} {
		_ = h.Exec(t, s, q) // one of the two exists, per dialect
	}
	if err := h.Exec(t, s, `UPDATE events SET note = '篡改' WHERE hash = '`+target.Hash+`'`); err != nil {
		t.Fatalf("tamper: %v", err)
	}
	_, _, err := f.Svc.VerifyAudit(ctx)
	if err == nil {
		t.Fatal("verify passed after an event was altered")
	}
	if want := "event " + strconv.FormatInt(target.ID, 10) + " "; !strings.Contains(err.Error(), want) {
		t.Fatalf("verify error %q does not name %q", err, want)
	}
}

func testTrack(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	a := f.MustAppealIn(t, huying.StatusHandling, "")
	a = f.MustAct(t, "handler_a", a, huying.CmdNote, workflow.Action{Note: "内部备注"})
	a = f.MustAct(t, "handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已办结"})
	a = f.MustAct(t, "dispatcher", a, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept})
	_, err := f.Svc.Track(ctx, a.Code, "0000")
	wantCode(t, err, huying.ENOTFOUND)
	_, err = f.Svc.Track(ctx, "PS20990101000001", "8000")
	wantCode(t, err, huying.ENOTFOUND)
	tr, err := f.Svc.Track(ctx, a.Code, "8000")
	if err != nil || !tr.CanRate || len(tr.Steps) < 5 {
		t.Fatalf("track: %+v %v", tr, err)
	}
	for _, st := range tr.Steps {
		if st.Text == "内部备注" {
			t.Fatal("an internal note leaked into the resident timeline")
		}
	}
	// Rating needs the proof of a successful lookup, not the digits alone.
	rating := huying.Rating{Satisfaction: huying.BasicSatisfied, Speed: 4, Effect: 4, Experience: 4, ReplyQuality: 4}
	for _, proof := range []string{"", "8000", "hyp_forged"} {
		_, err = f.Svc.RateByResident(ctx, a.Code, proof, rating)
		wantCode(t, err, huying.EINVALID)
	}
	if tr.RateProof == "" {
		t.Fatal("a lookup of an appeal waiting for its rating gave no proof")
	}
	other := f.MustAppealIn(t, huying.StatusReceived, "")
	_, err = f.Svc.RateByResident(ctx, other.Code, tr.RateProof, rating)
	wantCode(t, err, huying.EINVALID)
	tr, err = f.Svc.RateByResident(ctx, a.Code, tr.RateProof, rating)
	if err != nil || tr.Status != huying.StatusRated {
		t.Fatalf("resident rating: %+v %v", tr, err)
	}
	_, err = f.Svc.RateByResident(ctx, a.Code, "hyp_forged", huying.Rating{Satisfaction: huying.Satisfied})
	wantCode(t, err, huying.EINVALID)

	// Five wrong digits an hour on one code, and the code is refused even
	// with the right digits; another code is not affected.
	for range workflow.TrackWrongPerCode - 1 { // one wrong try above already
		_, err = f.Svc.Track(ctx, a.Code, "1234")
		wantCode(t, err, huying.ENOTFOUND)
	}
	_, err = f.Svc.Track(ctx, a.Code, "8000")
	wantCode(t, err, huying.ETOOMANY)
	if _, err := f.Svc.Track(ctx, other.Code, "8000"); err != nil {
		t.Fatalf("another code: %v", err)
	}
	f.Clock.Advance(time.Hour)
	if _, err := f.Svc.Track(ctx, a.Code, "8000"); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
	MustAuditClean(t, s)
}

func testNotFound(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	_, err := s.Appeal(ctx, 999)
	wantCode(t, err, huying.ENOTFOUND)
	_, err = s.AppealByCode(ctx, "PS20990101000001")
	wantCode(t, err, huying.ENOTFOUND)
	_, err = s.Unit(ctx, "nope")
	wantCode(t, err, huying.ENOTFOUND)
	_, err = s.User(ctx, 999)
	wantCode(t, err, huying.ENOTFOUND)
	_, err = s.UserByUsername(ctx, "nope")
	wantCode(t, err, huying.ENOTFOUND)
	_, err = s.TokenByHash(ctx, "nope")
	wantCode(t, err, huying.ENOTFOUND)
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], 999, huying.CmdArchive, workflow.Action{})
	wantCode(t, err, huying.ENOTFOUND)
}

func testListFilters(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	for range 3 {
		f.MustReceive(t, Intake(huying.TypeHelp))
	}
	b := f.MustAppealIn(t, huying.StatusSigned, "")
	tests := []struct {
		name   string
		filter huying.AppealFilter
		want   int
	}{
		{"all", huying.AppealFilter{}, 4},
		{"status", huying.AppealFilter{Statuses: []huying.Status{huying.StatusSigned}}, 1},
		{"unit", huying.AppealFilter{UnitID: UnitDeptA}, 1},
		{"type", huying.AppealFilter{Type: huying.TypeHelp}, 3},
		{"query code", huying.AppealFilter{Query: b.Code}, 1},
		{"query text", huying.AppealFilter{Query: "下水道"}, 4},
		{"query literal percent", huying.AppealFilter{Query: "%"}, 0},
		{"received window", huying.AppealFilter{ReceivedFrom: f.Clock.T.Add(-time.Hour), ReceivedTo: f.Clock.T.Add(time.Hour)}, 4},
		{"limit", huying.AppealFilter{Limit: 2}, 2},
		{"by due time", huying.AppealFilter{Sort: huying.SortDue}, 4},
		{"community (none placed)", huying.AppealFilter{Community: UnitCommunity}, 0},
	}
	for _, tt := range tests {
		list, total, err := s.Appeals(ctx, tt.filter)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(list) != tt.want && tt.name != "limit" || tt.name == "limit" && (len(list) != 2 || total != 4) {
			t.Errorf("%s: got %d (total %d), want %d", tt.name, len(list), total, tt.want)
		}
	}
	counts, err := s.CountByStatus(ctx)
	if err != nil || counts[huying.StatusReceived] != 3 || counts[huying.StatusSigned] != 1 {
		t.Fatalf("counts %v %v", counts, err)
	}
	st, err := s.Stats(ctx, f.Clock.T.Add(-time.Hour), f.Clock.T.Add(time.Hour))
	if err != nil || st.ByType["求助"] != 3 || st.ByCommunity[""] != 4 || st.ByType["咨询"] != 1 || st.ByChannel["12345热线"] != 4 ||
		len(st.ByDay) != 1 || st.ByDay[0].Date != "2026-09-28" || st.ByDay[0].Received != 4 {
		t.Fatalf("stats %+v %v", st, err)
	}
	// The dispatch queue: urgent first, then the longest waiting, each with
	// its running dispatch clock.
	f.Clock.Advance(time.Minute)
	urgent := Intake(huying.TypeHelp)
	urgent.Urgency = huying.UrgencyUrgent
	u := f.MustReceive(t, urgent)
	queue, _, err := s.Appeals(ctx, huying.AppealFilter{Statuses: []huying.Status{huying.StatusReceived}, Sort: huying.SortWaiting})
	if err != nil || len(queue) != 4 || queue[0].ID != u.ID || !queue[1].ReceivedAt.Before(u.ReceivedAt) || queue[1].ID > queue[2].ID {
		t.Fatalf("waiting order: %v %v", appealIDs(queue), err)
	}
	clocks, err := f.Svc.Clocks(ctx, queue)
	if err != nil || clocks[u.ID] == nil || clocks[u.ID].Stage != huying.StageDispatch || clocks[b.ID] != nil && clocks[b.ID].Stage == huying.StageDispatch {
		t.Fatalf("queue clocks %+v %v", clocks, err)
	}
}

func testAuth(t *testing.T, h Harness) {
	f, _ := setup(t, h)
	ctx := context.Background()
	_, _, err := f.Ids.Login(ctx, "dispatcher", "wrong-password")
	wantCode(t, err, huying.EUNAUTHORIZED)
	token, u, err := f.Ids.Login(ctx, "dispatcher", Password)
	if err != nil || u.Username != "dispatcher" {
		t.Fatalf("login: %v", err)
	}
	actor, err := f.Ids.Authenticate(ctx, token)
	if err != nil || actor.User.ID != u.ID {
		t.Fatalf("authenticate: %v", err)
	}
	f.Clock.Advance(identity.SessionTTL + time.Minute)
	_, err = f.Ids.Authenticate(ctx, token)
	wantCode(t, err, huying.EUNAUTHORIZED)

	plain, _, err := f.Ids.CreateToken(ctx, f.Actors["admin"], identity.NewToken{Name: "测试渠道", Channel: "小程序"})
	if err != nil {
		t.Fatal(err)
	}
	actor, err = f.Ids.AuthenticateToken(ctx, plain)
	if err != nil || actor.Channel != "小程序" || actor.User.Kind != huying.UserChannel || len(actor.User.Roles) != 0 {
		t.Fatalf("token actor %+v %v", actor, err)
	}
	_, _, err = f.Ids.CreateToken(ctx, f.Actors["dispatcher"], identity.NewToken{Name: "x", Channel: "小程序"})
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = f.Ids.CreateUser(ctx, f.Actors["admin"], identity.NewUser{Username: "dispatcher", Name: "重名", Password: Password, UnitID: UnitCentre, Roles: []huying.Role{huying.RoleDispatcher}})
	wantCode(t, err, huying.EINVALID)
}

// testBadInputWritesNothing sends invalid commands and checks the appeal
// and its chain are untouched.
func testBadInputWritesNothing(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	a := f.MustReceive(t, Intake(huying.TypeComplaint))
	before, _ := s.AppealEvents(ctx, a.ID)
	tests := []struct {
		cmd huying.Command
		in  workflow.Action
	}{
		{huying.CmdDispatch, workflow.Action{}},
		{huying.CmdDispatch, workflow.Action{LeadUnitID: "no-such-unit"}},
		{huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA, AssistUnitIDs: []string{"no-such-unit"}}},
		{huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA, AssistUnitIDs: []string{UnitDeptA}}},
		{huying.CmdDispatch, workflow.Action{LeadUnitID: UnitCentre}},
		{huying.CmdRefuse, workflow.Action{Reason: "不想办"}},
		{huying.CmdRefuse, workflow.Action{Reason: "告知法定途径"}},
		{huying.CmdMerge, workflow.Action{TargetCode: "PS20990101000001"}},
		{huying.CmdMerge, workflow.Action{TargetCode: a.Code}},
		{huying.CmdAnswer, workflow.Action{Note: "投诉不能直接答复"}},
	}
	for _, tt := range tests {
		_, err := f.Svc.Act(ctx, f.Actors["dispatcher"], a.ID, tt.cmd, tt.in)
		if code := huying.ErrorCode(err); code != huying.EINVALID && code != huying.ECONFLICT {
			t.Errorf("%s %+v: got %v, want EINVALID or ECONFLICT", tt.cmd, tt.in, err)
		} else if huying.ErrorMessage(err) == "" || huying.ErrorMessage(err) == "系统内部错误，请稍后重试" {
			t.Errorf("%s: no clear message: %v", tt.cmd, err)
		}
	}
	after, _ := s.AppealEvents(ctx, a.ID)
	got, _ := s.Appeal(ctx, a.ID)
	if len(after) != len(before) || got.Version != a.Version || got.Status != huying.StatusReceived {
		t.Fatalf("bad input changed the appeal: %d→%d events, version %d→%d", len(before), len(after), a.Version, got.Version)
	}
}

// testConcurrentFailuresIsolated runs concurrent intakes of which half fail
// inside their transaction (an attachment that was never uploaded, checked
// after nothing else): the failures write nothing, the others all land,
// even when a store commits them together.
func testConcurrentFailuresIsolated(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, failed := 0, 0
	for i := range 20 {
		wg.Go(func() {
			in := Intake(huying.TypeHelp)
			if i%2 == 1 {
				in.Attachments = []huying.Attachment{{Hash: strings.Repeat("ab", 32), Name: "photo.jpg"}}
			}
			_, _, err := f.Svc.Receive(ctx, f.Actors["intake"], in, "")
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
			} else if huying.ErrorCode(err) == huying.EINVALID {
				failed++
			} else {
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
	wg.Wait()
	list, total, err := s.Appeals(ctx, huying.AppealFilter{Limit: 100})
	if err != nil || ok != 10 || failed != 10 || total != 10 {
		t.Fatalf("ok %d failed %d stored %d (%v), want 10/10/10", ok, failed, total, err)
	}
	// Tracking-code counters of the failed intakes were rolled back too.
	for _, a := range list {
		if n, _ := strconv.Atoi(a.Code[len(a.Code)-6:]); n < 1 || n > 10 {
			t.Errorf("code %s: sequence outside 1..10, a failed intake left its counter", a.Code)
		}
	}
	if _, _, err := f.Svc.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	MustAuditClean(t, s)
}

// testConcurrentReads runs the same new queries from many goroutines at
// once, as a dashboard does: every read succeeds while the statement
// cache fills (a lost race once handed out a closed statement).
func testConcurrentReads(t *testing.T, h Harness) {
	f, s := setup(t, h)
	f.MustReceive(t, Intake(huying.TypeHelp))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			_, _, err := s.Appeals(context.Background(), huying.AppealFilter{Type: huying.AppealTypes[i%5], Limit: 1})
			if err != nil {
				t.Errorf("concurrent list: %v", err)
			}
		})
	}
	wg.Wait()
}

func appealIDs(list []*huying.Appeal) []int64 {
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	return ids
}
