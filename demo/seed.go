package demo

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"huying"
	"huying/dispatch"
	"huying/identity"
	"huying/sla"
	"huying/workflow"
)

// catalogueJSON is the demo's dispatch catalogue (派单目录) for 坪山区.
//
//go:embed catalogue.json
var catalogueJSON []byte

// Catalogue returns the demo's dispatch catalogue.
func Catalogue() (*dispatch.Catalogue, error) { return dispatch.Parse(catalogueJSON) }

// Appeals is how many appeals the demo writes.
const Appeals = 320

// TokenFile is where the demo channel's API token is written.
func TokenFile(dataDir string) string { return filepath.Join(dataDir, "demo-token.txt") }

// User names of the demo, one per role at the centre; handlers are "h-"
// plus the unit id; each community's party committee user is the
// community id (roles reporter and handler).
const (
	UserAdmin      = "admin"
	UserIntake     = "intake"
	UserDispatcher = "dispatcher"
	UserSupervisor = "supervisor"
	UserLeader     = "leader"
)

// SeedIfEmpty writes the demo district if the database has no units yet,
// reporting progress to w. It reports whether it wrote anything.
func SeedIfEmpty(ctx context.Context, svc *workflow.Service, ids *identity.Service, dataDir string, w io.Writer) (bool, error) {
	units, err := svc.Store.Units(ctx)
	if err != nil {
		return false, err
	}
	if len(units) > 0 {
		return false, nil
	}
	s := &seeder{svc: svc, ids: ids, users: map[string]huying.Actor{}, rng: rand.New(rand.NewPCG(2026, 12345)), w: w}
	realNow, autoAt, spacing := svc.Now, svc.AutoDispatchAt, svc.CallbackSpacing
	defer func() { svc.Now, svc.AutoDispatchAt, svc.CallbackSpacing = realNow, autoAt, spacing }()
	svc.AutoDispatchAt = 0 // the demo walks each appeal itself, dispatch included
	// The demo's unanswered callbacks are hours apart, not days: a day's
	// spacing would push the last appeals' history past now.
	svc.CallbackSpacing = 15 * time.Minute // each demo step is at least 20 minutes after the last
	s.clock = realNow().Add(-45 * 24 * time.Hour)
	svc.Now = func() time.Time { return s.clock }
	if err := s.units(ctx); err != nil {
		return false, err
	}
	if err := s.people(ctx); err != nil {
		return false, err
	}
	cat, err := Catalogue()
	if err != nil {
		return false, err
	}
	if _, err := svc.SetCatalogue(ctx, huying.Actor{}, cat); err != nil {
		return false, fmt.Errorf("demo catalogue: %w", err)
	}
	if err := s.knowledge(ctx); err != nil {
		return false, err
	}
	// The demo's 小程序 files through the JSON API and through Open311.
	token, _, err := ids.CreateToken(ctx, huying.Actor{}, identity.NewToken{Name: "演示小程序渠道", Channel: "小程序",
		Scopes: []huying.Scope{huying.ScopeIntake, huying.ScopeRead, huying.ScopeOpen311}})
	if err != nil {
		return false, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return false, err
	}
	if err := os.WriteFile(TokenFile(dataDir), []byte(token+"\n"), 0o600); err != nil {
		return false, err
	}
	if err := s.appeals(ctx, realNow()); err != nil {
		return false, err
	}
	fmt.Fprintf(w, "演示数据：%d 个单位，%d 个用户，%d 条知识库，%d 件诉求。\n", len(Units()), len(s.users), len(s.articles), Appeals)
	return true, nil
}

type seeder struct {
	svc   *workflow.Service
	ids   *identity.Service
	users map[string]huying.Actor
	rng   *rand.Rand
	clock time.Time
	w     io.Writer
	// open lists codes of appeals still open, as merge targets.
	open []string
	// articles are the demo's knowledge base, for direct answers.
	articles []*huying.Article
}

func (s *seeder) units(ctx context.Context) error {
	for _, u := range Units() {
		if err := s.ids.CreateUnit(ctx, huying.Actor{}, u); err != nil {
			return fmt.Errorf("unit %s: %w", u.ID, err)
		}
	}
	return nil
}

type person struct {
	username, name, unit string
	roles                []huying.Role
}

// people are the demo's staff accounts.
func people() []person {
	people := []person{
		{UserAdmin, "系统管理员", Centre, []huying.Role{huying.RoleAdmin}},
		{UserIntake, "受理员王芳", Centre, []huying.Role{huying.RoleIntake}},
		{UserDispatcher, "分拨员李强", Centre, []huying.Role{huying.RoleDispatcher}},
		{UserSupervisor, "督办员陈静", Centre, []huying.Role{huying.RoleSupervisor}},
		{UserLeader, "区领导赵明", Centre, []huying.Role{huying.RoleLeader}},
	}
	for _, u := range Units() {
		switch u.Kind {
		case huying.UnitDepartment, huying.UnitEnterprise, huying.UnitStreet:
			people = append(people, person{"h-" + u.ID, u.Name + "承办人", u.ID, []huying.Role{huying.RoleHandler}})
		case huying.UnitCommunity:
			people = append(people, person{u.ID, u.Name + "党委", u.ID, []huying.Role{huying.RoleReporter, huying.RoleHandler}})
		}
	}
	return people
}

// Usernames are the login names of the demo's staff accounts, which all
// start with Password (serve refuses to run outside --demo while one does).
func Usernames() []string {
	var names []string
	for _, p := range people() {
		names = append(names, p.username)
	}
	return names
}

func (s *seeder) people(ctx context.Context) error {
	people := people()
	fmt.Fprintf(s.w, "写入 %d 个演示用户…\n", len(people))
	for i, p := range people {
		phone := fmt.Sprintf("1390755%04d", i) // invented numbers for the demo's staff notices
		u, err := s.ids.CreateUser(ctx, huying.Actor{}, identity.NewUser{Username: p.username, Name: p.name, Password: Password, UnitID: p.unit, Roles: p.roles, Phone: phone, DemoPassword: true})
		if err != nil {
			return fmt.Errorf("user %s: %w", p.username, err)
		}
		s.users[p.username] = huying.Actor{User: u}
	}
	return nil
}

// statusWeights says how many demo appeals end in each status.
var statusWeights = []struct {
	status huying.Status
	n      int
}{
	{huying.StatusArchived, 76}, {huying.StatusRated, 40}, {huying.StatusUnreachable, 4}, {huying.StatusReviewed, 20}, {huying.StatusReplied, 20},
	{huying.StatusHandling, 30}, {huying.StatusSigned, 20}, {huying.StatusDispatched, 25}, {huying.StatusReceived, 15},
	{huying.StatusReturned, 8}, {huying.StatusExtensionRequested, 6}, {huying.StatusTerminationRequested, 4},
	{huying.StatusTerminated, 4}, {huying.StatusAnswered, 25}, {huying.StatusRefused, 8}, {huying.StatusMerged, 15},
	{huying.StatusSplit, 3},
}

func (s *seeder) appeals(ctx context.Context, end time.Time) error {
	var plan []huying.Status
	for _, w := range statusWeights {
		for range w.n {
			plan = append(plan, w.status)
		}
	}
	s.rng.Shuffle(len(plan), func(i, j int) { plan[i], plan[j] = plan[j], plan[i] })
	start := s.clock
	step := end.Sub(start) / time.Duration(len(plan)+8)
	for i, target := range plan {
		s.clock = start.Add(time.Duration(i) * step)
		if err := s.one(ctx, target); err != nil {
			return fmt.Errorf("demo appeal %d (%s): %w", i+1, target, err)
		}
		if (i+1)%80 == 0 {
			fmt.Fprintf(s.w, "已写入 %d/%d 件演示诉求…\n", i+1, len(plan))
		}
	}
	return nil
}

// one writes one appeal and walks it to target.
func (s *seeder) one(ctx context.Context, target huying.Status) error {
	t := s.topicFor(target)
	st := streets[s.rng.IntN(len(streets))]
	comm := st.communities[s.rng.IntN(len(st.communities))]
	place := fmt.Sprintf("坪山区%s%s%s%d号", st.name, comm[1], roads[s.rng.IntN(len(roads))], 1+s.rng.IntN(300))
	if s.rng.IntN(2) == 0 {
		place = fmt.Sprintf("坪山区%s%s%s", st.name, comm[1], estates[s.rng.IntN(len(estates))])
	}
	text := strings.ReplaceAll(t.texts[s.rng.IntN(len(t.texts))], "{place}", place)
	in := huying.Intake{
		Type: t.typ, Channel: huying.Channels[s.rng.IntN(6)], Content: text, Address: place,
		ContactName:  surnames[s.rng.IntN(len(surnames))] + givenNames[s.rng.IntN(len(givenNames))],
		ContactPhone: fmt.Sprintf("1%d%09d", 3+s.rng.IntN(7), s.rng.IntN(1_000_000_000)),
		Confidential: t.typ == huying.TypeReport && s.rng.IntN(2) == 0,
	}
	if s.rng.IntN(20) == 0 {
		in.Urgency = huying.UrgencyUrgent
	}
	who := UserIntake
	if in.Channel == "网格上报" {
		who = comm[0]
	}
	a, _, err := s.svc.Receive(ctx, s.users[who], in, "")
	if err != nil {
		return err
	}
	lead := t.unit
	if lead == "street" {
		lead = st.id
	}
	for _, stp := range s.path(target, a, lead, t.category) {
		s.clock = s.clock.Add(time.Duration(20+s.rng.IntN(360)) * time.Minute)
		if a, err = s.svc.Act(ctx, s.users[stp.who], a.ID, stp.cmd, stp.in); err != nil {
			return fmt.Errorf("%s: %w", stp.cmd, err)
		}
	}
	if a.Status.Open() && a.Status != huying.StatusReceived {
		s.open = append(s.open, a.Code)
	}
	return nil
}

// topicFor picks a topic that can reach target: consultations for direct
// answers, anything else for dispatch.
func (s *seeder) topicFor(target huying.Status) topic {
	for {
		t := topics[s.rng.IntN(len(topics))]
		if (t.typ == huying.TypeConsult) == (target == huying.StatusAnswered) || target == huying.StatusReceived || target == huying.StatusRefused || target == huying.StatusMerged {
			return t
		}
	}
}

type step struct {
	who string
	cmd huying.Command
	in  workflow.Action
}

// path returns the commands that bring a fresh appeal to target, with
// realistic variety: some orders are first returned and re-dispatched, some
// are redone after an unsatisfied rating.
func (s *seeder) path(target huying.Status, a *huying.Appeal, lead, category string) []step {
	handler := "h-" + lead
	if strings.HasPrefix(lead, "c-") {
		handler = lead
	}
	wrong := "st-pingshan"
	if lead == wrong {
		wrong = "chengguan"
	}
	dispatch := []step{{UserDispatcher, huying.CmdDispatch, workflow.Action{LeadUnitID: lead, Category: category}}}
	if s.rng.IntN(8) == 0 {
		dispatch = []step{
			{UserDispatcher, huying.CmdDispatch, workflow.Action{LeadUnitID: wrong}},
			{"h-" + wrong, huying.CmdReturn, workflow.Action{Reason: "职能不符", Note: "该事项不属于本单位职责，请改派。"}},
			{UserDispatcher, huying.CmdArbitrate, workflow.Action{Decision: workflow.DecisionReassign, LeadUnitID: lead, Category: category, Note: "按派单目录改派。"}},
		}
	}
	sign := step{handler, huying.CmdSign, workflow.Action{}}
	contact := step{handler, huying.CmdContact, workflow.Action{Method: "电话", Note: "已电话联系诉求人，了解具体情况并约定现场查看时间。"}}
	note := step{handler, huying.CmdNote, workflow.Action{Note: "已安排工作人员到现场核查。"}}
	reply := step{handler, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "经现场核查，问题已处理完毕，已向诉求人反馈办理结果。"}}
	review := step{UserDispatcher, huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept}}
	rating := huying.Rating{Satisfaction: huying.Satisfied, Speed: 5, Effect: 5, Experience: 5, ReplyQuality: 5}
	if s.rng.IntN(4) == 0 {
		rating = huying.Rating{Satisfaction: huying.BasicSatisfied, Speed: 4, Effect: 3, Experience: 4, ReplyQuality: 4}
	}
	rate := step{UserIntake, huying.CmdRate, workflow.Action{Rating: &rating}}
	handled := append(append([]step{}, dispatch...), sign, contact, note)
	closed := append(append([]step{}, handled...), reply, review)
	if s.rng.IntN(10) == 0 {
		unhappy := huying.Rating{Satisfaction: huying.Unsatisfied, Speed: 2, Effect: 1, Experience: 2, ReplyQuality: 2, Comment: "问题没有真正解决。"}
		closed = append(closed, step{UserIntake, huying.CmdRate, workflow.Action{Rating: &unhappy}}, sign,
			step{handler, huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "重办：已彻底整改并回访确认。"}}, review)
	}
	terminate := step{handler, huying.CmdRequestTermination, workflow.Action{Note: "诉求人多次联系不上，无法核实具体位置。"}}
	switch target {
	case huying.StatusAnswered:
		return []step{s.answer(a.Content)}
	case huying.StatusRefused:
		return []step{{UserIntake, huying.CmdRefuse, workflow.Action{Reason: "告知法定途径", Note: "该事项属于劳动仲裁范围，已告知诉求人向劳动人事争议仲裁委员会申请仲裁。"}}}
	case huying.StatusMerged:
		if len(s.open) == 0 {
			return nil
		}
		return []step{{UserDispatcher, huying.CmdMerge, workflow.Action{TargetCode: s.open[len(s.open)-1], Note: "同一地点同一问题，并单处理。"}}}
	case huying.StatusReceived:
		return nil
	case huying.StatusSplit:
		// A second matter in the same call: the first part goes to the
		// topic's unit at once, the second waits in the dispatch queue.
		other := topics[s.rng.IntN(len(topics))]
		more := strings.ReplaceAll(other.texts[s.rng.IntN(len(other.texts))], "{place}", a.Address)
		return []step{{UserDispatcher, huying.CmdSplit, workflow.Action{Note: "来电反映两项事项，拆分分别办理。",
			Parts: []workflow.SplitPart{{Content: a.Content, LeadUnitID: lead}, {Content: "另反映：" + more}}}}}
	case huying.StatusDispatched:
		return dispatch
	case huying.StatusSigned:
		return append(dispatch, sign)
	case huying.StatusHandling:
		return handled
	case huying.StatusReturned:
		return []step{{UserDispatcher, huying.CmdDispatch, workflow.Action{LeadUnitID: wrong}},
			{"h-" + wrong, huying.CmdReturn, workflow.Action{Reason: "属地不符", Note: "事发地不在本辖区。"}}}
	case huying.StatusExtensionRequested:
		// Five working days past the handling deadline: within the one
		// extension the profile allows (10 working days).
		due := a.ReceivedAt.Add(40 * 24 * time.Hour)
		if p, err := s.svc.SLA.Profile(sla.Key{Type: string(a.Type), Urgency: string(a.Urgency)}); err == nil {
			if d, err := sla.Compute(p, s.svc.Calendar, sla.StageClose, a.ReceivedAt); err == nil {
				due = s.svc.Calendar.AddWorkdays(d.DueAt, 5).UTC()
			}
		}
		return append(handled, step{handler, huying.CmdRequestExtension, workflow.Action{DueAt: &due, Note: "需协调多个部门并申请专项资金，申请延期。"}})
	case huying.StatusTerminationRequested:
		return append(append(dispatch, sign), terminate)
	case huying.StatusTerminated:
		return append(append(dispatch, sign), terminate, step{UserDispatcher, huying.CmdDecideTermination, workflow.Action{Decision: workflow.DecisionApprove}})
	case huying.StatusReplied:
		return append(handled, reply)
	case huying.StatusReviewed:
		return closed
	case huying.StatusRated:
		return append(closed, rate)
	case huying.StatusUnreachable:
		miss := step{UserIntake, huying.CmdRate, workflow.Action{Outcome: huying.CallbackUnreached, Note: "电话无人接听。"}}
		for range huying.DefaultCallbackAttempts {
			closed = append(closed, miss)
		}
		return closed
	case huying.StatusArchived:
		return append(closed, rate, step{UserDispatcher, huying.CmdArchive, workflow.Action{}})
	}
	return nil
}

var (
	surnames   = []string{"陈", "李", "张", "黄", "刘", "林", "吴", "王", "郑", "谢", "何", "曾", "叶", "罗", "邓"}
	givenNames = []string{"伟", "芳", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "建华", "志强", "丽娟", "海燕"}
)
