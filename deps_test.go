package huying_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirections keeps the layout honest: the root and workday use
// only the standard library, and no transport imports a store.
func TestImportDirections(t *testing.T) {
	t.Parallel()
	deps := func(pkg string) []string {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	for _, pkg := range []string{"huying", "huying/workday"} {
		for _, d := range deps(pkg) {
			if d != pkg {
				t.Errorf("%s imports %s; it may use only the standard library", pkg, d)
			}
		}
	}
	for _, pkg := range []string{"huying/api", "huying/server", "huying/workflow", "huying/web", "huying/open311"} {
		for _, d := range deps(pkg) {
			if d == "huying/sqlite" || d == "huying/postgres" || d == "huying/internal/sqlstore" {
				t.Errorf("%s imports the store %s; only cmd/huying wires stores", pkg, d)
			}
		}
	}
}
