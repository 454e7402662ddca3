// Package dispatch is the dispatch catalogue (派单目录): a list of 事项
// (matters such as 燃气泄漏, 占道经营, 违法建设), each with the keywords and
// phrases that name it (and negative ones that rule it out), an optional
// category path, a place scope, the lead unit, assisting units, SLA
// urgency and legal basis (权责清单). Rank routes an appeal to units: a
// matter's keywords fire whatever category the classifier predicted, the
// classifier's top-3 probabilities are priors for the matters under their
// categories, and the place picks the street or a place-scoped matter.
// Routes is the older category-first routing (most specific rule first)
// that the community-duty check uses. It is pure: no clock, no I/O.
package dispatch

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"huying"
)

// Rule is one line of the catalogue: one 事项. Empty Category, Place or
// Object match anything; in Routes the most specific matching rule wins,
// then the higher Priority; Rank scores rules as its doc says.
type Rule struct {
	ID string `json:"id"`
	// Matter names the 事项 for the dispatcher (燃气泄漏, 公交线路…).
	Matter string `json:"matter,omitempty"`
	// Keywords are words or phrases of the matter; the rule fires when one
	// appears in the text, whatever the appeal's category. A keyword
	// "A+B" needs both A and B. A rule with keywords and no category is a
	// matter across categories.
	Keywords []string `json:"keywords,omitempty"`
	// Negatives rule the matter out when one appears ("A+B" as above).
	Negatives []string `json:"negatives,omitempty"`
	// Category is a path in the category tree, levels joined by "/", such
	// as "城乡建设" or "城乡建设/城市建设和市政管理/环境卫生"; a rule matches an
	// appeal whose category starts with it.
	Category string `json:"category"`
	// Place is a street or community id; a street rule matches its
	// communities too. Empty matches everywhere.
	Place string `json:"place,omitempty"`
	// Object is a word that must appear in the appeal (电梯, 燃气, 噪音…).
	Object string `json:"object,omitempty"`
	// Lead is a unit id, or LeadStreet for the street where the matter is
	// (直派街道, with a copy to the district).
	Lead string `json:"lead"`
	// Assists are unit ids; LeadStreet among them is the street of the
	// appeal's place (left out when it is unknown).
	Assists []string `json:"assists,omitempty"`
	// Urgency, when set, overrides the appeal's urgency for its time limits.
	Urgency    string `json:"urgency,omitempty"`
	LegalBasis string `json:"legal_basis,omitempty"`
	Priority   int    `json:"priority,omitempty"`
	// CommunityDuty marks a matter on the community duty list (社区职责清单):
	// only such rules may name a community as lead. Department matters are
	// never pushed down to a community (国办函〔2025〕66号).
	CommunityDuty bool `json:"community_duty,omitempty"`
}

// LeadStreet as a rule's lead means the street of the appeal's place.
const LeadStreet = "@street"

// Catalogue is one version of the dispatch catalogue.
type Catalogue struct {
	Version int    `json:"version"`
	Note    string `json:"note,omitempty"`
	Rules   []Rule `json:"rules"`
}

// Parse reads a catalogue from JSON.
func Parse(data []byte) (*Catalogue, error) {
	var c Catalogue
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, huying.Errorf(huying.EINVALID, "派单目录不是合法的 JSON：%v", err)
	}
	return &c, nil
}

// Validate checks every rule against the unit tree: known units, a lead
// that can handle, no department matter led by a community, unique ids.
func (c *Catalogue) Validate(units map[string]*huying.Unit) error {
	if len(c.Rules) == 0 {
		return huying.FieldErrorf("rules", "派单目录至少需要一条规则")
	}
	seen := map[string]bool{}
	for i, r := range c.Rules {
		where := fmt.Sprintf("第 %d 条规则（%s）", i+1, r.ID)
		switch {
		case r.ID == "":
			return huying.FieldErrorf("rules", "第 %d 条规则缺少编号", i+1)
		case seen[r.ID]:
			return huying.FieldErrorf("rules", "规则编号 %s 重复", r.ID)
		case strings.Count(r.Category, "/") > 2:
			return huying.FieldErrorf("rules", "%s的分类最多三级", where)
		}
		seen[r.ID] = true
		if err := r.checkWords(where); err != nil {
			return err
		}
		if r.Lead == LeadStreet {
			if err := r.checkAssists(units, where); err != nil {
				return err
			}
			continue
		}
		lead, ok := units[r.Lead]
		if !ok {
			return huying.FieldErrorf("rules", "%s的主办单位 %q 不存在", where, r.Lead)
		}
		if lead.Kind == huying.UnitCentre {
			return huying.FieldErrorf("rules", "%s不能以分拨中心为主办单位", where)
		}
		if lead.Kind == huying.UnitCommunity && !r.CommunityDuty {
			return huying.FieldErrorf("rules", "%s：职能部门事项不得下派社区主办（国办函〔2025〕66号）；属于社区职责清单的事项请标注 community_duty", where)
		}
		if err := r.checkAssists(units, where); err != nil {
			return err
		}
		if r.Place != "" {
			p, ok := units[r.Place]
			if !ok || p.Kind != huying.UnitStreet && p.Kind != huying.UnitCommunity {
				return huying.FieldErrorf("rules", "%s的地点 %q 须为街道或社区", where, r.Place)
			}
		}
		if r.Urgency != "" && r.Urgency != string(huying.UrgencyNormal) && r.Urgency != string(huying.UrgencyUrgent) {
			return huying.FieldErrorf("rules", "%s的紧急程度须为一般或紧急", where)
		}
	}
	return nil
}

func (r Rule) checkAssists(units map[string]*huying.Unit, where string) error {
	for _, a := range r.Assists {
		if a == LeadStreet && r.Lead != LeadStreet {
			continue // the street of the appeal's place assists
		}
		if _, ok := units[a]; !ok || a == r.Lead {
			return huying.FieldErrorf("rules", "%s的协办单位 %q 不存在或与主办单位相同", where, a)
		}
	}
	return nil
}

func (r Rule) checkWords(where string) error {
	if utf8.RuneCountInString(r.Matter) > 40 {
		return huying.FieldErrorf("rules", "%s的事项名称不超过 40 字", where)
	}
	for _, list := range [][]string{r.Keywords, r.Negatives} {
		for _, k := range list {
			for _, part := range strings.Split(k, "+") {
				if n := utf8.RuneCountInString(strings.TrimSpace(part)); n == 0 || n > 20 {
					return huying.FieldErrorf("rules", "%s的关键词 %q 有空项或超过 20 字", where, k)
				}
			}
		}
	}
	return nil
}

// Query is what routing knows of an appeal.
type Query struct {
	// Category is the appeal's category path set by the dispatcher (Routes:
	// also the classifier's). In Rank it counts as certain: probability 1
	// for the rules under it.
	Category string
	// Priors are the classifier's most probable first-level categories
	// with their probabilities (Rank only).
	Priors []Prior
	// Street and Community are the place's unit ids ("" when unknown).
	Street, Community string
	// Text is searched for rule objects.
	Text string
}

// Route is a rule that matched, with its score.
type Route struct {
	Rule  Rule `json:"rule"`
	Score int  `json:"score"`
	// Why lists what matched, in Chinese, for the dispatcher.
	Why []string `json:"why"`
}

// Routes returns the matching rules, most specific first: category depth
// counts most, then place (community over street over anywhere), then a
// matched object, then the rule's priority.
func (c *Catalogue) Routes(q Query) []Route {
	var out []Route
	for _, r := range c.Rules {
		score, why, ok := r.match(q)
		if !ok {
			continue
		}
		if r.Lead == LeadStreet {
			if q.Street == "" {
				continue // the street is unknown: the rule cannot apply
			}
			r.Lead = q.Street
			why = append(why, "直派事发街道")
		}
		r.Assists = resolveAssists(r.Assists, q.Street)
		out = append(out, Route{Rule: r, Score: score, Why: why})
	}
	slices.SortStableFunc(out, func(a, b Route) int { return cmp.Compare(b.Score, a.Score) })
	return out
}

func (r Rule) match(q Query) (int, []string, bool) {
	var why []string
	depth := 0
	if r.Category != "" {
		if q.Category != r.Category && !strings.HasPrefix(q.Category, r.Category+"/") {
			return 0, nil, false
		}
		depth = strings.Count(r.Category, "/") + 1
		why = append(why, "分类「"+r.Category+"」")
	}
	place := 0
	switch {
	case r.Place == "":
	case r.Place == q.Community:
		place = 2
		why = append(why, "社区")
	case r.Place == q.Street:
		place = 1
		why = append(why, "街道")
	default:
		return 0, nil, false
	}
	if len(r.Keywords) > 0 || len(r.Negatives) > 0 {
		text := normalize(q.Text)
		if hit, _ := anyWord(r.Negatives, text); hit {
			return 0, nil, false
		}
		if hit, k := anyWord(r.Keywords, text); len(r.Keywords) > 0 && !hit {
			return 0, nil, false
		} else if hit {
			why = append(why, "涉及「"+k+"」")
		}
	}
	object := 0
	if r.Object != "" {
		if !strings.Contains(q.Text, r.Object) {
			return 0, nil, false
		}
		object = 1
		why = append(why, "涉及「"+r.Object+"」")
	}
	return depth*10000 + place*1000 + object*100 + r.Priority, why, true
}

// resolveAssists replaces LeadStreet in assists by street, dropping it
// when the street is unknown or already the lead's.
func resolveAssists(assists []string, street string) []string {
	if !slices.Contains(assists, LeadStreet) {
		return assists
	}
	out := make([]string, 0, len(assists))
	for _, a := range assists {
		if a == LeadStreet {
			a = street
		}
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}
