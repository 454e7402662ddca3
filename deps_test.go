package huying_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportDirections keeps the layout honest: the root and workday use
// only the standard library, no transport imports a store, and the
// shipped binary does not link internal/pgtest.
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
	for _, pkg := range []string{"huying/api", "huying/server", "huying/workflow", "huying/identity", "huying/supervision", "huying/web", "huying/open311"} {
		for _, d := range deps(pkg) {
			if d == "huying/sqlite" || d == "huying/postgres" || d == "huying/internal/sqlstore" {
				t.Errorf("%s imports the store %s; only cmd/huying wires stores", pkg, d)
			}
		}
	}
	// The shipped binary does not carry the test PostgreSQL launcher
	// (huying-bench sweep --pg starts it).
	for _, d := range deps("huying/cmd/huying") {
		if d == "huying/internal/pgtest" {
			t.Errorf("huying/cmd/huying links %s; benchmarks go in cmd/huying-bench", d)
		}
	}
}

// TestTransportsUseServices: the transports reach the database only
// through the services, where roles and visibility are checked; a
// transport reading svc.Store directly fails here.
func TestTransportsUseServices(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"api", "open311", "server", "web"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			imports := map[string]bool{}
			for _, im := range f.Imports {
				path := strings.Trim(im.Path.Value, `"`)
				imports[path[strings.LastIndex(path, "/")+1:]] = true
				if im.Name != nil {
					imports[im.Name.Name] = true
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Store" {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && imports[id.Name] {
					return true // a type such as blob.Store
				}
				t.Errorf("%s: reads .Store; transports go through the services", fset.Position(sel.Pos()))
				return true
			})
		}
	}
}
