package open311

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"huying"
)

// Input limits.
const (
	// MaxBody is the largest POST body accepted: a 4,000-character Chinese
	// description percent-encoded is about 36 KB.
	MaxBody = 128 << 10
	// MaxDescription is the spec's limit on description, in characters.
	MaxDescription = 4000
	maxAttributes  = 64 // attribute[…] keys in one request
	maxValues      = 32 // values of one attribute
	maxMedia       = huying.MaxAttachments
	maxURLLen      = 2048
	maxIDs         = 100 // service_request_id values in one GET
)

// form is a POST body merged with the query string. The spec's example puts
// api_key and jurisdiction_id in the body, the node client puts
// jurisdiction_id in the query string, FixMyStreet sends both in the body:
// so every parameter is read from the body first, then the query.
type form struct {
	values url.Values
	// attrs holds attribute[CODE] and attribute[CODE][] alike (PHP bracket
	// syntax, which url.Values does not unfold), in order of arrival.
	attrs map[string][]string
}

// get returns the first non-empty value of key: an optional parameter that
// is present but empty counts as absent.
func (f *form) get(key string) string {
	for _, v := range f.values[key] {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// splitList accepts both "a,b" and repeated parameters, as the spec's
// "may be declared multiple times, comma delimited" allows.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// parseForm parses a urlencoded body and the raw query string. Bad percent
// escapes, invalid UTF-8 or too many attributes are a CodeBadRequest
// failure; nothing else is checked here.
func parseForm(rawQuery string, body []byte) (*form, error) {
	if !utf8.Valid(body) {
		return nil, badRequest(CodeBadRequest, "请求体须为 UTF-8 编码")
	}
	bv, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, badRequest(CodeBadRequest, "请求体不是合法的 application/x-www-form-urlencoded 表单")
	}
	qv, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, badRequest(CodeBadRequest, "查询字符串格式不正确")
	}
	f := &form{values: url.Values{}, attrs: map[string][]string{}}
	for _, src := range []url.Values{bv, qv} {
		// Map order is random; sort keys so that attribute order is stable.
		keys := make([]string, 0, len(src))
		for k := range src {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			vs := src[k]
			if !utf8.ValidString(k) || slices.ContainsFunc(vs, func(v string) bool { return !utf8.ValidString(v) }) {
				return nil, badRequest(CodeBadRequest, "参数须为 UTF-8 编码")
			}
			if err := checkParam(k, vs); err != nil {
				return nil, err
			}
			if code, ok := attributeKey(k); ok {
				if _, seen := f.attrs[code]; !seen && len(f.attrs) >= maxAttributes {
					return nil, badRequest(CodeBadRequest, "attribute 参数不能超过 %d 个", maxAttributes)
				}
				f.attrs[code] = append(f.attrs[code], vs...)
				if len(f.attrs[code]) > maxValues {
					return nil, badRequest(CodeBadRequest, "attribute[%s] 的取值不能超过 %d 个", code, maxValues)
				}
				continue
			}
			f.values[k] = append(f.values[k], vs...)
		}
	}
	return f, nil
}

// checkParam refuses a parameter whose name or values are not text:
// control characters other than tab and line breaks (%00 reached
// PostgreSQL and failed there with a 500), and in first_name and
// last_name the bidirectional controls (huying.CheckName).
func checkParam(k string, vs []string) error {
	if huying.CheckText(k, k) != nil {
		return badRequest(CodeBadRequest, "参数名含有不允许的控制字符")
	}
	check := huying.CheckText
	if huying.IsNameField(k) {
		check = huying.CheckName
	}
	for _, v := range vs {
		if err := check(k, v); err != nil {
			return badRequest(CodeInvalid, "%s", huying.ErrorMessage(err))
		}
	}
	return nil
}

// checkURL is checkParam for a GET: the path (a service_request_id or a
// token in it) and every query parameter.
func checkURL(path, rawQuery string) error {
	if huying.CheckText("path", path) != nil {
		return badRequest(CodeBadRequest, "请求路径含有不允许的字符")
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return badRequest(CodeBadRequest, "查询字符串格式不正确")
	}
	for k, vs := range q {
		if err := checkParam(k, vs); err != nil {
			return err
		}
	}
	return nil
}

// attributeKey recognises attribute[CODE] and attribute[CODE][].
func attributeKey(k string) (string, bool) {
	rest, ok := strings.CutPrefix(k, "attribute[")
	if !ok {
		return "", false
	}
	rest = strings.TrimSuffix(rest, "[]")
	code, ok := strings.CutSuffix(rest, "]")
	if !ok || code == "" || strings.ContainsAny(code, "[]") {
		return "", false
	}
	return code, true
}

// readForm reads a POST body of at most MaxBody bytes and parses it with
// the query string. Only urlencoded bodies are taken: media come as
// media_url links, multipart upload is not offered.
func readForm(w http.ResponseWriter, r *http.Request) (*form, error) {
	ct := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Type")))
	if ct != "" && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return nil, badRequest(CodeBadRequest, "请求体须为 application/x-www-form-urlencoded 表单（图片请以 media_url 链接提交）")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, fail(http.StatusRequestEntityTooLarge, CodeTooLarge, "请求体不能超过 %d KB", MaxBody>>10)
		}
		return nil, badRequest(CodeBadRequest, "请求体读取失败")
	}
	return parseForm(r.URL.RawQuery, body)
}

// buildIntake checks a POST requests form against service s and returns the
// intake to receive. It collects every problem it finds, so that a client
// learns all of them at once; zone dates attribute times written without a
// zone. It does no I/O, so the fuzz test drives it directly.
func buildIntake(s *Service, f *form, zone *time.Location) (huying.Intake, *failure) {
	var errs []apiError
	add := func(code int, format string, args ...any) {
		errs = append(errs, apiError{code, fmt.Sprintf(format, args...)})
	}
	in := huying.Intake{Type: s.AppealType, Urgency: huying.UrgencyNormal, Channel: "Open311"}

	description := clean(strings.TrimSpace(strings.ReplaceAll(f.get("description"), "\r\n", "\n")))
	if n := utf8.RuneCountInString(description); n > MaxDescription {
		add(CodeTooLong, "description 不能超过 %d 个字（当前 %d 个字）", MaxDescription, n)
	}

	// Location: lat+long, address_string or address_id.
	lat, long := f.get("lat"), f.get("long")
	address, addressID := clean(oneLine(f.get("address_string"))), clean(oneLine(f.get("address_id")))
	switch {
	case lat != "" || long != "":
		y, errY := parseCoord(lat, 90)
		x, errX := parseCoord(long, 180)
		if errY != nil || errX != nil {
			add(CodeInvalid, "lat 和 long 须同时提供，且为 WGS84 经纬度数字（如 lat=22.7089&long=114.3467）")
		} else {
			in.Point = &huying.Point{Lng: x, Lat: y}
		}
	case address == "" && addressID == "":
		add(CodeMissing, "请提供位置：lat 和 long，或 address_string，或 address_id")
	}
	in.Address = address
	if in.Address == "" && addressID != "" {
		in.Address = addressIDText + addressID
	}

	// Contact: Huying calls every resident back, so a phone is required.
	phone := normalizePhone(f.get("phone"))
	switch {
	case phone == "":
		add(CodeContact, "phone 必填：呼应需要回访诉求人，请提供 11 位手机号或带区号的固定电话")
	case !huying.ValidPhone(phone):
		add(CodeContact, "phone 格式不正确：请提供 11 位手机号（可带 +86）或带区号的固定电话，如 0755-12345678")
	}
	in.ContactPhone = phone
	in.ContactName = contactName(clean(oneLine(f.get("first_name"))), clean(oneLine(f.get("last_name"))))

	// Attributes, in the definition's order.
	lines := []string{fmt.Sprintf("服务：%s（%s）", s.FullName(), s.Code)}
	attrs := slices.Clone(s.Attributes)
	slices.SortFunc(attrs, func(a, b Attribute) int { return a.Order - b.Order })
	for _, a := range attrs {
		if !a.Variable {
			continue // informational: takes no answer, any sent is ignored
		}
		line, msg, code := answer(a, f.attrs[a.Code], zone)
		if msg != "" {
			add(code, "attribute[%s]（%s）：%s", a.Code, a.Description, msg)
			continue
		}
		if line != "" {
			lines = append(lines, clean(line))
		}
	}

	// Media: links only, http or https; FixMyStreet may repeat media_url.
	var media []string // not comma lists: a URL may hold commas
	for _, m := range f.values["media_url"] {
		if m = strings.TrimSpace(m); m != "" && !slices.Contains(media, m) {
			media = append(media, m)
		}
	}
	if len(media) > maxMedia {
		add(CodeInvalid, "media_url 不能超过 %d 个", maxMedia)
		media = nil
	}
	for _, m := range media {
		u, ok := mediaURL(m)
		if !ok {
			add(CodeInvalid, "media_url 须为 http 或 https 链接（不超过 %d 个字符）", maxURLLen)
			continue
		}
		lines = append(lines, mediaLabel+u)
	}
	if addressID != "" {
		lines = append(lines, addressIDText+addressID)
	}
	if len(errs) > 0 {
		return in, &failure{status: http.StatusBadRequest, errs: errs}
	}

	in.Content = composeContent(description, s.Code, lines)
	if n := utf8.RuneCountInString(in.Content); n > huying.MaxContentRunes {
		return in, badRequest(CodeTooLong, "description 与附加信息合计不能超过 %d 个字（当前 %d 个字）", huying.MaxContentRunes, n)
	}
	in.Title = s.Name
	if description != "" {
		in.Title += "：" + firstRunes(huying.StripBidi(description), 40)
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return in, toFailure(nil, nil, err)
	}
	return in, nil
}

// answer checks one attribute's submitted values and returns the content
// line ("" when unanswered and optional) or a message and code.
func answer(a Attribute, vals []string, zone *time.Location) (line, msg string, code int) {
	var given []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			given = append(given, v)
		}
	}
	if len(given) == 0 {
		if a.Required {
			return "", "必填", CodeAttribute
		}
		return "", "", 0
	}
	label := strings.TrimSuffix(a.Description, "（可多选）")
	if a.Datatype != DatatypeMultiValueList && len(given) > 1 {
		return "", "只能有一个值", CodeAttribute
	}
	v := given[0]
	switch a.Datatype {
	case DatatypeString:
		if strings.ContainsAny(v, "\r\n") {
			return "", "须为单行文字", CodeAttribute
		}
		if utf8.RuneCountInString(v) > maxStringRunes {
			return "", fmt.Sprintf("不能超过 %d 个字", maxStringRunes), CodeAttribute
		}
	case DatatypeText:
		v = strings.ReplaceAll(v, "\r\n", "\n")
		if utf8.RuneCountInString(v) > maxTextRunes {
			return "", fmt.Sprintf("不能超过 %d 个字", maxTextRunes), CodeAttribute
		}
		v = strings.ReplaceAll(v, "\n", "\n　　") // indent continuation lines under the label
	case DatatypeNumber:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return "", "须为数字", CodeAttribute
		}
		v = strconv.FormatFloat(n, 'f', -1, 64)
	case DatatypeDatetime:
		t, ok := parseTime(v, zone)
		if !ok {
			return "", "须为 ISO 8601 时间，如 2026-09-28T21:30:00+08:00", CodeAttribute
		}
		v = t.In(zone).Format(time.RFC3339)
	case DatatypeSingleValueList, DatatypeMultiValueList:
		if a.Datatype == DatatypeMultiValueList {
			if given = expandList(a, given); len(given) == 0 {
				return answer(a, nil, zone)
			}
		}
		var names []string
		for _, g := range given {
			i := slices.IndexFunc(a.Values, func(x Value) bool { return x.Key == g })
			if i < 0 {
				keys := make([]string, len(a.Values))
				for j, x := range a.Values {
					keys[j] = x.Key
				}
				return "", fmt.Sprintf("%q 不是可选值，可选 %s", g, strings.Join(keys, "、")), CodeAttribute
			}
			if !slices.Contains(names, a.Values[i].Name) {
				names = append(names, a.Values[i].Name)
			}
		}
		v = strings.Join(names, "、")
	}
	return label + "：" + v, "", 0
}

// expandList also takes a multivaluelist as one comma list ("dark,flicker"),
// unless the whole value is a key.
func expandList(a Attribute, given []string) []string {
	var out []string
	for _, g := range given {
		if slices.ContainsFunc(a.Values, func(x Value) bool { return x.Key == g }) {
			out = append(out, g)
			continue
		}
		out = append(out, splitList([]string{g})...)
	}
	return out
}

// parseTime reads an ISO 8601 time: RFC 3339 with Z or an offset, or a
// local time or date taken in zone.
func parseTime(s string, zone *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func parseCoord(s string, limit float64) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.Abs(v) > limit {
		return 0, fmt.Errorf("bad coordinate %q", s)
	}
	return v, nil
}

// normalizePhone drops spaces and a +86 / 0086 country code.
func normalizePhone(p string) string {
	p = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, p)
	for _, cc := range []string{"+86-", "+86", "0086"} {
		if rest, ok := strings.CutPrefix(p, cc); ok && len(rest) == 11 {
			return rest
		}
	}
	return p
}

// contactName joins the two name fields: family name first when either is
// Chinese (张 + 三 = 张三), "first last" otherwise. A resident who gives no
// name gets a placeholder, since Huying requires one.
func contactName(first, last string) string {
	switch {
	case first == "" && last == "":
		return "未留姓名"
	case first == "" || last == "":
		return first + last
	case hasHan(first) || hasHan(last):
		return last + first
	}
	return first + " " + last
}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func mediaURL(s string) (string, bool) {
	if len(s) > maxURLLen {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	out := u.String()
	return out, !strings.ContainsAny(out, "〔〕【】\r\n")
}

func firstRunes(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}
