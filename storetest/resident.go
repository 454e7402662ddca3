package storetest

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/identity"
	"huying/workflow"
)

// codeSentTo reads the newest verification code for phone from the outbox,
// as the SMS gateway would.
func codeSentTo(t *testing.T, s huying.Store, phone string) string {
	t.Helper()
	var code string
	for _, n := range claimAll(t, s) {
		if n.Recipient == phone && n.Template == "验证码" {
			code = regexp.MustCompile(`\d{6}`).FindString(n.Payload)
		}
	}
	if code == "" {
		t.Fatalf("no code sent to %s", phone)
	}
	return code
}

// testResident walks a resident through SMS verification, filing, adding
// information, following and rating, and checks they see only their own.
func testResident(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	const phone = "13912340000"
	wantCode(t, f.Ids.SendCode(ctx, "12345", "192.0.2.1"), huying.EINVALID)
	if err := f.Ids.SendCode(ctx, phone, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Ids.SendCode(ctx, phone, "192.0.2.1"), huying.ETOOMANY) // within a minute
	code := codeSentTo(t, s, phone)
	_, _, err := f.Ids.VerifyCode(ctx, phone, "000000")
	wantCode(t, err, huying.EINVALID)
	token, u, err := f.Ids.VerifyCode(ctx, phone, code)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.Ids.VerifyCode(ctx, phone, code) // a code works once
	wantCode(t, err, huying.EINVALID)
	me, err := f.Ids.Authenticate(ctx, token)
	if err != nil || me.User.ID != u.ID || !me.User.Has(huying.RoleResident) {
		t.Fatalf("resident session: %+v %v", me, err)
	}
	in := Intake(huying.TypeComplaint)
	in.ContactPhone = "13800001111" // ignored: a resident files with the verified phone
	a, _, err := f.Svc.Receive(ctx, me, in, "")
	if err != nil || a.Channel != huying.ResidentChannel || a.CreatedBy != u.ID {
		t.Fatalf("resident intake: %+v %v", a, err)
	}
	if c, err := f.Svc.Contact(ctx, me, a.ID); err != nil || c.Phone != phone {
		t.Fatalf("resident's own contact: %+v %v", c, err)
	}
	other := f.MustReceive(t, Intake(huying.TypeHelp))
	_, err = f.Svc.Get(ctx, me, other.ID)
	wantCode(t, err, huying.ENOTFOUND)
	list, _, _ := f.Svc.List(ctx, me, huying.AppealFilter{})
	if len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("resident lists %d appeals", len(list))
	}
	_, err = f.Svc.Events(ctx, me, a.ID)
	wantCode(t, err, huying.EFORBIDDEN)
	if err := f.Svc.Supplement(ctx, me, a.ID, "补充：晚上十点后更严重", nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Svc.Supplement(ctx, me, other.ID, "不是我的", nil), huying.ENOTFOUND)
	_, err = f.Svc.Act(ctx, me, a.ID, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	wantCode(t, err, huying.EFORBIDDEN)

	if err := f.Svc.Subscribe(ctx, me, a.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Svc.Subscribe(ctx, me, other.ID), huying.ENOTFOUND)
	claimAll(t, s) // clear the outbox so far
	for _, st := range f.Path(huying.StatusReviewed) {
		a = f.MustAct(t, st.Who, a, st.Cmd, st.Action)
	}
	progress := 0
	for _, n := range claimAll(t, s) {
		if n.Template == "进度提醒" && n.Recipient == phone {
			progress++
		}
	}
	if progress != 3 { // dispatched, signed, contacted
		t.Fatalf("%d progress SMS to the subscriber, want 3", progress)
	}
	if _, err := f.Svc.Act(ctx, me, a.ID, huying.CmdRate, workflow.Action{Rating: &huying.Rating{Satisfaction: huying.Unsatisfied, Comment: "没解决"}}); err != nil {
		t.Fatal(err)
	}
	tr, err := f.Svc.MyTrack(ctx, me, a.ID)
	if err != nil || tr.Status != huying.StatusDispatched || len(tr.Steps) < 5 {
		t.Fatalf("resident timeline after asking for redo: %+v %v", tr, err)
	}
	// Codes die after five wrong tries.
	f.Clock.Advance(2 * time.Minute)
	if err := f.Ids.SendCode(ctx, phone, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	code = codeSentTo(t, s, phone)
	for range identity.CodeAttempts {
		_, _, _ = f.Ids.VerifyCode(ctx, phone, "999999")
	}
	_, _, err = f.Ids.VerifyCode(ctx, phone, code)
	wantCode(t, err, huying.EINVALID)
	MustAuditClean(t, s)
}

// testMergedResident: the resident of an appeal merged into another hears
// that one's outcome under their own code, follows its handling, and can
// rate it once; the rating is kept and a 不满意 is written on the handled
// appeal without changing either status.
func testMergedResident(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	a := f.MustReceive(t, Intake(huying.TypeHelp))
	dup := Intake(huying.TypeHelp)
	dup.ContactPhone = "13900139000"
	b := f.MustReceive(t, dup)
	b = f.MustAct(t, "dispatcher", b, huying.CmdMerge, workflow.Action{TargetCode: a.Code})
	a = f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	a = f.MustAct(t, "handler_a", a, huying.CmdSign, workflow.Action{})
	a = f.MustAct(t, "handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已疏通下水道"})
	tr, err := f.Svc.Track(ctx, b.Code, "9000")
	if err != nil || tr.CanRate || tr.MergedInto != a.Code {
		t.Fatalf("merged appeal before review: %+v %v", tr, err)
	}
	a = f.MustAct(t, "dispatcher", a, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept})

	var sms []string
	for _, n := range claimAll(t, s) {
		if n.Channel == huying.NoticeSMS && n.Recipient == dup.ContactPhone {
			sms = append(sms, n.Template)
			if !strings.Contains(n.Payload, b.Code) {
				t.Errorf("%s to the merged resident names another code: %s", n.Template, n.Payload)
			}
		}
	}
	if !slices.Contains(sms, "办理告知") || !slices.Contains(sms, "回访邀请") {
		t.Fatalf("SMS to the merged resident: %v", sms)
	}

	tr, err = f.Svc.Track(ctx, b.Code, "9000")
	if err != nil || !tr.CanRate || tr.RateProof == "" || tr.Steps[len(tr.Steps)-1].Title != "分拨中心已审核" {
		t.Fatalf("merged appeal after review: %+v %v", tr, err)
	}
	r := huying.Rating{Satisfaction: huying.Unsatisfied, Comment: "下水道还是堵"}
	if _, err := f.Svc.RateByResident(ctx, b.Code, tr.RateProof, r); err != nil {
		t.Fatal(err)
	}
	_, err = f.Svc.RateByResident(ctx, b.Code, tr.RateProof, r)
	wantCode(t, err, huying.ECONFLICT)
	if got, _ := s.Appeal(ctx, b.ID); got.Status != huying.StatusMerged || got.Rating == nil {
		t.Fatalf("merged appeal after its rating: %s %+v", got.Status, got.Rating)
	}
	if got, _ := s.Appeal(ctx, a.ID); got.Status != huying.StatusReviewed {
		t.Fatalf("handled appeal %s after a merged resident's rating", got.Status)
	}
	events, _ := s.AppealEvents(ctx, a.ID)
	if last := events[len(events)-1]; last.Kind != workflow.EventMergedUnsatisfied || !strings.Contains(last.Note, b.Code) {
		t.Fatalf("handled appeal's last event %+v", last)
	}
	stats, err := s.Stats(ctx, time.Time{}, f.Clock.Now().Add(time.Hour))
	if err != nil || stats.Ratings.All.Unsatisfied != 1 {
		t.Fatalf("ratings %+v %v", stats.Ratings, err)
	}
	MustAuditClean(t, s)
}
