package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"huying"
	"huying/transfer"
)

// maxImportFile bounds an uploaded import file (100,000 rows of CSV are
// about 30 MB).
const maxImportFile = 64 << 20

// transferDeadline is how long an export or import may take to write,
// past the server's usual write timeout.
const transferDeadline = 10 * time.Minute

// exportAppeals streams the appeal list, with the list's filters, as an
// xlsx or CSV file.
func (h *handler) exportAppeals(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := appealFilter(q)
	if err == nil {
		err = assigneeFilter(r, &f)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	format, err := transfer.ParseFormat(q.Get("format"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(transferDeadline))
	name := "诉求列表-" + h.svc.Now().In(h.svc.Zone).Format("20060102-150405") + "." + string(format)
	lw := &lazyFile{w: w, contentType: format.ContentType(), name: name}
	n, err := h.tr.ExportAppeals(r.Context(), actorFrom(r.Context()), f, format, lw)
	if err != nil {
		if !lw.started {
			h.writeError(w, r, err)
			return
		}
		// The file has begun: the status is sent; the log says why it stops short.
		h.logger.Warn("export cut short", slog.Int("rows", n), slog.Any("error", err))
	}
}

// lazyFile sets a download's headers at its first byte, so that an error
// before it still answers in JSON.
type lazyFile struct {
	w                 http.ResponseWriter
	contentType, name string
	started           bool
}

func (l *lazyFile) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		h := l.w.Header()
		h.Set("Content-Type", l.contentType)
		h.Set("Content-Disposition", `attachment; filename="export`+l.name[strings.LastIndex(l.name, "."):]+`"; filename*=UTF-8''`+url.PathEscape(l.name))
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(p)
}

// importAppeals takes an uploaded file of history (multipart: file, and
// optionally mapping as JSON), imports it or, with dry_run, checks it, and
// answers in NDJSON: a {"done","total"} line per batch, then
// {"report": …}; an error before the first line answers in JSON as
// everywhere.
func (h *handler) importAppeals(w http.ResponseWriter, r *http.Request) {
	actor := actorFrom(r.Context())
	// Refuse before reading the upload.
	if err := actor.RequireAdmin("导入历史诉求"); err != nil || !actor.IsStaff() {
		if err == nil {
			err = huying.Errorf(huying.EFORBIDDEN, "只有管理员可以导入历史诉求")
		}
		h.writeError(w, r, err)
		return
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(transferDeadline))
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(transferDeadline))
	r.Body = http.MaxBytesReader(w, r.Body, maxImportFile+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.writeError(w, r, huying.FieldErrorf("file", "导入文件不能超过 %d MB", maxImportFile>>20))
			return
		}
		h.writeError(w, r, huying.FieldErrorf("file", "请以 multipart/form-data 上传导入文件（字段 file）"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		h.writeError(w, r, huying.FieldErrorf("file", "请上传导入文件（字段 file）"))
		return
	}
	defer file.Close()
	format, err := transfer.FormatOf(hdr.Filename)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	data, err := io.ReadAll(io.LimitReader(file, maxImportFile+1))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if len(data) > maxImportFile {
		h.writeError(w, r, huying.FieldErrorf("file", "导入文件不能超过 %d MB", maxImportFile>>20))
		return
	}
	opt := transfer.ImportOptions{Format: format, DryRun: r.URL.Query().Get("dry_run") == "true"}
	if m := r.FormValue("mapping"); strings.TrimSpace(m) != "" {
		if opt.Mapping, err = transfer.ReadMapping(strings.NewReader(m)); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	if err := huying.CheckText("source", opt.Mapping.Source); err != nil {
		h.writeError(w, r, err)
		return
	}
	enc := json.NewEncoder(w)
	started := false
	start := func() {
		if !started {
			started = true
			w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusOK)
		}
	}
	flusher := http.NewResponseController(w)
	opt.Progress = func(done, total int) {
		start()
		_ = enc.Encode(map[string]int{"done": done, "total": total})
		_ = flusher.Flush()
	}
	open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	rep, err := h.tr.ImportAppeals(r.Context(), actor, open, opt)
	if err != nil {
		if !started {
			h.writeError(w, r, err)
			return
		}
		h.logger.Warn("import stopped", slog.Any("error", err))
		_ = enc.Encode(map[string]any{"error": errorBody{Code: huying.ErrorCode(err), Message: huying.ErrorMessage(err)}, "report": rep})
		return
	}
	start()
	_ = enc.Encode(map[string]any{"report": rep})
}

// exportList answers a smaller list as a file: read, the service checks
// the role, then write writes it (and records the export).
func (h *handler) exportList(title string, write func(r *http.Request, format transfer.Format, w io.Writer) (int, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		format, err := transfer.ParseFormat(r.URL.Query().Get("format"))
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		name := title + "-" + h.svc.Now().In(h.svc.Zone).Format("20060102-150405") + "." + string(format)
		lw := &lazyFile{w: w, contentType: format.ContentType(), name: name}
		if n, err := write(r, format, lw); err != nil {
			if !lw.started {
				h.writeError(w, r, err)
				return
			}
			h.logger.Warn("export cut short", slog.String("list", title), slog.Int("rows", n), slog.Any("error", err))
		}
	}
}

func (h *handler) exportFlags(r *http.Request, format transfer.Format, w io.Writer) (int, error) {
	actor := actorFrom(r.Context())
	f := huying.FlagFilter{OpenOnly: r.URL.Query().Get("open") == "1"}
	list, err := h.sup.Flags(r.Context(), actor, f)
	if err != nil {
		return 0, err
	}
	return h.tr.ExportFlags(r.Context(), actor, list, map[string]any{"OpenOnly": f.OpenOnly}, format, w)
}

func (h *handler) exportChannelStats(r *http.Request, format transfer.Format, w io.Writer) (int, error) {
	actor := actorFrom(r.Context())
	list, err := h.svc.ChannelStats(r.Context(), actor)
	if err != nil {
		return 0, err
	}
	return h.tr.ExportChannelStats(r.Context(), actor, list, format, w)
}

func (h *handler) exportWhistleStats(r *http.Request, format transfer.Format, w io.Writer) (int, error) {
	actor := actorFrom(r.Context())
	list, err := h.sup.WhistleStats(r.Context(), actor)
	if err != nil {
		return 0, err
	}
	return h.tr.ExportWhistleStats(r.Context(), actor, list, format, w)
}
