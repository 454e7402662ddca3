package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestBenchMoved: the benchmarks left the shipped binary; "huying bench"
// says where they went.
func TestBenchMoved(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"bench", "intake"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "huying-bench") {
		t.Errorf("huying bench: %v, want the pointer to huying-bench", err)
	}
}
