package storetest

import (
	"strings"
	"testing"

	"huying"
	"huying/internal/sqlstore"
	"huying/workflow"
)

// testStatements counts the statements of two commands (the path of
// docs/ARCHITECTURE.md): a dispatch reads the appeal once, writes only the
// columns that changed, and leaves assignments alone when it adds the
// first; a sign writes neither the unchanged columns nor the assignments.
func testStatements(t *testing.T, h Harness) {
	f, s := setup(t, h)
	db, ok := s.(*sqlstore.DB)
	if !ok {
		t.Skip("not an sqlstore")
	}
	a := f.MustReceive(t, Intake(huying.TypeHelp))
	var qs []string
	db.Trace = func(q string) { qs = append(qs, strings.Join(strings.Fields(q), " ")) }
	defer func() { db.Trace = nil }()
	run := func(who string, cmd huying.Command, in workflow.Action) []string {
		qs = nil
		a = f.MustAct(t, who, a, cmd, in)
		for i, q := range qs {
			t.Logf("%s %2d %.120s", cmd, i+1, q)
		}
		return qs
	}
	count := func(list []string, prefix string) int {
		n := 0
		for _, q := range list {
			if strings.HasPrefix(q, prefix) {
				n++
			}
		}
		return n
	}
	dispatch := run("dispatcher", huying.CmdDispatch, workflow.Action{LeadUnitID: UnitDeptA})
	if len(dispatch) > 17 || count(dispatch, "SELECT id, code,") != 1 || count(dispatch, "DELETE FROM assignments") != 0 {
		t.Errorf("dispatch ran %d statements, want at most 17 with one read of the appeal and no assignments deleted", len(dispatch))
	}
	for _, q := range dispatch {
		if strings.HasPrefix(q, "UPDATE appeals") && (strings.Contains(q, "content =") || strings.Contains(q, "contact_phone =")) {
			t.Errorf("dispatch rewrote unchanged columns: %s", q)
		}
	}
	sign := run("handler_a", huying.CmdSign, workflow.Action{})
	if count(sign, "DELETE FROM assignments")+count(sign, "INSERT INTO assignments") != 0 || len(sign) > 14 {
		t.Errorf("sign ran %d statements and rewrote the assignments", len(sign))
	}
}
