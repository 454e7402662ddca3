// Package demo writes the demo district: 坪山区 in its "1+6+23+N"
// structure — the district centre, 6 streets, 23 communities, its
// departments and public-service enterprises — with one user per role per
// unit, a channel token, and a few hundred appeals in every state with
// realistic Chinese text and timelines. It is demo data: the names of
// streets and communities are the public ones, everything else (people,
// phone numbers, addresses in detail, appeals) is invented.
package demo

import "huying"

// Password is the password of every demo user. Change it in production.
const Password = "huying2026"

// Centre is the id of the district centre.
const Centre = "ps-centre"

// street is a street with its communities.
type street struct {
	id, name    string
	communities [][2]string // id, name
}

var streets = []street{
	{"st-pingshan", "坪山街道", [][2]string{{"c-pingshan", "坪山社区"}, {"c-heping", "和平社区"}, {"c-liuhe", "六和社区"}, {"c-liulian", "六联社区"}}},
	{"st-maluan", "马峦街道", [][2]string{{"c-maluan", "马峦社区"}, {"c-pinghuan", "坪环社区"}, {"c-jiangling", "江岭社区"}, {"c-shaxue", "沙壆社区"}}},
	{"st-biling", "碧岭街道", [][2]string{{"c-biling", "碧岭社区"}, {"c-shahu", "沙湖社区"}, {"c-tangkeng", "汤坑社区"}}},
	{"st-shijing", "石井街道", [][2]string{{"c-shijing", "石井社区"}, {"c-tiantou", "田头社区"}, {"c-tianxin", "田心社区"}, {"c-jingui", "金龟社区"}}},
	{"st-kengzi", "坑梓街道", [][2]string{{"c-kengzi", "坑梓社区"}, {"c-xiuxin", "秀新社区"}, {"c-shatian", "沙田社区"}, {"c-jinsha", "金沙社区"}}},
	{"st-longtian", "龙田街道", [][2]string{{"c-longtian", "龙田社区"}, {"c-laokeng", "老坑社区"}, {"c-nanbu", "南布社区"}, {"c-zhukeng", "竹坑社区"}}},
}

// departments and enterprises: id, name, kind.
var departments = []huying.Unit{
	{ID: "chengguan", Name: "区城市管理和综合执法局", Kind: huying.UnitDepartment},
	{ID: "jiaotong", Name: "区交通运输局", Kind: huying.UnitDepartment},
	{ID: "zhujian", Name: "区住房和建设局", Kind: huying.UnitDepartment},
	{ID: "huanjing", Name: "市生态环境局坪山管理局", Kind: huying.UnitDepartment},
	{ID: "shuiwu", Name: "区水务局", Kind: huying.UnitDepartment},
	{ID: "jiaoyu", Name: "区教育局", Kind: huying.UnitDepartment},
	{ID: "weijian", Name: "区卫生健康局", Kind: huying.UnitDepartment},
	{ID: "shichang", Name: "市市场监督管理局坪山监管局", Kind: huying.UnitDepartment},
	{ID: "gongan", Name: "市公安局坪山分局", Kind: huying.UnitDepartment},
	{ID: "renli", Name: "区人力资源局", Kind: huying.UnitDepartment},
	{ID: "minzheng", Name: "区民政局", Kind: huying.UnitDepartment},
	{ID: "wenti", Name: "区文化广电旅游体育局", Kind: huying.UnitDepartment},
	{ID: "guihua", Name: "市规划和自然资源局坪山管理局", Kind: huying.UnitDepartment},
	{ID: "water-co", Name: "坪山水务集团（供水）", Kind: huying.UnitEnterprise},
	{ID: "power-co", Name: "坪山供电局", Kind: huying.UnitEnterprise},
	{ID: "gas-co", Name: "深圳燃气坪山分公司", Kind: huying.UnitEnterprise},
}

// Units returns the whole demo unit tree, parents first.
func Units() []huying.Unit {
	units := []huying.Unit{{ID: Centre, Name: "坪山区民生诉求分拨中心", Kind: huying.UnitCentre}}
	for _, s := range streets {
		units = append(units, huying.Unit{ID: s.id, ParentID: Centre, Name: s.name, Kind: huying.UnitStreet})
		for _, c := range s.communities {
			units = append(units, huying.Unit{ID: c[0], ParentID: s.id, Name: c[1], Kind: huying.UnitCommunity})
		}
	}
	for _, d := range departments {
		d.ParentID = Centre
		units = append(units, d)
	}
	return units
}
