package workflow

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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
	// OnAir is the broadcast date, the official and the answer, once the
	// centre recorded them.
	OnAir *huying.OnAir `json:"on_air,omitempty"`
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
		out = append(out, OnAir{Code: a.Code, Title: a.Title, Status: string(a.Status), StatusName: a.Status.Name(), ReceivedAt: a.ReceivedAt, OnAir: a.OnAir})
	}
	return out, nil
}

// OnAirInput is what the centre records of a 《民心桥》 broadcast.
type OnAirInput struct {
	// Version, when non-zero, is the version the caller last saw.
	Version int `json:"version"`
	huying.OnAir
}

// SetOnAir records on an appeal of a radio channel (《民心桥》) the date of
// the broadcast, the official who answered on air and the answer, as an
// on_air event; a second call corrects them. Only the centre's dispatchers
// and intake agents may. Returns EFORBIDDEN, EINVALID, ENOTFOUND or
// ECONFLICT (stale version, an appeal from another channel).
func (s *Service) SetOnAir(ctx context.Context, actor huying.Actor, id int64, in OnAirInput) (*huying.Appeal, error) {
	if !actor.IsStaff() || !actor.User.HasAny(huying.RoleDispatcher, huying.RoleIntake) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有分拨中心的受理员和派单员可以登记节目答复")
	}
	in.BroadcastDate = strings.TrimSpace(in.BroadcastDate)
	in.Official = strings.TrimSpace(in.Official)
	in.Answer = strings.TrimSpace(in.Answer)
	day, err := time.ParseInLocation(time.DateOnly, in.BroadcastDate, s.Calendar.Location())
	switch {
	case err != nil:
		return nil, huying.FieldErrorf("broadcast_date", "播出日期须为 YYYY-MM-DD 格式的日期")
	case day.After(s.now()):
		return nil, huying.FieldErrorf("broadcast_date", "播出日期不能晚于今天")
	case in.Official == "":
		return nil, huying.FieldErrorf("official", "请填写现场答复的领导或部门负责人")
	case utf8.RuneCountInString(in.Official) > huying.MaxOfficialRunes:
		return nil, huying.FieldErrorf("official", "答复人不能超过 %d 个字", huying.MaxOfficialRunes)
	case in.Answer == "":
		return nil, huying.FieldErrorf("answer", "请填写节目中的答复内容")
	case utf8.RuneCountInString(in.Answer) > huying.MaxReasonRunes:
		return nil, huying.FieldErrorf("answer", "答复内容不能超过 %d 个字", huying.MaxReasonRunes)
	}
	// The registry is read before the transaction: an appeal's channel is
	// fixed at intake, and only its kind is looked up here.
	radio := map[string]bool{}
	for _, c := range s.channels(ctx) {
		radio[c.Name] = c.Kind == huying.ChannelRadio
	}
	var out *huying.Appeal
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		a, err := s.LockVisible(tx, actor, id)
		if err != nil {
			return err
		}
		if in.Version != 0 && in.Version != a.Version {
			return huying.Errorf(huying.ECONFLICT, "诉求已被他人更新（当前版本 %d），请刷新后重试", a.Version)
		}
		if !radio[a.Channel] {
			return huying.Errorf(huying.ECONFLICT, "诉求来自「%s」，只有广播节目（民心桥）渠道的诉求可以登记节目答复", a.Channel)
		}
		onAir := in.OnAir
		version, now := a.Version, s.now()
		a.OnAir, a.UpdatedAt = &onAir, now
		if err := tx.UpdateAppeal(a, version); err != nil {
			return err
		}
		out = a
		return s.record(tx, a, huying.NewEvent(a, actor, huying.EventOnAir, a.Status, a.Status,
			in.Official+"在节目中答复："+in.Answer, map[string]any{"broadcast_date": in.BroadcastDate, "official": in.Official}, now))
	})
	if err != nil {
		return nil, err
	}
	return out.Masked(), nil
}
