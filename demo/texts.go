package demo

import "huying"

// topic is a kind of appeal the demo writes: the department that handles
// it, its type, and texts with {place} for the address.
type topic struct {
	unit     string
	typ      huying.AppealType
	category string // the dispatch category path the dispatcher confirms
	texts    []string
}

var roads = []string{"深汕路", "坪山大道", "东纵路", "金牛西路", "丹梓大道", "龙兴南路", "锦绣中路", "宝梓北路", "兰景北路", "翠景路", "比亚迪路", "青松西路", "新和路", "行政一路", "立新路"}

var estates = []string{"和悦花园", "六和城", "金地朗悦", "中海锦城", "万科金域缇香", "龙光玖云著", "振业城", "京基御景印象", "招商东城华府", "星河传奇", "合正汇一城", "绿景翠庭"}

var topics = []topic{
	{"chengguan", huying.TypeComplaint, "城乡建设/城市建设和市政管理", []string{
		"{place}路边每天晚上都有人占道经营摆卖烧烤，油烟很大，占用人行道，行人只能走机动车道，希望城管加强巡查。",
		"{place}附近一处空地堆满建筑垃圾和生活垃圾，已经一个多月没人清理，天气热了气味难闻，蚊虫很多。",
		"{place}有商户把广告牌和货物摆到店外，占了大半个人行道，推婴儿车都过不去，请相关部门处理。",
	}},
	{"jiaotong", huying.TypeSuggestion, "交通运输", []string{
		"{place}公交站台没有遮雨棚，下雨天等车的老人小孩都淋雨，建议加装候车亭。",
		"建议在{place}增设一条到坪山高铁站的公交线路，现在早晚高峰要换乘两次，很不方便。",
	}},
	{"jiaotong", huying.TypeComplaint, "交通运输", []string{
		"{place}的公交车经常不按时刻表发车，早上七点多等了四十分钟才来一辆，上班都迟到。",
	}},
	{"zhujian", huying.TypeComplaint, "城乡建设/工程质量", []string{
		"{place}旁边的工地晚上十一点以后还在施工，打桩机噪音非常大，严重影响周边居民休息，请尽快查处。",
		"{place}工地出入口车辆带泥上路，道路上全是泥浆和扬尘，晴天灰尘满天飞。",
	}},
	{"huanjing", huying.TypeReport, "环境保护", []string{
		"{place}附近的工厂夜里排放刺鼻的废气，闻着头晕，怀疑偷排，请环保部门夜间突击检查。",
		"{place}旁边河道里有不明污水排入，水面发黑发臭，怀疑有企业偷排，请核查。",
	}},
	{"shuiwu", huying.TypeHelp, "城乡建设/城市建设和市政管理", []string{
		"{place}的下水道堵塞，下雨时污水倒灌进一楼商铺，已经反映过物业但解决不了，请水务部门帮忙疏通。",
		"{place}路面一到下大雨就积水，水深到小腿，车辆和行人都无法通行，希望改造排水管网。",
	}},
	{"water-co", huying.TypeHelp, "城乡建设/城市建设和市政管理/自来水供应", []string{
		"{place}从今天早上开始停水，没有收到任何停水通知，家里有老人小孩，请尽快恢复供水。",
		"{place}自来水水压很低，高楼层基本没水，已经持续一周了。",
	}},
	{"power-co", huying.TypeHelp, "城乡建设/城市建设和市政管理/电力供应", []string{
		"{place}这个月已经停电三次，每次都没有提前通知，冰箱里的东西都坏了，请供电部门排查线路。",
	}},
	{"gas-co", huying.TypeHelp, "城乡建设/城市建设和市政管理/燃气供应", []string{
		"{place}楼道里能闻到燃气味，担心管道漏气，请燃气公司尽快派人检查。",
	}},
	{"jiaoyu", huying.TypeConsult, "教育文体", []string{
		"请问孩子今年秋季上小学一年级，住在{place}，对应的学区是哪所学校？需要准备哪些材料？",
		"咨询一下坪山区公办幼儿园的报名时间和积分规则，住在{place}，租房能报名吗？",
	}},
	{"weijian", huying.TypeComplaint, "卫生计生", []string{
		"{place}的一家诊所没有公示收费标准，输液收费明显偏高，怀疑无证行医，请卫健部门核查。",
	}},
	{"shichang", huying.TypeComplaint, "商贸旅游", []string{
		"在{place}的超市买到已经过期三天的牛奶，找商家理论对方拒绝退换，请市场监管部门处理。",
		"{place}的一家培训机构收了一年学费后关门跑路，几十位家长的钱退不回来。",
	}},
	{"gongan", huying.TypeComplaint, "交通运输", []string{
		"{place}小区门口长期有车辆乱停乱放，堵住消防通道，物业管不了，请交警处理。",
	}},
	{"renli", huying.TypeHelp, "劳动和社会保障", []string{
		"我在{place}附近的一家电子厂上班，公司已经拖欠三个月工资，二十多名工友都没拿到钱，请求帮助追讨。",
	}},
	{"renli", huying.TypeConsult, "劳动和社会保障", []string{
		"咨询灵活就业人员在坪山怎么参加社保，住在{place}，需要去哪里办理？",
	}},
	{"minzheng", huying.TypeConsult, "劳动和社会保障", []string{
		"家里老人八十岁了，住在{place}，请问怎么申请高龄津贴？需要哪些材料？",
	}},
	{"wenti", huying.TypeComplaint, "教育文体", []string{
		"{place}广场每天晚上跳广场舞，音响开得很大，一直到十点多，附近居民无法休息。",
	}},
	{"guihua", huying.TypeSuggestion, "城乡建设/城乡规划", []string{
		"建议在{place}附近规划建设一个社区公园，周边几个小区几万居民没有休闲活动的地方。",
	}},
	// Community matters go to the street (直派 with a copy to the district centre).
	{"street", huying.TypeHelp, "城乡建设/城市建设和市政管理/小区管理", []string{
		"{place}小区电梯经常故障停运，楼上住着好几位行动不便的老人，物业一直拖着不修，请街道协调。",
		"{place}小区物业擅自把公共绿地改成收费停车位，业主多次反映无果，请街道和社区介入。",
		"{place}老旧小区楼道灯坏了很久没人修，晚上上下楼很危险。",
	}},
}
