package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Algorithms accepted in Options.Algorithm.
const (
	// AlgoSVM is a one-vs-rest L2-regularised L2-loss linear SVM trained by
	// dual coordinate descent (the LIBLINEAR method) on sublinear TF-IDF
	// character n-grams. It is the default.
	AlgoSVM = "svm"
	// AlgoLogReg is multinomial logistic regression trained by AdaGrad SGD
	// on the same features.
	AlgoLogReg = "logreg"
	// AlgoNBBigram is the baseline: multinomial naive Bayes with Laplace
	// smoothing on raw character-bigram counts.
	AlgoNBBigram = "nb-bigram"
)

// Options controls training. Start from DefaultOptions, the configuration
// chosen by grouped cross-validation on the teddy2020 data; in the zero
// value the switches are off, which trains a plain one-vs-rest SVM on
// character 1–3-grams. Zero numeric fields take the defaults given below.
type Options struct {
	// Algorithm is AlgoSVM (default), AlgoLogReg or AlgoNBBigram.
	Algorithm string
	// MinN and MaxN bound the character n-gram lengths (default 1 and 3;
	// AlgoNBBigram always uses 2 and 2).
	MinN, MaxN int
	// Words adds whitespace-separated tokens as features when a text looks
	// segmented (such as the jieba column of the teddy2020 data; see
	// Words). Raw text gets character n-grams only.
	Words bool
	// WordPairs adds pairs of consecutive tokens as features (with Words).
	WordPairs bool
	// Head, when positive, also counts the n-grams within the first Head
	// runes as features of their own: the start of an appeal is its title,
	// which says most about its category.
	Head int
	// MaxRunes caps the runes read from a text (after normalisation and
	// removing whitespace and punctuation), bounding the cost of a
	// pathological input. 0 means no cap.
	MaxRunes int
	// Bits sets the hash table to 2^Bits buckets (default 18; 20 for
	// AlgoNBBigram). Fewer bits give a smaller model and more collisions.
	Bits int
	// C is the SVM cost (default 1). For AlgoLogReg, 1/C scales the L2
	// penalty.
	C float64
	// Epochs caps the passes over the data (default 60 for the SVM, 12 for
	// logistic regression).
	Epochs int
	// NBScale multiplies each feature, per class, by its naive Bayes
	// log-count ratio before the SVM sees it (NBSVM, Wang & Manning 2012).
	// It applies to AlgoSVM only.
	NBScale bool
	// BalancedClasses weights each class's errors by the inverse of its
	// frequency, which favours macro-F1 over accuracy.
	BalancedClasses bool
	// TuneBias shifts each class's bias to maximise macro-F1 on the
	// out-of-fold scores of the calibration folds (so it needs them).
	TuneBias bool
	// Seed makes training deterministic: the same data, options and seed
	// give the same model byte for byte.
	Seed uint64
	// CalibrationFolds is the number of grouped folds used to collect
	// out-of-fold scores for fitting the softmax temperature (default 3).
	// A negative value skips calibration (and TuneBias) and keeps
	// temperature 1.
	CalibrationFolds int
	// Groups optionally gives each text a group (such as a near-duplicate
	// cluster id); calibration folds keep a group together so that the
	// temperature is not fitted on copies of training texts.
	Groups []string
	// Float32Weights keeps full-precision weights. By default weights are
	// rounded to 8-bit integers with one scale per class, which makes the
	// model file four times smaller; the model in memory is rounded the
	// same way, so it predicts exactly as a saved and loaded one.
	Float32Weights bool
	// Progress, if set, receives short progress messages during training.
	Progress func(msg string)
}

// DefaultOptions returns the configuration chosen by 5-fold grouped
// cross-validation on teddy2020/train.csv (see docs/BENCHMARKS.md): an
// NBSVM with C=2 and balanced class costs on character 1–3-grams, title
// n-grams (first 30 runes) and jieba tokens when present, hashed into 2^18
// buckets, with class biases tuned for macro-F1.
func DefaultOptions() Options {
	return Options{
		Algorithm:       AlgoSVM,
		MinN:            1,
		MaxN:            3,
		Words:           true,
		Head:            30,
		MaxRunes:        3000,
		Bits:            18,
		C:               2,
		NBScale:         true,
		BalancedClasses: true,
		TuneBias:        true,
		Seed:            1,
	}
}

func (o Options) withDefaults() Options {
	if o.Algorithm == "" {
		o.Algorithm = AlgoSVM
	}
	if o.Algorithm == AlgoNBBigram {
		o.MinN, o.MaxN, o.Words, o.WordPairs, o.Head, o.NBScale, o.TuneBias, o.BalancedClasses = 2, 2, false, false, 0, false, false, false
		if o.Bits == 0 {
			o.Bits = 20
		}
	}
	if o.MinN == 0 {
		o.MinN = 1
	}
	if o.MaxN == 0 {
		o.MaxN = 3
	}
	if o.Bits == 0 {
		o.Bits = 18
	}
	if o.C == 0 {
		o.C = 1
	}
	if o.Epochs == 0 {
		if o.Algorithm == AlgoLogReg {
			o.Epochs = 12
		} else {
			o.Epochs = 60
		}
	}
	if o.CalibrationFolds == 0 {
		o.CalibrationFolds = 3
	}
	return o
}

func (o Options) validate(n int) error {
	switch o.Algorithm {
	case AlgoSVM, AlgoLogReg, AlgoNBBigram:
	default:
		return fmt.Errorf("classify: unknown algorithm %q (want %s, %s or %s)", o.Algorithm, AlgoSVM, AlgoLogReg, AlgoNBBigram)
	}
	if o.MinN < 1 || o.MaxN < o.MinN || o.MaxN > 8 {
		return fmt.Errorf("classify: bad n-gram range %d..%d", o.MinN, o.MaxN)
	}
	if o.Bits < 8 || o.Bits > 24 {
		return fmt.Errorf("classify: bits %d out of range 8..24", o.Bits)
	}
	if o.C <= 0 || math.IsNaN(o.C) || math.IsInf(o.C, 0) {
		return fmt.Errorf("classify: C must be positive, got %v", o.C)
	}
	if o.Groups != nil && len(o.Groups) != n {
		return fmt.Errorf("classify: %d groups for %d texts", len(o.Groups), n)
	}
	return nil
}

// Prediction is the classifier's answer for one text.
type Prediction struct {
	// Label is the most probable class.
	Label string `json:"label"`
	// Prob is the calibrated probability of Label.
	Prob float64 `json:"probability"`
	// Top lists the three most probable classes, best first.
	Top []Scored `json:"top"`
	// Reasons lists the features that pushed the text towards Label most.
	Reasons []Reason `json:"reasons"`
}

// Scored is a class with its calibrated probability.
type Scored struct {
	Label string  `json:"label"`
	Prob  float64 `json:"probability"`
}

// Reason is one feature of a text and how far it pushed the decision
// towards the predicted class, in logit units (after the temperature), and
// relative to the average over all classes.
type Reason struct {
	// Feature is the n-gram or word as it appears in the normalised text.
	Feature string `json:"feature"`
	// Kind is KindChar, KindHead or KindWord.
	Kind   string  `json:"kind"`
	Weight float64 `json:"weight"`
}

// TrainInfo records how a model was trained; it is kept in the model file.
type TrainInfo struct {
	Algorithm       string  `json:"algorithm"`
	Texts           int     `json:"texts"`
	C               float64 `json:"c,omitempty"`
	Epochs          int     `json:"epochs"`
	BalancedClasses bool    `json:"balanced_classes,omitempty"`
	NBScale         bool    `json:"nb_scale,omitempty"`
	Seed            uint64  `json:"seed"`
	// CalibrationFolds is how many grouped folds gave the out-of-fold
	// scores for the temperature and the bias offsets (0: none).
	CalibrationFolds int `json:"calibration_folds,omitempty"`
	// BiasOffsets are the per-class shifts found by TuneBias, in the order
	// of the model's labels, already added to the model's biases.
	BiasOffsets []float64 `json:"bias_offsets,omitempty"`
	Temperature float64   `json:"temperature"`
	// CalibrationNLL is the mean negative log-likelihood of the
	// out-of-fold scores at the fitted temperature (0 when not calibrated).
	CalibrationNLL float64 `json:"calibration_nll,omitempty"`
	Quantized      bool    `json:"quantized"`
}

// Model is a trained classifier. It is safe for concurrent use.
type Model struct {
	labels  []string
	fc      featureConfig
	idf     []float32 // per bucket; nil unless fc.Weighting == "tfidf"
	idfLo   float32   // idf[j] = idfLo + q·idfStep with q in 0..65535
	idfStep float32
	scales  []float32 // per class, when the weights are 8-bit
	w       []float32 // bucket-major: w[j*K+c]; nil when quantised
	q       []int8    // bucket-major 8-bit weights: w[j*K+c] = q[j*K+c]·scales[c]
	bias    []float32
	temp    float64
	info    TrainInfo
	pool    sync.Pool
}

// Labels returns the classes the model knows, in the model's order.
func (m *Model) Labels() []string { return slices.Clone(m.labels) }

// Info describes how the model was trained.
func (m *Model) Info() TrainInfo { return m.info }

// Temperature is the softmax temperature fitted on held-out scores.
func (m *Model) Temperature() float64 { return m.temp }

// Buckets is the number of hash buckets (2^Bits) of the model.
func (m *Model) Buckets() int { return 1 << m.fc.Bits }

// Train fits a model to texts and their labels. Texts may be raw or
// whitespace-tokenised. It needs at least two distinct labels.
func Train(texts []string, labels []string, opts Options) (*Model, error) {
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("classify: %d texts but %d labels", len(texts), len(labels))
	}
	if len(texts) == 0 {
		return nil, errors.New("classify: no training texts")
	}
	opts = opts.withDefaults()
	if err := opts.validate(len(texts)); err != nil {
		return nil, err
	}
	classes := distinct(labels)
	if len(classes) < 2 {
		return nil, fmt.Errorf("classify: need at least two labels, got %d", len(classes))
	}
	for _, l := range classes {
		if l == "" {
			return nil, errors.New("classify: empty label")
		}
	}
	index := make(map[string]int, len(classes))
	for i, l := range classes {
		index[l] = i
	}
	y := make([]int, len(labels))
	for i, l := range labels {
		y[i] = index[l]
	}

	fc := featureConfig{MinN: opts.MinN, MaxN: opts.MaxN, Words: opts.Words, Pairs: opts.Words && opts.WordPairs,
		Head: max(opts.Head, 0), MaxRunes: max(opts.MaxRunes, 0), Bits: opts.Bits, Weighting: "tfidf"}
	if opts.Algorithm == AlgoNBBigram {
		fc.Weighting = "counts"
	}
	progress(opts, fmt.Sprintf("vectorising %d texts (2^%d buckets)", len(texts), fc.Bits))
	X := vectorize(fc, texts)
	var idf []float32
	var idfLo, idfStep float32
	if fc.Weighting == "tfidf" {
		idf, idfLo, idfStep = computeIDF(X, 1<<fc.Bits)
		for _, v := range X {
			fc.weight(v, idf)
		}
	}

	m := &Model{labels: classes, fc: fc, idf: idf, idfLo: idfLo, idfStep: idfStep, temp: 1}
	m.info = TrainInfo{Algorithm: opts.Algorithm, Texts: len(texts), Epochs: opts.Epochs,
		BalancedClasses: opts.BalancedClasses, NBScale: opts.NBScale && opts.Algorithm == AlgoSVM, Seed: opts.Seed, Quantized: !opts.Float32Weights}
	if opts.Algorithm != AlgoNBBigram {
		m.info.C = opts.C
	}
	K := len(classes)

	var offsets []float64
	if opts.CalibrationFolds >= 2 && len(texts) >= 2*opts.CalibrationFolds {
		groups := opts.Groups
		if groups == nil {
			groups = rowGroups(len(texts))
		}
		folds, err := GroupKFold(labels, groups, opts.CalibrationFolds, opts.Seed)
		if err != nil {
			return nil, err
		}
		oof := make([][]float64, len(texts))
		for f := 0; f < opts.CalibrationFolds; f++ {
			var trX []sparse
			var trY []int
			for i := range X {
				if folds[i] != f {
					trX = append(trX, X[i])
					trY = append(trY, y[i])
				}
			}
			if len(distinctInts(trY)) < 2 {
				continue
			}
			progress(opts, fmt.Sprintf("calibration fold %d/%d: training on %d texts", f+1, opts.CalibrationFolds, len(trX)))
			sub := &Model{labels: classes, fc: fc, idf: idf, temp: 1}
			sub.w, sub.bias = fit(opts, trX, trY, K, 1<<fc.Bits, f+1)
			if !opts.Float32Weights {
				sub.q, sub.scales = quantize8(sub.w, K)
				sub.w = nil
			}
			for i := range X {
				if folds[i] == f {
					oof[i] = sub.scores(X[i], make([]float64, K))
				}
			}
		}
		var S [][]float64
		var Y []int
		for i := range oof {
			if oof[i] != nil {
				S = append(S, oof[i])
				Y = append(Y, y[i])
			}
		}
		if len(S) > 0 && opts.TuneBias {
			offsets = tuneOffsets(S, Y, K)
			for _, s := range S {
				for c := range s {
					s[c] += offsets[c]
				}
			}
		}
		if len(S) > 0 {
			m.temp, m.info.CalibrationNLL = fitTemperature(S, Y)
			m.info.CalibrationFolds = opts.CalibrationFolds
		}
	}
	progress(opts, fmt.Sprintf("training %s on %d texts", opts.Algorithm, len(texts)))
	m.w, m.bias = fit(opts, X, y, K, 1<<fc.Bits, 0)
	for c := range offsets {
		m.bias[c] += float32(offsets[c])
	}
	m.info.BiasOffsets = offsets
	if !opts.Float32Weights {
		m.q, m.scales = quantize8(m.w, K)
		m.w = nil
	}
	m.info.Temperature = m.temp
	return m, nil
}

func progress(o Options, msg string) {
	if o.Progress != nil {
		o.Progress(msg)
	}
}

// fit dispatches to the configured learner; stream varies the seed
// between the calibration sub-models and the final model.
func fit(o Options, X []sparse, y []int, K, dim, stream int) ([]float32, []float32) {
	seed := o.Seed*1000003 + uint64(stream)
	var W, B []float32
	switch o.Algorithm {
	case AlgoLogReg:
		W, B = trainLogReg(X, y, K, dim, o, seed)
	case AlgoNBBigram:
		W, B = trainNB(X, y, K, dim)
	default:
		W, B = trainSVM(X, y, K, dim, o, seed)
	}
	center(W, K)
	return W, B
}

// center subtracts from each bucket's weights their mean over the classes.
// Scores then all move by the same amount, which the softmax ignores, so
// predictions are unchanged; but a weight now says directly how much a
// feature favours a class over the average class, which is what Explain
// reports, and the 8-bit grid is spent on the differences that matter.
func center(W []float32, K int) {
	for j := 0; j < len(W); j += K {
		row := W[j : j+K]
		var mean float64
		for _, w := range row {
			mean += float64(w)
		}
		mean /= float64(K)
		for c := range row {
			row[c] = float32(float64(row[c]) - mean)
		}
	}
}

func vectorize(fc featureConfig, texts []string) []sparse {
	X := make([]sparse, len(texts))
	var sc scratch
	for i, t := range texts {
		v := fc.counts(t, &sc)
		X[i] = sparse{idx: slices.Clone(v.idx), val: slices.Clone(v.val)}
	}
	return X
}

// computeIDF returns smoothed inverse document frequencies,
// ln((1+N)/(1+df)) + 1 as in scikit-learn, rounded to the 16-bit grid the
// model file stores them on.
func computeIDF(X []sparse, dim int) (idf []float32, lo, step float32) {
	df := make([]int32, dim)
	for _, v := range X {
		for _, j := range v.idx {
			df[j]++
		}
	}
	idf = make([]float32, dim)
	n := float64(len(X))
	for j := range idf {
		idf[j] = float32(math.Log((1+n)/(1+float64(df[j]))) + 1)
	}
	lo, step = idfGrid(idf)
	for j, x := range idf {
		idf[j] = lo + float32(math.Round(float64((x-lo)/step)))*step
	}
	return idf, lo, step
}

// idfGrid returns the origin and step of the 16-bit grid spanning idf.
func idfGrid(idf []float32) (lo, step float32) {
	lo, hi := idf[0], idf[0]
	for _, x := range idf {
		lo, hi = min(lo, x), max(hi, x)
	}
	step = (hi - lo) / 65535
	if step == 0 {
		step = 1
	}
	return lo, step
}

func distinct(xs []string) []string {
	s := slices.Clone(xs)
	slices.Sort(s)
	return slices.Compact(s)
}

func distinctInts(xs []int) []int {
	s := slices.Clone(xs)
	slices.Sort(s)
	return slices.Compact(s)
}

func rowGroups(n int) []string {
	g := make([]string, n)
	for i := range g {
		g[i] = fmt.Sprint(i)
	}
	return g
}

// scores computes the raw class scores of a weighted feature vector.
func (m *Model) scores(v sparse, dst []float64) []float64 {
	K := len(m.labels)
	dst = dst[:K]
	clear(dst)
	if m.q != nil {
		// 8-bit weights: a quarter of the memory traffic of float32, which
		// is what scoring a long text is bound by.
		for k, j := range v.idx {
			x := float64(v.val[k])
			row := m.q[int(j)*K : int(j)*K+K]
			for c, q := range row {
				dst[c] += x * float64(q)
			}
		}
		for c := range dst {
			dst[c] = float64(m.bias[c]) + dst[c]*float64(m.scales[c])
		}
		return dst
	}
	for k, j := range v.idx {
		x := float64(v.val[k])
		row := m.w[int(j)*K : int(j)*K+K]
		for c, wc := range row {
			dst[c] += x * float64(wc)
		}
	}
	for c := range dst {
		dst[c] += float64(m.bias[c])
	}
	return dst
}

func (m *Model) getScratch() *scratch {
	if sc, ok := m.pool.Get().(*scratch); ok {
		return sc
	}
	return &scratch{scores: make([]float64, len(m.labels))}
}

// vector normalises and weights text into sc.
func (m *Model) vector(text string, sc *scratch) sparse {
	v := m.fc.counts(text, sc)
	m.fc.weight(v, m.idf)
	return v
}

// Predict classifies one text and explains the decision with its five
// strongest features.
func (m *Model) Predict(text string) Prediction {
	return m.predict(text, 3, 5)
}

// Classify returns only the best label and its probability; it is Predict
// without the ranking and the explanation, for bulk scoring.
func (m *Model) Classify(text string) (label string, prob float64) {
	sc := m.getScratch()
	defer m.pool.Put(sc)
	s := m.scores(m.vector(text, sc), sc.scores)
	best := 0
	for c := range s {
		if s[c] > s[best] {
			best = c
		}
	}
	p := softmax(s, m.temp, make([]float64, len(s)))
	return m.labels[best], p[best]
}

// Probabilities returns the calibrated probability of every class, in the
// order of Labels.
func (m *Model) Probabilities(text string) []float64 {
	sc := m.getScratch()
	defer m.pool.Put(sc)
	s := m.scores(m.vector(text, sc), sc.scores)
	return softmax(s, m.temp, make([]float64, len(s)))
}

func (m *Model) predict(text string, top, reasons int) Prediction {
	sc := m.getScratch()
	defer m.pool.Put(sc)
	v := m.vector(text, sc)
	s := m.scores(v, sc.scores)
	p := softmax(s, m.temp, make([]float64, len(s)))
	order := make([]int, len(p))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return p[order[a]] > p[order[b]] })
	best := order[0]
	pred := Prediction{Label: m.labels[best], Prob: p[best]}
	for _, c := range order[:min(top, len(order))] {
		pred.Top = append(pred.Top, Scored{Label: m.labels[c], Prob: p[c]})
	}
	if reasons > 0 {
		pred.Reasons = m.reasons(v, best, reasons, sc)
	}
	return pred
}

// Explain returns up to n features of text that pushed the model towards
// its predicted class, strongest first.
func (m *Model) Explain(text string, n int) []Reason {
	return m.predict(text, 1, n).Reasons
}

type contribution struct {
	bucket uint32
	weight float64
}

// reasons ranks the buckets of v by how much they favour class c over the
// average class, then names them by replaying feature extraction.
func (m *Model) reasons(v sparse, c, n int, sc *scratch) []Reason {
	K := len(m.labels)
	var best []contribution
	for k, j := range v.idx {
		// Weights are centred per bucket (see center), so a weight is
		// already relative to the average class.
		var wc float64
		if m.q != nil {
			wc = float64(m.q[int(j)*K+c]) * float64(m.scales[c])
		} else {
			wc = float64(m.w[int(j)*K+c])
		}
		contrib := float64(v.val[k]) * wc / m.temp
		if contrib <= 0 {
			continue
		}
		if len(best) < n {
			best = append(best, contribution{j, contrib})
			slices.SortFunc(best, func(a, b contribution) int { return cmpDesc(a.weight, b.weight) })
		} else if contrib > best[n-1].weight {
			best[n-1] = contribution{j, contrib}
			slices.SortFunc(best, func(a, b contribution) int { return cmpDesc(a.weight, b.weight) })
		}
	}
	if len(best) == 0 {
		return nil
	}
	names, kinds := m.nameBuckets(best, sc)
	out := make([]Reason, 0, len(best))
	for i, b := range best {
		out = append(out, Reason{Feature: names[i], Kind: kinds[i], Weight: b.weight})
	}
	return out
}

func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// nameBuckets finds, for each wanted bucket, the first feature of the
// prepared text in sc that hashes to it.
func (m *Model) nameBuckets(want []contribution, sc *scratch) (names, kinds []string) {
	names = make([]string, len(want))
	kinds = make([]string, len(want))
	left := len(want)
	m.fc.walk(sc, func(b uint32, kind string, i, n int) bool {
		for k := range want {
			if want[k].bucket == b && names[k] == "" {
				names[k], kinds[k] = string(sc.runes[i:i+n]), kind
				left--
			}
		}
		return left > 0
	})
	return names, kinds
}

// softmax writes the probabilities of scores at temperature t into dst.
func softmax(scores []float64, t float64, dst []float64) []float64 {
	dst = dst[:len(scores)]
	mx := math.Inf(-1)
	for _, s := range scores {
		mx = max(mx, s/t)
	}
	var sum float64
	for i, s := range scores {
		dst[i] = math.Exp(s/t - mx)
		sum += dst[i]
	}
	for i := range dst {
		dst[i] /= sum
	}
	return dst
}

// Describe summarises the options in one line, for logs and reports.
func (o Options) Describe() string {
	o = o.withDefaults()
	if o.Algorithm == AlgoNBBigram {
		return "nb-bigram: multinomial naive Bayes, Laplace α=1, character-bigram counts, 2^" + fmt.Sprint(o.Bits) + " buckets"
	}
	var b strings.Builder
	b.WriteString(o.Algorithm)
	if o.NBScale && o.Algorithm == AlgoSVM {
		b.WriteString(" (NB-scaled)")
	}
	if o.Algorithm == AlgoSVM || o.Algorithm == AlgoLogReg {
		fmt.Fprintf(&b, " C=%g", o.C)
	}
	if o.BalancedClasses {
		b.WriteString(", balanced")
	}
	if o.TuneBias && o.CalibrationFolds >= 2 {
		b.WriteString(", macro-F1 bias tuning")
	}
	fmt.Fprintf(&b, "; sublinear TF-IDF char %d-%d-grams", o.MinN, o.MaxN)
	if o.Head > 0 {
		fmt.Fprintf(&b, " + title n-grams (first %d runes)", o.Head)
	}
	if o.Words {
		b.WriteString(" + words")
		if o.WordPairs {
			b.WriteString(" + word pairs")
		}
	}
	fmt.Fprintf(&b, ", 2^%d buckets", o.Bits)
	if o.Float32Weights {
		b.WriteString(", float32 weights")
	} else {
		b.WriteString(", int8 weights")
	}
	return b.String()
}
