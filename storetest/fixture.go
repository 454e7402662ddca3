// Package storetest is the one conformance suite that every huying.Store
// must pass: the sqlite package runs it always, the postgres package runs it
// on a throwaway cluster. It drives the stores through the workflow, so it
// checks the SQL and the lifecycle rules together.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"huying"
	"huying/identity"
	"huying/inbox"
	"huying/knowledge"
	"huying/supervision"
	"huying/workday"
	"huying/workflow"
)

// Password is the password of every fixture user.
const Password = "fixture-password"

// Clock is a settable test clock.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.T = c.T.Add(d) }

// Fixture is a small district: a centre, a street with a community, two
// departments, and one user per role.
type Fixture struct {
	Svc   *workflow.Service
	Ids   *identity.Service
	Sup   *supervision.Service
	Know  *knowledge.Service
	Inbox *inbox.Service
	Clock *Clock
	// Actors by name: intake, dispatcher, handler_a (dept-a), handler_b
	// (dept-b), handler_street, supervisor, leader, admin, reporter.
	Actors map[string]huying.Actor
}

// Units of the fixture.
const (
	UnitCentre    = "centre"
	UnitStreet    = "street-1"
	UnitCommunity = "community-1"
	UnitDeptA     = "dept-a"
	UnitDeptB     = "dept-b"
)

// MustFixture builds the fixture on store.
func MustFixture(tb testing.TB, store huying.Store) *Fixture {
	tb.Helper()
	ctx := context.Background()
	clock := &Clock{T: time.Date(2026, 9, 28, 2, 0, 0, 0, time.UTC)} // a Monday, 10:00 in Beijing
	cal, err := workday.New(workday.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	svc := workflow.New(store, cal)
	svc.Now = clock.Now
	svc.AllowPrivateWebhooks = true // tests' receivers listen on loopback
	ids := Identity(svc)
	ids.PasswordCost = bcrypt.MinCost
	system := huying.Actor{}
	for _, u := range []huying.Unit{
		{ID: UnitCentre, Name: "区民生诉求分拨中心", Kind: huying.UnitCentre},
		{ID: UnitStreet, ParentID: UnitCentre, Name: "坪山街道", Kind: huying.UnitStreet},
		{ID: UnitCommunity, ParentID: UnitStreet, Name: "六和社区", Kind: huying.UnitCommunity},
		{ID: UnitDeptA, ParentID: UnitCentre, Name: "城管和综合执法局", Kind: huying.UnitDepartment},
		{ID: UnitDeptB, ParentID: UnitCentre, Name: "水务局", Kind: huying.UnitDepartment},
	} {
		if err := ids.CreateUnit(ctx, system, u); err != nil {
			tb.Fatalf("create unit %s: %v", u.ID, err)
		}
	}
	know := knowledge.New(store)
	know.Now = clock.Now
	f := &Fixture{Svc: svc, Ids: ids, Sup: supervision.New(svc), Know: know, Inbox: &inbox.Service{Store: store, Now: clock.Now}, Clock: clock, Actors: map[string]huying.Actor{}}
	for i, u := range []struct {
		name, unit string
		roles      []huying.Role
	}{
		{"intake", UnitCentre, []huying.Role{huying.RoleIntake}},
		{"dispatcher", UnitCentre, []huying.Role{huying.RoleDispatcher}},
		{"handler_a", UnitDeptA, []huying.Role{huying.RoleHandler}},
		{"handler_b", UnitDeptB, []huying.Role{huying.RoleHandler}},
		{"handler_street", UnitStreet, []huying.Role{huying.RoleHandler}},
		{"supervisor", UnitCentre, []huying.Role{huying.RoleSupervisor}},
		{"leader", UnitCentre, []huying.Role{huying.RoleLeader}},
		{"admin", UnitCentre, []huying.Role{huying.RoleAdmin}},
		{"reporter", UnitCommunity, []huying.Role{huying.RoleReporter}},
	} {
		phone := fmt.Sprintf("1390000%04d", i)
		user, err := ids.CreateUser(ctx, system, identity.NewUser{Username: u.name, Name: u.name, Password: Password, UnitID: u.unit, Roles: u.roles, Phone: phone})
		if err != nil {
			tb.Fatalf("create user %s: %v", u.name, err)
		}
		f.Actors[u.name] = huying.Actor{User: user}
	}
	return f
}

// Identity returns the identity service wired to svc as serve wires it:
// the same store and clock, token rates from svc's channel registry, and
// svc's cache of staff refreshed when a user changes.
func Identity(svc *workflow.Service) *identity.Service {
	ids := identity.Beside(svc.Store, svc)
	ids.Now, ids.NoticeSign = svc.Now, svc.NoticeSign
	return ids
}

// Intake returns a valid intake of the given type.
func Intake(t huying.AppealType) huying.Intake {
	return huying.Intake{
		Type: t, Channel: "12345热线", Content: "坪山街道六和社区和平路12号门前下水道堵塞，污水外溢，气味很大，希望尽快疏通。",
		Address: "坪山区坪山街道六和社区和平路12号", ContactName: "张三", ContactPhone: "13800138000",
	}
}

// MustReceive takes in an appeal as the intake agent.
func (f *Fixture) MustReceive(tb testing.TB, in huying.Intake) *huying.Appeal {
	tb.Helper()
	a, _, err := f.Svc.Receive(context.Background(), f.Actors["intake"], in, "")
	if err != nil {
		tb.Fatalf("receive: %v", err)
	}
	return a
}

// MustAct runs a command as the named actor and fails the test on error.
func (f *Fixture) MustAct(tb testing.TB, who string, a *huying.Appeal, cmd huying.Command, in workflow.Action) *huying.Appeal {
	tb.Helper()
	out, err := f.Svc.Act(context.Background(), f.Actors[who], a.ID, cmd, in)
	if err != nil {
		tb.Fatalf("%s as %s: %v", cmd, who, err)
	}
	return out
}

// Path is a legal sequence of commands that brings a fresh appeal from
// received to each status; the forbidden-transition test uses it.
func (f *Fixture) Path(status huying.Status) []Step {
	due := f.Clock.T.Add(20 * 24 * time.Hour)
	dispatch := Step{"dispatcher", huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA}}
	sign := Step{"handler_a", huying.CmdSign, workflow.Action{}}
	contact := Step{"handler_a", huying.CmdContact, workflow.Action{Method: "电话"}}
	reply := Step{"handler_a", huying.CmdReply, workflow.Action{ResultClass: huying.ResultSolved, Note: "已疏通下水道"}}
	review := Step{"dispatcher", huying.CmdReview, workflow.Action{Decision: workflow.DecisionAccept}}
	rate := Step{"intake", huying.CmdRate, workflow.Action{Rating: &huying.Rating{Satisfaction: huying.Satisfied, Speed: 5, Effect: 5, Experience: 5, ReplyQuality: 5}}}
	terminate := Step{"handler_a", huying.CmdRequestTermination, workflow.Action{Note: "诉求人拒绝配合"}}
	switch status {
	case huying.StatusReceived:
		return nil
	case huying.StatusAnswered:
		return []Step{{"intake", huying.CmdAnswer, workflow.Action{Note: "办理时间为工作日 9:00-18:00"}}}
	case huying.StatusRefused:
		return []Step{{"intake", huying.CmdRefuse, workflow.Action{Reason: "转110"}}}
	case huying.StatusMerged:
		return []Step{{"dispatcher", huying.CmdMerge, workflow.Action{TargetCode: "TARGET"}}}
	case huying.StatusSplit:
		return []Step{{"dispatcher", huying.CmdSplit, workflow.Action{Parts: []workflow.SplitPart{
			{Content: "和平路12号门前下水道堵塞，污水外溢。"}, {Content: "和平路路灯不亮，夜间出行不便。", Type: huying.TypeComplaint}}}}}
	case huying.StatusDispatched:
		return []Step{dispatch}
	case huying.StatusSigned:
		return []Step{dispatch, sign}
	case huying.StatusHandling:
		return []Step{dispatch, sign, contact}
	case huying.StatusReturned:
		return []Step{dispatch, {"handler_a", huying.CmdReturn, workflow.Action{Reason: "职能不符", Note: "不属本局职责"}}}
	case huying.StatusExtensionRequested:
		return []Step{dispatch, sign, {"handler_a", huying.CmdRequestExtension, workflow.Action{DueAt: &due, Note: "需协调多部门"}}}
	case huying.StatusTerminationRequested:
		return []Step{dispatch, sign, terminate}
	case huying.StatusTerminated:
		return []Step{dispatch, sign, terminate, {"dispatcher", huying.CmdDecideTermination, workflow.Action{Decision: workflow.DecisionApprove}}}
	case huying.StatusReplied:
		return []Step{dispatch, sign, contact, reply}
	case huying.StatusReviewed:
		return []Step{dispatch, sign, contact, reply, review}
	case huying.StatusRated:
		return []Step{dispatch, sign, contact, reply, review, rate}
	case huying.StatusArchived:
		return []Step{dispatch, sign, contact, reply, review, rate, {"dispatcher", huying.CmdArchive, workflow.Action{}}}
	}
	panic("no path to " + status)
}

// Step is one command of a Path.
type Step struct {
	Who    string
	Cmd    huying.Command
	Action workflow.Action
}

// MustAppealIn returns a new appeal of type 咨询 brought to status by Path.
// target is the code merges go into.
func (f *Fixture) MustAppealIn(tb testing.TB, status huying.Status, target string) *huying.Appeal {
	tb.Helper()
	a := f.MustReceive(tb, Intake(huying.TypeConsult))
	for _, st := range f.Path(status) {
		if st.Cmd == huying.CmdMerge {
			st.Action.TargetCode = target
		}
		a = f.MustAct(tb, st.Who, a, st.Cmd, st.Action)
	}
	if a.Status != status {
		tb.Fatalf("path to %s ended in %s", status, a.Status)
	}
	return a
}
