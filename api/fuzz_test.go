package api

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"huying"
)

// FuzzDecodeIntake drives the input path of POST /appeals without a
// database: decode (UTF-8, strict JSON, every string checked), then the
// intake's Normalize and Validate, as the workflow runs them. Whatever the
// body, it must not panic; a failure must be EINVALID or ETOOLARGE with a
// Chinese message; an accepted intake must hold only text (no control
// characters but tab and line breaks, valid UTF-8, no bidi controls in
// names and the title) and survive a JSON round trip unchanged.
//
//	go test -run '^$' -fuzz '^FuzzDecodeIntake$' -fuzztime 10s ./api
func FuzzDecodeIntake(f *testing.F) {
	valid := `{"type":"投诉","content":"坪山街道和平社区东纵路88号餐馆油烟直排。","address":"坪山区东纵路88号","contact_name":"李四","contact_phone":"13912345678","channel":"12345热线"}`
	f.Add(valid)
	f.Add(strings.Replace(valid, `"李四"`, `"李\u0000四"`, 1))
	f.Add(strings.Replace(valid, `"李四"`, `"李\u202e四"`, 1))
	f.Add(strings.Replace(valid, `"李四"`, "\"李\xff四\"", 1))
	f.Add(strings.Replace(valid, `"李四"`, `"李\ud800四"`, 1))
	f.Add(strings.Replace(valid, `餐馆`, `\r\n\t餐馆`, 1))
	f.Add(strings.Replace(valid, `}`, `,"attachments":[{"hash":"`+strings.Repeat("ab", 32)+`","name":"照片.jpg"}],"point":{"lng":114.35,"lat":22.7}}`, 1))
	f.Add(strings.Replace(valid, `}`, `,"attachments":[{"hash":"../../etc/passwd","name":"x"}]}`, 1))
	f.Add(strings.Replace(valid, `}`, `,"unknown":1}`, 1))
	f.Add(valid + valid)
	f.Add(`{"type":1}`)
	f.Add(`[]`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, body string) {
		var in huying.Intake
		err := decodeBytes([]byte(body), &in)
		if err == nil {
			in.Normalize()
			err = in.Validate()
		}
		if err != nil {
			if c := huying.ErrorCode(err); c != huying.EINVALID && c != huying.ETOOLARGE {
				t.Fatalf("code %s (%v), want EINVALID or ETOOLARGE", c, err)
			}
			if !strings.ContainsFunc(huying.ErrorMessage(err), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Fatalf("message %q is not Chinese", huying.ErrorMessage(err))
			}
			return
		}
		if !utf8.ValidString(body) {
			t.Fatal("accepted a body that is not UTF-8")
		}
		texts := map[string]string{"content": in.Content, "address": in.Address, "channel": in.Channel, "contact_phone": in.ContactPhone}
		names := map[string]string{"title": in.Title, "contact_name": in.ContactName}
		for _, at := range in.Attachments {
			names["attachments.name"] = at.Name
			if !huying.ValidHash(at.Hash) {
				t.Fatalf("accepted hash %q", at.Hash)
			}
		}
		for k, v := range texts {
			if err := huying.CheckText(k, v); err != nil {
				t.Fatalf("accepted %s %q: %v", k, v, err)
			}
		}
		for k, v := range names {
			if err := huying.CheckName(k, v); err != nil {
				t.Fatalf("accepted %s %q: %v", k, v, err)
			}
		}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var again huying.Intake
		if err := decodeBytes(b, &again); err != nil {
			t.Fatalf("an accepted intake does not decode again: %v\n%s", err, b)
		}
		again.Normalize()
		if b2, _ := json.Marshal(again); string(b2) != string(b) {
			t.Fatalf("round trip changed the intake:\n%s\n%s", b, b2)
		}
	})
}
