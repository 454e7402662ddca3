package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
)

func TestRunErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "请指定 intake、sweep 或 search"},
		{"search out of range", []string{"search", "--appeals", "10"}, "--appeals 须在 1000 到 500 万之间"},
		{"unknown command", []string{"fly"}, "未知命令"},
		{"intake out of range", []string{"intake", "--clients", "0"}, "--clients 须在 1 到 512 之间"},
		{"sweep out of range", []string{"sweep", "--appeals", "10", "--due", "11"}, "--due 须在 1 到 --appeals 之间"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := run(context.Background(), tt.args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if err := run(context.Background(), []string{"sweep", "-h"}, io.Discard, io.Discard); err != nil {
		t.Errorf("sweep -h: %v", err)
	}
}

// TestIntake runs a short intake comparison, with the whole dispatch path.
func TestIntake(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers")
	}
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"intake", "--duration", "300ms", "--clients", "2", "--dispatch", "--json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Huying, Baseline benchResult
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	for _, r := range []benchResult{got.Huying, got.Baseline} {
		if r.Requests == 0 || r.Errors != 0 || r.P99ms <= 0 {
			t.Errorf("%s: %d requests, %d errors, p99 %.2f ms", r.Name, r.Requests, r.Errors, r.P99ms)
		}
	}
}

// TestSweep times a sweep over a small fill on each database; the command
// itself checks that every due appeal turned red with its 催办.
func TestSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("fills databases")
	}
	t.Parallel()
	for _, tt := range []struct {
		name string
		args []string
	}{{"sqlite", nil}, {"postgres", []string{"--pg"}}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"sweep", "--appeals", "300", "--due", "30", "--json"}, tt.args...), &out, io.Discard)
			if tt.name == "postgres" && err != nil && strings.Contains(err.Error(), "启动临时 PostgreSQL") && os.Getenv("HUYING_REQUIRE_PG") != "1" {
				t.Skipf("PostgreSQL not available: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				DB      string `json:"db"`
				Appeals int    `json:"appeals"`
				Due     int    `json:"due"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.DB != tt.name || got.Appeals != 300 || got.Due != 30 {
				t.Errorf("%+v, %v: %s", got, err, out.String())
			}
		})
	}
}
