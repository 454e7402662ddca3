// Package supervision is 全程监督 beyond the lifecycle's own clocks:
// 挂牌督办 (a flag with its own deadline, progress and 销号), 吹哨报到 (a
// street or community summons departments, who must report in, and rates
// them after closure: 双考核) and a supervisor's 催办 by hand. It is the
// first domain service on workflow's core: every change is one transaction
// with its event (and the notices it causes) on the appeal's chain, through
// the appeal service it is given.
package supervision

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huying"
	"huying/workflow"
)

// DefaultReportIn is the report-in limit of a summoned department (clock
// time, 7×24), from the Pinggu origin of 吹哨报到.
const DefaultReportIn = 30 * time.Minute

// Service is the supervision service.
type Service struct {
	App *workflow.Service
	// ReportInLimit is how long a summoned department has to report in;
	// zero means DefaultReportIn.
	ReportInLimit time.Duration
}

// New returns the supervision service on the appeal service app.
func New(app *workflow.Service) *Service { return &Service{App: app} }

// BlowInput is the input of Blow.
type BlowInput struct {
	UnitIDs []string `json:"unit_ids"`
	Reason  string   `json:"reason"`
}

// Flag puts an appeal under 挂牌督办 with its own deadline. Supervisors only.
func (s *Service) Flag(ctx context.Context, actor huying.Actor, appealID int64, in workflow.FlagInput) (*huying.Flag, error) {
	if !actor.User.Has(huying.RoleSupervisor) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有督办员可以挂牌督办")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	now := s.App.NowUTC()
	switch {
	case in.Reason == "" || utf8.RuneCountInString(in.Reason) > huying.MaxReasonRunes:
		return nil, huying.FieldErrorf("reason", "请填写挂牌督办理由（不超过 %d 字）", huying.MaxReasonRunes)
	case !in.DueAt.After(now):
		return nil, huying.FieldErrorf("due_at", "督办时限须晚于当前时间")
	}
	var f *huying.Flag
	err := s.App.Store.Update(ctx, func(tx huying.Tx) error {
		if _, err := tx.Unit(in.SupervisingUnit); huying.ErrorCode(err) == huying.ENOTFOUND {
			return huying.FieldErrorf("supervising_unit", "督办单位 %q 不存在", in.SupervisingUnit)
		} else if err != nil {
			return err
		}
		a, err := tx.Appeal(appealID)
		if err != nil {
			return err
		}
		if !a.Status.Open() {
			return huying.Errorf(huying.ECONFLICT, "诉求已%s，不能挂牌督办", a.Status.Name())
		}
		if in.Public && a.Confidential {
			return huying.FieldErrorf("public", "保密诉求不能公开挂牌督办")
		}
		f, err = s.App.CreateFlag(tx, actor, a, in, nil, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("flag: %w", err)
	}
	return f, nil
}

// FlagProgress adds a progress entry: by a supervisor, or by a handler of
// the flagged appeal's lead unit.
func (s *Service) FlagProgress(ctx context.Context, actor huying.Actor, flagID int64, note string) error {
	if !actor.IsStaff() || !actor.User.HasAny(huying.RoleSupervisor, huying.RoleHandler) {
		return huying.Errorf(huying.EFORBIDDEN, "只有督办员和主办单位可以填写督办进展")
	}
	note = strings.TrimSpace(note)
	if note == "" || utf8.RuneCountInString(note) > huying.MaxReasonRunes {
		return huying.FieldErrorf("note", "请填写督办进展（不超过 %d 字）", huying.MaxReasonRunes)
	}
	now := s.App.NowUTC()
	return s.App.Store.Update(ctx, func(tx huying.Tx) error {
		f, err := tx.Flag(flagID)
		if err != nil {
			return err
		}
		a, err := tx.Appeal(f.AppealID)
		if err != nil {
			return err
		}
		if !actor.User.Has(huying.RoleSupervisor) && !(actor.User.Has(huying.RoleHandler) && a.LeadUnit() == actor.User.UnitID) {
			return huying.Errorf(huying.EFORBIDDEN, "只有督办员或主办单位可以填报督办进展")
		}
		if f.ClosedAt != nil {
			return huying.Errorf(huying.ECONFLICT, "挂牌督办事项已销号")
		}
		p := &huying.FlagProgress{FlagID: f.ID, Note: note, CreatedBy: actor.User.ID, Author: actor.User.Name, CreatedAt: now}
		if err := tx.AddFlagProgress(p); err != nil {
			return err
		}
		return s.App.AppendOnly(tx, actor, a, "flag_progress", note, map[string]any{"flag": f.ID}, now)
	})
}

// CloseFlag closes (销号) a flag and stops its clock. Supervisors only.
func (s *Service) CloseFlag(ctx context.Context, actor huying.Actor, flagID int64, note string) error {
	if !actor.User.Has(huying.RoleSupervisor) {
		return huying.Errorf(huying.EFORBIDDEN, "只有督办员可以销号")
	}
	now := s.App.NowUTC()
	return s.App.Store.Update(ctx, func(tx huying.Tx) error {
		f, err := tx.Flag(flagID)
		if err != nil {
			return err
		}
		if err := tx.CloseFlag(f.ID, now, strings.TrimSpace(note)); err != nil {
			return err
		}
		a, err := tx.Appeal(f.AppealID)
		if err != nil {
			return err
		}
		if err := s.App.FinishClocks(tx, a.ID, huying.StageFlag, "", now); err != nil {
			return err
		}
		return s.App.AppendOnly(tx, actor, a, "flag_closed", note, map[string]any{"flag": f.ID}, now)
	})
}

// Flags lists flags: everything to the roles that watch the district,
// public ones to anyone (residents included, with publicOnly).
func (s *Service) Flags(ctx context.Context, actor huying.Actor, f huying.FlagFilter) ([]*huying.Flag, error) {
	if actor.User == nil || !actor.IsStaff() || !actor.User.HasAny(huying.RoleSupervisor, huying.RoleLeader, huying.RoleDispatcher, huying.RoleAdmin) {
		f.PublicOnly = true
	}
	// Only the roles that handle confidential appeals see their flags; a
	// public flag is never on one (Flag refuses it), but older rows may be.
	f.HideConfidential = actor.User == nil || !actor.IsStaff() || !actor.User.HasAny(huying.RoleSupervisor, huying.RoleDispatcher)
	return s.App.Store.Flags(ctx, f)
}

// checkSummons checks that the blowing unit is a street or community, that
// the whistle has a reason, and that each summoned unit exists once and is a
// department or enterprise.
func checkSummons(tx huying.Tx, blower string, in BlowInput) error {
	mine, err := tx.Unit(blower)
	if err != nil && huying.ErrorCode(err) != huying.ENOTFOUND {
		return err
	}
	if err != nil || mine.Kind != huying.UnitStreet && mine.Kind != huying.UnitCommunity {
		return huying.Errorf(huying.EFORBIDDEN, "只有街道、社区可以吹哨召集部门")
	}
	if in.Reason == "" || utf8.RuneCountInString(in.Reason) > huying.MaxReasonRunes {
		return huying.FieldErrorf("reason", "请说明吹哨事由（不超过 %d 字）", huying.MaxReasonRunes)
	}
	summoned := in.UnitIDs
	if len(summoned) == 0 || len(summoned) > 10 {
		return huying.FieldErrorf("unit_ids", "请选择 1 到 10 个要召集的部门")
	}
	for i, id := range summoned {
		unit, err := tx.Unit(id)
		if huying.ErrorCode(err) == huying.ENOTFOUND {
			return huying.FieldErrorf("unit_ids", "部门 %q 不存在", id)
		} else if err != nil {
			return err
		}
		if unit.Kind != huying.UnitDepartment && unit.Kind != huying.UnitEnterprise {
			return huying.FieldErrorf("unit_ids", "%s 不是职能部门或公共服务企业，不能被召集", unit.Name)
		}
		if unit.Disabled() {
			return huying.FieldErrorf("unit_ids", "「%s」已停用，不能被召集", unit.Name)
		}
		if slices.Contains(summoned[:i], id) {
			return huying.FieldErrorf("unit_ids", "部门 %s 重复", unit.Name)
		}
	}
	return nil
}

// Blow blows the whistle (吹哨) on an appeal: a street or community user
// summons departments, each of which must report in within the limit and
// is a co-handler (协办) until the appeal is closed.
func (s *Service) Blow(ctx context.Context, actor huying.Actor, appealID int64, in BlowInput) (*huying.Whistle, error) {
	u := actor.User
	if !u.HasAny(huying.RoleReporter, huying.RoleHandler) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有街道、社区的工作人员可以吹哨")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	now := s.App.NowUTC()
	var w *huying.Whistle
	err := s.App.Store.Update(ctx, func(tx huying.Tx) error {
		if err := checkSummons(tx, u.UnitID, in); err != nil {
			return err
		}
		a, err := s.App.LockVisible(tx, actor, appealID)
		if err != nil {
			return err
		}
		if !a.Status.Open() || a.Status == huying.StatusReceived {
			return huying.Errorf(huying.ECONFLICT, "诉求当前状态为「%s」，不能吹哨", a.Status.Name())
		}
		w = &huying.Whistle{AppealID: a.ID, UnitID: u.UnitID, Reason: in.Reason, CreatedBy: u.ID, CreatedAt: now, AppealCode: a.Code}
		for _, id := range in.UnitIDs {
			w.Calls = append(w.Calls, huying.WhistleCall{UnitID: id, DueAt: now.Add(s.reportIn())})
			if !a.AssignedTo(id) {
				a.Assignments = append(a.Assignments, huying.Assignment{UnitID: id, Role: huying.AssignAssist})
			}
		}
		if err := tx.CreateWhistle(w); err != nil {
			return err
		}
		version := a.Version
		a.UpdatedAt = now
		if err := tx.UpdateAppeal(a, version); err != nil {
			return err
		}
		for _, c := range w.Calls {
			if err := s.App.StartClock(tx, a.ID, huying.StageReportIn, c.UnitID, now, c.DueAt); err != nil {
				return err
			}
		}
		return s.App.AppendOnly(tx, actor, a, "whistle", in.Reason, map[string]any{"whistle": w.ID, "units": in.UnitIDs}, now)
	})
	if err != nil {
		return nil, fmt.Errorf("whistle: %w", err)
	}
	return w, nil
}

func (s *Service) reportIn() time.Duration {
	if s.ReportInLimit > 0 {
		return s.ReportInLimit
	}
	return DefaultReportIn
}

// ReportIn records that the actor's department reported in (报到) to a whistle.
func (s *Service) ReportIn(ctx context.Context, actor huying.Actor, whistleID int64) error {
	if !actor.User.Has(huying.RoleHandler) {
		return huying.Errorf(huying.EFORBIDDEN, "只有被召集部门的承办人可以报到")
	}
	now := s.App.NowUTC()
	return s.App.Store.Update(ctx, func(tx huying.Tx) error {
		w, err := tx.Whistle(whistleID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(w.Calls, func(c huying.WhistleCall) bool { return c.UnitID == actor.User.UnitID }) {
			return huying.Errorf(huying.ENOTFOUND, "吹哨记录不存在")
		}
		if err := tx.ReportIn(w.ID, actor.User.UnitID, now); err != nil {
			return err
		}
		a, err := tx.Appeal(w.AppealID)
		if err != nil {
			return err
		}
		if err := s.App.FinishClocks(tx, a.ID, huying.StageReportIn, actor.User.UnitID, now); err != nil {
			return err
		}
		return s.App.AppendOnly(tx, actor, a, "report_in", "已报到", map[string]any{"whistle": w.ID, "unit": actor.User.UnitID}, now)
	})
}

// RateCall lets the blowing unit rate a summoned department (1–5) once the
// appeal is closed (双考核).
func (s *Service) RateCall(ctx context.Context, actor huying.Actor, whistleID int64, unitID string, rating int, note string) error {
	if !actor.IsStaff() {
		return huying.Errorf(huying.EFORBIDDEN, "只有吹哨单位可以评价报到部门")
	}
	if rating < 1 || rating > 5 {
		return huying.FieldErrorf("rating", "评分须为 1 到 5 分")
	}
	now := s.App.NowUTC()
	return s.App.Store.Update(ctx, func(tx huying.Tx) error {
		w, err := tx.Whistle(whistleID)
		if err != nil {
			return err
		}
		if w.UnitID != actor.User.UnitID {
			return huying.Errorf(huying.EFORBIDDEN, "只有吹哨的街道或社区可以评价报到部门")
		}
		a, err := tx.Appeal(w.AppealID)
		if err != nil {
			return err
		}
		switch a.Status {
		case huying.StatusReplied, huying.StatusReviewed, huying.StatusRated, huying.StatusArchived, huying.StatusTerminated:
		default:
			return huying.Errorf(huying.ECONFLICT, "诉求办结后才能评价报到部门")
		}
		i := slices.IndexFunc(w.Calls, func(c huying.WhistleCall) bool { return c.UnitID == unitID })
		switch {
		case i < 0:
			return huying.FieldErrorf("unit_id", "部门 %q 未被本次吹哨召集，不能评价", unitID)
		case w.Calls[i].RatedAt != nil:
			return huying.Errorf(huying.ECONFLICT, "已评价过该部门的报到")
		}
		if err := tx.RateCall(w.ID, unitID, rating, strings.TrimSpace(note), now); err != nil {
			return err
		}
		return s.App.AppendOnly(tx, actor, a, "whistle_rating", note, map[string]any{"whistle": w.ID, "unit": unitID, "rating": rating}, now)
	})
}

// WhistleStats returns both sides' figures to the roles that watch the district.
func (s *Service) WhistleStats(ctx context.Context, actor huying.Actor) ([]huying.WhistleStat, error) {
	if !actor.User.HasAny(huying.RoleSupervisor, huying.RoleLeader, huying.RoleAdmin, huying.RoleDispatcher) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看吹哨报到统计的权限")
	}
	return s.App.Store.WhistleStats(ctx)
}

// Whistles returns the whistles of an appeal the actor may see.
func (s *Service) Whistles(ctx context.Context, actor huying.Actor, appealID int64) ([]*huying.Whistle, error) {
	if _, err := s.App.Get(ctx, actor, appealID); err != nil {
		return nil, err
	}
	return s.App.Store.Whistles(ctx, appealID)
}

// Urge sends a 催办 by hand: a supervisor or dispatcher presses the lead
// unit of an open appeal, with an event and an SMS to the unit's handlers,
// as the sweeper does when a deadline passes.
func (s *Service) Urge(ctx context.Context, actor huying.Actor, appealID int64, note string) error {
	if !actor.User.HasAny(huying.RoleSupervisor, huying.RoleDispatcher) {
		return huying.Errorf(huying.EFORBIDDEN, "只有督办员和分拨员可以催办")
	}
	note, err := urgeNote(note)
	if err != nil {
		return err
	}
	now := s.App.NowUTC()
	return s.App.Store.Update(ctx, func(tx huying.Tx) error {
		a, err := tx.Appeal(appealID)
		if err != nil {
			return err
		}
		if !a.Status.Open() || a.LeadUnit() == "" {
			return huying.Errorf(huying.ECONFLICT, "诉求当前状态为「%s」，没有可催办的承办单位", a.Status.Name())
		}
		return s.App.AppendOnly(tx, actor, a, "urge", note, map[string]any{"unit": a.LeadUnit(), "manual": true}, now)
	})
}

// UrgeBatch urges each appeal with the same note (批量催办), each its own
// Urge (its own transaction and event), so that one refused appeal leaves
// the others urged. The results say which were and why the others were not.
func (s *Service) UrgeBatch(ctx context.Context, actor huying.Actor, items []workflow.BatchItem, note string) ([]workflow.BatchResult, error) {
	if !actor.IsStaff() || !actor.User.HasAny(huying.RoleSupervisor, huying.RoleDispatcher) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有督办员和分拨员可以催办")
	}
	if err := workflow.CheckBatch(items); err != nil {
		return nil, err
	}
	if _, err := urgeNote(note); err != nil {
		return nil, err
	}
	out := make([]workflow.BatchResult, len(items))
	for i, it := range items {
		out[i] = workflow.BatchResult{ID: it.ID, Err: s.Urge(ctx, actor, it.ID, note)}
	}
	return out, nil
}

// urgeNote is a 催办's note, trimmed, or EINVALID.
func urgeNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if note == "" || utf8.RuneCountInString(note) > huying.MaxReasonRunes {
		return "", huying.FieldErrorf("note", "请填写催办事由（不超过 %d 字）", huying.MaxReasonRunes)
	}
	return note, nil
}
