package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"huying/classify"
)

// TestRetrainLearnsCorrections seeds the demo district, whose dispatchers
// file bus-stop appeals under 交通运输 where the shipped model (trained on
// data that files buses under 城乡建设) guesses otherwise, retrains from that
// history, and checks the promoted model follows the dispatchers.
func TestRetrainLearnsCorrections(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo district")
	}
	dir := t.TempDir()
	ctx := context.Background()
	if err := run(ctx, []string{"seed", "--demo", "--data", dir}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	const text = "坪山区坪山街道和平社区东纵路公交站台没有遮雨棚，下雨天等车的老人小孩都淋雨，建议加装候车亭。"
	before, _, err := currentModel(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"classify", "retrain", "--data", dir, "--json"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var rec retrainRecord
	if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if !rec.Promoted || rec.Corrections == 0 || rec.Candidate.MacroF1 < rec.Current.MacroF1 {
		t.Fatalf("retrain record %+v", rec)
	}
	f, err := os.Open(filepath.Join(dir, modelDir, "current.model"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	after, err := classify.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := after.Predict(text).Label; got != "交通运输" {
		t.Fatalf("retrained model says %s, want 交通运输 (the shipped model said %s)", got, before.Predict(text).Label)
	}
	t.Logf("shipped model: %s; retrained on %d examples (%d corrections): %s; macro-F1 on the held-back slice %.3f → %.3f",
		before.Predict(text).Label, rec.History, rec.Corrections, after.Predict(text).Label, rec.Current.MacroF1, rec.Candidate.MacroF1)
}
