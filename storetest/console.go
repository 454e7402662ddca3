package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"huying"
	"huying/workflow"
)

// testCallback: an unanswered callback (回访未接通) keeps the appeal 待回访
// with an event of its own, a retry before the spacing is refused, the
// last of N attempts makes it 无法联系 (no rating kept, so no satisfaction
// rate counts it) and it archives; a callback answered after a miss rates
// as usual and starts a fresh round. Whoever makes the callback may reveal
// the phone through the audited read while the appeal waits for it.
func testCallback(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	f.Svc.CallbackAttempts, f.Svc.CallbackSpacing = 2, 20*time.Hour
	miss := workflow.Action{Outcome: huying.CallbackUnreached, Note: "电话无人接听"}

	a := f.MustAppealIn(t, huying.StatusReviewed, "")
	// The dispatcher makes callbacks too, and needs the phone for them.
	c, err := f.Svc.Contact(ctx, f.Actors["dispatcher"], a.ID)
	if err != nil || c.Phone != "13800138000" {
		t.Fatalf("dispatcher reveals the phone of an appeal due for callback: %+v %v", c, err)
	}
	a = f.MustAct(t, "dispatcher", a, huying.CmdRate, miss)
	if a.Status != huying.StatusReviewed || a.CallbackAttempts != 1 || a.CallbackAt == nil || a.Rating != nil {
		t.Fatalf("after one miss: %s attempts %d at %v rating %v", a.Status, a.CallbackAttempts, a.CallbackAt, a.Rating)
	}
	// A retry within the spacing is refused and writes nothing.
	f.Clock.Advance(19 * time.Hour)
	_, err = f.Svc.Act(ctx, f.Actors["intake"], a.ID, huying.CmdRate, miss)
	wantCode(t, err, huying.ECONFLICT)
	// A rating with 未接通, an unknown outcome, or 未接通 from a resident's
	// own login are refused.
	_, err = f.Svc.Act(ctx, f.Actors["intake"], a.ID, huying.CmdRate, workflow.Action{Outcome: huying.CallbackUnreached,
		Rating: &huying.Rating{Satisfaction: huying.Satisfied}})
	wantCode(t, err, huying.EINVALID)
	_, err = f.Svc.Act(ctx, f.Actors["intake"], a.ID, huying.CmdRate, workflow.Action{Outcome: "关机"})
	wantCode(t, err, huying.EINVALID)
	if got, _ := s.Appeal(ctx, a.ID); got.Version != a.Version {
		t.Fatalf("a refused callback wrote the appeal: version %d, want %d", got.Version, a.Version)
	}
	f.Clock.Advance(time.Hour)
	a = f.MustAct(t, "intake", a, huying.CmdRate, miss)
	if a.Status != huying.StatusUnreachable || a.CallbackAttempts != 2 || a.Status.Open() {
		t.Fatalf("after the last miss: %s attempts %d", a.Status, a.CallbackAttempts)
	}
	if _, err := f.Svc.Contact(ctx, f.Actors["dispatcher"], a.ID); huying.ErrorCode(err) != huying.EFORBIDDEN {
		t.Fatalf("dispatcher reveals the phone after the callback ended: %v", err)
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	var misses []*huying.Event
	for _, e := range events {
		if e.Kind == huying.EventCallbackUnreached {
			misses = append(misses, e)
		}
	}
	if len(misses) != 2 || misses[0].ToStatus != huying.StatusReviewed || misses[1].ToStatus != huying.StatusUnreachable {
		t.Fatalf("callback events %+v", misses)
	}
	if !slices.ContainsFunc(events, func(e *huying.Event) bool { return e.Kind == huying.EventContactViewed }) {
		t.Fatal("the dispatcher's reveal of the phone left no event")
	}
	// 无法联系 is not a valid callback (有效回访): it is no rating at all.
	st, err := f.Svc.Stats(ctx, f.Actors["leader"], f.Clock.T.Add(-30*24*time.Hour), f.Clock.T.Add(time.Hour))
	if err != nil || st.Ratings.All.Valid != 0 {
		t.Fatalf("ratings after an unreachable callback %+v %v", st, err)
	}
	f.MustAct(t, "dispatcher", a, huying.CmdArchive, workflow.Action{})

	// A miss, then an answered call: rated as usual, the round reset.
	b := f.MustAppealIn(t, huying.StatusReviewed, "")
	b = f.MustAct(t, "intake", b, huying.CmdRate, miss)
	b = f.MustAct(t, "intake", b, huying.CmdRate, workflow.Action{Outcome: huying.CallbackReached,
		Rating: &huying.Rating{Satisfaction: huying.BasicSatisfied}})
	if b.Status != huying.StatusRated || b.CallbackAttempts != 0 || b.CallbackAt != nil || b.Rating == nil {
		t.Fatalf("answered after a miss: %s attempts %d at %v", b.Status, b.CallbackAttempts, b.CallbackAt)
	}
	st, _ = f.Svc.Stats(ctx, f.Actors["leader"], f.Clock.T.Add(-30*24*time.Hour), f.Clock.T.Add(time.Hour))
	if st.Ratings.All.Valid != 1 || st.Ratings.All.BasicSatisfied != 1 {
		t.Fatalf("ratings %+v, want the one answered callback", st.Ratings.All)
	}
	MustAuditClean(t, s)
}

// testReporterScope: a community's reporter (社区网格员) lists and reads
// what they reported and the appeals placed in their community, but not a
// confidential one there nor anything elsewhere, and sees contacts masked.
func testReporterScope(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	reporter := f.Actors["reporter"]
	mine, _, err := f.Svc.Receive(ctx, reporter, Intake(huying.TypeSuggestion), "")
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := f.MustReceive(t, Intake(huying.TypeComplaint)) // no place: no community
	f.Svc.Places = stubPlaces{}
	here := f.MustReceive(t, Intake(huying.TypeComplaint))
	in := Intake(huying.TypeComplaint)
	in.Confidential = true
	secret := f.MustReceive(t, in)
	if here.Community != UnitCommunity || secret.Community != UnitCommunity {
		t.Fatalf("placed in %q and %q", here.Community, secret.Community)
	}
	list, total, err := f.Svc.List(ctx, reporter, huying.AppealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range list {
		ids = append(ids, a.ID)
		if a.ID != mine.ID && a.ContactPhone == "13800138000" {
			t.Fatalf("reporter lists %s with the contact unmasked", a.Code)
		}
	}
	slices.Sort(ids)
	if want := []int64{mine.ID, here.ID}; total != 2 || !slices.Equal(ids, want) {
		t.Fatalf("reporter lists %v (total %d), want %v", ids, total, want)
	}
	if got, err := f.Svc.Get(ctx, reporter, here.ID); err != nil || got.ContactPhone == "13800138000" {
		t.Fatalf("reporter reads a community appeal: %+v %v", got, err)
	}
	for _, a := range []*huying.Appeal{elsewhere, secret} {
		_, err := f.Svc.Get(ctx, reporter, a.ID)
		wantCode(t, err, huying.ENOTFOUND)
	}
	_, err = f.Svc.Contact(ctx, reporter, here.ID)
	wantCode(t, err, huying.EFORBIDDEN)
	// Filters still apply within the reach.
	if _, total, _ := f.Svc.List(ctx, reporter, huying.AppealFilter{Type: huying.TypeSuggestion}); total != 1 {
		t.Fatalf("reporter's suggestions: %d, want 1", total)
	}
	// A handler sees their unit's orders only, as before.
	if _, total, _ := f.Svc.List(ctx, f.Actors["handler_street"], huying.AppealFilter{}); total != 0 {
		t.Fatalf("street handler lists %d undispatched appeals", total)
	}
	MustAuditClean(t, s)
}

// testOnAir: the centre records a 《民心桥》 broadcast answer on an appeal
// of the radio channel, validated; it is an event and shows on the public
// on-air list; other channels and roles are refused without a write.
func testOnAir(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	radio := Intake(huying.TypeComplaint)
	radio.Channel = "民心桥"
	a := f.MustReceive(t, radio)
	other := f.MustReceive(t, Intake(huying.TypeComplaint))
	good := workflow.OnAirInput{Version: a.Version, OnAir: huying.OnAir{BroadcastDate: "2026-09-27", Official: "区城管局局长 李明", Answer: "三天内完成下水道疏通，并每月巡查。"}}

	for _, tc := range []struct {
		name string
		who  string
		id   int64
		in   workflow.OnAirInput
		code string
	}{
		{"handler", "handler_a", a.ID, good, huying.EFORBIDDEN},
		{"leader", "leader", a.ID, good, huying.EFORBIDDEN},
		{"bad date", "dispatcher", a.ID, with(good, func(o *huying.OnAir) { o.BroadcastDate = "9月27日" }), huying.EINVALID},
		{"future", "dispatcher", a.ID, with(good, func(o *huying.OnAir) { o.BroadcastDate = "2026-09-29" }), huying.EINVALID},
		{"no official", "dispatcher", a.ID, with(good, func(o *huying.OnAir) { o.Official = " " }), huying.EINVALID},
		{"no answer", "dispatcher", a.ID, with(good, func(o *huying.OnAir) { o.Answer = "" }), huying.EINVALID},
		{"other channel", "dispatcher", other.ID, workflow.OnAirInput{OnAir: good.OnAir}, huying.ECONFLICT},
		{"stale", "dispatcher", a.ID, workflow.OnAirInput{Version: a.Version + 5, OnAir: good.OnAir}, huying.ECONFLICT},
	} {
		_, err := f.Svc.SetOnAir(ctx, f.Actors[tc.who], tc.id, tc.in)
		if huying.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if got, _ := s.Appeal(ctx, a.ID); got.OnAir != nil || got.Version != a.Version {
		t.Fatalf("a refused on-air record wrote the appeal: %+v", got.OnAir)
	}
	got, err := f.Svc.SetOnAir(ctx, f.Actors["dispatcher"], a.ID, good)
	if err != nil || got.OnAir == nil || got.OnAir.Official != "区城管局局长 李明" || got.Version != a.Version+1 {
		t.Fatalf("record on air: %+v %v", got, err)
	}
	if stored, _ := s.Appeal(ctx, a.ID); stored.OnAir == nil || *stored.OnAir != good.OnAir {
		t.Fatalf("stored on air %+v", stored.OnAir)
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	if last := events[len(events)-1]; last.Kind != huying.EventOnAir || last.ActorID != f.Actors["dispatcher"].User.ID {
		t.Fatalf("last event %+v", last)
	}
	list, err := f.Svc.PublishedAppeals(ctx, "民心桥", 10)
	if err != nil || len(list) != 1 || list[0].OnAir == nil || list[0].OnAir.Answer != good.Answer {
		t.Fatalf("on-air list %+v %v", list, err)
	}
	MustAuditClean(t, s)
}

func with(in workflow.OnAirInput, edit func(*huying.OnAir)) workflow.OnAirInput {
	edit(&in.OnAir)
	return in
}
