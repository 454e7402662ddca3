package workflow

import (
	"context"
	"strings"
	"time"

	"huying"
	"huying/audit"
)

// canSee reports whether the actor may read appeal a at all. Confidential
// appeals (举报人保密) are hidden from the roles that do not handle them.
func canSee(actor huying.Actor, a *huying.Appeal) bool {
	u := actor.User
	if u == nil {
		return false
	}
	if actor.AppealID != 0 {
		return actor.AppealID == a.ID
	}
	if actor.IsChannel() {
		// A channel reads back only what it filed, and only with the scope.
		return actor.Token.Allows(huying.ScopeRead) && a.CreatedBy == u.ID
	}
	if a.CreatedBy == u.ID && u.ID != 0 {
		return true
	}
	if u.Has(huying.RoleHandler) && a.AssignedTo(u.UnitID) {
		return true
	}
	if inCommunity(u, a) {
		return true
	}
	if u.HasAny(huying.RoleDispatcher, huying.RoleSupervisor) {
		return true
	}
	if u.HasAny(huying.RoleIntake, huying.RoleLeader, huying.RoleAdmin) {
		return !a.Confidential
	}
	return false
}

// inCommunity reports whether a is a non-confidential appeal placed in the
// community of a community reporter (社区网格员), who follows them.
func inCommunity(u *huying.User, a *huying.Appeal) bool {
	return u.Has(huying.RoleReporter) && u.UnitID != "" && a.Community == u.UnitID && !a.Confidential
}

// canUnmask reports whether the actor needs the resident's contact: the
// handling units (to contact them), intake agents, and whoever may make
// the callback (回访) of an appeal waiting for it. Dispatchers,
// supervisors and leaders otherwise see it masked; channels never.
func canUnmask(actor huying.Actor, a *huying.Appeal) bool {
	u := actor.User
	if actor.IsChannel() {
		return false
	}
	if a.CreatedBy == u.ID && u.ID != 0 {
		return true
	}
	if a.Status == huying.StatusReviewed && huying.CanRun(huying.CmdRate, u) {
		return true
	}
	return u.Has(huying.RoleHandler) && a.AssignedTo(u.UnitID) || u.Has(huying.RoleIntake)
}

// Get returns an appeal the actor may see, with the contact masked. Returns
// ENOTFOUND both when it does not exist and when the actor may not see it.
func (s *Service) Get(ctx context.Context, actor huying.Actor, id int64) (*huying.Appeal, error) {
	return visible(actor)(s.Store.Appeal(ctx, id))
}

// GetByCode is Get by tracking code.
func (s *Service) GetByCode(ctx context.Context, actor huying.Actor, code string) (*huying.Appeal, error) {
	return visible(actor)(s.Store.AppealByCode(ctx, code))
}

// visible passes on an appeal the actor may see, masked, and answers
// ENOTFOUND for one they may not, as if it did not exist.
func visible(actor huying.Actor) func(*huying.Appeal, error) (*huying.Appeal, error) {
	return func(a *huying.Appeal, err error) (*huying.Appeal, error) {
		if err != nil {
			return nil, err
		}
		if !canSee(actor, a) {
			return nil, huying.Errorf(huying.ENOTFOUND, "诉求不存在")
		}
		return a.Masked(), nil
	}
}

// List returns the appeals the actor may see that match f, contacts masked.
func (s *Service) List(ctx context.Context, actor huying.Actor, f huying.AppealFilter) ([]*huying.Appeal, int, error) {
	u := actor.User
	if u == nil {
		return nil, 0, huying.Errorf(huying.EUNAUTHORIZED, "请先登录")
	}
	if err := actor.RequireScope(huying.ScopeRead); err != nil {
		return nil, 0, err
	}
	switch {
	case actor.IsChannel() || !actor.IsStaff():
		f.CreatedBy = u.ID
	case u.HasAny(huying.RoleDispatcher, huying.RoleSupervisor):
	case u.HasAny(huying.RoleIntake, huying.RoleLeader, huying.RoleAdmin):
		f.HideConfidential, f.CreatedBy = true, u.ID
	case u.Has(huying.RoleReporter):
		// A community's reporter follows what they filed and what is
		// placed in their community; one who also handles, their unit's orders.
		f.Reach = &huying.AppealReach{CreatedBy: u.ID, Community: u.UnitID}
		if u.Has(huying.RoleHandler) {
			f.Reach.UnitID = u.UnitID
		}
	case u.Has(huying.RoleHandler):
		f.UnitID = u.UnitID
	default:
		f.CreatedBy = u.ID
	}
	list, total, err := s.Store.Appeals(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for i, a := range list {
		list[i] = a.Masked()
	}
	return list, total, nil
}

// Contact is a resident's unmasked contact.
type Contact struct {
	Name  string `json:"contact_name"`
	Phone string `json:"contact_phone"`
}

// Contact returns the unmasked contact of an appeal to the roles that need
// it, and records the read as an event. Returns ENOTFOUND or EFORBIDDEN.
func (s *Service) Contact(ctx context.Context, actor huying.Actor, id int64) (*Contact, error) {
	var c *Contact
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		a, err := s.LockVisible(tx, actor, id)
		if err != nil {
			return err
		}
		if !canUnmask(actor, a) {
			return huying.Errorf(huying.EFORBIDDEN, "您的角色不能查看诉求人的完整联系方式")
		}
		c = &Contact{Name: a.ContactName, Phone: a.ContactPhone}
		return tx.AppendEvent(huying.NewEvent(a, actor, huying.EventContactViewed, a.Status, a.Status, "查看了诉求人联系方式", nil, s.now()))
	})
	return c, err
}

// TimelineEvent is an event as staff read it: who acted is named as
// people know them — a staff member by name, 诉求人 for any resident, the
// channel, or 系统 — never by login id or phone.
type TimelineEvent struct {
	*huying.Event
	Actor string `json:"actor"`
	// ActorKind is system, staff, resident or channel.
	ActorKind string `json:"actor_kind"`
}

// Events returns the full timeline of an appeal the actor may see. A
// resident gets the resident-safe timeline from MyTrack instead.
func (s *Service) Events(ctx context.Context, actor huying.Actor, id int64) ([]*TimelineEvent, error) {
	if actor.IsResident() || actor.IsChannel() {
		return nil, huying.Errorf(huying.EFORBIDDEN, "请通过办理进度接口查看诉求进展")
	}
	if _, err := s.Get(ctx, actor, id); err != nil {
		return nil, err
	}
	events, err := s.Store.AppealEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	users := map[int64]*huying.User{}
	list := make([]*TimelineEvent, len(events))
	for i, e := range events {
		te := &TimelineEvent{Event: e, Actor: "系统", ActorKind: "system"}
		switch u, seen := users[e.ActorID]; {
		case e.ActorID != 0 && !seen:
			if u, err = s.Store.User(ctx, e.ActorID); err != nil && huying.ErrorCode(err) != huying.ENOTFOUND {
				return nil, err
			}
			users[e.ActorID] = u
			fallthrough
		case e.ActorID != 0:
			te.Actor, te.ActorKind = actorName(users[e.ActorID])
		case e.Actor == "resident" || strings.HasPrefix(e.Actor, "resident-"):
			te.Actor, te.ActorKind = "诉求人", "resident"
		case strings.HasPrefix(e.Actor, "channel:"):
			te.Actor, te.ActorKind = "渠道："+strings.TrimPrefix(e.Actor, "channel:"), "channel"
		}
		list[i] = te
	}
	return list, nil
}

// actorName is how a timeline names a user, and the user's kind.
func actorName(u *huying.User) (name, kind string) {
	switch {
	case u == nil:
		return "已删除的用户", "staff"
	case u.Kind == huying.UserResident:
		return "诉求人", "resident"
	case u.Kind == huying.UserChannel:
		return u.Name, "channel"
	}
	return u.Name, "staff"
}

// CountByStatus returns the number of appeals per status to the roles that
// watch the whole district.
func (s *Service) CountByStatus(ctx context.Context, actor huying.Actor) (map[huying.Status]int, error) {
	if !actor.User.HasAny(huying.RoleLeader, huying.RoleSupervisor, huying.RoleDispatcher, huying.RoleAdmin) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看统计的权限")
	}
	return s.Store.CountByStatus(ctx)
}

// Stats returns the figures of appeals received in [from, to) to the roles
// that watch the whole district.
func (s *Service) Stats(ctx context.Context, actor huying.Actor, from, to time.Time) (*huying.Stats, error) {
	if !actor.User.HasAny(huying.RoleLeader, huying.RoleSupervisor, huying.RoleDispatcher, huying.RoleAdmin) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看统计的权限")
	}
	return s.Store.Stats(ctx, from, to)
}

// Audit runs the full audit (chains and their heads, appeal rows against
// their events, the newest signed checkpoint with AuditKey) for supervisors
// and admins.
func (s *Service) Audit(ctx context.Context, actor huying.Actor) (*audit.Report, error) {
	if !actor.User.HasAny(huying.RoleSupervisor, huying.RoleAdmin) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有督办员和管理员可以校验审计链")
	}
	return audit.Verify(ctx, s.Store, audit.Options{Key: s.AuditKey})
}
