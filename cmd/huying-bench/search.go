package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"huying"
	"huying/internal/sqlstore"
)

// The generated appeals' text is a place, an issue and a detail, each taken
// from these lists by the row number, so that every word of the queries
// below is in a known share of the rows (an issue word in 1 to 5 %, a road
// in 1/len(benchRoads)).
var (
	benchRoads = []string{"龙田路", "东纵路", "和平路", "坪山大道", "深汕路", "锦龙大道", "丹梓大道", "金牛路", "翠景路", "兰竹路",
		"宝山路", "六联路", "江岭路", "竹坑路", "沙湖路", "碧岭路", "石井路", "汤坑路", "马峦路", "新和路"}
	benchIssues = []string{
		"楼下饭店油烟直排，熏得住户无法开窗", "夜间施工噪音扰民，影响休息", "小区路灯连续多晚不亮", "片区突然停水，没有提前通知",
		"商铺占道经营，影响行人通行", "垃圾桶满溢无人清运，气味很大", "暴雨后路面积水严重", "楼顶违建加盖，存在安全隐患",
		"电梯经常故障困人", "物业不作为，公共区域脏乱", "共享单车乱停乱放堵塞人行道", "井盖缺失，夜间行人容易踩空",
		"绿化带杂草丛生，蚊虫很多", "燃气管道有异味，担心泄漏", "供电不稳经常跳闸", "学位申请流程咨询",
		"社保卡补办需要什么材料", "公交站台破损无人维修", "餐馆油烟机噪音很大", "广场舞音响声音太大",
		"工地渣土车洒漏污染路面", "河道漂浮垃圾发黑发臭", "违规停车占用消防通道", "小区水压不足高层没水",
		"宠物狗不拴绳，吓到小孩", "空调外机滴水扰民", "人行道地砖松动", "路口信号灯时间太短",
		"公厕无人保洁", "快递柜收费不合理", "出租屋群租存在隐患", "树木倒伏压住车辆",
		"污水井冒水", "烧烤摊夜间油烟噪音", "装修噪音周末不停", "楼道堆放杂物堵塞通道",
		"道路坑洼不平", "垃圾分类投放点太远", "学校门口交通拥堵", "医保报销政策咨询",
	}
	benchDetails = []string{"希望尽快处理。", "已经反映多次。", "请相关部门核实。", "影响附近居民生活。", "周边老人小孩很多。",
		"晚上十点以后最严重。", "持续一周了。", "请派人到现场查看。"}
	benchNames = []string{"张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴"}
	// benchWords are the words of the word queries: two characters (most
	// Chinese searches), one, three and four, each in a known share of the rows.
	benchWords = []string{"油烟", "噪音", "路灯", "停水", "占道经营", "垃圾", "积水", "违建", "电梯", "物业", "井盖", "燃气",
		"跳闸", "学位", "社保", "渣土车", "消防通道", "水压", "空调", "信号灯", "群租", "污水", "装修", "坑洼", "医保"}
)

// benchPhonePool is how many distinct phone numbers the generated appeals
// share (four appeals a caller at a million).
const benchPhonePool = 250_000

// runSearch fills a database with n appeals of varied text, callers and
// places, and times a mix of searches: a full phone, its last four digits,
// words, and words with filters.
func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("search", stderr)
	n := fs.Int("appeals", 1_000_000, "诉求数")
	queries := fs.Int("queries", 200, "每类查询的次数")
	pg := fs.Bool("pg", false, "在临时 PostgreSQL 集群上测试（否则用临时 SQLite）")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := fs.Parse(args); err != nil {
		return helpOK(err)
	}
	if *n < 1000 || *n > 5_000_000 || *queries < 1 || *queries > 100_000 {
		return fmt.Errorf("--appeals 须在 1000 到 500 万之间，--queries 须在 1 到 10 万之间")
	}
	bs, err := openBenchStore(ctx, *pg, "huying-bench-search-")
	if err != nil {
		return err
	}
	defer bs.Stop()
	db, name := bs.DB, bs.Name
	now := time.Now().UTC().Truncate(time.Second)
	fmt.Fprintf(stderr, "写入 %d 件诉求（%s）…\n", *n, name)
	t0 := time.Now()
	if err := fillSearch(ctx, db, *n, now); err != nil {
		return fmt.Errorf("写入测试数据：%w", err)
	}
	fill := time.Since(t0)
	fmt.Fprintf(stderr, "写入 %s；建立电话与全文索引…\n", fill.Round(time.Millisecond))
	t1 := time.Now()
	if err := db.IndexAfter(ctx, 0); err != nil {
		return fmt.Errorf("建立索引：%w", err)
	}
	analyze := `ANALYZE`
	if *pg {
		analyze = `VACUUM ANALYZE appeals` // also moves the GIN index's pending list into the index
	}
	if _, err := db.W.ExecContext(ctx, analyze); err != nil {
		return err
	}
	index := time.Since(t1)
	fmt.Fprintf(stderr, "索引 %s；每类查询 %d 次…\n", index.Round(time.Millisecond), *queries)

	rng := rand.New(rand.NewPCG(12, 345))
	word := func() string { return benchWords[rng.IntN(len(benchWords))] }
	kinds := []struct {
		name   string
		filter func() huying.AppealFilter
	}{
		{"phone", func() huying.AppealFilter {
			return huying.AppealFilter{Phone: benchPhone((rng.IntN(*n) + 1) * 7919 % benchPhonePool)} // a caller's number
		}},
		{"last four", func() huying.AppealFilter { return huying.AppealFilter{Phone: fmt.Sprintf("%04d", rng.IntN(10000))} }},
		{"one word", func() huying.AppealFilter { return huying.AppealFilter{Query: word()} }},
		{"two words", func() huying.AppealFilter {
			return huying.AppealFilter{Query: word() + " " + benchRoads[rng.IntN(len(benchRoads))]}
		}},
		{"words + filters", func() huying.AppealFilter {
			f := huying.AppealFilter{Query: word()}
			switch rng.IntN(4) {
			case 0:
				f.Type = huying.AppealTypes[rng.IntN(len(huying.AppealTypes))]
			case 1:
				f.Statuses = []huying.Status{huying.StatusHandling, huying.StatusSigned}
			case 2:
				f.ReceivedFrom, f.ReceivedTo = now.Add(-30*24*time.Hour), now
			default:
				f.Street, f.Sort, f.Desc = fmt.Sprintf("street-%d", rng.IntN(6)), huying.SortReceived, true
			}
			return f
		}},
	}
	type result struct {
		Kind    string  `json:"kind"`
		Queries int     `json:"queries"`
		P50ms   float64 `json:"p50_ms"`
		P99ms   float64 `json:"p99_ms"`
		MaxMs   float64 `json:"max_ms"`
		AvgRows float64 `json:"avg_total"`
	}
	var results []result
	var every []time.Duration
	for _, k := range kinds {
		for range 10 { // warm the caches and the statement cache
			if _, _, err := db.Appeals(ctx, k.filter()); err != nil {
				return err
			}
		}
		var took []time.Duration
		rows := 0
		for range *queries {
			f := k.filter()
			t := time.Now()
			list, total, err := db.Appeals(ctx, f)
			took = append(took, time.Since(t))
			if err != nil {
				return fmt.Errorf("%s %+v: %w", k.name, f, err)
			}
			if total > 0 && len(list) == 0 {
				return fmt.Errorf("%s %+v: total %d, no rows", k.name, f, total)
			}
			rows += total
		}
		every = append(every, took...)
		p50, p99, mx := percentiles(took)
		results = append(results, result{k.name, len(took), p50, p99, mx, float64(rows) / float64(len(took))})
	}
	p50, p99, mx := percentiles(every)
	results = append(results, result{"all", len(every), p50, p99, mx, 0})
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"db": name, "appeals": *n, "fill_seconds": fill.Seconds(),
			"index_seconds": index.Seconds(), "results": results})
	}
	fmt.Fprintf(stdout, "%s: %d appeals (written in %s, indexed in %s), page of 50 with the total\n", name, *n,
		fill.Round(time.Second), index.Round(time.Second))
	for _, r := range results {
		fmt.Fprintf(stdout, "  %-16s %5d queries  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  avg total %.0f\n",
			r.Kind, r.Queries, r.P50ms, r.P99ms, r.MaxMs, r.AvgRows)
	}
	return nil
}

// benchPhone is the k-th phone number of the pool.
func benchPhone(k int) string { return fmt.Sprintf("139%08d", k) }

// percentiles returns the p50, p99 and maximum of d in milliseconds.
func percentiles(d []time.Duration) (p50, p99, mx float64) {
	s := slices.Clone(d)
	slices.Sort(s)
	ms := func(x time.Duration) float64 { return float64(x.Microseconds()) / 1000 }
	return ms(s[len(s)/2]), ms(s[(len(s)*99)/100]), ms(s[len(s)-1])
}

// fillSearch writes n appeals in SQL: the text from the lists above by row
// number, the phone the (n·7919 mod pool)-th of benchPhonePool, six streets,
// every type, status and channel, received over the year before now.
func fillSearch(ctx context.Context, db *sqlstore.DB, n int, now time.Time) error {
	for _, l := range []struct {
		table string
		texts []string
	}{{"bench_road", benchRoads}, {"bench_issue", benchIssues}, {"bench_detail", benchDetails}, {"bench_name", benchNames}} {
		if _, err := db.W.ExecContext(ctx, `CREATE TABLE `+l.table+` (i INTEGER PRIMARY KEY, t TEXT NOT NULL)`); err != nil {
			return err
		}
		ph := make([]string, len(l.texts))
		args := make([]any, 0, 2*len(l.texts))
		for i, t := range l.texts {
			ph[i] = "(?, ?)"
			args = append(args, i, t)
		}
		q := `INSERT INTO ` + l.table + ` (i, t) VALUES ` + strings.Join(ph, ",")
		if db.Dialect.Numbered {
			q = sqlstore.Rebind(q)
		}
		if _, err := db.W.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	received := `datetime(julianday(?) - (n % 365) - (n % 1440) / 1440.0)`
	phone := `'139' || printf('%08d', (n * 7919) % ` + fmt.Sprint(benchPhonePool) + `)`
	at := any(now.UTC().Format("2006-01-02 15:04:05"))
	if db.Dialect.Numbered {
		received = `?::timestamptz - make_interval(days => (n % 365)::int, mins => (n % 1440)::int)`
		phone = `'139' || lpad(((n::bigint * 7919) % ` + fmt.Sprint(benchPhonePool) + `)::text, 8, '0')`
		at = now.UTC()
	}
	q := `INSERT INTO appeals (code, type, urgency, channel, title, content, address, contact_name, contact_phone,
		confidential, status, version, designated, redo_count, result_class, created_by, received_at, updated_at, street)
		SELECT 'PSS' || n,
		CASE n % 5 WHEN 0 THEN '咨询' WHEN 1 THEN '求助' WHEN 2 THEN '投诉' WHEN 3 THEN '举报' ELSE '建议' END,
		CASE WHEN n % 10 = 0 THEN '紧急' ELSE '一般' END,
		CASE n % 6 WHEN 0 THEN '12345热线' WHEN 1 THEN '网站' WHEN 2 THEN '移动端' WHEN 3 THEN '小程序' WHEN 4 THEN '网格上报' ELSE '信箱' END,
		substr(s2.t, 1, 12), '坪山区' || r.t || (n % 300) || '号附近，' || s2.t || '，' || d.t, '坪山区' || r.t || (n % 300) || '号',
		m.t || '先生', ` + phone + `, n % 50 = 0,
		CASE n % 20 WHEN 12 THEN 'received' WHEN 13 THEN 'dispatched' WHEN 14 THEN 'signed' WHEN 15 THEN 'handling'
			WHEN 16 THEN 'replied' WHEN 17 THEN 'reviewed' WHEN 18 THEN 'answered' WHEN 19 THEN 'rated' ELSE 'archived' END,
		1, false, 0, '', 0, ` + received + `, ` + received + `, 'street-' || (n % 6)
		FROM s JOIN bench_road r ON r.i = n % ` + fmt.Sprint(len(benchRoads)) + `
		JOIN bench_issue s2 ON s2.i = (n / 7) % ` + fmt.Sprint(len(benchIssues)) + `
		JOIN bench_detail d ON d.i = n % ` + fmt.Sprint(len(benchDetails)) + `
		JOIN bench_name m ON m.i = (n / 3) % ` + fmt.Sprint(len(benchNames))
	args := []any{at, at}
	if db.Dialect.Numbered {
		q = sqlstore.Rebind(`WITH s(n) AS (SELECT generate_series(1, ?)) ` + q)
		args = append([]any{n}, args...)
	} else {
		q = `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?) ` + q
		args = append([]any{n}, args...)
	}
	_, err := db.W.ExecContext(ctx, q, args...)
	return err
}
