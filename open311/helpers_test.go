package open311

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"huying"
	"huying/identity"
	"huying/sqlite"
	"huying/storetest"
)

// env is a Huying on a temporary SQLite store with the storetest fixture
// (units, one user per role, a settable clock) and this package's handler
// mounted at Prefix, as cmd/huying mounts it next to the API.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	f     *storetest.Fixture
	db    huying.Store
	token string // an API token of the Open311 app's service user
}

func setup(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := storetest.MustFixture(t, db)
	ctx := context.Background()
	tok, _, err := f.Ids.CreateToken(ctx, huying.Actor{}, identity.NewToken{Name: "Open311 测试应用", Channel: "Open311",
		Scopes: []huying.Scope{huying.ScopeIntake, huying.ScopeRead, huying.ScopeOpen311}})
	if err != nil {
		t.Fatal(err)
	}
	// The discovery document names the server's public URL, which is known
	// only once the test server listens.
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	mux.Handle(Prefix, New(Config{Service: f.Svc, Auth: f.Ids, BaseURL: srv.URL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, f: f, db: db, token: tok}
}

// response is one HTTP answer.
type response struct {
	status int
	ct     string
	body   []byte
}

// json decodes a JSON body into any.
func (r response) json(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.body)
	}
	return v
}

// items decodes a JSON list body.
func (r response) items(t *testing.T) []map[string]any {
	t.Helper()
	var v []map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not a JSON list of objects: %v\n%s", err, r.body)
	}
	return v
}

// do sends a request under Prefix and checks the answer's contract: the
// content type of its extension, a JSON body valid against its schema, an
// XML body that parses with the spec's declaration.
func (e *env) do(method, path string, form url.Values, header ...string) response {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.srv.URL+Prefix+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) response {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, ct: resp.Header.Get("Content-Type"), body: raw}
	checkContract(e.t, req.Method, strings.TrimPrefix(req.URL.Path, Prefix), r)
	return r
}

func (e *env) get(path string) response { return e.do(http.MethodGet, path, nil) }

// post sends a form; api_key is added unless the form has one (use "-" to send none).
func (e *env) post(path string, form url.Values) response {
	e.t.Helper()
	form = cloneValues(form)
	switch form.Get("api_key") {
	case "":
		form.Set("api_key", e.token)
	case "-":
		form.Del("api_key")
	}
	return e.do(http.MethodPost, path, form)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// appealCount is the number of appeals in the store, to check that bad
// input writes nothing.
func (e *env) appealCount() int {
	e.t.Helper()
	_, n, err := e.db.Appeals(context.Background(), huying.AppealFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// --- contracts ---

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

// communitySchemas finds the community schemas committed under
// testdata/georeport-v2 (see its README), or HUYING_OPEN311_SCHEMAS.
func communitySchemas() (string, error) {
	dir := os.Getenv("HUYING_OPEN311_SCHEMAS")
	if dir == "" {
		dir = filepath.Join("testdata", "georeport-v2")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, "requests.json")); err != nil {
		return "", err
	}
	return dir, nil
}

// loadSchemas compiles the community schemas and ours (testdata/schemas)
// as draft 4 with format assertions (date-time, uri).
func loadSchemas(t testing.TB) map[string]*jsonschema.Schema {
	t.Helper()
	schemasOnce.Do(func() {
		community, err := communitySchemas()
		if err != nil {
			schemasErr = err
			return
		}
		ours, _ := filepath.Abs(filepath.Join("testdata", "schemas"))
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft4)
		c.AssertFormat()
		schemas = map[string]*jsonschema.Schema{}
		for name, path := range map[string]string{
			"services":                   filepath.Join(community, "services.json"),
			"service-definition":         filepath.Join(community, "service-definition.json"),
			"requests":                   filepath.Join(community, "requests.json"),
			"errors":                     filepath.Join(ours, "errors.json"),
			"discovery":                  filepath.Join(ours, "discovery.json"),
			"post-requests":              filepath.Join(ours, "post-requests.json"),
			"tokens":                     filepath.Join(ours, "tokens.json"),
			"servicerequestupdates":      filepath.Join(ours, "servicerequestupdates.json"),
			"post-servicerequestupdates": filepath.Join(ours, "post-servicerequestupdates.json"),
		} {
			s, err := c.Compile(path)
			if err != nil {
				schemasErr = err
				return
			}
			schemas[name] = s
		}
	})
	if schemasErr != nil {
		t.Fatalf("open311 schemas (testdata/georeport-v2, or HUYING_OPEN311_SCHEMAS): %v", schemasErr)
	}
	return schemas
}

// schemaFor names the schema of a JSON answer to method on path.
func schemaFor(method, path string, status int) string {
	if status >= 300 {
		return "errors"
	}
	name, _ := splitExt(path)
	dir, _, nested := strings.Cut(name, "/")
	switch {
	case name == "discovery":
		return "discovery"
	case name == "services":
		return "services"
	case nested && dir == "services":
		return "service-definition"
	case name == "requests" && method == http.MethodPost:
		return "post-requests"
	case name == "requests" || nested && dir == "requests":
		return "requests"
	case nested && dir == "tokens":
		return "tokens"
	case name == "servicerequestupdates" && method == http.MethodPost:
		return "post-servicerequestupdates"
	case name == "servicerequestupdates":
		return "servicerequestupdates"
	}
	return ""
}

// checkContract checks one answer against the interface's contract.
func checkContract(t *testing.T, method, path string, r response) {
	t.Helper()
	_, ext := splitExt(path)
	switch ext {
	case "json":
		if r.ct != "application/json; charset=utf-8" {
			t.Errorf("%s %s: content type %q", method, path, r.ct)
		}
		name := schemaFor(method, path, r.status)
		if name == "" {
			t.Fatalf("%s %s: no schema for this answer", method, path)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.body))
		if err != nil {
			t.Fatalf("%s %s: not JSON: %v\n%s", method, path, err, r.body)
		}
		if err := loadSchemas(t)[name].Validate(inst); err != nil {
			t.Errorf("%s %s (%d) does not match schema %s: %v\n%s", method, path, r.status, name, err, r.body)
		}
	default: // xml, and unknown extensions answer in XML
		if r.ct != "text/xml; charset=utf-8" {
			t.Errorf("%s %s: content type %q", method, path, r.ct)
		}
		if !bytes.HasPrefix(r.body, []byte(`<?xml version="1.0" encoding="utf-8"?>`)) {
			t.Errorf("%s %s: XML without the declaration:\n%s", method, path, r.body)
		}
		root, err := parseXMLTree(r.body)
		if err != nil {
			t.Fatalf("%s %s: XML does not parse: %v\n%s", method, path, err, r.body)
		}
		if r.status >= 300 {
			checkXMLErrors(t, root)
		}
	}
}

func checkXMLErrors(t *testing.T, root *xnode) {
	t.Helper()
	if root.name != "errors" || len(root.children) == 0 {
		t.Fatalf("XML error body is not <errors><error>…: %+v", root)
	}
	for _, e := range root.children {
		if e.name != "error" || e.child("code") == nil || e.child("description") == nil {
			t.Fatalf("XML error item is not <error><code/><description/></error>: %+v", e)
		}
		if _, err := strconv.Atoi(e.child("code").text); err != nil || e.child("description").text == "" {
			t.Errorf("XML error item: code %q, description %q", e.child("code").text, e.child("description").text)
		}
	}
}

// xnode is a parsed XML element.
type xnode struct {
	name     string
	text     string
	children []*xnode
}

func (n *xnode) child(name string) *xnode {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func parseXMLTree(b []byte) (*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []*xnode
	var root *xnode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tk.Name.Local}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	if root == nil {
		return nil, io.ErrUnexpectedEOF
	}
	return root, nil
}

// listItems are the XML wrappers that are JSON arrays, with their items.
var listItems = map[string]string{
	"services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
	"endpoints": "endpoint", "formats": "format", "errors": "error", "service_request_updates": "request_update",
}

// spark converts XML to the JSON the Spark convention gives, with scalars
// as strings and empty elements as nil, checking list items' names.
func spark(t *testing.T, n *xnode) any {
	t.Helper()
	if item, ok := listItems[n.name]; ok {
		out := []any{}
		for _, c := range n.children {
			if c.name != item {
				t.Errorf("<%s> holds <%s>, want only <%s>", n.name, c.name, item)
			}
			out = append(out, spark(t, c))
		}
		return out
	}
	if len(n.children) > 0 {
		m := map[string]any{}
		for _, c := range n.children {
			if _, dup := m[c.name]; dup {
				t.Errorf("<%s> repeats <%s> outside a list", n.name, c.name)
			}
			m[c.name] = spark(t, c)
		}
		return m
	}
	if n.text == "" {
		return nil
	}
	return n.text
}

// scalars turns decoded JSON into the same shape: scalars as strings.
func scalars(v any) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = scalars(x)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			out[k] = scalars(x)
		}
		return out
	case string:
		if v == "" {
			return nil
		}
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return v
}

// sameXMLAndJSON fetches path in both formats and checks that they carry
// the same fields and values, lists being lists.
func (e *env) sameXMLAndJSON(path string) {
	e.t.Helper()
	p, q, _ := strings.Cut(path, "?")
	if q != "" {
		q = "?" + q
	}
	js := e.get(p + ".json" + q)
	xs := e.get(p + ".xml" + q)
	if js.status != xs.status {
		e.t.Fatalf("%s: JSON %d, XML %d", path, js.status, xs.status)
	}
	root, err := parseXMLTree(xs.body)
	if err != nil {
		e.t.Fatal(err)
	}
	got, want := spark(e.t, root), scalars(js.json(e.t))
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if !bytes.Equal(gj, wj) {
		e.t.Errorf("%s: XML and JSON differ\nXML  as JSON: %s\nJSON:         %s", path, gj, wj)
	}
}
