package huying_test

import (
	"encoding/hex"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"huying"
)

var hashRe = regexp.MustCompile(`^[0-9a-f]{64}$`)

// FuzzValidHash checks the hash validator against its definition (64
// lowercase hex characters) and that whatever it accepts stays inside
// the attachments directory when made a path as blob.Store makes it.
//
//	go test -run '^$' -fuzz '^FuzzValidHash$' -fuzztime 10s .
func FuzzValidHash(f *testing.F) {
	f.Add(strings.Repeat("0123456789abcdef", 4))
	f.Add(strings.Repeat("0123456789ABCDEF", 4))
	f.Add("./././././././././././././../../../../../../../../../../etc/passwd")
	f.Add(strings.Repeat("a", 63) + "\x00")
	f.Add(strings.Repeat("é", 32))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		ok := huying.ValidHash(s)
		if ok != hashRe.MatchString(s) {
			t.Fatalf("ValidHash(%q) = %v, the definition says %v", s, ok, !ok)
		}
		if !ok {
			return
		}
		if b, err := hex.DecodeString(s); err != nil || len(b) != 32 || hex.EncodeToString(b) != s {
			t.Fatalf("%q is not the hex of a sha256", s)
		}
		dir := filepath.FromSlash("/data/attachments")
		p := filepath.Join(dir, s[:2], s)
		if rel, err := filepath.Rel(dir, p); err != nil || strings.HasPrefix(rel, "..") || filepath.Dir(filepath.Dir(p)) != dir {
			t.Fatalf("%q makes the path %s, outside %s", s, p, dir)
		}
	})
}
