package identity

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huying"
)

// DefaultTokenRate is the requests per minute a token may make when its
// channel has no agreed rate.
const DefaultTokenRate = 600

// tokenTouchEvery is how often a token's last use is written: at most once
// a minute, so that a busy channel does not write a row per request.
const tokenTouchEvery = time.Minute

// NewToken is the input of CreateToken.
type NewToken struct {
	Name    string         `json:"name"`
	Channel string         `json:"channel"`
	Scopes  []huying.Scope `json:"scopes"`
	// ExpiresAt is when the token stops working (optional).
	ExpiresAt *time.Time `json:"expires_at"`
}

// channelUsername is the login name of a channel's principal: the colon
// keeps it out of the staff names' alphabet.
func channelUsername(channel string) string { return "channel:" + channel }

// CreateToken issues an API token for a channel. The token acts as the
// channel's own principal (made on first use), never as a staff user, and
// may do only what its scopes allow (intake and read-back by default). The
// plain token is returned once; only its hash is stored. Admins only (or
// the system actor). Returns EINVALID or EFORBIDDEN.
func (s *Service) CreateToken(ctx context.Context, actor huying.Actor, in NewToken) (string, *huying.APIToken, error) {
	if err := actor.RequireAdmin("签发接口令牌"); err != nil {
		return "", nil, err
	}
	in.Name, in.Channel = strings.TrimSpace(in.Name), strings.TrimSpace(in.Channel)
	now := s.now()
	switch {
	case in.Name == "" || utf8.RuneCountInString(in.Name) > huying.MaxNameRunes:
		return "", nil, huying.FieldErrorf("name", "请填写令牌名称（不超过 %d 个字）", huying.MaxNameRunes)
	case in.Channel == "":
		return "", nil, huying.FieldErrorf("channel", "请选择令牌所属的受理渠道")
	case !slices.Contains(huying.Channels, in.Channel) && !s.registered(ctx, in.Channel):
		return "", nil, huying.FieldErrorf("channel", "受理渠道「%s」未登记，请先在渠道管理中添加", in.Channel)
	case in.ExpiresAt != nil && !in.ExpiresAt.After(now):
		return "", nil, huying.FieldErrorf("expires_at", "有效期须晚于当前时间")
	}
	if len(in.Scopes) == 0 {
		in.Scopes = []huying.Scope{huying.ScopeIntake, huying.ScopeRead}
	}
	for _, sc := range in.Scopes {
		if !sc.Valid() {
			return "", nil, huying.FieldErrorf("scopes", "未知的令牌权限 %q（可选 intake、read、open311）", sc)
		}
	}
	slices.Sort(in.Scopes)
	in.Scopes = slices.Compact(in.Scopes)
	principal, err := s.Store.UserByUsername(ctx, channelUsername(in.Channel))
	if err != nil && huying.ErrorCode(err) != huying.ENOTFOUND {
		return "", nil, err
	}
	token := huying.NewToken("hyt_")
	tk := &huying.APIToken{Name: in.Name, Channel: in.Channel, Prefix: token[:12], Scopes: in.Scopes, CreatedAt: now, ExpiresAt: in.ExpiresAt}
	if actor.User != nil {
		tk.CreatedBy = actor.User.ID
	}
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		if principal == nil {
			centre, err := centreID(tx)
			if err != nil {
				return err
			}
			principal = &huying.User{Kind: huying.UserChannel, Username: channelUsername(in.Channel), Name: "渠道：" + in.Channel,
				UnitID: centre, Roles: []huying.Role{}, PasswordHash: "!", CreatedAt: now}
			if err := tx.CreateUser(principal); err != nil {
				return err
			}
		}
		tk.UserID = principal.ID
		if err := tx.CreateToken(tk, huying.HashToken(token)); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "token_created", map[string]any{"id": tk.ID, "name": tk.Name, "channel": tk.Channel,
			"prefix": tk.Prefix, "scopes": tk.Scopes}, now))
	})
	if err != nil {
		return "", nil, err
	}
	return token, tk, nil
}

// Tokens lists every API token (never the tokens themselves) to admins.
func (s *Service) Tokens(ctx context.Context, actor huying.Actor) ([]*huying.APIToken, error) {
	if actor.User == nil || !actor.User.Has(huying.RoleAdmin) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有管理员可以查看接口令牌")
	}
	return s.Store.Tokens(ctx)
}

// RevokeToken revokes (吊销) a token: the next request with it is refused,
// on every node (tokens are read on every request). Admins only (or the
// system actor). Returns ENOTFOUND or ECONFLICT.
func (s *Service) RevokeToken(ctx context.Context, actor huying.Actor, id int64) error {
	if err := actor.RequireAdmin("吊销接口令牌"); err != nil {
		return err
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.RevokeToken(id, now); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "token_revoked", map[string]any{"id": id}, now))
	})
}

// AuthenticateToken returns the actor of a bearer API token: its channel's
// principal, with the token's scopes. The token is read on every request,
// so that a revocation counts at once, and counted against its rate
// whatever the transport. Returns EUNAUTHORIZED, ETOOMANY, or the store's
// error when it cannot answer.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (huying.Actor, error) {
	invalid := huying.Errorf(huying.EUNAUTHORIZED, "接口令牌无效")
	tk, err := s.Store.TokenByHash(ctx, huying.HashToken(token))
	if err != nil {
		return huying.Actor{}, huying.OrIfNotFound(err, invalid)
	}
	now := s.now()
	if !tk.Live(now) {
		return huying.Actor{}, huying.Errorf(huying.EUNAUTHORIZED, "接口令牌已吊销或已过期")
	}
	p, err := s.principal(ctx, tk.UserID)
	if err != nil {
		return huying.Actor{}, huying.OrIfNotFound(err, invalid)
	}
	if p.Kind != huying.UserChannel {
		return huying.Actor{}, invalid
	}
	if err := s.allowToken(s.TokenRate(ctx, tk), tk); err != nil {
		return huying.Actor{}, err
	}
	if tk.LastUsedAt == nil || now.Sub(*tk.LastUsedAt) >= tokenTouchEvery {
		// Best effort: a failed write of the last use must not refuse the request.
		_ = s.Store.Update(ctx, func(tx huying.Tx) error { return tx.TouchToken(tk.ID, now) })
	}
	return huying.Actor{User: p, Channel: tk.Channel, Token: tk}, nil
}

// principal returns a channel's principal; they never change once made,
// so they are kept after the first read.
func (s *Service) principal(ctx context.Context, id int64) (*huying.User, error) {
	if u, ok := s.principals.Load(id); ok {
		return u.(*huying.User), nil
	}
	u, err := s.Store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Kind == huying.UserChannel {
		s.principals.Store(id, u)
	}
	return u, nil
}

// TokenRate is the requests per minute a token may make: its channel's
// agreed rate, or DefaultTokenRate.
func (s *Service) TokenRate(ctx context.Context, tk *huying.APIToken) int {
	if s.ChannelRate == nil {
		return DefaultTokenRate
	}
	if r := s.ChannelRate(ctx, tk.Channel); r > 0 {
		return r
	}
	return DefaultTokenRate
}

// registered reports whether name is in the channel registry.
func (s *Service) registered(ctx context.Context, name string) bool {
	list, err := s.Store.Channels(ctx)
	return err == nil && slices.ContainsFunc(list, func(c *huying.Channel) bool { return c.Name == name })
}
