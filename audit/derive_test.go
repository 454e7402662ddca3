package audit

import (
	"slices"
	"strings"
	"testing"

	"huying"
)

func ev(kind string, from, to huying.Status, data string) *huying.Event {
	return &huying.Event{Kind: kind, FromStatus: from, ToStatus: to, Data: data}
}

// TestStateApply folds event sequences as workflow writes them and compares
// the result with rows that agree and rows that were edited.
func TestStateApply(t *testing.T) {
	t.Parallel()
	receive := ev("receive", "", huying.StatusReceived, `{"channel":"12345热线","code":"PS1","type":"投诉","urgency":"一般"}`)
	dispatch := ev("dispatch", huying.StatusReceived, huying.StatusDispatched,
		`{"assist_names":["水务局"],"assists":["dept-b"],"copy":"centre","due_at":"2026-10-10T10:00:00Z","lead":"street-1","lead_name":"坪山街道"}`)
	row := func(status huying.Status, version int, as ...huying.Assignment) *huying.Appeal {
		return &huying.Appeal{Code: "PS1", Type: huying.TypeComplaint, Channel: "12345热线", Status: status, Version: version, Assignments: as}
	}
	street := []huying.Assignment{{UnitID: "street-1", Role: huying.AssignLead}, {UnitID: "dept-b", Role: huying.AssignAssist}, {UnitID: "centre", Role: huying.AssignCopy}}
	tests := []struct {
		name   string
		events []*huying.Event
		row    *huying.Appeal
		want   []string // substrings of the differences, in order; none if they agree
	}{
		{"received", []*huying.Event{receive}, row(huying.StatusReceived, 1), nil},
		{"dispatched", []*huying.Event{receive, dispatch}, row(huying.StatusDispatched, 2, street...), nil},
		{"reads and clocks leave the row alone", []*huying.Event{receive, dispatch,
			ev(huying.EventContactViewed, huying.StatusDispatched, huying.StatusDispatched, ""),
			ev("sign_escalated", huying.StatusDispatched, huying.StatusDispatched, `{"stage":"sign","unit":"street-1"}`),
			ev("flag", huying.StatusDispatched, huying.StatusDispatched, `{"flag":1}`)},
			row(huying.StatusDispatched, 2, street...), nil},
		{"a whistle adds the summoned units", []*huying.Event{receive, dispatch,
			ev("sign", huying.StatusDispatched, huying.StatusSigned, ""),
			ev("whistle", huying.StatusSigned, huying.StatusSigned, `{"units":["dept-a","dept-b"],"whistle":1}`)},
			row(huying.StatusSigned, 4, append(slices.Clone(street), huying.Assignment{UnitID: "dept-a", Role: huying.AssignAssist})...), nil},
		{"designate, reply and a redo", []*huying.Event{receive, dispatch,
			ev("return", huying.StatusDispatched, huying.StatusReturned, `{"reason":"职能不符"}`),
			ev("arbitrate", huying.StatusReturned, huying.StatusDispatched, `{"decision":"designate","lead":"dept-a","previous_lead":"street-1"}`),
			ev("sign", huying.StatusDispatched, huying.StatusSigned, ""),
			ev("reply", huying.StatusSigned, huying.StatusReplied, `{"result_class":"已解决"}`),
			ev("review", huying.StatusReplied, huying.StatusReviewed, `{"decision":"accept"}`),
			ev("rate", huying.StatusReviewed, huying.StatusDispatched, `{"rating":{"satisfaction":"不满意","speed":1},"redo":1}`)},
			&huying.Appeal{Code: "PS1", Type: huying.TypeComplaint, Channel: "12345热线", Status: huying.StatusDispatched, Version: 8,
				Assignments: []huying.Assignment{{UnitID: "dept-a", Role: huying.AssignLead}}, Designated: true, RedoCount: 1}, nil},
		{"status and version edited", []*huying.Event{receive, dispatch}, row(huying.StatusArchived, 3, street...),
			[]string{"状态为「已归档」，事件记录为「待签收」", "版本为「3」，事件记录为「2」"}},
		{"units edited", []*huying.Event{receive, dispatch}, row(huying.StatusDispatched, 2, huying.Assignment{UnitID: "dept-a", Role: huying.AssignLead}),
			[]string{"承办单位为「主办 dept-a」，事件记录为「主办 street-1；协办 dept-b；抄送 centre」"}},
		{"no receive event", []*huying.Event{dispatch}, row(huying.StatusDispatched, 1, street...), []string{"没有受理事件"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s State
			for _, e := range tt.events {
				if err := s.Apply(e); err != nil {
					t.Fatalf("apply %s: %v", e.Kind, err)
				}
			}
			got := s.Compare(tt.row)
			if len(got) != len(tt.want) {
				t.Fatalf("differences %q, want %d like %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("difference %q, want %q", got[i], tt.want[i])
				}
			}
		})
	}
}

func TestStateApplyBadData(t *testing.T) {
	t.Parallel()
	var s State
	if err := s.Apply(ev("receive", "", huying.StatusReceived, `not json`)); err == nil {
		t.Fatal("data that is not JSON was accepted")
	}
	if err := s.Apply(ev("dispatch", huying.StatusReceived, huying.StatusDispatched, `{"lead":7}`)); err == nil || !strings.Contains(err.Error(), "lead") {
		t.Fatalf("a lead that is not a string: %v", err)
	}
}
