package workflow

import (
	"context"
	"slices"
	"strings"
	"time"

	"huying"
	"huying/dispatch"
)

func validatePassDown(in *Action) error {
	in.LeadUnitID = strings.TrimSpace(in.LeadUnitID)
	if in.LeadUnitID == "" {
		return huying.FieldErrorf("lead_unit_id", "请选择要转派的社区")
	}
	return validateNote("转派理由")(in)
}

// applyPassDown is 二级分拨: a street that leads an order passes it on to
// one of its own communities, for a matter the catalogue puts on the
// community duty list (社区职责清单, Beijing Art. 17). The community
// becomes the lead and signs it; the street stays on the order as copy,
// still answerable for it (首接负责, Beijing Art. 14). The handling
// deadline is kept: passing an order on does not restart its clock.
func applyPassDown(ctx context.Context, s *Service, tx huying.Tx, actor huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	street, err := tx.Unit(actor.User.UnitID)
	if err != nil {
		return nil, err
	}
	if street.Kind != huying.UnitStreet {
		return nil, huying.Errorf(huying.EFORBIDDEN, "只有街道可以将工单转派至所辖社区")
	}
	comm, err := tx.Unit(in.LeadUnitID)
	if huying.ErrorCode(err) == huying.ENOTFOUND {
		return nil, huying.FieldErrorf("lead_unit_id", "社区 %s 不存在", in.LeadUnitID)
	} else if err != nil {
		return nil, err
	}
	switch {
	case comm.Kind != huying.UnitCommunity:
		return nil, huying.FieldErrorf("lead_unit_id", "二级分拨只能转派至社区，「%s」不是社区", comm.Name)
	case comm.ParentID != street.ID:
		return nil, huying.Errorf(huying.EFORBIDDEN, "只能转派至本街道所辖的社区，「%s」不属于%s", comm.Name, street.Name)
	case comm.Disabled():
		return nil, huying.FieldErrorf("lead_unit_id", "社区「%s」已停用，不能转派", comm.Name)
	}
	if err := communityDuty(tx, a, street.ID, comm.ID); err != nil {
		return nil, err
	}
	// The community leads; assistants and copies stay; the street is copied.
	next := []huying.Assignment{{UnitID: comm.ID, Role: huying.AssignLead}}
	for _, as := range a.Assignments {
		if as.Role != huying.AssignLead && as.UnitID != comm.ID {
			next = append(next, as)
		}
	}
	if !slices.ContainsFunc(next, func(as huying.Assignment) bool { return as.UnitID == street.ID }) {
		next = append(next, huying.Assignment{UnitID: street.ID, Role: huying.AssignCopy})
	}
	a.Assignments, a.AssigneeID = next, 0
	data := map[string]any{"lead": comm.ID, "lead_name": comm.Name, "from": street.ID, "from_name": street.Name,
		"responsible": street.ID, "assignments": next}
	return &change{to: huying.StatusDispatched, note: in.Note, data: withDue(data, a)}, nil
}

// communityDuty checks that the catalogue has a community-duty rule for
// the appeal's category at this street or community (or anywhere).
func communityDuty(tx huying.Tx, a *huying.Appeal, street, comm string) error {
	// The dispatcher's category, or the classifier's that the dispatcher
	// let stand (a dispatch from the console names no category of its own).
	category := a.Category
	if category == "" && a.Triage != nil {
		category = a.Triage.Category
	}
	if category == "" {
		return huying.Errorf(huying.ECONFLICT, "本单未标注派单分类，无法确认是否属于社区职责清单事项，不能转派社区")
	}
	v, err := tx.LatestCatalogue()
	if huying.ErrorCode(err) == huying.ENOTFOUND {
		return huying.Errorf(huying.ECONFLICT, "尚无派单目录，无法确认社区职责清单，不能转派社区")
	} else if err != nil {
		return err
	}
	cat, err := dispatch.Parse([]byte(v.Body))
	if err != nil {
		return err
	}
	for _, r := range cat.Routes(dispatch.Query{Category: category, Street: street, Community: comm, Text: a.Content}) {
		if r.Rule.CommunityDuty {
			return nil
		}
	}
	return huying.Errorf(huying.ECONFLICT, "「%s」不在社区职责清单内：职能部门和街道的事项不得下派社区（国办函〔2025〕66号），请街道自行办理", category)
}

func validateAssign(in *Action) error {
	if in.AssigneeID <= 0 {
		return huying.FieldErrorf("assignee_id", "请选择处理人")
	}
	return nil
}

// applyAssign names the handler of the lead unit who works the order
// (指派处理人): a handler of the unit itself, whose "my orders" it joins
// and who gets the 派单通知.
func applyAssign(ctx context.Context, s *Service, tx huying.Tx, actor huying.Actor, a *huying.Appeal, in *Action, now time.Time) (*change, error) {
	u, err := tx.UserForUpdate(in.AssigneeID)
	if huying.ErrorCode(err) == huying.ENOTFOUND {
		return nil, huying.FieldErrorf("assignee_id", "处理人不存在")
	} else if err != nil {
		return nil, err
	}
	switch {
	case u.Kind != huying.UserStaff || u.UnitID != actor.User.UnitID:
		return nil, huying.Errorf(huying.EFORBIDDEN, "只能指派本单位的承办人")
	case !u.Has(huying.RoleHandler):
		return nil, huying.FieldErrorf("assignee_id", "%s不是承办人，不能指派", u.Name)
	case u.DisabledAt != nil:
		return nil, huying.FieldErrorf("assignee_id", "%s的账号已停用，不能指派", u.Name)
	case a.AssigneeID == u.ID:
		return nil, huying.FieldErrorf("assignee_id", "本单已指派给%s", u.Name)
	}
	data := map[string]any{"assignee": u.ID, "assignee_name": u.Name}
	if a.AssigneeID != 0 {
		data["previous_assignee"] = a.AssigneeID
	}
	a.AssigneeID = u.ID
	return &change{to: a.Status, note: in.Note, data: data}, nil
}
