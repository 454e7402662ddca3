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
	if err := s.checkProfile(ctx, in.Name, in.UnitID, in.Roles, in.Phone, ""); err != nil {
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

// checkProfile validates a user's profile; the unit must be enabled unless
// it is current, the unit the user is in already.
func (s *Service) checkProfile(ctx context.Context, name, unitID string, roles []huying.Role, phone, current string) error {
	switch {
	case name == "" || utf8.RuneCountInString(name) > huying.MaxNameRunes:
		return huying.FieldErrorf("name", "请填写姓名（不超过 %d 个字）", huying.MaxNameRunes)
	case phone != "" && !huying.ValidPhone(phone):
		return huying.FieldErrorf("phone", "手机号格式不正确")
	}
	if err := validRoles(roles); err != nil {
		return err
	}
	u, err := s.Store.Unit(ctx, unitID)
	if err != nil {
		return huying.OrIfNotFound(err, huying.FieldErrorf("unit_id", "单位 %q 不存在", unitID))
	}
	if u.Disabled() && unitID != current {
		return huying.FieldErrorf("unit_id", "单位「%s」已停用，不能再添加或调入用户", u.Name)
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
		current := u.UnitID
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
		if err := s.checkProfile(ctx, u.Name, u.UnitID, u.Roles, u.Phone, current); err != nil {
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
			p, err := tx.Unit(u.ParentID)
			if err != nil {
				return huying.OrIfNotFound(err, huying.FieldErrorf("parent_id", "上级单位 %q 不存在", u.ParentID))
			}
			if p.Disabled() {
				return huying.FieldErrorf("parent_id", "上级单位「%s」已停用", p.Name)
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

// UnitChange is the input of UpdateUnit: the fields to change (nil keeps)
// and the version the admin saw.
type UnitChange struct {
	Name     *string `json:"name"`
	ParentID *string `json:"parent_id"`
	Version  int     `json:"version"`
}

// UpdateUnit renames a unit or moves it to another parent, checked against
// the tree: the parent's kind must suit the unit's (huying.ParentKinds), the
// parent may not be disabled, and a unit never moves under itself. Admins
// only. Returns EINVALID, ENOTFOUND, EFORBIDDEN or ECONFLICT (a stale
// version).
func (s *Service) UpdateUnit(ctx context.Context, actor huying.Actor, id string, c UnitChange) (*huying.Unit, error) {
	if err := actor.RequireAdmin("修改单位"); err != nil {
		return nil, err
	}
	if c.Name != nil {
		name := strings.TrimSpace(*c.Name)
		if name == "" || utf8.RuneCountInString(name) > huying.MaxNameRunes*2 {
			return nil, huying.FieldErrorf("name", "请填写单位名称（不超过 %d 个字）", huying.MaxNameRunes*2)
		}
		c.Name = &name
	}
	return s.changeUnit(ctx, actor, id, c.Version, "unit_updated", func(tx huying.Tx, u *huying.Unit) (map[string]any, error) {
		data := map[string]any{"id": u.ID}
		if c.Name != nil && *c.Name != u.Name {
			data["name"], data["old_name"] = *c.Name, u.Name
			u.Name = *c.Name
		}
		if c.ParentID != nil && *c.ParentID != u.ParentID {
			if err := checkParent(tx, u, *c.ParentID); err != nil {
				return nil, err
			}
			data["parent"], data["old_parent"] = *c.ParentID, u.ParentID
			u.ParentID = *c.ParentID
		}
		if len(data) == 1 {
			return nil, huying.Errorf(huying.EINVALID, "没有要修改的内容")
		}
		return data, nil
	})
}

// checkParent checks that parent may hold u: it exists, is enabled, is of
// a kind u may sit under, and is not u or one of u's descendants.
func checkParent(tx huying.Tx, u *huying.Unit, parentID string) error {
	kind := huying.UnitKind("")
	var parent *huying.Unit
	if parentID != "" {
		var err error
		if parent, err = tx.Unit(parentID); err != nil {
			return huying.OrIfNotFound(err, huying.FieldErrorf("parent_id", "上级单位 %q 不存在", parentID))
		}
		kind = parent.Kind
	}
	if !slices.Contains(huying.ParentKinds[u.Kind], kind) {
		var names []string
		for _, k := range huying.ParentKinds[u.Kind] {
			names = append(names, map[huying.UnitKind]string{"": "无上级", huying.UnitCentre: "分拨中心", huying.UnitStreet: "街道"}[k])
		}
		return huying.FieldErrorf("parent_id", "%s的上级只能是%s", unitKindNames[u.Kind], strings.Join(names, "或"))
	}
	if parent == nil {
		return nil
	}
	if parent.Disabled() {
		return huying.FieldErrorf("parent_id", "上级单位「%s」已停用", parent.Name)
	}
	// Walk up from the new parent: meeting u would make a cycle.
	for p, hops := parent, 0; p != nil; hops++ {
		if p.ID == u.ID || hops > 64 {
			return huying.FieldErrorf("parent_id", "不能把「%s」移到它自己或其下属单位之下", u.Name)
		}
		if p.ParentID == "" {
			break
		}
		next, err := tx.Unit(p.ParentID)
		if huying.ErrorCode(err) == huying.ENOTFOUND {
			break
		} else if err != nil {
			return err
		}
		p = next
	}
	return nil
}

var unitKindNames = map[huying.UnitKind]string{huying.UnitCentre: "分拨中心", huying.UnitStreet: "街道",
	huying.UnitCommunity: "社区", huying.UnitDepartment: "职能部门", huying.UnitEnterprise: "公共服务企业"}

// SetUnitDisabled disables (停用) or enables a unit. A disabled unit gets
// no new orders (dispatch, 二级分拨, 吹哨 refuse it, and the console leaves it
// out of its pickers) but keeps finishing the orders it already has, so
// its users keep logging in: 首接负责 (domain-12345.md §3.2) makes the unit
// that took an order answer for it to the end, and the event log of its
// orders stays as it was. The centre cannot be disabled, nor a unit with
// enabled units under it. Admins only. Returns EINVALID, ENOTFOUND,
// EFORBIDDEN or ECONFLICT.
func (s *Service) SetUnitDisabled(ctx context.Context, actor huying.Actor, id string, disabled bool, version int) (*huying.Unit, error) {
	what, kind := "启用单位", "unit_enabled"
	if disabled {
		what, kind = "停用单位", "unit_disabled"
	}
	if err := actor.RequireAdmin(what); err != nil {
		return nil, err
	}
	return s.changeUnit(ctx, actor, id, version, kind, func(tx huying.Tx, u *huying.Unit) (map[string]any, error) {
		if disabled == u.Disabled() {
			return nil, huying.Errorf(huying.ECONFLICT, "单位「%s」已经是%s状态", u.Name, map[bool]string{true: "停用", false: "启用"}[disabled])
		}
		if !disabled {
			u.DisabledAt = nil
			if u.ParentID != "" {
				if p, err := tx.Unit(u.ParentID); err == nil && p.Disabled() {
					return nil, huying.Errorf(huying.EINVALID, "上级单位「%s」已停用，请先启用上级单位", p.Name)
				}
			}
			return map[string]any{"id": u.ID, "name": u.Name}, nil
		}
		if u.Kind == huying.UnitCentre {
			return nil, huying.Errorf(huying.EINVALID, "分拨中心不能停用")
		}
		all, err := tx.Units()
		if err != nil {
			return nil, err
		}
		for _, c := range all {
			if c.ParentID == u.ID && !c.Disabled() {
				return nil, huying.Errorf(huying.EINVALID, "「%s」下还有未停用的单位「%s」，请先停用或移走下属单位", u.Name, c.Name)
			}
		}
		now := s.now()
		u.DisabledAt = &now
		return map[string]any{"id": u.ID, "name": u.Name}, nil
	})
}

// changeUnit runs an admin's change of a unit in one transaction: the unit
// read through it, the change, the compare-and-set on version and the
// admin-chain event.
func (s *Service) changeUnit(ctx context.Context, actor huying.Actor, id string, version int, kind string,
	change func(huying.Tx, *huying.Unit) (map[string]any, error)) (*huying.Unit, error) {
	if version <= 0 {
		return nil, huying.FieldErrorf("version", "请提供单位的版本号 version（刷新后重试）")
	}
	var u *huying.Unit
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		var err error
		if u, err = tx.Unit(id); err != nil {
			return huying.OrIfNotFound(err, huying.Errorf(huying.ENOTFOUND, "单位 %s 不存在", id))
		}
		if u.Version != version {
			return huying.Errorf(huying.ECONFLICT, "单位「%s」已被他人修改，请刷新后重试", u.Name)
		}
		data, err := change(tx, u)
		if err != nil {
			return err
		}
		if err := tx.UpdateUnit(u, version); err != nil {
			return err
		}
		data["version"] = u.Version
		return tx.AppendEvent(huying.AdminEvent(actor, kind, data, s.now()))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
