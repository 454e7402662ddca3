package classify

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestPercentileMicros(t *testing.T) {
	t.Parallel()
	us := func(xs ...int) []time.Duration {
		var out []time.Duration
		for _, x := range xs {
			out = append(out, time.Duration(x)*time.Microsecond)
		}
		return out
	}
	var hundred []int
	for i := range 100 {
		hundred = append(hundred, i+1)
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   float64
	}{
		{"empty", nil, 0.5, 0},
		{"one", us(7), 0.99, 7},
		{"median of four is the second", us(1, 2, 3, 4), 0.5, 2},
		{"p99 of a hundred is the 99th", us(hundred...), 0.99, 99},
		{"p99 of ten is the last", us(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.99, 10},
		{"q 0 is the first", us(3, 4), 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := percentileMicros(tt.sorted, tt.q); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// synthetic returns n rows of three classes with their own words plus
// shared filler, near-duplicate pairs sharing a group.
func synthetic(n int) Dataset {
	vocab := map[string][]string{
		"城乡建设": {"物业", "小区", "停车费", "违章", "搭建", "电梯", "拆迁"},
		"教育文体": {"学校", "老师", "补课", "学位", "招生", "学生", "幼儿园"},
		"环境保护": {"噪音", "污水", "粉尘", "扰民", "排放", "垃圾", "焚烧"},
	}
	filler := []string{"反映", "问题", "希望", "领导", "尽快", "解决", "市民", "严重"}
	labels := []string{"城乡建设", "教育文体", "环境保护"}
	rng := rand.New(rand.NewPCG(1, 2))
	var ds Dataset
	for i := range n {
		l := labels[i%3]
		var words []string
		for range 6 {
			words = append(words, vocab[l][rng.IntN(len(vocab[l]))], filler[rng.IntN(len(filler))])
		}
		ds.Texts = append(ds.Texts, strings.Join(words, " "))
		ds.Labels = append(ds.Labels, l)
		ds.Groups = append(ds.Groups, fmt.Sprintf("g%d", i/2))
	}
	return ds
}

// tickingClock advances by step at every reading.
func tickingClock(step time.Duration) func() time.Time {
	t := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

func TestScorerTimesWithItsClock(t *testing.T) {
	t.Parallel()
	ds := synthetic(60)
	opts := DefaultOptions()
	opts.CalibrationFolds = -1
	s := Scorer{Now: tickingClock(10 * time.Microsecond)}
	m, err := s.Train(ds.Texts, ds.Labels, opts)
	if err != nil {
		t.Fatal(err)
	}
	s.Score(m, ds.Texts, ds.Labels)
	r, err := s.Report("m")
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 60 || r.Model != "m" || r.Accuracy < 0.9 || len(r.Thresholds) != len(reportThresholds) {
		t.Errorf("report %+v", r)
	}
	if r.TrainSeconds != 10e-6 || r.PredictP50us != 10 || r.PredictP99us != 10 || !near(r.TextsPerSec, 1e5) {
		t.Errorf("times: train %vs, p50 %vµs, p99 %vµs, %v texts/s; want 1e-05, 10, 10, 100000",
			r.TrainSeconds, r.PredictP50us, r.PredictP99us, r.TextsPerSec)
	}

	var untimed Scorer
	untimed.Score(m, ds.Texts, ds.Labels)
	if r, err := untimed.Report("m"); err != nil || r.PredictP99us != 0 || r.TextsPerSec != 0 || r.TrainSeconds != 0 {
		t.Errorf("a Scorer without a clock timed: %+v, %v", r, err)
	}
	if _, err := new(Scorer).Report("m"); err == nil {
		t.Error("a report of nothing scored: no error")
	}
}

func TestCrossValidate(t *testing.T) {
	t.Parallel()
	ds := synthetic(90)
	opts := DefaultOptions()
	opts.CalibrationFolds = 2
	split, err := SplitFolds(ds, 3, opts.Seed)
	if err != nil {
		t.Fatal(err)
	}
	if split.K != 3 || len(split.Of) != 90 || split.NumGroups() != 45 {
		t.Fatalf("split: %d folds, %d rows, %d groups", split.K, len(split.Of), split.NumGroups())
	}
	var lines []string
	s := Scorer{Progress: func(msg string) { lines = append(lines, msg) }}
	r, err := s.CrossValidate(ds, split, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 90 || len(r.MacroF1Folds) != 3 || r.MacroF1 < 0.9 || r.MacroF1Mean < 0.9 {
		t.Errorf("cv report: n %d, folds %v, macro-F1 %.3f", r.N, r.MacroF1Folds, r.MacroF1)
	}
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "[svm] fold 1/3: train ") {
		t.Errorf("progress %q", lines)
	}

	b := Scorer{}
	br, err := b.CrossValidate(ds, split, BaselineOptions(opts))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(br.Model, "nb-bigram") || br.N != 90 {
		t.Errorf("baseline report: model %q, n %d", br.Model, br.N)
	}

	noGroups := ds
	noGroups.Groups = nil
	if split, err := SplitFolds(noGroups, 3, 1); err != nil || split.NumGroups() != 90 {
		t.Errorf("without groups: %d groups, %v; want one a row", split.NumGroups(), err)
	}
}
