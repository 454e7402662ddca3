// Package web serves the console, a Vue single-page app whose source is in
// this folder. Built with `make build`, the files of dist/ are embedded
// (build tag webui, see embed.go); a plain `go build` embeds nothing and
// serves a page that says how to build the console.
package web

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// Handler serves the console: files from dist, and index.html for any
// other path so that the app's own routes work on reload.
func Handler() http.Handler {
	if dist == nil {
		return http.HandlerFunc(notBuilt)
	}
	files := http.FileServerFS(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if _, err := fs.Stat(dist, name); err != nil || name == "" {
			r.URL.Path = "/"
		} else if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(w, r)
	})
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
