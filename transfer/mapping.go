package transfer

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"huying"
)

// Fields an import reads, in the order a report names them.
const (
	FieldSourceID     = "source_id"
	FieldReceivedAt   = "received_at"
	FieldClosedAt     = "closed_at"
	FieldType         = "type"
	FieldUrgency      = "urgency"
	FieldChannel      = "channel"
	FieldTitle        = "title"
	FieldContent      = "content"
	FieldAddress      = "address"
	FieldContactName  = "contact_name"
	FieldContactPhone = "contact_phone"
	FieldStatus       = "status"
	FieldLeadUnit     = "lead_unit"
	FieldResultClass  = "result_class"
	FieldCategory     = "category"
	FieldConfidential = "confidential"
)

// Fields lists the import's fields.
var Fields = []string{FieldSourceID, FieldReceivedAt, FieldClosedAt, FieldType, FieldUrgency, FieldChannel, FieldTitle,
	FieldContent, FieldAddress, FieldContactName, FieldContactPhone, FieldStatus, FieldLeadUnit, FieldResultClass,
	FieldCategory, FieldConfidential}

// RequiredFields must each have a column (or a default).
var RequiredFields = []string{FieldSourceID, FieldReceivedAt, FieldType, FieldContent, FieldAddress, FieldContactName,
	FieldContactPhone, FieldStatus}

// FieldNames are the Chinese names of the fields.
var FieldNames = map[string]string{
	FieldSourceID: "来源编号", FieldReceivedAt: "受理时间", FieldClosedAt: "办结时间", FieldType: "诉求类型",
	FieldUrgency: "紧急程度", FieldChannel: "受理渠道", FieldTitle: "标题", FieldContent: "诉求内容",
	FieldAddress: "诉求地址", FieldContactName: "联系人", FieldContactPhone: "联系电话", FieldStatus: "状态",
	FieldLeadUnit: "主办单位", FieldResultClass: "办理结果", FieldCategory: "分类", FieldConfidential: "保密",
}

// headerAliases are the column headers a file without a mapping may use
// for each field: the export's own, common ones of other platforms, and
// the field name.
var headerAliases = map[string][]string{
	FieldSourceID:     {"来源编号", "原工单编号", "工单编号", "受理编号", "编号"},
	FieldReceivedAt:   {"受理时间", "来电时间", "登记时间"},
	FieldClosedAt:     {"办结时间", "归档时间", "结案时间"},
	FieldType:         {"诉求类型", "类型"},
	FieldUrgency:      {"紧急程度"},
	FieldChannel:      {"受理渠道", "渠道", "来源渠道"},
	FieldTitle:        {"标题", "诉求标题"},
	FieldContent:      {"诉求内容", "内容"},
	FieldAddress:      {"诉求地址", "地址", "事发地址"},
	FieldContactName:  {"联系人", "诉求人", "姓名"},
	FieldContactPhone: {"联系电话", "电话", "手机号"},
	FieldStatus:       {"状态", "工单状态"},
	FieldLeadUnit:     {"主办单位", "承办单位"},
	FieldResultClass:  {"办理结果"},
	FieldCategory:     {"分类", "诉求分类"},
	FieldConfidential: {"保密", "是否保密"},
}

// Mapping says where an import finds each field and how to read the other
// system's words (the --mapping file, the console's column mapping).
type Mapping struct {
	// Source names the system the rows come from (default 导入); with
	// the source id it makes a row's identity.
	Source string `json:"source"`
	// Columns maps a field to the header of its column; a field not named
	// is looked for under its usual headers.
	Columns map[string]string `json:"columns,omitempty"`
	// Statuses maps the other system's status words to statuses (a status
	// code such as "archived" or its Chinese name such as 已归档).
	Statuses map[string]string `json:"statuses,omitempty"`
	// Defaults are the values of fields whose cell is empty or that have
	// no column (channel 12345热线 and urgency 一般 unless set).
	Defaults map[string]string `json:"defaults,omitempty"`
}

// DefaultSource is the source of a mapping that names none.
const DefaultSource = "导入"

// ReadMapping decodes a mapping file strictly.
func ReadMapping(r io.Reader) (Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, huying.FieldErrorf("mapping", "映射文件不是有效的 JSON（可用的键：source、columns、statuses、defaults）：%v", err)
	}
	return m, m.Validate()
}

// Validate checks the mapping names only known fields and statuses.
func (m *Mapping) Validate() error {
	m.Source = strings.TrimSpace(m.Source)
	if m.Source == "" {
		m.Source = DefaultSource
	}
	if err := huying.CheckText("source", m.Source); err != nil {
		return err
	}
	if len([]rune(m.Source)) > 50 {
		return huying.FieldErrorf("source", "来源名称不能超过 50 个字")
	}
	for _, kv := range []map[string]string{m.Columns, m.Defaults} {
		for field := range kv {
			if !slices.Contains(Fields, field) {
				return huying.FieldErrorf("mapping", "映射中的字段 %q 未知（可用：%s）", field, strings.Join(Fields, "、"))
			}
		}
	}
	for word, st := range m.Statuses {
		if _, ok := statusOf(st); !ok {
			return huying.FieldErrorf("mapping", "映射把状态「%s」对应到未知的状态 %q", word, st)
		}
	}
	return nil
}

// statusOf reads a status by code or Chinese name.
func statusOf(s string) (huying.Status, bool) {
	s = strings.TrimSpace(s)
	if huying.Status(s).Valid() {
		return huying.Status(s), true
	}
	for st, name := range huying.StatusNames {
		if name == s {
			return st, true
		}
	}
	switch s { // the words other platforms use for a closed appeal
	case "已办结", "办结", "已结案", "结案", "已完成":
		return huying.StatusArchived, true
	case "不予受理", "已转办":
		return huying.StatusRefused, true
	case "直接答复":
		return huying.StatusAnswered, true
	}
	return "", false
}

// columns resolves the mapping against a header row: field → column
// index. A column the mapping names that the file lacks, or a required
// field with neither column nor default, is an error naming it (the
// columns found are still returned for the latter).
func (m *Mapping) columns(header []string) (map[string]int, error) {
	at := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if _, dup := at[h]; !dup && h != "" {
			at[h] = i
		}
	}
	out := map[string]int{}
	for _, field := range Fields {
		if col, ok := m.Columns[field]; ok {
			i, found := at[strings.TrimSpace(col)]
			if !found {
				return nil, huying.FieldErrorf("mapping", "映射指定「%s」取自列「%s」，但文件第 1 行没有这一列", FieldNames[field], col)
			}
			out[field] = i
			continue
		}
		for _, alias := range append(headerAliases[field], field) {
			if i, found := at[alias]; found {
				out[field] = i
				break
			}
		}
	}
	var missing []string
	for _, field := range RequiredFields {
		if _, ok := out[field]; !ok && m.Defaults[field] == "" {
			missing = append(missing, fmt.Sprintf("%s（%s）", FieldNames[field], field))
		}
	}
	if len(missing) > 0 {
		return out, huying.FieldErrorf("file", "文件第 1 行缺少必需的列：%s；请在映射中指定列名", strings.Join(missing, "、"))
	}
	return out, nil
}
