package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/audit"
	"huying/supervision"
	"huying/workflow"
)

// auditKey is the checkpoint key of the tests.
var auditKey = []byte("storetest-checkpoint-key-0123456")

// MustAuditClean runs the full audit (chains, heads, appeals, and the
// checkpoint if there is one) and fails the test on any problem.
func MustAuditClean(tb testing.TB, s huying.Store) *audit.Report {
	tb.Helper()
	r, err := audit.Verify(context.Background(), s, audit.Options{Key: auditKey})
	if err != nil {
		tb.Fatalf("audit verify: %v", err)
	}
	if !r.OK() {
		tb.Fatalf("audit verify found %d problems in an untampered store:\n%s", r.Total, problems(r))
	}
	return r
}

func problems(r *audit.Report) string {
	var b strings.Builder
	for _, p := range r.Problems {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

func mustVerify(t *testing.T, s huying.Store, key []byte) *audit.Report {
	t.Helper()
	r, err := audit.Verify(context.Background(), s, audit.Options{Key: key})
	if err != nil {
		t.Fatalf("audit verify: %v", err)
	}
	return r
}

// wantProblem fails unless r lists a problem on chain (any chain for "")
// at seq (any for -1) whose message contains text.
func wantProblem(t *testing.T, r *audit.Report, chain string, seq int64, text string) {
	t.Helper()
	for _, p := range r.Problems {
		if (chain == "" || p.Chain == chain) && (seq < 0 || p.Seq == seq) && strings.Contains(p.Message, text) {
			return
		}
	}
	t.Fatalf("no problem on %q seq %d saying %q; got %d:\n%s", chain, seq, text, r.Total, problems(r))
}

func mustCheckpoint(t *testing.T, s huying.Store, f *Fixture) *huying.Checkpoint {
	t.Helper()
	c, err := s.WriteCheckpoint(context.Background(), f.Clock.Now(), func(c *huying.Checkpoint) string { return audit.Sign(auditKey, c) })
	if err != nil {
		t.Fatalf("write checkpoint: %v", err)
	}
	return c
}

// dropGuards drops the triggers that keep events append-only and heads
// moving forward, as someone with the database's owner rights can.
func dropGuards(t *testing.T, h Harness, s huying.Store) {
	t.Helper()
	// Each exists in one dialect: the first four in SQLite, the rest in PostgreSQL.
	for _, q := range []string{
		`DROP TRIGGER events_no_update`, `DROP TRIGGER events_no_delete`, `DROP TRIGGER chain_heads_no_delete`,
		`DROP TRIGGER chain_heads_forward`, `DROP TRIGGER events_no_change ON events`, `DROP TRIGGER chain_heads_forward ON chain_heads`,
	} {
		_ = h.Exec(t, s, q)
	}
}

func mustExec(t *testing.T, h Harness, s huying.Store, queries ...string) {
	t.Helper()
	for _, q := range queries {
		if err := h.Exec(t, s, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// deleteEventsSQL deletes the events matching where, and the notices
// that refer to them, as a tamperer must (the outbox has a foreign key).
func deleteEventsSQL(where string) []string {
	return []string{
		`DELETE FROM outbox WHERE event_id IN (SELECT id FROM events WHERE ` + where + `)`,
		`DELETE FROM events WHERE ` + where,
	}
}

// testAudit: an untampered store verifies clean before and after a
// checkpoint, and each of the four kinds of tampering that the hash links
// alone miss is reported, with its chain, seq and appeal.
func testAudit(t *testing.T, h Harness) {
	t.Run("Clean", func(t *testing.T) {
		t.Parallel()
		f, s := setup(t, h)
		ctx := context.Background()
		busyDistrict(t, f)
		r := MustAuditClean(t, s)
		if r.Checkpoint != nil || r.Appeals < 10 || r.Chains < r.Appeals {
			t.Fatalf("report %+v, want no checkpoint and every appeal with its chain", r)
		}
		c := mustCheckpoint(t, s, f)
		if c.ID == 0 || c.Heads != r.Chains || c.Events != int64(r.Events) || c.MAC != audit.Sign(auditKey, c) {
			t.Fatalf("checkpoint %+v, want %d heads and %d events", c, r.Chains, r.Events)
		}
		// More work after the checkpoint, and a second checkpoint.
		a := f.MustAppealIn(t, huying.StatusHandling, "")
		if _, err := f.Svc.Contact(ctx, f.Actors["handler_a"], a.ID); err != nil {
			t.Fatal(err)
		}
		r = MustAuditClean(t, s)
		if !r.Signed || r.Checkpoint.ID != c.ID {
			t.Fatalf("report %+v, want checkpoint %d signed", r, c.ID)
		}
		c2 := mustCheckpoint(t, s, f)
		if r = MustAuditClean(t, s); r.Checkpoint.ID != c2.ID || c2.Heads != r.Chains || c2.Events != int64(r.Events) {
			t.Fatalf("second checkpoint %+v, report %+v", c2, r)
		}
		// Without the key nothing is signed; with another key the MAC fails.
		if r = mustVerify(t, s, nil); !r.OK() || !r.Keyless || r.Signed {
			t.Fatalf("keyless report %+v", r)
		}
		r = mustVerify(t, s, []byte("another-key-another-key-another"))
		wantProblem(t, r, "", 0, "签名不符")
	})

	t.Run("DeleteLastEvent", func(t *testing.T) {
		t.Parallel()
		f, s := setup(t, h)
		a := f.MustAppealIn(t, huying.StatusHandling, "")
		chain := huying.AppealChain(a.ID)
		events, _ := s.AppealEvents(context.Background(), a.ID)
		last := events[len(events)-1]
		dropGuards(t, h, s)
		mustExec(t, h, s, deleteEventsSQL(fmt.Sprintf("id = %d", last.ID))...)
		r := mustVerify(t, s, nil)
		wantProblem(t, r, chain, last.Seq, "末尾的事件被删除")
		// The next event still links to the deleted one: the gap shows.
		f.MustAct(t, "handler_a", a, huying.CmdNote, workflow.Action{Note: "继续办理"})
		r = mustVerify(t, s, nil)
		wantProblem(t, r, chain, last.Seq+1, "序号应为")
	})

	t.Run("DeleteAppeal", func(t *testing.T) {
		t.Parallel()
		f, s := setup(t, h)
		kept := f.MustAppealIn(t, huying.StatusDispatched, "")
		a := f.MustAppealIn(t, huying.StatusDispatched, "")
		b := f.MustAppealIn(t, huying.StatusDispatched, "")
		cp := mustCheckpoint(t, s, f)
		dropGuards(t, h, s)
		// a goes with its events; b with its events and its head.
		for _, x := range []*huying.Appeal{a, b} {
			id := fmt.Sprint(x.ID)
			mustExec(t, h, s, deleteEventsSQL("appeal_id = "+id)...)
			mustExec(t, h, s, `DELETE FROM deadlines WHERE appeal_id = `+id, `DELETE FROM assignments WHERE appeal_id = `+id,
				`DELETE FROM appeals WHERE id = `+id)
		}
		mustExec(t, h, s, `DELETE FROM chain_heads WHERE chain = '`+huying.AppealChain(b.ID)+`'`)
		r := mustVerify(t, s, auditKey)
		wantProblem(t, r, huying.AppealChain(a.ID), 0, "链上却没有任何事件")
		wantProblem(t, r, huying.AppealChain(b.ID), -1, fmt.Sprintf("检查点 #%d 时已有此事件", cp.ID))
		wantProblem(t, r, huying.AppealChain(b.ID), 0, "链头被删除")
		for _, p := range r.Problems {
			if p.AppealID == kept.ID {
				t.Fatalf("the untouched appeal reported: %s", p)
			}
		}
	})

	t.Run("EditAppealRow", func(t *testing.T) {
		t.Parallel()
		f, s := setup(t, h)
		ctx := context.Background()
		a := f.MustAppealIn(t, huying.StatusHandling, "")
		b := f.MustAppealIn(t, huying.StatusHandling, "")
		c := f.MustAppealIn(t, huying.StatusHandling, "")
		cp := mustCheckpoint(t, s, f)
		// a: the status; b: the contact; c: the contact, with its head's
		// state recomputed by someone who knows how it is computed.
		mustExec(t, h, s, fmt.Sprintf(`UPDATE appeals SET status = 'archived' WHERE id = %d`, a.ID),
			fmt.Sprintf(`UPDATE appeals SET contact_phone = '13912345678' WHERE id = %d`, b.ID),
			fmt.Sprintf(`UPDATE appeals SET contact_phone = '13912345678', contact_name = '李四' WHERE id = %d`, c.ID))
		edited, err := s.Appeal(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, h, s, `UPDATE chain_heads SET state = '`+huying.AppealState(edited)+`' WHERE chain = '`+huying.AppealChain(c.ID)+`'`)
		r := mustVerify(t, s, nil)
		wantProblem(t, r, huying.AppealChain(a.ID), 0, "状态为「已归档」，事件记录为「办理中」")
		wantProblem(t, r, huying.AppealChain(b.ID), 0, "诉求记录与最后一个事件写入时的摘要不符")
		r = mustVerify(t, s, auditKey)
		wantProblem(t, r, huying.AppealChain(c.ID), 0, fmt.Sprintf("摘要却与检查点 #%d 时不同", cp.ID))
	})

	t.Run("RecomputedChain", func(t *testing.T) {
		t.Parallel()
		f, s := setup(t, h)
		ctx := context.Background()
		a := f.MustAppealIn(t, huying.StatusHandling, "")
		cp := mustCheckpoint(t, s, f)
		chain := huying.AppealChain(a.ID)
		events, _ := s.AppealEvents(ctx, a.ID)
		dropGuards(t, h, s)
		// Edit the dispatch note and recompute every hash after it, then
		// the head, so that the chain and its head are consistent again.
		prev := ""
		for _, e := range events {
			if e.Seq == 2 {
				e.Note = "篡改后的派单说明"
			}
			e.PrevHash = prev
			e.Hash = e.ComputeHash()
			prev = e.Hash
			mustExec(t, h, s, fmt.Sprintf(`UPDATE events SET note = '%s', prev_hash = '%s', hash = '%s' WHERE id = %d`,
				e.Note, e.PrevHash, e.Hash, e.ID))
		}
		mustExec(t, h, s, `UPDATE chain_heads SET hash = '`+prev+`' WHERE chain = '`+chain+`'`)
		if r := mustVerify(t, s, nil); r.Total != 1 {
			t.Fatalf("want only the stored checkpoint head to differ, got %d:\n%s", r.Total, problems(r))
		}
		// The tamperer rewrites the checkpoint's copy of the head: its root
		// no longer matches. Then the root too: only the MAC, whose key is
		// not in the database, still shows it.
		mustExec(t, h, s, `UPDATE audit_checkpoint_heads SET hash = '`+prev+`' WHERE chain = '`+chain+`'`)
		r := mustVerify(t, s, nil)
		wantProblem(t, r, "", 0, fmt.Sprintf("检查点 #%d 记录的链头与其根哈希不符", cp.ID))
		var root huying.RootHasher
		err := s.AuditSnapshot(ctx, func(rd huying.AuditReader) error {
			return rd.WalkCheckpointHeads(func(h huying.ChainHead, _ string, _ *huying.ChainHead) error { return root.Add(h) })
		})
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, h, s, fmt.Sprintf(`UPDATE audit_checkpoints SET root = '%s' WHERE id = %d`, root.Sum(), cp.ID))
		r = mustVerify(t, s, nil)
		if !r.OK() || !r.Keyless || r.Signed {
			t.Fatalf("without the key a recomputed chain cannot show; report %+v:\n%s", r, problems(r))
		}
		r = mustVerify(t, s, auditKey)
		wantProblem(t, r, "", 0, fmt.Sprintf("检查点 #%d 的签名不符", cp.ID))
		if r.Signed {
			t.Fatal("a checkpoint whose root was rewritten counts as signed")
		}
	})

	t.Run("CheckpointLog", func(t *testing.T) {
		t.Parallel()
		f, s := setup(t, h)
		f.MustAppealIn(t, huying.StatusSigned, "")
		logged := mustCheckpoint(t, s, f)
		f.Clock.Advance(10 * time.Minute)
		mustCheckpoint(t, s, f)
		r, err := audit.Verify(context.Background(), s, audit.Options{Key: auditKey, Logged: logged})
		if err != nil || !r.OK() || !r.Signed {
			t.Fatalf("verify with the log: %v %+v", err, r)
		}
		// Deleting every checkpoint leaves nothing to check in the
		// database, but the operator's copy still names one.
		mustExec(t, h, s, `DELETE FROM audit_checkpoint_heads`, `DELETE FROM audit_checkpoints`)
		r, err = audit.Verify(context.Background(), s, audit.Options{Key: auditKey, Logged: logged})
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, r, "", 0, "数据库中却没有任何检查点")
	})
}

// busyDistrict puts appeals through everything that writes events on
// appeal chains: the whole lifecycle with a redo, a merge, a whistle, a
// flag, contact reads, sweeps with escalations and an automatic sign.
func busyDistrict(t *testing.T, f *Fixture) {
	t.Helper()
	ctx := context.Background()
	target := f.MustAppealIn(t, huying.StatusDispatched, "")
	for _, st := range []huying.Status{huying.StatusAnswered, huying.StatusRefused, huying.StatusMerged,
		huying.StatusReturned, huying.StatusExtensionRequested, huying.StatusTerminated, huying.StatusArchived} {
		f.MustAppealIn(t, st, target.Code)
	}
	a := f.MustAppealIn(t, huying.StatusReviewed, "")
	a = f.MustAct(t, "intake", a, huying.CmdRate, workflow.Action{Rating: &huying.Rating{Satisfaction: huying.Unsatisfied, Speed: 1}})
	a = f.MustAct(t, "handler_a", a, huying.CmdSign, workflow.Action{})
	if _, err := f.Svc.Contact(ctx, f.Actors["handler_a"], a.ID); err != nil {
		t.Fatal(err)
	}
	// A street order with a copy to the centre, a whistle and a flag.
	w := f.MustReceive(t, Intake(huying.TypeHelp))
	w = f.MustAct(t, "dispatcher", w, huying.CmdDispatch, workflow.Action{LeadUnitID: UnitStreet, AssistUnitIDs: []string{UnitDeptB}})
	w = f.MustAct(t, "handler_street", w, huying.CmdSign, workflow.Action{})
	if _, err := f.Sup.Blow(ctx, f.Actors["handler_street"], w.ID, supervision.BlowInput{UnitIDs: []string{UnitDeptA, UnitDeptB}, Reason: "联合处置"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Sup.Flag(ctx, f.Actors["supervisor"], w.ID, workflow.FlagInput{Reason: "重复投诉", SupervisingUnit: UnitCentre,
		DueAt: f.Clock.T.Add(7 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// Unsigned and overdue orders: the sweeper escalates, urges and signs.
	f.MustAppealIn(t, huying.StatusDispatched, "")
	f.Clock.Advance(30 * 24 * time.Hour)
	mustSweep(t, f)
	f.Clock.Advance(30 * 24 * time.Hour)
	mustSweep(t, f)
}

// HeadsBackfill checks migration 0014_audit on a store with history: it
// removes the audit tables and the migration's record, runs migrate (the
// package's own migrations on the store), and expects every chain head back
// as it was, appeal states included, and the store to verify clean.
func HeadsBackfill(t *testing.T, h Harness, migrate func(huying.Store) error) {
	f, s := setup(t, h)
	busyDistrict(t, f)
	before := MustAuditClean(t, s)
	heads := func() map[string]huying.ChainHead {
		out := map[string]huying.ChainHead{}
		err := s.AuditSnapshot(context.Background(), func(r huying.AuditReader) error {
			return r.WalkEvents(func(_ *huying.Event, head *huying.ChainHead) error {
				if head != nil {
					out[head.Chain] = *head
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := heads()
	if len(want) != before.Chains {
		t.Fatalf("%d heads for %d chains", len(want), before.Chains)
	}
	for _, q := range []string{`DROP TABLE chain_heads`, `DROP TABLE audit_checkpoints`, `DROP TABLE audit_checkpoint_heads`,
		`DELETE FROM schema_migrations WHERE name LIKE '%audit.sql'`} {
		mustExec(t, h, s, q)
	}
	_ = h.Exec(t, s, `DROP FUNCTION chain_heads_forward()`) // PostgreSQL
	if err := migrate(s); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	got := heads()
	if len(got) != len(want) {
		t.Fatalf("%d heads after the backfill, want %d", len(got), len(want))
	}
	for chain, w := range want {
		if got[chain] != w {
			t.Errorf("head %+v after the backfill, want %+v", got[chain], w)
		}
	}
	MustAuditClean(t, s)
}
