package demo

import (
	"context"
	"fmt"

	"huying"
	"huying/knowledge"
	"huying/workflow"
)

// articles are the demo's knowledge base (知识库): the questions 坪山区's
// residents ask most, with answer scripts (答复口径) as a centre keeps them.
// They are demo data: the channels named are the real ones of Shenzhen, the
// details a real centre would take from each unit's current rules.
var articles = []knowledge.ArticleInput{
	{UnitID: "jiaoyu", Category: "教育文体/义务教育", Question: "孩子上小学一年级的学位怎么申请？对应哪所学校？",
		Keywords: []string{"小学", "一年级", "学位", "学区", "入学"},
		Answer:   "坪山区义务教育阶段学位实行网上申请：每年春季关注「坪山教育」公众号发布的招生公告，在深圳市义务教育招生服务平台填报，按住房、户籍、社保等情况积分排序派位；各校招生范围以当年公布的学区划分为准。所需材料一般为户口簿、房产或租赁凭证、父母社保记录，具体以当年公告为准。"},
	{UnitID: "jiaoyu", Category: "教育文体/学前教育", Question: "公办幼儿园什么时候报名？租房可以报名吗？",
		Keywords: []string{"幼儿园", "报名", "积分", "租房", "学前"},
		Answer:   "坪山区公办幼儿园一般在每年5月前后统一网上报名，以「坪山教育」公众号的招生公告为准；非深户、租房家庭可以报名，需提供有效的租赁凭证、居住登记和社保记录，按积分规则排序录取。"},
	{UnitID: "renli", Category: "劳动和社会保障/社会保险", Question: "灵活就业人员怎么参加社保？",
		Keywords: []string{"灵活就业", "社保", "参保", "自由职业"},
		Answer:   "深户灵活就业人员可通过「i深圳」App、「深圳社保」公众号或到坪山区社保服务窗口办理个人参保登记，按月缴纳养老、医疗保险；非深户灵活就业人员参保条件以深圳市社会保险基金管理局现行规定为准。"},
	{UnitID: "renli", Category: "劳动和社会保障/就业", Question: "失业保险金怎么申领？",
		Keywords: []string{"失业保险金", "失业金", "失业"},
		Answer:   "非因本人意愿中断就业、已办理失业登记并有求职要求、缴纳失业保险满一年的，可在「广东政务服务网」或「粤省事」小程序在线申领失业保险金，也可到坪山区人力资源局服务窗口办理。"},
	{UnitID: "renli", Category: "劳动和社会保障/劳动关系", Question: "公司拖欠工资该怎么办？",
		Keywords: []string{"拖欠工资", "欠薪", "工资"},
		Answer:   "可向坪山区劳动监察部门投诉（须提供劳动合同、工资条、考勤记录等证据），也可向坪山区劳动人事争议仲裁委员会申请仲裁；群体性欠薪请直接拨打12345登记，中心将派劳动监察部门处理。"},
	{UnitID: "minzheng", Category: "劳动和社会保障/社会福利", Question: "老人的高龄津贴怎么申请？",
		Keywords: []string{"高龄津贴", "高龄", "老人津贴", "八十岁"},
		Answer:   "年满80周岁的深圳户籍老人可申请高龄津贴：本人或家属持身份证、户口簿和银行卡到户籍所在社区党群服务中心申请，也可在「i深圳」App在线申请，经街道审核后按月发放。"},
	{UnitID: "minzheng", Category: "劳动和社会保障/社会救助", Question: "低保怎么申请？",
		Keywords: []string{"低保", "最低生活保障", "救助"},
		Answer:   "家庭人均收入低于深圳市最低生活保障标准的深圳户籍家庭，可向户籍所在街道办事处（或社区党群服务中心代收）提出申请，提交身份证、户口簿、收入和财产情况说明，经核对、公示后审批。"},
	{UnitID: "gas-co", Category: "城乡建设/城市建设和市政管理/燃气供应", Question: "燃气费怎么缴纳？",
		Keywords: []string{"燃气费", "燃气缴费", "气费"},
		Answer:   "可通过「深圳燃气」微信公众号、支付宝或微信的生活缴费、银行代扣，或到深圳燃气坪山营业厅缴纳燃气费。"},
	{UnitID: "gas-co", Category: "城乡建设/城市建设和市政管理/燃气供应", Question: "家里想开通管道燃气怎么办理？",
		Keywords: []string{"开通燃气", "通气", "管道燃气", "点火"},
		Answer:   "已完成燃气管道安装的住户，可通过「深圳燃气」公众号或拨打深圳燃气客服热线预约开户通气，带身份证和房产或租赁证明，工作人员上门检查后点火通气。"},
	{UnitID: "water-co", Category: "城乡建设/城市建设和市政管理/供水", Question: "水费怎么交？可以查询用水量吗？",
		Keywords: []string{"水费", "交水费", "用水量"},
		Answer:   "可通过坪山水务集团公众号、支付宝或微信的生活缴费缴纳水费，并可在公众号中查询每月用水量和账单；对水量有疑问的，可在公众号申请抄表复核。"},
	{UnitID: "power-co", Category: "城乡建设/城市建设和市政管理/供电", Question: "电费怎么交？停电了去哪里查？",
		Keywords: []string{"电费", "交电费", "停电"},
		Answer:   "可通过「南方电网95598」App、「南网在线」小程序或支付宝、微信生活缴费缴纳电费；计划停电信息可在「南网在线」查询，突发停电可拨打95598报修。"},
	{UnitID: "weijian", Category: "卫生计生/医疗保障", Question: "新生儿怎么参加医保？",
		Keywords: []string{"新生儿", "医保", "参保", "宝宝"},
		Answer:   "新生儿出生后可在「深圳医保」公众号或「i深圳」App办理少儿医保参保登记，在规定时间内参保的，出生之日起发生的医疗费用可按规定报销。"},
	{UnitID: Centre, Category: "公安/户籍", Question: "深圳居住证怎么办理？",
		Keywords: []string{"居住证", "居住登记"},
		Answer:   "在深圳居住并已办理居住登记、有合法稳定就业或住所的人员，可通过「i深圳」App或「深圳公安」公众号在线申领居住证，也可到社区居住登记服务站办理。"},
	{UnitID: Centre, Category: "城乡建设/住房保障", Question: "住房公积金怎么提取？",
		Keywords: []string{"公积金", "提取"},
		Answer:   "购房、租房、偿还房贷等情形可提取住房公积金：可通过「深圳公积金」公众号、「i深圳」App在线办理，或到深圳市住房公积金管理中心坪山管理部窗口办理。"},
	{UnitID: "jiaotong", Category: "交通运输/公共交通", Question: "老年人乘坐公交可以免费吗？怎么办理？",
		Keywords: []string{"老年人", "免费乘车", "公交", "敬老卡"},
		Answer:   "符合条件的老年人可凭身份证或敬老卡免费或优惠乘坐深圳公交，年龄条件、适用线路和办理方式以深圳市交通运输局现行规定为准，可拨打12345转交通运输部门进一步咨询。"},
	{UnitID: "chengguan", Category: "城乡建设/城市建设和市政管理/环境卫生", Question: "大件垃圾怎么处理？垃圾分类投放时间是几点？",
		Keywords: []string{"大件垃圾", "垃圾分类", "投放时间", "垃圾"},
		Answer:   "小区大件垃圾请投放到小区指定的大件垃圾临时堆放点，或拨打所在物业或社区电话预约清运；生活垃圾集中投放时间一般为早7:00—9:00、晚19:00—21:00，以各小区公示为准。"},
}

// knowledge writes the demo's articles and keeps them for the answers the
// demo gives.
func (s *seeder) knowledge(ctx context.Context) error {
	kb := knowledge.New(s.svc.Store)
	kb.Now = s.svc.Now
	for _, in := range articles {
		a, err := kb.Create(ctx, huying.Actor{}, in)
		if err != nil {
			return fmt.Errorf("demo article %q: %w", in.Question, err)
		}
		s.articles = append(s.articles, a)
	}
	return nil
}

// answer is the direct answer the demo gives to a consultation: from the
// best article, when one matches.
func (s *seeder) answer(content string) step {
	if best := knowledge.Rank(s.articles, content, s.clock, 1); len(best) > 0 {
		return step{UserIntake, huying.CmdAnswer, workflow.Action{Note: best[0].Article.Answer, ArticleID: best[0].Article.ID}}
	}
	return step{UserIntake, huying.CmdAnswer, workflow.Action{Note: "已向诉求人解答相关政策和办理流程。"}}
}
