package open311

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBadPost sends bad POST requests: each gets its spec-shaped error
// (checked against errors.json or as XML by env.do) with the documented
// status and body code, and writes nothing.
func TestBadPost(t *testing.T) {
	t.Parallel()
	e := setup(t)
	base := noiseForm()
	long := strings.Repeat("噪", MaxDescription+1)
	cases := []struct {
		name   string
		form   url.Values
		status int
		code   int
	}{
		{"no api_key", with(base, "api_key", "-"), 403, CodeForbidden},
		{"wrong api_key", with(base, "api_key", "hyt_wrong"), 403, CodeForbidden},
		{"other jurisdiction", with(base, "jurisdiction_id", "sfgov.org"), 404, CodeNotFound},
		{"no service_code", with(base, "service_code", ""), 400, CodeMissing},
		{"unknown service_code", with(base, "service_code", "9999"), 404, CodeNotFound},
		{"no location", with(base, "lat", "", "long", "", "address_string", ""), 400, CodeMissing},
		{"lat without long", with(base, "long", ""), 400, CodeInvalid},
		{"lat not a number", with(base, "lat", "北纬22度"), 400, CodeInvalid},
		{"lat NaN", with(base, "lat", "NaN"), 400, CodeInvalid},
		{"outside China", with(base, "lat", "51.5", "long", "-0.12"), 400, CodeInvalid},
		{"no phone", with(base, "phone", ""), 400, CodeContact},
		{"bad phone", with(base, "phone", "12345"), 400, CodeContact},
		{"foreign phone", with(base, "phone", "+44 20 7946 0000"), 400, CodeContact},
		{"missing required attribute", with(base, "attribute[noise_source]", ""), 400, CodeAttribute},
		{"value not in list", with(base, "attribute[noise_source]", "aliens"), 400, CodeAttribute},
		{"two values for a single list", func() url.Values {
			f := with(base)
			f["attribute[noise_source]"] = []string{"construction", "traffic"}
			return f
		}(), 400, CodeAttribute},
		{"number not a number", with(base, "attribute[decibel]", "很吵"), 400, CodeAttribute},
		{"number infinite", with(base, "attribute[decibel]", "Inf"), 400, CodeAttribute},
		{"bad datetime", with(base, "attribute[observed_at]", "昨晚"), 400, CodeAttribute},
		{"multi-line string", with(base, "service_code", "0301", "attribute[pole_no]", "A\nB", "attribute[faults]", "dark"), 400, CodeAttribute},
		{"description too long", with(base, "description", long), 400, CodeTooLong},
		{"media_url not http", with(base, "media_url", "javascript:alert(1)"), 400, CodeInvalid},
		{"media_url data URI", with(base, "media_url", "data:image/png;base64,AAAA"), 400, CodeInvalid},
		{"name too long", with(base, "first_name", strings.Repeat("名", 60)), 400, CodeInvalid},
		{"address too long", with(base, "address_string", strings.Repeat("路", 201)), 400, CodeInvalid},
	}
	before := e.appealCount()
	for _, c := range cases {
		r := e.post("requests.json", c.form)
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.body)
			continue
		}
		errs := r.items(t)
		if errs[0]["code"] != float64(c.code) {
			t.Errorf("%s: body code %v, want %d: %s", c.name, errs[0]["code"], c.code, r.body)
		}
		if x := e.post("requests.xml", c.form); x.status != c.status {
			t.Errorf("%s (xml): status %d", c.name, x.status)
		}
	}
	if n := e.appealCount(); n != before {
		t.Errorf("bad requests wrote %d appeals", n-before)
	}

	// Several problems are reported together.
	r := e.post("requests.json", with(base, "phone", "", "attribute[noise_source]", "", "lat", "x"))
	if errs := r.items(t); len(errs) != 3 {
		t.Errorf("want three errors, got %s", r.body)
	}
}

// TestMalformedBodies sends bodies that are not well-formed forms.
func TestMalformedBodies(t *testing.T) {
	t.Parallel()
	e := setup(t)
	good := noiseForm()
	good.Set("api_key", e.token)
	raw := func(ct, body string) response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+Prefix+"requests.json", strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		return e.send(req)
	}
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		name, ct, body string
		status, code   int
	}{
		{"oversized", form, good.Encode() + "&pad=" + strings.Repeat("x", MaxBody), 413, CodeTooLarge},
		{"bad percent escape", form, "service_code=0201&description=%zz", 400, CodeBadRequest},
		{"semicolon separator", form, "service_code=0201;phone=13800138000", 400, CodeBadRequest},
		{"invalid UTF-8", form, "service_code=0201&description=\xff\xfe", 400, CodeBadRequest},
		{"invalid UTF-8 escaped", form, good.Encode() + "&description=%ff%fe", 400, CodeBadRequest},
		{"JSON body", "application/json", `{"service_code":"0201"}`, 400, CodeBadRequest},
		{"multipart", "multipart/form-data; boundary=x", "--x--", 400, CodeBadRequest},
		{"too many attributes", form, good.Encode() + func() string {
			var b strings.Builder
			for i := range maxAttributes + 1 {
				b.WriteString("&attribute[x" + strings.Repeat("y", i) + "]=1")
			}
			return b.String()
		}(), 400, CodeBadRequest},
		{"too many values", form, good.Encode() + strings.Repeat("&attribute[periods][]=night", maxValues+1), 400, CodeBadRequest},
	}
	before := e.appealCount()
	for _, c := range cases {
		r := raw(c.ct, c.body)
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.body)
			continue
		}
		if code := r.items(t)[0]["code"]; code != float64(c.code) {
			t.Errorf("%s: body code %v, want %d", c.name, code, c.code)
		}
	}
	if n := e.appealCount(); n != before {
		t.Errorf("malformed bodies wrote %d appeals", n-before)
	}
	// No Content-Type is taken as a form.
	if r := raw("", good.Encode()); r.status != http.StatusOK {
		t.Errorf("form without a content type: %d %s", r.status, r.body)
	}
}

// TestBadGet checks GET parameters and unknown resources.
func TestBadGet(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cases := []struct {
		path         string
		status, code int
	}{
		{"requests.json?status=pending", 400, CodeInvalid},
		{"requests.json?start_date=yesterday", 400, CodeInvalid},
		{"requests.json?start_date=2026-09-28&end_date=2026-09-01", 400, CodeInvalid},
		{"requests.json?page=0", 400, CodeInvalid},
		{"requests.json?page=x", 400, CodeInvalid},
		{"requests.json?page_size=501", 400, CodeInvalid},
		{"requests.json?service_code=9999", 404, CodeNotFound},
		{"requests.json?service_code=0101,0201&page=11&page_size=500", 400, CodeInvalid},
		{"requests.json?service_request_id=" + func() string {
			ids := make([]string, maxIDs+1)
			for i := range ids {
				ids[i] = fmt.Sprintf("PS%d", i)
			}
			return strings.Join(ids, ",")
		}(), 400, CodeInvalid},
		{"requests.json?jurisdiction_id=sfgov.org", 404, CodeNotFound},
		{"requests.xml?status=pending", 400, CodeInvalid},
		{"requests/PS1.json", 404, CodeNotFound},
		{"requests/PS1.csv", 404, CodeNotFound},
		{"requests/PS1", 404, CodeNotFound},
		{"nothing.json", 404, CodeNotFound},
		{"services/0201/extra.json", 404, CodeNotFound},
		{"servicerequestupdates.json?start_date=bad", 400, CodeInvalid},
		{"servicerequestupdates.json?start_date=2026-09-28&end_date=2026-09-27", 400, CodeInvalid},
	}
	for _, c := range cases {
		r := e.get(c.path)
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.path, r.status, c.status, r.body)
			continue
		}
		if strings.HasSuffix(strings.Split(c.path, "?")[0], ".json") {
			if code := r.items(t)[0]["code"]; code != float64(c.code) {
				t.Errorf("%s: body code %v, want %d", c.path, code, c.code)
			}
		}
	}
	// Wrong methods get a spec-shaped 405 with Allow.
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodDelete, "requests.json", "GET, POST"},
		{http.MethodPost, "services.json", "GET"},
		{http.MethodPut, "requests/PS1.json", "GET"},
	} {
		req, _ := http.NewRequest(c.method, e.srv.URL+Prefix+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
}
