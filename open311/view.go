package open311

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"huying"
	"huying/workflow"
)

// publicReader is the Huying actor behind Open311's GETs. The spec makes
// every GET public (no api_key, no user), while workflow.Get, List and
// Events need a logged-in user and hand out the whole appeal. So the reader
// goes through workflow's PublicView, which lets out only appeals filed
// through this interface (the Open311 channel and the service tag of
// content.go), never confidential ones, and shows them in the
// resident-safe projection below: no contact, no internal notes, no
// returns, arbitration or extension requests, the same rule as
// workflow.Track, worded in the third person for the public.
//
// It never writes, so a GET cannot change an appeal or its chain.
type publicReader struct {
	svc  *workflow.Service
	view workflow.PublicView
}

func newPublicReader(svc *workflow.Service, channel string) *publicReader {
	return &publicReader{svc: svc, view: workflow.PublicView{Channel: channel, Marker: tagOpen}}
}

// visible adds this package's own check to the view's: the service tag
// sits in the block that only this package writes.
func (p *publicReader) visible(a *huying.Appeal) bool {
	return parseContent(a.Content).ServiceCode != ""
}

// byCode returns a visible appeal and its events. Returns ENOTFOUND for a
// missing and for an invisible appeal alike.
func (p *publicReader) byCode(ctx context.Context, code string) (*huying.Appeal, []*huying.Event, error) {
	a, events, err := p.svc.PublicAppeal(ctx, p.view, code)
	if err == nil && !p.visible(a) {
		err = huying.Errorf(huying.ENOTFOUND, "诉求不存在")
	}
	if huying.ErrorCode(err) == huying.ENOTFOUND {
		return nil, nil, huying.Errorf(huying.ENOTFOUND, "未找到 service_request_id 为 %s 的诉求", code)
	}
	return a, events, err
}

// events returns the events of a visible appeal.
func (p *publicReader) events(ctx context.Context, a *huying.Appeal) ([]*huying.Event, error) {
	return p.svc.PublicEvents(ctx, p.view, a)
}

// appeals lists up to n visible appeals matching f, newest first, from offset.
func (p *publicReader) appeals(ctx context.Context, f huying.AppealFilter, offset, n int) ([]*huying.Appeal, int, error) {
	list, total, err := p.svc.PublicAppeals(ctx, p.view, f, offset, n)
	if err != nil {
		return nil, 0, err
	}
	out := list[:0]
	for _, a := range list {
		if p.visible(a) {
			out = append(out, a)
		}
	}
	return out, total, nil
}

// requestView is the public projection of one appeal, derived from the
// appeal's content and its events: status, notes and updates are never
// stored for Open311, so they cannot disagree with the lifecycle.
type requestView struct {
	a        *huying.Appeal
	filed    filed
	service  *Service // nil when the catalogue no longer has the code
	status   huying.Status
	updated  time.Time
	closedAt time.Time
	agency   string
	notice   string // set by handler.view
	updates  []updateView
}

// updateView is one resident-visible event as a FixMyStreet request_update.
type updateView struct {
	seq         int64
	status      string // mySociety extended status, lower case
	external    string // Huying's own status code
	description string
	at          time.Time
}

// project builds the public view of a from its events.
func project(a *huying.Appeal, events []*huying.Event, services *ServiceList, zone *time.Location) *requestView {
	v := &requestView{a: a, filed: parseContent(a.Content), status: huying.StatusNone, updated: a.ReceivedAt}
	v.service = services.Service(v.filed.ServiceCode)
	for _, e := range events {
		if e.ToStatus != "" && e.ToStatus != v.status {
			wasOpen := v.status == huying.StatusNone || v.status.Open()
			v.status = e.ToStatus
			if wasOpen && !v.status.Open() {
				v.closedAt = e.At
			}
		}
		var data map[string]any
		_ = json.Unmarshal([]byte(e.Data), &data)
		if name, ok := data["lead_name"].(string); ok {
			v.agency = name
		}
		if u, ok := publicUpdate(e, data, zone); ok {
			v.updates = append(v.updates, u)
			v.updated = e.At
		}
	}
	if v.status == huying.StatusNone { // no events: trust the row
		v.status = a.Status
	}
	if !v.status.Open() && !v.closedAt.IsZero() {
		v.updated = v.closedAt // the spec: for closed requests, the closing time
	}
	return v
}

// open reports the core status.
func (v *requestView) open() bool { return v.status.Open() }

// notes is status_notes: the latest public update, in words.
func (v *requestView) notes() string {
	if len(v.updates) == 0 {
		return v.status.Name()
	}
	return v.updates[len(v.updates)-1].description
}

func timeString(t time.Time, zone *time.Location) string { return t.In(zone).Format(time.RFC3339) }

// object is the GeoReport v2 request record.
func (v *requestView) object(zone *time.Location) object {
	status := "closed"
	if v.open() {
		status = "open"
	}
	var name, notice any
	if v.service != nil {
		name, notice = v.service.Name, optional(v.notice)
	}
	code := v.filed.ServiceCode
	var expected, lat, long any
	if v.a.DueAt != nil && v.open() {
		expected = timeString(*v.a.DueAt, zone)
	}
	if v.a.Point != nil {
		lat, long = v.a.Point.Lat, v.a.Point.Lng
	}
	address := v.a.Address
	if v.filed.AddressID != "" && address == addressIDText+v.filed.AddressID {
		address = ""
	}
	return object{
		{"service_request_id", v.a.Code},
		{"status", status},
		{"status_notes", optional(v.notes())},
		{"service_name", name},
		{"service_code", code},
		{"description", optional(v.filed.Description)},
		{"agency_responsible", optional(v.agency)},
		{"service_notice", notice},
		{"requested_datetime", timeString(v.a.ReceivedAt, zone)},
		{"updated_datetime", timeString(v.updated, zone)},
		{"expected_datetime", expected},
		{"address", optional(address)},
		{"address_id", optional(v.filed.AddressID)},
		{"zipcode", nil},
		{"lat", lat},
		{"long", long},
		{"media_url", optional(v.filed.MediaURL)},
	}
}

// updateID names an update by the appeal's code and the event's place in
// its chain: stable, unique, and meaningless to guess.
func updateID(code string, seq int64) string { return fmt.Sprintf("%s-%d", code, seq) }

// object is the FixMyStreet request_update record.
func (u updateView) object(code string, zone *time.Location) object {
	return object{
		{"update_id", updateID(code, u.seq)},
		{"service_request_id", code},
		{"status", u.status},
		{"updated_datetime", timeString(u.at, zone)},
		{"description", u.description},
		{"media_url", nil},
		{"external_status_code", u.external},
	}
}

// publicUpdate turns a resident-visible event into an update; other kinds
// (internal notes, contact reads, returns and their arbitration, requests
// for extension or termination, refused decisions) are left out.
func publicUpdate(e *huying.Event, data map[string]any, zone *time.Location) (updateView, bool) {
	u := updateView{seq: e.Seq, external: string(e.ToStatus), at: e.At}
	str := func(k string) string { s, _ := data[k].(string); return s }
	withText := func(title string) string {
		if e.Note != "" {
			return title + "：" + e.Note
		}
		return title
	}
	switch huying.Command(e.Kind) {
	case huying.CmdReceive:
		u.status, u.description = "open", "诉求已受理"
	case huying.CmdAnswer:
		u.status, u.description = "closed", withText("已直接答复")
	case huying.CmdRefuse:
		u.status = "not_councils_responsibility"
		if str("reason") == "不予受理" {
			u.status = "no_further_action"
		}
		u.description = withText("不予受理/已转办（" + str("reason") + "）")
	case huying.CmdMerge:
		u.status, u.description = "duplicate", "已与相同诉求 "+str("target")+" 合并办理"
	case huying.CmdDispatch, huying.CmdArbitrate:
		u.status, u.description = "action_scheduled", "已派单至"+str("lead_name")
		if huying.Command(e.Kind) == huying.CmdArbitrate {
			u.description = "已重新派单至" + str("lead_name")
		}
		if due, err := time.Parse(time.RFC3339, str("due_at")); err == nil {
			u.description += "，办理时限 " + due.In(zone).Format("2006-01-02 15:04")
		}
	case huying.CmdSign:
		u.status, u.description = "investigating", "承办单位已签收"
	case huying.CmdContact:
		u.status, u.description = "in_progress", "承办单位已与诉求人联系"
	case huying.CmdDecideExtension:
		due, err := time.Parse(time.RFC3339, str("due_at"))
		if str("decision") != "approve" || err != nil {
			return u, false
		}
		u.status, u.description = "in_progress", "办理时限已延长至 "+due.In(zone).Format("2006-01-02 15:04")
	case huying.CmdDecideTermination:
		if e.ToStatus != huying.StatusTerminated {
			return u, false
		}
		u.status, u.description = "cancelled", "经审核终止办理"
	case huying.CmdReply:
		class := str("result_class")
		switch class {
		case huying.ResultSolved:
			u.status = "fixed"
		case huying.ResultPartly:
			u.status = "in_progress"
		default:
			u.status = "no_further_action"
		}
		u.description = withText("承办单位已办结答复（" + class + "）")
	case huying.CmdReview:
		if e.ToStatus != huying.StatusReviewed {
			return u, false // sent back to the unit: internal
		}
		u.status, u.description = "unchanged", "分拨中心已审核办理结果，等待诉求人评价"
	case huying.CmdRate:
		if e.ToStatus == huying.StatusDispatched {
			redo, _ := data["redo"].(float64)
			// A redo (返工) is reported as open: a client reopens a fixed or
			// closed report on "open", while "reopen" is not a state clients take.
			u.status, u.description = "open", fmt.Sprintf("诉求人不满意，已重新交办（第 %d 次重办）", int(redo))
			break
		}
		rating, _ := data["rating"].(map[string]any)
		s, _ := rating["satisfaction"].(string)
		u.status, u.description = "closed", "诉求人已评价："+s
	case huying.CmdArchive:
		u.status, u.description = "closed", "已归档"
	default:
		return u, false
	}
	return u, true
}
