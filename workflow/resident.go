package workflow

import (
	"context"
	"strings"
	"unicode/utf8"

	"huying"
)

// Supplement adds information (补充材料) to an open appeal: by the resident
// who filed it, or by an intake agent on the resident's behalf.
func (s *Service) Supplement(ctx context.Context, actor huying.Actor, id int64, note string, attachments []huying.Attachment) error {
	note = strings.TrimSpace(note)
	if note == "" || utf8.RuneCountInString(note) > huying.MaxReasonRunes {
		return huying.FieldErrorf("note", "请填写补充内容（不超过 %d 字）", huying.MaxReasonRunes)
	}
	if len(attachments) > huying.MaxAttachments {
		return huying.FieldErrorf("attachments", "附件不能超过 %d 个", huying.MaxAttachments)
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx huying.Tx) error {
		a, err := s.LockVisible(tx, actor, id)
		if err != nil {
			return err
		}
		if actor.IsChannel() || !(a.CreatedBy == actor.User.ID || actor.User.Has(huying.RoleIntake)) {
			return huying.Errorf(huying.ENOTFOUND, "诉求不存在")
		}
		if !a.Status.Open() {
			return huying.Errorf(huying.ECONFLICT, "诉求已%s，不能再补充材料", a.Status.Name())
		}
		if err := checkAttachments(tx, actor, attachments); err != nil {
			return err
		}
		data := map[string]any{}
		if len(attachments) > 0 {
			data["attachments"] = attachments
			if err := tx.LinkAttachments(a.ID, "supplement", attachments); err != nil {
				return err
			}
		}
		return s.AppendOnly(tx, actor, a, "supplement", note, data, now)
	})
}

// MyTrack is the resident-safe timeline of an appeal its resident filed.
func (s *Service) MyTrack(ctx context.Context, actor huying.Actor, id int64) (*Tracking, error) {
	if err := actor.RequireScope(huying.ScopeRead); err != nil {
		return nil, err
	}
	a, err := s.Store.Appeal(ctx, id)
	if err != nil && huying.ErrorCode(err) != huying.ENOTFOUND {
		return nil, err
	}
	if err != nil || a.CreatedBy != actor.User.ID {
		return nil, huying.Errorf(huying.ENOTFOUND, "诉求不存在")
	}
	return s.tracking(ctx, a)
}

// Subscribe asks for an SMS at every step of an appeal the resident filed
// (订阅办理进度), to the resident's verified phone.
func (s *Service) Subscribe(ctx context.Context, actor huying.Actor, id int64) error {
	if !actor.IsResident() {
		return huying.Errorf(huying.EFORBIDDEN, "只有诉求人本人可以订阅办理进度")
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx huying.Tx) error {
		a, err := s.LockVisible(tx, actor, id)
		if err != nil {
			return err
		}
		if a.CreatedBy != actor.User.ID || actor.User.Phone == "" {
			return huying.Errorf(huying.ENOTFOUND, "诉求不存在")
		}
		return tx.Subscribe(a.ID, actor.User.Phone, now)
	})
}
