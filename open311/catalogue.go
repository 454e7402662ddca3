package open311

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"huying"
)

// Service types (GeoReport v2): realtime returns the service_request_id at
// once, batch returns a token to resolve with GET tokens/{token}, blackbox
// returns neither.
const (
	TypeRealtime = "realtime"
	TypeBatch    = "batch"
	TypeBlackbox = "blackbox"
)

// Attribute datatypes (GeoReport v2).
const (
	DatatypeString          = "string"
	DatatypeNumber          = "number"
	DatatypeDatetime        = "datetime"
	DatatypeText            = "text"
	DatatypeSingleValueList = "singlevaluelist"
	DatatypeMultiValueList  = "multivaluelist"
)

// Limits on attribute answers, so that an appeal's content stays within
// huying.MaxContentRunes with a full description.
const (
	maxStringRunes = 100
	maxTextRunes   = 500
)

// Service is one Open311 service: a category a resident files under, with
// the Huying appeal type its requests become.
type Service struct {
	Code        string   // service_code: a string, "0101" keeps its zero
	Name        string   // service_name, in Chinese
	Group       string   // group
	Description string   // description
	Keywords    []string // joined with commas into keywords
	// Type is TypeRealtime, TypeBatch or TypeBlackbox.
	Type string
	// AppealType is the type an appeal filed under this service gets.
	AppealType huying.AppealType
	// Notice is the service_notice returned on POST and GET; empty means
	// the close limit of the installation's SLA for AppealType, in words.
	Notice     string
	Attributes []Attribute
}

// Metadata reports whether the service has a definition worth fetching.
func (s *Service) Metadata() bool { return len(s.Attributes) > 0 }

// FullName is "group/name", the category name Huying's handlers read.
func (s *Service) FullName() string {
	if s.Group == "" {
		return s.Name
	}
	return s.Group + "/" + s.Name
}

// Attribute is one extra question of a service definition.
type Attribute struct {
	Code string
	// Variable false means the attribute only informs the resident and
	// takes no answer.
	Variable            bool
	Datatype            string
	Required            bool
	DatatypeDescription string
	Order               int // 1 is shown first; unique within a service
	Description         string
	Values              []Value // for the two list datatypes
}

// Value is one choice of a list attribute: Key is submitted, Name is shown.
type Value struct {
	Key  string
	Name string
}

// ServiceList is one version of the services offered.
type ServiceList struct {
	// Changeset is when the list last changed; discovery announces it so
	// that clients drop their cached definitions.
	Changeset time.Time
	Services  []Service
}

// Service returns the service with code, or nil.
func (l *ServiceList) Service(code string) *Service {
	for i := range l.Services {
		if l.Services[i].Code == code {
			return &l.Services[i]
		}
	}
	return nil
}

// Catalogue provides the current services. Until the dispatch catalogue
// exists, Static(DefaultServices()) serves a fixed table; the catalogue can
// replace it later by implementing this one method.
type Catalogue interface {
	// ServiceList returns the current list. The caller does not modify it.
	ServiceList(ctx context.Context) (*ServiceList, error)
}

// Static is a Catalogue that never changes.
type Static ServiceList

// ServiceList implements Catalogue.
func (s *Static) ServiceList(context.Context) (*ServiceList, error) { return (*ServiceList)(s), nil }

// Validate checks a service list: unique string codes that fit in a URL
// segment, known types and datatypes, unique positive orders, and values
// for list attributes only.
func (l *ServiceList) Validate() error {
	seen := map[string]bool{}
	for _, s := range l.Services {
		switch {
		case s.Code == "" || strings.ContainsAny(s.Code, "./?#%, \t\n") || len(s.Code) > 64:
			return fmt.Errorf("service %q: code must be a non-empty URL segment without dots or commas", s.Code)
		case seen[s.Code]:
			return fmt.Errorf("service %q: duplicate code", s.Code)
		case strings.TrimSpace(s.Name) == "":
			return fmt.Errorf("service %q: no name", s.Code)
		case !slices.Contains([]string{TypeRealtime, TypeBatch, TypeBlackbox}, s.Type):
			return fmt.Errorf("service %q: type %q is not realtime, batch or blackbox", s.Code, s.Type)
		case !slices.Contains(huying.AppealTypes, s.AppealType):
			return fmt.Errorf("service %q: appeal type %q is unknown", s.Code, s.AppealType)
		}
		seen[s.Code] = true
		codes, orders := map[string]bool{}, map[int]bool{}
		for _, a := range s.Attributes {
			isList := a.Datatype == DatatypeSingleValueList || a.Datatype == DatatypeMultiValueList
			switch {
			case a.Code == "" || strings.ContainsAny(a.Code, "[]") || codes[a.Code]:
				return fmt.Errorf("service %q: attribute code %q is empty, has brackets or is repeated", s.Code, a.Code)
			case a.Order < 1 || orders[a.Order]:
				return fmt.Errorf("service %q attribute %q: order must be positive and unique", s.Code, a.Code)
			case !slices.Contains([]string{DatatypeString, DatatypeNumber, DatatypeDatetime, DatatypeText, DatatypeSingleValueList, DatatypeMultiValueList}, a.Datatype):
				return fmt.Errorf("service %q attribute %q: unknown datatype %q", s.Code, a.Code, a.Datatype)
			case isList && len(a.Values) == 0:
				return fmt.Errorf("service %q attribute %q: a list needs values", s.Code, a.Code)
			case !isList && len(a.Values) > 0:
				return fmt.Errorf("service %q attribute %q: only lists have values", s.Code, a.Code)
			case !a.Variable && a.Required:
				return fmt.Errorf("service %q attribute %q: an informational attribute cannot be required", s.Code, a.Code)
			}
			codes[a.Code], orders[a.Order] = true, true
			keys := map[string]bool{}
			for _, v := range a.Values {
				if v.Key == "" || keys[v.Key] || v.Name == "" {
					return fmt.Errorf("service %q attribute %q: value keys must be unique and named", s.Code, a.Code)
				}
				keys[v.Key] = true
			}
		}
	}
	return nil
}

// DefaultChangeset is when DefaultServices last changed.
var DefaultChangeset = time.Date(2026, 9, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

// DefaultCatalogue returns the built-in catalogue: Static(DefaultServices()).
func DefaultCatalogue() Catalogue {
	return &Static{Changeset: DefaultChangeset, Services: DefaultServices()}
}

// observedAt is the "when did you see it" question several services share.
var observedAt = Attribute{Code: "observed_at", Variable: true, Datatype: DatatypeDatetime,
	DatatypeDescription: "ISO 8601 时间，如 2026-09-28T21:30:00+08:00", Description: "发现时间"}

func withOrder(a Attribute, order int) Attribute {
	a.Order = order
	return a
}

// DefaultServices is the built-in table of services until the dispatch
// catalogue replaces it: common 12345 categories of a Shenzhen district,
// with questions that cover all six datatypes. They set no Notice, so the
// handler words the installation's SLA limits (see handler.notice).
func DefaultServices() []Service {
	list := []Service{
		{Code: "0101", Name: "占道经营", Group: "城市管理", AppealType: huying.TypeComplaint, Type: TypeRealtime,
			Description: "流动摊贩、店外经营或在道路上堆放物品", Keywords: []string{"占道", "摆摊", "流动摊贩", "店外经营"},
			Attributes: []Attribute{
				{Code: "occupy_kind", Variable: true, Datatype: DatatypeSingleValueList, Required: true, Order: 1,
					Description: "占道情形", Values: []Value{{"mobile_vendor", "流动摊贩"}, {"shopfront", "店外经营"}, {"stacking", "占道堆放物品"}}},
				withOrder(observedAt, 2),
				{Code: "shop_name", Variable: true, Datatype: DatatypeString, Order: 3,
					Description: "商户名称或招牌（如有）", DatatypeDescription: "单行文字，不超过 100 字"},
			}},
		{Code: "0102", Name: "垃圾堆放", Group: "城市管理", AppealType: huying.TypeComplaint, Type: TypeRealtime,
			Description: "垃圾未及时清运、乱倒建筑垃圾", Keywords: []string{"垃圾", "环境卫生", "清运", "建筑垃圾"},
			Attributes: []Attribute{
				{Code: "waste_kind", Variable: true, Datatype: DatatypeMultiValueList, Required: true, Order: 1,
					Description: "垃圾种类（可多选）", Values: []Value{{"household", "生活垃圾"}, {"construction", "建筑垃圾"}, {"bulky", "大件垃圾"}, {"other", "其他"}}},
				{Code: "plate_hint", Variable: false, Datatype: DatatypeText, Order: 2,
					Description: "偷倒建筑垃圾的，请在描述中尽量写明车辆号牌和时间。"},
			}},
		{Code: "0201", Name: "噪音扰民", Group: "环境保护", AppealType: huying.TypeComplaint, Type: TypeRealtime,
			Description: "施工、经营或社会生活噪音", Keywords: []string{"噪音", "噪声", "施工", "夜间施工", "扰民"},
			Attributes: []Attribute{
				{Code: "noise_source", Variable: true, Datatype: DatatypeSingleValueList, Required: true, Order: 1,
					Description: "噪音来源", Values: []Value{{"construction", "建筑施工"}, {"business", "商业经营"}, {"neighbourhood", "社会生活"}, {"traffic", "交通运输"}}},
				{Code: "periods", Variable: true, Datatype: DatatypeMultiValueList, Required: true, Order: 2,
					Description: "出现时段（可多选）", Values: []Value{{"morning", "早上（6:00–8:00）"}, {"daytime", "白天（8:00–22:00）"}, {"night", "夜间（22:00–次日6:00）"}}},
				{Code: "decibel", Variable: true, Datatype: DatatypeNumber, Order: 3,
					Description: "噪声值（分贝），用手机测量过的可填写", DatatypeDescription: "数字，如 65"},
				withOrder(observedAt, 4),
				{Code: "night_permit", Variable: false, Datatype: DatatypeString, Order: 5,
					Description: "夜间（22:00–次日6:00）施工须持有夜间施工许可证，承办单位将核查。"},
			}},
		{Code: "0202", Name: "油烟污染", Group: "环境保护", AppealType: huying.TypeComplaint, Type: TypeRealtime,
			Description: "餐饮油烟直排、未装净化设施", Keywords: []string{"油烟", "餐饮", "排放"}},
		{Code: "0301", Name: "路灯故障", Group: "市政设施", AppealType: huying.TypeHelp, Type: TypeRealtime,
			Description: "路灯不亮、闪烁或灯杆损坏", Keywords: []string{"路灯", "灯杆", "照明"},
			Attributes: []Attribute{
				{Code: "pole_no", Variable: true, Datatype: DatatypeString, Required: true, Order: 1,
					Description: "灯杆编号（贴在灯杆上，如 PS-HP-0123）", DatatypeDescription: "单行文字，不超过 100 字"},
				{Code: "faults", Variable: true, Datatype: DatatypeMultiValueList, Required: true, Order: 2,
					Description: "故障现象（可多选）", Values: []Value{{"dark", "不亮"}, {"flicker", "闪烁"}, {"daylight", "白天亮灯"}, {"leaning", "灯杆倾斜或破损"}}},
			}},
		{Code: "0302", Name: "道路破损", Group: "市政设施", AppealType: huying.TypeHelp, Type: TypeRealtime,
			Description: "路面坑洼、井盖缺失、路缘石破损", Keywords: []string{"道路", "坑洼", "井盖", "路面"},
			Attributes: []Attribute{
				{Code: "damage_kind", Variable: true, Datatype: DatatypeSingleValueList, Required: true, Order: 1,
					Description: "破损类型", Values: []Value{{"pothole", "坑洼"}, {"crack", "开裂"}, {"manhole", "井盖缺失或破损"}, {"kerb", "路缘石破损"}}},
				{Code: "area", Variable: true, Datatype: DatatypeNumber, Order: 2,
					Description: "破损面积（平方米，估算）", DatatypeDescription: "数字，如 1.5"},
				{Code: "detail", Variable: true, Datatype: DatatypeText, Order: 3,
					Description: "补充说明（可多行）", DatatypeDescription: "多行文字，不超过 500 字"},
			}},
		{Code: "0401", Name: "政策咨询", Group: "咨询建议", AppealType: huying.TypeConsult, Type: TypeBatch,
			Description: "办事指南、政策解读等咨询", Keywords: []string{"咨询", "政策", "办事指南"}},
		{Code: "0402", Name: "意见建议", Group: "咨询建议", AppealType: huying.TypeSuggestion, Type: TypeBatch,
			Description: "对城市建设和公共服务的意见建议", Keywords: []string{"建议", "意见"},
			Attributes: []Attribute{
				{Code: "topic", Variable: true, Datatype: DatatypeSingleValueList, Order: 1,
					Description: "建议领域", Values: []Value{{"traffic", "交通出行"}, {"education", "教育"}, {"health", "医疗卫生"}, {"environment", "生态环境"}, {"other", "其他"}}},
			}},
	}
	return list
}
