package storetest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/supervision"
	"huying/workflow"
)

// testInbox: each event that concerns staff leaves an in-console notice
// (站内通知) for every user it concerns, in its own transaction — a new
// order, a 吹哨 summons, a 挂牌督办, a 退单 to review and its ruling, a
// yellow warning — and each user reads and marks only their own.
func testInbox(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	_, lastNotice, err := s.Heads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inbox := func(who string) []*huying.InboxItem {
		t.Helper()
		items, _, err := f.Inbox.List(ctx, f.Actors[who], false, 50)
		if err != nil {
			t.Fatal(err)
		}
		return items
	}
	kinds := func(items []*huying.InboxItem) string {
		var k []string
		for _, it := range items {
			k = append(k, it.Kind)
		}
		return strings.Join(k, ",")
	}

	// A new order: the lead unit's handler, nobody else.
	a := f.MustReceive(t, Intake(huying.TypeHelp))
	a = f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitStreet})
	got := inbox("handler_street")
	if kinds(got) != "派单通知" || got[0].Code != a.Code || got[0].AppealID != a.ID || !strings.Contains(got[0].Text, a.Code) ||
		strings.Contains(got[0].Text, "【") || got[0].ReadAt != nil {
		t.Fatalf("street's inbox after dispatch: %+v", got)
	}
	if n := len(inbox("handler_a")); n != 0 {
		t.Fatalf("another unit got %d notices", n)
	}

	// 吹哨: the summoned departments; 挂牌督办: the lead unit.
	a = f.MustAct(t, "handler_street", a, huying.CmdSign, workflow.Action{})
	if _, err := f.Sup.Blow(ctx, f.Actors["handler_street"], a.ID, supervision.BlowInput{UnitIDs: []string{UnitDeptA, UnitDeptB}, Reason: "排水管网破损"}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"handler_a", "handler_b"} {
		if got := inbox(who); kinds(got) != "吹哨报到" || !strings.Contains(got[0].Text, "坪山街道") {
			t.Fatalf("%s after the whistle: %+v", who, got)
		}
	}
	if _, err := f.Sup.Flag(ctx, f.Actors["supervisor"], a.ID, workflow.FlagInput{Reason: "群众反映强烈", SupervisingUnit: UnitCentre,
		DueAt: f.Clock.Now().Add(72 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if got := inbox("handler_street"); kinds(got) != "挂牌督办,派单通知" {
		t.Fatalf("street after the flag: %s", kinds(got))
	}

	// 退单: the dispatchers review it; the ruling tells the returning unit, the new lead gets the order.
	b := f.MustReceive(t, Intake(huying.TypeComplaint))
	b = f.MustAct(t, "dispatcher", b, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	b = f.MustAct(t, "handler_a", b, huying.CmdReturn, workflow.Action{Reason: "职能不符", Note: "属于水务职责"})
	if got := inbox("dispatcher"); kinds(got) != "退单待审核" || !strings.Contains(got[0].Text, "城管和综合执法局") || !strings.Contains(got[0].Text, "职能不符") {
		t.Fatalf("dispatcher after the return: %+v", got)
	}
	f.MustAct(t, "dispatcher", b, huying.CmdArbitrate, workflow.Action{Decision: workflow.DecisionReassign, LeadUnitID: UnitDeptB})
	if got := inbox("handler_a"); !strings.HasPrefix(kinds(got), "退单审核,派单通知") || !strings.Contains(got[0].Text, "同意退单，已改派水务局") {
		t.Fatalf("returning unit after the ruling: %+v", got)
	}
	if got := inbox("handler_b"); kinds(got) != "派单通知,吹哨报到" {
		t.Fatalf("new lead after the ruling: %s", kinds(got))
	}

	// A yellow warning: the unit whose clock it is.
	c := f.MustAppealIn(t, huying.StatusHandling, "")
	d := deadline(t, s, c.ID, huying.StageClose)
	f.Clock.T = d.WarnAt.Add(time.Minute)
	mustSweep(t, f)
	var yellow *huying.InboxItem
	for _, it := range inbox("handler_a") {
		if it.Kind == "黄灯预警" && it.AppealID == c.ID {
			yellow = it
		}
	}
	if yellow == nil {
		t.Fatalf("no yellow warning for the lead unit: %s", kinds(inbox("handler_a")))
	}

	// Reading: one's own only; unread counts follow; all at once.
	mine := inbox("handler_a")
	others := inbox("handler_b")
	n, err := f.Inbox.MarkRead(ctx, f.Actors["handler_a"], []int64{others[0].ID}, false)
	if err != nil || n != 0 {
		t.Fatalf("marking another user's notice: %d %v", n, err)
	}
	if n, err := f.Inbox.MarkRead(ctx, f.Actors["handler_a"], []int64{mine[0].ID}, false); err != nil || n != 1 {
		t.Fatalf("mark one: %d %v", n, err)
	}
	if _, err := f.Inbox.MarkRead(ctx, f.Actors["handler_a"], nil, false); huying.ErrorCode(err) != huying.EINVALID {
		t.Fatalf("mark nothing: %v", err)
	}
	unreadItems, unread, _ := f.Inbox.List(ctx, f.Actors["handler_a"], true, 50)
	if unread != len(mine)-1 || len(unreadItems) != unread {
		t.Fatalf("unread %d (%d listed), want %d", unread, len(unreadItems), len(mine)-1)
	}
	if n, _ := f.Inbox.MarkRead(ctx, f.Actors["handler_a"], nil, true); n != len(mine)-1 {
		t.Fatalf("mark all: %d", n)
	}
	if _, unread, _ := f.Inbox.List(ctx, f.Actors["handler_b"], true, 50); unread != len(others) {
		t.Fatalf("handler_b's unread changed: %d", unread)
	}
	_, _, err = f.Inbox.List(ctx, huying.Actor{User: &huying.User{ID: 99, Kind: huying.UserResident, Roles: []huying.Role{huying.RoleResident}}}, false, 10)
	wantCode(t, err, huying.EFORBIDDEN)

	// The live stream's feed: every new notice once, with its recipient, oldest first.
	since, err := s.InboxSince(ctx, lastNotice, 1000)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for i, d := range since {
		if i > 0 && d.Item.ID <= since[i-1].Item.ID {
			t.Fatal("InboxSince is not in id order")
		}
		count[strconv.FormatInt(d.UserID, 10)]++
	}
	if count[strconv.FormatInt(f.Actors["handler_a"].User.ID, 10)] != len(mine) {
		t.Fatalf("InboxSince has %v, handler_a has %d", count, len(mine))
	}
}
