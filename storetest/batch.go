package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huying"
)

// Rows per statement of the batched writes and reads: the SQL stores
// (internal/sqlstore/batch.go) bind at most maxParams = 30000 parameters
// in a VALUES list or IN list, so a batch of rows with c columns goes out
// in chunks of 30000/c rows. The batches below cross these boundaries; a
// dialect that binds a batch as arrays (PostgreSQL) sends it whole.
//
// Not crossed: AppendEvents' lookup of chain heads, one parameter per chain
// (30000 chains a chunk). 30,001 chains in one append take as many
// advisory locks on PostgreSQL (postgres.lockChains), more than its lock
// table holds ("out of shared memory").
const (
	deadlineChunk = 30000 / 10 // UpdateDeadlines
	eventChunk    = 30000 / 14 // AppendEvents, the event rows
	headChunk     = 30000 / 4  // AppendEvents, the chain_heads rows
	noticeChunk   = 30000 / 10 // EnqueueNotices
	idChunk       = 30000      // AppealsByID
)

// Batches drives the batched statements across their chunk boundaries:
// thousands of deadlines updated at once (and one stale row in the last
// chunk failing the whole batch), appeals read by more than a chunk of
// ids, events appended on more chains than a chunk of heads with a chain's
// events in different chunks, and notices enqueued with duplicates in
// later chunks. Run runs it; postgres runs it once more without its
// Batcher, on the shared statements SQLite uses.
func Batches(t *testing.T, h Harness) {
	t.Run("Deadlines", func(t *testing.T) {
		t.Parallel()
		testBatchDeadlines(t, h)
	})
	t.Run("Events", func(t *testing.T) {
		t.Parallel()
		testBatchEvents(t, h)
	})
}

func mustUpdate(t *testing.T, s huying.Store, fn func(huying.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// deadlineString is every column UpdateDeadlines writes, for comparing.
func deadlineString(d *huying.Deadline) string {
	tm := func(t *time.Time) string {
		if t == nil {
			return "nil"
		}
		return t.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%d %s warn %s due %s original %s next %s escalations %d done %s", d.ID, d.State,
		tm(&d.WarnAt), tm(&d.DueAt), tm(d.OriginalDueAt), tm(d.NextAt), d.Escalations, tm(d.DoneAt))
}

// testBatchDeadlines: 100 appeals read back by 30,050 ids (two chunks,
// appeals in both), and 6,400 deadlines of theirs updated in one call
// (three chunks), then again with one stale row in the last chunk.
func testBatchDeadlines(t *testing.T, h Harness) {
	f, s := setup(t, h)
	now := f.Clock.T
	const n = 100
	appeals := make([]*huying.Appeal, n)
	mustUpdate(t, s, func(tx huying.Tx) error {
		for i := range appeals {
			a := &huying.Appeal{Code: fmt.Sprintf("PB%06d", i), Type: huying.TypeComplaint, Urgency: huying.UrgencyNormal,
				Channel: "12345热线", Title: fmt.Sprintf("批量诉求 %d", i), Content: "批量", Address: "坪山区", ContactName: "张三",
				ContactPhone: "13800138000", Status: huying.StatusHandling, Version: 1, ReceivedAt: now, UpdatedAt: now,
				Assignments: []huying.Assignment{{UnitID: UnitDeptA, Role: huying.AssignLead}, {UnitID: UnitDeptB, Role: huying.AssignAssist}}}
			if err := tx.CreateAppeal(a); err != nil {
				return err
			}
			appeals[i] = a
			next := now.Add(time.Hour)
			d := &huying.Deadline{AppealID: a.ID, Stage: huying.StageClose, UnitID: UnitDeptA, State: huying.DeadlineOpen,
				StartAt: now, WarnAt: next, DueAt: now.Add(2 * time.Hour), NextAt: &next}
			if err := tx.CreateDeadline(d); err != nil {
				return err
			}
		}
		return nil
	})
	// Six doublings in SQL make 6,400 deadlines: one CreateDeadline each
	// would take seconds on PostgreSQL.
	for range 6 {
		if err := h.Exec(t, s, `INSERT INTO deadlines (appeal_id, stage, unit_id, state, start_at, warn_at, due_at,
			original_due_at, next_at, escalations, done_at) SELECT appeal_id, stage, unit_id, state, start_at, warn_at,
			due_at, original_due_at, next_at, escalations, done_at FROM deadlines`); err != nil {
			t.Fatal(err)
		}
	}
	// All deadlines keep a next_at, so that DueDeadlines reads them back in one query.
	readAll := func() []*huying.Deadline {
		t.Helper()
		var ds []*huying.Deadline
		mustUpdate(t, s, func(tx huying.Tx) error {
			var err error
			ds, err = tx.DueDeadlines(now.Add(365*24*time.Hour), 10*n*64)
			return err
		})
		return ds
	}
	ds := readAll()
	if len(ds) != n*64 || len(ds) <= 2*deadlineChunk {
		t.Fatalf("%d deadlines, want %d, more than two chunks of %d", len(ds), n*64, deadlineChunk)
	}

	// Half the appeals, then ids no appeal has up to the end of the first
	// chunk, then the other half.
	var ids []int64
	for _, a := range appeals[:n/2] {
		ids = append(ids, a.ID)
	}
	for id := appeals[n-1].ID + 1; len(ids) < idChunk; id++ {
		ids = append(ids, id)
	}
	for _, a := range appeals[n/2:] {
		ids = append(ids, a.ID)
	}
	mustUpdate(t, s, func(tx huying.Tx) error {
		byID, err := tx.AppealsByID(ids)
		if err != nil {
			return err
		}
		if len(byID) != n {
			t.Errorf("AppealsByID of %d ids (%d of appeals) returned %d appeals", len(ids), n, len(byID))
		}
		for _, want := range appeals {
			got := byID[want.ID]
			if got == nil {
				t.Errorf("appeal %d (%s) not read by id", want.ID, want.Code)
				continue
			}
			if got.Code != want.Code || len(got.Assignments) != 2 || got.Assignments[0] != want.Assignments[0] || got.Assignments[1] != want.Assignments[1] {
				t.Errorf("appeal %d: got %s %+v, want %s %+v", want.ID, got.Code, got.Assignments, want.Code, want.Assignments)
			}
		}
		return nil
	})

	// Every row gets its own values, so that a row bound to another's
	// placeholders shows.
	us := make([]huying.DeadlineUpdate, len(ds))
	want := map[int64]string{}
	for i, d := range ds {
		u := *d
		sec := time.Duration(i) * time.Second
		next := now.Add(time.Hour + sec)
		u.State, u.WarnAt, u.DueAt, u.NextAt, u.Escalations = huying.DeadlineYellow, now.Add(sec), now.Add(24*time.Hour+sec), &next, i%5
		if i%2 == 0 {
			original := now.Add(48*time.Hour + sec)
			u.OriginalDueAt = &original
		}
		if i%3 == 0 {
			done := now.Add(sec)
			u.State, u.DoneAt = huying.DeadlineDone, &done
		}
		us[i] = huying.DeadlineUpdate{Deadline: &u, From: huying.DeadlineOpen, Escalations: 0}
		want[d.ID] = deadlineString(&u)
	}
	mustUpdate(t, s, func(tx huying.Tx) error { return tx.UpdateDeadlines(us) })
	check := func(when string) {
		t.Helper()
		got := readAll()
		if len(got) != len(ds) {
			t.Fatalf("%s: %d deadlines, want %d", when, len(got), len(ds))
		}
		for _, d := range got {
			if s := deadlineString(d); s != want[d.ID] {
				t.Fatalf("%s: deadline %s, want %s", when, s, want[d.ID])
			}
		}
	}
	check("after UpdateDeadlines")

	// A stale row in the last chunk fails the batch, and the transaction
	// leaves the earlier chunks' rows as they were.
	again := make([]huying.DeadlineUpdate, len(us))
	for i, u := range us {
		d := *u.Deadline
		d.State, d.Escalations = huying.DeadlineRed, d.Escalations+1
		again[i] = huying.DeadlineUpdate{Deadline: &d, From: u.Deadline.State, Escalations: u.Deadline.Escalations}
	}
	again[len(again)-1].Escalations++
	err := s.Update(context.Background(), func(tx huying.Tx) error { return tx.UpdateDeadlines(again) })
	wantCode(t, err, huying.ECONFLICT)
	check("after a stale batch")
}

// testBatchEvents: 7,501 new chains in one append (two chunks of heads,
// four of events), then 9,501 events on them in one append (five chunks),
// the first 1,000 chains three times with their events in different
// chunks; then 6,003 notices on those events (three chunks), two of them
// repeating a notice of an earlier chunk.
func testBatchEvents(t *testing.T, h Harness) {
	s := h.New(t)
	ctx := context.Background()
	now := time.Date(2026, 9, 28, 2, 0, 0, 0, time.UTC)
	chains := headChunk + 1
	chain := func(c int) string { return fmt.Sprintf("batch:%05d", c) }
	event := func(c, round int) *huying.Event {
		return &huying.Event{Chain: chain(c), Kind: "batch", Actor: "storetest", Note: fmt.Sprintf("%d/%d", c, round), At: now}
	}
	first := make([]*huying.Event, chains)
	for c := range first {
		first[c] = event(c, 0)
		first[c].Seq = 1
	}
	mustUpdate(t, s, func(tx huying.Tx) error { return tx.AppendEvents(first) })
	var second []*huying.Event
	for round, upTo := range []int{chains, 1000, 1000} {
		for c := range upTo {
			second = append(second, event(c, round+1))
		}
	}
	if len(first) <= 3*eventChunk || len(second) <= 4*eventChunk {
		t.Fatalf("%d and %d events do not cross the chunks of %d", len(first), len(second), eventChunk)
	}
	mustUpdate(t, s, func(tx huying.Tx) error { return tx.AppendEvents(second) })

	type key struct {
		chain string
		seq   int64
	}
	ids := map[key]int64{}
	heads := map[string]*huying.Event{}
	for _, e := range append(first, second...) {
		prev := heads[e.Chain]
		switch {
		case prev == nil && (e.Seq != 1 || e.PrevHash != ""):
			t.Fatalf("first event of %s: seq %d prev %q, want 1 and none", e.Chain, e.Seq, e.PrevHash)
		case prev != nil && (e.Seq != prev.Seq+1 || e.PrevHash != prev.Hash):
			t.Fatalf("%s: seq %d prev %q, want %d %q", e.Chain, e.Seq, e.PrevHash, prev.Seq+1, prev.Hash)
		case e.ID == 0:
			t.Fatalf("%s #%d: no id", e.Chain, e.Seq)
		}
		heads[e.Chain] = e
		ids[key{e.Chain, e.Seq}] = e.ID
	}
	stored := 0
	err := s.WalkEvents(ctx, func(e *huying.Event) error {
		stored++
		if id := ids[key{e.Chain, e.Seq}]; id != e.ID {
			return fmt.Errorf("%s #%d stored with id %d, AppendEvents set %d", e.Chain, e.Seq, e.ID, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(first) + len(second); stored != want {
		t.Fatalf("%d events stored, want %d", stored, want)
	}
	// The audit checks every chain ends at its head.
	if r := MustAuditClean(t, s); r.Chains != chains {
		t.Errorf("audit saw %d chains, want %d", r.Chains, chains)
	}

	ns := make([]*huying.Notice, 0, 2*noticeChunk+3)
	for i := range 2*noticeChunk + 1 {
		next := now.Add(time.Duration(i) * time.Second)
		ns = append(ns, &huying.Notice{EventID: first[i%100].ID, Channel: huying.NoticeSMS, Recipient: fmt.Sprintf("138%08d", i),
			Template: "催办", Payload: fmt.Sprintf("通知 %d", i), NextAt: &next, CreatedAt: now})
	}
	unique := len(ns)
	for _, i := range []int{0, noticeChunk} {
		dup := *ns[i]
		dup.Payload = "重复"
		ns = append(ns, &dup)
	}
	mustUpdate(t, s, func(tx huying.Tx) error { return tx.EnqueueNotices(ns) })
	if n, err := s.OutboxBacklog(ctx); err != nil || n != unique {
		t.Fatalf("backlog %d (%v), want %d", n, err, unique)
	}
	claimed, err := s.ClaimNotices(ctx, now.Add(24*time.Hour), time.Minute, 2*unique)
	if err != nil {
		t.Fatal(err)
	}
	if len(claimed) != unique {
		t.Fatalf("claimed %d notices, want %d", len(claimed), unique)
	}
	for _, n := range claimed {
		var i int
		if _, err := fmt.Sscanf(n.Recipient, "138%08d", &i); err != nil {
			t.Fatal(err)
		}
		if n.EventID != first[i%100].ID || n.Payload != fmt.Sprintf("通知 %d", i) || n.Template != "催办" || !n.CreatedAt.Equal(now) {
			t.Fatalf("notice to %s: event %d %s %q at %s, want event %d 催办 %q at %s", n.Recipient, n.EventID, n.Template,
				n.Payload, n.CreatedAt, first[i%100].ID, fmt.Sprintf("通知 %d", i), now)
		}
	}
}
