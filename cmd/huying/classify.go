package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"huying/classify"
)

const classifyUsage = `用法 (usage): huying classify <subcommand> [flags]

subcommands:
  train    --data FILE.csv --text-column C --label-column L --out MODEL [--hold-back]
  eval     --train FILE.csv --test FILE.csv --text-column C --label-column L [--json]
  cv       --data FILE.csv --folds 5 --group-column dup_group --text-column C --label-column L [--json] [--baseline]
  predict  --model MODEL   (texts on stdin, one per line; JSON lines on stdout)
  retrain  --base FILE.csv [--data DIR] [--db URL]   (a new model from the base corpus and dispatchers' categories
           and corrections; promoted only if it routes no worse than the current one on the shipped
           held-back set: macro-F1 not lower, no class's recall down more than 2 points, ≥ 50 examples a class)

Run "huying classify <subcommand> -h" for every flag.
`

// runClassify runs "huying classify ...", reading predict's texts from
// os.Stdin. args excludes "classify".
func runClassify(args []string, stdout, stderr io.Writer) error {
	return runClassifyIO(args, os.Stdin, stdout, stderr)
}

// runClassifyIO is runClassify with predict's input given explicitly.
func runClassifyIO(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, classifyUsage)
		return errors.New("classify: 缺少子命令 (missing subcommand)")
	}
	switch args[0] {
	case "train":
		return classifyTrain(args[1:], stdout, stderr)
	case "eval":
		return classifyEval(args[1:], stdout, stderr)
	case "cv":
		return classifyCV(args[1:], stdout, stderr)
	case "predict":
		return classifyPredict(args[1:], stdin, stdout, stderr)
	case "retrain":
		return classifyRetrain(context.Background(), args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, classifyUsage)
		return nil
	default:
		fmt.Fprint(stderr, classifyUsage)
		return fmt.Errorf("classify: 未知子命令 %q (unknown subcommand)", args[0])
	}
}

// classifyHelpOK turns the "-h" of a subcommand, whose usage the flag set
// has already printed, into success.
func classifyHelpOK(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// classifyModelFlags are the training options shared by train, eval and cv; their
// defaults are classify.DefaultOptions.
type classifyModelFlags struct {
	opts classify.Options
}

func classifyAddModelFlags(fs *flag.FlagSet) *classifyModelFlags {
	mf := &classifyModelFlags{opts: classify.DefaultOptions()}
	o := &mf.opts
	fs.StringVar(&o.Algorithm, "algorithm", o.Algorithm, "learner: svm, logreg or nb-bigram (the baseline)")
	fs.BoolVar(&o.Words, "words", o.Words, "use whitespace tokens of segmented text as features (--words=false: character n-grams only)")
	fs.BoolVar(&o.WordPairs, "word-pairs", o.WordPairs, "with --words, also use pairs of consecutive tokens")
	fs.IntVar(&o.Head, "head", o.Head, "also count n-grams of the first N runes (the title) as separate features; 0 = off")
	fs.IntVar(&o.MaxRunes, "max-runes", o.MaxRunes, "read at most N runes of a text; 0 = all")
	fs.IntVar(&o.Bits, "bits", o.Bits, "hash table size 2^bits (nb-bigram: 20 unless given)")
	fs.IntVar(&o.MinN, "min-n", o.MinN, "shortest character n-gram")
	fs.IntVar(&o.MaxN, "max-n", o.MaxN, "longest character n-gram")
	fs.Float64Var(&o.C, "c", o.C, "SVM cost (logreg: inverse L2 strength)")
	fs.IntVar(&o.Epochs, "epochs", o.Epochs, "maximum passes over the data (0: 60 for svm, 12 for logreg)")
	fs.BoolVar(&o.NBScale, "nb-scale", o.NBScale, "scale features by naive Bayes log-count ratios (NBSVM)")
	fs.BoolVar(&o.BalancedClasses, "balanced", o.BalancedClasses, "weight classes by inverse frequency")
	fs.BoolVar(&o.TuneBias, "tune-bias", o.TuneBias, "shift class biases to maximise out-of-fold macro-F1 (needs calibration folds)")
	fs.BoolVar(&o.Float32Weights, "float32", o.Float32Weights, "keep float32 weights instead of 8-bit")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "random seed (training and fold assignment are deterministic for a seed)")
	fs.IntVar(&o.CalibrationFolds, "calibration-folds", 3, "grouped folds for fitting the softmax temperature and bias offsets; -1 = none")
	return mf
}

// options returns the training options, with the NB baseline's own
// defaults when it is asked for, and progress reported on stderr.
func (mf *classifyModelFlags) options(stderr io.Writer, explicit map[string]bool) classify.Options {
	o := mf.opts
	if o.Algorithm == classify.AlgoNBBigram && !explicit["bits"] {
		o.Bits = 0
	}
	o.Progress = func(msg string) { fmt.Fprintln(stderr, "  "+msg) }
	return o
}

// classifyExplicitFlags returns the names of the flags set on the command line.
func classifyExplicitFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// classifyBaselineOptions are the options of the character-bigram naive Bayes
// baseline that cv --baseline runs beside the model.
func classifyBaselineOptions(o classify.Options) classify.Options {
	return classify.Options{Algorithm: classify.AlgoNBBigram, Seed: o.Seed, CalibrationFolds: o.CalibrationFolds, Float32Weights: true, Progress: o.Progress}
}

func classifyFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("huying classify "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func classifyRequired(pairs ...string) error {
	var missing []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			missing = append(missing, "--"+pairs[i])
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("classify: 缺少参数 %s (missing flags)", strings.Join(missing, ", "))
	}
	return nil
}

func classifyTrain(args []string, stdout, stderr io.Writer) error {
	fs := classifyFlagSet("train", stderr)
	data := fs.String("data", "", "training CSV file (UTF-8, with a header row)")
	textCol := fs.String("text-column", "", "column holding the text")
	labelCol := fs.String("label-column", "", "column holding the label")
	groupCol := fs.String("group-column", "", "optional column of near-duplicate groups, kept together when calibrating")
	out := fs.String("out", "", "where to write the model")
	holdBack := fs.Bool("hold-back", false, "leave out the shipped held-back set (models/heldback): its rows, by row_id and text, and their near-duplicate groups (--group-column); how models/teddy2020.model is trained")
	mf := classifyAddModelFlags(fs)
	if err := fs.Parse(args); err != nil {
		return classifyHelpOK(err)
	}
	if err := classifyRequired("data", *data, "text-column", *textCol, "label-column", *labelCol, "out", *out); err != nil {
		return err
	}
	ds, err := classifyReadDataset(*data, *textCol, *labelCol, *groupCol)
	if err != nil {
		return err
	}
	if *holdBack {
		hb, err := loadHeldBack()
		if err != nil {
			return err
		}
		var n int
		ds, n = hb.exclude(ds)
		fmt.Fprintf(stderr, "held back %d rows of %s (the %d texts of models/heldback and their groups)\n", n, *data, len(hb.texts))
	}
	opts := mf.options(stderr, classifyExplicitFlags(fs))
	opts.Groups = ds.groups
	fmt.Fprintf(stderr, "training %s on %d texts from %s\n", opts.Describe(), len(ds.texts), *data)
	start := time.Now()
	m, err := classify.Train(ds.texts, ds.labels, opts)
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("classify: 无法写入模型文件: %w", err)
	}
	if err := m.Save(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	st, _ := os.Stat(*out)
	var size int64
	if st != nil {
		size = st.Size()
	}
	fmt.Fprintf(stdout, "wrote %s: %d labels, %d bytes, temperature %.4g, trained in %.2fs\n",
		*out, len(m.Labels()), size, m.Temperature(), secs)
	return nil
}

// classifyScoreReport is what eval and cv print for one model.
type classifyScoreReport struct {
	Model        string                           `json:"model"`
	Accuracy     float64                          `json:"accuracy"`
	MacroF1      float64                          `json:"macro_f1"`
	PerClass     map[string]classify.ClassMetrics `json:"per_class"`
	N            int                              `json:"n"`
	MacroF1Folds []float64                        `json:"macro_f1_folds,omitempty"`
	MacroF1Mean  float64                          `json:"macro_f1_mean,omitempty"`
	MacroF1Std   float64                          `json:"macro_f1_std,omitempty"`
	// ECE is the expected calibration error of the top probability (15
	// equal-width bins) and NLL the mean negative log-likelihood of the
	// gold label.
	ECE          float64 `json:"ece"`
	NLL          float64 `json:"nll"`
	TrainSeconds float64 `json:"train_seconds"`
	PredictP50us float64 `json:"predict_p50_us"`
	PredictP99us float64 `json:"predict_p99_us"`
	TextsPerSec  float64 `json:"texts_per_sec"`
	// Thresholds is the calibration curve auto-dispatch is tuned on: for
	// each confidence threshold, the share of texts at or above it
	// (coverage) and the accuracy among them.
	Thresholds []classifyThreshold `json:"thresholds"`
}

// classifyThreshold is one point of the calibration curve.
type classifyThreshold struct {
	Threshold float64 `json:"threshold"`
	Coverage  float64 `json:"coverage"`
	Accuracy  float64 `json:"accuracy"`
}

// classifyScorer accumulates predictions and their timings.
type classifyScorer struct {
	gold, pred []string
	probs      []float64 // probability of the predicted label
	goldProb   []float64
	lat        []time.Duration
	busy       time.Duration
	train      time.Duration
	trainings  int
}

func (s *classifyScorer) run(m *classify.Model, texts, labels []string) {
	labelIndex := map[string]int{}
	for i, l := range m.Labels() {
		labelIndex[l] = i
	}
	for i, t := range texts {
		start := time.Now()
		p := m.Predict(t)
		d := time.Since(start)
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

func (s *classifyScorer) report(name string) (classifyScoreReport, error) {
	met, err := classify.Evaluate(s.gold, s.pred)
	if err != nil {
		return classifyScoreReport{}, err
	}
	r := classifyScoreReport{Model: name, Accuracy: met.Accuracy, MacroF1: met.MacroF1, PerClass: met.PerClass, N: met.N}
	correct := make([]bool, len(s.gold))
	for i := range correct {
		correct[i] = s.gold[i] == s.pred[i]
	}
	r.ECE = classify.ExpectedCalibrationError(s.probs, correct, 15)
	for _, t := range []float64{0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98} {
		n, ok := 0, 0
		for i, p := range s.probs {
			if p >= t {
				n++
				if correct[i] {
					ok++
				}
			}
		}
		r.Thresholds = append(r.Thresholds, classifyThreshold{Threshold: t, Coverage: float64(n) / float64(max(len(s.probs), 1)),
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
	r.PredictP50us = classifyPercentile(lat, 0.50)
	r.PredictP99us = classifyPercentile(lat, 0.99)
	if s.busy > 0 {
		r.TextsPerSec = float64(len(s.lat)) / s.busy.Seconds()
	}
	return r, nil
}

// classifyPercentile returns the q-quantile of sorted durations in microseconds
// (nearest rank).
func classifyPercentile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	i = min(max(i, 0), len(sorted)-1)
	return float64(sorted[i].Nanoseconds()) / 1e3
}

func classifyEval(args []string, stdout, stderr io.Writer) error {
	fs := classifyFlagSet("eval", stderr)
	trainPath := fs.String("train", "", "training CSV file")
	testPath := fs.String("test", "", "test CSV file")
	textCol := fs.String("text-column", "", "column holding the text (in both files)")
	labelCol := fs.String("label-column", "", "column holding the label (in both files)")
	testTextCol := fs.String("test-text-column", "", "text column of the test file, if it differs; several columns may be joined with '+', e.g. 留言主题+留言详情")
	groupCol := fs.String("group-column", "", "optional group column of the training file, kept together when calibrating")
	asJSON := fs.Bool("json", false, "print one JSON object")
	mf := classifyAddModelFlags(fs)
	if err := fs.Parse(args); err != nil {
		return classifyHelpOK(err)
	}
	if err := classifyRequired("train", *trainPath, "test", *testPath, "text-column", *textCol, "label-column", *labelCol); err != nil {
		return err
	}
	tr, err := classifyReadDataset(*trainPath, *textCol, *labelCol, *groupCol)
	if err != nil {
		return err
	}
	tc := *textCol
	if *testTextCol != "" {
		tc = *testTextCol
	}
	te, err := classifyReadDataset(*testPath, tc, *labelCol, "")
	if err != nil {
		return err
	}
	opts := mf.options(stderr, classifyExplicitFlags(fs))
	opts.Groups = tr.groups
	fmt.Fprintf(stderr, "training %s on %d texts\n", opts.Describe(), len(tr.texts))
	var s classifyScorer
	start := time.Now()
	m, err := classify.Train(tr.texts, tr.labels, opts)
	if err != nil {
		return err
	}
	s.train, s.trainings = time.Since(start), 1
	fmt.Fprintf(stderr, "scoring %d texts\n", len(te.texts))
	s.run(m, te.texts, te.labels)
	r, err := s.report(opts.Describe())
	if err != nil {
		return err
	}
	if *asJSON {
		return classifyWriteJSON(stdout, r)
	}
	classifyPrintReports(stdout, []classifyScoreReport{r})
	return nil
}

// classifyCVReport is what cv prints: the model's pooled out-of-fold figures at the
// top level, and the baseline's beside them when asked for.
type classifyCVReport struct {
	Data        string `json:"data"`
	Rows        int    `json:"rows"`
	Groups      int    `json:"groups"`
	Folds       int    `json:"folds"`
	GroupColumn string `json:"group_column"`
	Seed        uint64 `json:"seed"`
	classifyScoreReport
	Baseline *classifyScoreReport `json:"baseline,omitempty"`
}

func classifyCV(args []string, stdout, stderr io.Writer) error {
	fs := classifyFlagSet("cv", stderr)
	data := fs.String("data", "", "labelled CSV file")
	folds := fs.Int("folds", 5, "number of folds")
	groupCol := fs.String("group-column", "", "column of near-duplicate groups; a group never straddles folds (default: every row its own group)")
	textCol := fs.String("text-column", "", "column holding the text")
	labelCol := fs.String("label-column", "", "column holding the label")
	asJSON := fs.Bool("json", false, "print one JSON object")
	baseline := fs.Bool("baseline", false, "also cross-validate the character-bigram naive Bayes baseline")
	mf := classifyAddModelFlags(fs)
	if err := fs.Parse(args); err != nil {
		return classifyHelpOK(err)
	}
	if err := classifyRequired("data", *data, "text-column", *textCol, "label-column", *labelCol); err != nil {
		return err
	}
	if *folds < 2 {
		return fmt.Errorf("classify: --folds 至少为 2 (got %d)", *folds)
	}
	ds, err := classifyReadDataset(*data, *textCol, *labelCol, *groupCol)
	if err != nil {
		return err
	}
	groups := ds.groups
	if groups == nil {
		groups = make([]string, len(ds.texts))
		for i := range groups {
			groups[i] = fmt.Sprint(i)
		}
	}
	opts := mf.options(stderr, classifyExplicitFlags(fs))
	foldOf, err := classify.GroupKFold(ds.labels, groups, *folds, opts.Seed)
	if err != nil {
		return err
	}
	rep := classifyCVReport{Data: *data, Rows: len(ds.texts), Groups: len(classifyDistinct(groups)), Folds: *folds, GroupColumn: *groupCol, Seed: opts.Seed}
	main, err := classifyCrossValidate(ds, groups, foldOf, *folds, opts, stderr)
	if err != nil {
		return err
	}
	rep.classifyScoreReport = main
	if *baseline {
		b, err := classifyCrossValidate(ds, groups, foldOf, *folds, classifyBaselineOptions(opts), stderr)
		if err != nil {
			return err
		}
		rep.Baseline = &b
	}
	if *asJSON {
		return classifyWriteJSON(stdout, rep)
	}
	fmt.Fprintf(stdout, "%d-fold grouped CV on %s: %d rows, %d groups (group column %q)\n\n", rep.Folds, rep.Data, rep.Rows, rep.Groups, rep.GroupColumn)
	reps := []classifyScoreReport{rep.classifyScoreReport}
	if rep.Baseline != nil {
		reps = append(reps, *rep.Baseline)
	}
	classifyPrintReports(stdout, reps)
	return nil
}

func classifyCrossValidate(ds classifyDataset, groups []string, foldOf []int, k int, opts classify.Options, stderr io.Writer) (classifyScoreReport, error) {
	var s classifyScorer
	var f1s []float64
	for f := 0; f < k; f++ {
		var trT, trL, trG, teT, teL []string
		for i := range ds.texts {
			if foldOf[i] == f {
				teT, teL = append(teT, ds.texts[i]), append(teL, ds.labels[i])
			} else {
				trT, trL, trG = append(trT, ds.texts[i]), append(trL, ds.labels[i]), append(trG, groups[i])
			}
		}
		fmt.Fprintf(stderr, "[%s] fold %d/%d: train %d, test %d\n", opts.Algorithm, f+1, k, len(trT), len(teT))
		opts.Groups = trG
		start := time.Now()
		m, err := classify.Train(trT, trL, opts)
		if err != nil {
			return classifyScoreReport{}, fmt.Errorf("fold %d: %w", f+1, err)
		}
		s.train += time.Since(start)
		s.trainings++
		var fs classifyScorer
		fs.run(m, teT, teL)
		fm, err := classify.Evaluate(fs.gold, fs.pred)
		if err != nil {
			return classifyScoreReport{}, err
		}
		f1s = append(f1s, fm.MacroF1)
		fmt.Fprintf(stderr, "[%s] fold %d/%d: macro-F1 %.4f, accuracy %.4f (%.1fs)\n", opts.Algorithm, f+1, k, fm.MacroF1, fm.Accuracy, time.Since(start).Seconds())
		s.gold = append(s.gold, fs.gold...)
		s.pred = append(s.pred, fs.pred...)
		s.probs = append(s.probs, fs.probs...)
		s.goldProb = append(s.goldProb, fs.goldProb...)
		s.lat = append(s.lat, fs.lat...)
		s.busy += fs.busy
	}
	r, err := s.report(opts.Describe())
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

func classifyPrintReports(w io.Writer, reps []classifyScoreReport) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range reps {
		fmt.Fprintf(tw, "model\t%s\n", r.Model)
		fmt.Fprintf(tw, "accuracy\t%.4f\n", r.Accuracy)
		fmt.Fprintf(tw, "macro-F1\t%.4f", r.MacroF1)
		if len(r.MacroF1Folds) > 0 {
			fmt.Fprintf(tw, " (folds mean %.4f ± %.4f)", r.MacroF1Mean, r.MacroF1Std)
		}
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "calibration\tECE %.4f, NLL %.4f\n", r.ECE, r.NLL)
		fmt.Fprintf(tw, "speed\ttrain %.2fs, predict p50 %.0fµs p99 %.0fµs, %.0f texts/s\n", r.TrainSeconds, r.PredictP50us, r.PredictP99us, r.TextsPerSec)
		fmt.Fprintf(tw, "\tclass\tprecision\trecall\tf1\tsupport\n")
		labels := make([]string, 0, len(r.PerClass))
		for l := range r.PerClass {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		for _, l := range labels {
			c := r.PerClass[l]
			fmt.Fprintf(tw, "\t%s\t%.4f\t%.4f\t%.4f\t%d\n", l, c.Precision, c.Recall, c.F1, c.Support)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

func classifyPredict(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := classifyFlagSet("predict", stderr)
	modelPath := fs.String("model", "", "model file written by \"huying classify train\"")
	reasons := fs.Int("reasons", 5, "number of explaining n-grams per text")
	if err := fs.Parse(args); err != nil {
		return classifyHelpOK(err)
	}
	if err := classifyRequired("model", *modelPath); err != nil {
		return err
	}
	f, err := os.Open(*modelPath)
	if err != nil {
		return fmt.Errorf("classify: 无法打开模型文件: %w", err)
	}
	m, err := classify.Load(bufio.NewReader(f))
	f.Close()
	if err != nil {
		return fmt.Errorf("classify: 模型文件无效 %s: %w", *modelPath, err)
	}
	type line struct {
		classify.Prediction
		Error string `json:"error,omitempty"`
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	bw := bufio.NewWriter(stdout)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		text := sc.Text()
		var out line
		if strings.TrimSpace(text) == "" {
			out.Error = "空文本 (empty text)"
			out.Top, out.Reasons = []classify.Scored{}, []classify.Reason{}
		} else {
			out.Prediction = m.Predict(text)
			if *reasons != 5 {
				out.Reasons = m.Explain(text, *reasons)
			}
			if out.Reasons == nil {
				out.Reasons = []classify.Reason{}
			}
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
		// One answer per line as it comes, so that a caller can feed texts
		// one at a time through a pipe.
		if err := bw.Flush(); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("classify: 读取标准输入失败: %w", err)
	}
	return bw.Flush()
}

func classifyWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// classifyDataset is the part of a CSV file the classifier needs.
type classifyDataset struct {
	texts, labels, groups []string
	// ids is the row_id column when the file has one (teddy2020's files do).
	ids []string
}

// classifyReadDataset reads a UTF-8 CSV file with a header row. textCol may join
// several columns with '+' (e.g. "留言主题+留言详情"); groupCol may be empty.
func classifyReadDataset(path, textCol, labelCol, groupCol string) (classifyDataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return classifyDataset{}, fmt.Errorf("classify: 无法打开数据文件: %w", err)
	}
	defer f.Close()
	return classifyParseDataset(f, path, textCol, labelCol, groupCol)
}

func classifyParseDataset(r io.Reader, name, textCol, labelCol, groupCol string) (classifyDataset, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return classifyDataset{}, fmt.Errorf("classify: 文件为空: %s", name)
	}
	if err != nil {
		return classifyDataset{}, fmt.Errorf("classify: %s: CSV 格式错误: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	find := func(c string) (int, error) {
		i, ok := col[c]
		if !ok {
			return 0, fmt.Errorf("classify: %s: 找不到列 %q (columns: %s)", name, c, strings.Join(header, ", "))
		}
		return i, nil
	}
	var textIdx []int
	for _, c := range strings.Split(textCol, "+") {
		i, err := find(c)
		if err != nil {
			return classifyDataset{}, err
		}
		textIdx = append(textIdx, i)
	}
	labelIdx, err := find(labelCol)
	if err != nil {
		return classifyDataset{}, err
	}
	groupIdx := -1
	if groupCol != "" {
		if groupIdx, err = find(groupCol); err != nil {
			return classifyDataset{}, err
		}
	}
	idIdx := -1
	if i, ok := col["row_id"]; ok {
		idIdx = i
	}
	var ds classifyDataset
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return classifyDataset{}, fmt.Errorf("classify: %s: CSV 格式错误: %w", name, err)
		}
		get := func(i int) string {
			if i < len(rec) {
				return rec[i]
			}
			return ""
		}
		parts := make([]string, 0, len(textIdx))
		for _, i := range textIdx {
			parts = append(parts, strings.TrimSpace(get(i)))
		}
		label := strings.TrimSpace(get(labelIdx))
		if label == "" {
			return classifyDataset{}, fmt.Errorf("classify: %s: 第 %d 条记录的标签为空 (empty label)", name, line-1)
		}
		ds.texts = append(ds.texts, strings.Join(parts, " "))
		ds.labels = append(ds.labels, label)
		if groupIdx >= 0 {
			ds.groups = append(ds.groups, get(groupIdx))
		}
		if idIdx >= 0 {
			ds.ids = append(ds.ids, strings.TrimSpace(get(idIdx)))
		}
	}
	if len(ds.texts) == 0 {
		return classifyDataset{}, fmt.Errorf("classify: 文件为空 (no data rows): %s", name)
	}
	return ds, nil
}

func classifyDistinct(xs []string) []string {
	s := slices.Clone(xs)
	slices.Sort(s)
	return slices.Compact(s)
}
