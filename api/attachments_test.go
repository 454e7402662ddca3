package api_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// get fetches path as user and returns the status and raw body.
func (e *env) get(user, path string) (int, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	if user != "" {
		req.AddCookie(&http.Cookie{Name: "huying_session", Value: e.login(user)})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestAttachmentPathTraversal asks for files outside the attachments
// directory with 64-character "hashes" that climb out of it, percent-encoded
// so that they stay one path segment: each must be a plain 404.
func TestAttachmentPathTraversal(t *testing.T) {
	t.Parallel()
	e := setup(t)
	climb := func(target string) string {
		// "./" segments pad the value to the 64 characters a hash has.
		up := strings.Repeat("../", 12) + target
		v := strings.Repeat("./", (64-len(up))/2) + up
		if len(v) == 63 {
			v = "/" + v
		}
		if len(v) != 64 {
			t.Fatalf("padding %q: %d characters", v, len(v))
		}
		return strings.ReplaceAll(v, "/", "%2F")
	}
	for _, target := range []string{"etc/passwd", "proc/self/environ"} {
		s, body := e.get("intake", "/api/v1/attachments/"+climb(target))
		if s != 404 || bytes.Contains(body, []byte("root:")) {
			t.Errorf("%s: got %d %.80q, want 404", target, s, body)
		}
	}
}

// TestAttachmentDownloadAccess lets the uploader and the appeal's readers
// download a file, and answers everybody else exactly as for a file that
// does not exist.
func TestAttachmentDownloadAccess(t *testing.T) {
	t.Parallel()
	e := setup(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100)...)
	s, up := e.upload("handler_a", "photo.png", png)
	if s != 201 {
		t.Fatalf("upload: %d %v", s, up)
	}
	hash := up["hash"].(string)
	path := "/api/v1/attachments/" + hash
	_, missing := e.get("handler_a", "/api/v1/attachments/"+strings.Repeat("0", 64))
	for _, c := range []struct {
		user   string
		status int
	}{{"handler_a", 200}, {"handler_b", 404}, {"intake", 404}, {"dispatcher", 404}, {"reporter", 404}} {
		s, body := e.get(c.user, path)
		if s != c.status {
			t.Errorf("%s downloads an unattached upload: %d %s, want %d", c.user, s, body, c.status)
		}
		if s == 404 && !bytes.Equal(body, missing) {
			t.Errorf("%s: 404 body %s differs from a missing file's %s", c.user, body, missing)
		}
		if s == 200 && !bytes.Equal(body, png) {
			t.Errorf("%s: got other bytes", c.user)
		}
	}
	if s, _ := e.get("handler_a", "/api/v1/attachments/"+strings.ToUpper(hash)); s != 404 {
		t.Errorf("upper-case hash: %d, want 404", s)
	}

	// Nobody may attach a file they may not read (to read it through
	// their own appeal). Who uploads the same bytes has the same hash and
	// may: the dispatcher files an appeal with it for dept-b.
	in := withField("attachments", []map[string]any{{"hash": hash, "name": "photo.png"}})
	if s, body := e.do("intake", "POST", "/api/v1/appeals", in); s != 400 || body["field"] != "attachments" {
		t.Errorf("intake attaches a file it may not read: %d %v, want 400 on attachments", s, body)
	}
	if s, _ := e.upload("dispatcher", "photo.png", png); s != 201 {
		t.Fatalf("second upload: %d", s)
	}
	s, a := e.do("dispatcher", "POST", "/api/v1/appeals", in)
	if s != 201 {
		t.Fatalf("intake with attachment: %d %v", s, a)
	}
	if s, body := e.do("dispatcher", "POST", "/api/v1/appeals/"+a["code"].(string)+"/dispatch", map[string]any{"lead_unit_id": "dept-b"}); s != 200 {
		t.Fatalf("dispatch: %d %v", s, body)
	}
	for _, c := range []struct {
		user   string
		status int
	}{{"handler_b", 200}, {"supervisor", 200}, {"handler_street", 404}, {"reporter", 404}} {
		if s, body := e.get(c.user, path); s != c.status {
			t.Errorf("%s downloads the appeal's file: %d %s, want %d", c.user, s, body, c.status)
		}
	}
}
