package sla

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Stage is a stage of an appeal that runs against a limit.
type Stage string

// The stages, in the order Schedule reports them.
const (
	StageDispatch     Stage = "dispatch"      // 派单: the centre dispatches the order
	StageSign         Stage = "sign"          // 签收: the unit signs for it
	StageFirstContact Stage = "first_contact" // 首次联系: the unit contacts the requester
	StageReturn       Stage = "return"        // 退单: the last moment a unit may return a misrouted order
	StageArbitrate    Stage = "arbitrate"     // 派单异议审核: the centre decides on a unit's return
	StageClose        Stage = "close"         // 办结: the reply that closes the appeal
	StageExtension    Stage = "extension"     // 延期: the close deadline after the one allowed extension
	StageReview       Stage = "review"        // 审核: the centre reviews the reply
	StageCallback     Stage = "callback"      // 回访: the centre calls the requester back
)

// Stages lists every stage in schedule order.
var Stages = []Stage{
	StageDispatch, StageSign, StageFirstContact, StageReturn, StageArbitrate,
	StageClose, StageExtension, StageReview, StageCallback,
}

// stageInfo says how each stage is named and which earlier stage's deadline
// starts it in a Schedule ("" = the time the appeal was received).
var stageInfo = map[Stage]struct {
	label  string
	anchor Stage
}{
	StageDispatch:     {"派单", ""},
	StageSign:         {"签收", StageDispatch},
	StageFirstContact: {"首次联系", StageSign},
	StageReturn:       {"退单", StageDispatch},
	StageArbitrate:    {"退单审核", StageReturn},
	StageClose:        {"办结", ""},
	StageExtension:    {"延期办结", StageClose},
	StageReview:       {"审核", StageClose},
	StageCallback:     {"回访", StageClose},
}

// Valid reports whether s is one of Stages.
func (s Stage) Valid() bool {
	_, ok := stageInfo[s]
	return ok
}

// Label returns the Chinese name of the stage, such as 签收.
func (s Stage) Label() string {
	if i, ok := stageInfo[s]; ok {
		return i.label
	}
	return string(s)
}

// Anchor returns the stage whose deadline starts s in a Schedule, or "" when
// s runs from the time the appeal was received. Sign, first contact and
// return follow the order's way through the unit; close runs from receipt, as
// the Guangdong rules count it; extension, review and callback run from the
// reply, taken to be the close deadline.
func (s Stage) Anchor() Stage { return stageInfo[s].anchor }

// The appeal types and urgencies of the built-in profiles (domain-12345.md
// §5.1). Other strings are allowed in a Table.
const (
	TypeConsult   = "咨询"
	TypeHelp      = "求助"
	TypeComplaint = "投诉"
	TypeReport    = "举报"
	TypeSuggest   = "建议"

	UrgencyNormal = "一般"
	UrgencyUrgent = "紧急"

	// Any matches every type or every urgency in a Rule.
	Any = "*"
)

// Key selects a profile: an appeal type and an urgency.
type Key struct {
	Type    string `json:"type"`    // 咨询、求助、投诉、举报、建议, …
	Urgency string `json:"urgency"` // 一般、紧急, …
}

// String returns "type/urgency".
func (k Key) String() string { return k.Type + "/" + k.Urgency }

// Profile is the resolved set of limits for one Key of one jurisdiction: what
// Compute and Schedule take.
type Profile struct {
	Jurisdiction string // from the Table
	Key          Key    // the key the profile was resolved for
	// WarnRatio is the share of each limit after which the stage turns
	// yellow, in (0, 1].
	WarnRatio float64
	// Limits has one entry per stage with a limit; a stage without one has
	// no deadline.
	Limits map[Stage]Limit
}

// Rule gives limits for a type × urgency, either of which may be Any. A
// stage a rule leaves out is taken from a less specific rule.
type Rule struct {
	Type    string `json:"type"`    // an appeal type, or Any
	Urgency string `json:"urgency"` // an urgency, or Any
	// WarnRatio overrides the table's ratio for keys this rule matches; 0
	// means inherit.
	WarnRatio float64 `json:"warn_ratio,omitempty"`
	// Limits are this rule's limits by stage.
	Limits map[Stage]Limit `json:"limits"`
}

// Table is one jurisdiction's SLA rules, as loaded from JSON.
type Table struct {
	Jurisdiction string  `json:"jurisdiction"` // a name for people, such as 深圳市某区
	WarnRatio    float64 `json:"warn_ratio"`   // 0 in the file means DefaultWarnRatio
	Rules        []Rule  `json:"rules"`        // at most one per type × urgency

	byKey map[Key]*Rule
	cache map[Key]*Profile
}

// DefaultWarnRatio is the share of a limit after which a stage turns yellow
// when a table does not say.
const DefaultWarnRatio = 0.8

// ErrNoProfile is returned by Table.Profile when no rule gives a close limit
// for the key: the type or urgency is unknown to the jurisdiction.
var ErrNoProfile = errors.New("sla: no profile")

//go:embed default.json
var defaultJSON []byte

var defaultTable = func() *Table {
	t, err := Parse(defaultJSON)
	if err != nil {
		panic("sla: built-in default.json: " + err.Error())
	}
	return t
}()

// Default returns the built-in table: the proposed defaults for a Shenzhen
// district from domain-12345.md §3 "Build note". The table is shared and must
// not be modified.
func Default() *Table { return defaultTable }

// DefaultJSON returns the built-in table as JSON, a starting point for a
// jurisdiction's own file.
func DefaultJSON() []byte { return bytes.Clone(defaultJSON) }

// Parse reads and validates a table in JSON:
//
//	{
//	  "jurisdiction": "深圳市某区",
//	  "warn_ratio": 0.8,
//	  "rules": [
//	    {"type": "*", "urgency": "一般", "limits": {"dispatch": "2h", "sign": "2wh"}},
//	    {"type": "投诉", "urgency": "一般", "limits": {"close": "15wd"}}
//	  ]
//	}
//
// Limits are written as in ParseLimit; stages are the Stage values. Every
// profile the table can produce is resolved here, so errors surface at load
// time. Errors are in Chinese, for the administrator who wrote the file.
func Parse(data []byte) (*Table, error) {
	var t Table
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("不是有效的时限配置 JSON：%w", err)
	}
	if dec.More() {
		return nil, errors.New("不是有效的时限配置 JSON：文件末尾有多余内容")
	}
	if err := t.init(); err != nil {
		return nil, err
	}
	return &t, nil
}

func (t *Table) init() error {
	if t.WarnRatio == 0 {
		t.WarnRatio = DefaultWarnRatio
	}
	if !(t.WarnRatio > 0 && t.WarnRatio <= 1) {
		return fmt.Errorf("预警比例 warn_ratio %v 无效：应在 0 到 1 之间", t.WarnRatio)
	}
	if len(t.Rules) == 0 {
		return errors.New("时限配置里没有任何规则")
	}
	t.byKey = map[Key]*Rule{}
	types, urgencies := map[string]bool{}, map[string]bool{}
	for i := range t.Rules {
		r := &t.Rules[i]
		r.Type, r.Urgency = strings.TrimSpace(r.Type), strings.TrimSpace(r.Urgency)
		where := fmt.Sprintf("第 %d 条规则（%s/%s）", i+1, r.Type, r.Urgency)
		if r.Type == "" || r.Urgency == "" {
			return fmt.Errorf("%s缺少 type 或 urgency（可用 \"*\" 表示全部）", where)
		}
		k := Key{r.Type, r.Urgency}
		if _, dup := t.byKey[k]; dup {
			return fmt.Errorf("%s重复", where)
		}
		t.byKey[k] = r
		if r.WarnRatio != 0 && !(r.WarnRatio > 0 && r.WarnRatio <= 1) {
			return fmt.Errorf("%s的预警比例 %v 无效：应在 0 到 1 之间", where, r.WarnRatio)
		}
		for s, l := range r.Limits {
			if !s.Valid() {
				return fmt.Errorf("%s的环节 %q 未知，可用：%s", where, string(s), stageList())
			}
			if err := l.Validate(); err != nil {
				return fmt.Errorf("%s的环节 %s：%w", where, s, err)
			}
		}
		if r.Type != Any {
			types[r.Type] = true
		}
		if r.Urgency != Any {
			urgencies[r.Urgency] = true
		}
	}
	// Resolve every named type × urgency once, so that lookups on the hot
	// path are one map read and the table never changes after Parse.
	t.cache = map[Key]*Profile{}
	for ty := range types {
		for u := range urgencies {
			k := Key{ty, u}
			if p, err := t.resolve(k); err == nil {
				t.cache[k] = p
			} else if _, named := t.byKey[k]; named {
				return err
			}
		}
	}
	return nil
}

func stageList() string {
	var b strings.Builder
	for i, s := range Stages {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(string(s))
	}
	return b.String()
}

// resolve merges the rules that match k, most specific last, so that
// (type, urgency) beats (type, *), which beats (*, urgency), which beats (*, *).
func (t *Table) resolve(k Key) (*Profile, error) {
	p := &Profile{Jurisdiction: t.Jurisdiction, Key: k, WarnRatio: t.WarnRatio, Limits: map[Stage]Limit{}}
	matched := false
	for _, rk := range []Key{{Any, Any}, {Any, k.Urgency}, {k.Type, Any}, k} {
		r, ok := t.byKey[rk]
		if !ok {
			continue
		}
		matched = true
		if r.WarnRatio != 0 {
			p.WarnRatio = r.WarnRatio
		}
		maps.Copy(p.Limits, r.Limits)
	}
	if !matched {
		return nil, fmt.Errorf("%w: %s 没有适用的时限规则", ErrNoProfile, k)
	}
	if _, ok := p.Limits[StageClose]; !ok {
		return nil, fmt.Errorf("%w: %s 没有办结时限（close）", ErrNoProfile, k)
	}
	return p, nil
}

// Profile returns the limits for k. It fails with ErrNoProfile when no rule
// gives k a close limit. The result is shared and must not be modified.
func (t *Table) Profile(k Key) (*Profile, error) {
	if p, ok := t.cache[k]; ok {
		return p, nil
	}
	return t.resolve(k)
}

// Keys returns the type × urgency pairs the table names explicitly, for
// listings.
func (t *Table) Keys() []Key {
	out := make([]Key, 0, len(t.cache))
	for k := range t.cache {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b Key) int {
		return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.Urgency, b.Urgency))
	})
	return out
}
