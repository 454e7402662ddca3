package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"huying"
	"huying/sla"
)

// lifecycleStages are the clocks reconcileDeadlines manages.
var lifecycleStages = map[string]bool{huying.StageDispatch: true, huying.StageSign: true, huying.StageFirstContact: true,
	huying.StageClose: true, huying.StageReview: true, huying.StageCallback: true, huying.StageArbitrate: true}

// wantedClocks says which stage clocks must run for an appeal in its
// current status, and which unit each one concerns: the centre for
// dispatch, a return's arbitration, review and callback; the lead unit for
// sign, first contact and close.
func (s *Service) wantedClocks(tx huying.Tx, a *huying.Appeal) (map[string]string, error) {
	centre, err := s.centreID(tx)
	if err != nil {
		return nil, err
	}
	lead, w := a.LeadUnit(), map[string]string{}
	switch a.Status {
	case huying.StatusReceived:
		w[huying.StageDispatch] = centre
	case huying.StatusDispatched:
		w[huying.StageSign], w[huying.StageClose] = lead, lead
	case huying.StatusSigned, huying.StatusHandling, huying.StatusExtensionRequested, huying.StatusTerminationRequested:
		w[huying.StageClose] = lead
		if a.ContactedAt == nil {
			w[huying.StageFirstContact] = lead
		}
	case huying.StatusReturned:
		w[huying.StageArbitrate] = centre // 派单异议审核
	case huying.StatusReplied:
		w[huying.StageReview] = centre
	case huying.StatusReviewed:
		if a.ParentID == 0 || !s.callbackAtEnd() { // with the callback at the end, the parent's clock runs
			w[huying.StageCallback] = centre
		}
	}
	return w, nil
}

// reconcileDeadlines makes the appeal's deadline rows match its status:
// clocks that no longer apply are closed (done), missing ones are started
// from now, and a moved handling deadline (an approved extension) moves its
// row while keeping the original due time. It runs in the transaction of
// every change, so a deadline never disagrees with its appeal.
func (s *Service) reconcileDeadlines(tx huying.Tx, a *huying.Appeal, now time.Time) error {
	open, err := tx.OpenDeadlines(a.ID)
	if err != nil {
		return err
	}
	return s.setClocks(tx, a, now, open)
}

// setClocks makes the deadline rows match the appeal given its open ones
// (none for an appeal just received).
func (s *Service) setClocks(tx huying.Tx, a *huying.Appeal, now time.Time, open []*huying.Deadline) error {
	want, err := s.wantedClocks(tx, a)
	if err != nil {
		return err
	}
	handling := a.Status == huying.StatusDispatched || a.Status == huying.StatusSigned || a.Status == huying.StatusHandling ||
		a.Status == huying.StatusExtensionRequested || a.Status == huying.StatusTerminationRequested
	for _, d := range open {
		if !lifecycleStages[d.Stage] && !(d.Stage == huying.StageReportIn && !handling) {
			continue // a flag's clock, or a whistle's while the appeal is handled
		}
		unit, keep := want[d.Stage]
		if keep && unit == d.UnitID {
			delete(want, d.Stage)
			if d.Stage == huying.StageClose && a.DueAt != nil && !d.DueAt.Equal(*a.DueAt) {
				if err := s.moveDeadline(tx, d, *a.DueAt, now); err != nil {
					return err
				}
			}
			continue
		}
		from, esc := d.State, d.Escalations
		d.State, d.DoneAt, d.NextAt = huying.DeadlineDone, &now, nil
		if err := tx.UpdateDeadline(d, from, esc); err != nil {
			return err
		}
	}
	for stage, unit := range want {
		lim, ok := s.limit(a, stage, now)
		if !ok {
			continue
		}
		d := &huying.Deadline{AppealID: a.ID, Stage: stage, UnitID: unit, State: huying.DeadlineOpen,
			StartAt: now, WarnAt: lim.WarnAt, DueAt: lim.DueAt}
		if stage == huying.StageClose && a.DueAt != nil && !a.DueAt.Equal(lim.DueAt) {
			// The handling deadline was set earlier (at dispatch) or moved by
			// an extension: keep it, with the warning at the same share.
			d.DueAt, d.WarnAt = *a.DueAt, s.warnAt(now, *a.DueAt)
		}
		d.NextAt = &d.WarnAt
		if err := tx.CreateDeadline(d); err != nil {
			return err
		}
	}
	return nil
}

// moveDeadline moves a running deadline to due (an approved extension),
// keeping the first due time for the metrics, and turns it back to open.
func (s *Service) moveDeadline(tx huying.Tx, d *huying.Deadline, due, now time.Time) error {
	from, esc := d.State, d.Escalations
	if d.OriginalDueAt == nil {
		first := d.DueAt
		d.OriginalDueAt = &first
	}
	d.DueAt, d.WarnAt = due, s.warnAt(now, due)
	d.State, d.Escalations = huying.DeadlineOpen, 0
	d.NextAt = &d.WarnAt
	if !now.Before(d.WarnAt) {
		d.NextAt = &now
	}
	return tx.UpdateDeadline(d, from, esc)
}

// share returns the instant at ratio of the way from start to end.
// warnAt is the warning time of a clock from start to end: ratio of the
// way (the SLA's WarnRatio), moved into working hours.
func (s *Service) warnAt(start, end time.Time) time.Time {
	_, table := s.slaAt(s.Now())
	ratio := table.WarnRatio
	if ratio <= 0 || ratio > 1 {
		ratio = 0.8
	}
	warn := start.Add(time.Duration(float64(end.Sub(start)) * ratio))
	return sla.InWorkingHours(s.cal(), start, warn, end).UTC()
}

// centreID returns the id of the district centre (the root unit of kind
// centre), read through tx once; "" while the district has none.
func (s *Service) centreID(tx huying.Tx) (string, error) {
	if v, ok := s.centre.Load().(string); ok && v != "" {
		return v, nil
	}
	units, err := tx.Units()
	if err != nil {
		return "", err
	}
	id := huying.CentreID(units)
	if id != "" {
		s.centre.Store(id)
	}
	return id, nil
}

// UsersChanged makes the next notice read the staff afresh (the identity
// service calls it after a user changes).
func (s *Service) UsersChanged() { s.users.reset() }

// Clocks returns, for appeals the caller listed for an actor (List), each
// one's most urgent running clock: the one a queue shows, the dispatch
// clock of an appeal not yet dispatched included.
func (s *Service) Clocks(ctx context.Context, list []*huying.Appeal) (map[int64]*huying.Deadline, error) {
	if len(list) == 0 {
		return map[int64]*huying.Deadline{}, nil
	}
	// 100 appeals a read: an appeal has a handful of running clocks, and
	// the store returns at most 1,000 rows.
	out := map[int64]*huying.Deadline{}
	for chunk := range slices.Chunk(list, 100) {
		ids := make([]int64, len(chunk))
		for i, a := range chunk {
			ids[i] = a.ID
		}
		all, err := s.Store.Deadlines(ctx, huying.DeadlineFilter{AppealIDs: ids, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, d := range all { // earliest due first
			if out[d.AppealID] == nil {
				out[d.AppealID] = d
			}
		}
	}
	return out, nil
}

// AppealDeadlines returns the deadlines of an appeal the actor may see.
func (s *Service) AppealDeadlines(ctx context.Context, actor huying.Actor, id int64) ([]*huying.Deadline, error) {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.Store.AppealDeadlines(ctx, id)
}

// Board returns the supervisor's board to the roles that watch the whole
// district: counts by unit, stage and colour, and the items matching f.
func (s *Service) Board(ctx context.Context, actor huying.Actor, f huying.DeadlineFilter) ([]huying.DeadlineCount, []*huying.Deadline, error) {
	if !actor.User.HasAny(huying.RoleSupervisor, huying.RoleLeader, huying.RoleDispatcher, huying.RoleAdmin) {
		return nil, nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看督办看板的权限")
	}
	if f.UnitID != "" {
		if _, err := s.Store.Unit(ctx, f.UnitID); huying.ErrorCode(err) == huying.ENOTFOUND {
			return nil, nil, huying.FieldErrorf("unit", "单位 %q 不存在", f.UnitID)
		} else if err != nil {
			return nil, nil, err
		}
	}
	counts, err := s.Store.DeadlineCounts(ctx)
	if err != nil {
		return nil, nil, err
	}
	// Leaders and admins do not see confidential appeals (canSee), so their
	// board leaves them out too.
	f.HideConfidential = !actor.User.HasAny(huying.RoleSupervisor, huying.RoleDispatcher)
	items, err := s.Store.Deadlines(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	return counts, items, nil
}

// DueLabel says how much working time is left before due, or how much it
// is overdue, on the jurisdiction's calendar: "剩余 1 个工作日 3 小时",
// "已超期 2 小时" (a working day is the calendar's working hours).
func (s *Service) DueLabel(due time.Time) string {
	now := s.now()
	left := s.cal().WorkingTimeBetween(now, due)
	day, unit := s.cal().DayLength(), "个工作日"
	if left == 0 && !due.Equal(now) {
		// No working time in between (a 2-hour dispatch clock at night):
		// the clock time tells, so that an overdue clock never reads
		// 剩余 0 分钟.
		left, day, unit = due.Sub(now), 24*time.Hour, "天"
	}
	prefix := "剩余"
	if left < 0 {
		prefix, left = "已超期", -left
	}
	days, rest := int(left/day), left%day
	hours, minutes := int(rest/time.Hour), int(rest%time.Hour/time.Minute)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%s %d %s %d 小时", prefix, days, unit, hours)
	case days > 0:
		return fmt.Sprintf("%s %d %s", prefix, days, unit)
	case hours > 0:
		return fmt.Sprintf("%s %d 小时", prefix, hours)
	}
	return fmt.Sprintf("%s %d 分钟", prefix, minutes)
}
