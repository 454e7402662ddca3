package open311

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"huying"
)

// Error body codes. The HTTP status follows the spec (404 not found, 403 bad
// api_key, 400 for anything else the request cannot get, plus 405, 413 and
// 500); the body code is the HTTP status or, for a 400, one of the more
// specific codes below, so that a client can tell what to fix.
const (
	CodeBadRequest  = 400  // malformed request: body not a form, bad encoding
	CodeForbidden   = 403  // api_key missing or invalid, or not allowed to file
	CodeNotFound    = 404  // no such service_code, service_request_id, token, jurisdiction or path
	CodeMethod      = 405  // method not allowed on the resource
	CodeTooLarge    = 413  // body larger than MaxBody
	CodeInternal    = 500  // Huying failed; try again later
	CodeUnavailable = 503  // the database is down or full; try again after Retry-After seconds
	CodeMissing     = 4001 // a required parameter is missing (service_code, location, status…)
	CodeInvalid     = 4002 // a parameter has a bad value (dates, numbers, status, page, lat/long…)
	CodeAttribute   = 4003 // an attribute is missing or its value is not allowed
	CodeContact     = 4004 // phone missing or not a mainland mobile or landline number
	CodeTooLong     = 4005 // description or the whole appeal text too long
	CodeConflict    = 4009 // the service request's state does not allow this update
)

// apiError is one entry of an error response.
type apiError struct {
	Code        int
	Description string
}

// failure is an error response: an HTTP status and one or more errors.
type failure struct {
	status int
	errs   []apiError
}

func (f *failure) Error() string {
	parts := make([]string, len(f.errs))
	for i, e := range f.errs {
		parts[i] = fmt.Sprintf("%d %s", e.Code, e.Description)
	}
	return fmt.Sprintf("open311 %d: %s", f.status, strings.Join(parts, "; "))
}

func fail(status, code int, format string, args ...any) *failure {
	return &failure{status: status, errs: []apiError{{code, fmt.Sprintf(format, args...)}}}
}

func badRequest(code int, format string, args ...any) *failure {
	return fail(http.StatusBadRequest, code, format, args...)
}

func errorList(errs []apiError) list {
	l := list{item: "error"}
	for _, e := range errs {
		l.items = append(l.items, object{{"code", e.Code}, {"description", e.Description}})
	}
	return l
}

// params maps the workflow's intake field names to the Open311 parameters
// they come from, so that an error names what the client sent.
var params = map[string]string{
	"content": "description", "title": "description", "address": "address_string", "point": "lat/long",
	"contact_name": "first_name/last_name", "contact_phone": "phone", "attachments": "media_url",
	"rating": "attribute", "rating.satisfaction": "attribute[satisfaction]", "rating.comment": "description",
}

// toFailure turns any error into an error response. Huying's coded errors
// keep their message (it is written for users); anything else is a 500
// with a generic message and is logged.
func toFailure(logger *slog.Logger, r *http.Request, err error) *failure {
	if f, ok := err.(*failure); ok {
		return f
	}
	msg := huying.ErrorMessage(err)
	if field := huying.ErrorField(err); field != "" {
		if p, ok := params[field]; ok {
			field = p
		}
		msg = field + "：" + msg
	}
	switch huying.ErrorCode(err) {
	case huying.EINVALID:
		code := CodeInvalid
		if huying.ErrorField(err) == "contact_phone" {
			code = CodeContact
		}
		return badRequest(code, "%s", msg)
	case huying.EUNAUTHORIZED, huying.EFORBIDDEN:
		return fail(http.StatusForbidden, CodeForbidden, "%s", msg)
	case huying.ENOTFOUND:
		return fail(http.StatusNotFound, CodeNotFound, "%s", msg)
	case huying.ECONFLICT:
		return badRequest(CodeConflict, "%s", msg)
	case huying.ETOOLARGE:
		return fail(http.StatusRequestEntityTooLarge, CodeTooLarge, "%s", msg)
	case huying.ETOOMANY:
		return fail(http.StatusTooManyRequests, http.StatusTooManyRequests, "%s", msg)
	case huying.EUNAVAILABLE:
		if logger != nil && r != nil {
			logger.Error("open311 database unavailable", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
		}
		return fail(http.StatusServiceUnavailable, CodeUnavailable, "%s", msg)
	}
	if logger != nil && r != nil {
		logger.Error("open311 internal error", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	return fail(http.StatusInternalServerError, CodeInternal, "系统内部错误，请稍后重试")
}
