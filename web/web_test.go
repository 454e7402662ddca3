package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

// TestAssetsGzipped is not parallel: it swaps the package's embedded files.
func TestAssetsGzipped(t *testing.T) {
	old := dist
	dist = fstest.MapFS{
		"index.html":        {Data: []byte("<!doctype html><title>呼应</title>")},
		"assets/app-1.js":   {Data: []byte("console.log('呼应');" + string(make([]byte, 2000)))},
		"assets/logo-1.png": {Data: []byte{0x89, 'P', 'N', 'G'}},
	}
	defer func() { dist = old }()
	h := Handler()
	get := func(path, enc string) *http.Response {
		req := httptest.NewRequest("GET", path, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	resp := get("/assets/app-1.js", "gzip, br")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Cache-Control") == "" {
		t.Fatalf("js asset headers %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if string(body[:len("console.log('呼应');")]) != "console.log('呼应');" {
		t.Fatalf("gunzipped body %q", body[:20])
	}
	if resp := get("/assets/app-1.js", ""); resp.Header.Get("Content-Encoding") != "" {
		t.Fatal("gzip sent to a client that did not ask")
	}
	if resp := get("/assets/logo-1.png", "gzip"); resp.Header.Get("Content-Encoding") != "" {
		t.Fatal("an image was gzipped")
	}
	if resp := get("/dispatch", "gzip"); resp.StatusCode != 200 {
		t.Fatalf("an app route got %d, want index.html", resp.StatusCode)
	}
}
