package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"huying"
	"huying/api"
	"huying/transfer"
)

// TestOpenAPIImportSchemas keeps the import's schemas in step with the
// types the route answers with.
func TestOpenAPIImportSchemas(t *testing.T) {
	t.Parallel()
	doc := string(openapiDoc(t))
	for name, v := range map[string]any{"ImportReport": transfer.ImportReport{}, "RowError": transfer.RowError{}} {
		props := schemaProperties(doc, name)
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			tag, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			if tag != "" && tag != "-" && !props[tag] {
				t.Errorf("schema %s lacks %s", name, tag)
			}
		}
	}
}

// TestExportAndImportHTTP exports the list as CSV with its filters and
// imports a file through the upload, dry and then for real, reading the
// NDJSON progress and report.
func TestExportAndImportHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for range 3 {
		if code, body := e.do("intake", "POST", "/api/v1/appeals", validIntake); code != http.StatusCreated {
			t.Fatalf("intake: %d %v", code, body)
		}
	}
	get := func(path string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: e.login("dispatcher")})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := get("/api/v1/appeals/export?format=csv&status=received&type=" + url.QueryEscape("投诉"))
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''%E8%AF%89%E6%B1%82") {
		t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 4 || rows[1][9] != "139****5678" {
		t.Fatalf("exported CSV %v %v", rows, err)
	}
	// A filter of the list no appeal matches gives only the header.
	resp = get("/api/v1/appeals/export?format=csv&type=" + url.QueryEscape("咨询"))
	raw, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if lines := strings.Count(string(raw), "\n"); lines != 1 {
		t.Fatalf("export of no appeals has %d lines", lines)
	}
	if resp := get("/api/v1/appeals/export?format=pdf"); resp.StatusCode != http.StatusBadRequest ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("export as pdf: %d", resp.StatusCode)
	}

	upload := func(query string, file string) (int, []map[string]any) {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "history.csv")
		_, _ = fw.Write([]byte(file))
		_ = mw.WriteField("mapping", `{"source":"旧平台"}`)
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/imports/appeals"+query, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: e.login("admin")})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var lines []map[string]any
		dec := json.NewDecoder(resp.Body)
		for {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				break
			}
			lines = append(lines, m)
		}
		return resp.StatusCode, lines
	}
	file := "来源编号,受理时间,办结时间,诉求类型,诉求内容,诉求地址,联系人,联系电话,状态\n" +
		"A1,2025-01-02 08:00,2025-01-03 08:00,咨询,公积金提取,坪山区,张三,13800000001,已归档\n" +
		"A2,2025-13-02 08:00,,咨询,公积金提取,坪山区,张三,13800000001,已受理\n"
	code, lines := upload("?dry_run=true", file)
	if code != http.StatusOK || len(lines) < 2 {
		t.Fatalf("dry run: %d %v", code, lines)
	}
	rep, _ := lines[len(lines)-1]["report"].(map[string]any)
	if rep["imported"] != 1.0 || rep["failed"] != 1.0 || rep["dry_run"] != true || lines[0]["total"] != 2.0 {
		t.Fatalf("dry run lines %v", lines)
	}
	if errs, _ := rep["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["column"] != "受理时间" {
		t.Fatalf("dry run errors %v", rep["errors"])
	}
	before := e.appealCount()
	if code, lines = upload("", file); code != http.StatusOK {
		t.Fatalf("import: %d %v", code, lines)
	}
	if rep, _ = lines[len(lines)-1]["report"].(map[string]any); rep["imported"] != 1.0 || e.appealCount() != before+1 {
		t.Fatalf("import report %v", rep)
	}
	if code, lines = upload("", file); code != http.StatusOK {
		t.Fatalf("second import: %d", code)
	}
	if rep, _ = lines[len(lines)-1]["report"].(map[string]any); rep["imported"] != 0.0 || rep["existing"] != 1.0 || e.appealCount() != before+1 {
		t.Fatalf("second import report %v", rep)
	}
	if code, _ := e.do("dispatcher", "POST", "/api/v1/imports/appeals", "{}"); code != http.StatusForbidden {
		t.Fatalf("a dispatcher's import: %d", code)
	}
}

// TestListExportsHTTP exports the smaller lists through the same writer,
// named and audited, with the lists' own role checks.
func TestListExportsHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, c := range []struct{ path, header string }{
		{"/api/v1/channels/stats/export?format=csv", "受理渠道,诉求数,占比,并单数"},
		{"/api/v1/whistles/stats/export?format=csv", "单位,被吹哨次数"},
		{"/api/v1/flags/export?format=csv&open=1", "受理编号,标题,督办理由"},
	} {
		req, _ := http.NewRequest("GET", e.srv.URL+c.path, nil)
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: e.login("supervisor")})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(raw), "\uFEFF"+c.header) {
			t.Fatalf("%s: %d %q", c.path, resp.StatusCode, raw)
		}
	}
	if code, _ := e.do("handler_a", "GET", "/api/v1/channels/stats/export", nil); code != http.StatusForbidden {
		t.Fatalf("a handler exported the channel figures: %d", code)
	}
	var exported int
	if err := e.db.WalkEvents(context.Background(), func(ev *huying.Event) error {
		if ev.Kind == huying.EventExported && ev.Actor == "supervisor" {
			exported++
		}
		return nil
	}); err != nil || exported != 3 {
		t.Fatalf("%d export events, want 3 (%v)", exported, err)
	}
}
