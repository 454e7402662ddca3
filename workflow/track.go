package workflow

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"huying"
)

// Step is one entry of the resident-safe timeline ("像网购一样透明").
type Step struct {
	At    time.Time `json:"at"`
	Title string    `json:"title"`
	Unit  string    `json:"unit,omitempty"`
	Text  string    `json:"text,omitempty"`
}

// Tracking is what a resident sees of an appeal: no contact, no internal notes.
type Tracking struct {
	Code       string            `json:"code"`
	Type       huying.AppealType `json:"type"`
	Title      string            `json:"title"`
	Status     huying.Status     `json:"status"`
	StatusName string            `json:"status_name"`
	ReceivedAt time.Time         `json:"received_at"`
	DueAt      *time.Time        `json:"due_at,omitempty"`
	Steps      []Step            `json:"steps"`
	// CanRate says the appeal is waiting for the resident's rating.
	CanRate bool `json:"can_rate"`
}

// residentTitles names the events a resident sees; other kinds (internal
// notes, contact reads, returns and their arbitration) are left out.
var residentTitles = map[string]string{
	string(huying.CmdReceive): "诉求已受理", string(huying.CmdAnswer): "已直接答复",
	string(huying.CmdRefuse): "不予受理/已转办", string(huying.CmdMerge): "已与相同诉求合并办理",
	string(huying.CmdDispatch): "已派单至承办单位", string(huying.CmdArbitrate): "已重新派单",
	string(huying.CmdSign): "承办单位已签收", string(huying.CmdContact): "承办单位已与您联系",
	string(huying.CmdDecideExtension): "办理期限调整", string(huying.CmdDecideTermination): "终止办理审核",
	string(huying.CmdReply): "承办单位已办结答复", string(huying.CmdReview): "分拨中心已审核",
	string(huying.CmdRate): "您已评价", string(huying.CmdArchive): "已归档",
}

// Track returns the resident view of an appeal given its tracking code and
// the last four digits of the contact phone. Both a wrong code and wrong
// digits give the same ENOTFOUND, so codes cannot be probed.
func (s *Service) Track(ctx context.Context, code, phoneLast4 string) (*Tracking, error) {
	notFound := huying.Errorf(huying.ENOTFOUND, "未找到该诉求，请核对诉求编号和手机号后四位")
	a, err := s.Store.AppealByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil || len(phoneLast4) != 4 || !strings.HasSuffix(a.ContactPhone, phoneLast4) {
		return nil, failedOr(err, notFound)
	}
	events, err := s.Store.AppealEvents(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	if units, err := s.Store.Units(ctx); err == nil {
		for _, u := range units {
			names[u.ID] = u.Name
		}
	}
	t := &Tracking{Code: a.Code, Type: a.Type, Title: a.Title, Status: a.Status, StatusName: a.Status.Name(),
		ReceivedAt: a.ReceivedAt, DueAt: a.DueAt, Steps: []Step{}, CanRate: a.Status == huying.StatusReviewed}
	for _, e := range events {
		title, ok := residentTitles[e.Kind]
		if !ok || e.Kind == string(huying.CmdReview) && e.ToStatus != huying.StatusReviewed {
			continue
		}
		st := Step{At: e.At, Title: title}
		var data map[string]any
		_ = json.Unmarshal([]byte(e.Data), &data)
		if name, ok := data["lead_name"].(string); ok {
			st.Unit = name
		} else if e.Kind == string(huying.CmdSign) || e.Kind == string(huying.CmdContact) || e.Kind == string(huying.CmdReply) {
			st.Unit = names[e.UnitID] // the unit that acted ("" for the system's auto-sign)
		}
		switch e.Kind {
		case string(huying.CmdAnswer), string(huying.CmdRefuse), string(huying.CmdReply):
			st.Text = e.Note // answers and replies are addressed to the resident
		case string(huying.CmdRate):
			if e.ToStatus == huying.StatusDispatched {
				st.Title, st.Text = "您不满意，已重新交办", e.Note
			}
		}
		t.Steps = append(t.Steps, st)
	}
	return t, nil
}

// RateByResident records the resident's own rating of an appeal found by
// code and phone digits, as the public resident actor.
func (s *Service) RateByResident(ctx context.Context, code, phoneLast4 string, r huying.Rating) (*Tracking, error) {
	t, err := s.Track(ctx, code, phoneLast4)
	if err != nil {
		return nil, err
	}
	a, err := s.Store.AppealByCode(ctx, t.Code)
	if err != nil {
		return nil, err
	}
	resident := huying.Actor{User: &huying.User{Username: "resident", Roles: []huying.Role{huying.RoleResident}},
		Channel: "public", AppealID: a.ID}
	if _, err := s.Act(ctx, resident, a.ID, huying.CmdRate, Action{Rating: &r}); err != nil {
		return nil, err
	}
	return s.Track(ctx, code, phoneLast4)
}
