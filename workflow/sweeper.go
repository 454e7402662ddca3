package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"huying"
	"huying/internal/startstop"
)

// SweepResult counts what one sweep did.
type SweepResult struct {
	Rows       int `json:"rows"`        // due rows looked at
	Yellow     int `json:"yellow"`      // deadlines that turned yellow (预警)
	Red        int `json:"red"`         // deadlines that turned red (超期)
	Urged      int `json:"urged"`       // 催办 raised on overdue handling
	Supervised int `json:"supervised"`  // 督办 raised on handling still overdue after the urge
	Escalated  int `json:"escalated"`   // unsigned orders escalated to the unit's leader
	AutoSigned int `json:"auto_signed"` // unsigned orders signed by the system
}

// Escalation timing, in working days after the due time.
const (
	// SuperviseAfterDays: an overdue handling deadline is urged (催办) when
	// the sweep finds it red, and raised to the supervisor (督办) this many
	// working days after that urge if still open (the bureau practice in
	// domain-12345.md §2.2-11: "still late 5 working days after one reminder").
	SuperviseAfterDays = 5
)

// system is the actor of the sweeper's events.
var system = huying.Actor{User: &huying.User{Username: "system"}}

// Sweep looks at up to limit deadlines whose time has come, in one
// transaction: open ones turn yellow or red, red ones escalate. Each change
// is a compare-and-set on the deadline with its event in the same
// transaction, so a sweep is idempotent and several nodes never fire one
// deadline twice (PostgreSQL rows are taken with SKIP LOCKED). The rows of
// a tick are read and written in batches, so a tick over ten thousand due
// deadlines is a few dozen statements, not tens of thousands.
func (s *Service) Sweep(ctx context.Context, limit int) (SweepResult, error) {
	var res SweepResult
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		res = SweepResult{}
		now := s.now()
		due, err := tx.DueDeadlines(now, limit)
		if err != nil || len(due) == 0 {
			return err
		}
		res.Rows = len(due)
		var ids []int64
		for _, d := range due {
			ids = append(ids, d.AppealID)
		}
		appeals, err := tx.AppealsByID(ids)
		if err != nil {
			return err
		}
		var (
			updates  []huying.DeadlineUpdate
			events   []*huying.Event
			owners   []*huying.Appeal
			autoSign []int64
		)
		for _, d := range due {
			a := appeals[d.AppealID]
			if a == nil {
				return huying.Errorf(huying.EINTERNAL, "deadline %d: appeal %d missing", d.ID, d.AppealID)
			}
			u := huying.DeadlineUpdate{Deadline: d, From: d.State, Escalations: d.Escalations}
			kind, note, sign := s.step(d, now, &res)
			updates = append(updates, u)
			if sign {
				autoSign = append(autoSign, a.ID)
			}
			if kind != "" {
				data := map[string]any{"stage": d.Stage, "unit": d.UnitID, "due_at": d.DueAt.Format(time.RFC3339)}
				events = append(events, huying.NewEvent(a, system, kind, a.Status, a.Status, note, data, now))
				owners = append(owners, a)
			}
		}
		if err := tx.UpdateDeadlines(updates); err != nil {
			return err
		}
		if err := tx.AppendEvents(events); err != nil {
			return err
		}
		var notices []*huying.Notice
		for i, e := range events {
			ns, err := s.notices(tx, owners[i], e)
			if err != nil {
				return err
			}
			notices = append(notices, ns...)
		}
		if err := tx.EnqueueNotices(notices); err != nil {
			return err
		}
		for _, id := range autoSign {
			if err := s.autoSign(tx, id, now); err != nil {
				return fmt.Errorf("auto-sign appeal %d: %w", id, err)
			}
		}
		return nil
	})
	return res, err
}

// step moves one due deadline on (in memory) and says which event to
// write, if any, and whether the order is to be signed by the system.
func (s *Service) step(d *huying.Deadline, now time.Time, res *SweepResult) (kind, note string, autoSign bool) {
	stage := huying.StageNames[d.Stage]
	switch {
	case d.State == huying.DeadlineOpen && now.Before(d.DueAt):
		d.State, d.NextAt = huying.DeadlineYellow, &d.DueAt
		res.Yellow++
		return "deadline_yellow", stage + "时限即将到期（黄灯预警）", false
	case d.State != huying.DeadlineRed:
		d.State, d.NextAt = huying.DeadlineRed, nil
		res.Red++
		switch d.Stage {
		case huying.StageSign:
			// The order goes up to the unit's leader now, and signs itself
			// after a second signing limit so the handling clock starts anyway.
			next := d.DueAt.Add(d.DueAt.Sub(d.StartAt))
			d.Escalations, d.NextAt = 1, &next
			res.Escalated++
			return "sign_escalated", "签收超时，已提级至单位负责人", false
		case huying.StageClose:
			// 督办 comes five working days after the 催办, which is now
			// (a weeks-old overdue appeal is urged first, not supervised at once).
			next := s.cal().AddWorkdays(now, SuperviseAfterDays).UTC()
			d.Escalations, d.NextAt = 1, &next
			res.Urged++
			return "urge", "办理超期，发出催办通知", false
		}
		return "deadline_red", stage + "已超期（红灯）", false
	case d.Stage == huying.StageSign && d.Escalations == 1:
		d.Escalations, d.NextAt = 2, nil
		res.AutoSigned++
		return "", "", true
	case d.Stage == huying.StageClose && d.Escalations == 1:
		d.Escalations, d.NextAt = 2, nil
		res.Supervised++
		return "supervise", fmt.Sprintf("催办后 %d 个工作日仍未办结，转督办", SuperviseAfterDays), false
	}
	d.NextAt = nil // nothing more to do
	return "", "", false
}

// autoSign signs an order whose unit did not, through the same transition
// and reconciliation as a handler's sign.
func (s *Service) autoSign(tx huying.Tx, id int64, now time.Time) error {
	a, err := tx.Appeal(id)
	if err != nil {
		return err
	}
	if a.Status != huying.StatusDispatched {
		return nil // signed or moved on meanwhile
	}
	return s.commit(tx, system, a, huying.CmdSign, a.Status,
		&change{to: huying.StatusSigned, note: "签收超时，系统自动签收，办理时限照常计算", data: map[string]any{"auto": true}}, now)
}

// Sweeper runs Sweep on a ticker until stopped.
type Sweeper struct {
	Svc      *Service
	Interval time.Duration
	Batch    int
	Logger   *slog.Logger

	loop startstop.Loop
	last atomic.Int64 // duration of the last sweep, ns
}

// LastDuration returns how long the last sweep took.
func (sw *Sweeper) LastDuration() time.Duration { return time.Duration(sw.last.Load()) }

// Start sweeps now and then every Interval in the background until Stop.
func (sw *Sweeper) Start(ctx context.Context) error {
	if sw.Interval <= 0 {
		sw.Interval = 30 * time.Second
	}
	if sw.Batch <= 0 {
		sw.Batch = 10000
	}
	return sw.loop.Start(ctx, sw.Interval, true, sw.runOnce)
}

func (sw *Sweeper) runOnce(ctx context.Context) {
	if err := sw.Svc.RefreshSettings(ctx); err != nil && ctx.Err() == nil {
		sw.Logger.Error("settings refresh failed", slog.String("component", "sweeper"), slog.Any("error", err))
	}
	for {
		start := time.Now()
		res, err := sw.Svc.Sweep(ctx, sw.Batch)
		sw.last.Store(int64(time.Since(start)))
		if err != nil {
			if ctx.Err() == nil {
				sw.Logger.Error("sweep failed", slog.String("component", "sweeper"), slog.Any("error", err))
			}
			return
		}
		if res.Rows > 0 {
			sw.Logger.Info("sweep", slog.String("component", "sweeper"), slog.Any("result", res), slog.Duration("duration", time.Since(start)))
		}
		if res.Rows < sw.Batch || ctx.Err() != nil {
			return // caught up
		}
	}
}

// Stop stops the loop and waits for a running sweep to finish. It is idempotent.
func (sw *Sweeper) Stop() { sw.loop.Stop() }
