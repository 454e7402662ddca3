package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huying"
)

// SplitPart is one part of a split (拆分): its own content and title, an
// optional type (the parent's by default) and an optional lead unit to
// dispatch it to at once.
type SplitPart struct {
	Title      string            `json:"title"`
	Content    string            `json:"content"`
	Type       huying.AppealType `json:"type"`
	LeadUnitID string            `json:"lead_unit_id"`
	// Category is the dispatch category (分类), recorded when the part is
	// dispatched at once.
	Category string `json:"category"`
}

// MaxSplitParts is how many parts one split makes at most.
const MaxSplitParts = 10

// How the resident of a split appeal is called back (回访), a deployment's
// setting (serve --split-callback): once per part, each part rated on its
// own as any appeal; or once at the end, when every part is reviewed or
// closed, on the parent, whose rating then rates every reviewed part.
const (
	SplitCallbackPart = "part"
	SplitCallbackEnd  = "end"
)

// Event kinds of a split parent's own moves (not commands anyone runs):
// EventSplitReviewed moves it to 待回访 once every part is reviewed or
// closed (callback at the end).
const EventSplitReviewed = "split_reviewed"

// callbackAtEnd reports whether split appeals are called back once, at the end.
func (s *Service) callbackAtEnd() bool { return s.SplitCallback == SplitCallbackEnd }

func validateSplit(in *Action) error {
	switch {
	case len(in.Parts) < 2:
		return huying.FieldErrorf("parts", "拆分至少需要两个部分")
	case len(in.Parts) > MaxSplitParts:
		return huying.FieldErrorf("parts", "一次拆分不能超过 %d 个部分", MaxSplitParts)
	}
	for i := range in.Parts {
		p := &in.Parts[i]
		p.Title, p.Content, p.LeadUnitID = strings.TrimSpace(p.Title), strings.TrimSpace(p.Content), strings.TrimSpace(p.LeadUnitID)
		p.Type, p.Category = huying.AppealType(strings.TrimSpace(string(p.Type))), strings.TrimSpace(p.Category)
		if err := validCategory(p.Category); err != nil {
			return huying.FieldErrorf(fmt.Sprintf("parts[%d].category", i), "第 %d 部分：%s", i+1, huying.ErrorMessage(err))
		}
		field := func(name string) string { return fmt.Sprintf("parts[%d].%s", i, name) }
		if err := huying.CheckText(field("content"), p.Content); err != nil {
			return err
		}
		if err := huying.CheckText(field("title"), p.Title); err != nil {
			return err
		}
		switch {
		case p.Content == "":
			return huying.FieldErrorf(field("content"), "请填写第 %d 部分的诉求内容", i+1)
		case utf8.RuneCountInString(p.Content) > huying.MaxContentRunes:
			return huying.FieldErrorf(field("content"), "第 %d 部分的诉求内容不能超过 %d 个字", i+1, huying.MaxContentRunes)
		case utf8.RuneCountInString(p.Title) > huying.MaxTitleRunes:
			return huying.FieldErrorf(field("title"), "第 %d 部分的标题不能超过 %d 个字", i+1, huying.MaxTitleRunes)
		case p.Type != "" && !slices.Contains(huying.AppealTypes, p.Type):
			return huying.FieldErrorf(field("type"), "第 %d 部分的诉求类型必须是咨询、求助、投诉、举报或建议之一", i+1)
		}
	}
	return nil
}

// applySplit splits an appeal not yet dispatched into child appeals (拆分),
// each its own code (the parent's + "-1", "-2" …), type, lead unit and
// clocks, created in the parent's transaction with an event naming the
// parent. The parent waits on them (StatusSplit) and archives itself with
// the last one's close.
//
// A part may not be split again: a split is one level, so that the parent
// closes exactly when its parts have, the resident follows the parts on
// the parent's one page, and the callback at the end rates exactly them.
func applySplit(ctx context.Context, s *Service, tx huying.Tx, actor huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	if a.ParentID != 0 {
		return nil, huying.Errorf(huying.ECONFLICT, "本单是拆分所得的子单，不能再拆分：拆分只分一层，主单随全部子单办结而归档、诉求人在主单一页查看各部分，子单再拆会使两者无从对应")
	}
	codes := make([]string, len(in.Parts))
	for i := range in.Parts {
		codes[i] = fmt.Sprintf("%s-%d", a.Code, i+1)
	}
	parts := in.Parts
	return &change{to: huying.StatusSplit, note: in.Note,
		data: map[string]any{"children": codes, "callback": cmpOr(s.SplitCallback, SplitCallbackPart)},
		also: func(tx huying.Tx) error {
			for i, p := range parts {
				if err := s.createPart(tx, actor, a, codes[i], i, p, now); err != nil {
					return err
				}
			}
			return nil
		}}, nil
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// createPart writes one child appeal of a split: the parent's resident,
// place, channel, confidentiality and files with the part's words, its
// receive event naming the parent, its dispatch clock, and its dispatch
// when the part names a lead.
func (s *Service) createPart(tx huying.Tx, actor huying.Actor, parent *huying.Appeal, code string, i int, p SplitPart, now time.Time) error {
	c := &huying.Appeal{
		Code: code, Type: huying.AppealType(cmpOr(string(p.Type), string(parent.Type))), Urgency: parent.Urgency,
		Channel: parent.Channel, Title: cmpOr(p.Title, huying.DefaultTitle(p.Content)), Content: p.Content,
		Address: parent.Address, Point: parent.Point, ContactName: parent.ContactName, ContactPhone: parent.ContactPhone,
		Confidential: parent.Confidential, Status: huying.StatusReceived, Version: 1,
		Attachments: slices.Clone(parent.Attachments), CreatedBy: parent.CreatedBy,
		ReceivedAt: parent.ReceivedAt, UpdatedAt: now, Street: parent.Street, Community: parent.Community, ParentID: parent.ID,
	}
	if err := tx.CreateAppeal(c); err != nil {
		return err
	}
	data := map[string]any{"channel": c.Channel, "type": c.Type, "urgency": c.Urgency, "code": c.Code, "parent": parent.Code}
	e := huying.NewEvent(c, actor, string(huying.CmdReceive), huying.StatusNone, huying.StatusReceived,
		fmt.Sprintf("由诉求 %s 拆分而来（第 %d 部分）", parent.Code, i+1), data, now)
	e.Seq = 1 // a new appeal starts its chain
	if err := s.record(tx, c, e); err != nil {
		return err
	}
	if err := s.setClocks(tx, c, now, nil); err != nil {
		return err
	}
	if p.LeadUnitID == "" {
		return nil
	}
	dd, err := s.assign(tx, c, &Action{LeadUnitID: p.LeadUnitID, Category: p.Category})
	if huying.ErrorCode(err) == huying.EINVALID {
		return huying.FieldErrorf(fmt.Sprintf("parts[%d].lead_unit_id", i), "第 %d 部分：%s", i+1, huying.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	c.DueAt = s.closeDue(c, now)
	return s.commit(tx, actor, c, huying.CmdDispatch, huying.StatusReceived,
		&change{to: huying.StatusDispatched, note: "拆分时派单", data: withDue(dd, c)}, now)
}

// partMoved runs in the transaction of a part's change to 待回访 or to a
// closed status: the parent, locked first so that two parts closing at
// once see each other, archives itself when every part has closed, and
// with the callback at the end moves to 待回访 once every part is reviewed
// or closed.
func (s *Service) partMoved(tx huying.Tx, part *huying.Appeal, now time.Time) error {
	parent, err := tx.Appeal(part.ParentID)
	if err != nil {
		return err
	}
	parts, err := tx.Children(parent.ID)
	if err != nil {
		return err
	}
	closed, waiting := 0, 0
	codes := make([]string, len(parts))
	for i, c := range parts {
		codes[i] = c.Code
		switch {
		case !c.Status.Open():
			closed++
		case c.Status == huying.StatusReviewed:
			waiting++
		}
	}
	switch {
	case closed == len(parts) && (parent.Status == huying.StatusSplit || parent.Status == huying.StatusRated):
		return s.commit(tx, system, parent, huying.CmdArchive, parent.Status, &change{to: huying.StatusArchived,
			note: "各子单均已办结，主单自动归档", data: map[string]any{"children": codes}}, now)
	case s.callbackAtEnd() && parent.Status == huying.StatusSplit && waiting > 0 && closed+waiting == len(parts):
		version := parent.Version
		parent.Status, parent.UpdatedAt = huying.StatusReviewed, now
		if err := tx.UpdateAppeal(parent, version); err != nil {
			return err
		}
		e := huying.NewEvent(parent, system, EventSplitReviewed, huying.StatusSplit, huying.StatusReviewed,
			"各子单均已办结审核，统一回访", map[string]any{"children": codes}, now)
		if err := s.record(tx, parent, e); err != nil {
			return err
		}
		return s.reconcileDeadlines(tx, parent, now)
	}
	return nil
}

// rateSplit is the callback at the end: the rating of a split parent
// rates each of its reviewed parts as a callback of its own would (a
// 不满意 sends each back to redo), and the parent goes back to waiting on
// them when any is redone. The parent, archived by its last part's close
// in this transaction, is read back into a.
func rateSplit(ctx context.Context, s *Service, tx huying.Tx, actor huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	parts, err := tx.Children(a.ID)
	if err != nil {
		return nil, err
	}
	var rated []int64
	codes := []string{}
	redo := false
	for _, c := range parts {
		if c.Status == huying.StatusReviewed {
			rated, codes = append(rated, c.ID), append(codes, c.Code)
			redo = redo || in.Rating.Satisfaction == huying.Unsatisfied && c.RedoCount < huying.MaxRedo
		}
	}
	if len(rated) == 0 {
		return nil, huying.Errorf(huying.ECONFLICT, "本单的子单均无待回访的办理结果")
	}
	a.Rating = in.Rating
	to, note := huying.StatusRated, in.Rating.Comment
	if redo {
		to, note = huying.StatusSplit, "诉求人不满意，子单重办"
	}
	return &change{to: to, note: note, data: map[string]any{"rating": in.Rating, "children": codes},
		also: func(tx huying.Tx) error {
			for _, id := range rated {
				c, err := tx.Appeal(id)
				if err != nil {
					return err
				}
				ch, err := rateOne(ctx, s, tx, actor, c, in, now)
				if err != nil {
					return err
				}
				if err := s.commit(tx, actor, c, huying.CmdRate, huying.StatusReviewed, ch, now); err != nil {
					return err
				}
			}
			p, err := tx.Appeal(a.ID)
			if err != nil {
				return err
			}
			*a = *p
			return nil
		}}, nil
}

// Part is a part of a split appeal as the parent's page lists it.
type Part struct {
	ID         int64         `json:"id,omitempty"`
	Code       string        `json:"code"`
	Title      string        `json:"title"`
	Status     huying.Status `json:"status"`
	StatusName string        `json:"status_name"`
	// Unit is the lead unit's name ("" before dispatch).
	Unit  string     `json:"unit,omitempty"`
	DueAt *time.Time `json:"due_at,omitempty"`
}

// Parts returns the parts of split appeal id for an actor who may see it.
func (s *Service) Parts(ctx context.Context, actor huying.Actor, id int64) ([]Part, error) {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.parts(ctx, id)
}

func (s *Service) parts(ctx context.Context, id int64) ([]Part, error) {
	list, _, err := s.Store.Appeals(ctx, huying.AppealFilter{ParentID: id, Limit: MaxSplitParts, Sort: huying.SortOldest})
	if err != nil {
		return nil, err
	}
	names := s.unitNames(ctx)
	out := make([]Part, len(list))
	for i, c := range list {
		out[i] = Part{ID: c.ID, Code: c.Code, Title: c.Title, Status: c.Status, StatusName: c.Status.Name(),
			Unit: names[c.LeadUnit()], DueAt: c.DueAt}
	}
	return out, nil
}
