package open311

import (
	"cmp"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/storetest"
	"huying/workflow"
)

// noiseForm is a full, valid POST requests form for 噪音扰民 (0201), using
// every kind of field a client sends.
func noiseForm() url.Values {
	return url.Values{
		"jurisdiction_id": {"szpsq.gov.cn"},
		"service_code":    {"0201"},
		"lat":             {"22.708912"}, "long": {"114.346712"},
		"address_string":          {"坪山区坪山街道六和社区和平路12号"},
		"description":             {"和平路工地每晚十一点后还在打桩，噪音很大，孩子无法入睡。\n希望尽快处理。"},
		"first_name":              {"三"},
		"last_name":               {"张"},
		"phone":                   {"+86 138 0013 8000"},
		"email":                   {"zhang@example.org"},
		"device_id":               {"ios-123"},
		"attribute[noise_source]": {"construction"},
		"attribute[periods][]":    {"night", "morning"},
		"attribute[decibel]":      {"72.5"},
		"attribute[observed_at]":  {"2026-09-27T23:10:00+08:00"},
		"media_url":               {"https://img.example.org/noise/1.jpg"},
	}
}

func with(form url.Values, kv ...string) url.Values {
	out := cloneValues(form)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			out.Del(kv[i])
		} else {
			out.Set(kv[i], kv[i+1])
		}
	}
	return out
}

// mustFile posts a form and returns the new service_request_id.
func (e *env) mustFile(form url.Values) string {
	e.t.Helper()
	r := e.post("requests.json", form)
	if r.status != http.StatusOK {
		e.t.Fatalf("POST requests: %d %s", r.status, r.body)
	}
	id, _ := r.items(e.t)[0]["service_request_id"].(string)
	if id == "" {
		e.t.Fatalf("POST requests gave no service_request_id: %s", r.body)
	}
	return id
}

func TestDefaultCatalogue(t *testing.T) {
	t.Parallel()
	l := DefaultCatalogue()
	list, _ := l.ServiceList(context.Background())
	if err := list.Validate(); err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	kinds := map[string]bool{}
	for _, s := range list.Services {
		kinds[s.Type] = true
		for _, a := range s.Attributes {
			types[a.Datatype] = true
		}
	}
	for _, d := range []string{DatatypeString, DatatypeNumber, DatatypeDatetime, DatatypeText, DatatypeSingleValueList, DatatypeMultiValueList} {
		if !types[d] {
			t.Errorf("no attribute of datatype %s", d)
		}
	}
	if !kinds[TypeRealtime] || !kinds[TypeBatch] {
		t.Errorf("want realtime and batch services, have %v", kinds)
	}
	bad := &ServiceList{Services: []Service{{Code: "a.b", Name: "x", Type: TypeRealtime, AppealType: huying.TypeHelp}}}
	if bad.Validate() == nil {
		t.Error("a code with a dot validated")
	}
}

func TestDiscoveryServicesDefinitions(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := e.get("discovery.json").json(t).(map[string]any)
	ep := d["endpoints"].([]any)[0].(map[string]any)
	if ep["url"] != e.srv.URL+"/georeport/v2" || ep["type"] != "production" || !slices.Contains(ep["formats"].([]any), any("application/json")) {
		t.Errorf("discovery endpoint: %v", ep)
	}
	if d["changeset"] != "2026-09-01T00:00:00+08:00" {
		t.Errorf("changeset %v", d["changeset"])
	}
	e.sameXMLAndJSON("discovery")
	e.sameXMLAndJSON("services")

	services := e.get("services.json").items(t)
	if len(services) != len(DefaultServices()) {
		t.Fatalf("%d services", len(services))
	}
	for _, s := range services {
		code := s["service_code"].(string)
		if s["metadata"] == true || code == "0202" {
			e.sameXMLAndJSON("services/" + code)
		}
	}
	// A code with a leading zero stays a string; keywords stay one string.
	if services[0]["service_code"] != "0101" || services[0]["keywords"] != "占道,摆摊,流动摊贩,店外经营" || services[0]["group"] != "城市管理" {
		t.Errorf("first service: %v", services[0])
	}
	def := e.get("services/0201.json").json(t).(map[string]any)
	attrs := def["attributes"].([]any)
	if len(attrs) != 5 || attrs[1].(map[string]any)["datatype"] != "multivaluelist" || len(attrs[1].(map[string]any)["values"].([]any)) != 3 {
		t.Errorf("0201 attributes: %v", attrs)
	}
	// One attribute with values is still a list of one in XML.
	x, err := parseXMLTree(e.get("services/0402.xml").body)
	if err != nil {
		t.Fatal(err)
	}
	if a := x.child("attributes"); a == nil || len(a.children) != 1 || a.children[0].name != "attribute" {
		t.Errorf("0402.xml attributes: %+v", a)
	}
	if r := e.get("services/9999.json"); r.status != http.StatusNotFound {
		t.Errorf("unknown service: %d", r.status)
	}
	if r := e.get("services.json?jurisdiction_id=szpsq.gov.cn"); r.status != http.StatusOK {
		t.Errorf("our jurisdiction: %d", r.status)
	}
	if r := e.get("services.xml?jurisdiction_id=sfgov.org"); r.status != http.StatusNotFound {
		t.Errorf("other jurisdiction: %d", r.status)
	}
}

func TestPostAndGetRequest(t *testing.T) {
	t.Parallel()
	e := setup(t)
	r := e.post("requests.json", noiseForm())
	if r.status != http.StatusOK {
		t.Fatalf("POST: %d %s", r.status, r.body)
	}
	item := r.items(t)[0]
	id := item["service_request_id"].(string)
	if !strings.HasPrefix(id, "PS20260928") || item["service_notice"] != "投诉类诉求一般在15个工作日内办结答复，可凭诉求编号查询进度。" {
		t.Errorf("POST answer: %v", item)
	}

	// What Huying received.
	a, err := e.db.AppealByCode(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"噪音很大", "服务：环境保护/噪音扰民（0201）", "噪音来源：建筑施工", "出现时段：夜间（22:00–次日6:00）、早上（6:00–8:00）",
		"噪声值（分贝），用手机测量过的可填写：72.5", "发现时间：2026-09-27T23:10:00+08:00", "图片链接：https://img.example.org/noise/1.jpg", "〔open311:0201〕"} {
		if !strings.Contains(a.Content, want) {
			t.Errorf("content lacks %q:\n%s", want, a.Content)
		}
	}
	if strings.Contains(a.Content, "zhang@example.org") {
		t.Error("email was stored")
	}
	if a.Channel != "Open311" || a.Type != huying.TypeComplaint || a.ContactName != "张三" || a.ContactPhone != "13800138000" ||
		a.Point == nil || a.Point.Lat != 22.708912 || a.Title != "噪音扰民：和平路工地每晚十一点后还在打桩，噪音很大，孩子无法入睡。 希望尽快处理。" {
		t.Errorf("appeal: %+v", a)
	}

	// What the public reads back: resident-safe fields only.
	g := e.get("requests/" + id + ".json")
	got := g.items(t)
	if len(got) != 1 {
		t.Fatalf("GET one: %d items", len(got))
	}
	req := got[0]
	want := map[string]any{
		"service_request_id": id, "status": "open", "service_code": "0201", "service_name": "噪音扰民",
		"description": "和平路工地每晚十一点后还在打桩，噪音很大，孩子无法入睡。\n希望尽快处理。",
		"address":     "坪山区坪山街道六和社区和平路12号", "lat": 22.708912, "long": 114.346712,
		"requested_datetime": "2026-09-28T10:00:00+08:00", "updated_datetime": "2026-09-28T10:00:00+08:00",
		"media_url": "https://img.example.org/noise/1.jpg", "status_notes": "诉求已受理",
		"agency_responsible": nil, "expected_datetime": nil, "zipcode": nil, "address_id": nil,
	}
	for k, v := range want {
		if req[k] != v {
			t.Errorf("%s = %#v, want %#v", k, req[k], v)
		}
	}
	for _, secret := range []string{"13800138000", "138****8000", "张", "zhang@", "Open311 应用", "open311-app"} {
		if strings.Contains(string(g.body), secret) {
			t.Errorf("GET shows %q: %s", secret, g.body)
		}
	}
	e.sameXMLAndJSON("requests/" + id)
	// A list of one is a list in XML too.
	x, _ := parseXMLTree(e.get("requests/" + id + ".xml").body)
	if x.name != "service_requests" || len(x.children) != 1 || x.children[0].name != "request" {
		t.Errorf("XML request: %+v", x)
	}
	// XML POST answers the same shape.
	xr := e.post("requests.xml", with(noiseForm(), "description", "第二次反映"))
	if xr.status != http.StatusOK {
		t.Fatalf("POST xml: %d %s", xr.status, xr.body)
	}
	x, _ = parseXMLTree(xr.body)
	if x.name != "service_requests" || len(x.children) != 1 || x.children[0].child("service_request_id") == nil || x.children[0].child("account_id") == nil {
		t.Errorf("XML POST answer: %s", xr.body)
	}

	// Once dispatched the request names its agency and deadline.
	e.f.MustAct(t, "dispatcher", a, huying.CmdDispatch, workflow.Action{LeadUnitID: storetest.UnitDeptA})
	req = e.get("requests/" + strings.ToLower(id) + ".json").items(t)[0]
	if req["agency_responsible"] != "城管和综合执法局" || req["expected_datetime"] == nil || req["status"] != "open" {
		t.Errorf("after dispatch: %v", req)
	}
	if r := e.get("requests/PS20260928999999.json"); r.status != http.StatusNotFound {
		t.Errorf("unknown id: %d", r.status)
	}
}

func TestIdempotentPost(t *testing.T) {
	t.Parallel()
	e := setup(t)
	form := noiseForm()
	form.Set("api_key", e.token)
	a := e.do(http.MethodPost, "requests.json", form, "Idempotency-Key", "app-42")
	b := e.do(http.MethodPost, "requests.json", form, "Idempotency-Key", "app-42")
	if a.status != 200 || string(a.body) != string(b.body) || e.appealCount() != 1 {
		t.Errorf("retry with one key: %s / %s, %d appeals", a.body, b.body, e.appealCount())
	}
}

func TestBatchToken(t *testing.T) {
	t.Parallel()
	e := setup(t)
	r := e.post("requests.json", url.Values{"service_code": {"0401"}, "address_string": {"坪山区政务服务中心"},
		"description": {"新生儿落户需要带哪些材料？"}, "phone": {"13912345678"}})
	if r.status != http.StatusOK {
		t.Fatalf("POST batch: %d %s", r.status, r.body)
	}
	item := r.items(t)[0]
	tok, _ := item["token"].(string)
	if tok == "" || item["service_request_id"] != nil {
		t.Fatalf("batch answer: %v", item)
	}
	got := e.get("tokens/" + tok + ".json").items(t)
	if len(got) != 1 || got[0]["token"] != tok || !strings.HasPrefix(got[0]["service_request_id"].(string), "PS") {
		t.Fatalf("token: %v", got)
	}
	e.sameXMLAndJSON("tokens/" + tok)
	a, err := e.db.AppealByCode(context.Background(), got[0]["service_request_id"].(string))
	if err != nil || a.Type != huying.TypeConsult || a.ContactName != "未留姓名" {
		t.Errorf("batch appeal: %+v %v", a, err)
	}
	mangled := tok[:len(tok)-1] + "A"
	if tok[len(tok)-1] == 'A' {
		mangled = tok[:len(tok)-1] + "B"
	}
	for _, bad := range []string{mangled, "NOTATOKEN", token("PS20260928999999")} {
		if r := e.get("tokens/" + bad + ".json"); r.status != http.StatusNotFound {
			t.Errorf("token %s: %d", bad, r.status)
		}
	}
}

// TestListRequests checks GET requests' filters on a small history: three
// Open311 requests of two services, one closed, one from the day before,
// and appeals from other channels that Open311 must not show.
func TestListRequests(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.f.Clock.Advance(-24 * time.Hour)
	yesterday := e.mustFile(noiseForm())
	e.f.Clock.Advance(24 * time.Hour)
	noise := e.mustFile(noiseForm())
	lamp := e.mustFile(url.Values{"service_code": {"0301"}, "lat": {"22.70"}, "long": {"114.35"}, "phone": {"0755-28888888"},
		"attribute[pole_no]": {"PS-HP-0123"}, "attribute[faults]": {"dark,flicker"}})
	phone := e.f.MustReceive(t, storetest.Intake(huying.TypeComplaint)) // 12345热线: not public
	secret := storetest.Intake(huying.TypeReport)
	secret.Channel, secret.Confidential = "Open311", true
	hidden := e.f.MustReceive(t, secret) // confidential: never public
	untagged := storetest.Intake(huying.TypeHelp)
	untagged.Channel = "Open311"
	agent := e.f.MustReceive(t, untagged) // put in the channel by an agent, not filed here: not public
	// Close the lamp request: answered directly is closed.
	la, _ := e.db.AppealByCode(context.Background(), lamp)
	e.f.MustAct(t, "dispatcher", la, huying.CmdRefuse, workflow.Action{Reason: "告知法定途径", Note: "路灯属供电局管理，请拨打 95598"})

	ids := func(path string) []string {
		t.Helper()
		r := e.get(path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		var out []string
		for _, it := range r.items(t) {
			out = append(out, it["service_request_id"].(string))
		}
		return out
	}
	check := func(path string, want ...string) {
		t.Helper()
		if got := ids(path); !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	check("requests.json", lamp, noise, yesterday)
	check("requests.json?status=open", noise, yesterday)
	check("requests.json?status=closed", lamp)
	check("requests.json?status=open,closed", lamp, noise, yesterday)
	check("requests.json?status=open&status=closed", lamp, noise, yesterday)
	check("requests.json?service_code=0301", lamp)
	check("requests.json?service_code=0201&status=open", noise, yesterday)
	check("requests.json?service_code=0201,0301", lamp, noise, yesterday)
	check("requests.json?service_code=0201&service_code=0301&page_size=1&page=2", noise)
	check("requests.json?start_date=2026-09-28T00:00:00%2B08:00", lamp, noise)
	check("requests.json?end_date=2026-09-27", yesterday)
	check("requests.json?start_date=2026-09-27&end_date=2026-09-27T23:59:59Z", yesterday)
	check("requests.json?page_size=2", lamp, noise)
	check("requests.json?page_size=2&page=2", yesterday)
	check("requests.json?page_size=2&page=3")
	check("requests.json?start_date=2026-01-01T00:00:00Z") // clamped to 2026-01-01 + 90 days: nothing
	check("requests.json?start_date=&status=", lamp, noise, yesterday)
	// service_request_id overrides everything else and keeps its order;
	// ids the public may not see are left out.
	check("requests.json?service_request_id="+yesterday+","+lamp+"&status=open&service_code=0101", yesterday, lamp)
	check("requests.json?service_request_id="+phone.Code+","+hidden.Code+","+agent.Code+","+noise, noise)
	for _, code := range []string{phone.Code, hidden.Code, agent.Code} {
		if r := e.get("requests/" + code + ".json"); r.status != http.StatusNotFound {
			t.Errorf("non-public %s: %d", code, r.status)
		}
	}
	if r := e.get("requests.json"); !strings.Contains(string(r.body), "供电局") {
		t.Errorf("the closing answer is not in status_notes: %s", r.body)
	}
	closed := e.get("requests/" + lamp + ".json").items(t)[0]
	if closed["status"] != "closed" || closed["expected_datetime"] != nil || closed["address"] != nil {
		t.Errorf("closed lamp: %v", closed)
	}
	e.sameXMLAndJSON("requests")
	e.sameXMLAndJSON("requests/" + lamp)
	// An empty list is a list.
	if r := e.get("requests.json?service_code=0101"); string(r.body) != "[]\n" {
		t.Errorf("empty list: %q", r.body)
	}
	if x, _ := parseXMLTree(e.get("requests.xml?service_code=0101").body); x.name != "service_requests" || len(x.children) != 0 {
		t.Errorf("empty XML list: %+v", x)
	}
}

// TestParamsFromQuery sends api_key and jurisdiction_id in the query
// string, as the node client does with jurisdiction_id.
func TestParamsFromQuery(t *testing.T) {
	t.Parallel()
	e := setup(t)
	body := with(noiseForm(), "jurisdiction_id", "")
	q := url.Values{"api_key": {e.token}, "jurisdiction_id": {"SZPSQ.gov.cn"}}
	r := e.do(http.MethodPost, "requests.json?"+q.Encode(), body)
	if r.status != http.StatusOK {
		t.Fatalf("api_key and jurisdiction_id in the query: %d %s", r.status, r.body)
	}
	q.Set("jurisdiction_id", "sfgov.org")
	if r := e.do(http.MethodPost, "requests.json?"+q.Encode(), body); r.status != http.StatusNotFound {
		t.Errorf("other jurisdiction in the query: %d %s", r.status, r.body)
	}
	// The body wins over the query for one-valued parameters.
	if r := e.do(http.MethodPost, "requests.json?service_code=9999&api_key="+url.QueryEscape(e.token), body); r.status != http.StatusOK {
		t.Errorf("body service_code over query: %d %s", r.status, r.body)
	}
	// An api_key on a GET is ignored (FixMyStreet sends one).
	if r := e.get("requests.json?api_key=whatever"); r.status != http.StatusOK {
		t.Errorf("GET with api_key: %d", r.status)
	}
}

// TestDiscoveryIgnoresHost: the endpoint url comes from the configured
// public URL, never from the Host header a client sends.
func TestDiscoveryIgnoresHost(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, base := range []string{"", "https://12345.szpsq.gov.cn"} {
		h := New(Config{Service: e.f.Svc, Auth: e.f.Ids, BaseURL: base})
		req := httptest.NewRequest("GET", Prefix+"discovery.json", nil)
		req.Host = "evil.example"
		req.Header.Set("X-Forwarded-Proto", "https")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if strings.Contains(w.Body.String(), "evil.example") || !strings.Contains(w.Body.String(), cmp.Or(base, "http://localhost")+"/georeport/v2") {
			t.Errorf("base %q: discovery %s", base, w.Body.String())
		}
	}
}
