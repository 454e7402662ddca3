package demo_test

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"huying"
	"huying/demo"
	"huying/sqlite"
	"huying/storetest"
	"huying/workday"
	"huying/workflow"
)

// TestSeed writes the demo district and checks the 1+6+23+N structure,
// appeals in every status, and a clean audit chain; a second seed writes nothing.
func TestSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "huying.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cal, err := workday.New(workday.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := workflow.New(store, cal)
	ids := storetest.Identity(svc)
	ids.PasswordCost = bcrypt.MinCost
	seeded, err := demo.SeedIfEmpty(ctx, svc, ids, dir, io.Discard)
	if err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	units, _ := store.Units(ctx)
	kinds := map[huying.UnitKind]int{}
	for _, u := range units {
		kinds[u.Kind]++
	}
	if kinds[huying.UnitCentre] != 1 || kinds[huying.UnitStreet] != 6 || kinds[huying.UnitCommunity] != 23 || kinds[huying.UnitDepartment] < 13 {
		t.Fatalf("units by kind %v, want 1+6+23+N", kinds)
	}
	counts, _ := store.CountByStatus(ctx)
	for s := range huying.StatusNames {
		if counts[s] == 0 {
			t.Errorf("no demo appeal in status %s", s)
		}
	}
	// Every consultation the demo answered directly matched an article of its knowledge base.
	da, err := store.DirectAnswers(ctx, time.Time{}, time.Now().Add(time.Hour))
	if err != nil || da.Answered == 0 || da.FromArticle != da.Answered {
		t.Errorf("direct answers %+v %v: want all from an article", da, err)
	}
	if arts, n, _ := store.Articles(ctx, huying.ArticleFilter{}); n < 15 || arts[0].Uses == 0 {
		t.Errorf("demo knowledge base: %d articles, the most used used %d times", n, arts[0].Uses)
	}
	if _, _, err := svc.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ids.Login(ctx, demo.UserDispatcher, demo.Password); err != nil {
		t.Fatalf("demo login: %v", err)
	}
	if again, err := demo.SeedIfEmpty(ctx, svc, ids, dir, io.Discard); err != nil || again {
		t.Fatalf("second seed: %v %v", again, err)
	}
}
