package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/classify"
	"huying/dispatch"
	"huying/workflow"
)

// stubClassifier is a hand-written test double: sure about drains, unsure
// about everything else. The real model is tested in package classify.
type stubClassifier struct{}

func (stubClassifier) Predict(text string) classify.Prediction {
	if strings.Contains(text, "下水道") {
		return classify.Prediction{Label: "城乡建设", Prob: 0.95, Reasons: []classify.Reason{{Feature: "下水道"}}}
	}
	return classify.Prediction{Label: "教育文体", Prob: 0.41}
}

// stubPlaces puts every address in street-1 / community-1.
type stubPlaces = CommunityPlaces

// CommunityPlaces is a workflow.Locator that puts every address in
// street-1 / community-1, the reporter's community.
type CommunityPlaces struct{}

// Locate places every point in community-1.
func (CommunityPlaces) Locate(huying.Point) (string, string, bool) {
	return UnitStreet, UnitCommunity, true
}

// Match places every address in community-1.
func (CommunityPlaces) Match(string) (string, string, string, bool) {
	return UnitStreet, UnitCommunity, "地址匹配", true
}

// testAutoDispatch: a confident classification with a catalogue routing is
// dispatched at intake; an unsure one waits with suggestions; a
// dispatcher's correction is recorded; near-duplicates are offered.
func testAutoDispatch(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	cat := &dispatch.Catalogue{Rules: []dispatch.Rule{
		{ID: "cs", Category: "城乡建设", Lead: UnitDeptA},
		{ID: "cs-drain", Category: "城乡建设", Object: "下水道", Lead: UnitDeptB, Assists: []string{UnitDeptA}},
		{ID: "jy", Category: "教育文体", Lead: UnitDeptA},
		{ID: "gas", Matter: "燃气泄漏", Keywords: []string{"燃气味"}, Lead: UnitDeptB},
	}}
	_, err := f.Svc.SetCatalogue(ctx, f.Actors["dispatcher"], cat)
	wantCode(t, err, huying.EFORBIDDEN)
	bad := &dispatch.Catalogue{Rules: []dispatch.Rule{{ID: "x", Category: "环境保护", Lead: UnitCommunity}}}
	_, err = f.Svc.SetCatalogue(ctx, f.Actors["admin"], bad)
	wantCode(t, err, huying.EINVALID)
	if v, err := f.Svc.SetCatalogue(ctx, f.Actors["admin"], cat); err != nil || v != 1 {
		t.Fatalf("set catalogue: %d %v", v, err)
	}
	f.Svc.Classifier, f.Svc.Places, f.Svc.AutoDispatchAt = stubClassifier{}, stubPlaces{}, 0.5 // routing confidence

	a := f.MustReceive(t, Intake(huying.TypeHelp)) // about a blocked drain
	if a.Status != huying.StatusDispatched || a.LeadUnit() != UnitDeptB || !a.Triage.Auto || a.Category != "城乡建设" {
		t.Fatalf("auto-dispatch: status %s lead %s triage %+v", a.Status, a.LeadUnit(), a.Triage)
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	if last := events[len(events)-1]; last.Kind != string(huying.CmdDispatch) || last.Actor != "system" || !strings.Contains(last.Note, "cs-drain") {
		t.Fatalf("auto-dispatch event %+v", last)
	}
	if d := deadline(t, s, a.ID, huying.StageSign); d.UnitID != UnitDeptB {
		t.Fatalf("sign clock for %s", d.UnitID)
	}
	// What the intake transaction wrote, read back: the auto flag and the
	// category changed on the row the same transaction had just inserted.
	if got, err := s.Appeal(ctx, a.ID); err != nil || got.Triage == nil || !got.Triage.Auto || got.Category != "城乡建设" || got.LeadUnit() != UnitDeptB {
		t.Fatalf("auto-dispatched appeal as stored: %+v %v", got, err)
	}

	in := Intake(huying.TypeConsult)
	in.Content = "请问孩子上小学需要准备哪些材料？"
	b := f.MustReceive(t, in)
	if b.Status != huying.StatusReceived || b.Triage == nil || len(b.Triage.Suggestions) != 1 || b.Triage.Street != UnitStreet {
		t.Fatalf("unsure intake: status %s triage %+v", b.Status, b.Triage)
	}
	got, err := f.Svc.Suggestions(ctx, f.Actors["dispatcher"], b.ID, "城乡建设")
	if err != nil || len(got) != 1 || got[0].RuleID != "cs" {
		t.Fatalf("suggestions under another category: %+v %v", got, err)
	}
	b = f.MustAct(t, "dispatcher", b, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA, Category: "城乡建设/城市建设和市政管理"})
	events, _ = s.AppealEvents(ctx, b.ID)
	if last := events[len(events)-1]; !strings.Contains(last.Data, `"corrected_from":"教育文体"`) || b.Category != "城乡建设/城市建设和市政管理" {
		t.Fatalf("correction not recorded: %s / %s", last.Data, b.Category)
	}

	// A matter's keywords fire whatever the category: the stub calls this
	// 教育文体, the gas matter routes it, and surely enough to dispatch.
	in = Intake(huying.TypeHelp)
	in.Content = "楼道里燃气味很重，请尽快派人处理"
	gas := f.MustReceive(t, in)
	if gas.Status != huying.StatusDispatched || gas.LeadUnit() != UnitDeptB || gas.Triage.Suggestions[0].Matter != "燃气泄漏" ||
		!strings.Contains(strings.Join(gas.Triage.Suggestions[0].Why, "；"), "关键词「燃气味」") {
		t.Fatalf("gas under 教育文体: status %s lead %s triage %+v", gas.Status, gas.LeadUnit(), gas.Triage)
	}
	// A consultation waits for a direct answer (直接答复), however sure the routing.
	in = Intake(huying.TypeConsult)
	in.Content = "请问闻到燃气味应该打哪个电话？"
	if ask := f.MustReceive(t, in); ask.Status != huying.StatusReceived || ask.Triage.Suggestions[0].Lead != UnitDeptB {
		t.Fatalf("consultation: status %s triage %+v", ask.Status, ask.Triage)
	}

	dup := f.MustReceive(t, Intake(huying.TypeHelp))
	if len(dup.Triage.Duplicates) == 0 || dup.Triage.Duplicates[0] != a.Code {
		t.Fatalf("near-duplicate not offered: %+v", dup.Triage.Duplicates)
	}
	MustAuditClean(t, s)
}

// ConcurrentAutoDispatch takes in 64 appeals at once, each auto-dispatched
// to a street (so the centre gets a copy) with a webhook subscribed, on s,
// and fails unless all finish within 10 s. Every read inside an intake's
// transaction goes through it: on PostgreSQL with a pool of 4, a read
// through the pool while 4 transactions hold every connection (and the
// day's code-sequence row) would wait for ever.
func ConcurrentAutoDispatch(t *testing.T, s huying.Store) {
	f := MustFixture(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cat := &dispatch.Catalogue{Rules: []dispatch.Rule{{ID: "cs-drain", Category: "城乡建设", Object: "下水道", Lead: UnitStreet, Assists: []string{UnitDeptA}}}}
	if _, err := f.Svc.SetCatalogue(ctx, f.Actors["admin"], cat); err != nil {
		t.Fatal(err)
	}
	f.Svc.AllowPrivateWebhooks = true
	if _, err := f.Svc.CreateWebhook(ctx, f.Actors["admin"], "http://127.0.0.1:9/hook", "secret-0123456789"); err != nil {
		t.Fatal(err)
	}
	f.Svc.Classifier, f.Svc.Places, f.Svc.AutoDispatchAt = stubClassifier{}, stubPlaces{}, 0.5 // routing confidence
	const n = 64
	errs := make(chan error, n)
	start := time.Now()
	for range n {
		go func() {
			a, _, err := f.Svc.Receive(ctx, f.Actors["intake"], Intake(huying.TypeHelp), "")
			if err == nil && (a.Status != huying.StatusDispatched || !a.AssignedTo(UnitCentre)) {
				err = fmt.Errorf("appeal %s: status %s, assignments %+v", a.Code, a.Status, a.Assignments)
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("after %v: %v", time.Since(start).Round(time.Millisecond), err)
		}
	}
	t.Logf("%d auto-dispatched intakes in %v", n, time.Since(start).Round(time.Millisecond))
}
