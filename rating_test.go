package huying_test

import (
	"testing"

	"huying"
)

// TestSatisfactionRate: (满意 + 0.9 × 基本满意) ÷ 有效回访, one decimal.
func TestSatisfactionRate(t *testing.T) {
	t.Parallel()
	var c huying.RatingCounts
	if c.Rate() != 0 {
		t.Fatalf("no ratings: %v", c.Rate())
	}
	c.Add(huying.Satisfied, 96)
	c.Add(huying.BasicSatisfied, 25)
	c.Add(huying.Unsatisfied, 25)
	if c.Valid != 146 || c.Rate() != 81.2 { // (96 + 22.5) / 146
		t.Fatalf("%+v: rate %v, want 81.2", c, c.Rate())
	}
}
