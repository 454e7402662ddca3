package storetest

import (
	"context"
	"testing"

	"huying"
	"huying/workflow"
)

// testChannels: intake needs a registered channel and takes its defaults;
// figures per channel and per reporter; the published on-air list.
func testChannels(t *testing.T, h Harness) {
	f, _ := setup(t, h)
	ctx := context.Background()
	in := Intake(huying.TypeHelp)
	in.Channel = "飞鸽传书"
	_, _, err := f.Svc.Receive(ctx, f.Actors["intake"], in, "")
	wantCode(t, err, huying.EINVALID)
	wantCode(t, f.Svc.SaveChannel(ctx, f.Actors["dispatcher"], huying.Channel{Name: "飞鸽传书", Kind: huying.ChannelMail}), huying.EFORBIDDEN)
	wantCode(t, f.Svc.SaveChannel(ctx, f.Actors["admin"], huying.Channel{Name: "飞鸽传书", Kind: "pigeon"}), huying.EINVALID)
	if err := f.Svc.SaveChannel(ctx, f.Actors["admin"], huying.Channel{Name: "飞鸽传书", Kind: huying.ChannelMail, DefaultType: "建议"}); err != nil {
		t.Fatal(err)
	}
	in.Type = ""
	a, _, err := f.Svc.Receive(ctx, f.Actors["intake"], in, "")
	if err != nil || a.Type != huying.TypeSuggestion {
		t.Fatalf("channel default type: %+v %v", a, err)
	}

	// A grid report that is dispatched earns its reporter points; a merged one does not.
	grid := Intake(huying.TypeHelp)
	grid.Channel = "网格上报"
	r1, _, _ := f.Svc.Receive(ctx, f.Actors["reporter"], grid, "")
	f.MustAct(t, "dispatcher", r1, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	r2, _, _ := f.Svc.Receive(ctx, f.Actors["reporter"], grid, "")
	f.MustAct(t, "dispatcher", r2, huying.CmdMerge, workflow.Action{TargetCode: r1.Code})
	// An intake agent who files under a reporters' channel earns nothing.
	party := Intake(huying.TypeHelp)
	party.Channel = "党员随手拍"
	r3 := f.MustReceive(t, party)
	f.MustAct(t, "dispatcher", r3, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	points, err := f.Svc.ReporterPoints(ctx, f.Actors["reporter"])
	if err != nil || len(points) != 1 || points[0].Reports != 2 || points[0].Confirmed != 1 || points[0].Points != huying.PointsPerReport {
		t.Fatalf("reporter points %+v %v", points, err)
	}
	if all, err := f.Svc.ReporterPoints(ctx, f.Actors["leader"]); err != nil || len(all) != 1 || all[0].UserID != f.Actors["reporter"].User.ID {
		t.Fatalf("points of everyone %+v %v, want the reporter's line only", all, err)
	}
	stats, err := f.Svc.ChannelStats(ctx, f.Actors["leader"])
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]huying.ChannelStat{}
	for _, s := range stats {
		byName[s.Channel] = s
	}
	if s := byName["网格上报"]; s.Appeals != 2 || s.Duplicates != 1 || s.Share <= 0 {
		t.Fatalf("grid channel figures %+v", s)
	}
	_, err = f.Svc.ChannelStats(ctx, f.Actors["handler_a"])
	wantCode(t, err, huying.EFORBIDDEN)

	radio := Intake(huying.TypeComplaint)
	radio.Channel = "民心桥"
	f.MustReceive(t, radio)
	radio.Confidential = true
	f.MustReceive(t, radio)
	onAir, err := f.Svc.PublishedAppeals(ctx, "民心桥", 10)
	if err != nil || len(onAir) != 1 {
		t.Fatalf("on-air list %+v %v", onAir, err)
	}
	_, err = f.Svc.PublishedAppeals(ctx, "12345热线", 10)
	wantCode(t, err, huying.ENOTFOUND)
}
