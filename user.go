package huying

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
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

// UserKind is the kind of principal a user row is. Only staff log in with
// a password and appear in the admin's user list.
type UserKind string

// User kinds.
const (
	UserStaff    UserKind = "staff"    // 工作人员
	UserResident UserKind = "resident" // 诉求人 (SMS self-service)
	UserChannel  UserKind = "channel"  // 渠道 (the principal a channel's API tokens act as)
)

// User is a person, or the principal of a channel's API tokens, acting in Huying.
type User struct {
	ID       int64    `json:"id"`
	Kind     UserKind `json:"kind"`
	Username string   `json:"username"`
	Name     string   `json:"name"`
	UnitID   string   `json:"unit_id"`
	Roles    []Role   `json:"roles"`
	// Phone receives the unit's notices (催办, 督办); optional.
	Phone     string    `json:"phone,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// DisabledAt is set while an admin has disabled the account (停用).
	DisabledAt *time.Time `json:"disabled_at,omitempty"`

	// PasswordHash is the bcrypt hash of the password; never serialised.
	PasswordHash string `json:"-"`
	// FailedLogins counts wrong passwords since the last good login, and
	// LockedUntil is when the next try is allowed (per-account backoff).
	FailedLogins int        `json:"-"`
	LockedUntil  *time.Time `json:"-"`
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
	// Token is the API token a channel acts through (nil for logins); its
	// scopes bound what the actor may do.
	Token *APIToken
	// AppealID is set for a public resident who proved, with the tracking
	// code and phone digits, that one appeal is theirs.
	AppealID int64
}

// Name returns the name events record for the actor: a staff user's login
// name, "resident" for any resident (never their phone) and "channel:…" for
// a channel.
func (a Actor) Name() string {
	if a.User != nil && a.User.Kind == UserResident || a.AppealID != 0 {
		return "resident"
	}
	if a.User != nil {
		return a.User.Username
	}
	if a.Channel != "" {
		return "channel:" + a.Channel
	}
	return "system"
}

// Scope is one thing an API token may do (its kind of principal has no
// staff role at all).
type Scope string

// Token scopes.
const (
	ScopeIntake  Scope = "intake"  // 受理：submit appeals on the token's channel
	ScopeRead    Scope = "read"    // 回读：read back, masked, what the channel filed
	ScopeOpen311 Scope = "open311" // Open311 api_key: file through GeoReport v2
)

// Scopes lists the token scopes in a stable order.
var Scopes = []Scope{ScopeIntake, ScopeRead, ScopeOpen311}

// ScopeNames are the Chinese names of the scopes.
var ScopeNames = map[Scope]string{ScopeIntake: "受理", ScopeRead: "回读本渠道诉求", ScopeOpen311: "Open311 接口"}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return slices.Contains(Scopes, s) }

// APIToken is a bearer token of a channel or integration. Only its hash is
// stored; Prefix (the first characters) identifies it in lists.
type APIToken struct {
	ID      int64   `json:"id"`
	Name    string  `json:"name"`
	Channel string  `json:"channel"`
	Prefix  string  `json:"prefix"`
	Scopes  []Scope `json:"scopes"`
	// UserID is the channel's principal the token acts as.
	UserID     int64      `json:"user_id"`
	CreatedBy  int64      `json:"created_by,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Allows reports whether the token has scope s.
func (t *APIToken) Allows(s Scope) bool { return t != nil && slices.Contains(t.Scopes, s) }

// Live reports whether the token may be used at now: not revoked, not expired.
func (t *APIToken) Live(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
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
	// TokenByHash returns the API token with that hash, revoked and expired
	// ones included. Returns ENOTFOUND.
	TokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// Tokens returns every API token, newest first.
	Tokens(ctx context.Context) ([]*APIToken, error)
}

// IdentityTx is the part of a write transaction for principals: users and
// their credentials (sessions, tokens, residents' SMS codes, tracking proofs).
type IdentityTx interface {
	// CreateUser inserts a user and sets its ID. Returns ECONFLICT if the username is taken.
	CreateUser(u *User) error
	// UserForUpdate reads a user inside the transaction. Returns ENOTFOUND.
	UserForUpdate(id int64) (*User, error)
	// UpdateUser writes a user's name, unit, roles, phone, password hash,
	// disabled time and login throttle. Returns ENOTFOUND.
	UpdateUser(u *User) error
	// CreateSession stores a login session under the token's hash.
	CreateSession(hash string, s Session) error
	// DeleteSession removes a session.
	DeleteSession(hash string) error
	// DeleteUserSessions removes every session of a user.
	DeleteUserSessions(userID int64) error
	// CreateToken stores an API token under hash and sets t.ID.
	CreateToken(t *APIToken, hash string) error
	// RevokeToken marks a token revoked at at. Returns ENOTFOUND, or
	// ECONFLICT when it was revoked already.
	RevokeToken(id int64, at time.Time) error
	// TouchToken records a token's last use.
	TouchToken(id int64, at time.Time) error
	// CreateTrackProof stores the hash of a proof that someone tracked an
	// appeal with its code and phone digits, and drops expired proofs.
	CreateTrackProof(hash string, appealID int64, expires, now time.Time) error
	// TrackProof returns the appeal a live proof is for. Returns ENOTFOUND.
	TrackProof(hash string, now time.Time) (int64, error)
	// CreateCode stores a resident's SMS code (its hash).
	CreateCode(c *SMSCode) error
	// RecentCodes counts the codes sent to phone since since.
	RecentCodes(phone string, since time.Time) (int, error)
	// LatestCode returns the newest code of phone. Returns ENOTFOUND.
	LatestCode(phone string) (*SMSCode, error)
	// SpendCode records an attempt on a code (attempts+1), or deletes the
	// phone's codes when used.
	SpendCode(id int64, used bool) error
	// Users reads every user (the staff to notify of an escalation).
	Users() ([]*User, error)
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

// Authenticator resolves a session token or an API token to the actor it
// stands for (package identity implements it). Transports take it, so
// that they can be tested with a fake.
type Authenticator interface {
	// Authenticate returns the actor of a login session. Returns EUNAUTHORIZED.
	Authenticate(ctx context.Context, token string) (Actor, error)
	// AuthenticateToken returns the actor of a channel's API token, counted
	// against the token's rate. Returns EUNAUTHORIZED or ETOOMANY.
	AuthenticateToken(ctx context.Context, token string) (Actor, error)
}

// IsStaff reports whether the actor is a logged-in staff user (a user
// built in code without a kind counts as staff).
func (a Actor) IsStaff() bool {
	return a.User != nil && a.User.Kind != UserResident && a.User.Kind != UserChannel && a.Token == nil && a.AppealID == 0
}

// IsChannel reports whether the actor acts through an API token.
func (a Actor) IsChannel() bool { return a.Token != nil }

// IsResident reports whether the actor is a self-service resident.
func (a Actor) IsResident() bool {
	return a.User != nil && (a.User.Kind == UserResident || a.User.Has(RoleResident) && len(a.User.Roles) == 1)
}

// RequireScope refuses a token actor without scope sc; logins pass.
func (a Actor) RequireScope(sc Scope) error {
	if a.IsChannel() && !a.Token.Allows(sc) {
		return Errorf(EFORBIDDEN, "接口令牌没有「%s」权限", ScopeNames[sc])
	}
	return nil
}

// RequireAdmin refuses a user who is not an admin, saying what they tried;
// the system actor (no user, the command line) passes.
func (a Actor) RequireAdmin(what string) error {
	if a.User != nil && !a.User.Has(RoleAdmin) {
		return Errorf(EFORBIDDEN, "只有管理员可以%s", what)
	}
	return nil
}

// HashToken returns the stored form of a session, API token or proof.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns prefix and 32 random bytes, base64url: a session, API
// token or proof.
func NewToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}
