package huying

import (
	"context"
	"slices"
	"time"
)

// Role is what a user may do. A user may hold several roles.
type Role string

// Roles, from PRODUCT.md "Who uses it".
const (
	RoleResident   Role = "resident"   // 诉求人
	RoleIntake     Role = "intake"     // 受理员
	RoleDispatcher Role = "dispatcher" // 分拨员
	RoleHandler    Role = "handler"    // 承办人
	RoleReporter   Role = "reporter"   // 社区党委 / 网格员 / 党员
	RoleSupervisor Role = "supervisor" // 督办员
	RoleLeader     Role = "leader"     // 领导
	RoleAdmin      Role = "admin"      // 管理员
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleResident, RoleIntake, RoleDispatcher, RoleHandler, RoleReporter, RoleSupervisor, RoleLeader, RoleAdmin}

// RoleNames are the Chinese names of the roles, as the console shows them.
var RoleNames = map[Role]string{
	RoleResident: "诉求人", RoleIntake: "受理员", RoleDispatcher: "分拨员", RoleHandler: "承办人",
	RoleReporter: "社区网格员", RoleSupervisor: "督办员", RoleLeader: "领导", RoleAdmin: "管理员",
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is a person (or, for API tokens, a channel) acting in Huying.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	UnitID   string `json:"unit_id"`
	Roles    []Role `json:"roles"`
	// Phone receives the unit's notices (催办, 督办); optional.
	Phone     string    `json:"phone,omitempty"`
	CreatedAt time.Time `json:"created_at"`

	// PasswordHash is the bcrypt hash of the password; never serialised.
	PasswordHash string `json:"-"`
}

// Has reports whether the user holds role r.
func (u *User) Has(r Role) bool { return u != nil && slices.Contains(u.Roles, r) }

// HasAny reports whether the user holds any of roles.
func (u *User) HasAny(roles ...Role) bool {
	return slices.ContainsFunc(roles, u.Has)
}

// Actor is who performs a command: a user, or a channel acting through an API
// token. Channel is set for tokens and for the public resident endpoints.
type Actor struct {
	User    *User
	Channel string
	// AppealID is set for a public resident who proved, with the tracking
	// code and phone digits, that one appeal is theirs.
	AppealID int64
}

// Name returns a printable name of the actor for events.
func (a Actor) Name() string {
	if a.User != nil {
		return a.User.Username
	}
	if a.Channel != "" {
		return "channel:" + a.Channel
	}
	return "system"
}

// APIToken is a bearer token of a channel or integration. Only its hash is stored.
type APIToken struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Channel   string    `json:"channel"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
}

// Session is a console login.
type Session struct {
	UserID    int64
	ExpiresAt time.Time
}

// UserStore reads users, sessions and tokens. Writes go through Tx.
type UserStore interface {
	// User returns a user by id. Returns ENOTFOUND.
	User(ctx context.Context, id int64) (*User, error)
	// UserByUsername returns a user by login name. Returns ENOTFOUND.
	UserByUsername(ctx context.Context, username string) (*User, error)
	// Users returns all users ordered by id.
	Users(ctx context.Context) ([]*User, error)
	// SessionByHash returns the session whose token hashes to hash. Returns ENOTFOUND.
	SessionByHash(ctx context.Context, hash string) (*Session, error)
	// TokenByHash returns the API token with that hash and its user. Returns ENOTFOUND.
	TokenByHash(ctx context.Context, hash string) (*APIToken, error)
}

// SMSCode is a one-time code sent to a resident's phone for self-service.
type SMSCode struct {
	ID        int64
	Phone     string
	CodeHash  string
	Attempts  int
	ExpiresAt time.Time
	CreatedAt time.Time
}
