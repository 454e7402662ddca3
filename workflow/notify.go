package workflow

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"huying"
)

// SMS templates (短信模板). %s are filled in order as each comment says.
const (
	tplAccepted   = "%s您好，您反映的诉求已受理，编号 %s。可凭编号和手机号后四位查询办理进度。"                   // sign, code
	tplHandled    = "%s您反映的诉求（编号 %s）已办结，办理结果：%s。如有疑问请致电 12345。"                 // sign, code, result
	tplCallback   = "%s请对诉求（编号 %s）的办理情况进行评价：满意、基本满意或不满意。"                       // sign, code
	tplUrge       = "%s催办：诉求 %s（%s）已超过办理时限，请尽快办结并答复诉求人。"                        // sign, code, title
	tplUrgeByHand = "%s催办：诉求 %s（%s）%s，请尽快办理。催办意见：%s"                            // sign, code, title, due label, note
	tplSupervise  = "%s督办：诉求 %s（%s）催办后仍未办结，请督促承办单位。"                            // sign, code, title
	tplSignLate   = "%s签收提醒：诉求 %s（%s）签收超时，请单位负责人督促签收。"                          // sign, code, title
	tplProgress   = "%s您订阅的诉求（编号 %s）有新进度：%s。"                                   // sign, code, step
	tplNewOrder   = "%s新工单：诉求 %s（%s）已派至贵单位，%s请及时签收办理。"                          // sign, code, title, due label with "，"
	tplRecalled   = "%s撤回通知：工单 %s（%s）已由分拨中心撤回，无需继续办理。原因：%s"                     // sign, code, title, reason
	tplSplit      = "%s您反映的诉求（编号 %s）含多项事项，已拆分为 %d 件分别办理：%s。可凭原编号和手机号后四位查询各项进度。" // sign, code, count, codes
	tplAssigned   = "%s新工单：诉求 %s（%s）已由本单位指派给您办理，%s请及时处理。"                       // sign, code, title, due label with "，"
)

// ErrNotMobile is the outbox's note on an SMS to a number that is not a
// mobile (a landline the resident left): it is never sent.
const ErrNotMobile = "不是手机号码，短信无法送达"

// cached keeps a list read from the store for a few seconds, so that
// intake and sweeps do not read the webhook subscribers or the staff on
// every event.
type cached[T any] struct {
	mu      sync.Mutex
	list    []T
	expires time.Time
}

// get returns the cached list, reading it with load when it is older than
// ten seconds. On a read error it returns the last known list and the error.
func (c *cached[T]) get(now time.Time, load func() ([]T, error)) ([]T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Before(c.expires) {
		return c.list, nil
	}
	list, err := load()
	if err != nil {
		return c.list, err
	}
	c.list, c.expires = list, now.Add(10*time.Second)
	return c.list, nil
}

// reset makes the next get read the store.
func (c *cached[T]) reset() {
	c.mu.Lock()
	c.expires = time.Time{}
	c.mu.Unlock()
}

// liveWebhooks are the subscribers not disabled or suspended, briefly
// cached and read through tx.
func (s *Service) liveWebhooks(tx huying.Tx, now time.Time) ([]*huying.Webhook, error) {
	all, err := s.hooks.get(now, tx.Webhooks)
	if err != nil {
		return nil, err
	}
	var live []*huying.Webhook
	for _, h := range all {
		if h.DisabledAt == nil {
			live = append(live, h)
		}
	}
	return live, nil
}

// record appends an event and, in the same transaction, the notices it
// causes, with a progress SMS to residents subscribed to the appeal.
func (s *Service) record(tx huying.Tx, a *huying.Appeal, e *huying.Event) error {
	if err := tx.AppendEvent(e); err != nil {
		return err
	}
	notices, err := s.notices(tx, a, e)
	if err != nil {
		return err
	}
	if step, ok := progressSteps[e.Kind]; ok && e.FromStatus != e.ToStatus {
		phones, err := tx.Subscribers(a.ID)
		if err != nil {
			return err
		}
		for _, p := range phones {
			notices = append(notices, &huying.Notice{EventID: e.ID, Channel: huying.NoticeSMS, Recipient: p, Template: "进度提醒",
				Payload: fmt.Sprintf(tplProgress, s.NoticeSign, a.Code, step), NextAt: &e.At, CreatedAt: e.At})
		}
	}
	return tx.EnqueueNotices(notices)
}

// progressSteps are the steps a subscribed resident is told of, beyond the
// notices every resident gets.
var progressSteps = map[string]string{
	string(huying.CmdDispatch): "已派单至承办单位", string(huying.CmdArbitrate): "已重新派单",
	string(huying.CmdSign): "承办单位已签收", string(huying.CmdContact): "承办单位正在办理",
	string(huying.CmdDecideExtension): "办理期限已调整",
}

// notices returns the notices an appended event causes: SMS to the
// resident at the steps the rules require (受理告知, 办理告知, 回访邀请), SMS
// to staff on escalations (催办, 督办, 签收提醒), and the event to every
// webhook subscriber.
func (s *Service) notices(tx huying.Tx, a *huying.Appeal, e *huying.Event) ([]*huying.Notice, error) {
	now := e.At
	var notices []*huying.Notice
	sms := func(to, template, text string) {
		if to != "" {
			notices = append(notices, &huying.Notice{Channel: huying.NoticeSMS, Recipient: to, Template: template, Payload: text})
		}
	}
	switch {
	case e.Kind == string(huying.CmdReceive):
		if a.ParentID == 0 { // a split's parts: the split tells the resident once
			sms(a.ContactPhone, "受理告知", fmt.Sprintf(tplAccepted, s.NoticeSign, a.Code))
		}
	case e.Kind == string(huying.CmdSplit):
		var data struct {
			Children []string `json:"children"`
		}
		_ = json.Unmarshal([]byte(e.Data), &data)
		sms(a.ContactPhone, "拆分告知", fmt.Sprintf(tplSplit, s.NoticeSign, a.Code, len(data.Children), strings.Join(data.Children, "、")))
	case e.Kind == EventSplitReviewed:
		sms(a.ContactPhone, "回访邀请", fmt.Sprintf(tplCallback, s.NoticeSign, a.Code))
	case e.Kind == string(huying.CmdReview) && e.ToStatus == huying.StatusReviewed && a.ParentID != 0 && s.callbackAtEnd():
		// A part waits for the callback at the end, on its parent.
	case e.Kind == string(huying.CmdAssign):
		u, err := tx.UserForUpdate(a.AssigneeID)
		if err != nil {
			return nil, err
		}
		state := ""
		if a.DueAt != nil {
			state = "办理时限" + s.DueLabel(*a.DueAt) + "，"
		}
		sms(u.Phone, "派单通知", fmt.Sprintf(tplAssigned, s.NoticeSign, a.Code, a.Title, state))
	case e.Kind == string(huying.CmdReply), e.Kind == string(huying.CmdReview) && e.ToStatus == huying.StatusReviewed:
		// The residents of the appeals merged into this one hear its outcome
		// under their own codes, and are invited to rate it too.
		merged, err := tx.MergedInto(a.ID)
		if err != nil {
			return nil, err
		}
		for _, x := range append([]*huying.Appeal{a}, merged...) {
			if e.Kind == string(huying.CmdReply) {
				sms(x.ContactPhone, "办理告知", fmt.Sprintf(tplHandled, s.NoticeSign, x.Code, a.ResultClass))
			} else {
				sms(x.ContactPhone, "回访邀请", fmt.Sprintf(tplCallback, s.NoticeSign, x.Code))
			}
		}
	case e.Kind == "urge" || e.Kind == "sign_escalated":
		text, name := fmt.Sprintf(tplUrge, s.NoticeSign, a.Code, a.Title), "催办"
		switch {
		case e.Kind == "sign_escalated":
			text, name = fmt.Sprintf(tplSignLate, s.NoticeSign, a.Code, a.Title), "签收提醒"
		case strings.Contains(e.Data, `"manual":true`):
			// A 催办 by hand says how the clock stands and carries the note.
			state := "尚未设定办理时限"
			if a.DueAt != nil {
				state = "办理时限" + s.DueLabel(*a.DueAt)
			}
			text = fmt.Sprintf(tplUrgeByHand, s.NoticeSign, a.Code, a.Title, state, e.Note)
		}
		staff, err := s.handlers(tx, now, a.LeadUnit())
		if err != nil {
			return nil, err
		}
		for _, u := range staff {
			sms(u.Phone, name, text)
		}
	case e.Kind == string(huying.CmdDispatch) || e.Kind == string(huying.CmdArbitrate) || e.Kind == string(huying.CmdPassDown) ||
		e.Kind == string(huying.CmdRate) && e.ToStatus == huying.StatusDispatched:
		// A new order (派单, 改派, 重办, 转派社区) tells the lead unit's handlers.
		staff, err := s.handlers(tx, now, a.LeadUnit())
		if err != nil {
			return nil, err
		}
		state := ""
		if a.DueAt != nil {
			state = "办理时限" + s.DueLabel(*a.DueAt) + "，"
		}
		for _, u := range staff {
			sms(u.Phone, "派单通知", fmt.Sprintf(tplNewOrder, s.NoticeSign, a.Code, a.Title, state))
		}
	case e.Kind == string(huying.CmdRecall):
		var data struct {
			Lead string `json:"previous_lead"`
		}
		_ = json.Unmarshal([]byte(e.Data), &data)
		staff, err := s.handlers(tx, now, data.Lead)
		if err != nil {
			return nil, err
		}
		for _, u := range staff {
			sms(u.Phone, "撤回通知", fmt.Sprintf(tplRecalled, s.NoticeSign, a.Code, a.Title, cmp.Or(e.Note, "分拨中心重新派单")))
		}
	case e.Kind == "supervise":
		staff, err := s.staff(tx, now, func(u *huying.User) bool { return u.Has(huying.RoleSupervisor) })
		if err != nil {
			return nil, err
		}
		for _, u := range staff {
			sms(u.Phone, "督办", fmt.Sprintf(tplSupervise, s.NoticeSign, a.Code, a.Title))
		}
	}
	// Confidential appeals (保密) never leave the system through webhooks.
	if e.Kind != huying.EventContactViewed && !a.Confidential {
		hooks, err := s.liveWebhooks(tx, now)
		if err != nil {
			return nil, err
		}
		if len(hooks) > 0 {
			body, _ := json.Marshal(map[string]any{"event_id": e.ID, "kind": e.Kind, "appeal_code": a.Code,
				"from_status": e.FromStatus, "to_status": e.ToStatus, "at": e.At.Format(time.RFC3339Nano), "hash": e.Hash})
			for _, h := range hooks {
				notices = append(notices, &huying.Notice{Channel: huying.NoticeWebhook, Recipient: fmt.Sprint(h.ID), Template: e.Kind, Payload: string(body)})
			}
		}
	}
	for _, n := range notices {
		n.EventID, n.CreatedAt, n.NextAt = e.ID, now, &now
		if n.Channel == huying.NoticeSMS && !huying.IsMobile(n.Recipient) {
			// A landline gets no SMS: the notice is kept, marked undeliverable.
			n.NextAt, n.LastError = nil, ErrNotMobile
		}
	}
	return notices, nil
}

// handlers are the handlers of unit with a phone number, who get its SMS.
func (s *Service) handlers(tx huying.Tx, now time.Time, unit string) ([]*huying.User, error) {
	return s.staff(tx, now, func(u *huying.User) bool { return u.UnitID == unit && u.Has(huying.RoleHandler) })
}

// staff returns the users matching keep that have a phone number, briefly
// cached and read through tx.
func (s *Service) staff(tx huying.Tx, now time.Time, keep func(*huying.User) bool) ([]*huying.User, error) {
	all, err := s.users.get(now, tx.Users)
	if err != nil {
		return nil, err
	}
	var out []*huying.User
	for _, u := range all {
		if u.Phone != "" && keep(u) {
			out = append(out, u)
		}
	}
	return out, nil
}
