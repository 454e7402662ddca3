//go:build eval

// The retraining evaluations that need the shared base corpus: make eval
// runs them (go test -tags eval), make test does not build them.
package main

import (
	"os"
	"path/filepath"
	"testing"

	"huying/classify"
	"huying/modelstore"
)

// teddyTrain is the shared teddy2020 train.csv, the base corpus these
// evaluations need (make eval; make test needs nothing beside the repository).
func teddyTrain(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HUYING_TEDDY2020")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "teddy2020")
	}
	path := filepath.Join(dir, "train.csv")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no base corpus %s (set HUYING_TEDDY2020 to the teddy2020 folder): %v", path, err)
	}
	return path
}

// TestRetrainDemoWithBaseRefused: the demo district's history with the
// base corpus would still route worse on the held-back set: refused.
func TestRetrainDemoWithBaseRefused(t *testing.T) {
	dir := seedDemo(t)
	rec := retrainJSON(t, dir, "--base", teddyTrain(t))
	if rec.Promoted || rec.Base == 0 || rec.BaseHeldBack == 0 || len(rec.Refusals) == 0 {
		t.Fatalf("demo retrain with the base corpus: %s", rec.Summary)
	}
	if _, err := os.Stat(filepath.Join(dir, modelstore.Dir, "current.model")); !os.IsNotExist(err) {
		t.Errorf("a refused retrain wrote current.model: %v", err)
	}
	t.Log(rec.Summary)

}

// TestRetrainPromotesBetter: an installation whose current model was
// trained on a quarter of the base corpus (an earlier, smaller corpus)
// retrains on the whole base and its history; the new model routes better
// on the held-back set in every class, and is promoted.
func TestRetrainPromotesBetter(t *testing.T) {
	base := teddyTrain(t)
	dir := seedDemo(t)
	ds, err := modelstore.ReadBase(base, "分词文本", "一级标签")
	if err != nil {
		t.Fatal(err)
	}
	hb, err := modelstore.LoadHeldBack()
	if err != nil {
		t.Fatal(err)
	}
	ds, _ = hb.Exclude(ds)
	var texts, labels, groups []string
	for i := range ds.Texts {
		if i%4 == 0 {
			texts, labels, groups = append(texts, ds.Texts[i]), append(labels, ds.Labels[i]), append(groups, ds.Groups[i])
		}
	}
	opts := classify.DefaultOptions()
	opts.Groups = groups
	old, err := classify.Train(texts, labels, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, modelstore.Dir), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := modelstore.Save(old, filepath.Join(dir, modelstore.Dir, "current.model")); err != nil {
		t.Fatal(err)
	}
	rec := retrainJSON(t, dir, "--base", base)
	if !rec.Promoted || rec.Candidate.MacroF1 <= rec.Current.MacroF1 {
		t.Fatalf("better candidate not promoted: %s", rec.Summary)
	}
	for c, d := range rec.RecallChange {
		if d < -modelstore.MaxRecallDrop {
			t.Errorf("%s recall %+.3f", c, d)
		}
	}
	m, _, err := modelstore.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := hb.Score(m); err != nil || got.MacroF1 != rec.Candidate.MacroF1 {
		t.Errorf("current.model scores %.4f (%v), the promoted candidate %.4f", got.MacroF1, err, rec.Candidate.MacroF1)
	}
	t.Log(rec.Summary)
}
