package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"huying"
)

// ChannelSupplement is a comment an app passes on for a resident
// (Open311's service request update): see SupplementForChannel.
type ChannelSupplement struct {
	// Note is the comment's text, at most huying.MaxContentRunes.
	Note string
	// Links are the comment's media links (http or https, checked by the
	// caller), at most huying.MaxAttachments.
	Links []string
	// Author is the writer's name as the app gives it.
	Author string
	// Phone is the writer's phone as the app gives it; the event records
	// only whether it is the phone the appeal was filed with.
	Phone string
	// State is the state of the request the app sent with the comment
	// (FixMyStreet's status), kept for the record.
	State string
	// Key is the app's id of the comment; a second call with the same key
	// records nothing and returns the first call's event. "" never matches.
	Key string
}

// SupplementForChannel records a comment an app passes on for the appeal
// it filed, as a supplement (补充) on the appeal's timeline that its unit
// and the centre read, in every status: a resident's word on a closed
// appeal is kept too. It changes no status. It returns the event's place in
// the appeal's chain and whether Key had been recorded already. Returns
// ENOTFOUND (another channel's appeal or no such code) or EINVALID.
func (s *Service) SupplementForChannel(ctx context.Context, actor huying.Actor, code string, in ChannelSupplement) (seq int64, replayed bool, err error) {
	in.Note = strings.TrimSpace(in.Note)
	switch {
	case in.Note == "" && len(in.Links) == 0:
		return 0, false, huying.FieldErrorf("note", "请填写补充内容")
	case utf8.RuneCountInString(in.Note) > huying.MaxContentRunes:
		return 0, false, huying.FieldErrorf("note", "补充内容不能超过 %d 个字", huying.MaxContentRunes)
	case len(in.Links) > huying.MaxAttachments:
		return 0, false, huying.FieldErrorf("attachments", "图片链接不能超过 %d 个", huying.MaxAttachments)
	case len(in.Key) > 200:
		return 0, false, huying.FieldErrorf("update_id", "更新编号不能超过 200 个字符")
	}
	a, err := s.Store.AppealByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return 0, false, err
	}
	if !actor.IsChannel() || a.CreatedBy != actor.User.ID {
		return 0, false, huying.Errorf(huying.ENOTFOUND, "诉求不存在")
	}
	note := in.Note
	for _, l := range in.Links {
		note += "\n图片链接：" + l
	}
	data := map[string]any{"resident": in.Phone != "" && in.Phone == a.ContactPhone}
	for k, v := range map[string]string{"author": in.Author, "state": in.State, "update_id": in.Key} {
		if v != "" {
			data[k] = v
		}
	}
	if len(in.Links) > 0 {
		data["media_url"] = in.Links
	}
	now := s.now()
	err = s.Store.Update(ctx, func(tx huying.Tx) error {
		seq, replayed = 0, false
		a, err := tx.Appeal(a.ID)
		if err != nil {
			return err
		}
		if in.Key != "" {
			// A counter per key marks it taken in the event's transaction.
			n, err := tx.NextSeq(fmt.Sprintf("supplement:%d:%d:%s", actor.User.ID, a.ID, in.Key))
			if err != nil {
				return err
			}
			if replayed = n > 1; replayed {
				return nil
			}
		}
		e := huying.NewEvent(a, actor, "supplement", a.Status, a.Status, note, data, now)
		if err := s.record(tx, a, e); err != nil {
			return err
		}
		seq = e.Seq
		return nil
	})
	if err != nil || !replayed {
		return seq, replayed, err
	}
	events, err := s.Store.AppealEvents(ctx, a.ID)
	if err != nil {
		return 0, true, err
	}
	for _, e := range events {
		var d struct {
			Key string `json:"update_id"`
		}
		if e.Kind == "supplement" && e.ActorID == actor.User.ID && json.Unmarshal([]byte(e.Data), &d) == nil && d.Key == in.Key {
			return e.Seq, true, nil
		}
	}
	return 0, true, fmt.Errorf("supplement %s: key %q is taken but its event is missing", a.Code, in.Key)
}
