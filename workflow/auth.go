package workflow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"huying"
)

// SessionTTL is how long a console login lasts.
const SessionTTL = 12 * time.Hour

// HashToken returns the stored form of a session or API token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func newToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Login checks a username and password and returns a new session token.
// Returns EUNAUTHORIZED with one message for both a wrong name and a wrong
// password.
func (s *Service) Login(ctx context.Context, username, password string) (string, *huying.User, error) {
	u, err := s.Store.UserByUsername(ctx, strings.TrimSpace(username))
	if err != nil || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		if err != nil && huying.ErrorCode(err) != huying.ENOTFOUND {
			return "", nil, err
		}
		return "", nil, huying.Errorf(huying.EUNAUTHORIZED, "用户名或密码错误")
	}
	token := newToken("hys_")
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		return tx.CreateSession(HashToken(token), huying.Session{UserID: u.ID, ExpiresAt: s.now().Add(SessionTTL)})
	})
	if err != nil {
		return "", nil, err
	}
	return token, u, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.Store.Update(ctx, func(tx huying.Tx) error { return tx.DeleteSession(HashToken(token)) })
}

// Authenticate returns the actor of a session token. Returns EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, token string) (huying.Actor, error) {
	sess, err := s.Store.SessionByHash(ctx, HashToken(token))
	if err != nil || !s.now().Before(sess.ExpiresAt) {
		return huying.Actor{}, failedOr(err, huying.Errorf(huying.EUNAUTHORIZED, "登录已过期，请重新登录"))
	}
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		return huying.Actor{}, failedOr(err, huying.Errorf(huying.EUNAUTHORIZED, "登录已过期，请重新登录"))
	}
	return huying.Actor{User: u}, nil
}

// tokenTTL is how long a verified API token is trusted without reading
// the database again: channels send many requests a second, and the two
// reads were an eighth of the intake path.
const tokenTTL = 30 * time.Second

type cachedToken struct {
	actor   huying.Actor
	expires time.Time
}

// AuthenticateToken returns the actor of a bearer API token: its service
// user, acting for its channel. Returns EUNAUTHORIZED.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (huying.Actor, error) {
	hash := HashToken(token)
	now := s.now()
	if v, ok := s.tokens.Load(hash); ok && now.Before(v.(cachedToken).expires) {
		return v.(cachedToken).actor, nil
	}
	tk, err := s.Store.TokenByHash(ctx, hash)
	if err != nil {
		return huying.Actor{}, failedOr(err, huying.Errorf(huying.EUNAUTHORIZED, "接口令牌无效"))
	}
	u, err := s.Store.User(ctx, tk.UserID)
	if err != nil {
		return huying.Actor{}, failedOr(err, huying.Errorf(huying.EUNAUTHORIZED, "接口令牌无效"))
	}
	actor := huying.Actor{User: u, Channel: tk.Channel}
	s.tokens.Store(hash, cachedToken{actor: actor, expires: now.Add(tokenTTL)})
	return actor, nil
}

// NewUser is the input of CreateUser.
type NewUser struct {
	Username string        `json:"username"`
	Name     string        `json:"name"`
	Password string        `json:"password"`
	UnitID   string        `json:"unit_id"`
	Roles    []huying.Role `json:"roles"`
	// Phone receives the notices for the user's unit or role (optional).
	Phone string `json:"phone"`
}

var usernameRe = regexp.MustCompile(`^[a-z0-9_.-]{3,40}$`)

// CreateUser adds a user. Only admins may, except for the system actor
// (no user) used by the command line. Returns EINVALID or ECONFLICT.
func (s *Service) CreateUser(ctx context.Context, actor huying.Actor, in NewUser) (*huying.User, error) {
	if actor.User != nil && !actor.User.Has(huying.RoleAdmin) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有管理员可以添加用户")
	}
	in.Username, in.Name = strings.TrimSpace(in.Username), strings.TrimSpace(in.Name)
	switch {
	case !usernameRe.MatchString(in.Username):
		return nil, huying.FieldErrorf("username", "用户名须为 3 到 40 位小写字母、数字或 _ . -")
	case in.Name == "" || utf8.RuneCountInString(in.Name) > huying.MaxNameRunes:
		return nil, huying.FieldErrorf("name", "请填写姓名（不超过 %d 个字）", huying.MaxNameRunes)
	case utf8.RuneCountInString(in.Password) < 8:
		return nil, huying.FieldErrorf("password", "密码至少 8 位")
	case in.Phone != "" && !huying.ValidPhone(in.Phone):
		return nil, huying.FieldErrorf("phone", "手机号格式不正确")
	case len(in.Roles) == 0:
		return nil, huying.FieldErrorf("roles", "请至少选择一个角色")
	}
	for _, r := range in.Roles {
		if !r.Valid() {
			return nil, huying.FieldErrorf("roles", "未知的角色 %q", r)
		}
	}
	if _, err := s.Store.Unit(ctx, in.UnitID); err != nil {
		return nil, huying.FieldErrorf("unit_id", "单位 %q 不存在", in.UnitID)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), max(s.PasswordCost, bcrypt.MinCost))
	if err != nil {
		return nil, err
	}
	u := &huying.User{Username: in.Username, Name: in.Name, UnitID: in.UnitID, Roles: in.Roles, Phone: in.Phone, PasswordHash: string(hash), CreatedAt: s.now()}
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.CreateUser(u); err != nil {
			if huying.ErrorCode(err) == huying.ECONFLICT {
				return huying.FieldErrorf("username", "用户名 %s 已存在", u.Username)
			}
			return err
		}
		return tx.AppendEvent(adminEvent(actor, "user_created", map[string]any{"username": u.Username, "unit": u.UnitID, "roles": u.Roles}, s.now()))
	})
	if err != nil {
		return nil, err
	}
	s.users.reset()
	return u, nil
}

// CreateUnit adds a unit to the tree. Admins only (or the system actor).
func (s *Service) CreateUnit(ctx context.Context, actor huying.Actor, u huying.Unit) error {
	if actor.User != nil && !actor.User.Has(huying.RoleAdmin) {
		return huying.Errorf(huying.EFORBIDDEN, "只有管理员可以添加单位")
	}
	switch {
	case !usernameRe.MatchString(u.ID):
		return huying.FieldErrorf("id", "单位编码须为 3 到 40 位小写字母、数字或 _ . -")
	case strings.TrimSpace(u.Name) == "":
		return huying.FieldErrorf("name", "请填写单位名称")
	case !u.Kind.Valid():
		return huying.FieldErrorf("kind", "单位类型必须是 centre、street、community、department 或 enterprise")
	}
	if u.ParentID != "" {
		if _, err := s.Store.Unit(ctx, u.ParentID); err != nil {
			return huying.FieldErrorf("parent_id", "上级单位 %q 不存在", u.ParentID)
		}
	}
	return s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.CreateUnit(&u); err != nil {
			return err
		}
		return tx.AppendEvent(adminEvent(actor, "unit_created", map[string]any{"id": u.ID, "name": u.Name, "kind": u.Kind}, s.now()))
	})
}

// CreateToken issues an API token for a channel, acting as user userID.
// The plain token is returned once; only its hash is stored.
func (s *Service) CreateToken(ctx context.Context, actor huying.Actor, name, channel string, userID int64) (string, *huying.APIToken, error) {
	if actor.User != nil && !actor.User.Has(huying.RoleAdmin) {
		return "", nil, huying.Errorf(huying.EFORBIDDEN, "只有管理员可以签发接口令牌")
	}
	if strings.TrimSpace(name) == "" || strings.TrimSpace(channel) == "" {
		return "", nil, huying.FieldErrorf("channel", "请填写令牌名称和渠道")
	}
	if _, err := s.Store.User(ctx, userID); err != nil {
		return "", nil, huying.FieldErrorf("user_id", "用户不存在")
	}
	token := newToken("hyt_")
	tk := &huying.APIToken{Name: name, Channel: channel, UserID: userID, CreatedAt: s.now()}
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.CreateToken(tk, HashToken(token)); err != nil {
			return err
		}
		return tx.AppendEvent(adminEvent(actor, "token_created", map[string]any{"name": name, "channel": channel, "user_id": userID}, s.now()))
	})
	if err != nil {
		return "", nil, err
	}
	return token, tk, nil
}

func adminEvent(actor huying.Actor, kind string, data map[string]any, at time.Time) *huying.Event {
	e := event(&huying.Appeal{}, actor, kind, "", "", "", data, at)
	e.Chain, e.AppealID = huying.ChainAdmin, 0
	return e
}
