// Package web serves the console, a Vue single-page app whose source is in
// this folder. Built with `make build`, the files of dist/ are embedded
// (build tag webui, see embed.go); a plain `go build` embeds nothing and
// serves a page that says how to build the console.
package web

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// Handler serves the console: files from dist, and index.html for any
// other path so that the app's own routes work on reload.
func Handler() http.Handler {
	if dist == nil {
		return http.HandlerFunc(notBuilt)
	}
	files := http.FileServerFS(dist)
	var zipped sync.Map // asset name → gzipped bytes, made on first request
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if _, err := fs.Stat(dist, name); err != nil || name == "" {
			r.URL.Path = "/"
			files.ServeHTTP(w, r)
			return
		}
		if !strings.HasPrefix(name, "assets/") {
			files.ServeHTTP(w, r)
			return
		}
		// Hashed assets never change: cache them for a year, and send them
		// gzipped to browsers that accept it (a quarter of the bytes).
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Add("Vary", "Accept-Encoding")
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") || !compressible(name) {
			files.ServeHTTP(w, r)
			return
		}
		body, ok := zipped.Load(name)
		if !ok {
			raw, err := fs.ReadFile(dist, name)
			if err != nil {
				files.ServeHTTP(w, r)
				return
			}
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(raw)
			_ = zw.Close()
			body, _ = zipped.LoadOrStore(name, buf.Bytes())
		}
		if ctype := mime.TypeByExtension(path.Ext(name)); ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(body.([]byte))))
		if r.Method != http.MethodHead {
			_, _ = w.Write(body.([]byte))
		}
	})
}

// compressible reports whether an asset is text worth gzipping.
func compressible(name string) bool {
	switch path.Ext(name) {
	case ".js", ".css", ".svg", ".json", ".html", ".map":
		return true
	}
	return false
}

func notBuilt(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(`<!doctype html><meta charset="utf-8"><title>呼应 Huying</title>
<h1>呼应 · 民生诉求分拨系统</h1>
<p>此二进制未包含控制台页面。请在仓库根目录运行 <code>make build</code>（或 <code>make run</code>）构建带控制台的版本。</p>
<p>This binary was built without the console. Run <code>make build</code> (or <code>make run</code>) to embed it.
The JSON API is at <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p>`))
}
