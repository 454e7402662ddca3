package storetest

import (
	"context"
	"regexp"
	"testing"
	"time"

	"huying"
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
	wantCode(t, f.Svc.SendCode(ctx, "12345", "192.0.2.1"), huying.EINVALID)
	if err := f.Svc.SendCode(ctx, phone, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Svc.SendCode(ctx, phone, "192.0.2.1"), huying.ETOOMANY) // within a minute
	code := codeSentTo(t, s, phone)
	_, _, err := f.Svc.VerifyCode(ctx, phone, "000000")
	wantCode(t, err, huying.EINVALID)
	token, u, err := f.Svc.VerifyCode(ctx, phone, code)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.Svc.VerifyCode(ctx, phone, code) // a code works once
	wantCode(t, err, huying.EINVALID)
	me, err := f.Svc.Authenticate(ctx, token)
	if err != nil || me.User.ID != u.ID || !me.User.Has(huying.RoleResident) {
		t.Fatalf("resident session: %+v %v", me, err)
	}
	in := Intake(huying.TypeComplaint)
	in.ContactPhone = "13800001111" // ignored: a resident files with the verified phone
	a, _, err := f.Svc.Receive(ctx, me, in, "")
	if err != nil || a.Channel != workflow.ResidentChannel || a.CreatedBy != u.ID {
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
	if err := f.Svc.SendCode(ctx, phone, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	code = codeSentTo(t, s, phone)
	for range workflow.CodeAttempts {
		_, _, _ = f.Svc.VerifyCode(ctx, phone, "999999")
	}
	_, _, err = f.Svc.VerifyCode(ctx, phone, code)
	wantCode(t, err, huying.EINVALID)
	MustAuditClean(t, s)
}
