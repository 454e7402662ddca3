package workflow

import (
	"context"
	"slices"

	"huying"
)

// MaxBatch is how many appeals one batch command takes.
const MaxBatch = 200

// batchCommands are the commands a batch may run: the ones a centre runs
// on many appeals alike (archive the closed, accept the replies, dispatch
// to one lead).
var batchCommands = []huying.Command{huying.CmdArchive, huying.CmdReview, huying.CmdDispatch}

// BatchItem is one appeal of a batch, with the version the caller saw (0:
// any).
type BatchItem struct {
	ID      int64 `json:"id"`
	Version int   `json:"version,omitempty"`
}

// BatchResult is the outcome of one appeal of a batch: the appeal after the
// command (masked), or the error that refused it.
type BatchResult struct {
	ID     int64          `json:"id"`
	Appeal *huying.Appeal `json:"appeal,omitempty"`
	Err    error          `json:"-"`
}

// ActBatch runs cmd with the same input on each appeal, each as its own
// command (Act): its own compare-and-set, event and clocks, so that one
// refused appeal leaves the others done. Returns EINVALID for a command
// batches do not run or a batch too large; otherwise the results in order.
func (s *Service) ActBatch(ctx context.Context, actor huying.Actor, cmd huying.Command, items []BatchItem, in Action) ([]BatchResult, error) {
	switch {
	case !actor.IsStaff() || !huying.CanRun(cmd, actor.User):
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有权限批量执行「%s」", huying.Transitions[cmd].Name)
	case !slices.Contains(batchCommands, cmd):
		return nil, huying.Errorf(huying.EINVALID, "「%s」不能批量执行（可批量：归档、审核、派单、催办）", cmd)
	}
	if err := CheckBatch(items); err != nil {
		return nil, err
	}
	out := make([]BatchResult, len(items))
	for i, it := range items {
		one := in
		one.Version = it.Version
		a, err := s.Act(ctx, actor, it.ID, cmd, one)
		out[i] = BatchResult{ID: it.ID, Appeal: a, Err: err}
	}
	return out, nil
}

// CheckBatch refuses an empty or too large batch and one that names an appeal twice.
func CheckBatch(items []BatchItem) error {
	if len(items) == 0 || len(items) > MaxBatch {
		return huying.FieldErrorf("items", "请选择 1 到 %d 件诉求", MaxBatch)
	}
	seen := map[int64]bool{}
	for _, it := range items {
		if seen[it.ID] {
			return huying.FieldErrorf("items", "诉求 %d 重复选择", it.ID)
		}
		seen[it.ID] = true
	}
	return nil
}
