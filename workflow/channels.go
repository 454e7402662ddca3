package workflow

import (
	"context"
	"slices"
	"strings"
	"time"

	"huying"
)

// channels returns the registry, briefly cached.
func (s *Service) channels(ctx context.Context) []*huying.Channel {
	// On a read error the last known registry serves (these reads are outside
	// any transaction and only decide rates and labels).
	list, _ := s.chans.get(s.now(), func() ([]*huying.Channel, error) { return s.Store.Channels(ctx) })
	return list
}

func (s *Service) channel(ctx context.Context, name string) *huying.Channel {
	for _, c := range s.channels(ctx) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ChannelRate is the agreed requests per minute of a channel's tokens (0: no limit).
func (s *Service) ChannelRate(ctx context.Context, name string) int {
	if c := s.channel(ctx, name); c != nil {
		return c.RatePerMinute
	}
	return 0
}

// Channels lists the registry to staff.
func (s *Service) Channels(ctx context.Context, actor huying.Actor) ([]*huying.Channel, error) {
	if !actor.IsStaff() {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看受理渠道的权限")
	}
	return s.Store.Channels(ctx)
}

// SaveChannel adds or changes a channel. Admins only (or the system actor).
func (s *Service) SaveChannel(ctx context.Context, actor huying.Actor, c huying.Channel) error {
	if actor.User != nil && !actor.User.Has(huying.RoleAdmin) {
		return huying.Errorf(huying.EFORBIDDEN, "只有管理员可以管理受理渠道")
	}
	c.Name = strings.TrimSpace(c.Name)
	switch {
	case c.Name == "" || len([]rune(c.Name)) > 30:
		return huying.FieldErrorf("name", "请填写渠道名称（不超过 30 字）")
	case !slices.Contains(huying.ChannelKinds, c.Kind):
		return huying.FieldErrorf("kind", "渠道类型必须是 %s 之一", strings.Join(huying.ChannelKinds, "、"))
	case c.RatePerMinute < 0:
		return huying.FieldErrorf("rate_per_minute", "每分钟请求上限不能为负数（0 表示不限）")
	case c.DefaultType != "" && !slices.Contains(huying.AppealTypes, huying.AppealType(c.DefaultType)):
		return huying.FieldErrorf("default_type", "默认诉求类型必须是咨询、求助、投诉、举报或建议")
	case c.DefaultUrgency != "" && c.DefaultUrgency != string(huying.UrgencyNormal) && c.DefaultUrgency != string(huying.UrgencyUrgent):
		return huying.FieldErrorf("default_urgency", "默认紧急程度必须是一般或紧急")
	}
	c.CreatedAt = s.now()
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.PutChannel(&c); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "channel_saved", map[string]any{"name": c.Name, "kind": c.Kind,
			"rate_per_minute": c.RatePerMinute, "publish": c.Publish}, c.CreatedAt))
	})
	if err == nil {
		s.chans.reset()
	}
	return err
}

// applyChannel checks the intake's channel is registered and fills the
// channel's default type and urgency.
func (s *Service) applyChannel(ctx context.Context, in *huying.Intake) error {
	name := strings.TrimSpace(in.Channel)
	if name == "" {
		return huying.FieldErrorf("channel", "请选择受理渠道")
	}
	c := s.channel(ctx, name)
	if c == nil {
		return huying.FieldErrorf("channel", "未登记的受理渠道「%s」，请先在渠道管理中登记", name)
	}
	in.Channel = name
	if in.Type == "" {
		in.Type = huying.AppealType(c.DefaultType)
	}
	if in.Urgency == "" {
		in.Urgency = huying.Urgency(c.DefaultUrgency)
	}
	return nil
}

// ChannelStats returns each channel's volume, share and duplicates to the
// roles that watch the district.
func (s *Service) ChannelStats(ctx context.Context, actor huying.Actor) ([]huying.ChannelStat, error) {
	if !actor.User.HasAny(huying.RoleLeader, huying.RoleSupervisor, huying.RoleDispatcher, huying.RoleAdmin) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看渠道统计的权限")
	}
	return s.Store.ChannelStats(ctx)
}

// ReporterPoints tallies the reports of grid workers and party members
// (网格上报, 党员随手拍) with their points; a reporter sees their own line,
// the district's watchers everyone's.
func (s *Service) ReporterPoints(ctx context.Context, actor huying.Actor) ([]huying.ReporterStat, error) {
	if !actor.IsStaff() {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看积分的权限")
	}
	var names []string
	for _, c := range s.channels(ctx) {
		if c.Kind == huying.ChannelGrid || c.Kind == huying.ChannelParty {
			names = append(names, c.Name)
		}
	}
	list, err := s.Store.ReporterStats(ctx, names)
	if err != nil {
		return nil, err
	}
	if actor.User.HasAny(huying.RoleLeader, huying.RoleSupervisor, huying.RoleDispatcher, huying.RoleAdmin) {
		return list, nil
	}
	mine := []huying.ReporterStat{}
	for _, r := range list {
		if r.UserID == actor.User.ID {
			mine = append(mine, r)
		}
	}
	return mine, nil
}

// OnAir is one appeal of a published channel's list (《民心桥》).
type OnAir struct {
	Code       string    `json:"code"`
	Title      string    `json:"title"`
	Status     string    `json:"status"`
	StatusName string    `json:"status_name"`
	ReceivedAt time.Time `json:"received_at"`
}

// PublishedAppeals lists the newest appeals of a channel marked Publish,
// with resident-safe fields only; confidential appeals are left out.
func (s *Service) PublishedAppeals(ctx context.Context, name string, limit int) ([]OnAir, error) {
	c := s.channel(ctx, name)
	if c == nil || !c.Publish {
		return nil, huying.Errorf(huying.ENOTFOUND, "该渠道没有公开的诉求清单")
	}
	// HideConfidential exempts the creator; -1 is no user, so every
	// confidential appeal is left out.
	list, _, err := s.Store.Appeals(ctx, huying.AppealFilter{Channel: name, Limit: limit, HideConfidential: true, CreatedBy: -1})
	if err != nil {
		return nil, err
	}
	out := []OnAir{}
	for _, a := range list {
		out = append(out, OnAir{Code: a.Code, Title: a.Title, Status: string(a.Status), StatusName: a.Status.Name(), ReceivedAt: a.ReceivedAt})
	}
	return out, nil
}
