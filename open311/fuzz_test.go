package open311

import (
	"bytes"
	"encoding/json"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"huying"
)

// FuzzPostForm drives the POST requests input path without a database:
// form parsing (body and query) and the check against a service definition.
// Whatever the input, it must not panic; a failure must be a spec-shaped
// error that encodes in both formats; a success must be an intake the
// workflow accepts, whose content gives back the service and description.
//
//	go test -run '^$' -fuzz '^FuzzPostForm$' -fuzztime 10s ./open311
func FuzzPostForm(f *testing.F) {
	f.Add("", noiseForm().Encode())
	f.Add("jurisdiction_id=szpsq.gov.cn", "service_code=0301&lat=22.70&long=114.35&phone=0755-28888888&attribute%5Bpole_no%5D=PS-HP-0123&attribute%5Bfaults%5D=dark,flicker")
	f.Add("", "service_code=0302&address_string=%E9%BE%99%E7%94%B0%E8%B7%AF&phone=13912345678&attribute[damage_kind]=pothole&attribute[area]=1e3&attribute[detail]=%E7%AC%AC%E4%B8%80%E8%A1%8C%0D%0A%E7%AC%AC%E4%BA%8C%E8%A1%8C")
	f.Add("", "service_code=0401&address_id=440310-001&phone=%2B8613800138000&first_name=Li&last_name=Wei&description=%E3%80%94open311:0101%E3%80%95")
	// FixMyStreet's habits: everything in the body, repeated media_url, attribute[title].
	f.Add("", "api_key=K&jurisdiction_id=szpsq.gov.cn&service_code=0102&lat=22.712345&long=114.338765&first_name=Jo&last_name=Bloggs&phone=13800138000&description=Rubbish+dumped%0A%0Ahttps%3A%2F%2Ffms.example%2Freport%2F1&media_url=https%3A%2F%2Fa.example%2F1.jpg&media_url=https%3A%2F%2Fa.example%2F2.jpg&attribute%5Bwaste_kind%5D%5B%5D=bulky&attribute%5Btitle%5D=Sofa")
	f.Add("", "service_code=0201&lat=NaN&long=Inf&phone=1&attribute[periods][]=&attribute[periods][]=,")
	f.Add("a=%zz", "service_code=0201")
	f.Add("", "service_code=0101&address_string=x&phone=13800138000&attribute[observed_at]=2026-13-40&attribute[occupy_kind]=shopfront&attribute[occupy_kind]=stacking")
	f.Add("", "service_code=0101&address_string=%E3%80%90Open311+%E9%99%84%E5%8A%A0%E4%BF%A1%E6%81%AF%E3%80%91&phone=13800138000&attribute[occupy_kind]=mobile_vendor&attribute[shop_name]=%E3%80%94x%E3%80%95")
	f.Add("", "attribute[]=1&attribute[[x]]=2&attribute[a][b]=3&service_code=0202&address_string=a&phone=13800138000")
	f.Add("", "service_code=0201&address_string=a&phone=13800138000&description=\xff")

	services := DefaultServices()
	zone := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, query, body string) {
		fm, err := parseForm(query, []byte(body))
		if err != nil {
			checkFailure(t, err)
			return
		}
		code := fm.get("service_code")
		i := slices.IndexFunc(services, func(s Service) bool { return s.Code == code })
		if i < 0 {
			i = len(body) % len(services) // still check the form against some service
		}
		s := &services[i]
		in, ferr := buildIntake(s, fm, zone)
		if ferr != nil {
			checkFailure(t, ferr)
			return
		}
		if err := in.Validate(); err != nil {
			t.Fatalf("accepted intake does not validate: %v\n%+v", err, in)
		}
		if n := utf8.RuneCountInString(in.Content); n > huying.MaxContentRunes {
			t.Fatalf("content has %d runes", n)
		}
		got := parseContent(in.Content)
		if got.ServiceCode != s.Code {
			t.Fatalf("content gives service %q, want %q:\n%s", got.ServiceCode, s.Code, in.Content)
		}
		want := clean(strings.TrimSpace(strings.ReplaceAll(fm.get("description"), "\r\n", "\n")))
		if got.Description != strings.TrimRight(want, "\n") {
			t.Fatalf("description %q came back as %q", want, got.Description)
		}
		if c := strings.Count(in.Content, blockHeading); c != 1 {
			t.Fatalf("content has %d block headings:\n%s", c, in.Content)
		}
		if strings.Count(in.Content, tagOpen) != 1 || strings.Count(in.Content, tagClose) != 1 {
			t.Fatalf("content has forged tags:\n%s", in.Content)
		}
		if got.MediaURL != "" {
			if u, err := url.Parse(got.MediaURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				t.Fatalf("media_url %q", got.MediaURL)
			}
		}
	})
}

// checkFailure checks that err is a spec-shaped error response that both
// encoders can write.
func checkFailure(t *testing.T, err error) {
	t.Helper()
	fl, ok := err.(*failure)
	if !ok {
		t.Fatalf("not a spec-shaped failure: %T %v", err, err)
	}
	if !slices.Contains([]int{400, 403, 404, 413}, fl.status) || len(fl.errs) == 0 {
		t.Fatalf("failure %d with %d errors", fl.status, len(fl.errs))
	}
	codes := []int{CodeBadRequest, CodeForbidden, CodeNotFound, CodeTooLarge, CodeMissing, CodeInvalid, CodeAttribute, CodeContact, CodeTooLong, CodeConflict}
	for _, e := range fl.errs {
		if !slices.Contains(codes, e.Code) || e.Description == "" {
			t.Fatalf("error %d %q", e.Code, e.Description)
		}
	}
	js, err := encode(formatJSON, "errors", errorList(fl.errs))
	if err != nil || !json.Valid(js) {
		t.Fatalf("error JSON: %v %s", err, js)
	}
	xs, err := encode(formatXML, "errors", errorList(fl.errs))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseXMLTree(xs); err != nil {
		t.Fatalf("error XML does not parse: %v\n%s", err, xs)
	}
}

// FuzzEncode writes one tree with arbitrary strings and numbers in both
// formats: the JSON must decode to the same values (invalid UTF-8 bytes
// becoming U+FFFD), the XML must parse to the same text (characters XML
// cannot carry becoming U+FFFD), and a one-item list must stay a list.
//
//	go test -run '^$' -fuzz '^FuzzEncode$' -fuzztime 10s ./open311
func FuzzEncode(f *testing.F) {
	f.Add("和平路工地\n噪音", "<&>\"'", 22.708912, 7, true)
	f.Add("", "]]>", -0.0, 0, false)
	f.Add("\x00\x01\x1f\ufffe", "\r\n\t \r", math.MaxFloat64, -1, true)
	f.Add("\xff\xfe", "\U0001F600 emoji", 1e-300, math.MaxInt32, false)
	f.Add("a", "b", math.NaN(), 1, true)
	f.Fuzz(func(t *testing.T, s1, s2 string, num float64, n int, b bool) {
		tree := object{
			{"text", s1},
			{"empty", nil},
			{"list", list{item: "item", items: []any{s2}}},
			{"nested", object{{"n", n}, {"b", b}, {"f", num}}},
		}
		js, jerr := encode(formatJSON, "root", tree)
		xs, xerr := encode(formatXML, "root", tree)
		if math.IsNaN(num) || math.IsInf(num, 0) {
			if jerr == nil || xerr == nil {
				t.Fatalf("encoded %v", num)
			}
			return
		}
		if jerr != nil || xerr != nil {
			t.Fatalf("encode: %v %v", jerr, xerr)
		}
		var back struct {
			Text   string   `json:"text"`
			Empty  *string  `json:"empty"`
			List   []string `json:"list"`
			Nested struct {
				N int     `json:"n"`
				B bool    `json:"b"`
				F float64 `json:"f"`
			} `json:"nested"`
		}
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatalf("JSON does not decode: %v\n%s", err, js)
		}
		if back.Text != string([]rune(s1)) || back.Empty != nil || len(back.List) != 1 || back.List[0] != string([]rune(s2)) ||
			back.Nested.N != n || back.Nested.B != b || back.Nested.F != num {
			t.Fatalf("JSON round trip: %+v\n%s", back, js)
		}
		if !bytes.HasPrefix(xs, []byte(`<?xml version="1.0" encoding="utf-8"?>`)) {
			t.Fatalf("XML declaration: %s", xs)
		}
		root, err := parseXMLTree(xs)
		if err != nil {
			t.Fatalf("XML does not parse: %v\n%q", err, xs)
		}
		if root.name != "root" || len(root.children) != 4 {
			t.Fatalf("XML tree: %+v", root)
		}
		if got := root.child("text").text; got != xmlText(s1) {
			t.Fatalf("XML text %q, want %q", got, xmlText(s1))
		}
		l := root.child("list")
		if len(l.children) != 1 || l.children[0].name != "item" || l.children[0].text != xmlText(s2) {
			t.Fatalf("XML list: %+v", l)
		}
		if e := root.child("empty"); e.text != "" || len(e.children) != 0 {
			t.Fatalf("XML empty: %+v", e)
		}
		nested := root.child("nested")
		if nested.child("n").text != strconv.Itoa(n) || nested.child("b").text != strconv.FormatBool(b) {
			t.Fatalf("XML nested: %+v", nested)
		}
		if v, err := strconv.ParseFloat(nested.child("f").text, 64); err != nil || v != num {
			t.Fatalf("XML float %q, want %v", nested.child("f").text, num)
		}
	})
}

// xmlText is what an XML parser reads back from s as written by appendXML.
func xmlText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if r == utf8.RuneError && w == 1 || !inXMLRange(r) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func inXMLRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// TestFuzzSeedsAreRealistic keeps the first seed a form the handler accepts,
// so the fuzzer starts from the success path.
func TestFuzzSeedsAreRealistic(t *testing.T) {
	t.Parallel()
	fm, err := parseForm("", []byte(noiseForm().Encode()))
	if err != nil {
		t.Fatal(err)
	}
	s := (&ServiceList{Services: DefaultServices()}).Service("0201")
	if _, ferr := buildIntake(s, fm, time.UTC); ferr != nil {
		t.Fatal(ferr)
	}
}
