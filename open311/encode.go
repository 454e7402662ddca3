package open311

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"strconv"
)

// The two encoders write one ordered tree, so that the JSON and XML of a
// response always carry the same fields in the same order. The tree follows
// the spec's "Spark convention": in XML a list is a wrapper element holding
// repeated item elements, in JSON the same list is an array, also when it
// has one item; a missing optional value is JSON null and an empty XML
// element.

// object is a JSON object or an XML element with children in a fixed order.
type object []field

type field struct {
	name  string
	value any // nil, string, bool, int, float64, object or list
}

// list is a JSON array or an XML wrapper whose children are all named item.
type list struct {
	item  string
	items []any
}

// format is the response format chosen by the file extension.
type format int

const (
	formatXML format = iota
	formatJSON
)

func (f format) contentType() string {
	if f == formatJSON {
		return "application/json; charset=utf-8"
	}
	return "text/xml; charset=utf-8"
}

// parseFormat maps an extension to a format.
func parseFormat(ext string) (format, bool) {
	switch ext {
	case "json":
		return formatJSON, true
	case "xml":
		return formatXML, true
	}
	return formatXML, false
}

// encode returns the body of v in format f; root names the XML document
// element, which JSON drops.
func encode(f format, root string, v any) ([]byte, error) {
	if f == formatJSON {
		b, err := appendJSON(nil, v)
		if err != nil {
			return nil, err
		}
		return append(b, '\n'), nil
	}
	var buf bytes.Buffer
	// The spec's declaration, lower-case utf-8 (xml.Header says UTF-8).
	buf.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	if err := appendXML(&buf, root, v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func appendJSON(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		s, err := json.Marshal(v) // replaces invalid UTF-8 with U+FFFD
		return append(b, s...), err
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("open311: cannot encode %v", v)
		}
		return strconv.AppendFloat(b, v, 'f', -1, 64), nil
	case object:
		b = append(b, '{')
		for i, f := range v {
			if i > 0 {
				b = append(b, ',')
			}
			k, _ := json.Marshal(f.name)
			b = append(append(b, k...), ':')
			var err error
			if b, err = appendJSON(b, f.value); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case list:
		b = append(b, '[')
		for i, it := range v.items {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSON(b, it); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	return nil, fmt.Errorf("open311: cannot encode %T", v)
}

func appendXML(buf *bytes.Buffer, name string, v any) error {
	buf.WriteString("<" + name + ">")
	switch v := v.(type) {
	case nil:
	case string:
		// EscapeText also replaces characters XML 1.0 cannot carry with U+FFFD.
		if err := xml.EscapeText(buf, []byte(v)); err != nil {
			return err
		}
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	case int:
		buf.WriteString(strconv.Itoa(v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("open311: cannot encode %v", v)
		}
		buf.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	case object:
		for _, f := range v {
			if err := appendXML(buf, f.name, f.value); err != nil {
				return err
			}
		}
	case list:
		for _, it := range v.items {
			if err := appendXML(buf, v.item, it); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("open311: cannot encode %T", v)
	}
	buf.WriteString("</" + name + ">")
	return nil
}

// optional returns nil for "" so that an absent value is null / empty.
func optional(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// write sends v with status in format f.
func write(w http.ResponseWriter, f format, status int, root string, v any) {
	body, err := encode(f, root, v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = encode(f, "errors", errorList([]apiError{{CodeInternal, "系统内部错误，请稍后重试"}}))
	}
	w.Header().Set("Content-Type", f.contentType())
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
