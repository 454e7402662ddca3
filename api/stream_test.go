package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"huying/api"
	"huying/inbox"
	"huying/storetest"
)

// TestStream: a handler's console stream opens with the unread count, then
// carries the notice of an order dispatched to the unit and a "changed" for
// the lists; a dispatcher's stream gets the change but not the handler's notice.
func TestStream(t *testing.T) {
	e := setup(t)
	hub := &inbox.Hub{Store: e.db, Interval: 20 * time.Millisecond}
	e.f.Inbox.Hub = hub
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := hub.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer hub.Stop()

	open := func(user string) (*bufio.Reader, func()) {
		req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/api/v1/stream", nil)
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: e.login(user)})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		return bufio.NewReader(resp.Body), func() { resp.Body.Close() }
	}
	// next returns the next event's name and data, skipping comments and retry.
	next := func(r *bufio.Reader) (string, string) {
		t.Helper()
		var name, data string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("stream ended: %v", err)
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = strings.TrimPrefix(line, "data: ")
			case line == "" && name != "":
				return name, data
			}
		}
	}
	handler, closeH := open("handler_street")
	defer closeH()
	dispatcher, closeD := open("dispatcher")
	defer closeD()
	if name, data := next(handler); name != "hello" || data != `{"unread":0}` {
		t.Fatalf("first event %s %s", name, data)
	}
	next(dispatcher)

	s, a := e.do("intake", "POST", "/api/v1/appeals", map[string]any{"type": "求助", "content": "坪山街道六和社区和平路12号下水道堵塞，污水外溢。",
		"address": "坪山区坪山街道六和社区和平路12号", "contact_phone": "13800138000", "contact_name": "张三", "channel": "12345热线"})
	if s != 201 {
		t.Fatalf("intake %d %v", s, a)
	}
	code := a["code"].(string)
	if s, b := e.do("dispatcher", "POST", "/api/v1/appeals/"+code+"/dispatch", map[string]any{"lead_unit_id": storetest.UnitStreet}); s != 200 {
		t.Fatalf("dispatch %d %v", s, b)
	}
	var notice map[string]any
	for notice == nil {
		switch name, data := next(handler); name {
		case "notice":
			_ = json.Unmarshal([]byte(data), &notice)
		case "changed":
		default:
			t.Fatalf("unexpected event %s %s", name, data)
		}
	}
	if notice["kind"] != "派单通知" || notice["code"] != code {
		t.Fatalf("notice %v", notice)
	}
	for {
		name, data := next(dispatcher)
		if name == "notice" {
			t.Fatalf("the dispatcher got the handler's notice: %s", data)
		}
		if name == "changed" {
			break
		}
	}
	// The inbox lists it as unread until it is read.
	s, b := e.do("handler_street", "GET", "/api/v1/notifications?unread=true", nil)
	if s != 200 || b["unread"].(float64) != 1 {
		t.Fatalf("notifications %d %v", s, b)
	}
	if s, b := e.do("handler_street", "POST", "/api/v1/notifications/read", map[string]any{"all": true}); s != 200 || b["changed"].(float64) != 1 {
		t.Fatalf("read %d %v", s, b)
	}

	// Closing the hub (the server shutting down) ends open streams.
	hub.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			if _, err := handler.ReadString('\n'); err != nil {
				return
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream stayed open after the hub closed")
	}
}

// TestNoticeAndKnowledgeInput: bad query values and bodies of the inbox and
// knowledge routes are refused with the field named, and write nothing.
func TestNoticeAndKnowledgeInput(t *testing.T) {
	e := setup(t)
	for _, c := range []struct {
		method, path string
		body         any
		field        string
	}{
		{"GET", "/api/v1/notifications?unread=1", nil, "unread"},
		{"GET", "/api/v1/notifications?limit=-1", nil, "limit"},
		{"GET", "/api/v1/notifications?x=1", nil, "x"},
		{"POST", "/api/v1/notifications/read", map[string]any{}, "ids"},
		{"GET", "/api/v1/knowledge?valid=yes", nil, "valid"},
		{"GET", "/api/v1/knowledge?limit=1000", nil, "limit"},
		{"POST", "/api/v1/knowledge", map[string]any{"question": "问题", "answer": "答复", "keywords": []string{"一个超过二十个字的关键词一个超过二十个字的关键词"}}, "keywords"},
		{"POST", "/api/v1/knowledge", map[string]any{"question": "问题", "answer": "答复", "valid_from": "2026-10-02T00:00:00Z", "valid_to": "2026-10-01T00:00:00Z"}, "valid_to"},
	} {
		s, b := e.do("admin", c.method, c.path, c.body)
		if s != 400 || b["field"] != c.field {
			t.Errorf("%s %s: %d %v, want 400 on %s", c.method, c.path, s, b, c.field)
		}
	}
	if s, b := e.do("admin", "GET", "/api/v1/knowledge", nil); s != 200 || b["total"] != float64(0) {
		t.Fatalf("refused writes left articles: %d %v", s, b)
	}
}
