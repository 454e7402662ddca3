package storetest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"huying"
	"huying/supervision"
	"huying/workflow"
)

func kindsOf(t *testing.T, s huying.Store, id int64) []string {
	t.Helper()
	events, err := s.AppealEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

func mustSweep(t *testing.T, f *Fixture) workflow.SweepResult {
	t.Helper()
	res, err := f.Svc.Sweep(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func deadline(t *testing.T, s huying.Store, id int64, stage string) *huying.Deadline {
	t.Helper()
	list, err := s.AppealDeadlines(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var last *huying.Deadline
	for _, d := range list {
		if d.Stage == stage {
			last = d
		}
	}
	if last == nil {
		t.Fatalf("appeal %d has no %s deadline", id, stage)
	}
	return last
}

// testSweepClose walks an overdue handling deadline through yellow, red
// with 催办, and 督办, with the injected clock.
func testSweepClose(t *testing.T, h Harness) {
	f, s := setup(t, h)
	a := f.MustAppealIn(t, huying.StatusHandling, "")
	d := deadline(t, s, a.ID, huying.StageClose)
	if d.State != huying.DeadlineOpen || !d.DueAt.Equal(*a.DueAt) || !d.WarnAt.Before(d.DueAt) {
		t.Fatalf("close deadline %+v, appeal due %v", d, a.DueAt)
	}
	if res := mustSweep(t, f); res.Rows != 0 {
		t.Fatalf("a fresh deadline swept: %+v", res)
	}
	f.Clock.T = d.WarnAt.Add(time.Minute)
	if res := mustSweep(t, f); res.Yellow != 1 || res.Red != 0 {
		t.Fatalf("at warn time: %+v", res)
	}
	if res := mustSweep(t, f); res.Rows != 0 {
		t.Fatalf("a second sweep at the same time did something: %+v", res)
	}
	f.Clock.T = d.DueAt.Add(time.Minute)
	if res := mustSweep(t, f); res.Red != 1 || res.Urged != 1 {
		t.Fatalf("at due time: %+v", res)
	}
	f.Clock.T = d.DueAt.Add(30 * 24 * time.Hour) // past 5 working days, National Day included
	if res := mustSweep(t, f); res.Supervised != 1 {
		t.Fatalf("after the urge: %+v", res)
	}
	if res := mustSweep(t, f); res.Rows != 0 {
		t.Fatalf("a supervised deadline swept again: %+v", res)
	}
	kinds := kindsOf(t, s, a.ID)
	for _, k := range []string{"deadline_yellow", "urge", "supervise"} {
		if !slices.Contains(kinds, k) {
			t.Errorf("timeline lacks %s: %v", k, kinds)
		}
	}
	// Replying closes the clock; the review clock starts.
	f.MustAct(t, "handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已办结"})
	if d := deadline(t, s, a.ID, huying.StageClose); d.State != huying.DeadlineDone {
		t.Fatalf("close deadline after reply: %s", d.State)
	}
	if d := deadline(t, s, a.ID, huying.StageReview); d.State != huying.DeadlineOpen {
		t.Fatalf("review deadline after reply: %s", d.State)
	}
	if _, _, err := f.Svc.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
	MustAuditClean(t, s)
}

// testSweepAutoSign leaves an order unsigned: it is escalated, then signed
// by the system so that the handling clock runs anyway.
func testSweepAutoSign(t *testing.T, h Harness) {
	f, s := setup(t, h)
	a := f.MustAppealIn(t, huying.StatusDispatched, "")
	d := deadline(t, s, a.ID, huying.StageSign)
	f.Clock.T = d.DueAt.Add(time.Minute)
	if res := mustSweep(t, f); res.Escalated != 1 || res.AutoSigned != 0 {
		t.Fatalf("at sign due: %+v", res)
	}
	f.Clock.T = d.DueAt.Add(d.DueAt.Sub(d.StartAt) + time.Minute)
	if res := mustSweep(t, f); res.AutoSigned != 1 {
		t.Fatalf("after the second limit: %+v", res)
	}
	got, err := s.Appeal(context.Background(), a.ID)
	if err != nil || got.Status != huying.StatusSigned {
		t.Fatalf("appeal %v %v, want signed", got.Status, err)
	}
	if d := deadline(t, s, a.ID, huying.StageFirstContact); d.State != huying.DeadlineOpen {
		t.Fatalf("first contact clock %s after auto-sign", d.State)
	}
	kinds := kindsOf(t, s, a.ID)
	if !slices.Contains(kinds, "sign_escalated") || kinds[len(kinds)-1] != string(huying.CmdSign) {
		t.Fatalf("timeline %v, want sign_escalated then sign", kinds)
	}
	MustAuditClean(t, s)
}

// testSweepExtension keeps the original deadline when an extension moves it.
func testSweepExtension(t *testing.T, h Harness) {
	f, s := setup(t, h)
	a := f.MustAppealIn(t, huying.StatusHandling, "")
	before := deadline(t, s, a.ID, huying.StageClose)
	due := a.DueAt.Add(10 * 24 * time.Hour)
	a = f.MustAct(t, "handler_a", a, huying.CmdRequestExtension, workflow.Action{DueAt: &due, Note: "需协调"})
	f.MustAct(t, "dispatcher", a, huying.CmdDecideExtension, workflow.Action{Decision: workflow.DecisionApprove, DueAt: &due})
	after := deadline(t, s, a.ID, huying.StageClose)
	if after.ID != before.ID || !after.DueAt.Equal(due) || after.OriginalDueAt == nil || !after.OriginalDueAt.Equal(before.DueAt) {
		t.Fatalf("after extension %+v, before %+v", after, before)
	}
	MustAuditClean(t, s)
}

// testSweepConcurrent sweeps from several goroutines at once: each
// deadline fires exactly once.
func testSweepConcurrent(t *testing.T, h Harness) {
	f, s := setup(t, h)
	var ids []int64
	for range 6 {
		ids = append(ids, f.MustAppealIn(t, huying.StatusDispatched, "").ID)
	}
	f.Clock.Advance(30 * 24 * time.Hour)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := f.Svc.Sweep(context.Background(), 1000); err != nil && huying.ErrorCode(err) != huying.ECONFLICT {
				t.Errorf("sweep: %v", err)
			}
		})
	}
	wg.Wait()
	for range 3 {
		mustSweep(t, f) // catch up anything a conflicting sweep left
	}
	for _, id := range ids {
		n := 0
		for _, k := range kindsOf(t, s, id) {
			if k == "sign_escalated" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("appeal %d escalated %d times, want once", id, n)
		}
	}
	MustAuditClean(t, s)
}

// testEscalationTiming: a weeks-old overdue appeal is urged (催办) first
// and supervised (督办) only five working days after that urge, as its
// event says; a 催办 by hand tells the clock as it stands and carries the
// note; a summoned department's report-in clock stops when the appeal is
// replied.
func testEscalationTiming(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	a := f.MustAppealIn(t, huying.StatusHandling, "")
	d := deadline(t, s, a.ID, huying.StageClose)
	f.Clock.T = d.DueAt.Add(21 * 24 * time.Hour)
	if res := mustSweep(t, f); res.Urged != 1 || res.Supervised != 0 {
		t.Fatalf("weeks overdue, first sweep: %+v", res)
	}
	f.Clock.Advance(30 * time.Second)
	if res := mustSweep(t, f); res.Supervised != 0 {
		t.Fatalf("30 s after the urge: %+v", res)
	}
	d = deadline(t, s, a.ID, huying.StageClose)
	if want := f.Svc.Calendar.AddWorkdays(f.Clock.Now().Add(-30*time.Second), workflow.SuperviseAfterDays); d.NextAt == nil || !d.NextAt.Equal(want.UTC()) {
		t.Fatalf("督办 due at %v, want five working days after the urge (%v)", d.NextAt, want)
	}
	f.Clock.T = d.NextAt.Add(time.Minute)
	if res := mustSweep(t, f); res.Supervised != 1 {
		t.Fatalf("five working days after the urge: %+v", res)
	}

	// A 催办 by hand on an appeal with time left.
	b := f.MustAppealIn(t, huying.StatusHandling, "")
	claimAll(t, s)
	if err := f.Sup.Urge(ctx, f.Actors["supervisor"], b.ID, "请本周五前完成整改并回复"); err != nil {
		t.Fatal(err)
	}
	var text string
	for _, n := range claimAll(t, s) {
		if n.Template == "催办" {
			text = n.Payload
		}
	}
	if !strings.Contains(text, "剩余") || strings.Contains(text, "已超过") || !strings.Contains(text, "请本周五前完成整改并回复") {
		t.Fatalf("manual 催办 SMS %q: want the time left and the note", text)
	}

	// A report-in clock stops when the appeal is replied.
	c := f.MustReceive(t, Intake(huying.TypeHelp))
	c = f.MustAct(t, "dispatcher", c, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitStreet})
	c = f.MustAct(t, "handler_street", c, huying.CmdSign, workflow.Action{})
	if _, err := f.Sup.Blow(ctx, f.Actors["handler_street"], c.ID, supervision.BlowInput{UnitIDs: []string{UnitDeptA}, Reason: "需城管到场"}); err != nil {
		t.Fatal(err)
	}
	f.MustAct(t, "handler_street", c, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "街道已自行处置"})
	f.Clock.Advance(time.Hour)
	mustSweep(t, f)
	if r := deadline(t, s, c.ID, huying.StageReportIn); r.State != huying.DeadlineDone {
		t.Fatalf("report-in clock after the reply: %s", r.State)
	}
	MustAuditClean(t, s)
}
