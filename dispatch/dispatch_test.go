package dispatch_test

import (
	"testing"

	"huying"
	"huying/dispatch"
)

var units = map[string]*huying.Unit{
	"centre":    {ID: "centre", Kind: huying.UnitCentre},
	"st-a":      {ID: "st-a", Kind: huying.UnitStreet, ParentID: "centre"},
	"c-a1":      {ID: "c-a1", Kind: huying.UnitCommunity, ParentID: "st-a"},
	"chengguan": {ID: "chengguan", Kind: huying.UnitDepartment},
	"zhujian":   {ID: "zhujian", Kind: huying.UnitDepartment},
	"gas-co":    {ID: "gas-co", Kind: huying.UnitEnterprise},
}

var cat = &dispatch.Catalogue{Version: 1, Rules: []dispatch.Rule{
	{ID: "r1", Category: "城乡建设", Lead: "zhujian"},
	{ID: "r2", Category: "城乡建设/城市建设和市政管理", Lead: "chengguan"},
	{ID: "r3", Category: "城乡建设/城市建设和市政管理", Object: "燃气", Lead: "gas-co", Assists: []string{"zhujian"}},
	{ID: "r4", Category: "城乡建设/城市建设和市政管理/小区管理", Place: "st-a", Lead: "st-a"},
	{ID: "r5", Category: "城乡建设/城市建设和市政管理/小区管理", Place: "c-a1", Lead: "c-a1", CommunityDuty: true},
	{ID: "r6", Category: "城乡建设", Priority: 5, Lead: "chengguan"},
	{ID: "r7", Category: "城乡建设/城市建设和市政管理/小区管理", Object: "电梯", Lead: dispatch.LeadStreet, Assists: []string{"zhujian"}},
}}

func TestRoutesSpecificity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		q    dispatch.Query
		want string
	}{
		{"top level: priority breaks the tie", dispatch.Query{Category: "城乡建设/工程质量"}, "r6"},
		{"second level beats first", dispatch.Query{Category: "城乡建设/城市建设和市政管理/环境卫生"}, "r2"},
		{"object beats no object at the same level", dispatch.Query{Category: "城乡建设/城市建设和市政管理/燃气供应", Text: "楼道燃气味"}, "r3"},
		{"community beats street", dispatch.Query{Category: "城乡建设/城市建设和市政管理/小区管理", Street: "st-a", Community: "c-a1"}, "r5"},
		{"street when the community has no rule", dispatch.Query{Category: "城乡建设/城市建设和市政管理/小区管理", Street: "st-a", Community: "c-other"}, "r4"},
		{"other street falls back to the department", dispatch.Query{Category: "城乡建设/城市建设和市政管理/小区管理", Street: "st-b"}, "r2"},
		{"the appeal's street by object", dispatch.Query{Category: "城乡建设/城市建设和市政管理/小区管理", Street: "st-b", Text: "电梯坏了"}, "r7"},
		{"no street known: the street rule does not apply", dispatch.Query{Category: "城乡建设/城市建设和市政管理/小区管理", Text: "电梯坏了"}, "r2"},
	}
	for _, tt := range tests {
		routes := cat.Routes(tt.q)
		if len(routes) == 0 || routes[0].Rule.ID != tt.want {
			t.Errorf("%s: got %+v, want %s first", tt.name, routes, tt.want)
		}
		if routes[0].Rule.Lead == dispatch.LeadStreet {
			t.Errorf("%s: lead not resolved", tt.name)
		}
	}
	if got := cat.Routes(dispatch.Query{Category: "教育文体"}); len(got) != 0 {
		t.Errorf("unmatched category routed: %+v", got)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	if err := cat.Validate(units); err != nil {
		t.Fatalf("valid catalogue: %v", err)
	}
	tests := []struct {
		name string
		rule dispatch.Rule
	}{
		{"department matter pushed to a community", dispatch.Rule{ID: "x", Category: "环境保护", Lead: "c-a1"}},
		{"unknown lead", dispatch.Rule{ID: "x", Lead: "nope"}},
		{"centre as lead", dispatch.Rule{ID: "x", Lead: "centre"}},
		{"assist equals lead", dispatch.Rule{ID: "x", Lead: "zhujian", Assists: []string{"zhujian"}}},
		{"place is a department", dispatch.Rule{ID: "x", Lead: "zhujian", Place: "chengguan"}},
		{"four levels", dispatch.Rule{ID: "x", Lead: "zhujian", Category: "a/b/c/d"}},
		{"duplicate id", dispatch.Rule{ID: "r1", Lead: "zhujian"}},
		{"bad urgency", dispatch.Rule{ID: "x", Lead: "zhujian", Urgency: "特急"}},
	}
	for _, tt := range tests {
		c := &dispatch.Catalogue{Rules: append(append([]dispatch.Rule{}, cat.Rules...), tt.rule)}
		err := c.Validate(units)
		if huying.ErrorCode(err) != huying.EINVALID || huying.ErrorMessage(err) == "" {
			t.Errorf("%s: got %v, want EINVALID with a message", tt.name, err)
		}
	}
}
