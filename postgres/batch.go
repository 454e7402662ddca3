package postgres

import (
	"time"

	"huying"
)

// arrays is PostgreSQL's sqlstore.Batcher: a batch is bound as one array
// per column and unnested in the statement, which binds ten parameters
// instead of tens of thousands and lets the server skip parsing a huge
// VALUES list.
type arrays struct{}

func (arrays) InIDs(col string) string { return col + " = ANY(?::bigint[])" }

func (arrays) UpdateDeadlines(us []huying.DeadlineUpdate) (string, []any) {
	n := len(us)
	ids, escs, fromEscs := make([]int64, n), make([]int64, n), make([]int64, n)
	states, froms := make([]string, n), make([]string, n)
	warns, dues := make([]time.Time, n), make([]time.Time, n)
	originals, nexts, dones := make([]*time.Time, n), make([]*time.Time, n), make([]*time.Time, n)
	for i, u := range us {
		d := u.Deadline
		ids[i], states[i], warns[i], dues[i] = d.ID, string(d.State), d.WarnAt.UTC(), d.DueAt.UTC()
		originals[i], nexts[i], escs[i], dones[i] = utc(d.OriginalDueAt), utc(d.NextAt), int64(d.Escalations), utc(d.DoneAt)
		froms[i], fromEscs[i] = string(u.From), int64(u.Escalations)
	}
	return `UPDATE deadlines SET state = v.state, warn_at = v.warn_at, due_at = v.due_at,
		original_due_at = v.original_due_at, next_at = v.next_at, escalations = v.escalations, done_at = v.done_at
		FROM unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[],
			?::int[], ?::timestamptz[], ?::text[], ?::int[])
		AS v (id, state, warn_at, due_at, original_due_at, next_at, escalations, done_at, from_state, from_escalations)
		WHERE deadlines.id = v.id AND deadlines.state = v.from_state AND deadlines.escalations = v.from_escalations`,
		[]any{ids, states, warns, dues, originals, nexts, escs, dones, froms, fromEscs}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func (arrays) InsertEvents(events []*huying.Event) (string, []any) {
	n := len(events)
	chains, kinds, actors, units, froms, tos, notes, datas, prevs, hashes :=
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	seqs, actorIDs := make([]int64, n), make([]int64, n)
	appeals := make([]*int64, n)
	ats := make([]time.Time, n)
	for i, e := range events {
		chains[i], seqs[i], kinds[i], actorIDs[i], actors[i], units[i] = e.Chain, e.Seq, e.Kind, e.ActorID, e.Actor, e.UnitID
		froms[i], tos[i], notes[i], datas[i], ats[i], prevs[i], hashes[i] = string(e.FromStatus), string(e.ToStatus), e.Note, e.Data, e.At, e.PrevHash, e.Hash
		if e.AppealID != 0 {
			id := e.AppealID
			appeals[i] = &id
		}
	}
	return `INSERT INTO events (chain, seq, appeal_id, kind, actor_id, actor, unit_id, from_status,
		to_status, note, data, at, prev_hash, hash)
		SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[],
			?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
		RETURNING id, chain, seq`, []any{chains, seqs, appeals, kinds, actorIDs, actors, units, froms, tos, notes, datas, ats, prevs, hashes}
}

func (arrays) InsertNotices(ns []*huying.Notice) (string, []any) {
	n := len(ns)
	eventIDs, attempts := make([]int64, n), make([]int64, n)
	channels, recipients, templates, payloads, errs := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	nexts, sents := make([]*time.Time, n), make([]*time.Time, n)
	created := make([]time.Time, n)
	for i, x := range ns {
		eventIDs[i], channels[i], recipients[i], templates[i], payloads[i] = x.EventID, x.Channel, x.Recipient, x.Template, x.Payload
		attempts[i], nexts[i], sents[i], errs[i], created[i] = int64(x.Attempts), utc(x.NextAt), utc(x.SentAt), x.LastError, x.CreatedAt.UTC()
	}
	return `INSERT INTO outbox (event_id, channel, recipient, template, payload, attempts, next_at,
		sent_at, last_error, created_at)
		SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::timestamptz[],
			?::timestamptz[], ?::text[], ?::timestamptz[])
		ON CONFLICT (event_id, channel, recipient) DO NOTHING`,
		[]any{eventIDs, channels, recipients, templates, payloads, attempts, nexts, sents, errs, created}
}

func (arrays) WriteHeads(heads []huying.ChainHead) (string, []any) {
	n := len(heads)
	chains, hashes, states, seqs := make([]string, n), make([]string, n), make([]string, n), make([]int64, n)
	for i, h := range heads {
		chains[i], seqs[i], hashes[i], states[i] = h.Chain, h.Seq, h.Hash, h.State
	}
	return `INSERT INTO chain_heads (chain, seq, hash, state)
		SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[])
		ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,
			state = CASE WHEN excluded.state = '' THEN chain_heads.state ELSE excluded.state END`,
		[]any{chains, seqs, hashes, states}
}
