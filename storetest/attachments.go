package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"huying"
	"huying/workflow"
)

// testAttachmentAccess checks who may download a file: its uploader, and
// whoever may see an appeal referring to it (at intake, in a supplement or
// in a reply); nobody else, not even by attaching it to an appeal of their
// own first.
func testAttachmentAccess(t *testing.T, h Harness) {
	f, s := setup(t, h)
	ctx := context.Background()
	file := func(c byte) huying.Attachment {
		return huying.Attachment{Hash: strings.Repeat(string(c), 64), Name: "现场照片.jpg", Size: 100, ContentType: "image/jpeg"}
	}
	upload := func(who string, at huying.Attachment) {
		t.Helper()
		if err := f.Svc.RecordAttachment(ctx, f.Actors[who], at); err != nil {
			t.Fatalf("upload as %s: %v", who, err)
		}
	}
	may := func(hash string, who ...string) {
		t.Helper()
		for name, actor := range f.Actors {
			err := f.Svc.AuthorizeDownload(ctx, actor, hash)
			if want := slices.Contains(who, name); want && err != nil {
				t.Errorf("%s may not download %s…: %v", name, hash[:4], err)
			} else if !want && huying.ErrorCode(err) != huying.ENOTFOUND {
				t.Errorf("%s downloads %s…: %v, want ENOTFOUND", name, hash[:4], err)
			}
		}
	}

	// Before it is attached, only its uploader reaches a file.
	photo := file('a')
	upload("intake", photo)
	may(photo.Hash, "intake")
	if err := f.Svc.RecordAttachment(ctx, f.Actors["intake"], huying.Attachment{Hash: "../../etc/passwd"}); huying.ErrorCode(err) != huying.EINVALID {
		t.Errorf("record of a bad hash: %v, want EINVALID", err)
	}
	for _, bad := range []string{"", strings.Repeat("A", 64), "../../../../../../../../../../../../../../../../../../etc/passwd"} {
		if err := f.Svc.AuthorizeDownload(ctx, f.Actors["dispatcher"], bad); huying.ErrorCode(err) != huying.ENOTFOUND {
			t.Errorf("download of %q: %v, want ENOTFOUND", bad, err)
		}
	}

	// Attached at intake and dispatched: the appeal's readers reach it.
	in := Intake(huying.TypeComplaint)
	in.Attachments = []huying.Attachment{photo}
	a := f.MustReceive(t, in)
	refs, err := s.AttachmentRefs(ctx, photo.Hash)
	if err != nil || !slices.Equal(refs.AppealIDs, []int64{a.ID}) || !slices.Equal(refs.Uploaders, []int64{f.Actors["intake"].User.ID}) {
		t.Fatalf("refs %+v (%v), want appeal %d uploaded by intake", refs, err, a.ID)
	}
	if _, err := s.AttachmentRefs(ctx, file('0').Hash); huying.ErrorCode(err) != huying.ENOTFOUND {
		t.Fatalf("refs of a file never uploaded: %v, want ENOTFOUND", err)
	}
	a = f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	district := []string{"intake", "dispatcher", "supervisor", "leader", "admin"}
	may(photo.Hash, append(district, "handler_a")...)

	// Nobody can attach a file they may not read, to read it through
	// their own appeal; the answer is that of a file never uploaded.
	in.Attachments = []huying.Attachment{photo}
	if _, _, err := f.Svc.Receive(ctx, f.Actors["reporter"], in, ""); huying.ErrorCode(err) != huying.EINVALID {
		t.Fatalf("reporter attaches another's file: %v, want EINVALID", err)
	}
	may(photo.Hash, append(district, "handler_a")...)

	// A reply's file reaches the appeal's readers, and a supplement's too.
	a = f.MustAct(t, "handler_a", a, huying.CmdSign, workflow.Action{})
	a = f.MustAct(t, "handler_a", a, huying.CmdContact, workflow.Action{Method: "电话"})
	report := file('b')
	upload("handler_a", report)
	may(report.Hash, "handler_a")
	if _, err := f.Svc.Act(ctx, f.Actors["handler_a"], a.ID, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已处理", Attachments: []huying.Attachment{{Hash: "../x", Name: "x"}}}); huying.ErrorCode(err) != huying.EINVALID {
		t.Fatalf("reply with a bad hash: %v, want EINVALID", err)
	}
	// The reply claims another size and type: the appeal shows the ones
	// recorded at upload.
	claimed := report
	claimed.Name, claimed.Size, claimed.ContentType = "办结报告.pdf", 1, "text/html"
	a = f.MustAct(t, "handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已处理", Attachments: []huying.Attachment{claimed}})
	may(report.Hash, append(district, "handler_a")...)
	got, err := f.Svc.Get(ctx, f.Actors["dispatcher"], a.ID)
	want := huying.Attachment{Hash: report.Hash, Name: "办结报告.pdf", Size: report.Size, ContentType: report.ContentType, AddedBy: "reply"}
	if err != nil || len(got.AddedAttachments) != 1 || got.AddedAttachments[0] != want {
		t.Fatalf("reply's files on the appeal: %+v %v, want %+v", got.AddedAttachments, err, want)
	}

	b := f.MustReceive(t, Intake(huying.TypeHelp))
	extra := file('c')
	upload("intake", extra)
	if err := f.Svc.Supplement(ctx, f.Actors["intake"], b.ID, "补充现场照片", []huying.Attachment{extra}); err != nil {
		t.Fatal(err)
	}
	if refs, err := s.AttachmentRefs(ctx, extra.Hash); err != nil || !slices.Equal(refs.AppealIDs, []int64{b.ID}) {
		t.Fatalf("supplement refs %+v (%v), want appeal %d", refs, err, b.ID)
	}
	may(extra.Hash, district...)
	if got, err := f.Svc.Get(ctx, f.Actors["dispatcher"], b.ID); err != nil || len(got.AddedAttachments) != 1 || got.AddedAttachments[0].AddedBy != "supplement" {
		t.Fatalf("supplement's files on the appeal: %+v %v", got.AddedAttachments, err)
	}
	MustAuditClean(t, s)
}

// AttachmentBackfill checks a dialect's backfill of event_attachments
// (the INSERT of the attachment_access migration, given as backfill): files of supplements
// and replies written before the table existed are found again, and
// nothing else.
func AttachmentBackfill(t *testing.T, h Harness, backfill string) {
	t.Helper()
	f, s := setup(t, h)
	ctx := context.Background()
	photo := huying.Attachment{Hash: strings.Repeat("d", 64), Name: "补充.jpg", Size: 1, ContentType: "image/jpeg"}
	report := huying.Attachment{Hash: strings.Repeat("e", 64), Name: "答复.pdf", Size: 1, ContentType: "application/pdf"}
	for who, at := range map[string]huying.Attachment{"intake": photo, "handler_a": report} {
		if err := f.Svc.RecordAttachment(ctx, f.Actors[who], at); err != nil {
			t.Fatal(err)
		}
	}
	a := f.MustReceive(t, Intake(huying.TypeComplaint))
	if err := f.Svc.Supplement(ctx, f.Actors["intake"], a.ID, "补充照片", []huying.Attachment{photo}); err != nil {
		t.Fatal(err)
	}
	for _, st := range f.Path(huying.StatusHandling) {
		a = f.MustAct(t, st.Who, a, st.Cmd, st.Action)
	}
	f.MustAct(t, "handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已处理", Attachments: []huying.Attachment{report}})
	f.MustReceive(t, Intake(huying.TypeHelp)) // events without attachments
	if err := h.Exec(t, s, `DELETE FROM event_attachments`); err != nil {
		t.Fatal(err)
	}
	if refs, err := s.AttachmentRefs(ctx, photo.Hash); err != nil || len(refs.AppealIDs) != 0 {
		t.Fatalf("refs after the delete: %+v %v", refs, err)
	}
	if err := h.Exec(t, s, backfill); err != nil {
		t.Fatalf("backfill: %v", err)
	}
	for _, at := range []huying.Attachment{photo, report} {
		if refs, err := s.AttachmentRefs(ctx, at.Hash); err != nil || !slices.Equal(refs.AppealIDs, []int64{a.ID}) {
			t.Errorf("%s after the backfill: %+v (%v), want appeal %d", at.Name, refs, err, a.ID)
		}
	}
}
