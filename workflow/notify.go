package workflow

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strconv"
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
	tplWhistle    = "%s吹哨报到：%s就诉求 %s（%s）吹哨，请贵单位按时到场报到。事由：%s"                    // sign, blowing unit, code, title, reason
	tplFlag       = "%s挂牌督办：诉求 %s（%s）已挂牌督办，督办时限%s，请按时办结并报告进展。"                  // sign, code, title, due label
	tplYellow     = "%s黄灯预警：诉求 %s（%s）%s，请抓紧办理。"                                 // sign, code, title, the clock's note
	tplReturned   = "%s退单待审核：%s退回诉求 %s（%s），原因：%s。"                              // sign, unit, code, title, reason
	tplRuling     = "%s退单审核结果：诉求 %s（%s）%s。"                                     // sign, code, title, ruling
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
	default:
		if err := s.staffNotices(tx, a, e, func(users []*huying.User, template, format string, args ...any) {
			sign := append([]any{s.NoticeSign}, args...)
			payload, _ := json.Marshal(huying.InboxPayload{Text: fmt.Sprintf(format, append([]any{""}, args...)...), AppealID: a.ID, Code: a.Code})
			for _, u := range users {
				sms(u.Phone, template, fmt.Sprintf(format, sign...))
				notices = append(notices, &huying.Notice{Channel: huying.NoticeConsole, Recipient: strconv.FormatInt(u.ID, 10),
					Template: template, Payload: string(payload)})
			}
		}); err != nil {
			return nil, err
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
		if n.Channel == huying.NoticeConsole {
			n.NextAt, n.SentAt = nil, &now // delivered as written: the inbox reads it
		}
		if n.Channel == huying.NoticeSMS && !huying.IsMobile(n.Recipient) {
			// A landline gets no SMS: the notice is kept, marked undeliverable.
			n.NextAt, n.LastError = nil, ErrNotMobile
		}
	}
	return notices, nil
}

// tellFunc tells staff of an event: an SMS to each who has a phone and an
// in-console notice to every one; format's first %s is the SMS signature.
type tellFunc func(users []*huying.User, template, format string, args ...any)

// staffNotices tells the staff an event concerns: a new order (派单, 改派,
// 重办), a recall, a 催办 or late signing, a 督办, a 吹哨 summons, a 挂牌督办,
// a yellow warning, a 退单 and its ruling.
func (s *Service) staffNotices(tx huying.Tx, a *huying.Appeal, e *huying.Event, tell tellFunc) error {
	now := e.At
	var data struct {
		Lead     string   `json:"previous_lead"`
		Decision string   `json:"decision"`
		Units    []string `json:"units"`
		Unit     string   `json:"unit"`
		DueAt    string   `json:"due_at"`
		Reason   string   `json:"reason"`
	}
	_ = json.Unmarshal([]byte(e.Data), &data)
	handlers := func(unit string) ([]*huying.User, error) { return s.unitStaff(tx, now, unit) }
	tellUnit := func(unit, template, format string, args ...any) error {
		users, err := handlers(unit)
		if err == nil {
			tell(users, template, format, args...)
		}
		return err
	}
	switch e.Kind {
	case "urge":
		if strings.Contains(e.Data, `"manual":true`) {
			// A 催办 by hand says how the clock stands and carries the note.
			state := "尚未设定办理时限"
			if a.DueAt != nil {
				state = "办理时限" + s.DueLabel(*a.DueAt)
			}
			return tellUnit(a.LeadUnit(), "催办", tplUrgeByHand, a.Code, a.Title, state, e.Note)
		}
		return tellUnit(a.LeadUnit(), "催办", tplUrge, a.Code, a.Title)
	case "sign_escalated":
		return tellUnit(a.LeadUnit(), "签收提醒", tplSignLate, a.Code, a.Title)
	case string(huying.CmdArbitrate):
		if data.Decision == DecisionDesignate || data.Lead == a.LeadUnit() {
			return tellUnit(a.LeadUnit(), "退单审核", tplRuling, a.Code, a.Title, "退单不予同意，仍由贵单位办理"+prefixed("，", s.dueClause(a, "")))
		}
		if err := tellUnit(data.Lead, "退单审核", tplRuling, a.Code, a.Title, "同意退单，已改派"+s.unitName(tx, a.LeadUnit())); err != nil {
			return err
		}
		return tellUnit(a.LeadUnit(), "派单通知", tplNewOrder, a.Code, a.Title, s.dueClause(a, "，"))
	case string(huying.CmdDispatch), string(huying.CmdPassDown), string(huying.CmdRate):
		if e.Kind == string(huying.CmdRate) && e.ToStatus != huying.StatusDispatched {
			return nil
		}
		// A new order (派单, 转派社区, 重办) tells the lead unit's handlers.
		return tellUnit(a.LeadUnit(), "派单通知", tplNewOrder, a.Code, a.Title, s.dueClause(a, "，"))
	case string(huying.CmdAssign):
		u, err := tx.UserForUpdate(a.AssigneeID)
		if err == nil {
			tell([]*huying.User{u}, "派单通知", tplAssigned, a.Code, a.Title, s.dueClause(a, "，"))
		}
		return err
	case string(huying.CmdRecall):
		return tellUnit(data.Lead, "撤回通知", tplRecalled, a.Code, a.Title, cmp.Or(e.Note, "分拨中心重新派单"))
	case string(huying.CmdReturn):
		dispatchers, err := s.staff(tx, now, func(u *huying.User) bool { return u.Has(huying.RoleDispatcher) })
		if err == nil {
			tell(dispatchers, "退单待审核", tplReturned, s.unitName(tx, e.UnitID), a.Code, a.Title, cmp.Or(data.Reason, e.Note))
		}
		return err
	case "supervise":
		supervisors, err := s.staff(tx, now, func(u *huying.User) bool { return u.Has(huying.RoleSupervisor) })
		if err == nil {
			tell(supervisors, "督办", tplSupervise, a.Code, a.Title)
		}
		return err
	case "whistle":
		for _, unit := range data.Units {
			if err := tellUnit(unit, "吹哨报到", tplWhistle, s.unitName(tx, e.UnitID), a.Code, a.Title, e.Note); err != nil {
				return err
			}
		}
	case "flag":
		due := ""
		if t, err := time.Parse(time.RFC3339, data.DueAt); err == nil {
			due = s.DueLabel(t)
		}
		if err := tellUnit(a.LeadUnit(), "挂牌督办", tplFlag, a.Code, a.Title, due); err != nil {
			return err
		}
	case "deadline_yellow":
		return tellUnit(data.Unit, "黄灯预警", tplYellow, a.Code, a.Title, e.Note)
	}
	return nil
}

// dueClause is "办理时限…" and suffix when the appeal has a handling deadline.
func (s *Service) dueClause(a *huying.Appeal, suffix string) string {
	if a.DueAt == nil {
		return ""
	}
	return "办理时限" + s.DueLabel(*a.DueAt) + suffix
}

// prefixed is p+s, or "" when s is.
func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

// unitName is a unit's name read through tx, or its id when it cannot be read.
func (s *Service) unitName(tx huying.Tx, id string) string {
	if u, err := tx.Unit(id); err == nil {
		return u.Name
	}
	return id
}

// unitStaff are the staff who act for unit: the dispatchers for the
// centre (its clocks are the dispatch stages), the handlers elsewhere.
func (s *Service) unitStaff(tx huying.Tx, now time.Time, unit string) ([]*huying.User, error) {
	if unit == "" {
		return nil, nil
	}
	centre, err := s.centreID(tx)
	if err != nil {
		return nil, err
	}
	if unit == centre {
		return s.staff(tx, now, func(u *huying.User) bool { return u.Has(huying.RoleDispatcher) })
	}
	return s.staff(tx, now, func(u *huying.User) bool { return u.UnitID == unit && u.Has(huying.RoleHandler) })
}

// staff returns the enabled staff matching keep, briefly cached and read through tx.
func (s *Service) staff(tx huying.Tx, now time.Time, keep func(*huying.User) bool) ([]*huying.User, error) {
	all, err := s.users.get(now, tx.Users)
	if err != nil {
		return nil, err
	}
	var out []*huying.User
	for _, u := range all {
		if u.DisabledAt == nil && keep(u) {
			out = append(out, u)
		}
	}
	return out, nil
}
