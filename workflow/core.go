package workflow

// The core the domain services build on (package supervision now; the task
// ledger and assessment next): the clock, events recorded with the notices
// they cause, an appeal read for an actor, stage clocks, and the flag the
// lifecycle itself raises. A domain service changes an appeal only through
// these, in the transaction of its own change.

import (
	"time"

	"huying"
)

// FlagInput is the input of Flag.
type FlagInput struct {
	Reason          string    `json:"reason"`
	SupervisingUnit string    `json:"supervising_unit"`
	DueAt           time.Time `json:"due_at"`
	Public          bool      `json:"public"`
}

// AppendOnly records, with the notices it causes, an event that changes
// no status on appeal a.
func (s *Service) AppendOnly(tx huying.Tx, actor huying.Actor, a *huying.Appeal, kind, note string, data map[string]any, now time.Time) error {
	return s.record(tx, a, huying.NewEvent(a, actor, kind, a.Status, a.Status, note, data, now))
}

// CreateFlag writes a flag (挂牌督办) on appeal a with its deadline and
// event, in tx; extra goes into the event's data. The lifecycle raises one
// after a second 不满意; package supervision when a supervisor does.
func (s *Service) CreateFlag(tx huying.Tx, actor huying.Actor, a *huying.Appeal, in FlagInput, extra map[string]any, now time.Time) (*huying.Flag, error) {
	f := &huying.Flag{AppealID: a.ID, Title: a.Title, Reason: in.Reason, SupervisingUnit: in.SupervisingUnit,
		DueAt: in.DueAt.UTC(), Public: in.Public, CreatedAt: now, AppealCode: a.Code, Progress: []huying.FlagProgress{}}
	if actor.User != nil {
		f.CreatedBy = actor.User.ID
	}
	if err := tx.CreateFlag(f); err != nil {
		return nil, err
	}
	unit := a.LeadUnit()
	if unit == "" {
		unit = in.SupervisingUnit
	}
	if err := s.StartClock(tx, a.ID, huying.StageFlag, unit, now, f.DueAt); err != nil {
		return nil, err
	}
	data := map[string]any{"flag": f.ID, "supervising_unit": in.SupervisingUnit, "due_at": f.DueAt.Format(time.RFC3339), "public": in.Public}
	for k, v := range extra {
		data[k] = v
	}
	return f, s.AppendOnly(tx, actor, a, "flag", in.Reason, data, now)
}

// FinishClocks marks done the open deadlines of stage (and unit, if
// given) on an appeal.
func (s *Service) FinishClocks(tx huying.Tx, appealID int64, stage, unit string, now time.Time) error {
	open, err := tx.OpenDeadlines(appealID)
	if err != nil {
		return err
	}
	for _, d := range open {
		if d.Stage != stage || unit != "" && d.UnitID != unit {
			continue
		}
		from, esc := d.State, d.Escalations
		d.State, d.DoneAt, d.NextAt = huying.DeadlineDone, &now, nil
		if err := tx.UpdateDeadline(d, from, esc); err != nil {
			return err
		}
	}
	return nil
}

// StartClock starts a clock of stage for unit on an appeal, from start to
// due, its warning placed in working hours as every clock's is.
func (s *Service) StartClock(tx huying.Tx, appealID int64, stage, unit string, start, due time.Time) error {
	d := &huying.Deadline{AppealID: appealID, Stage: stage, UnitID: unit, State: huying.DeadlineOpen,
		StartAt: start, DueAt: due, WarnAt: s.warnAt(start, due)}
	d.NextAt = &d.WarnAt
	return tx.CreateDeadline(d)
}

// NowUTC is the service's clock in UTC at the precision both databases
// keep, for the domain services built on this one.
func (s *Service) NowUTC() time.Time { return s.now() }

// LockVisible reads and locks appeal id in tx for an actor who may see it,
// and answers ENOTFOUND for one they may not, as if it did not exist.
func (s *Service) LockVisible(tx huying.Tx, actor huying.Actor, id int64) (*huying.Appeal, error) {
	a, err := tx.Appeal(id)
	if err != nil {
		return nil, err
	}
	if !canSee(actor, a) {
		return nil, huying.Errorf(huying.ENOTFOUND, "诉求不存在")
	}
	return a, nil
}
