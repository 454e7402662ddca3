package huying

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Event is one entry of the append-only, hash-chained log. Every appeal has
// its own chain ("appeal:<id>"); changes to units, users and tokens go to the
// "admin" chain. Hash is sha256 over the canonical encoding of the event,
// which includes PrevHash, so editing or deleting any row breaks the chain.
type Event struct {
	ID         int64     `json:"id"`
	Chain      string    `json:"chain"`
	Seq        int64     `json:"seq"`
	AppealID   int64     `json:"appeal_id,omitempty"`
	Kind       string    `json:"kind"`
	ActorID    int64     `json:"actor_id,omitempty"`
	Actor      string    `json:"actor"`
	UnitID     string    `json:"unit_id,omitempty"`
	FromStatus Status    `json:"from_status,omitempty"`
	ToStatus   Status    `json:"to_status,omitempty"`
	Note       string    `json:"note,omitempty"`
	Data       string    `json:"data,omitempty"` // canonical JSON object, or ""
	At         time.Time `json:"at"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// Event kinds that are not commands.
const (
	EventContactViewed = "contact_viewed" // an unmasked read of the contact
	EventOnAir         = "on_air"         // the centre recorded a 《民心桥》 broadcast answer
	// EventCallbackUnreached is a callback nobody answered (回访未接通), made
	// with the rate command; the last allowed one makes the appeal 无法联系.
	EventCallbackUnreached = "callback_unreached"
)

// ChainAdmin is the chain of administrative events.
const ChainAdmin = "admin"

// AppealChain returns the chain name of an appeal.
func AppealChain(id int64) string { return "appeal:" + strconv.FormatInt(id, 10) }

// Canonical returns the canonical encoding of e that its hash covers: every
// field but ID and Hash, length-prefixed, in a fixed order, times in UTC with
// microseconds.
func (e *Event) Canonical() []byte {
	return lengthPrefixed(nil, "v1", e.Chain, strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.AppealID, 10), e.Kind,
		strconv.FormatInt(e.ActorID, 10), e.Actor, e.UnitID, string(e.FromStatus), string(e.ToStatus),
		e.Note, e.Data, e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), e.PrevHash)
}

// lengthPrefixed appends each field to b as "<byte length>:<field>;" (what
// fmt's "%d:%s;" writes, without fmt's cost: imports hash two events and a
// row state per appeal).
func lengthPrefixed(b []byte, fields ...string) []byte {
	n := len(b)
	for _, f := range fields {
		n += len(f) + 8
	}
	b = slices.Grow(b, n-len(b))
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, ';')
	}
	return b
}

// ComputeHash returns the hex sha256 of the canonical encoding.
func (e *Event) ComputeHash() string {
	sum := sha256.Sum256(e.Canonical())
	return hex.EncodeToString(sum[:])
}

// ChainVerifier re-walks chains one event at a time, in (chain, seq) order.
type ChainVerifier struct {
	chain    string
	prevHash string
	prevSeq  int64
	Chains   int
	Events   int
}

// Check verifies the next event. It returns an error naming the event when
// its sequence, link or hash does not match.
func (v *ChainVerifier) Check(e *Event) error {
	if e.Chain != v.chain {
		v.chain, v.prevHash, v.prevSeq = e.Chain, "", 0
		v.Chains++
	}
	v.Events++
	switch {
	case e.Seq != v.prevSeq+1:
		return fmt.Errorf("event %d (chain %s seq %d): expected seq %d, a row is missing or out of order", e.ID, e.Chain, e.Seq, v.prevSeq+1)
	case e.PrevHash != v.prevHash:
		return fmt.Errorf("event %d (chain %s seq %d): prev_hash does not match the previous event's hash", e.ID, e.Chain, e.Seq)
	case e.ComputeHash() != e.Hash:
		return fmt.Errorf("event %d (chain %s seq %d): hash does not match its content, the row was altered", e.ID, e.Chain, e.Seq)
	}
	v.prevHash, v.prevSeq = e.Hash, e.Seq
	return nil
}

// EventStore reads events.
type EventStore interface {
	// AppealEvents returns the chain of one appeal in order.
	AppealEvents(ctx context.Context, appealID int64) ([]*Event, error)
	// WalkEvents calls fn for every event ordered by chain and seq.
	WalkEvents(ctx context.Context, fn func(*Event) error) error
}

// EventTx appends to the hash-chained event log, in the transaction of the change each event records.
type EventTx interface {
	// AppendEvent links e to the end of its chain (Seq, PrevHash, Hash) and
	// inserts it. A caller that starts a new chain sets Seq to 1.
	AppendEvent(e *Event) error
	// AppendEvents is AppendEvent for many events in order, in few statements.
	AppendEvents(events []*Event) error
}

// NewEvent builds the event of kind on appeal a (nil: the admin chain, for
// changes to units, users, tokens, channels, webhooks or the catalogue) by
// actor. The caller appends it with Tx.AppendEvent, which links it.
func NewEvent(a *Appeal, actor Actor, kind string, from, to Status, note string, data map[string]any, at time.Time) *Event {
	e := &Event{Chain: ChainAdmin, Kind: kind, Actor: actor.Name(), FromStatus: from, ToStatus: to, Note: note, At: at}
	if a != nil {
		e.Chain, e.AppealID = AppealChain(a.ID), a.ID
	}
	if actor.User != nil {
		e.ActorID = actor.User.ID
		if actor.IsStaff() {
			e.UnitID = actor.User.UnitID // a resident or channel acts for no unit
		}
	}
	if len(data) > 0 {
		// encoding/json writes map keys sorted, so the text is canonical.
		b, _ := json.Marshal(data)
		e.Data = string(b)
	}
	return e
}

// AdminEvent is NewEvent on the admin chain.
func AdminEvent(actor Actor, kind string, data map[string]any, at time.Time) *Event {
	return NewEvent(nil, actor, kind, "", "", "", data, at)
}
