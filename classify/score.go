package classify

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Report is a model's figures on labelled texts, as `huying classify eval`
// and `cv` print them: the Metrics, calibration, speed and the curve
// auto-dispatch is tuned on.
type Report struct {
	Model string `json:"model"`
	Metrics
	// MacroF1Folds, MacroF1Mean and MacroF1Std are each fold's macro-F1
	// and their mean and sample standard deviation (CrossValidate only).
	MacroF1Folds []float64 `json:"macro_f1_folds,omitempty"`
	MacroF1Mean  float64   `json:"macro_f1_mean,omitempty"`
	MacroF1Std   float64   `json:"macro_f1_std,omitempty"`
	// ECE is the expected calibration error of the top probability (15
	// equal-width bins) and NLL the mean negative log-likelihood of the
	// gold label.
	ECE float64 `json:"ece"`
	NLL float64 `json:"nll"`
	// TrainSeconds is the mean time of a training; PredictP50us and
	// PredictP99us are percentiles (nearest rank) of one Predict, in
	// microseconds, and TextsPerSec is predictions a second of Predict's
	// time.
	TrainSeconds float64 `json:"train_seconds"`
	PredictP50us float64 `json:"predict_p50_us"`
	PredictP99us float64 `json:"predict_p99_us"`
	TextsPerSec  float64 `json:"texts_per_sec"`
	// Thresholds is the calibration curve auto-dispatch is tuned on: for
	// each confidence threshold, the share of texts at or above it
	// (coverage) and the accuracy among them.
	Thresholds []Threshold `json:"thresholds"`
}

// Threshold is one point of the calibration curve.
type Threshold struct {
	Threshold float64 `json:"threshold"`
	Coverage  float64 `json:"coverage"`
	Accuracy  float64 `json:"accuracy"`
}

// reportThresholds are the confidence thresholds of Report.Thresholds.
var reportThresholds = []float64{0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98}

// Scorer accumulates a model's predictions on labelled texts, and the time
// they and the trainings took, into a Report. The zero value is ready to
// use and times nothing.
type Scorer struct {
	// Now is the clock trainings and predictions are timed with; nil
	// leaves the report's times at zero. The package itself never reads
	// the clock.
	Now func() time.Time
	// Progress, when set, gets a line as each fold of CrossValidate starts
	// and ends.
	Progress func(msg string)

	gold, pred []string
	probs      []float64 // probability of the predicted label
	goldProb   []float64
	lat        []time.Duration
	busy       time.Duration
	train      time.Duration
	trainings  int
}

func (s *Scorer) now() time.Time {
	if s.Now == nil {
		return time.Time{}
	}
	return s.Now()
}

// Train trains a model as the package's Train does, and counts its time
// in the report's TrainSeconds.
func (s *Scorer) Train(texts, labels []string, opts Options) (*Model, error) {
	start := s.now()
	m, err := Train(texts, labels, opts)
	if err != nil {
		return nil, err
	}
	s.train += s.now().Sub(start)
	s.trainings++
	return m, nil
}

// Score predicts each text with m and records the prediction against its
// gold label.
func (s *Scorer) Score(m *Model, texts, labels []string) {
	labelIndex := map[string]int{}
	for i, l := range m.Labels() {
		labelIndex[l] = i
	}
	for i, t := range texts {
		start := s.now()
		p := m.Predict(t)
		d := s.now().Sub(start)
		s.lat = append(s.lat, d)
		s.busy += d
		s.gold = append(s.gold, labels[i])
		s.pred = append(s.pred, p.Label)
		s.probs = append(s.probs, p.Prob)
		gp := 0.0
		if c, ok := labelIndex[labels[i]]; ok {
			gp = m.Probabilities(t)[c]
		}
		s.goldProb = append(s.goldProb, gp)
	}
}

// add pools o's predictions into s.
func (s *Scorer) add(o *Scorer) {
	s.gold = append(s.gold, o.gold...)
	s.pred = append(s.pred, o.pred...)
	s.probs = append(s.probs, o.probs...)
	s.goldProb = append(s.goldProb, o.goldProb...)
	s.lat = append(s.lat, o.lat...)
	s.busy += o.busy
}

// Report returns the figures of everything scored so far under the model
// name given. It fails when nothing was scored.
func (s *Scorer) Report(name string) (Report, error) {
	met, err := Evaluate(s.gold, s.pred)
	if err != nil {
		return Report{}, err
	}
	r := Report{Model: name, Metrics: met}
	correct := make([]bool, len(s.gold))
	for i := range correct {
		correct[i] = s.gold[i] == s.pred[i]
	}
	r.ECE = ExpectedCalibrationError(s.probs, correct, 15)
	for _, t := range reportThresholds {
		n, ok := 0, 0
		for i, p := range s.probs {
			if p >= t {
				n++
				if correct[i] {
					ok++
				}
			}
		}
		r.Thresholds = append(r.Thresholds, Threshold{Threshold: t, Coverage: float64(n) / float64(max(len(s.probs), 1)),
			Accuracy: float64(ok) / float64(max(n, 1))})
	}
	for _, p := range s.goldProb {
		r.NLL -= math.Log(max(p, 1e-12))
	}
	r.NLL /= float64(len(s.goldProb))
	if s.trainings > 0 {
		r.TrainSeconds = s.train.Seconds() / float64(s.trainings)
	}
	lat := slices.Clone(s.lat)
	slices.Sort(lat)
	r.PredictP50us = percentileMicros(lat, 0.50)
	r.PredictP99us = percentileMicros(lat, 0.99)
	if s.busy > 0 {
		r.TextsPerSec = float64(len(s.lat)) / s.busy.Seconds()
	}
	return r, nil
}

// percentileMicros returns the q-quantile of sorted durations in
// microseconds (nearest rank).
func percentileMicros(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	i = min(max(i, 0), len(sorted)-1)
	return float64(sorted[i].Nanoseconds()) / 1e3
}

// Folds is a grouped k-fold split of a Dataset.
type Folds struct {
	K int
	// Of is each row's fold, 0 to K−1.
	Of []int
	// Groups is each row's group: the dataset's, or the row's index when
	// it has none.
	Groups []string
}

// SplitFolds splits ds into k folds with GroupKFold, so that a group never
// straddles folds; without groups every row is its own group.
func SplitFolds(ds Dataset, k int, seed uint64) (Folds, error) {
	groups := ds.Groups
	if groups == nil {
		groups = rowGroups(len(ds.Texts))
	}
	of, err := GroupKFold(ds.Labels, groups, k, seed)
	if err != nil {
		return Folds{}, err
	}
	return Folds{K: k, Of: of, Groups: groups}, nil
}

// NumGroups returns the number of distinct groups.
func (f Folds) NumGroups() int { return len(distinct(f.Groups)) }

// CrossValidate trains a model with opts on all folds of ds but one and
// scores it on that one, for each fold of f, adding the out-of-fold
// predictions to s, and returns s's Report with each fold's macro-F1, their
// mean and standard deviation. opts.Groups is set, for each fold, to its
// training rows' groups. s is normally new.
func (s *Scorer) CrossValidate(ds Dataset, f Folds, opts Options) (Report, error) {
	progress := func(format string, args ...any) {
		if s.Progress != nil {
			s.Progress(fmt.Sprintf(format, args...))
		}
	}
	var f1s []float64
	for k := 0; k < f.K; k++ {
		var trT, trL, trG, teT, teL []string
		for i := range ds.Texts {
			if f.Of[i] == k {
				teT, teL = append(teT, ds.Texts[i]), append(teL, ds.Labels[i])
			} else {
				trT, trL, trG = append(trT, ds.Texts[i]), append(trL, ds.Labels[i]), append(trG, f.Groups[i])
			}
		}
		progress("[%s] fold %d/%d: train %d, test %d", opts.Algorithm, k+1, f.K, len(trT), len(teT))
		opts.Groups = trG
		start := s.now()
		m, err := s.Train(trT, trL, opts)
		if err != nil {
			return Report{}, fmt.Errorf("fold %d: %w", k+1, err)
		}
		fold := Scorer{Now: s.Now}
		fold.Score(m, teT, teL)
		fm, err := Evaluate(fold.gold, fold.pred)
		if err != nil {
			return Report{}, err
		}
		f1s = append(f1s, fm.MacroF1)
		progress("[%s] fold %d/%d: macro-F1 %.4f, accuracy %.4f (%.1fs)", opts.Algorithm, k+1, f.K, fm.MacroF1, fm.Accuracy, s.now().Sub(start).Seconds())
		s.add(&fold)
	}
	r, err := s.Report(opts.Describe())
	if err != nil {
		return r, err
	}
	r.MacroF1Folds = f1s
	var mean, sq float64
	for _, x := range f1s {
		mean += x
	}
	mean /= float64(len(f1s))
	for _, x := range f1s {
		sq += (x - mean) * (x - mean)
	}
	r.MacroF1Mean = mean
	if len(f1s) > 1 {
		r.MacroF1Std = math.Sqrt(sq / float64(len(f1s)-1))
	}
	return r, nil
}

// BaselineOptions are the options of the character-bigram naive Bayes
// baseline that is cross-validated beside a model trained with o: the same
// seed, calibration folds and progress.
func BaselineOptions(o Options) Options {
	return Options{Algorithm: AlgoNBBigram, Seed: o.Seed, CalibrationFolds: o.CalibrationFolds, Float32Weights: true, Progress: o.Progress}
}
