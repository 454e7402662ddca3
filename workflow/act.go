package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huying"
	"huying/sla"
)

// Action is the input of every lifecycle command after intake. Each command
// reads the fields it needs (see the OpenAPI document) and ignores the rest.
type Action struct {
	// Version, when non-zero, is the version the caller last saw; a newer
	// stored version makes the command fail with ECONFLICT.
	Version int `json:"version"`
	// Note is the free text: the answer, a reason's detail, progress, the reply.
	Note string `json:"note"`
	// Reason is a code from a fixed list (refuse, return).
	Reason string `json:"reason"`
	// LeadUnitID and AssistUnitIDs name the units of dispatch and arbitration.
	LeadUnitID    string   `json:"lead_unit_id"`
	AssistUnitIDs []string `json:"assist_unit_ids"`
	// TargetCode is the appeal a merge goes into.
	TargetCode string `json:"target_code"`
	// Decision: approve/refuse (extension, termination), accept/send_back
	// (review), reassign/designate (arbitration).
	Decision string `json:"decision"`
	// DueAt is the new deadline of an extension request or approval.
	DueAt *time.Time `json:"due_at"`
	// Method is how the resident was contacted (电话, 上门, 短信…).
	Method      string         `json:"method"`
	ResultClass string         `json:"result_class"`
	Rating      *huying.Rating `json:"rating"`
	// Outcome is the callback's result (rate): 已回访 (the default, with a
	// rating) or 未接通 (no rating; retried, then 无法联系).
	Outcome     string              `json:"outcome"`
	Attachments []huying.Attachment `json:"attachments"`
	// Category is the dispatch category the dispatcher chose (dispatch,
	// arbitrate); it corrects the classifier and becomes training data.
	Category string `json:"category"`
	// ArticleID is the knowledge-base article a direct answer is given from.
	ArticleID int64 `json:"article_id"`
	// Parts are the parts of a split (拆分).
	Parts []SplitPart `json:"parts"`
	// AssigneeID is the handler an order is assigned to (指派处理人).
	AssigneeID int64 `json:"assignee_id"`
}

// Decisions.
const (
	DecisionApprove   = "approve"
	DecisionRefuse    = "refuse"
	DecisionAccept    = "accept"
	DecisionSendBack  = "send_back"
	DecisionReassign  = "reassign"
	DecisionDesignate = "designate"
)

// change is what a command does to an appeal: the new status, the event's
// note and data. apply functions fill it and may edit the appeal.
type change struct {
	// kind names the event when it is not the command's own.
	kind string
	to   huying.Status
	note string
	data map[string]any
	// also is an extra event on another appeal in the same transaction.
	also func(tx huying.Tx) error
}

type applyFunc func(ctx context.Context, s *Service, tx huying.Tx, actor huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error)

// commands maps each lifecycle command to its input check and its effect.
var commands = map[huying.Command]struct {
	validate func(in *Action) error
	// unit says which units' handlers may run it: "lead" or "any" assigned unit.
	unit  string
	apply applyFunc
}{
	huying.CmdAnswer:             {validateNote("答复内容"), "", applyAnswer},
	huying.CmdRefuse:             {validateRefuse, "", applyRefuse},
	huying.CmdMerge:              {validateMerge, "", applyMerge},
	huying.CmdDispatch:           {validateUnits, "", applyDispatch},
	huying.CmdSign:               {nil, "lead", applySimple(huying.StatusSigned)},
	huying.CmdReturn:             {validateReturn, "lead", applyReturn},
	huying.CmdArbitrate:          {validateArbitrate, "", applyArbitrate},
	huying.CmdRecall:             {nil, "", applyRecall},
	huying.CmdContact:            {validateContact, "lead", applyContact},
	huying.CmdNote:               {validateNote("办理进展"), "any", applyNote},
	huying.CmdRequestExtension:   {validateExtension, "lead", applyRequestExtension},
	huying.CmdDecideExtension:    {validateDecision(DecisionApprove, DecisionRefuse), "", applyDecideExtension},
	huying.CmdRequestTermination: {validateNote("终止理由"), "lead", applySimple(huying.StatusTerminationRequested)},
	huying.CmdDecideTermination:  {validateDecision(DecisionApprove, DecisionRefuse), "", applyDecideTermination},
	huying.CmdReply:              {validateReply, "lead", applyReply},
	huying.CmdReview:             {validateReview, "", applyReview},
	huying.CmdRate:               {validateRate, "", applyRate},
	huying.CmdArchive:            {nil, "", applyArchive},
	huying.CmdSplit:              {validateSplit, "", applySplit},
	huying.CmdPassDown:           {validatePassDown, "lead", applyPassDown},
	huying.CmdAssign:             {validateAssign, "lead", applyAssign},
}

// Act runs a lifecycle command on appeal id and returns the appeal after it
// (contact masked). Returns EFORBIDDEN (role), EINVALID (input), ENOTFOUND
// (missing or not visible) or ECONFLICT (stale version, illegal transition).
func (s *Service) Act(ctx context.Context, actor huying.Actor, id int64, cmd huying.Command, in Action) (*huying.Appeal, error) {
	spec, ok := commands[cmd]
	if !ok {
		return nil, huying.Errorf(huying.EINVALID, "未知的操作 %q", cmd)
	}
	if !huying.CanRun(cmd, actor.User) {
		return nil, huying.Errorf(huying.EFORBIDDEN, "您没有权限执行「%s」", huying.Transitions[cmd].Name)
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > huying.MaxReasonRunes {
		return nil, huying.FieldErrorf("note", "说明不能超过 %d 个字", huying.MaxReasonRunes)
	}
	if spec.validate != nil {
		if err := spec.validate(&in); err != nil {
			return nil, err
		}
	}
	var out *huying.Appeal
	err := s.Store.Update(ctx, func(tx huying.Tx) error {
		a, err := s.LockVisible(tx, actor, id)
		if err != nil {
			return err
		}
		if in.Version != 0 && in.Version != a.Version {
			return huying.Errorf(huying.ECONFLICT, "诉求已被他人更新（当前版本 %d），请刷新后重试", a.Version)
		}
		if err := checkUnit(actor.User, a, spec.unit); err != nil {
			return err
		}
		from, now := a.Status, s.now()
		if err := huying.CheckFrom(cmd, from); err != nil {
			return err
		}
		c, err := spec.apply(ctx, s, tx, actor, a, &in, now)
		if err != nil {
			return err
		}
		if err := s.commit(tx, actor, a, cmd, from, c, now); err != nil {
			return err
		}
		out = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	return out.Masked(), nil
}

// commit writes a command's change: the transition check, the
// compare-and-set of the appeal, its event, any extra event, and the
// deadline rows the new status needs.
func (s *Service) commit(tx huying.Tx, actor huying.Actor, a *huying.Appeal, cmd huying.Command, from huying.Status, c *change, now time.Time) error {
	if c.to == "" {
		c.to = from
	}
	if err := huying.CheckTransition(cmd, from, c.to); err != nil {
		return err
	}
	version := a.Version
	a.Status, a.UpdatedAt = c.to, now
	if err := tx.UpdateAppeal(a, version); err != nil {
		return err
	}
	kind := string(cmd)
	if c.kind != "" {
		kind = c.kind
	}
	if err := s.record(tx, a, huying.NewEvent(a, actor, kind, from, c.to, c.note, c.data, now)); err != nil {
		return err
	}
	if c.also != nil {
		if err := c.also(tx); err != nil {
			return err
		}
	}
	if err := s.reconcileDeadlines(tx, a, now); err != nil {
		return err
	}
	if a.ParentID != 0 && from != a.Status && (!a.Status.Open() || a.Status == huying.StatusReviewed) {
		return s.partMoved(tx, a, now) // a part of a split: its parent may close
	}
	return nil
}

// checkUnit makes handlers act only for their own unit: the lead unit for
// sign, return, contact, extension, termination and reply; any assigned
// unit for progress notes.
func checkUnit(u *huying.User, a *huying.Appeal, which string) error {
	switch which {
	case "lead":
		if a.LeadUnit() != u.UnitID {
			return huying.Errorf(huying.EFORBIDDEN, "只有主办单位可以执行此操作")
		}
	case "any":
		if !a.AssignedTo(u.UnitID) {
			return huying.Errorf(huying.EFORBIDDEN, "您的单位不是此诉求的承办单位")
		}
	}
	return nil
}

func validateNote(what string) func(in *Action) error {
	return func(in *Action) error {
		if in.Note == "" {
			return huying.FieldErrorf("note", "请填写%s", what)
		}
		return nil
	}
}

func validateDecision(allowed ...string) func(in *Action) error {
	return func(in *Action) error {
		if !slices.Contains(allowed, in.Decision) {
			return huying.FieldErrorf("decision", "审批结果必须是 %s 之一", strings.Join(allowed, "、"))
		}
		if in.Decision == DecisionRefuse || in.Decision == DecisionSendBack {
			return validateNote("理由")(in)
		}
		return nil
	}
}

func validateRefuse(in *Action) error {
	if !slices.Contains(huying.RefuseReasons, in.Reason) {
		return huying.FieldErrorf("reason", "不予受理原因必须是 %s 之一", strings.Join(huying.RefuseReasons, "、"))
	}
	if (in.Reason == "告知法定途径" || in.Reason == "不予受理") && in.Note == "" {
		return huying.FieldErrorf("note", "请说明告知诉求人的法定途径或不予受理的理由")
	}
	return nil
}

func validateMerge(in *Action) error {
	in.TargetCode = strings.TrimSpace(in.TargetCode)
	if in.TargetCode == "" {
		return huying.FieldErrorf("target_code", "请填写要并入的诉求编号")
	}
	return nil
}

func validateUnits(in *Action) error {
	in.Category = strings.TrimSpace(in.Category)
	if err := validCategory(in.Category); err != nil {
		return err
	}
	in.LeadUnitID = strings.TrimSpace(in.LeadUnitID)
	if in.LeadUnitID == "" {
		return huying.FieldErrorf("lead_unit_id", "请选择主办单位")
	}
	seen := map[string]bool{in.LeadUnitID: true}
	for _, u := range in.AssistUnitIDs {
		if seen[u] {
			return huying.FieldErrorf("assist_unit_ids", "协办单位重复或与主办单位相同")
		}
		seen[u] = true
	}
	if len(in.AssistUnitIDs) > 10 {
		return huying.FieldErrorf("assist_unit_ids", "协办单位不能超过 10 个")
	}
	return nil
}

func validateReturn(in *Action) error {
	if !slices.Contains(huying.ReturnReasons, in.Reason) {
		return huying.FieldErrorf("reason", "退单原因必须是 %s 之一", strings.Join(huying.ReturnReasons, "、"))
	}
	return validateNote("退单说明")(in)
}

func validateArbitrate(in *Action) error {
	if in.Decision != DecisionReassign && in.Decision != DecisionDesignate {
		return huying.FieldErrorf("decision", "审核结果必须是 reassign（改派）或 designate（指定承办）")
	}
	return validateUnits(in)
}

func validateContact(in *Action) error {
	if strings.TrimSpace(in.Method) == "" {
		return huying.FieldErrorf("method", "请填写联系方式（如电话、上门、短信）")
	}
	return nil
}

func validateExtension(in *Action) error {
	if in.DueAt == nil {
		return huying.FieldErrorf("due_at", "请填写申请延期至的时间")
	}
	return validateNote("延期理由")(in)
}

func validateReply(in *Action) error {
	if !slices.Contains(huying.ResultClasses, in.ResultClass) {
		return huying.FieldErrorf("result_class", "办理结果必须是 %s 之一", strings.Join(huying.ResultClasses, "、"))
	}
	if len(in.Attachments) > huying.MaxAttachments {
		return huying.FieldErrorf("attachments", "附件不能超过 %d 个", huying.MaxAttachments)
	}
	return validateNote("答复内容")(in)
}

func validateReview(in *Action) error {
	return validateDecision(DecisionAccept, DecisionSendBack)(in)
}

func validateRate(in *Action) error {
	in.Outcome = strings.TrimSpace(in.Outcome)
	switch in.Outcome {
	case "", huying.CallbackReached:
	case huying.CallbackUnreached:
		if in.Rating != nil {
			return huying.FieldErrorf("rating", "回访未接通时不能填写评价")
		}
		return nil
	default:
		return huying.FieldErrorf("outcome", "回访结果必须是「%s」或「%s」", huying.CallbackReached, huying.CallbackUnreached)
	}
	r := in.Rating
	if r == nil || !slices.Contains(huying.Satisfactions, r.Satisfaction) {
		return huying.FieldErrorf("rating.satisfaction", "评价必须是满意、基本满意或不满意")
	}
	for _, d := range []int{r.Speed, r.Effect, r.Experience, r.ReplyQuality} {
		if d < 0 || d > 5 {
			return huying.FieldErrorf("rating", "各项评分须为 1 到 5 分（0 表示未评）")
		}
	}
	if utf8.RuneCountInString(r.Comment) > huying.MaxReasonRunes {
		return huying.FieldErrorf("rating.comment", "评价意见不能超过 %d 个字", huying.MaxReasonRunes)
	}
	return nil
}

func applySimple(to huying.Status) applyFunc {
	return func(_ context.Context, _ *Service, _ huying.Tx, _ huying.Actor, _ *huying.Appeal, in *Action, _ time.Time) (*change, error) {
		return &change{to: to, note: in.Note}, nil
	}
}

// applyAnswer answers a consultation directly (直接答复), from a knowledge
// article when one is named: the article must hold today, the event names
// it and its use is counted; every direct answer is recorded for 直接答复率.
func applyAnswer(ctx context.Context, _ *Service, tx huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	if a.Type != huying.TypeConsult {
		return nil, huying.Errorf(huying.ECONFLICT, "只有咨询类诉求可以直接答复，其他诉求请派单办理")
	}
	c := &change{to: huying.StatusAnswered, note: in.Note}
	if in.ArticleID != 0 {
		art, err := tx.Article(in.ArticleID)
		if huying.ErrorCode(err) == huying.ENOTFOUND {
			return nil, huying.FieldErrorf("article_id", "知识库条目 %d 不存在", in.ArticleID)
		} else if err != nil {
			return nil, err
		}
		if !art.ValidAt(now) {
			return nil, huying.FieldErrorf("article_id", "知识库条目「%s」不在有效期内，不能据此答复", art.Question)
		}
		c.data = map[string]any{"article_id": art.ID, "article_question": art.Question}
	}
	if err := tx.RecordDirectAnswer(a.ID, in.ArticleID, now); err != nil {
		return nil, err
	}
	return c, nil
}

func applyRefuse(ctx context.Context, _ *Service, _ huying.Tx, _ huying.Actor, _ *huying.Appeal, in *Action, _ time.Time) (*change, error) {
	return &change{to: huying.StatusRefused, note: in.Note, data: map[string]any{"reason": in.Reason}}, nil
}

func applyMerge(ctx context.Context, s *Service, tx huying.Tx, actor huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	target, err := tx.AppealByCode(in.TargetCode)
	if huying.ErrorCode(err) == huying.ENOTFOUND {
		return nil, huying.FieldErrorf("target_code", "要并入的诉求 %s 不存在", in.TargetCode)
	}
	if err != nil {
		return nil, err
	}
	target, err = tx.Appeal(target.ID)
	if err != nil {
		return nil, err
	}
	switch {
	case target.ID == a.ID:
		return nil, huying.FieldErrorf("target_code", "不能并入诉求自身")
	case target.Status == huying.StatusMerged || target.Status == huying.StatusArchived:
		return nil, huying.Errorf(huying.ECONFLICT, "诉求 %s 已%s，不能再并入", target.Code, target.Status.Name())
	case target.Status == huying.StatusSplit:
		// A split parent is handled in its parts: merge into the part of the same matter.
		return nil, huying.Errorf(huying.ECONFLICT, "诉求 %s 已拆分为子单办理，请并入相同事项的子单", target.Code)
	}
	a.MergedInto = target.ID
	return &change{
		to: huying.StatusMerged, note: in.Note, data: map[string]any{"target": target.Code},
		also: func(tx huying.Tx) error {
			return s.record(tx, target, huying.NewEvent(target, actor, "merged_in", target.Status, target.Status,
				"诉求 "+a.Code+" 并入本单", map[string]any{"source": a.Code}, now))
		},
	}, nil
}

// assign sets the lead and assisting units after checking they exist. A lead
// street gets the district centre as a copy (直派街道，抄送区级).
func (s *Service) assign(tx huying.Tx, a *huying.Appeal, in *Action) (map[string]any, error) {
	lead, err := tx.Unit(in.LeadUnitID)
	if huying.ErrorCode(err) == huying.ENOTFOUND {
		return nil, huying.FieldErrorf("lead_unit_id", "主办单位 %s 不存在", in.LeadUnitID)
	} else if err != nil {
		return nil, err
	}
	if lead.Kind == huying.UnitCentre {
		return nil, huying.FieldErrorf("lead_unit_id", "分拨中心不能作为主办单位")
	}
	if lead.Disabled() {
		return nil, huying.FieldErrorf("lead_unit_id", "主办单位「%s」已停用，不能派单", lead.Name)
	}
	a.Assignments = []huying.Assignment{{UnitID: lead.ID, Role: huying.AssignLead}}
	names := []string{}
	for _, id := range in.AssistUnitIDs {
		u, err := tx.Unit(id)
		if huying.ErrorCode(err) == huying.ENOTFOUND {
			return nil, huying.FieldErrorf("assist_unit_ids", "协办单位 %s 不存在", id)
		} else if err != nil {
			return nil, err
		}
		if u.Disabled() {
			return nil, huying.FieldErrorf("assist_unit_ids", "协办单位「%s」已停用，不能派单", u.Name)
		}
		a.Assignments = append(a.Assignments, huying.Assignment{UnitID: u.ID, Role: huying.AssignAssist})
		names = append(names, u.Name)
	}
	data := map[string]any{"lead": lead.ID, "lead_name": lead.Name}
	if in.Category != "" {
		data["category"] = in.Category
		if a.Triage != nil && a.Triage.Category != "" && a.Triage.Category != in.Category {
			data["corrected_from"] = a.Triage.Category // a correction of the classifier
		}
		a.Category = in.Category
	}
	if len(names) > 0 {
		data["assists"], data["assist_names"] = in.AssistUnitIDs, names
	}
	if lead.Kind == huying.UnitStreet {
		centre, err := s.centreID(tx)
		if err != nil {
			return nil, err
		}
		if centre != "" && !a.AssignedTo(centre) {
			a.Assignments = append(a.Assignments, huying.Assignment{UnitID: centre, Role: huying.AssignCopy})
			data["copy"] = centre
		}
	}
	return data, nil
}

func applyDispatch(ctx context.Context, s *Service, tx huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	data, err := s.assign(tx, a, in)
	if err != nil {
		return nil, err
	}
	a.DueAt, a.OriginalDueAt = s.closeDue(a, now), nil
	return &change{to: huying.StatusDispatched, note: in.Note, data: withDue(data, a)}, nil
}

func applyReturn(ctx context.Context, s *Service, tx huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	if a.Designated {
		return nil, huying.Errorf(huying.ECONFLICT, "本单已由分拨中心指定承办，不能再退单")
	}
	// A return is allowed only within the profile's return limit from the
	// moment the order reached the unit (its handling clock's start).
	open, err := tx.OpenDeadlines(a.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range open {
		if d.Stage != huying.StageClose || d.UnitID != a.LeadUnit() {
			continue
		}
		if lim, ok := s.limit(a, string(sla.StageReturn), d.StartAt); ok && now.After(lim.DueAt) {
			return nil, huying.Errorf(huying.ECONFLICT, "退单须在收到派单后 %s内提出（已于 %s 截止），请继续办理或申请终止办理",
				lim.Limit, lim.DueAt.In(s.cal().Location()).Format("2006-01-02 15:04"))
		}
	}
	return &change{to: huying.StatusReturned, note: in.Note, data: map[string]any{"reason": in.Reason}}, nil
}

func applyArbitrate(ctx context.Context, s *Service, tx huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	previous := a.LeadUnit()
	data, err := s.assign(tx, a, in)
	if err != nil {
		return nil, err
	}
	a.Designated = in.Decision == DecisionDesignate
	if in.LeadUnitID != previous {
		a.AssigneeID = 0 // the named handler was the previous unit's
	}
	if in.Decision == DecisionReassign && in.LeadUnitID == previous {
		return nil, huying.FieldErrorf("lead_unit_id", "改派须选择原主办单位以外的单位；如驳回退单请选择「指定承办」")
	}
	a.DueAt, a.OriginalDueAt = s.closeDue(a, now), nil
	data["decision"], data["previous_lead"] = in.Decision, previous
	return &change{to: huying.StatusDispatched, note: in.Note, data: withDue(data, a)}, nil
}

// applyRecall takes an order back from its units to the dispatch queue
// (撤回), to be dispatched again: freely before the unit signed, with a
// reason after. The units' clocks stop and the dispatch clock starts again;
// the lead unit's handlers are told (notices).
func applyRecall(ctx context.Context, _ *Service, _ huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, _ time.Time) (*change, error) {
	if a.Status != huying.StatusDispatched && in.Note == "" {
		return nil, huying.FieldErrorf("note", "承办单位已签收，撤回须说明原因")
	}
	previous := a.LeadUnit()
	a.Assignments, a.Designated, a.DueAt, a.OriginalDueAt, a.AssigneeID = nil, false, nil, nil, 0
	return &change{to: huying.StatusReceived, note: in.Note, data: map[string]any{"previous_lead": previous}}, nil
}

func applyContact(ctx context.Context, _ *Service, _ huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	if a.ContactedAt == nil {
		a.ContactedAt = &now
	}
	return &change{to: huying.StatusHandling, note: in.Note, data: map[string]any{"method": in.Method}}, nil
}

func applyNote(ctx context.Context, _ *Service, _ huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, _ time.Time) (*change, error) {
	// A note keeps the status: it does not count as contacting the resident.
	return &change{to: a.Status, note: in.Note}, nil
}

func applyRequestExtension(ctx context.Context, s *Service, _ huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	switch {
	case a.OriginalDueAt != nil:
		return nil, huying.Errorf(huying.ECONFLICT, "本单已延期一次，不能再次申请延期")
	case a.DueAt != nil && !now.Before(*a.DueAt):
		return nil, huying.Errorf(huying.ECONFLICT, "本单已超过办理时限，不能再申请延期")
	case a.DueAt != nil && !in.DueAt.After(*a.DueAt):
		return nil, huying.FieldErrorf("due_at", "延期后的时限必须晚于当前时限 %s", a.DueAt.Format(time.RFC3339))
	}
	if err := s.checkExtension(a, *in.DueAt); err != nil {
		return nil, err
	}
	return &change{to: huying.StatusExtensionRequested, note: in.Note,
		data: map[string]any{"requested_due_at": in.DueAt.UTC().Format(time.RFC3339)}}, nil
}

func applyDecideExtension(ctx context.Context, s *Service, _ huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, _ time.Time) (*change, error) {
	if in.Decision == DecisionRefuse {
		return &change{to: huying.StatusHandling, note: in.Note, data: map[string]any{"decision": in.Decision}}, nil
	}
	if in.DueAt == nil {
		return nil, huying.FieldErrorf("due_at", "请填写批准延期至的时间")
	}
	if a.DueAt != nil && !in.DueAt.After(*a.DueAt) {
		return nil, huying.FieldErrorf("due_at", "批准的时限必须晚于原时限")
	}
	if err := s.checkExtension(a, *in.DueAt); err != nil {
		return nil, err
	}
	newDue := in.DueAt.UTC()
	a.OriginalDueAt, a.DueAt = a.DueAt, &newDue
	data := map[string]any{"decision": in.Decision, "due_at": newDue.Format(time.RFC3339)}
	if a.OriginalDueAt != nil {
		data["original_due_at"] = a.OriginalDueAt.Format(time.RFC3339)
	}
	return &change{to: huying.StatusHandling, note: in.Note, data: data}, nil
}

// applyArchive archives a closed appeal unless a 挂牌督办 on it is still
// open: a flag ends with its 销号 (or a supervisor closing it with a note).
func applyArchive(ctx context.Context, _ *Service, tx huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, _ time.Time) (*change, error) {
	open, err := tx.OpenDeadlines(a.ID)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(open, func(d *huying.Deadline) bool { return d.Stage == huying.StageFlag }) {
		return nil, huying.Errorf(huying.ECONFLICT, "诉求尚有未销号的挂牌督办，销号后才能归档")
	}
	return &change{to: huying.StatusArchived, note: in.Note}, nil
}

// checkExtension caps an extension at the profile's extension limit,
// counted from the current handling deadline.
func (s *Service) checkExtension(a *huying.Appeal, due time.Time) error {
	if a.DueAt == nil {
		return nil
	}
	lim, ok := s.limit(a, string(sla.StageExtension), *a.DueAt)
	if ok && due.After(lim.DueAt) {
		return huying.FieldErrorf("due_at", "延期不能超过原时限后 %s（最晚 %s）", lim.Limit,
			lim.DueAt.In(s.cal().Location()).Format("2006-01-02 15:04"))
	}
	return nil
}

func applyDecideTermination(ctx context.Context, _ *Service, _ huying.Tx, _ huying.Actor, _ *huying.Appeal, in *Action, _ time.Time) (*change, error) {
	to := huying.StatusTerminated
	if in.Decision == DecisionRefuse {
		to = huying.StatusHandling
	}
	return &change{to: to, note: in.Note, data: map[string]any{"decision": in.Decision}}, nil
}

func applyReply(ctx context.Context, _ *Service, tx huying.Tx, actor huying.Actor, a *huying.Appeal, in *Action, _ time.Time) (*change, error) {
	if err := checkAttachments(tx, actor, in.Attachments); err != nil {
		return nil, err
	}
	a.ResultClass = in.ResultClass
	data := map[string]any{"result_class": in.ResultClass}
	if len(in.Attachments) > 0 {
		data["attachments"] = in.Attachments
		if err := tx.LinkAttachments(a.ID, string(huying.CmdReply), in.Attachments); err != nil {
			return nil, err
		}
	}
	return &change{to: huying.StatusReplied, note: in.Note, data: data}, nil
}

func applyReview(ctx context.Context, _ *Service, _ huying.Tx, _ huying.Actor, _ *huying.Appeal, in *Action, _ time.Time) (*change, error) {
	to := huying.StatusReviewed
	if in.Decision == DecisionSendBack {
		to = huying.StatusHandling
	}
	return &change{to: to, note: in.Note, data: map[string]any{"decision": in.Decision}}, nil
}

// applyRate records the rating. 不满意 sends the appeal back to the same
// lead unit for redo (重办) with a fresh deadline, up to MaxRedo times; after
// that it stays rated and is marked for district-wide supervision.
func applyRate(ctx context.Context, s *Service, tx huying.Tx, actor huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	switch {
	case a.ParentID != 0 && s.callbackAtEnd():
		return nil, huying.Errorf(huying.ECONFLICT, "本单是拆分所得的子单，按设置在全部子单办结后对主单统一回访，请对主单进行回访评价")
	case in.Outcome == huying.CallbackUnreached:
		return s.unreached(actor, a, in.Note, now)
	}
	// The round of callbacks ends with the rating; a redo starts a new one.
	a.CallbackAttempts, a.CallbackAt = 0, nil
	if a.LeadUnit() == "" {
		// Only a split parent is reviewed without a lead unit: its parts were.
		return rateSplit(ctx, s, tx, actor, a, in, now)
	}
	return rateOne(ctx, s, tx, actor, a, in, now)
}

// rateOne records the rating of one handled appeal.
func rateOne(ctx context.Context, s *Service, tx huying.Tx, _ huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	a.Rating = in.Rating
	data := map[string]any{"rating": in.Rating}
	// Every rating is kept, the one that sends the appeal to redo too: the
	// n-th rating of an appeal comes after n-1 redos.
	redo := in.Rating.Satisfaction == huying.Unsatisfied && a.RedoCount < huying.MaxRedo
	if err := tx.RecordRating(&huying.RatingRecord{AppealID: a.ID, Seq: a.RedoCount + 1, UnitID: a.LeadUnit(),
		Rating: *in.Rating, Redo: redo, At: now}); err != nil {
		return nil, err
	}
	if in.Rating.Satisfaction != huying.Unsatisfied {
		return &change{to: huying.StatusRated, note: in.Rating.Comment, data: data}, nil
	}
	if a.RedoCount >= huying.MaxRedo {
		data["supervise"] = true
		return &change{to: huying.StatusRated, note: "重办后仍不满意，转督办", data: data}, nil
	}
	a.RedoCount++
	a.Designated = true // redo goes back to the same unit, which may not return it
	a.DueAt, a.OriginalDueAt, a.ResultClass = s.closeDue(a, now), nil, ""
	data["redo"] = a.RedoCount
	c := &change{to: huying.StatusDispatched, note: fmt.Sprintf("诉求人不满意，自动重办（第 %d 次）", a.RedoCount), data: withDue(data, a)}
	if a.RedoCount >= 2 && a.DueAt != nil {
		// A second 不满意: the redo goes under 挂牌督办 with the redo's own
		// clock, and the unit is marked for the 通报 (Shenzhen's rule).
		data["notice"] = true
		c.note = fmt.Sprintf("重办后诉求人仍不满意，再次重办（第 %d 次）并挂牌督办、纳入通报", a.RedoCount)
		c.also = func(tx huying.Tx) error {
			centre, err := s.centreID(tx)
			if err != nil {
				return err
			}
			_, err = s.CreateFlag(tx, system, a, FlagInput{Reason: "重办后诉求人仍不满意，自动挂牌督办",
				SupervisingUnit: centre, DueAt: *a.DueAt}, map[string]any{"auto": true, "unit": a.LeadUnit()}, now)
			return err
		}
	}
	return c, nil
}

// unreached records an unanswered callback (回访未接通) by staff: the appeal
// stays 待回访 for a retry after the spacing, and the last allowed attempt
// makes it 无法联系. An unreachable appeal has no rating: domain-12345.md
// (§4.1) counts the satisfaction, response and solution rates on valid
// callbacks (有效回访) only, so it is left out of those denominators (no
// RatingRecord), and is still a closed appeal for 办结率. The document
// defines 回访率 (called back ÷ closed) without saying whether an
// unanswered call counts; Huying computes no 回访率 yet.
func (s *Service) unreached(actor huying.Actor, a *huying.Appeal, note string, now time.Time) (*change, error) {
	if !actor.IsStaff() {
		return nil, huying.FieldErrorf("outcome", "只有回访人员可以记录回访未接通")
	}
	tries, gap := s.callbackRule()
	if a.CallbackAt != nil && now.Before(a.CallbackAt.Add(gap)) {
		return nil, huying.Errorf(huying.ECONFLICT, "上次回访未接通于 %s，请于 %s 之后再次回访",
			a.CallbackAt.In(s.Calendar.Location()).Format("2006-01-02 15:04"),
			a.CallbackAt.Add(gap).In(s.Calendar.Location()).Format("2006-01-02 15:04"))
	}
	at := now
	a.CallbackAttempts++
	a.CallbackAt = &at
	data := map[string]any{"outcome": huying.CallbackUnreached, "attempt": a.CallbackAttempts, "attempts": tries}
	withNote := func(n string) string {
		if note != "" {
			return n + "。" + note
		}
		return n
	}
	if a.CallbackAttempts >= tries {
		return &change{kind: huying.EventCallbackUnreached, to: huying.StatusUnreachable, data: data,
			note: withNote(fmt.Sprintf("回访 %d 次均未接通，无法联系", a.CallbackAttempts))}, nil
	}
	next := now.Add(gap)
	data["next_at"] = next.Format(time.RFC3339)
	return &change{kind: huying.EventCallbackUnreached, to: huying.StatusReviewed, data: data,
		note: withNote(fmt.Sprintf("回访未接通（第 %d 次，共 %d 次），%s 后再次回访", a.CallbackAttempts, tries,
			next.In(s.Calendar.Location()).Format("2006-01-02 15:04")))}, nil
}

// withDue adds the appeal's handling deadline to event data.
func withDue(data map[string]any, a *huying.Appeal) map[string]any {
	if a.DueAt != nil {
		data["due_at"] = a.DueAt.Format(time.RFC3339)
	}
	return data
}
