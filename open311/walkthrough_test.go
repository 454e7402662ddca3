package open311

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/storetest"
	"huying/workflow"
)

// TestWalkthrough records a resident's whole case: filing through an
// Open311 app, the appeal handled in Huying by the fixture's people
// (dispatch → sign → contact → reply → review), and the same resident
// reading the progress, confirming the result and reading the closed
// status and the updates, all through Open311. Run it with
//
//	go test -v -run Walkthrough ./open311
//
// to read the exchange.
func TestWalkthrough(t *testing.T) {
	t.Parallel()
	e := setup(t)
	step := 0
	say := func(format string, args ...any) {
		step++
		t.Logf("\n【%d】%s", step, fmt.Sprintf(format, args...))
	}
	show := func(method, path string, form url.Values, r response) {
		t.Helper()
		var pretty bytes.Buffer
		if json.Indent(&pretty, r.body, "    ", "  ") != nil {
			pretty.Reset()
			pretty.Write(r.body)
		}
		if form != nil {
			var lines []string
			for _, k := range slices.Sorted(maps.Keys(form)) {
				for _, v := range form[k] {
					if k == "api_key" {
						v = "hyt_…"
					}
					lines = append(lines, k+"="+strings.ReplaceAll(v, "\n", `\n`))
				}
			}
			t.Logf("  %s %s%s（表单）\n      %s\n  → %d\n    %s", method, Prefix, path, strings.Join(lines, "\n      "), r.status, strings.TrimSpace(pretty.String()))
		} else {
			t.Logf("  %s %s%s\n  → %d\n    %s", method, Prefix, path, r.status, strings.TrimSpace(pretty.String()))
		}
		if r.status != http.StatusOK {
			t.Fatalf("%s %s: %d", method, path, r.status)
		}
	}
	get := func(path string) response {
		t.Helper()
		r := e.get(path)
		show("GET", path, nil, r)
		return r
	}
	act := func(who string, code string, cmd huying.Command, in workflow.Action, what string) {
		t.Helper()
		e.f.Clock.Advance(90 * time.Minute)
		a, err := e.db.AppealByCode(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		out := e.f.MustAct(t, who, a, cmd, in)
		say("%s  %s（workflow.Act %s as %s）→ 状态 %s（%s）", e.f.Clock.T.In(e.f.Svc.Zone).Format("15:04"), what, cmd, who, out.Status, out.Status.Name())
	}

	say("居民打开 Open311 应用，应用先做服务发现，再取服务列表和「噪音扰民」的服务定义")
	get("discovery.json")
	services := e.get("services.json").items(t)
	t.Logf("  GET %sservices.json → 200，%d 项服务：", Prefix, len(services))
	for _, s := range services {
		t.Logf("    %s %s/%s（type=%s, metadata=%v）", s["service_code"], s["group"], s["service_name"], s["type"], s["metadata"])
	}
	get("services/0201.json")

	say("居民张先生提交诉求：晚上工地打桩噪音（POST requests，api_key 为应用的渠道令牌）")
	form := noiseForm()
	form.Set("api_key", e.token)
	r := e.do(http.MethodPost, "requests.json", form)
	show("POST", "requests.json", form, r)
	id := r.items(t)[0]["service_request_id"].(string)

	a, _ := e.db.AppealByCode(context.Background(), id)
	say("呼应中的这件诉求（受理员、分拨员在控制台看到的内容）")
	t.Logf("  编号 %s　渠道 %s　类型 %s　状态 %s\n  标题 %s\n  联系人 %s %s（控制台对分拨员脱敏为 %s）\n  内容：\n    %s",
		a.Code, a.Channel, a.Type, a.Status.Name(), a.Title, a.ContactName, a.ContactPhone, a.Masked().ContactPhone,
		strings.ReplaceAll(a.Content, "\n", "\n    "))

	act("dispatcher", id, huying.CmdDispatch, workflow.Action{LeadUnitID: storetest.UnitDeptA, Note: "夜间施工噪音，请核查施工许可"}, "分拨员派单至城管和综合执法局")
	act("handler_a", id, huying.CmdSign, workflow.Action{}, "承办人签收")
	say("居民在应用里查看进度（GET requests/{id}，公开接口，不带 api_key）")
	get("requests/" + id + ".json")
	act("handler_a", id, huying.CmdContact, workflow.Action{Method: "电话", Note: "已电话联系张先生，约定今晚现场核查"}, "承办人电话联系诉求人")
	act("handler_a", id, huying.CmdNote, workflow.Action{Note: "内部：施工方无夜间施工许可证，已立案"}, "承办人记录内部办理进展（居民看不到）")
	act("handler_a", id, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved,
		Note: "经核查，该工地无夜间施工许可，已责令停止夜间施工并立案处罚，22:00 后不再施工。"}, "承办人办结答复")
	act("dispatcher", id, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept}, "分拨员审核通过，等待回访评价")

	say("居民查看进度：办结答复已到，核心状态仍是 open（等待评价）")
	get("requests/" + id + ".json")

	say("居民在应用里确认已解决并评价（FixMyStreet 扩展 POST servicerequestupdates，须带提交时的手机号）")
	e.f.Clock.Advance(2 * time.Hour)
	rate := url.Values{"api_key": {e.token}, "service_request_id": {id}, "update_id": {"app-77"}, "status": {"FIXED"},
		"updated_datetime": {e.f.Clock.T.In(e.f.Svc.Zone).Format(time.RFC3339)}, "phone": {"13800138000"},
		"description": {"晚上安静了，谢谢！"}, "attribute[satisfaction]": {"满意"},
		"attribute[speed]": {"5"}, "attribute[effect]": {"5"}, "attribute[experience]": {"5"}, "attribute[reply_quality]": {"4"}}
	r = e.do(http.MethodPost, "servicerequestupdates.json", rate)
	show("POST", "servicerequestupdates.json", rate, r)

	say("同一位居民查看结果：status 为 closed，updated_datetime 为结案时间")
	closed := get("requests/" + id + ".json").items(t)[0]
	get("requests.json?status=closed&service_code=0201")
	say("居民查看全部进展（GET servicerequestupdates）：呼应的细分状态在 external_status_code，内部记录不出现")
	updates := get("servicerequestupdates.json?service_request_id=" + id).items(t)
	say("同一内容的 XML（XML::Simple 类客户端使用）")
	x := e.get("requests/" + id + ".xml")
	t.Logf("  GET %srequests/%s.xml → %d %s\n%s", Prefix, id, x.status, x.ct, indentXML(t, x.body))

	// The walk-through is also a test.
	if closed["status"] != "closed" || closed["status_notes"] != "诉求人已评价：满意" || closed["agency_responsible"] != "城管和综合执法局" {
		t.Errorf("closed request: %v", closed)
	}
	var trail []string
	for _, u := range updates {
		trail = append(trail, u["status"].(string))
		if strings.Contains(u["description"].(string), "内部") {
			t.Errorf("internal note in updates: %v", u)
		}
	}
	if got := strings.Join(trail, " → "); got != "open → action_scheduled → investigating → in_progress → fixed → unchanged → closed" {
		t.Errorf("update trail: %s", got)
	}
	chains, events, err := e.f.Svc.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	say("审计链校验通过：%d 条链，%d 个事件；Open311 状态与进展全部由这些事件推导", chains, events)
}

// indentXML re-encodes an XML body with indentation for reading.
func indentXML(t *testing.T, body []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	var out bytes.Buffer
	enc := xml.NewEncoder(&out)
	enc.Indent("    ", "  ")
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) == 0 {
			continue
		}
		if _, ok := tok.(xml.ProcInst); ok {
			continue // printed as the body has it, below
		}
		if err := enc.EncodeToken(xml.CopyToken(tok)); err != nil {
			t.Fatal(err)
		}
	}
	_ = enc.Flush()
	decl, _, _ := bytes.Cut(body, []byte("\n"))
	return "    " + string(decl) + "\n" + out.String()
}
