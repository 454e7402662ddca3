package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRouteEval runs "huying route eval" on the small fixture with a
// catalogue of two matters: the JSON report counts what it routed.
func TestRouteEval(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cat := filepath.Join(dir, "catalogue.json")
	body := `{"version": 1, "rules": [
	  {"id": "gas", "matter": "燃气泄漏", "keywords": ["燃气味"], "lead": "gas-co"},
	  {"id": "light", "matter": "交通信号灯", "keywords": ["红绿灯"], "lead": "gongan"}]}`
	if err := os.WriteFile(cat, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	fixture := filepath.Join("..", "..", "route", "testdata", "small.csv")
	var out, errOut bytes.Buffer
	err := runRoute([]string{"eval", "--cases", fixture, "--catalogue", cat, "--json", "--calibrate", "--threshold", "0.5"}, &out, &errOut)
	if err != nil {
		t.Fatalf("route eval: %v\n%s", err, errOut.String())
	}
	var rep struct {
		Cases     int     `json:"cases"`
		Top1      float64 `json:"top1"`
		Auto      int     `json:"auto"`
		Precision float64 `json:"precision"`
		Misses    []struct {
			ID  string `json:"id"`
			Got string `json:"got"`
		} `json:"misses"`
		Calibrated *struct {
			Split     string  `json:"split"`
			Threshold float64 `json:"threshold"`
		} `json:"calibrated"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	// Two of six routed, both right and sure (nothing else competes).
	if rep.Cases != 6 || rep.Top1 != 0.3333 || rep.Auto != 2 || rep.Precision != 1 || len(rep.Misses) != 4 {
		t.Errorf("report: %+v", rep)
	}
	if rep.Calibrated == nil || rep.Calibrated.Split != "dev" {
		t.Errorf("calibration: %+v", rep.Calibrated)
	}

	out.Reset()
	if err := runRoute([]string{"eval", "--cases", fixture, "--catalogue", cat, "--split", "test"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "split test: 3 cases") || !strings.Contains(out.String(), "市公安局坪山分局") {
		t.Errorf("text report:\n%s", out.String())
	}
	for _, args := range [][]string{{"eval"}, {"eval", "--cases", fixture, "--split", "train"}, {"nope"}} {
		if err := runRoute(args, &out, &errOut); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
