package identity

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"huying"
)

// MinPasswordRunes is the shortest password accepted.
const MinPasswordRunes = 10

// commonPasswords are refused whatever their length: the demo password and
// the ones a guesser tries first.
var commonPasswords = []string{
	"huying2026", "1234567890", "0123456789", "12345678910", "123456789a", "a123456789", "1qaz2wsx3edc",
	"qwertyuiop", "1q2w3e4r5t", "password123", "password1234", "passw0rd123", "admin12345", "admin123456",
	"administrator", "qwerty12345", "abc1234567", "abcd123456", "iloveyou12", "woaini1314", "woaini520",
	"11111111111", "0000000000", "1111111111", "88888888888", "6666666666", "aaaaaaaaaa", "zxcvbnm123",
	"asdfghjkl1", "huying12345", "12345admin", "p@ssw0rd123", "changeme123",
}

// CheckPassword applies the password rules: at least MinPasswordRunes
// characters, not the login name, not a common password. Returns EINVALID
// on field "password".
func CheckPassword(username, password string) error {
	lower := strings.ToLower(password)
	switch {
	case utf8.RuneCountInString(password) < MinPasswordRunes:
		return huying.FieldErrorf("password", "密码至少 %d 位", MinPasswordRunes)
	case username != "" && strings.Contains(lower, strings.ToLower(username)):
		return huying.FieldErrorf("password", "密码不能包含登录名")
	case slices.Contains(commonPasswords, lower) || strings.Count(lower, lower[:1]) == len(lower):
		return huying.FieldErrorf("password", "密码过于常见，请换一个更难猜的密码")
	}
	return nil
}

func (s *Service) hashPassword(password string) (string, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), max(s.PasswordCost, bcrypt.MinCost))
	return string(hash), err
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
	// DemoPassword lets the system actor seed the demo's well-known
	// password past the rules (serve refuses to run with it outside --demo).
	DemoPassword bool `json:"-"`
}

var usernameRe = regexp.MustCompile(`^[a-z0-9_.-]{3,40}$`)

// validRoles checks the roles an admin gives: residents are principals of
// their own kind, never a staff role.
func validRoles(roles []huying.Role) error {
	if len(roles) == 0 {
		return huying.FieldErrorf("roles", "请至少选择一个角色")
	}
	for _, r := range roles {
		if !r.Valid() || r == huying.RoleResident {
			return huying.FieldErrorf("roles", "未知的角色 %q", r)
		}
	}
	return nil
}

// CreateUser adds a staff user. Only admins may, except for the system
// actor (no user) used by the command line. Returns EINVALID or ECONFLICT.
func (s *Service) CreateUser(ctx context.Context, actor huying.Actor, in NewUser) (*huying.User, error) {
	if err := actor.RequireAdmin("添加用户"); err != nil {
		return nil, err
	}
	in.Username, in.Name = strings.TrimSpace(in.Username), strings.TrimSpace(in.Name)
	if !usernameRe.MatchString(in.Username) {
		return nil, huying.FieldErrorf("username", "用户名须为 3 到 40 位小写字母、数字或 _ . -")
	}
	if strings.HasPrefix(in.Username, residentUsername) {
		return nil, huying.FieldErrorf("username", "以 %s 开头的用户名留给诉求人账号", residentUsername)
	}
	if err := s.checkProfile(ctx, in.Name, in.UnitID, in.Roles, in.Phone); err != nil {
		return nil, err
	}
	if !(in.DemoPassword && actor.User == nil) {
		if err := CheckPassword(in.Username, in.Password); err != nil {
			return nil, err
		}
	}
	hash, err := s.hashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u := &huying.User{Kind: huying.UserStaff, Username: in.Username, Name: in.Name, UnitID: in.UnitID, Roles: in.Roles,
		Phone: in.Phone, PasswordHash: hash, CreatedAt: s.now()}
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		if err := tx.CreateUser(u); err != nil {
			if huying.ErrorCode(err) == huying.ECONFLICT {
				return huying.FieldErrorf("username", "用户名 %s 已存在", u.Username)
			}
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "user_created", map[string]any{"username": u.Username, "unit": u.UnitID, "roles": u.Roles}, s.now()))
	})
	if err != nil {
		return nil, err
	}
	s.usersChanged()
	return u, nil
}

func (s *Service) checkProfile(ctx context.Context, name, unitID string, roles []huying.Role, phone string) error {
	switch {
	case name == "" || utf8.RuneCountInString(name) > huying.MaxNameRunes:
		return huying.FieldErrorf("name", "请填写姓名（不超过 %d 个字）", huying.MaxNameRunes)
	case phone != "" && !huying.ValidPhone(phone):
		return huying.FieldErrorf("phone", "手机号格式不正确")
	}
	if err := validRoles(roles); err != nil {
		return err
	}
	if _, err := s.Store.Unit(ctx, unitID); err != nil {
		return huying.OrIfNotFound(err, huying.FieldErrorf("unit_id", "单位 %q 不存在", unitID))
	}
	return nil
}

// UserChange is the input of UpdateUser: the fields to change (nil keeps).
type UserChange struct {
	Name   *string        `json:"name"`
	UnitID *string        `json:"unit_id"`
	Roles  *[]huying.Role `json:"roles"`
	Phone  *string        `json:"phone"`
}

// UpdateUser changes a staff user's name, unit, roles or phone. Admins
// only. Returns ENOTFOUND, EINVALID or EFORBIDDEN.
func (s *Service) UpdateUser(ctx context.Context, actor huying.Actor, id int64, c UserChange) (*huying.User, error) {
	return s.changeUser(ctx, actor, id, "user_updated", func(u *huying.User) (map[string]any, error) {
		if c.Name != nil {
			u.Name = strings.TrimSpace(*c.Name)
		}
		if c.UnitID != nil {
			u.UnitID = *c.UnitID
		}
		if c.Roles != nil {
			u.Roles = *c.Roles
		}
		if c.Phone != nil {
			u.Phone = strings.TrimSpace(*c.Phone)
		}
		if err := s.checkProfile(ctx, u.Name, u.UnitID, u.Roles, u.Phone); err != nil {
			return nil, err
		}
		if u.ID == actor.User.ID && !u.Has(huying.RoleAdmin) {
			return nil, huying.FieldErrorf("roles", "不能取消自己的管理员角色")
		}
		return map[string]any{"username": u.Username, "name": u.Name, "unit": u.UnitID, "roles": u.Roles,
			"phone": huying.MaskPhone(u.Phone)}, nil
	})
}

// ResetPassword sets another user's password. Admins only; the user's
// sessions end. Returns ENOTFOUND or EINVALID.
func (s *Service) ResetPassword(ctx context.Context, actor huying.Actor, id int64, password string) error {
	_, err := s.changeUser(ctx, actor, id, "password_reset", func(u *huying.User) (map[string]any, error) {
		return map[string]any{"username": u.Username}, s.setPassword(u, password)
	})
	return err
}

// SetUserDisabled disables (停用) or enables a user. A disabled user's
// sessions end at once. Admins only, never on themselves.
func (s *Service) SetUserDisabled(ctx context.Context, actor huying.Actor, id int64, disabled bool) (*huying.User, error) {
	kind := "user_enabled"
	if disabled {
		kind = "user_disabled"
	}
	return s.changeUser(ctx, actor, id, kind, func(u *huying.User) (map[string]any, error) {
		if u.ID == actor.User.ID {
			return nil, huying.Errorf(huying.EINVALID, "不能停用自己的账号")
		}
		if disabled == (u.DisabledAt != nil) {
			return nil, huying.Errorf(huying.ECONFLICT, "该账号已经是%s状态", map[bool]string{true: "停用", false: "启用"}[disabled])
		}
		u.DisabledAt = nil
		if disabled {
			now := s.now()
			u.DisabledAt = &now
		}
		u.FailedLogins, u.LockedUntil = 0, nil
		return map[string]any{"username": u.Username}, nil
	})
}

// changeUser runs an admin's change of a staff user in one transaction
// with its admin-chain event; the user's sessions end unless the change
// only edits the profile.
func (s *Service) changeUser(ctx context.Context, actor huying.Actor, id int64, kind string, change func(*huying.User) (map[string]any, error)) (*huying.User, error) {
	if actor.User == nil || !actor.User.Has(huying.RoleAdmin) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有管理员可以管理用户")
	}
	var u *huying.User
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		var err error
		if u, err = tx.UserForUpdate(id); err != nil {
			return err
		}
		if u.Kind != huying.UserStaff {
			return huying.Errorf(huying.ENOTFOUND, "用户不存在")
		}
		data, err := change(u)
		if err != nil {
			return err
		}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		if kind != "user_updated" || u.DisabledAt != nil {
			if err := tx.DeleteUserSessions(u.ID); err != nil {
				return err
			}
		}
		return tx.AppendEvent(huying.AdminEvent(actor, kind, data, s.now()))
	})
	if err != nil {
		return nil, err
	}
	s.usersChanged()
	return u, nil
}

func (s *Service) setPassword(u *huying.User, password string) error {
	if err := CheckPassword(u.Username, password); err != nil {
		return err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash, u.FailedLogins, u.LockedUntil = hash, 0, nil
	return nil
}

// ChangePassword changes the actor's own password after checking the old
// one. The actor's other sessions end. Returns EINVALID (field
// old_password or password).
func (s *Service) ChangePassword(ctx context.Context, actor huying.Actor, oldPassword, password string) error {
	if actor.User == nil || actor.User.Kind != huying.UserStaff {
		return huying.Errorf(huying.EFORBIDDEN, "只有工作人员账号设有密码")
	}
	if bcrypt.CompareHashAndPassword([]byte(actor.User.PasswordHash), []byte(oldPassword)) != nil {
		return huying.FieldErrorf("old_password", "原密码不正确")
	}
	if oldPassword == password {
		return huying.FieldErrorf("password", "新密码不能与原密码相同")
	}
	return s.writePassword(ctx, huying.Actor{User: actor.User}, actor.User.ID, password, "password_changed")
}

// writePassword sets user id's password in one transaction: the rules,
// the hash, the end of every session of the user and the admin event.
func (s *Service) writePassword(ctx context.Context, actor huying.Actor, id int64, password, kind string) error {
	return s.Store.Update(ctx, func(tx huying.Tx) error {
		u, err := tx.UserForUpdate(id)
		if err != nil {
			return err
		}
		if err := s.setPassword(u, password); err != nil {
			return err
		}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(u.ID); err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, kind, map[string]any{"username": u.Username}, s.now()))
	})
}

// SetPasswordByName is the command line's password reset (huying user
// passwd), as the system actor.
func (s *Service) SetPasswordByName(ctx context.Context, username, password string) error {
	u, err := s.Store.UserByUsername(ctx, username)
	if err != nil || u.Kind != huying.UserStaff {
		return huying.OrIfNotFound(err, huying.Errorf(huying.ENOTFOUND, "用户 %s 不存在", username))
	}
	return s.writePassword(ctx, huying.Actor{}, u.ID, password, "password_reset")
}

// UsersWithPassword returns which of usernames are staff accounts whose
// password is still password (serve refuses to start with demo passwords).
func (s *Service) UsersWithPassword(ctx context.Context, usernames []string, password string) ([]string, error) {
	var found []string
	for _, name := range usernames {
		u, err := s.Store.UserByUsername(ctx, name)
		if huying.ErrorCode(err) == huying.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Kind == huying.UserStaff && bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil {
			found = append(found, name)
		}
	}
	return found, nil
}

// Users lists the staff accounts to admins (not residents, not channels).
func (s *Service) Users(ctx context.Context, actor huying.Actor) ([]*huying.User, error) {
	if !actor.User.Has(huying.RoleAdmin) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有管理员可以查看用户列表")
	}
	all, err := s.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(u *huying.User) bool { return u.Kind != huying.UserStaff }), nil
}

// Units returns the unit tree to staff.
func (s *Service) Units(ctx context.Context, actor huying.Actor) ([]*huying.Unit, error) {
	if !actor.IsStaff() {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有查看单位列表的权限")
	}
	return s.Store.Units(ctx)
}

// CreateUnit adds a unit to the tree. Admins only (or the system actor).
func (s *Service) CreateUnit(ctx context.Context, actor huying.Actor, u huying.Unit) error {
	if err := actor.RequireAdmin("添加单位"); err != nil {
		return err
	}
	switch {
	case !usernameRe.MatchString(u.ID):
		return huying.FieldErrorf("id", "单位编码须为 3 到 40 位小写字母、数字或 _ . -")
	case strings.TrimSpace(u.Name) == "":
		return huying.FieldErrorf("name", "请填写单位名称")
	case !u.Kind.Valid():
		return huying.FieldErrorf("kind", "单位类型必须是 centre、street、community、department 或 enterprise")
	}
	return s.Store.Update(ctx, func(tx huying.Tx) error {
		if u.ParentID != "" {
			if _, err := tx.Unit(u.ParentID); err != nil {
				return huying.OrIfNotFound(err, huying.FieldErrorf("parent_id", "上级单位 %q 不存在", u.ParentID))
			}
		}
		taken, err := tx.Unit(u.ID)
		if err == nil {
			return huying.Errorf(huying.ECONFLICT, "单位编码 %s 已被「%s」使用，请换一个编码", u.ID, taken.Name)
		} else if huying.ErrorCode(err) != huying.ENOTFOUND {
			return err
		}
		if err := tx.CreateUnit(&u); huying.ErrorCode(err) == huying.ECONFLICT {
			return huying.Errorf(huying.ECONFLICT, "单位编码 %s 已存在，请换一个编码", u.ID) // added meanwhile
		} else if err != nil {
			return err
		}
		return tx.AppendEvent(huying.AdminEvent(actor, "unit_created", map[string]any{"id": u.ID, "name": u.Name, "kind": u.Kind}, s.now()))
	})
}
