package identity

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"strings"
	"time"

	"huying"
)

// Resident self-service limits.
const (
	CodeTTL          = 5 * time.Minute
	CodeAttempts     = 5 // wrong tries before a code is dead
	CodesPerHour     = 5
	CodeResendAfter  = time.Minute
	residentUsername = "resident-"
)

// SendCode sends a six-digit verification code to a resident's phone by
// SMS (through the outbox, like every notice), at most one a minute and
// five an hour per phone, CodesPerIPHour an hour per client address ip,
// and SMSPerMinute a minute for the whole node (against SMS pumping).
func (s *Service) SendCode(ctx context.Context, phone, ip string) error {
	phone = strings.TrimSpace(phone)
	if !huying.ValidPhone(phone) || phone[0] != '1' {
		return huying.FieldErrorf("phone", "请输入 11 位手机号")
	}
	if !s.tries().codesIP.Allow(ip, CodesPerIPHour) {
		return huying.Errorf(huying.ETOOMANY, "本网络获取验证码过于频繁，请一小时后再试")
	}
	ceiling := s.SMSPerMinute
	if ceiling <= 0 {
		ceiling = DefaultSMSPerMinute
	}
	if !s.tries().codesAll.Allow("", ceiling) {
		return huying.Errorf(huying.ETOOMANY, "验证码发送繁忙，请稍后再试")
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	now := s.now()
	return s.Store.Update(ctx, func(tx huying.Tx) error {
		if last, err := tx.LatestCode(phone); err == nil && now.Sub(last.CreatedAt) < CodeResendAfter {
			return huying.Errorf(huying.ETOOMANY, "验证码已发送，请一分钟后再试")
		}
		if k, err := tx.RecentCodes(phone, now.Add(-time.Hour)); err != nil {
			return err
		} else if k >= CodesPerHour {
			return huying.Errorf(huying.ETOOMANY, "该手机号一小时内获取验证码过于频繁，请稍后再试")
		}
		if err := tx.CreateCode(&huying.SMSCode{Phone: phone, CodeHash: huying.HashToken(phone + ":" + code), ExpiresAt: now.Add(CodeTTL), CreatedAt: now}); err != nil {
			return err
		}
		// The outbox needs an event; the admin chain records that a code
		// went to a (masked) phone, never the code itself.
		e := huying.AdminEvent(huying.Actor{Channel: huying.ResidentChannel}, "resident_code", map[string]any{"phone": huying.MaskPhone(phone)}, now)
		if err := tx.AppendEvent(e); err != nil {
			return err
		}
		text := fmt.Sprintf("%s您的验证码是 %s，%d 分钟内有效。请勿告诉他人。", s.NoticeSign, code, int(CodeTTL.Minutes()))
		return tx.EnqueueNotice(&huying.Notice{EventID: e.ID, Channel: huying.NoticeSMS, Recipient: phone,
			Template: "验证码", Payload: text, NextAt: &now, CreatedAt: now})
	})
}

// VerifyCode checks a resident's code and returns a session token for the
// resident's account (made on first use). A resident sees and acts on only
// the appeals they filed.
func (s *Service) VerifyCode(ctx context.Context, phone, code string) (string, *huying.User, error) {
	phone, code = strings.TrimSpace(phone), strings.TrimSpace(code)
	wrong := huying.FieldErrorf("code", "验证码错误或已过期，请重新获取")
	now := s.now()
	var ok bool
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		c, err := tx.LatestCode(phone)
		if err != nil {
			return wrong
		}
		ok = c.Attempts < CodeAttempts && now.Before(c.ExpiresAt) &&
			subtle.ConstantTimeCompare([]byte(c.CodeHash), []byte(huying.HashToken(phone+":"+code))) == 1
		return tx.SpendCode(c.ID, ok)
	})
	if err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, wrong
	}
	u, err := s.residentUser(ctx, phone)
	if err != nil {
		return "", nil, err
	}
	token := huying.NewToken("hys_")
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		return tx.CreateSession(huying.HashToken(token), huying.Session{UserID: u.ID, ExpiresAt: now.Add(SessionTTL)})
	})
	return token, u, err
}

// residentUser finds or creates the resident account of a phone.
func (s *Service) residentUser(ctx context.Context, phone string) (*huying.User, error) {
	name := residentUsername + phone
	if u, err := s.Store.UserByUsername(ctx, name); err == nil {
		if u.Kind != huying.UserResident {
			return nil, huying.Errorf(huying.ECONFLICT, "该手机号的账号不是诉求人账号，请联系管理员")
		}
		return u, nil
	} else if huying.ErrorCode(err) != huying.ENOTFOUND {
		return nil, err
	}
	u := &huying.User{Kind: huying.UserResident, Username: name, Name: "诉求人" + huying.MaskPhone(phone),
		Roles: []huying.Role{huying.RoleResident}, Phone: phone, PasswordHash: "!", CreatedAt: s.now()}
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		centre, err := centreID(tx)
		if err != nil {
			return err
		}
		u.UnitID = centre
		return tx.CreateUser(u)
	})
	if huying.ErrorCode(err) == huying.ECONFLICT {
		return s.Store.UserByUsername(ctx, name) // made by a concurrent verification
	}
	return u, err
}
