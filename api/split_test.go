package api_test

import (
	"strconv"
	"testing"

	"huying"
)

// TestSplitHTTP: POST /appeals/{code}/split makes the parts, GET shows them
// on the parent, a bad part is named by its index, a handler's my orders
// (assignee=me) lists what its unit assigned to it, and GET /me/colleagues
// names the unit's handlers only.
func TestSplitHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a := e.f.MustReceive(t, huying.Intake{Type: huying.TypeHelp, Channel: "12345热线", Address: "坪山区坪山街道六和社区和平路12号",
		ContactName: "张三", ContactPhone: "13800138000", Content: "和平路12号门前下水道堵塞。和平路路灯不亮。"})
	path := "/api/v1/appeals/" + a.Code + "/split"
	s, body := e.do("dispatcher", "POST", path, map[string]any{"version": a.Version, "parts": []map[string]any{
		{"content": "和平路12号门前下水道堵塞。", "lead_unit_id": "dept-a"}, {"content": ""}}})
	if s != 400 || body["field"] != "parts[1].content" {
		t.Fatalf("an empty part: %d %v", s, body)
	}
	s, body = e.do("dispatcher", "POST", path, map[string]any{"version": a.Version, "parts": []map[string]any{
		{"content": "和平路12号门前下水道堵塞。", "lead_unit_id": "dept-a"}, {"content": "和平路路灯不亮。", "type": "投诉"}}})
	if s != 200 || body["status"] != "split" {
		t.Fatalf("split: %d %v", s, body)
	}
	s, body = e.do("dispatcher", "GET", "/api/v1/appeals/"+a.Code, nil)
	parts, _ := body["parts"].([]any)
	if s != 200 || len(parts) != 2 || parts[0].(map[string]any)["code"] != a.Code+"-1" || parts[1].(map[string]any)["status"] != "received" {
		t.Fatalf("the parent's parts: %d %v", s, body["parts"])
	}
	one := parts[0].(map[string]any)
	if s, _ := e.do("handler_a", "POST", "/api/v1/appeals/"+a.Code+"-1/sign", map[string]any{}); s != 200 {
		t.Fatalf("sign the part: %d", s)
	}
	me := e.f.Actors["handler_a"].User.ID
	if s, body := e.do("handler_a", "POST", "/api/v1/appeals/"+strconv.Itoa(int(one["id"].(float64)))+"/assign", map[string]any{"assignee_id": me}); s != 200 || body["assignee_id"] != float64(me) {
		t.Fatalf("assign: %d %v", s, body)
	}
	s, body = e.do("handler_a", "GET", "/api/v1/appeals?assignee=me", nil)
	if s != 200 || body["total"] != float64(1) {
		t.Fatalf("my orders: %d %v", s, body)
	}
	if s, _ := e.do("handler_a", "GET", "/api/v1/appeals?assignee=someone", nil); s != 400 {
		t.Fatalf("assignee=someone: %d", s)
	}
	s, body = e.do("handler_a", "GET", "/api/v1/me/colleagues", nil)
	items, _ := body["items"].([]any)
	if s != 200 || len(items) != 1 || items[0].(map[string]any)["name"] != "handler_a" || len(items[0].(map[string]any)) != 2 {
		t.Fatalf("colleagues: %d %v", s, body)
	}
}
