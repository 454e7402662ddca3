package dispatch_test

import (
	"slices"
	"strings"
	"testing"

	"huying"
	"huying/dispatch"
)

// matters is a small 事项 catalogue in the shape of the demo's.
var matters = &dispatch.Catalogue{Version: 1, Rules: []dispatch.Rule{
	{ID: "gas", Matter: "燃气泄漏", Category: "城乡建设/城市建设和市政管理", Keywords: []string{"燃气味", "漏气", "燃气+漏"},
		Negatives: []string{"燃气费"}, Lead: "gas-co", Assists: []string{"zhujian"}, Urgency: "紧急"},
	{ID: "gas-fee", Matter: "燃气收费", Keywords: []string{"燃气费"}, Lead: "gas-co"},
	{ID: "stall", Matter: "占道经营", Category: "城乡建设", Keywords: []string{"摆摊", "占道"}, Lead: "chengguan"},
	{ID: "site", Matter: "工地管理", Category: "城乡建设", Keywords: []string{"工地"}, Negatives: []string{"工地+噪音"}, Lead: "zhujian"},
	{ID: "noise", Matter: "建筑施工噪声", Category: "环境保护", Keywords: []string{"工地+噪音", "夜间施工"}, Lead: "huanjing", Assists: []string{"zhujian"}},
	{ID: "estate", Matter: "物业服务", Keywords: []string{"物业"}, Lead: dispatch.LeadStreet, Assists: []string{"zhujian"}},
	{ID: "lift", Matter: "电梯安全", Keywords: []string{"电梯"}, Lead: "shichang", Assists: []string{dispatch.LeadStreet}},
	{ID: "hall", Matter: "社区活动室", Keywords: []string{"活动室"}, Place: "c-a1", Lead: "c-a1", CommunityDuty: true},
	{ID: "cs", Category: "城乡建设", Lead: "zhujian"},
	{ID: "sm", Category: "商贸旅游", Lead: "shichang"},
}}

func rankUnits(cands []dispatch.Candidate) []string {
	var out []string
	for _, c := range cands {
		out = append(out, c.Unit)
	}
	return out
}

func TestRankKeywordsAcrossCategories(t *testing.T) {
	t.Parallel()
	// The classifier is sure it is about commerce: the gas matter still
	// fires, and leads the commerce fallback.
	q := dispatch.Query{Text: "商场美食城里一家火锅店燃气味很重", Priors: []dispatch.Prior{{Category: "商贸旅游", Prob: 0.93}}}
	got := matters.Rank(q)
	if len(got) < 2 || got[0].Unit != "gas-co" || got[0].Rule.ID != "gas" || got[1].Unit != "shichang" {
		t.Fatalf("gas under 商贸旅游: %v", rankUnits(got))
	}
	if got[0].Confidence <= 0 || got[1].Confidence != 0 {
		t.Errorf("confidence: first %.2f, second %.2f", got[0].Confidence, got[1].Confidence)
	}
	why := strings.Join(got[0].Why, "；")
	if !strings.Contains(why, "事项「燃气泄漏」") || !strings.Contains(why, "关键词「燃气味」") {
		t.Errorf("reasons %q", why)
	}
	// Under its own category the prior adds to the keyword.
	q.Priors = []dispatch.Prior{{Category: "城乡建设", Prob: 0.9}}
	if withPrior := matters.Rank(q); withPrior[0].Score <= got[0].Score {
		t.Errorf("prior did not count: %.2f ≤ %.2f", withPrior[0].Score, got[0].Score)
	} else if !strings.Contains(strings.Join(withPrior[0].Why, "；"), "分类「城乡建设」（分类器 90%）") {
		t.Errorf("prior reason missing: %v", withPrior[0].Why)
	}
	// A "+" keyword needs all its parts.
	if got := matters.Rank(dispatch.Query{Text: "楼下燃气管子好像漏了"}); len(got) == 0 || got[0].Rule.ID != "gas" {
		t.Errorf("燃气+漏: %v", rankUnits(got))
	}
	if got := matters.Rank(dispatch.Query{Text: "屋顶漏了"}); len(got) != 0 {
		t.Errorf("漏 alone fired: %v", rankUnits(got))
	}
}

func TestRankNegatives(t *testing.T) {
	t.Parallel()
	// 燃气费 rules out the leak matter (its 燃气+漏 would fire on 漏 of 漏交).
	got := matters.Rank(dispatch.Query{Text: "燃气费是不是漏交了，想查一下"})
	if len(got) != 1 || got[0].Rule.ID != "gas-fee" {
		t.Fatalf("燃气费: %+v", got)
	}
	// Construction noise is the environment bureau's, not the site's.
	got = matters.Rank(dispatch.Query{Text: "旁边工地噪音太大了", Priors: []dispatch.Prior{{Category: "城乡建设", Prob: 0.8}}})
	if got[0].Unit != "huanjing" {
		t.Fatalf("施工噪音: %v", rankUnits(got))
	}
	for _, c := range got {
		if c.Rule.ID == "site" {
			t.Errorf("negative 工地+噪音 did not rule out the site matter")
		}
	}
	// The same text about a site without noise goes to 住建.
	if got := matters.Rank(dispatch.Query{Text: "工地围挡倒了"}); got[0].Rule.ID != "site" {
		t.Errorf("工地: %v", rankUnits(got))
	}
}

func TestRankPlace(t *testing.T) {
	t.Parallel()
	// A community-scoped matter fires only in its community.
	in := matters.Rank(dispatch.Query{Text: "活动室的桌椅坏了", Street: "st-a", Community: "c-a1"})
	if len(in) == 0 || in[0].Unit != "c-a1" || !slices.Contains(in[0].Why, "本社区事项") {
		t.Fatalf("in c-a1: %+v", in)
	}
	if out := matters.Rank(dispatch.Query{Text: "活动室的桌椅坏了", Street: "st-a", Community: "c-a2"}); len(out) != 0 {
		t.Errorf("c-a1 matter fired in c-a2: %v", rankUnits(out))
	}
	// 属地 matters go to the appeal's street, and need one.
	got := matters.Rank(dispatch.Query{Text: "物业不作为", Street: "st-a"})
	if len(got) == 0 || got[0].Unit != "st-a" || got[0].Rule.Lead != "st-a" {
		t.Fatalf("物业 at st-a: %+v", got)
	}
	if got := matters.Rank(dispatch.Query{Text: "物业不作为"}); len(got) != 0 {
		t.Errorf("物业 without a street: %v", rankUnits(got))
	}
	// A street assisting: resolved where known, left out where not.
	if got := matters.Rank(dispatch.Query{Text: "电梯坏了", Street: "st-a"}); !slices.Equal(got[0].Rule.Assists, []string{"st-a"}) {
		t.Errorf("电梯 assists at st-a: %v", got[0].Rule.Assists)
	}
	if got := matters.Rank(dispatch.Query{Text: "电梯坏了"}); got[0].Unit != "shichang" || len(got[0].Rule.Assists) != 0 {
		t.Errorf("电梯 without a street: %+v", got[0])
	}
}

func TestRankFallback(t *testing.T) {
	t.Parallel()
	// No matter named: the category's fallback, never confident.
	got := matters.Rank(dispatch.Query{Text: "反映一个问题", Priors: []dispatch.Prior{{Category: "城乡建设", Prob: 0.7}, {Category: "商贸旅游", Prob: 0.2}}})
	if len(got) != 2 || got[0].Unit != "zhujian" || got[1].Unit != "shichang" || got[0].Confidence != 0 {
		t.Fatalf("fallback: %+v", got)
	}
	if !slices.Contains(got[0].Why, "未命中具体事项，按分类兜底") {
		t.Errorf("fallback reason: %v", got[0].Why)
	}
	// Any keyword beats a sure category.
	got = matters.Rank(dispatch.Query{Text: "门口有人摆摊", Priors: []dispatch.Prior{{Category: "商贸旅游", Prob: 1}}})
	if got[0].Unit != "chengguan" {
		t.Errorf("摆摊 under a sure 商贸旅游: %v", rankUnits(got))
	}
	// The dispatcher's category is certain and shuts out the others' fallbacks.
	got = matters.Rank(dispatch.Query{Text: "反映一个问题", Category: "商贸旅游/市场监管", Priors: []dispatch.Prior{{Category: "城乡建设", Prob: 0.9}}})
	if len(got) != 1 || got[0].Unit != "shichang" || !strings.Contains(strings.Join(got[0].Why, ""), "调度员选定分类") {
		t.Errorf("dispatcher's category: %+v", got)
	}
}

func TestRankNormalises(t *testing.T) {
	t.Parallel()
	// Traditional characters and spaces in the text.
	if got := matters.Rank(dispatch.Query{Text: "樓道裡有 燃 氣 味"}); len(got) == 0 || got[0].Rule.ID != "gas" {
		t.Errorf("燃氣味: %v", rankUnits(got))
	}
}

func TestValidateWords(t *testing.T) {
	t.Parallel()
	all := map[string]*huying.Unit{"c-a1": {ID: "c-a1", Kind: huying.UnitCommunity}, "zhujian": {ID: "zhujian", Kind: huying.UnitDepartment},
		"gas-co": {ID: "gas-co", Kind: huying.UnitEnterprise}, "chengguan": {ID: "chengguan", Kind: huying.UnitDepartment},
		"huanjing": {ID: "huanjing", Kind: huying.UnitDepartment}, "shichang": {ID: "shichang", Kind: huying.UnitDepartment}}
	if err := matters.Validate(all); err != nil {
		t.Fatalf("valid: %v", err)
	}
	for _, r := range []dispatch.Rule{
		{ID: "x", Lead: "zhujian", Keywords: []string{""}},
		{ID: "x", Lead: "zhujian", Keywords: []string{"燃气+"}},
		{ID: "x", Lead: "zhujian", Negatives: []string{strings.Repeat("长", 21)}},
		{ID: "x", Lead: "zhujian", Matter: strings.Repeat("事", 41)},
		{ID: "x", Lead: dispatch.LeadStreet, Assists: []string{dispatch.LeadStreet}},
	} {
		c := &dispatch.Catalogue{Rules: append(slices.Clone(matters.Rules), r)}
		if err := c.Validate(all); huying.ErrorCode(err) != huying.EINVALID {
			t.Errorf("%+v: got %v, want EINVALID", r, err)
		}
	}
}

// TestRoutesHonourKeywords: the category-first Routes (the community-duty
// check) applies a rule's keywords and negatives too.
func TestRoutesHonourKeywords(t *testing.T) {
	t.Parallel()
	c := &dispatch.Catalogue{Rules: []dispatch.Rule{
		{ID: "hall", Category: "城乡建设", Keywords: []string{"活动室"}, Negatives: []string{"装修"}, Lead: "c-a1", CommunityDuty: true},
	}}
	if got := c.Routes(dispatch.Query{Category: "城乡建设", Text: "活动室灯坏了"}); len(got) != 1 {
		t.Errorf("keyword: %+v", got)
	}
	for _, text := range []string{"路灯坏了", "活动室装修太吵"} {
		if got := c.Routes(dispatch.Query{Category: "城乡建设", Text: text}); len(got) != 0 {
			t.Errorf("%s: %+v", text, got)
		}
	}
}
