package api_test

import (
	"context"
	"strings"
	"testing"

	"huying/storetest"
)

// TestUnitAdminHTTP: a unit edit from a stale screen is 409 and names the
// unit; a move against the tree's rules is 400 on parent_id; a disabled
// unit is listed with disabled_at and refused as a lead unit.
func TestUnitAdminHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	path := "/api/v1/units/" + storetest.UnitDeptB
	if s, b := e.do("admin", "PATCH", path, map[string]any{"name": "坪山区水务局", "version": 1}); s != 200 || b["version"] != float64(2) {
		t.Fatalf("rename: %d %v", s, b)
	}
	if s, b := e.do("admin", "PATCH", path, map[string]any{"name": "水务局", "version": 1}); s != 409 || !strings.Contains(b["message"].(string), "坪山区水务局") {
		t.Fatalf("stale rename: %d %v", s, b)
	}
	if s, b := e.do("admin", "PATCH", "/api/v1/units/"+storetest.UnitCommunity, map[string]any{"parent_id": storetest.UnitDeptA, "version": 1}); s != 400 || b["field"] != "parent_id" {
		t.Fatalf("community under a department: %d %v", s, b)
	}
	if s, b := e.do("admin", "POST", path+"/disable", map[string]any{"version": 2}); s != 200 || b["disabled_at"] == nil {
		t.Fatalf("disable: %d %v", s, b)
	}
	s, b := e.do("intake", "POST", "/api/v1/appeals", validIntake)
	if s != 201 {
		t.Fatalf("intake: %d %v", s, b)
	}
	code := b["code"].(string)
	if s, b := e.do("dispatcher", "POST", "/api/v1/appeals/"+code+"/dispatch", map[string]any{"lead_unit_id": storetest.UnitDeptB, "version": b["version"]}); s != 400 ||
		b["field"] != "lead_unit_id" || !strings.Contains(b["message"].(string), "已停用") {
		t.Fatalf("dispatch to a disabled unit: %d %v", s, b)
	}
}

// TestSettingsHTTP: SLA versions and the calendar import through the API,
// with the line named in a CSV error and the dry run answering 200.
func TestSettingsHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	if err := e.f.Svc.LoadSettings(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, b := e.do("leader", "GET", "/api/v1/sla/versions", nil)
	items, _ := b["items"].([]any)
	if s != 200 || len(items) != 1 || items[0].(map[string]any)["table"] == nil {
		t.Fatalf("versions: %d %v", s, b)
	}
	table := map[string]any{"jurisdiction": "测试区", "rules": []any{map[string]any{"type": "*", "urgency": "*", "limits": map[string]string{"close": "3wd"}}}}
	if s, b := e.do("admin", "POST", "/api/v1/sla/versions", map[string]any{"table": table, "note": "缩短", "base_version": 0}); s != 409 {
		t.Fatalf("stale base: %d %v", s, b)
	}
	if s, b := e.do("admin", "POST", "/api/v1/sla/versions", map[string]any{"table": map[string]any{"rules": []any{}}, "note": "空", "base_version": 1}); s != 400 || b["field"] != "table" {
		t.Fatalf("bad table: %d %v", s, b)
	}
	if s, b := e.do("admin", "POST", "/api/v1/sla/versions", map[string]any{"table": table, "note": "缩短", "base_version": 1}); s != 201 || b["version"] != float64(2) || b["current"] != true {
		t.Fatalf("version 2: %d %v", s, b)
	}

	csv := "节日,放假开始,放假结束,调休上班\n元旦,2028-01-01,2028-01-03,\n国庆节,2028-10-01,2028-10-07,2028-10-11\n"
	if s, b := e.do("admin", "POST", "/api/v1/calendar/import", map[string]any{"format": "csv", "content": csv, "year": 2028}); s != 400 ||
		b["field"] != "content" || !strings.Contains(b["message"].(string), "第 3 行") {
		t.Fatalf("bad CSV: %d %v", s, b)
	}
	csv = strings.Replace(csv, "2028-10-11", "2028-10-08", 1) // a Sunday
	if s, b := e.do("admin", "POST", "/api/v1/calendar/import", map[string]any{"format": "csv", "content": csv, "year": 2028, "dry_run": true}); s != 200 || b["confirmed"] != false {
		t.Fatalf("dry run: %d %v", s, b)
	}
	if s, b := e.do("admin", "POST", "/api/v1/calendar/import", map[string]any{"format": "csv", "content": csv, "year": 2028}); s != 201 || b["confirmed"] != true {
		t.Fatalf("import: %d %v", s, b)
	}
	s, b = e.do("handler_a", "GET", "/api/v1/calendar/2028", nil)
	days, _ := b["days"].([]any)
	if s != 200 || b["origin"] != "imported" || len(days) != 366 {
		t.Fatalf("2028: %d origin %v, %d days", s, b["origin"], len(days))
	}
	if s, _ := e.do("admin", "GET", "/api/v1/calendar/20x8", nil); s != 400 {
		t.Fatalf("bad year: %d", s)
	}
}
