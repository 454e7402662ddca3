package place

import "github.com/paulmach/orb"

// The demo gazetteer. The street and community names and ids are the public
// ones used by package demo (6 streets, 23 communities); the site points,
// and which roads and estates lie in which communities, are approximate
// demo choices, not survey data. Editing a site changes the derived areas:
// regenerate them with `go generate ./place/`.

// community is one community: its id, name, and the demo centre point the
// Voronoi partition is built around.
type community struct {
	id, name string
	site     orb.Point // lon, lat
}

// street is one street (街道) with its communities.
type street struct {
	id, name    string
	communities []community
}

// streets lists the demo streets in the order of package demo; the order is
// the tie-break order of Locate on shared borders and of Match.
var streets = []street{
	{"st-pingshan", "坪山街道", []community{ // centre-west
		{"c-pingshan", "坪山社区", orb.Point{114.352, 22.700}},
		{"c-heping", "和平社区", orb.Point{114.365, 22.690}},
		{"c-liuhe", "六和社区", orb.Point{114.337, 22.704}},
		{"c-liulian", "六联社区", orb.Point{114.324, 22.691}},
	}},
	{"st-maluan", "马峦街道", []community{ // south
		{"c-maluan", "马峦社区", orb.Point{114.330, 22.640}},
		{"c-pinghuan", "坪环社区", orb.Point{114.345, 22.672}},
		{"c-jiangling", "江岭社区", orb.Point{114.372, 22.662}},
		{"c-shaxue", "沙壆社区", orb.Point{114.365, 22.642}},
	}},
	{"st-biling", "碧岭街道", []community{ // south-west
		{"c-biling", "碧岭社区", orb.Point{114.302, 22.652}},
		{"c-shahu", "沙湖社区", orb.Point{114.307, 22.681}},
		{"c-tangkeng", "汤坑社区", orb.Point{114.283, 22.663}},
	}},
	{"st-shijing", "石井街道", []community{ // east and south-east
		{"c-shijing", "石井社区", orb.Point{114.405, 22.680}},
		{"c-tiantou", "田头社区", orb.Point{114.390, 22.700}},
		{"c-tianxin", "田心社区", orb.Point{114.425, 22.690}},
		{"c-jingui", "金龟社区", orb.Point{114.405, 22.655}},
	}},
	{"st-kengzi", "坑梓街道", []community{ // north-east
		{"c-kengzi", "坑梓社区", orb.Point{114.398, 22.742}},
		{"c-xiuxin", "秀新社区", orb.Point{114.385, 22.758}},
		{"c-shatian", "沙田社区", orb.Point{114.405, 22.772}},
		{"c-jinsha", "金沙社区", orb.Point{114.400, 22.722}},
	}},
	{"st-longtian", "龙田街道", []community{ // north-west
		{"c-longtian", "龙田社区", orb.Point{114.365, 22.740}},
		{"c-laokeng", "老坑社区", orb.Point{114.378, 22.722}},
		{"c-nanbu", "南布社区", orb.Point{114.350, 22.758}},
		{"c-zhukeng", "竹坑社区", orb.Point{114.352, 22.725}},
	}},
}

// feature is a road or an estate of the gazetteer with the communities it
// lies in (a long road crosses several).
type feature struct {
	name        string
	aliases     []string
	communities []string
}

// roads are the road names of package demo's texts, mapped plausibly (not
// from survey data) to the communities they run through.
var roads = []feature{
	{"深汕路", []string{"深汕公路"}, []string{"c-tangkeng", "c-liulian", "c-pingshan", "c-heping", "c-tiantou"}},
	{"坪山大道", nil, []string{"c-liuhe", "c-zhukeng", "c-longtian"}},
	{"东纵路", nil, []string{"c-pingshan", "c-heping"}},
	{"金牛西路", nil, []string{"c-pinghuan", "c-jiangling"}},
	{"丹梓大道", nil, []string{"c-nanbu", "c-longtian", "c-kengzi"}},
	{"龙兴南路", nil, []string{"c-longtian", "c-laokeng"}},
	{"锦绣中路", nil, []string{"c-kengzi", "c-jinsha"}},
	{"宝梓北路", nil, []string{"c-jinsha"}},
	{"兰景北路", nil, []string{"c-liuhe", "c-liulian"}},
	{"翠景路", nil, []string{"c-liuhe"}},
	{"比亚迪路", nil, []string{"c-zhukeng", "c-longtian"}},
	{"青松西路", nil, []string{"c-xiuxin", "c-shatian"}},
	{"新和路", nil, []string{"c-heping"}},
	{"行政一路", nil, []string{"c-liulian"}},
	{"立新路", nil, []string{"c-tianxin"}},
}

// estates are the estate (小区) names of package demo's texts, each placed
// plausibly (not from survey data) in one community.
var estates = []feature{
	{"和悦花园", nil, []string{"c-heping"}},
	{"六和城", nil, []string{"c-liuhe"}},
	{"金地朗悦", nil, []string{"c-jiangling"}},
	{"中海锦城", nil, []string{"c-liulian"}},
	{"万科金域缇香", []string{"金域缇香"}, []string{"c-pinghuan"}},
	{"龙光玖云著", []string{"玖云著"}, []string{"c-zhukeng"}},
	{"振业城", nil, []string{"c-shaxue"}},
	{"京基御景印象", []string{"御景印象"}, []string{"c-kengzi"}},
	{"招商东城华府", []string{"东城华府"}, []string{"c-tiantou"}},
	{"星河传奇", nil, []string{"c-longtian"}},
	{"合正汇一城", []string{"汇一城"}, []string{"c-shahu"}},
	{"绿景翠庭", nil, []string{"c-xiuxin"}},
}

// districtName and districtAliases name 坪山区 itself; a bare "坪山" in an
// address almost always means the district, not 坪山街道 or 坪山社区.
const districtName = "坪山区"

var districtAliases = []string{"坪山区", "坪山新区", "坪山"}
