package identity

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"huying"
)

// SessionTTL is how long a console login lasts.
const SessionTTL = 12 * time.Hour

// Per-account login backoff: after LoginFreeFailures wrong passwords in a
// row, each further try waits twice as long as the one before, from
// LoginFirstWait up to LoginMaxWait.
const (
	LoginFreeFailures = 5
	LoginFirstWait    = time.Second
	LoginMaxWait      = 15 * time.Minute
)

// loginWait is how long an account waits after failures wrong passwords in a row.
func loginWait(failures int) time.Duration {
	if failures < LoginFreeFailures {
		return 0
	}
	d := LoginFirstWait
	for i := LoginFreeFailures; i < failures && d < LoginMaxWait; i++ {
		d *= 2
	}
	return min(d, LoginMaxWait)
}

// waitText says a wait in Chinese, rounded up: "30 秒", "4 分钟".
func waitText(d time.Duration) string {
	if d <= time.Minute {
		return fmt.Sprintf("%d 秒", max(1, int((d+time.Second-1)/time.Second)))
	}
	return fmt.Sprintf("%d 分钟", int((d+time.Minute-1)/time.Minute))
}

func tooManyLogins(wait time.Duration) error {
	return huying.Errorf(huying.ETOOMANY, "登录失败次数过多，请 %s后再试", waitText(wait))
}

// unknownLogins throttles login names that have no account exactly as
// accounts are throttled, so that the answers do not tell which exist.
type unknownLogins struct {
	mu sync.Mutex
	m  map[string]unknownLogin
}

type unknownLogin struct {
	failures int
	until    time.Time
}

// maxUnknownLogins bounds the memory an outsider's guesses can take.
const maxUnknownLogins = 10_000

func (u *unknownLogins) locked(name string, now time.Time) time.Duration {
	u.mu.Lock()
	defer u.mu.Unlock()
	return max(0, u.m[name].until.Sub(now))
}

func (u *unknownLogins) fail(name string, now time.Time) time.Duration {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil || len(u.m) >= maxUnknownLogins {
		u.m = map[string]unknownLogin{}
	}
	l := u.m[name]
	l.failures++
	wait := loginWait(l.failures)
	l.until = now.Add(wait)
	u.m[name] = l
	return wait
}

// dummyHash is compared against when a login name has no account, so that
// an unknown name costs the same bcrypt work as a wrong password.
func (s *Service) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("no such account"), max(s.PasswordCost, bcrypt.MinCost))
	})
	return s.dummy
}

// Login checks a username and password and returns a new session token.
// Returns EUNAUTHORIZED with one message for both a wrong name and a wrong
// password, ETOOMANY while the account waits after repeated failures.
func (s *Service) Login(ctx context.Context, username, password string) (string, *huying.User, error) {
	username = strings.TrimSpace(username)
	if username == "" || password == "" {
		return "", nil, huying.Errorf(huying.EINVALID, "请输入用户名和密码")
	}
	wrong := huying.Errorf(huying.EUNAUTHORIZED, "用户名或密码错误")
	now := s.now()
	u, err := s.Store.UserByUsername(ctx, username)
	if err != nil && huying.ErrorCode(err) != huying.ENOTFOUND {
		return "", nil, err
	}
	if err != nil || u.Kind != huying.UserStaff {
		_ = bcrypt.CompareHashAndPassword(s.dummyHash(), []byte(password))
		if wait := s.unknown.locked(username, now); wait > 0 {
			return "", nil, tooManyLogins(wait)
		}
		if wait := s.unknown.fail(username, now); wait > 0 {
			return "", nil, huying.Errorf(huying.EUNAUTHORIZED, "用户名或密码错误；请 %s后再试", waitText(wait))
		}
		return "", nil, wrong
	}
	good := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return "", nil, tooManyLogins(u.LockedUntil.Sub(now))
	}
	token := huying.NewToken("hys_")
	var failed time.Duration
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		u, err = tx.UserForUpdate(u.ID)
		if err != nil {
			return err
		}
		if !good {
			u.FailedLogins++
			if failed = loginWait(u.FailedLogins); failed > 0 {
				until := now.Add(failed)
				u.LockedUntil = &until
			}
			return tx.UpdateUser(u)
		}
		if u.DisabledAt != nil {
			return nil
		}
		if u.FailedLogins > 0 || u.LockedUntil != nil {
			u.FailedLogins, u.LockedUntil = 0, nil
			if err := tx.UpdateUser(u); err != nil {
				return err
			}
		}
		return tx.CreateSession(huying.HashToken(token), huying.Session{UserID: u.ID, ExpiresAt: now.Add(SessionTTL)})
	})
	switch {
	case err != nil:
		return "", nil, err
	case !good && failed > 0:
		return "", nil, huying.Errorf(huying.EUNAUTHORIZED, "用户名或密码错误；已连续失败 %d 次，请 %s后再试", u.FailedLogins, waitText(failed))
	case !good:
		return "", nil, wrong
	case u.DisabledAt != nil:
		return "", nil, huying.Errorf(huying.EUNAUTHORIZED, "该账号已停用，请联系管理员")
	}
	return token, u, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.Store.Update(ctx, func(tx huying.Tx) error { return tx.DeleteSession(huying.HashToken(token)) })
}

// Authenticate returns the actor of a session token. Returns EUNAUTHORIZED,
// or the store's error when it cannot answer.
func (s *Service) Authenticate(ctx context.Context, token string) (huying.Actor, error) {
	expired := huying.Errorf(huying.EUNAUTHORIZED, "登录已过期，请重新登录")
	sess, err := s.Store.SessionByHash(ctx, huying.HashToken(token))
	if err != nil {
		return huying.Actor{}, huying.OrIfNotFound(err, expired)
	}
	if !s.now().Before(sess.ExpiresAt) {
		return huying.Actor{}, expired
	}
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		return huying.Actor{}, huying.OrIfNotFound(err, expired)
	}
	if u.DisabledAt != nil {
		return huying.Actor{}, huying.Errorf(huying.EUNAUTHORIZED, "该账号已停用，请联系管理员")
	}
	return huying.Actor{User: u}, nil
}
