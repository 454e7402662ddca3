package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"huying"
	"huying/api"
	"huying/identity"
	"huying/storetest"
	"huying/workflow"
)

// bearer sends a request with an API token and decodes the JSON answer.
func (e *env) bearer(token, method, path string, body any) (int, map[string]any) {
	e.t.Helper()
	return e.do("", method, path, body, "Authorization", "Bearer "+token)
}

func (e *env) token(scopes ...huying.Scope) (string, *huying.APIToken) {
	e.t.Helper()
	tok, tk, err := e.f.Ids.CreateToken(context.Background(), e.f.Actors["admin"], identity.NewToken{Name: "测试", Channel: "小程序", Scopes: scopes})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok, tk
}

// TestChannelTokenIsNotStaff: a channel's token files on its channel and
// reads back, masked, only what it filed; it cannot read other channels'
// appeals, unmask contacts, list users or run staff commands.
func TestChannelTokenIsNotStaff(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tok, _ := e.token(huying.ScopeIntake, huying.ScopeRead)
	_, hotline := e.do("intake", "POST", "/api/v1/appeals", validIntake) // a 12345热线 appeal it never filed
	other := "/api/v1/appeals/" + hotline["code"].(string)

	s, mine := e.bearer(tok, "POST", "/api/v1/appeals", withField("channel", "12345热线"))
	if s != 201 || mine["channel"] != "小程序" || mine["contact_phone"] != "139****5678" {
		t.Fatalf("intake by token: %d %v", s, mine)
	}
	own := "/api/v1/appeals/" + mine["code"].(string)
	checks := []struct {
		name, method, path string
		status             int
	}{
		{"reads back its own appeal", "GET", own, 200},
		{"reads its own resident-safe timeline", "GET", own + "/track", 200},
		{"reads another channel's appeal", "GET", other, 404},
		{"reads another channel's timeline", "GET", other + "/track", 404},
		{"reads the full timeline of its own", "GET", own + "/events", 403},
		{"unmasks its own appeal's contact", "POST", own + "/contact/reveal", 403},
		{"unmasks another's contact", "POST", other + "/contact/reveal", 403},
		{"dispatches", "POST", own + "/dispatch", 403},
		{"lists users", "GET", "/api/v1/users", 403},
		{"reads the stats", "GET", "/api/v1/stats", 403},
		{"issues tokens", "POST", "/api/v1/tokens", 403},
	}
	for _, c := range checks {
		if s, body := e.bearer(tok, c.method, c.path, map[string]any{}); s != c.status {
			t.Errorf("token %s: %d %v, want %d", c.name, s, body, c.status)
		}
	}
	_, got := e.bearer(tok, "GET", own, nil)
	if got["contact_phone"] != "139****5678" {
		t.Errorf("read-back shows the contact %v, want masked", got["contact_phone"])
	}
	_, list := e.bearer(tok, "GET", "/api/v1/appeals", nil)
	if list["total"].(float64) != 1 {
		t.Errorf("token lists %v appeals, want only its own 1", list["total"])
	}
	// Scopes: without read it cannot read back; without intake it cannot file.
	writeOnly, _ := e.token(huying.ScopeIntake)
	if s, _ := e.bearer(writeOnly, "GET", "/api/v1/appeals", nil); s != 403 {
		t.Errorf("intake-only token lists appeals: %d", s)
	}
	readOnly, _ := e.token(huying.ScopeRead)
	if s, _ := e.bearer(readOnly, "POST", "/api/v1/appeals", validIntake); s != 403 {
		t.Errorf("read-only token files: %d", s)
	}
}

// TestTokenDefaultRate holds a token without an agreed channel rate to
// identity.DefaultTokenRate a minute.
func TestTokenDefaultRate(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tok, _ := e.token(huying.ScopeRead)
	for i := range identity.DefaultTokenRate {
		if s, _ := e.bearer(tok, "GET", "/api/v1/me", nil); s != 200 {
			t.Fatalf("request %d: %d", i+1, s)
		}
	}
	s, body := e.bearer(tok, "GET", "/api/v1/me", nil)
	if s != 429 || !hasChinese(body["message"].(string)) {
		t.Fatalf("request past the default rate: %d %v", s, body)
	}
}

// TestTokenRevocationIsImmediate: a revoked token is refused on its very
// next request (it used to be cached for 30 s), and an expired one too.
func TestTokenRevocationIsImmediate(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tok, tk := e.token(huying.ScopeRead)
	if s, _ := e.bearer(tok, "GET", "/api/v1/me", nil); s != 200 {
		t.Fatalf("fresh token: %d", s)
	}
	_, list := e.do("admin", "GET", "/api/v1/tokens", nil)
	items := list["items"].([]any)
	first := items[0].(map[string]any)
	if first["prefix"] != tok[:12] || first["last_used_at"] == nil || strings.Contains(toJSON(list), tok) {
		t.Fatalf("token list: %v", first)
	}
	if s, _ := e.do("admin", "DELETE", "/api/v1/tokens/"+itoa(tk.ID), nil); s != 204 {
		t.Fatalf("revoke: %d", s)
	}
	if s, body := e.bearer(tok, "GET", "/api/v1/me", nil); s != 401 || body["message"] != "接口令牌已吊销或已过期" {
		t.Fatalf("revoked token: %d %v", s, body)
	}
	if s, _ := e.do("admin", "DELETE", "/api/v1/tokens/"+itoa(tk.ID), nil); s != 409 {
		t.Fatalf("revoking twice: %d", s)
	}
	at := e.f.Clock.Now().Add(time.Hour)
	soon, _, err := e.f.Ids.CreateToken(context.Background(), e.f.Actors["admin"], identity.NewToken{Name: "临时", Channel: "小程序", ExpiresAt: &at})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := e.bearer(soon, "GET", "/api/v1/me", nil); s != 200 {
		t.Fatalf("token before expiry: %d", s)
	}
	e.f.Clock.Advance(time.Hour)
	if s, _ := e.bearer(soon, "GET", "/api/v1/me", nil); s != 401 {
		t.Fatalf("expired token: %d", s)
	}
}

// TestPasswordLifecycle: change your own password, an admin resets,
// edits, disables (the user's session dies at once) and enables.
func TestPasswordLifecycle(t *testing.T) {
	t.Parallel()
	e := setup(t)
	id := itoa(e.f.Actors["leader"].User.ID)
	e.login("leader")
	for _, c := range []struct{ old, new, field string }{
		{"wrong", "a-much-longer-secret", "old_password"},
		{storetest.Password, "short", "password"},
		{storetest.Password, "leader-is-me-2026", "password"}, // contains the login name
		{storetest.Password, "1234567890", "password"},        // common
	} {
		if s, body := e.do("leader", "POST", "/api/v1/me/password", map[string]string{"old_password": c.old, "password": c.new}); s != 400 || body["field"] != c.field {
			t.Errorf("change %q→%q: %d %v, want 400 on %s", c.old, c.new, s, body, c.field)
		}
	}
	if s, body := e.do("leader", "POST", "/api/v1/me/password", map[string]string{"old_password": storetest.Password, "password": "区领导的新密码-2026"}); s != 204 {
		t.Fatalf("change: %d %v", s, body)
	}
	if s, _ := e.do("leader", "GET", "/api/v1/me", nil); s != 401 {
		t.Fatalf("the old session after a password change: %d", s)
	}
	if _, _, err := e.f.Ids.Login(context.Background(), "leader", "区领导的新密码-2026"); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	if s, _ := e.do("admin", "POST", "/api/v1/users/"+id+"/password", map[string]string{"password": "管理员重置的密码-01"}); s != 204 {
		t.Fatalf("reset: %d", s)
	}
	delete(e.cookies, "leader")
	j, _ := json.Marshal(map[string]string{"username": "leader", "password": "管理员重置的密码-01"})
	resp, err := http.Post(e.srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(string(j)))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login after reset: %v", resp.Status)
	}
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == api.SessionCookie {
			session = c
		}
	}
	resp.Body.Close()
	e.cookies["leader"] = session.Value
	if s, body := e.do("admin", "PATCH", "/api/v1/users/"+id, map[string]any{"name": "区领导赵明", "roles": []string{"leader", "supervisor"}}); s != 200 || body["name"] != "区领导赵明" {
		t.Fatalf("edit: %d %v", s, body)
	}
	if s, body := e.do("admin", "PATCH", "/api/v1/users/"+id, map[string]any{"roles": []string{"resident"}}); s != 400 || body["field"] != "roles" {
		t.Fatalf("edit to a resident: %d %v", s, body)
	}
	if s, _ := e.do("admin", "POST", "/api/v1/users/"+id+"/disable", nil); s != 200 {
		t.Fatalf("disable: %d", s)
	}
	if s, _ := e.do("leader", "GET", "/api/v1/me", nil); s != 401 {
		t.Fatalf("a disabled user's session: %d", s)
	}
	if _, _, err := e.f.Ids.Login(context.Background(), "leader", "管理员重置的密码-01"); huying.ErrorMessage(err) != "该账号已停用，请联系管理员" {
		t.Fatalf("a disabled user logs in: %v", err)
	}
	if s, _ := e.do("admin", "POST", "/api/v1/users/"+itoa(e.f.Actors["admin"].User.ID)+"/disable", nil); s != 400 {
		t.Fatalf("an admin disables themself: %d", s)
	}
	if s, _ := e.do("admin", "POST", "/api/v1/users/"+id+"/enable", nil); s != 200 {
		t.Fatalf("enable: %d", s)
	}
	if _, _, err := e.f.Ids.Login(context.Background(), "leader", "管理员重置的密码-01"); err != nil {
		t.Fatalf("an enabled user logs in: %v", err)
	}
	// Every change is on the admin chain.
	chains, _, err := e.f.Svc.VerifyAudit(context.Background())
	if err != nil || chains == 0 {
		t.Fatalf("audit: %v", err)
	}
}

// TestLoginBackoff: after five wrong passwords the account waits 1 s,
// then twice as long each time, told in Chinese; the right password does
// not get in while it waits; an unknown name answers the same way.
func TestLoginBackoff(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	for _, name := range []string{"dispatcher", "no-such-user"} {
		for i := 1; i <= identity.LoginFreeFailures-1; i++ {
			_, _, err := e.f.Ids.Login(ctx, name, "wrong-password")
			if huying.ErrorCode(err) != huying.EUNAUTHORIZED {
				t.Fatalf("%s try %d: %v", name, i, err)
			}
		}
		_, _, err := e.f.Ids.Login(ctx, name, "wrong-password")
		if huying.ErrorCode(err) != huying.EUNAUTHORIZED || !strings.Contains(huying.ErrorMessage(err), "请 1 秒后再试") {
			t.Fatalf("%s fifth try: %v", name, err)
		}
		_, _, err = e.f.Ids.Login(ctx, name, storetest.Password)
		if huying.ErrorCode(err) != huying.ETOOMANY || !strings.Contains(huying.ErrorMessage(err), "1 秒") {
			t.Fatalf("%s while waiting: %v", name, err)
		}
		e.f.Clock.Advance(time.Second)
		_, _, err = e.f.Ids.Login(ctx, name, "wrong-password")
		if !strings.Contains(huying.ErrorMessage(err), "请 2 秒后再试") {
			t.Fatalf("%s sixth try: %v", name, err)
		}
	}
	if got := identity.LoginMaxWait; got != 15*time.Minute {
		t.Fatalf("max wait %v", got)
	}
	e.f.Clock.Advance(2 * time.Second)
	if _, _, err := e.f.Ids.Login(ctx, "dispatcher", storetest.Password); err != nil {
		t.Fatalf("the right password after the wait: %v", err)
	}
	// Over HTTP the wait is a 429 with Retry-After.
	for range identity.LoginFreeFailures {
		e.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "leader", "password": "nope-nope"})
	}
	if s, body := e.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "leader", "password": storetest.Password}); s != 429 {
		t.Fatalf("login while waiting over HTTP: %d %v", s, body)
	}
}

// TestUnknownUserCostsBcrypt: an unknown name takes the bcrypt work of a
// real one, so that timing does not tell which names exist.
func TestUnknownUserCostsBcrypt(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	e.f.Ids.PasswordCost = 10
	if _, err := e.f.Ids.CreateUser(ctx, e.f.Actors["admin"], identity.NewUser{Username: "slow.hash", Name: "慢", Password: storetest.Password,
		UnitID: storetest.UnitCentre, Roles: []huying.Role{huying.RoleIntake}}); err != nil {
		t.Fatal(err)
	}
	_, _, _ = e.f.Ids.Login(ctx, "warm-up", "x") // makes the dummy hash once
	// The best of four tries each, taken in turns, so that a burst of load
	// on a shared machine slows both names alike.
	var known, unknown time.Duration
	for i := range 4 {
		for _, m := range []struct {
			name string
			best *time.Duration
		}{{"slow.hash", &known}, {fmt.Sprintf("nobody.here.%d", i), &unknown}} {
			start := time.Now()
			_, _, _ = e.f.Ids.Login(ctx, m.name, "wrong-password")
			if d := time.Since(start); i == 0 || d < *m.best {
				*m.best = d
			}
		}
	}
	if unknown < known/3 {
		t.Fatalf("an unknown name answers in %v, a known one in %v: the difference tells names apart", unknown, known)
	}
}

// TestConfidentialLeftOut: leaders and admins, who get 404 on a
// confidential appeal, do not see it on the board or in flags either, and
// a flag on one cannot be public.
func TestConfidentialLeftOut(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	_, a := e.do("intake", "POST", "/api/v1/appeals", withField("confidential", true))
	code := a["code"].(string)
	id := int64(a["id"].(float64))
	if s, _ := e.do("dispatcher", "POST", "/api/v1/appeals/"+code+"/dispatch", map[string]any{"lead_unit_id": "dept-a"}); s != 200 {
		t.Fatalf("dispatch: %d", s)
	}
	due := e.f.Clock.Now().Add(48 * time.Hour).Format(time.RFC3339)
	s, body := e.do("supervisor", "POST", "/api/v1/appeals/"+code+"/flags", map[string]any{"reason": "挂牌", "supervising_unit": "centre", "due_at": due, "public": true})
	if s != 400 || body["field"] != "public" {
		t.Fatalf("public flag on a confidential appeal: %d %v", s, body)
	}
	if _, err := e.f.Sup.Flag(ctx, e.f.Actors["supervisor"], id, workflow.FlagInput{Reason: "挂牌", SupervisingUnit: "centre", DueAt: e.f.Clock.Now().Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	e.f.Clock.Advance(40 * 24 * time.Hour)
	if _, err := e.f.Svc.Sweep(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	clear(e.cookies) // the sessions expired meanwhile
	for _, who := range []string{"leader", "admin"} {
		if s, _ := e.do(who, "GET", "/api/v1/appeals/"+code, nil); s != 404 {
			t.Fatalf("%s reads the appeal: %d", who, s)
		}
		for _, path := range []string{"/api/v1/board", "/api/v1/flags"} {
			if _, body := e.do(who, "GET", path, nil); strings.Contains(toJSON(body), code) {
				t.Errorf("%s sees the confidential appeal on %s", who, path)
			}
		}
	}
	for _, path := range []string{"/api/v1/board", "/api/v1/flags"} {
		if _, body := e.do("supervisor", "GET", path, nil); !strings.Contains(toJSON(body), code) {
			t.Errorf("the supervisor does not see it on %s: %s", path, toJSON(body))
		}
	}
	if _, body := e.do("", "GET", "/api/v1/public/flags", nil); strings.Contains(toJSON(body), code) {
		t.Error("the public flags show a confidential appeal")
	}
}

// TestTimelineNamesPeople: a resident who logs in is 诉求人 in the
// timeline, never their login id or phone, and is not a staff user.
func TestTimelineNamesPeople(t *testing.T) {
	t.Parallel()
	m := newMatrixEnv(t)
	s, a := m.doCookie(m.cookies["resident"], "POST", "/api/v1/appeals", withField("contact_phone", "13911112222"))
	if s != 201 {
		t.Fatalf("resident files: %d %v", s, a)
	}
	code := a["code"].(string)
	if s, _ := m.doCookie(m.cookies["resident"], "POST", "/api/v1/appeals/"+code+"/supplements", map[string]any{"note": "补充：晚上十点后更严重"}); s != 204 {
		t.Fatalf("supplement: %d", s)
	}
	_, ev := m.do("dispatcher", "GET", "/api/v1/appeals/"+code+"/events", nil)
	raw := toJSON(ev)
	for _, leak := range []string{"resident-", "13911112222", "1391111"} {
		if strings.Contains(raw, leak) {
			t.Errorf("the timeline shows %q: %s", leak, raw)
		}
	}
	for _, it := range ev["items"].([]any) {
		e := it.(map[string]any)
		if e["actor"] != "诉求人" || e["actor_kind"] != "resident" || e["unit_id"] != nil {
			t.Errorf("event %v by %v (%v, unit %v), want 诉求人", e["kind"], e["actor"], e["actor_kind"], e["unit_id"])
		}
	}
	_, users := m.do("admin", "GET", "/api/v1/users", nil)
	if strings.Contains(toJSON(users), "resident") || strings.Contains(toJSON(users), "channel:") {
		t.Errorf("the staff list shows residents or channels: %s", toJSON(users))
	}
}

func (m *matrixEnv) doCookie(c *http.Cookie, method, path string, body any) (int, map[string]any) {
	m.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, m.srv.URL+path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(c)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestSMSCodeLimits: ten codes an hour per address, whatever the phones.
func TestSMSCodeLimits(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for i := range identity.CodesPerIPHour {
		phone := fmt.Sprintf("139100%05d", i)
		if s, body := e.do("", "POST", "/api/v1/resident/code", map[string]string{"phone": phone}); s != 202 {
			t.Fatalf("code %d to %s: %d %v", i+1, phone, s, body)
		}
	}
	if s, body := e.do("", "POST", "/api/v1/resident/code", map[string]string{"phone": "13920000000"}); s != 429 || !hasChinese(body["message"].(string)) {
		t.Fatalf("code past the per-IP limit: %d %v", s, body)
	}
}

// TestTrackRateNeedsProof: the public rating needs the proof of a
// successful lookup; the code and digits alone are refused.
func TestTrackRateNeedsProof(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.f.MustAppealIn(t, huying.StatusHandling, "")
	a = e.f.MustAct(t, "handler_a", a, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已办结"})
	a = e.f.MustAct(t, "dispatcher", a, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept})
	rating := map[string]any{"satisfaction": "不满意", "speed": 1, "effect": 1, "experience": 1, "reply_quality": 1}
	if s, body := e.do("", "POST", "/api/v1/track/rate", map[string]any{"code": a.Code, "phone4": "8000", "rating": rating}); s != 400 {
		t.Fatalf("rating with the digits only: %d %v", s, body)
	}
	s, tr := e.do("", "GET", "/api/v1/track?code="+a.Code+"&phone4=8000", nil)
	if s != 200 || tr["rate_proof"] == nil {
		t.Fatalf("track: %d %v", s, tr)
	}
	rating["satisfaction"] = "满意"
	if s, body := e.do("", "POST", "/api/v1/track/rate", map[string]any{"code": a.Code, "proof": tr["rate_proof"], "rating": rating}); s != 200 {
		t.Fatalf("rating with the proof: %d %v", s, body)
	}
}

// TestContactRevealIsPost: the unmasked read writes an audit event, so a
// GET (a link, an image) cannot trigger it.
func TestContactRevealIsPost(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, a := e.do("intake", "POST", "/api/v1/appeals", validIntake)
	path := "/api/v1/appeals/" + a["code"].(string) + "/contact"
	for _, p := range []string{path, path + "/reveal"} {
		if s, _ := e.do("intake", "GET", p, nil); s != 404 && s != 405 {
			t.Errorf("GET %s: %d", p, s)
		}
	}
	if s, body := e.do("intake", "POST", path+"/reveal", nil); s != 200 || body["contact_phone"] != "13912345678" {
		t.Fatalf("POST reveal: %d %v", s, body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestResidentNamesAreReserved: a staff account named like a resident's
// would receive that resident's SMS login; it cannot be made.
func TestResidentNamesAreReserved(t *testing.T) {
	t.Parallel()
	e := setup(t)
	s, body := e.do("admin", "POST", "/api/v1/users", map[string]any{"username": "resident-13911112222", "name": "冒名", "password": "a-long-enough-secret",
		"unit_id": storetest.UnitCentre, "roles": []string{"dispatcher"}})
	if s != 400 || body["field"] != "username" {
		t.Fatalf("a staff account with a resident's name: %d %v", s, body)
	}
}

// TestWebhookAdmin: admins list, disable, enable and delete subscribers;
// a loopback or private target is refused unless private targets are allowed.
func TestWebhookAdmin(t *testing.T) {
	t.Parallel()
	e := setup(t)
	body := map[string]any{"url": "http://127.0.0.1:9/hook", "secret": "0123456789abcdef"}
	e.f.Svc.AllowPrivateWebhooks = false
	for _, target := range []string{"http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://[::1]/hook", "http://169.254.169.254/latest"} {
		body["url"] = target
		if s, b := e.do("admin", "POST", "/api/v1/webhooks", body); s != 400 || b["field"] != "url" {
			t.Errorf("private target %s: %d %v", target, s, b)
		}
	}
	e.f.Svc.AllowPrivateWebhooks = true
	body["url"] = "http://127.0.0.1:9/hook"
	s, hook := e.do("admin", "POST", "/api/v1/webhooks", body)
	if s != 201 {
		t.Fatalf("create: %d %v", s, hook)
	}
	id := itoa(int64(hook["id"].(float64)))
	if s, _ := e.do("admin", "POST", "/api/v1/webhooks/"+id+"/disable", nil); s != 204 {
		t.Fatalf("disable: %d", s)
	}
	_, list := e.do("admin", "GET", "/api/v1/webhooks", nil)
	if it := list["items"].([]any)[0].(map[string]any); it["disabled_reason"] != "admin" || strings.Contains(toJSON(list), "0123456789abcdef") {
		t.Fatalf("list after disable: %v", list)
	}
	if s, _ := e.do("admin", "POST", "/api/v1/webhooks/"+id+"/enable", nil); s != 204 {
		t.Fatalf("enable: %d", s)
	}
	if s, _ := e.do("supervisor", "DELETE", "/api/v1/webhooks/"+id, nil); s != 403 {
		t.Fatalf("a supervisor deletes: %d", s)
	}
	if s, _ := e.do("admin", "DELETE", "/api/v1/webhooks/"+id, nil); s != 204 {
		t.Fatalf("delete: %d", s)
	}
	if s, _ := e.do("admin", "DELETE", "/api/v1/webhooks/"+id, nil); s != 404 {
		t.Fatalf("delete twice: %d", s)
	}
}
