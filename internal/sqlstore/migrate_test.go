package sqlstore_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"huying/internal/sqlstore"
)

// TestMigrationsRefuseDuplicateNumbers: two branches that each took the
// next number must fail at once, not skip one file silently.
func TestMigrationsRefuseDuplicateNumbers(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"m/0001_init.sql":  {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"m/0002_one.sql":   {Data: []byte("CREATE TABLE b (x INTEGER);")},
		"m/0002_other.sql": {Data: []byte("CREATE TABLE c (x INTEGER);")},
	}
	if _, err := sqlstore.Migrations(fsys, "m"); err == nil || !strings.Contains(err.Error(), "same number") {
		t.Fatalf("got %v, want an error about the same number", err)
	}
	delete(fsys, "m/0002_other.sql")
	if list, err := sqlstore.Migrations(fsys, "m"); err != nil || len(list) != 2 {
		t.Fatalf("got %v %v, want two migrations", list, err)
	}
}
