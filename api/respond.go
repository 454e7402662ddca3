package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"huying"
)

// MaxBody is the largest JSON body accepted.
const MaxBody = 1 << 20

// codes maps error codes to HTTP statuses; writeError is the only user.
var codes = map[string]int{
	huying.EINVALID:      http.StatusBadRequest,
	huying.EUNAUTHORIZED: http.StatusUnauthorized,
	huying.EFORBIDDEN:    http.StatusForbidden,
	huying.ENOTFOUND:     http.StatusNotFound,
	huying.ECONFLICT:     http.StatusConflict,
	huying.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	huying.ETOOMANY:      http.StatusTooManyRequests,
	huying.EUNAVAILABLE:  http.StatusServiceUnavailable,
	huying.EINTERNAL:     http.StatusInternalServerError,
}

// RetryAfter is the Retry-After, in seconds, of a 503: the database is
// down or full, which takes a while to mend.
const RetryAfter = "30"

// errorBody is the JSON shape of every error.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
		// The client went away (a reload, a closed tab): nobody reads the
		// answer and nothing failed.
		h.logger.Debug("request cancelled", slog.String("method", r.Method), slog.String("path", r.URL.Path))
		w.WriteHeader(499) // nginx's "client closed request", for the access log
		return
	}
	code := huying.ErrorCode(err)
	switch code {
	case huying.EINTERNAL:
		h.logger.Error("internal error", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
	case huying.EUNAVAILABLE:
		h.logger.Error("database unavailable", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
		w.Header().Set("Retry-After", RetryAfter)
	}
	status, ok := codes[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "60")
	}
	writeJSON(w, status, errorBody{Code: code, Message: huying.ErrorMessage(err), Field: huying.ErrorField(err)})
}

// decode reads a JSON body into v strictly: one object, no unknown fields,
// at most MaxBody bytes, UTF-8, and every string in it text (checkStrings),
// with Chinese messages for every failure.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return huying.Errorf(huying.EINVALID, "请求体须为 JSON（Content-Type: application/json）")
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if maxErr, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return &huying.Error{Code: huying.ETOOLARGE, Message: fmt.Sprintf("请求体不能超过 %d KB", maxErr.Limit>>10)}
	} else if err != nil {
		return huying.Errorf(huying.EINVALID, "请求体读取失败")
	}
	return decodeBytes(raw, v)
}

// decodeBytes is decode of a body already read: the part that fuzzing drives.
func decodeBytes(raw []byte, v any) error {
	if !utf8.Valid(raw) {
		// encoding/json would replace the bad bytes with U+FFFD and store them.
		return huying.Errorf(huying.EINVALID, "请求体须为 UTF-8 编码")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var (
		syntax    *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		unmarshal *json.InvalidUnmarshalError
		timeErr   *time.ParseError
	)
	switch {
	case err == nil:
		if dec.More() {
			return huying.Errorf(huying.EINVALID, "请求体只能包含一个 JSON 对象")
		}
		return checkStrings(v, raw)
	case errors.Is(err, io.EOF):
		return huying.Errorf(huying.EINVALID, "请求体为空")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return huying.Errorf(huying.EINVALID, "请求体不是合法的 JSON")
	case errors.As(err, &typeErr):
		return huying.FieldErrorf(typeErr.Field, "字段 %s 的类型不正确", typeErr.Field)
	case errors.As(err, &timeErr):
		return huying.Errorf(huying.EINVALID, "时间格式须为 RFC 3339，例如 2026-10-01T18:00:00+08:00")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return huying.FieldErrorf(f, "未知字段 %s", f)
	case errors.As(err, &unmarshal):
		return err
	}
	return huying.Errorf(huying.EINVALID, "请求体无法解析：%s", err.Error())
}
