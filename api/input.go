package api

import (
	"bytes"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"huying"
)

// searchParams are the query parameters that are search terms, held to
// huying.MaxSearchRunes.
var searchParams = map[string]bool{"q": true}

// checkURL refuses, before any handler runs, a request whose path or
// query is not text (invalid UTF-8, control characters: %00 reached
// PostgreSQL and failed there with a 500) or whose search term is too
// long. Handlers then read r.URL.Query() and r.PathValue freely.
func (h *handler) checkURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkURL(r.URL); err != nil {
			h.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func checkURL(u *url.URL) error {
	if err := huying.CheckText("path", u.Path); err != nil {
		return huying.FieldErrorf("path", "请求路径含有不允许的字符")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return huying.Errorf(huying.EINVALID, "查询字符串格式不正确")
	}
	for k, vs := range q {
		if err := huying.CheckText(k, k); err != nil {
			return huying.Errorf(huying.EINVALID, "查询参数名含有不允许的字符")
		}
		for _, v := range vs {
			check := huying.CheckText
			if searchParams[k] {
				check = huying.CheckSearch
			} else if huying.IsNameField(k) {
				check = huying.CheckName
			}
			if err := check(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkStrings checks every string of a decoded JSON body (struct fields,
// map keys and values, slice elements, at any depth) with huying.CheckText,
// and names and titles with huying.CheckName, naming the field by its JSON
// path (attachments[0].name). raw is the body: encoding/json turns a lone
// UTF-16 surrogate escape ("\ud800") into U+FFFD without a word, so a
// U+FFFD that the body does not spell out is refused too.
func checkStrings(v any, raw []byte) error {
	c := checker{fffdInBody: bytes.Contains(raw, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`))}
	return c.walk(reflect.ValueOf(v), "", "")
}

type checker struct{ fffdInBody bool }

func (c checker) walk(v reflect.Value, path, key string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return c.walk(v.Elem(), path, key)
	case reflect.String:
		return c.text(path, key, v.String())
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				if f.Anonymous {
					if err := c.walk(v.Field(i), path, key); err != nil { // embedded: its fields are ours
						return err
					}
					continue
				}
				name = f.Name
			}
			if err := c.walk(v.Field(i), join(path, name), name); err != nil {
				return err
			}
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil
		}
		for it := v.MapRange(); it.Next(); {
			k := it.Key().String()
			p := join(path, k)
			if err := c.text(p, "", k); err != nil {
				return err
			}
			if err := c.walk(it.Value(), p, k); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // []byte: base64 or raw JSON, not text
		}
		for i := range v.Len() {
			if err := c.walk(v.Index(i), path+"["+strconv.Itoa(i)+"]", key); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c checker) text(path, key, s string) error {
	check := huying.CheckText
	if huying.IsNameField(key) {
		check = huying.CheckName
	}
	if err := check(path, s); err != nil {
		return err
	}
	if !c.fffdInBody && strings.ContainsRune(s, '\uFFFD') {
		return huying.FieldErrorf(path, "字段 %s 含有无效的 Unicode 转义", path)
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Page sizes: the most items one list request returns.
const (
	maxAppealPage = 500  // GET /appeals
	maxBoardPage  = 1000 // GET /board
	maxPublicPage = 100  // public lists
)

// queryInt reads an optional non-negative integer query parameter of at
// most max (0: no maximum); absent is 0.
func queryInt(q url.Values, name string, max int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil || n < 0:
		return 0, huying.FieldErrorf(name, "%s 须为非负整数", name)
	case max > 0 && n > max:
		return 0, huying.FieldErrorf(name, "%s 不能超过 %d", name, max)
	}
	return n, nil
}

// onlyParams refuses query parameters other than allowed, so that a
// misspelt filter is an error rather than silently ignored.
func onlyParams(q url.Values, allowed ...string) error {
	for k := range q {
		if !slices.Contains(allowed, k) {
			return huying.FieldErrorf(k, "未知的查询参数 %q（可用：%s）", k, strings.Join(allowed, "、"))
		}
	}
	return nil
}
