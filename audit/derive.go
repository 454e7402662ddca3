package audit

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"huying"
)

// State is what an appeal's chain of events says its row must hold: the
// fields the events record (see workflow/act.go and workflow/intake.go).
// The contact is not among them (events never carry it); the chain head's
// AppealState covers it.
type State struct {
	Received    bool // the chain has its receive event
	Code        string
	Channel     string
	Type        huying.AppealType
	Status      huying.Status
	Version     int
	Assignments []huying.Assignment
	Designated  bool
	RedoCount   int
	ResultClass string
}

// writesAppeal are the event kinds, other than lifecycle commands, whose
// transaction also writes the appeal row (and so raises its version): a
// whistle adds the summoned units as assistants; the rating of a merged
// appeal's resident (workflow.EventMergedRating) records it on the row; a
// split parent's move to 待回访 (workflow.EventSplitReviewed) writes it too;
// an unanswered callback counts its attempt, and an on-air record stores
// the broadcast answer.
var writesAppeal = map[string]bool{"whistle": true, "merged_rating": true, "split_reviewed": true,
	huying.EventCallbackUnreached: true, huying.EventOnAir: true}

// decisionDesignate is workflow.DecisionDesignate, the arbitration that
// fixes the lead unit (指定承办).
const decisionDesignate = "designate"

// Apply folds the next event of the appeal's chain into s. Every lifecycle
// command writes the appeal once (version + 1, status to ToStatus); other
// events on the chain (a contact read, a deadline turning red, a flag)
// leave the row alone. It returns an error when the event's data cannot be
// read.
func (s *State) Apply(e *huying.Event) error {
	data := map[string]json.RawMessage{}
	if e.Data != "" {
		if err := json.Unmarshal([]byte(e.Data), &data); err != nil {
			return fmt.Errorf("事件数据不是 JSON 对象")
		}
	}
	var bad []string
	str := func(key string) string {
		var v string
		if raw, ok := data[key]; ok && json.Unmarshal(raw, &v) != nil {
			bad = append(bad, key)
		}
		return v
	}
	list := func(key string) []string {
		var v []string
		if raw, ok := data[key]; ok && json.Unmarshal(raw, &v) != nil {
			bad = append(bad, key)
		}
		return v
	}
	if e.ToStatus != huying.StatusNone {
		s.Status = e.ToStatus
	}
	if e.Kind == huying.EventImported {
		// The history another system kept, written with the row at import
		// (transfer.ImportAppeals): the lead unit and result, the version
		// left at the receive event's.
		if lead := str("lead"); lead != "" {
			s.Assignments = []huying.Assignment{{UnitID: lead, Role: huying.AssignLead}}
		}
		s.ResultClass = str("result_class")
		if len(bad) > 0 {
			return fmt.Errorf("事件数据的 %s 无法读取", strings.Join(bad, "、"))
		}
		return nil
	}
	cmd := huying.Command(e.Kind)
	if _, ok := huying.Transitions[cmd]; !ok && !writesAppeal[e.Kind] {
		return nil
	}
	switch cmd {
	case huying.CmdReceive:
		s.Received, s.Version = true, 1
		s.Code, s.Channel, s.Type = str("code"), str("channel"), huying.AppealType(str("type"))
	case huying.CmdDispatch, huying.CmdArbitrate:
		s.Version++
		s.Assignments = []huying.Assignment{{UnitID: str("lead"), Role: huying.AssignLead}}
		for _, u := range list("assists") {
			s.Assignments = append(s.Assignments, huying.Assignment{UnitID: u, Role: huying.AssignAssist})
		}
		if c := str("copy"); c != "" {
			s.Assignments = append(s.Assignments, huying.Assignment{UnitID: c, Role: huying.AssignCopy})
		}
		if cmd == huying.CmdArbitrate {
			s.Designated = str("decision") == decisionDesignate
		}
	case huying.CmdPassDown: // 二级分拨: the event lists the assignments after it
		s.Version++
		s.Assignments = nil
		if raw, ok := data["assignments"]; ok && json.Unmarshal(raw, &s.Assignments) != nil {
			bad = append(bad, "assignments")
		}
	case huying.CmdRecall:
		s.Version++
		s.Assignments, s.Designated = nil, false
	case huying.CmdReply:
		s.Version++
		s.ResultClass = str("result_class")
	case huying.CmdRate:
		s.Version++
		var redo int
		if raw, ok := data["redo"]; ok && json.Unmarshal(raw, &redo) != nil {
			bad = append(bad, "redo")
		}
		if redo > 0 { // 不满意: back to the same unit, which may not return it
			s.RedoCount, s.Designated, s.ResultClass = redo, true, ""
		}
	case "whistle":
		s.Version++
		for _, u := range list("units") {
			if !slices.ContainsFunc(s.Assignments, func(a huying.Assignment) bool { return a.UnitID == u }) {
				s.Assignments = append(s.Assignments, huying.Assignment{UnitID: u, Role: huying.AssignAssist})
			}
		}
	default:
		s.Version++
	}
	if len(bad) > 0 {
		return fmt.Errorf("事件数据的 %s 无法读取", strings.Join(bad, "、"))
	}
	return nil
}

// Compare returns, in Chinese, every way the appeal row a differs from
// what its events say (nothing if they agree).
func (s *State) Compare(a *huying.Appeal) []string {
	if !s.Received {
		return []string{"事件链没有受理事件"}
	}
	var out []string
	differ := func(what, row, events string) {
		if row != events {
			out = append(out, fmt.Sprintf("%s为「%s」，事件记录为「%s」", what, row, events))
		}
	}
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	differ("编号", a.Code, s.Code)
	differ("类型", string(a.Type), string(s.Type))
	differ("渠道", a.Channel, s.Channel)
	differ("状态", a.Status.Name(), s.Status.Name())
	differ("版本", strconv.Itoa(a.Version), strconv.Itoa(s.Version))
	differ("承办单位", units(a.Assignments), units(s.Assignments))
	differ("指定承办", yes(a.Designated), yes(s.Designated))
	differ("重办次数", strconv.Itoa(a.RedoCount), strconv.Itoa(s.RedoCount))
	differ("办理结果", a.ResultClass, s.ResultClass)
	return out
}

var roleNames = map[string]string{huying.AssignLead: "主办", huying.AssignAssist: "协办", huying.AssignCopy: "抄送"}

// units names assignments in a fixed order, role by role.
func units(as []huying.Assignment) string {
	var parts []string
	for _, role := range []string{huying.AssignLead, huying.AssignAssist, huying.AssignCopy} {
		var ids []string
		for _, a := range as {
			if a.Role == role {
				ids = append(ids, a.UnitID)
			}
		}
		if len(ids) > 0 {
			slices.Sort(ids)
			parts = append(parts, roleNames[role]+" "+strings.Join(ids, "、"))
		}
	}
	for _, a := range as {
		if _, ok := roleNames[a.Role]; !ok {
			parts = append(parts, a.Role+" "+a.UnitID)
		}
	}
	if len(parts) == 0 {
		return "无"
	}
	return strings.Join(parts, "；")
}
