package huying

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
)

// ChainHead is the end of one event chain as the chain_heads table records
// it, written in the transaction of every append. The chain's events must
// end at Seq with Hash: a deleted last event, or a chain deleted with its
// appeal, leaves a head that its events no longer reach.
type ChainHead struct {
	Chain string
	Seq   int64
	Hash  string
	// State is AppealState of the appeal row as the transaction that
	// appended the last event left it (appeal chains only; "" otherwise),
	// so that an appeal row edited afterwards by hand no longer matches.
	State string
}

// Checkpoint is a signed record of every chain head at one moment. Root is
// a hash over the heads (see RootHasher); MAC is HMAC-SHA256 over Message
// with a key kept outside the database, so that someone who can write the
// database can recompute hashes but cannot sign a checkpoint.
type Checkpoint struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Root   string    `json:"root"`
	Heads  int       `json:"heads"`
	Events int64     `json:"events"` // the events the heads cover: the sum of their seqs
	MAC    string    `json:"mac"`
}

// Message returns the bytes the checkpoint's MAC covers: every field but
// MAC, length-prefixed like Event.Canonical.
func (c *Checkpoint) Message() []byte {
	var b strings.Builder
	for _, f := range []string{"huying-audit-checkpoint-v1", strconv.FormatInt(c.ID, 10),
		c.At.UTC().Format("2006-01-02T15:04:05.000000Z"), c.Root, strconv.Itoa(c.Heads), strconv.FormatInt(c.Events, 10)} {
		fmt.Fprintf(&b, "%d:%s;", len(f), f)
	}
	return []byte(b.String())
}

// RootHasher computes a checkpoint's root: sha256 over the canonical
// encoding of every head, added in strictly increasing byte order of chain
// names (so that both databases, whatever their collation, agree).
type RootHasher struct {
	h    hash.Hash
	last string
	// Heads and Events count the heads added and the sum of their seqs.
	Heads  int
	Events int64
}

// Add adds the next head. It fails if the head is not after the previous one.
func (r *RootHasher) Add(h ChainHead) error {
	if r.h == nil {
		r.h = sha256.New()
	} else if h.Chain <= r.last {
		return fmt.Errorf("root: chain %q after %q is out of order", h.Chain, r.last)
	}
	r.last = h.Chain
	r.Heads++
	r.Events += h.Seq
	for _, f := range []string{h.Chain, strconv.FormatInt(h.Seq, 10), h.Hash, h.State} {
		fmt.Fprintf(r.h, "%d:%s;", len(f), f)
	}
	return nil
}

// Sum returns the hex root of the heads added so far.
func (r *RootHasher) Sum() string {
	if r.h == nil {
		r.h = sha256.New()
	}
	return hex.EncodeToString(r.h.Sum(nil))
}

// AppealState returns the hex sha256 of the fields of an appeal row that
// its chain head vouches for: everything a person could want to change
// quietly (status, contact, units, deadlines, result, rating…). Times
// count in whole seconds and updated_at, triage and attachments are left
// out, so that the value read back from either database is the one written.
func AppealState(a *Appeal) string {
	unix := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return strconv.FormatInt(t.Unix(), 10)
	}
	point, rating := "", ""
	if a.Point != nil {
		point = strconv.FormatFloat(a.Point.Lng, 'g', -1, 64) + "," + strconv.FormatFloat(a.Point.Lat, 'g', -1, 64)
	}
	if a.Rating != nil {
		b, _ := json.Marshal(a.Rating)
		rating = string(b)
	}
	var units []byte
	for _, as := range a.Assignments {
		units = strconv.AppendInt(units, int64(len(as.UnitID)), 10)
		units = append(append(units, ':'), as.UnitID...)
		units = strconv.AppendInt(units, int64(len(as.Role)), 10)
		units = append(append(units, ':'), as.Role...)
	}
	buf := lengthPrefixed(nil, "s1", strconv.FormatInt(a.ID, 10), a.Code, string(a.Type), string(a.Urgency), a.Channel,
		a.Title, a.Content, a.Address, point, a.ContactName, a.ContactPhone, strconv.FormatBool(a.Confidential),
		string(a.Status), strconv.Itoa(a.Version), strconv.FormatBool(a.Designated), strconv.Itoa(a.RedoCount),
		strconv.FormatInt(a.MergedInto, 10), a.ResultClass, rating, strconv.FormatInt(a.CreatedBy, 10),
		unix(&a.ReceivedAt), unix(a.ContactedAt), unix(a.DueAt), unix(a.OriginalDueAt), a.Category, a.Street,
		a.Community, string(units))
	// Fields added later count only when set, so that the state of an
	// appeal written before them is unchanged.
	if a.CallbackAttempts != 0 || a.CallbackAt != nil {
		buf = append(buf, "cb:"+strconv.Itoa(a.CallbackAttempts)+":"+unix(a.CallbackAt)+";"...)
	}
	if a.OnAir != nil {
		buf = lengthPrefixed(buf, "air", a.OnAir.BroadcastDate, a.OnAir.Official, a.OnAir.Answer)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// AuditStore is what the audit verifier and the checkpointer need.
type AuditStore interface {
	// AuditSnapshot runs fn with a reader of one consistent snapshot of the
	// events, chain heads, appeals and checkpoints, while writers go on.
	AuditSnapshot(ctx context.Context, fn func(AuditReader) error) error
	// WriteCheckpoint records the current chain heads as a new checkpoint
	// at at, in one transaction: sign returns the MAC of the checkpoint
	// (ID, Root, Heads and Events filled in), which is stored with it.
	WriteCheckpoint(ctx context.Context, at time.Time, sign func(*Checkpoint) string) (*Checkpoint, error)
}

// AuditReader reads one snapshot. Its walks must not be nested: each runs
// one query to its end.
type AuditReader interface {
	// WalkEvents calls fn for every event ordered by chain and seq, with the
	// head of its chain (nil if the chain has none).
	WalkEvents(fn func(e *Event, head *ChainHead) error) error
	// WalkOrphanHeads calls fn for every head whose chain has no events.
	WalkOrphanHeads(fn func(ChainHead) error) error
	// WalkAppeals calls fn for every appeal in id order, with its
	// assignments (not its attachments).
	WalkAppeals(fn func(*Appeal) error) error
	// LatestCheckpoint returns the newest checkpoint. Returns ENOTFOUND.
	LatestCheckpoint() (*Checkpoint, error)
	// CheckpointByID returns a checkpoint. Returns ENOTFOUND.
	CheckpointByID(id int64) (*Checkpoint, error)
	// WalkCheckpointHeads calls fn for every head the latest checkpoint
	// recorded, in RootHasher order, with the hash of the event now at
	// that chain and seq ("" if there is none) and the chain's current
	// head (nil if none).
	WalkCheckpointHeads(fn func(recorded ChainHead, eventHash string, head *ChainHead) error) error
}
