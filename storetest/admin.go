package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/identity"
	"huying/sla"
	"huying/workday"
	"huying/workflow"
)

// testUnitAdmin: an admin renames and moves units within the tree's rules
// (a community under a street), each change a compare-and-set on the
// unit's version with an admin event; a disabled unit cannot be
// dispatched to or get new users, while its users still log in and are
// edited; the centre and a unit with enabled units under it stay enabled.
func testUnitAdmin(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	admin := f.Actors["admin"]
	ptr := func(s string) *string { return &s }

	dept, err := s.Unit(ctx, UnitDeptB)
	if err != nil || dept.Version != 1 || dept.Disabled() {
		t.Fatalf("unit before: %+v %v", dept, err)
	}
	renamed, err := f.Ids.UpdateUnit(ctx, admin, UnitDeptB, identity.UnitChange{Name: ptr(" 坪山区水务局 "), Version: 1})
	if err != nil || renamed.Name != "坪山区水务局" || renamed.Version != 2 {
		t.Fatalf("rename: %+v %v", renamed, err)
	}
	// The same edit from a stale screen is refused, and changes nothing.
	_, err = f.Ids.UpdateUnit(ctx, admin, UnitDeptB, identity.UnitChange{Name: ptr("水务"), Version: 1})
	wantCode(t, err, huying.ECONFLICT)
	if u, _ := s.Unit(ctx, UnitDeptB); u.Name != "坪山区水务局" || u.Version != 2 {
		t.Fatalf("after a stale edit: %+v", u)
	}
	_, err = f.Ids.UpdateUnit(ctx, f.Actors["dispatcher"], UnitDeptB, identity.UnitChange{Name: ptr("x"), Version: 2})
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = f.Ids.UpdateUnit(ctx, admin, UnitDeptB, identity.UnitChange{Name: ptr("  "), Version: 2})
	wantCode(t, err, huying.EINVALID)
	_, err = f.Ids.UpdateUnit(ctx, admin, "no-such-unit", identity.UnitChange{Name: ptr("x"), Version: 1})
	wantCode(t, err, huying.ENOTFOUND)

	// Moves: a community goes under a street only; a street cannot go
	// under its own community; a move to an unknown parent is refused.
	if err := f.Ids.CreateUnit(ctx, admin, huying.Unit{ID: "street-2", ParentID: UnitCentre, Name: "马峦街道", Kind: huying.UnitStreet}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ unit, parent string }{
		{UnitCommunity, UnitDeptA}, {UnitCommunity, UnitCentre}, {UnitCommunity, ""}, {UnitStreet, UnitCommunity},
		{UnitCommunity, "no-such-unit"}, {UnitDeptA, UnitStreet},
	} {
		u, _ := s.Unit(ctx, bad.unit)
		_, err := f.Ids.UpdateUnit(ctx, admin, bad.unit, identity.UnitChange{ParentID: ptr(bad.parent), Version: u.Version})
		if huying.ErrorCode(err) != huying.EINVALID || !strings.Contains(err.Error(), "上级") {
			t.Errorf("move %s under %q: %v, want EINVALID naming the parent", bad.unit, bad.parent, err)
		}
	}
	moved, err := f.Ids.UpdateUnit(ctx, admin, UnitCommunity, identity.UnitChange{ParentID: ptr("street-2"), Version: 1})
	if err != nil || moved.ParentID != "street-2" || moved.Version != 2 {
		t.Fatalf("move: %+v %v", moved, err)
	}
	if _, err := f.Ids.UpdateUnit(ctx, admin, UnitCommunity, identity.UnitChange{ParentID: ptr(UnitStreet), Version: 2}); err != nil {
		t.Fatalf("move back: %v", err)
	}

	// Disable: not the centre, not a street with an enabled community.
	_, err = f.Ids.SetUnitDisabled(ctx, admin, UnitCentre, true, 1)
	wantCode(t, err, huying.EINVALID)
	_, err = f.Ids.SetUnitDisabled(ctx, admin, UnitStreet, true, 1)
	wantCode(t, err, huying.EINVALID)
	_, err = f.Ids.SetUnitDisabled(ctx, f.Actors["leader"], UnitDeptB, true, 2)
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = f.Ids.SetUnitDisabled(ctx, admin, UnitDeptB, true, 1)
	wantCode(t, err, huying.ECONFLICT)
	off, err := f.Ids.SetUnitDisabled(ctx, admin, UnitDeptB, true, 2)
	if err != nil || !off.Disabled() || off.Version != 3 {
		t.Fatalf("disable: %+v %v", off, err)
	}
	_, err = f.Ids.SetUnitDisabled(ctx, admin, UnitDeptB, true, 3)
	wantCode(t, err, huying.ECONFLICT)

	// A disabled unit gets no orders, as lead or as assistant.
	a := f.MustReceive(t, Intake(huying.TypeHelp))
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], a.ID, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptB, Version: a.Version})
	wantCode(t, err, huying.EINVALID)
	_, err = f.Svc.Act(ctx, f.Actors["dispatcher"], a.ID, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA, AssistUnitIDs: []string{UnitDeptB}, Version: a.Version})
	wantCode(t, err, huying.EINVALID)
	if got, _ := s.Appeal(ctx, a.ID); got.Status != huying.StatusReceived || got.Version != a.Version {
		t.Fatalf("a refused dispatch wrote: %s v%d", got.Status, got.Version)
	}
	// No new users in it; its users still log in (they finish the orders
	// the unit has) and are still edited.
	_, err = f.Ids.CreateUser(ctx, admin, identity.NewUser{Username: "new_b", Name: "新人", Password: "Shuiwu-2026-ok", UnitID: UnitDeptB, Roles: []huying.Role{huying.RoleHandler}})
	wantCode(t, err, huying.EINVALID)
	if _, _, err := f.Ids.Login(ctx, "handler_b", Password); err != nil {
		t.Fatalf("a disabled unit's handler logs in: %v", err)
	}
	hb := f.Actors["handler_b"].User
	if _, err := f.Ids.UpdateUser(ctx, admin, hb.ID, identity.UserChange{Phone: ptr("13900001111")}); err != nil {
		t.Fatalf("edit a disabled unit's user: %v", err)
	}
	// Enabled again, it is dispatched to.
	if _, err := f.Ids.SetUnitDisabled(ctx, admin, UnitDeptB, false, 3); err != nil {
		t.Fatal(err)
	}
	f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptB})

	// Every change is on the admin chain.
	kinds := adminKinds(t, s)
	for kind, n := range map[string]int{"unit_updated": 3, "unit_disabled": 1, "unit_enabled": 1} {
		if kinds[kind] != n {
			t.Errorf("%d %s events, want %d (%v)", kinds[kind], kind, n, kinds)
		}
	}
}

// adminKinds counts the admin chain's events by kind.
func adminKinds(t *testing.T, s huying.Store) map[string]int {
	t.Helper()
	kinds := map[string]int{}
	err := s.WalkEvents(context.Background(), func(e *huying.Event) error {
		if e.Chain == huying.ChainAdmin {
			kinds[e.Kind]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return kinds
}

// testSLAVersions: the start-up table is version 1; a new version, saved
// with compare-and-set on the newest version, applies to appeals received
// after it: an appeal received before keeps its deadlines, and its later
// clocks still follow version 1, while a new appeal follows version 2.
func testSLAVersions(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	svc := f.Svc
	if err := svc.LoadSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if err := svc.LoadSettings(ctx); err != nil { // a second node, or a restart: no second seed
		t.Fatal(err)
	}
	list, err := svc.SLAVersions(ctx, f.Actors["dispatcher"])
	if err != nil || len(list) != 1 || list[0].Version != 1 || !list[0].Current {
		t.Fatalf("versions at start: %+v %v", list, err)
	}

	other := workflow.New(s, svc.Calendar) // a second node on the same database
	other.Now = svc.Now
	if err := other.LoadSettings(ctx); err != nil {
		t.Fatal(err)
	}
	before := f.MustReceive(t, Intake(huying.TypeComplaint))
	dispatched := f.MustAct(t, "dispatcher", f.MustReceive(t, Intake(huying.TypeComplaint)), huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	oldDue := *dispatched.DueAt
	oldClose := deadline(t, s, dispatched.ID, huying.StageClose)

	f.Clock.Advance(time.Hour)
	table := `{"jurisdiction":"测试区","warn_ratio":0.5,"rules":[{"type":"*","urgency":"*","limits":{"dispatch":"1h","sign":"1wh","close":"2wd"}}]}`
	_, err = svc.CreateSLAVersion(ctx, f.Actors["dispatcher"], workflow.NewSLAVersion{Table: []byte(table), Note: "缩短时限", BaseVersion: 1})
	wantCode(t, err, huying.EFORBIDDEN)
	_, err = svc.CreateSLAVersion(ctx, f.Actors["admin"], workflow.NewSLAVersion{Table: []byte(`{"rules":[]}`), Note: "空", BaseVersion: 1})
	wantCode(t, err, huying.EINVALID)
	_, err = svc.CreateSLAVersion(ctx, f.Actors["admin"], workflow.NewSLAVersion{Table: []byte(table), Note: "缩短时限", BaseVersion: 0})
	wantCode(t, err, huying.ECONFLICT)
	v2, err := svc.CreateSLAVersion(ctx, f.Actors["admin"], workflow.NewSLAVersion{Table: []byte(table), Note: "缩短时限", BaseVersion: 1})
	if err != nil || v2.Version != 2 || !v2.EffectiveAt.Equal(f.Clock.Now()) {
		t.Fatalf("version 2: %+v %v", v2, err)
	}
	_, err = svc.CreateSLAVersion(ctx, f.Actors["admin"], workflow.NewSLAVersion{Table: []byte(table), Note: "再存一次", BaseVersion: 2})
	wantCode(t, err, huying.EINVALID) // no change

	// The appeal dispatched before keeps its deadlines.
	got, err := s.Appeal(ctx, dispatched.ID)
	if err != nil || !got.DueAt.Equal(oldDue) {
		t.Fatalf("existing appeal's due moved: %v → %v (%v)", oldDue, got.DueAt, err)
	}
	if d := deadline(t, s, dispatched.ID, huying.StageClose); !d.DueAt.Equal(oldClose.DueAt) || !d.WarnAt.Equal(oldClose.WarnAt) {
		t.Fatalf("existing close clock moved: %+v → %+v", oldClose, d)
	}
	if svc.SLAVersionOf(got) != 1 {
		t.Fatalf("existing appeal under version %d", svc.SLAVersionOf(got))
	}

	// An appeal received before version 2 but dispatched after it still
	// gets version 1's handling deadline.
	v1, err := sla.Default().Profile(sla.Key{Type: string(huying.TypeComplaint), Urgency: string(huying.UrgencyNormal)})
	if err != nil {
		t.Fatal(err)
	}
	late := f.MustAct(t, "dispatcher", before, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	want, _ := sla.Compute(v1, svc.Calendar, sla.StageClose, f.Clock.Now())
	if !late.DueAt.Equal(want.DueAt.UTC()) {
		t.Fatalf("received under v1, dispatched under v2: due %v, want v1's %v", late.DueAt, want.DueAt)
	}

	// A new appeal uses version 2: two working days.
	fresh := f.MustReceive(t, Intake(huying.TypeComplaint))
	if svc.SLAVersionOf(fresh) != 2 {
		t.Fatalf("new appeal under version %d", svc.SLAVersionOf(fresh))
	}
	if other.SLAVersionOf(fresh) != 1 {
		t.Fatal("the other node saw version 2 before refreshing")
	}
	if err := other.RefreshSettings(ctx); err != nil || other.SLAVersionOf(fresh) != 2 {
		t.Fatalf("the other node after its refresh: version %d, %v", other.SLAVersionOf(fresh), err)
	}
	fresh = f.MustAct(t, "dispatcher", fresh, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	v2table, _ := sla.Parse([]byte(table))
	p2, _ := v2table.Profile(sla.Key{Type: string(huying.TypeComplaint), Urgency: string(huying.UrgencyNormal)})
	want2, _ := sla.Compute(p2, svc.Calendar, sla.StageClose, f.Clock.Now())
	if !fresh.DueAt.Equal(want2.DueAt.UTC()) || fresh.DueAt.Equal(*late.DueAt) {
		t.Fatalf("new appeal due %v, want v2's %v (v1 gives %v)", fresh.DueAt, want2.DueAt, late.DueAt)
	}
	if adminKinds(t, s)["sla_version_created"] != 2 {
		t.Errorf("admin events: %v", adminKinds(t, s))
	}
}

// testCalendarImport: an admin imports a year's notice as CSV or JSON;
// errors name the line and write nothing; a dry run shows the days that
// change; an import applies at once and marks the year confirmed.
func testCalendarImport(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	svc := f.Svc
	if err := svc.LoadSettings(ctx); err != nil {
		t.Fatal(err)
	}
	years, err := svc.CalendarYears(ctx, f.Actors["handler_a"])
	if err != nil || len(years) == 0 || years[0].Year != 2027 {
		t.Fatalf("years: %+v %v", years, err)
	}
	for _, y := range years {
		if y.Confirmed || y.Origin != "builtin" {
			t.Errorf("%d before any import: %s confirmed %v", y.Year, y.Origin, y.Confirmed)
		}
	}
	admin := f.Actors["admin"]
	bad := "节日,放假开始,放假结束,调休上班\n元旦,2027-01-01,2027-01-03,\n春节,2027-02-05,2027-02-13,2027-02-15\n"
	_, err = svc.ImportCalendar(ctx, admin, workflow.CalendarImport{Format: "csv", Content: bad, Year: 2027})
	if huying.ErrorCode(err) != huying.EINVALID || !strings.Contains(err.Error(), "第 3 行") || !strings.Contains(err.Error(), "周六或周日") {
		t.Fatalf("weekday make-up day: %v", err)
	}
	_, err = svc.ImportCalendar(ctx, admin, workflow.CalendarImport{Format: "csv", Content: "节日,放假开始,放假结束\n国庆节,2027-10-01,2027/10/07\n", Year: 2027})
	if huying.ErrorCode(err) != huying.EINVALID || !strings.Contains(err.Error(), "第 2 行") {
		t.Fatalf("bad date: %v", err)
	}
	_, err = svc.ImportCalendar(ctx, admin, workflow.CalendarImport{Format: "json", Content: "{\n\"year\": 2027,\n\"holidays\": [\n}", Year: 2027})
	if huying.ErrorCode(err) != huying.EINVALID || !strings.Contains(err.Error(), "第 4 行") {
		t.Fatalf("JSON syntax: %v", err)
	}
	// The notice moves 国庆 make-up day 2027-10-09 (Saturday) to 2027-10-10.
	good := "节日,放假开始,放假结束,调休上班\n元旦,2027-01-01,2027-01-03,\n春节,2027-02-05,2027-02-13,2027-01-31;2027-02-14\n" +
		"清明节,2027-04-03,2027-04-05,\n劳动节,2027-05-01,2027-05-05,2027-05-08\n端午节,2027-06-09,2027-06-09,\n" +
		"中秋节,2027-09-15,2027-09-15,\n国庆节,2027-10-01,2027-10-07,2027-09-26;2027-10-10\n"
	_, err = svc.ImportCalendar(ctx, f.Actors["dispatcher"], workflow.CalendarImport{Format: "csv", Content: good, Year: 2027})
	wantCode(t, err, huying.EFORBIDDEN)
	dry, err := svc.ImportCalendar(ctx, admin, workflow.CalendarImport{Format: "csv", Content: good, Year: 2027, DryRun: true})
	if err != nil || dry.Confirmed || dry.Origin != "builtin" || len(dry.Changes) != 2 || dry.Changes[0].Date.String() != "2027-10-09" || dry.Changes[0].Workday ||
		dry.Changes[1].Date.String() != "2027-10-10" || !dry.Changes[1].Workday {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if y, _ := svc.CalendarYear(ctx, admin, 2027); y.Confirmed {
		t.Fatal("a dry run confirmed the year")
	}
	imported, err := svc.ImportCalendar(ctx, admin, workflow.CalendarImport{Format: "csv", Content: good, Year: 2027, Source: "国办发明电〔2026〕X号"})
	if err != nil || !imported.Confirmed || imported.Origin != "imported" {
		t.Fatalf("import: %+v %v", imported, err)
	}
	y, err := svc.CalendarYear(ctx, f.Actors["leader"], 2027)
	if err != nil || !y.Confirmed || y.Source != "国办发明电〔2026〕X号" || y.ImportedBy != "admin" || len(y.Days) != 365 {
		t.Fatalf("year after import: %+v %v", y, err)
	}
	for _, d := range y.Days {
		if s := d.Date.String(); s == "2027-10-10" && (!d.Workday || d.Kind != workday.KindMakeUp.String()) || s == "2027-10-09" && d.Workday {
			t.Errorf("%s after import: %+v", s, d)
		}
	}
	// A restart (another service on the same store) finds the import.
	again := workflow.New(s, svc.Calendar)
	if err := again.LoadSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if y, _ := again.CalendarYear(ctx, admin, 2027); !y.Confirmed {
		t.Fatal("import lost on restart")
	}
	if adminKinds(t, s)["calendar_imported"] != 1 {
		t.Errorf("admin events: %v", adminKinds(t, s))
	}
}
