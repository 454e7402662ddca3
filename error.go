package huying

import (
	"errors"
	"fmt"
)

// Error codes. Every transport maps each code to one status in one table.
const (
	EINVALID      = "EINVALID"      // bad input: 400
	EUNAUTHORIZED = "EUNAUTHORIZED" // not logged in: 401
	EFORBIDDEN    = "EFORBIDDEN"    // logged in but not allowed: 403
	ENOTFOUND     = "ENOTFOUND"     // missing or not visible to the caller: 404
	ECONFLICT     = "ECONFLICT"     // stale or illegal state change: 409
	ETOOLARGE     = "ETOOLARGE"     // body or attachment too large: 413
	ETOOMANY      = "ETOOMANY"      // rate limited: 429
	EUNAVAILABLE  = "EUNAVAILABLE"  // the database cannot be reached or written: 503
	EINTERNAL     = "EINTERNAL"     // anything else: 500
)

// ErrUnavailable is the error of a database that cannot be reached or
// written (connection refused, pool closed, disk full, I/O error). Stores
// wrap it together with the driver's error, so that the cause is logged
// and the user is told to retry instead of being told they are logged out
// or that their appeal does not exist.
var ErrUnavailable error = &Error{Code: EUNAVAILABLE, Message: "系统暂时不可用，请稍后再试"}

// Error is Huying's application error. Message is shown to users and is in
// Simplified Chinese; Field names the input field it concerns, if any.
type Error struct {
	Code    string
	Message string
	Field   string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("huying error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("huying error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID *Error about one input field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message so that no detail of the system leaks to users.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return "系统内部错误，请稍后重试"
}

// ErrorField returns the input field err concerns, if any.
func ErrorField(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Field
	}
	return ""
}

// OrIfNotFound returns instead when err is ENOTFOUND, and err itself
// otherwise (nil included), so that a store outage is never answered as a
// bad credential or a missing record.
func OrIfNotFound(err, instead error) error {
	if ErrorCode(err) == ENOTFOUND {
		return instead
	}
	return err
}
