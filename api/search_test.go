package api_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestAppealSearch: GET /appeals finds by the words of q, the phone (full
// or last four) and the contact name, combined with filters and a column
// sort, and answers masked; each value it does not know is a 400 naming
// the parameter in Chinese.
func TestAppealSearch(t *testing.T) {
	t.Parallel()
	e := setup(t)
	if s, body := e.do("intake", "POST", "/api/v1/appeals", validIntake); s != 201 {
		t.Fatalf("receive: %d %v", s, body)
	}
	other := withField("content", "和平路路灯连续三晚不亮，夜里行人看不清路，请尽快维修。")
	other["contact_phone"] = "0755-28881234"
	if s, body := e.do("intake", "POST", "/api/v1/appeals", other); s != 201 {
		t.Fatalf("receive: %d %v", s, body)
	}
	for _, c := range []struct {
		query string
		want  int
	}{
		{"q=" + url.QueryEscape("油烟 住户"), 1},
		{"q=" + url.QueryEscape("油烟 路灯"), 0},
		{"phone=13912345678", 1},
		{"phone=" + url.QueryEscape("+86 139 1234 5678"), 1},
		{"phone=5678", 1},
		{"phone=1234&q=" + url.QueryEscape("路灯"), 1},
		{"name=" + url.QueryEscape("李四"), 2},
		{"name=" + url.QueryEscape("李"), 0},
		{"type=" + url.QueryEscape("投诉") + "&urgency=" + url.QueryEscape("一般") + "&q=" + url.QueryEscape("路"), 2},
		{"overdue=true", 0},
		{"flagged=1", 0},
		{"redone=false", 2},
		{"sort=received_at&order=desc&q=" + url.QueryEscape("东纵路"), 2},
		{"sort=code", 2},
	} {
		s, body := e.do("dispatcher", "GET", "/api/v1/appeals?"+c.query, nil)
		if s != 200 {
			t.Errorf("GET ?%s: %d %v", c.query, s, body)
			continue
		}
		items, _ := body["items"].([]any)
		if len(items) != c.want || body["total"] != float64(c.want) {
			t.Errorf("GET ?%s: %d items (total %v), want %d", c.query, len(items), body["total"], c.want)
		}
		for _, it := range items {
			a := it.(map[string]any)
			if p := a["contact_phone"].(string); !strings.Contains(p, "****") {
				t.Errorf("GET ?%s: phone %q not masked", c.query, p)
			}
		}
	}
	for _, c := range []struct{ query, field string }{
		{"phone=123", "phone"},
		{"phone=12345", "phone"},
		{"phone=" + url.QueryEscape("138-0013-800a"), "phone"},
		{"type=" + url.QueryEscape("表扬"), "type"},
		{"urgency=" + url.QueryEscape("特急"), "urgency"},
		{"overdue=yes", "overdue"},
		{"flagged=2", "flagged"},
		{"redone=on", "redone"},
		{"sort=contact_phone", "sort"},
		{"order=up&sort=code", "order"},
		{"order=desc", "order"},
		{"sort=waiting&order=asc", "order"},
		{"q=" + url.QueryEscape("一 二 三 四 五 六 七 八 九"), "q"},
		{"q=" + strings.Repeat("长", 51), "q"},
		{"name=" + strings.Repeat("名", 51), "name"},
		{"from=2026-10-02T00:00:00%2B08:00&to=2026-10-01T00:00:00%2B08:00", "to"},
	} {
		s, body := e.do("dispatcher", "GET", "/api/v1/appeals?"+c.query, nil)
		if s != 400 || body["field"] != c.field || !hasChinese(body["message"].(string)) {
			t.Errorf("GET ?%s: %d %v, want 400 on %s", c.query, s, body, c.field)
		}
	}
}
