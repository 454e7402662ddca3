package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one numbered, forward-only schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations reads the files NNNN_name.sql in dir of fsys, ordered by number.
func Migrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var list []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		list = append(list, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	slices.SortFunc(list, func(a, b Migration) int { return a.Version - b.Version })
	// Two files of one number (branches merged, each with its next number)
	// would pass silently: Migrate records the number once and skips the
	// second file for ever.
	for i := 1; i < len(list); i++ {
		if list[i].Version == list[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s have the same number", list[i-1].Name, list[i].Name)
		}
	}
	return list, nil
}

// goSteps are the parts of migrations that SQL cannot do, run after the
// migration's SQL in its transaction. They are keyed by the name without
// its number ("0014_audit.sql" → "audit"), so that renumbering a migration
// when branches merge keeps its step.
var goSteps = map[string]func(ctx context.Context, tx *sql.Tx, d Dialect) error{
	"audit":  backfillAppealStates,
	"search": backfillSearch,
}

// stepName is a migration's file name without its number and extension.
func stepName(file string) string {
	_, name, _ := strings.Cut(strings.TrimSuffix(file, ".sql"), "_")
	return name
}

// Migrate applies the migrations not yet recorded in schema_migrations, each
// in its own transaction, and returns how many it applied.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, list []Migration) (int, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := 0
	for _, m := range list {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		var n int
		q := `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`
		if d.Numbered {
			q = Rebind(q)
		}
		if err := tx.QueryRowContext(ctx, q, m.Version).Scan(&n); err != nil {
			_ = tx.Rollback()
			return applied, err
		}
		if n > 0 {
			_ = tx.Rollback()
			continue
		}
		ins := `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`
		if d.Numbered {
			ins = Rebind(ins)
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			_ = tx.Rollback()
			return applied, fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if step := goSteps[stepName(m.Name)]; step != nil {
			if err := step(ctx, tx, d); err != nil {
				_ = tx.Rollback()
				return applied, fmt.Errorf("migration %s: %w", m.Name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, ins, m.Version, m.Name); err != nil {
			_ = tx.Rollback()
			return applied, fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.Name, err)
		}
		applied++
	}
	return applied, nil
}
