package storetest

import (
	"context"
	"testing"
	"time"

	"huying"
	"huying/workflow"
)

// claimAll takes every due notice (far in the future, so all are due).
func claimAll(t *testing.T, s huying.Store) []*huying.Notice {
	t.Helper()
	list, err := s.ClaimNotices(context.Background(), time.Now().Add(100*24*time.Hour), time.Minute, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// testNotices checks the outbox gets the resident's 受理告知, 办理告知 and
// 回访邀请, the unit's 催办 and the supervisor's 督办, each once, and every
// event for a webhook subscriber.
func testNotices(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	if _, err := f.Svc.CreateWebhook(ctx, f.Actors["admin"], "http://127.0.0.1:9/hook", "0123456789abcdef"); err != nil {
		t.Fatal(err)
	}
	a := f.MustAppealIn(t, huying.StatusHandling, "")
	d := deadline(t, s, a.ID, huying.StageClose)
	f.Clock.T = d.DueAt.Add(time.Minute)
	mustSweep(t, f)
	f.Clock.T = d.DueAt.Add(30 * 24 * time.Hour)
	mustSweep(t, f)
	a = f.MustAct(t, "handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已办结"})
	f.MustAct(t, "dispatcher", a, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept})

	var sms []string
	hooks := 0
	for _, n := range claimAll(t, s) {
		switch n.Channel {
		case huying.NoticeSMS:
			sms = append(sms, n.Template+"→"+n.Recipient)
		case huying.NoticeWebhook:
			hooks++
		}
	}
	handlerPhone, supervisorPhone := f.Actors["handler_a"].User.Phone, f.Actors["supervisor"].User.Phone
	want := []string{"受理告知→13800138000", "派单通知→" + handlerPhone, "催办→" + handlerPhone, "督办→" + supervisorPhone, "办理告知→13800138000", "回访邀请→13800138000"}
	for _, w := range want {
		if n := countOf(sms, w); n != 1 {
			t.Errorf("%s sent %d times, want once (all: %v)", w, n, sms)
		}
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	if hooks != len(events) {
		t.Errorf("%d webhook notices for %d events", hooks, len(events))
	}
	if again := claimAll(t, s); len(again) != 0 {
		t.Errorf("claimed notices were handed out again within their lease: %d", len(again))
	}

	// A landline gets no SMS: its 受理告知 is never handed to the sender and
	// not counted as waiting (it is kept, marked undeliverable).
	in := Intake(huying.TypeHelp)
	in.ContactPhone = "0755-84661234"
	backlog, _ := s.OutboxBacklog(ctx)
	f.MustReceive(t, in)
	claimed := claimAll(t, s)
	for _, n := range claimed {
		if n.Channel == huying.NoticeSMS {
			t.Errorf("SMS %s to %s handed out", n.Template, n.Recipient)
		}
	}
	if after, _ := s.OutboxBacklog(ctx); after != backlog+len(claimed) {
		t.Errorf("backlog %d → %d with %d webhook notices: the landline's notice waits to be sent", backlog, after, len(claimed))
	}
	MustAuditClean(t, s)
}

func countOf(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}
