package classify

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
)

// ClassMetrics are the scores of one class.
type ClassMetrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Support is the number of texts whose gold label is the class.
	Support int `json:"support"`
}

// Metrics summarise predictions against gold labels.
type Metrics struct {
	Accuracy float64 `json:"accuracy"`
	// MacroF1 is the unweighted mean of the per-class F1 over the classes
	// that occur in the gold labels or the predictions (the teddy2020
	// competition metric).
	MacroF1  float64                 `json:"macro_f1"`
	PerClass map[string]ClassMetrics `json:"per_class"`
	N        int                     `json:"n"`
}

// Evaluate scores predicted labels against gold labels.
func Evaluate(gold, pred []string) (Metrics, error) {
	if len(gold) != len(pred) {
		return Metrics{}, fmt.Errorf("classify: %d gold labels but %d predictions", len(gold), len(pred))
	}
	if len(gold) == 0 {
		return Metrics{}, errors.New("classify: nothing to evaluate")
	}
	tp := map[string]int{}
	fp := map[string]int{}
	fn := map[string]int{}
	correct := 0
	for i := range gold {
		if gold[i] == pred[i] {
			tp[gold[i]]++
			correct++
		} else {
			fn[gold[i]]++
			fp[pred[i]]++
		}
	}
	classes := distinct(append(slices.Clone(gold), pred...))
	m := Metrics{Accuracy: float64(correct) / float64(len(gold)), PerClass: map[string]ClassMetrics{}, N: len(gold)}
	for _, c := range classes {
		var cm ClassMetrics
		cm.Support = tp[c] + fn[c]
		if tp[c]+fp[c] > 0 {
			cm.Precision = float64(tp[c]) / float64(tp[c]+fp[c])
		}
		if cm.Support > 0 {
			cm.Recall = float64(tp[c]) / float64(cm.Support)
		}
		if cm.Precision+cm.Recall > 0 {
			cm.F1 = 2 * cm.Precision * cm.Recall / (cm.Precision + cm.Recall)
		}
		m.PerClass[c] = cm
		m.MacroF1 += cm.F1
	}
	m.MacroF1 /= float64(len(classes))
	return m, nil
}

// GroupKFold assigns each row to one of k folds so that rows sharing a
// group are always in the same fold, and each fold gets about the same
// number of rows of each label (stratified by a group's majority label).
// The assignment depends only on the inputs and seed.
func GroupKFold(labels, groups []string, k int, seed uint64) ([]int, error) {
	if len(labels) != len(groups) {
		return nil, fmt.Errorf("classify: %d labels but %d groups", len(labels), len(groups))
	}
	if k < 2 {
		return nil, fmt.Errorf("classify: need at least 2 folds, got %d", k)
	}
	type group struct {
		key   string
		rows  []int
		label string
	}
	byKey := map[string]*group{}
	var gs []*group
	for i, g := range groups {
		gr := byKey[g]
		if gr == nil {
			gr = &group{key: g}
			byKey[g] = gr
			gs = append(gs, gr)
		}
		gr.rows = append(gr.rows, i)
	}
	if len(gs) < k {
		return nil, fmt.Errorf("classify: %d groups cannot fill %d folds", len(gs), k)
	}
	for _, g := range gs {
		cnt := map[string]int{}
		for _, r := range g.rows {
			cnt[labels[r]]++
		}
		best := labels[g.rows[0]]
		for _, r := range g.rows {
			if cnt[labels[r]] > cnt[best] {
				best = labels[r]
			}
		}
		g.label = best
	}
	// Shuffle, then place big groups first: greedy filling then evens out
	// the folds.
	slices.SortFunc(gs, func(a, b *group) int {
		if a.key < b.key {
			return -1
		}
		if a.key > b.key {
			return 1
		}
		return 0
	})
	rng := rand.New(rand.NewPCG(seed, 0xf01d))
	rng.Shuffle(len(gs), func(i, j int) { gs[i], gs[j] = gs[j], gs[i] })
	slices.SortStableFunc(gs, func(a, b *group) int { return len(b.rows) - len(a.rows) })

	perLabel := map[string][]int{}
	size := make([]int, k)
	fold := make([]int, len(labels))
	for _, g := range gs {
		pl := perLabel[g.label]
		if pl == nil {
			pl = make([]int, k)
			perLabel[g.label] = pl
		}
		best := 0
		for f := 1; f < k; f++ {
			if pl[f] < pl[best] || (pl[f] == pl[best] && size[f] < size[best]) {
				best = f
			}
		}
		for _, r := range g.rows {
			fold[r] = best
		}
		pl[best] += len(g.rows)
		size[best] += len(g.rows)
	}
	return fold, nil
}

// ExpectedCalibrationError measures how far predicted probabilities are
// from observed accuracy: predictions are put into bins equal-width bins
// by probability, and the gaps |accuracy − mean probability| are averaged,
// weighted by bin size. 0 is perfect calibration.
func ExpectedCalibrationError(prob []float64, correct []bool, bins int) float64 {
	if len(prob) == 0 || len(prob) != len(correct) || bins < 1 {
		return 0
	}
	n := make([]int, bins)
	sumP := make([]float64, bins)
	hits := make([]int, bins)
	for i, p := range prob {
		b := min(max(int(p*float64(bins)), 0), bins-1)
		n[b]++
		sumP[b] += p
		if correct[i] {
			hits[b]++
		}
	}
	var ece float64
	for b := range n {
		if n[b] == 0 {
			continue
		}
		gap := float64(hits[b])/float64(n[b]) - sumP[b]/float64(n[b])
		if gap < 0 {
			gap = -gap
		}
		ece += gap * float64(n[b]) / float64(len(prob))
	}
	return ece
}
