package workflow

import (
	"context"
	"net"
	"net/netip"
	"net/url"
	"time"

	"huying"
)

// CreateWebhook subscribes url to appeal events, signed with secret
// (HMAC-SHA256). Admins only. A target on loopback or a private range is
// refused unless AllowPrivateWebhooks (the delivery checks again, against
// DNS rebinding).
func (s *Service) CreateWebhook(ctx context.Context, actor huying.Actor, target, secret string) (*huying.Webhook, error) {
	if err := actor.RequireAdmin("添加事件订阅"); err != nil {
		return nil, err
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, huying.FieldErrorf("url", "订阅地址须为以 http:// 或 https:// 开头的完整网址")
	}
	if len(secret) < 16 {
		return nil, huying.FieldErrorf("secret", "签名密钥至少 16 个字符")
	}
	if !s.AllowPrivateWebhooks {
		if err := publicHost(ctx, u.Hostname()); err != nil {
			return nil, err
		}
	}
	w := &huying.Webhook{URL: target, Secret: secret, CreatedAt: s.now()}
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.CreateWebhook(w); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "webhook_created", map[string]any{"id": w.ID, "url": target}, s.now()))
	})
	if err != nil {
		return nil, err
	}
	s.hooks.reset() // take the new subscriber at once
	return w, nil
}

// publicHost refuses a host that is, or resolves to, a private address.
func publicHost(ctx context.Context, host string) error {
	refused := huying.FieldErrorf("url", "不能订阅本机或内网地址（%s）；确需如此请以 --allow-private-webhooks 启动", host)
	if a, err := netip.ParseAddr(host); err == nil {
		if huying.PrivateAddr(a) {
			return refused
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return huying.FieldErrorf("url", "无法解析订阅地址的主机名 %s", host)
	}
	for _, a := range addrs {
		if huying.PrivateAddr(a) {
			return refused
		}
	}
	return nil
}

// Webhooks lists the subscribers (never their secrets) to admins.
func (s *Service) Webhooks(ctx context.Context, actor huying.Actor) ([]*huying.Webhook, error) {
	if actor.User == nil || !actor.User.Has(huying.RoleAdmin) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有管理员可以查看事件订阅")
	}
	return s.Store.Webhooks(ctx)
}

// SetWebhookDisabled disables or (re-)enables a subscriber, a suspended
// one too. Admins only. Returns ENOTFOUND.
func (s *Service) SetWebhookDisabled(ctx context.Context, actor huying.Actor, id int64, disabled bool) error {
	if err := actor.RequireAdmin("管理事件订阅"); err != nil {
		return err
	}
	now := s.now()
	kind, at, reason := "webhook_enabled", (*time.Time)(nil), ""
	if disabled {
		kind, at, reason = "webhook_disabled", &now, huying.WebhookDisabledByAdmin
	}
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.SetWebhookDisabled(id, at, reason); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, kind, map[string]any{"id": id}, now))
	})
	s.hooks.reset()
	return err
}

// DeleteWebhook removes a subscriber. Admins only. Returns ENOTFOUND.
func (s *Service) DeleteWebhook(ctx context.Context, actor huying.Actor, id int64) error {
	if err := actor.RequireAdmin("删除事件订阅"); err != nil {
		return err
	}
	now := s.now()
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.DeleteWebhook(id); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "webhook_deleted", map[string]any{"id": id}, now))
	})
	s.hooks.reset()
	return err
}
