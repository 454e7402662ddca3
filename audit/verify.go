// Package audit checks that the event log and the appeals it records have
// not been changed behind the application's back (issue 10 §5), and writes
// the signed checkpoints that make a rewritten log show.
//
// Four layers, each catching what the one before cannot:
//
//   - every chain's events link by hash (an edited, deleted or reordered
//     event in the middle);
//   - every chain ends where its head in chain_heads says (the last event
//     deleted; an appeal deleted with all its events leaves a head with no
//     events);
//   - every appeal row agrees with what its events say (status, version,
//     units, result…) and with the state digest its head recorded (any
//     field, the contact too);
//   - the newest checkpoint, an HMAC with a key kept outside the database,
//     still matches every chain up to the heads it recorded (an edited
//     event whose chain was then recomputed, heads and all).
//
// What none of them catches is a consistent rewrite of events appended
// after the newest checkpoint by someone who can write the database: that
// is what the checkpoint interval and an off-machine copy of the
// checkpoint log bound.
package audit

import (
	"context"
	"crypto/hmac"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"huying"
)

// MaxProblems is how many problems a Report lists; the rest are counted.
const MaxProblems = 1000

// Problem is one sign of tampering, located as precisely as the check can.
type Problem struct {
	Chain    string // "" for a checkpoint problem
	Seq      int64  // 0 if the problem is the chain's, not one event's
	AppealID int64  // 0 if none
	Message  string // Chinese
}

// String is the problem as one line for the terminal.
func (p Problem) String() string {
	var b strings.Builder
	switch {
	case p.Chain != "":
		b.WriteString("链 " + p.Chain)
		if p.Seq > 0 {
			fmt.Fprintf(&b, " 第 %d 号事件", p.Seq)
		}
		if p.AppealID != 0 {
			fmt.Fprintf(&b, "（诉求 %d）", p.AppealID)
		}
	case p.AppealID != 0:
		fmt.Fprintf(&b, "诉求 %d", p.AppealID)
	default:
		b.WriteString("检查点")
	}
	return b.String() + "：" + p.Message
}

// Report is the outcome of Verify.
type Report struct {
	Chains, Events, Appeals int
	// Problems lists the first MaxProblems problems; Total counts them all.
	Problems []Problem
	Total    int
	// Checkpoint is the newest checkpoint (nil if there is none yet).
	Checkpoint *huying.Checkpoint
	// Keyless says no key was given, so that no checkpoint's MAC could be
	// checked; Signed says the newest checkpoint's MAC was checked and holds.
	Keyless, Signed bool
}

// OK reports whether no problem was found.
func (r *Report) OK() bool { return r.Total == 0 }

func (r *Report) add(p Problem) {
	r.Total++
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, p)
	}
}

// Options are Verify's inputs besides the store.
type Options struct {
	// Key is the checkpoint key; without it no MAC is checked.
	Key []byte
	// Logged is the last checkpoint of the operator's checkpoint log, if
	// one is given: the database must still hold it unchanged.
	Logged *huying.Checkpoint
}

// Verify reads one snapshot of the store and reports every problem it
// finds. The error is for a store that could not be read, not for
// tampering. It holds each appeal's derived state in memory between the
// walk of the events and the walk of the appeals (some hundred bytes an
// appeal).
func Verify(ctx context.Context, store huying.AuditStore, opt Options) (*Report, error) {
	r := &Report{Keyless: len(opt.Key) == 0}
	err := store.AuditSnapshot(ctx, func(rd huying.AuditReader) error {
		v := &verifier{r: r, derived: map[int64]*derived{}}
		if err := rd.WalkEvents(v.event); err != nil {
			return err
		}
		v.endChain()
		if err := rd.WalkOrphanHeads(v.orphan); err != nil {
			return err
		}
		if err := rd.WalkAppeals(v.appeal); err != nil {
			return err
		}
		v.missingAppeals()
		return v.checkpoint(rd, opt)
	})
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return r, nil
}

// derived is an appeal's State with what its chain head recorded.
type derived struct {
	State
	head  bool   // the chain has a head
	state string // the head's AppealState
}

type verifier struct {
	r *Report

	chain    string
	head     *huying.ChainHead
	prevSeq  int64
	prevHash string
	cur      *derived // the current chain's appeal, nil on other chains

	derived map[int64]*derived
}

// appealOf returns the appeal id of an appeal chain, or 0.
func appealOf(chain string) int64 {
	s, ok := strings.CutPrefix(chain, "appeal:")
	if !ok {
		return 0
	}
	id, _ := strconv.ParseInt(s, 10, 64)
	return id
}

func (v *verifier) problem(seq int64, format string, args ...any) {
	v.r.add(Problem{Chain: v.chain, Seq: seq, AppealID: appealOf(v.chain), Message: fmt.Sprintf(format, args...)})
}

func (v *verifier) event(e *huying.Event, head *huying.ChainHead) error {
	if e.Chain != v.chain {
		v.endChain()
		v.chain, v.head, v.prevSeq, v.prevHash, v.cur = e.Chain, head, 0, "", nil
		v.r.Chains++
		if id := appealOf(e.Chain); id != 0 {
			v.cur = &derived{}
			v.derived[id] = v.cur
		}
	}
	v.r.Events++
	switch {
	case e.Seq != v.prevSeq+1:
		v.problem(e.Seq, "序号应为 %d：前面的事件被删除，或事件顺序被改动", v.prevSeq+1)
	case e.PrevHash != v.prevHash:
		v.problem(e.Seq, "与上一个事件的哈希不衔接：事件被改动或替换")
	}
	if e.ComputeHash() != e.Hash {
		v.problem(e.Seq, "内容与其哈希不符：事件被改动")
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	if v.cur != nil {
		if err := v.cur.Apply(e); err != nil {
			v.problem(e.Seq, "%v", err)
		}
	}
	return nil
}

// endChain compares the walked end of the current chain with its head.
func (v *verifier) endChain() {
	if v.chain == "" {
		return
	}
	h := v.head
	switch {
	case h == nil:
		v.problem(0, "没有链头记录：链头被删除")
	case h.Seq > v.prevSeq:
		v.problem(h.Seq, "链头记录到第 %d 号事件，链上只到第 %d 号：末尾的事件被删除", h.Seq, v.prevSeq)
	case h.Seq < v.prevSeq:
		v.problem(0, "链上有 %d 个事件，链头只记录到第 %d 号：链头被改动，或事件被插入", v.prevSeq, h.Seq)
	case h.Hash != v.prevHash:
		v.problem(h.Seq, "链头的哈希与最后一个事件不符：事件或链头被改动")
	}
	if v.cur != nil && h != nil {
		v.cur.head, v.cur.state = true, h.State
	}
}

func (v *verifier) orphan(h huying.ChainHead) error {
	v.r.add(Problem{Chain: h.Chain, AppealID: appealOf(h.Chain),
		Message: fmt.Sprintf("链头记录到第 %d 号事件，链上却没有任何事件：事件（或诉求连同事件）被删除", h.Seq)})
	return nil
}

func (v *verifier) appeal(a *huying.Appeal) error {
	v.r.Appeals++
	chain := huying.AppealChain(a.ID)
	d := v.derived[a.ID]
	if d == nil {
		v.r.add(Problem{Chain: chain, AppealID: a.ID, Message: "诉求没有任何事件：诉求记录不是经由系统写入的（seed --bulk 等生成的负载数据也是如此）"})
		return nil
	}
	delete(v.derived, a.ID)
	for _, m := range d.Compare(a) {
		v.r.add(Problem{Chain: chain, AppealID: a.ID, Message: m + "：诉求表被直接改动"})
	}
	switch {
	case !d.head: // reported with the chain
	case d.state == "":
		v.r.add(Problem{Chain: chain, AppealID: a.ID, Message: "链头没有诉求记录的摘要：链头被改动"})
	case d.state != huying.AppealState(a):
		v.r.add(Problem{Chain: chain, AppealID: a.ID, Message: "诉求记录与最后一个事件写入时的摘要不符：诉求表被直接改动"})
	}
	return nil
}

// missingAppeals reports appeal chains whose appeal row is gone.
func (v *verifier) missingAppeals() {
	ids := make([]int64, 0, len(v.derived))
	for id := range v.derived {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		v.r.add(Problem{Chain: huying.AppealChain(id), AppealID: id, Message: "链上有事件，诉求记录却不存在：诉求被删除"})
	}
}

// checkpoint checks the newest checkpoint: every head it recorded must
// still be reached by its chain with the same hash, its heads must hash to
// its root, and with a key its MAC must hold. Then the operator's log, if
// given, must agree with the database.
func (v *verifier) checkpoint(rd huying.AuditReader, opt Options) error {
	add := func(chain string, seq int64, format string, args ...any) {
		v.r.add(Problem{Chain: chain, Seq: seq, AppealID: appealOf(chain), Message: fmt.Sprintf(format, args...)})
	}
	c, err := rd.LatestCheckpoint()
	if huying.ErrorCode(err) == huying.ENOTFOUND {
		if opt.Logged != nil {
			add("", 0, "检查点日志记录到 #%d，数据库中却没有任何检查点：检查点被删除", opt.Logged.ID)
		}
		return nil
	} else if err != nil {
		return err
	}
	v.r.Checkpoint = c
	var root huying.RootHasher
	err = rd.WalkCheckpointHeads(func(h huying.ChainHead, eventHash string, head *huying.ChainHead) error {
		if err := root.Add(h); err != nil {
			return err
		}
		switch {
		case eventHash == "":
			add(h.Chain, h.Seq, "检查点 #%d 时已有此事件，现在却没有了：事件被删除", c.ID)
		case eventHash != h.Hash:
			add(h.Chain, h.Seq, "哈希与检查点 #%d 记录的不同：事件被改动，其后的哈希被重新计算", c.ID)
		}
		switch {
		case head == nil:
			add(h.Chain, 0, "检查点 #%d 时链头在第 %d 号事件，现在链头记录没有了：链头被删除", c.ID, h.Seq)
		case head.Seq < h.Seq:
			add(h.Chain, 0, "链头退回到第 %d 号事件（检查点 #%d 时为第 %d 号）：链头被改动", head.Seq, c.ID, h.Seq)
		case head.Seq == h.Seq && head.State != h.State:
			add(h.Chain, 0, "其后没有新事件，诉求记录的摘要却与检查点 #%d 时不同：诉求表与链头被直接改动", c.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	intact := root.Sum() == c.Root && root.Heads == c.Heads && root.Events == c.Events
	if !intact {
		add("", 0, "检查点 #%d 记录的链头与其根哈希不符：检查点的链头记录被改动，或其后的检查点被删除", c.ID)
	}
	if len(opt.Key) > 0 {
		if !hmac.Equal([]byte(Sign(opt.Key, c)), []byte(c.MAC)) {
			add("", 0, "检查点 #%d 的签名不符：检查点被伪造或改动，或所用密钥不是写入它时的密钥", c.ID)
		} else {
			v.r.Signed = intact
		}
	}
	l := opt.Logged
	if l == nil {
		return nil
	}
	if len(opt.Key) > 0 && !hmac.Equal([]byte(Sign(opt.Key, l)), []byte(l.MAC)) {
		add("", 0, "检查点日志中的检查点 #%d 签名不符：日志被改动，或密钥不对", l.ID)
	}
	if l.ID > c.ID {
		add("", 0, "检查点日志记录到 #%d，数据库中最新的检查点却是 #%d：检查点被删除", l.ID, c.ID)
		return nil
	}
	db, err := rd.CheckpointByID(l.ID)
	switch {
	case huying.ErrorCode(err) == huying.ENOTFOUND:
		add("", 0, "检查点日志中的检查点 #%d 在数据库中不存在：检查点被删除", l.ID)
	case err != nil:
		return err
	case db.Root != l.Root || db.MAC != l.MAC || db.Heads != l.Heads || db.Events != l.Events || !db.At.Equal(l.At):
		add("", 0, "数据库中的检查点 #%d 与检查点日志中的不同：检查点被替换", l.ID)
	}
	return nil
}
