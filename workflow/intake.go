package workflow

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"huying"
)

// Receive takes in an appeal (受理) and returns it with its tracking code.
// With a non-empty idempotency key, a retry by the same caller returns the
// appeal the first call created and creates nothing; replayed says so.
func (s *Service) Receive(ctx context.Context, actor huying.Actor, in huying.Intake, idemKey string) (a *huying.Appeal, replayed bool, err error) {
	if actor.IsChannel() {
		if err := actor.RequireScope(huying.ScopeIntake); err != nil {
			return nil, false, err
		}
	} else if !huying.CanRun(huying.CmdReceive, actor.User) {
		return nil, false, huying.Errorf(huying.EFORBIDDEN, "您没有受理诉求的权限")
	}
	if actor.Channel != "" {
		in.Channel = actor.Channel // a channel's token decides its channel
	}
	if actor.IsResident() {
		// A resident files for themself, with the phone they verified.
		in.Channel, in.ContactPhone = huying.ResidentChannel, actor.User.Phone
	}
	if err := s.applyChannel(ctx, &in); err != nil {
		return nil, false, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, false, err
	}
	if len(idemKey) > 200 {
		return nil, false, huying.FieldErrorf("Idempotency-Key", "幂等键不能超过 200 个字符")
	}
	now := s.now()
	a = &huying.Appeal{
		Type: in.Type, Urgency: in.Urgency, Channel: in.Channel, Title: in.Title, Content: in.Content,
		Address: in.Address, Point: in.Point, ContactName: in.ContactName, ContactPhone: in.ContactPhone,
		Confidential: in.Confidential, Status: huying.StatusReceived, Version: 1,
		Attachments: in.Attachments, CreatedBy: actor.User.ID, ReceivedAt: now, UpdatedAt: now,
	}
	if idemKey != "" {
		a.IdempotencyKey = strconv.FormatInt(actor.User.ID, 10) + ":" + idemKey
	}
	if s.Classifier != nil || s.Places != nil {
		a.Triage = s.triage(ctx, a)
	}
	tmpl := *a
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		// Start from the template each time: a store may run this function
		// again after rolling back (SQLite's group commit isolating a failure).
		a, replayed = fresh(tmpl), false
		if a.IdempotencyKey != "" {
			prev, err := tx.AppealByIdempotencyKey(a.IdempotencyKey)
			if err == nil {
				if !sameIntake(prev, &tmpl) {
					return huying.Errorf(huying.ECONFLICT, "该幂等键（Idempotency-Key）已用于内容不同的另一条诉求 %s；新的诉求请换一个幂等键", prev.Code)
				}
				a, replayed = prev, true
				return nil
			} else if huying.ErrorCode(err) != huying.ENOTFOUND {
				return err
			}
		}
		if err := checkAttachments(tx, actor, a.Attachments); err != nil {
			return err
		}
		day := now.In(s.Zone).Format("20060102")
		n, err := tx.NextSeq("code:" + s.CodePrefix + day)
		if err != nil {
			return err
		}
		a.Code = fmt.Sprintf("%s%s%06d", s.CodePrefix, day, n)
		if err := tx.CreateAppeal(a); err != nil {
			return err
		}
		data := map[string]any{"channel": a.Channel, "type": a.Type, "urgency": a.Urgency, "code": a.Code}
		e := huying.NewEvent(a, actor, string(huying.CmdReceive), huying.StatusNone, huying.StatusReceived, "", data, now)
		e.Seq = 1 // a new appeal starts its chain
		if err := s.record(tx, a, e); err != nil {
			return err
		}
		if err := s.setClocks(tx, a, now, nil); err != nil { // a new appeal has no clocks yet
			return err
		}
		return s.autoDispatch(tx, a, now)
	})
	if err != nil && a.IdempotencyKey != "" && huying.ErrorCode(err) == huying.ECONFLICT {
		// Two concurrent retries with one key on PostgreSQL: the loser reads the winner's appeal.
		if prev, perr := s.appealByKey(ctx, a.IdempotencyKey); perr == nil && sameIntake(prev, &tmpl) {
			return prev, true, nil
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("receive: %w", err)
	}
	return a, replayed, nil
}

// sameIntake reports whether a retry with an idempotency key carries the
// intake that created prev: the same type, channel, words, place, contact
// and attachments.
func sameIntake(prev, retry *huying.Appeal) bool {
	return prev.Type == retry.Type && prev.Channel == retry.Channel && prev.Title == retry.Title &&
		prev.Content == retry.Content && prev.Address == retry.Address && prev.ContactName == retry.ContactName &&
		prev.ContactPhone == retry.ContactPhone && prev.Confidential == retry.Confidential &&
		slices.Equal(hashes(prev.Attachments), hashes(retry.Attachments))
}

func (s *Service) appealByKey(ctx context.Context, key string) (*huying.Appeal, error) {
	var a *huying.Appeal
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		var err error
		a, err = tx.AppealByIdempotencyKey(key)
		return err
	})
	return a, err
}

// fresh copies an appeal template, with its own triage, for one run of a
// transaction function.
func fresh(tmpl huying.Appeal) *huying.Appeal {
	a := tmpl
	a.Assignments = nil
	if tmpl.Triage != nil {
		t := *tmpl.Triage
		a.Triage = &t
	}
	return &a
}
