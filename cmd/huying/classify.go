package main

import (
	"bufio"
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
  train    --data FILE.csv --text-column C --label-column L --out MODEL
  eval     --train FILE.csv --test FILE.csv --text-column C --label-column L [--json]
  cv       --data FILE.csv --folds 5 --group-column dup_group --text-column C --label-column L [--json] [--baseline]
  predict  --model MODEL   (texts on stdin, one per line; JSON lines on stdout)

Run "huying classify <subcommand> -h" for every flag.
`

// runClassify runs "huying classify ...". args excludes "classify".
func runClassify(args []string, stdout, stderr io.Writer) error {
	return runClassifyIO(args, os.Stdin, stdout, stderr)
}

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
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, classifyUsage)
		return nil
	default:
		fmt.Fprint(stderr, classifyUsage)
		return fmt.Errorf("classify: 未知子命令 %q (unknown subcommand)", args[0])
	}
}

// modelFlags are the training options shared by train, eval and cv.
type modelFlags struct {
	algorithm string
	words     bool
	pairs     bool
	head      int
	bits      int
	minN      int
	maxN      int
	c         float64
	epochs    int
	balanced  bool
	nbScale   bool
	tuneBias  bool
	float32   bool
	seed      uint64
	calFolds  int
}

func addModelFlags(fs *flag.FlagSet) *modelFlags {
	var mf modelFlags
	fs.StringVar(&mf.algorithm, "algorithm", classify.AlgoSVM, "learner: svm, logreg or nb-bigram (the baseline)")
	fs.BoolVar(&mf.words, "words", false, "also use whitespace tokens (pre-segmented text) as features")
	fs.BoolVar(&mf.pairs, "word-pairs", false, "with --words, also use pairs of consecutive tokens")
	fs.IntVar(&mf.head, "head", 0, "also count n-grams of the first N runes (the title) as separate features")
	fs.IntVar(&mf.bits, "bits", 0, "hash table size 2^bits (default 18; 20 for nb-bigram)")
	fs.IntVar(&mf.minN, "min-n", 0, "shortest character n-gram (default 1)")
	fs.IntVar(&mf.maxN, "max-n", 0, "longest character n-gram (default 3)")
	fs.Float64Var(&mf.c, "c", 0, "regularisation: SVM cost / inverse L2 strength (default 1)")
	fs.IntVar(&mf.epochs, "epochs", 0, "maximum passes over the data (default 60 svm, 12 logreg)")
	fs.BoolVar(&mf.balanced, "balanced", false, "weight classes by inverse frequency")
	fs.BoolVar(&mf.nbScale, "nb-scale", false, "scale features by naive Bayes log-count ratios (NBSVM)")
	fs.BoolVar(&mf.tuneBias, "tune-bias", false, "shift class biases to maximise out-of-fold macro-F1 (needs calibration folds)")
	fs.BoolVar(&mf.float32, "float32", false, "keep float32 weights instead of 8-bit")
	fs.Uint64Var(&mf.seed, "seed", 1, "random seed (training is deterministic for a seed)")
	fs.IntVar(&mf.calFolds, "calibration-folds", 0, "folds for fitting the softmax temperature (default 3; -1 = none)")
	return &mf
}

func (mf *modelFlags) options(stderr io.Writer) classify.Options {
	return classify.Options{
		Algorithm: mf.algorithm, Words: mf.words, WordPairs: mf.pairs, Head: mf.head, Bits: mf.bits, MinN: mf.minN, MaxN: mf.maxN,
		C: mf.c, Epochs: mf.epochs, BalancedClasses: mf.balanced, NBScale: mf.nbScale, TuneBias: mf.tuneBias, Float32Weights: mf.float32,
		Seed: mf.seed, CalibrationFolds: mf.calFolds,
		Progress: func(msg string) { fmt.Fprintln(stderr, "  "+msg) },
	}
}

func (mf *modelFlags) describe() string {
	if mf.algorithm == classify.AlgoNBBigram {
		return "nb-bigram (multinomial NB, Laplace α=1, character-bigram counts)"
	}
	minN, maxN := mf.minN, mf.maxN
	if minN == 0 {
		minN = 1
	}
	if maxN == 0 {
		maxN = 3
	}
	bits := mf.bits
	if bits == 0 {
		bits = 18
	}
	s := fmt.Sprintf("%s on sublinear TF-IDF char %d-%d-grams", mf.algorithm, minN, maxN)
	if mf.words {
		s += " + words"
	}
	s += fmt.Sprintf(", 2^%d buckets", bits)
	if mf.float32 {
		s += ", float32 weights"
	} else {
		s += ", int8 weights"
	}
	return s
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("huying classify "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func required(pairs ...string) error {
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
	fs := newFlagSet("train", stderr)
	data := fs.String("data", "", "training CSV file (UTF-8, with a header row)")
	textCol := fs.String("text-column", "", "column holding the text")
	labelCol := fs.String("label-column", "", "column holding the label")
	groupCol := fs.String("group-column", "", "optional column of near-duplicate groups, kept together when calibrating")
	out := fs.String("out", "", "where to write the model")
	mf := addModelFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := required("data", *data, "text-column", *textCol, "label-column", *labelCol, "out", *out); err != nil {
		return err
	}
	ds, err := readDataset(*data, *textCol, *labelCol, *groupCol)
	if err != nil {
		return err
	}
	opts := mf.options(stderr)
	opts.Groups = ds.groups
	fmt.Fprintf(stderr, "training %s on %d texts from %s\n", mf.describe(), len(ds.texts), *data)
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

// scoreReport is what eval and cv print for one model.
type scoreReport struct {
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
}

// scorer accumulates predictions and their timings.
type scorer struct {
	gold, pred []string
	probs      []float64 // probability of the predicted label
	goldProb   []float64
	lat        []time.Duration
	busy       time.Duration
	train      time.Duration
	trainings  int
}

func (s *scorer) run(m *classify.Model, texts, labels []string) {
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

func (s *scorer) report(name string) (scoreReport, error) {
	met, err := classify.Evaluate(s.gold, s.pred)
	if err != nil {
		return scoreReport{}, err
	}
	r := scoreReport{Model: name, Accuracy: met.Accuracy, MacroF1: met.MacroF1, PerClass: met.PerClass, N: met.N}
	correct := make([]bool, len(s.gold))
	for i := range correct {
		correct[i] = s.gold[i] == s.pred[i]
	}
	r.ECE = classify.ExpectedCalibrationError(s.probs, correct, 15)
	for _, p := range s.goldProb {
		r.NLL -= math.Log(max(p, 1e-12))
	}
	r.NLL /= float64(len(s.goldProb))
	if s.trainings > 0 {
		r.TrainSeconds = s.train.Seconds() / float64(s.trainings)
	}
	lat := slices.Clone(s.lat)
	slices.Sort(lat)
	r.PredictP50us = percentile(lat, 0.50)
	r.PredictP99us = percentile(lat, 0.99)
	if s.busy > 0 {
		r.TextsPerSec = float64(len(s.lat)) / s.busy.Seconds()
	}
	return r, nil
}

// percentile returns the q-quantile of sorted durations in microseconds
// (nearest rank).
func percentile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	i = min(max(i, 0), len(sorted)-1)
	return float64(sorted[i].Nanoseconds()) / 1e3
}

func classifyEval(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", stderr)
	trainPath := fs.String("train", "", "training CSV file")
	testPath := fs.String("test", "", "test CSV file")
	textCol := fs.String("text-column", "", "column holding the text (in both files)")
	labelCol := fs.String("label-column", "", "column holding the label (in both files)")
	testTextCol := fs.String("test-text-column", "", "text column of the test file, if it differs; several columns may be joined with '+', e.g. 留言主题+留言详情")
	groupCol := fs.String("group-column", "", "optional group column of the training file, kept together when calibrating")
	asJSON := fs.Bool("json", false, "print one JSON object")
	mf := addModelFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := required("train", *trainPath, "test", *testPath, "text-column", *textCol, "label-column", *labelCol); err != nil {
		return err
	}
	tr, err := readDataset(*trainPath, *textCol, *labelCol, *groupCol)
	if err != nil {
		return err
	}
	tc := *textCol
	if *testTextCol != "" {
		tc = *testTextCol
	}
	te, err := readDataset(*testPath, tc, *labelCol, "")
	if err != nil {
		return err
	}
	opts := mf.options(stderr)
	opts.Groups = tr.groups
	fmt.Fprintf(stderr, "training %s on %d texts\n", mf.describe(), len(tr.texts))
	var s scorer
	start := time.Now()
	m, err := classify.Train(tr.texts, tr.labels, opts)
	if err != nil {
		return err
	}
	s.train, s.trainings = time.Since(start), 1
	fmt.Fprintf(stderr, "scoring %d texts\n", len(te.texts))
	s.run(m, te.texts, te.labels)
	r, err := s.report(mf.describe())
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, r)
	}
	printReports(stdout, []scoreReport{r})
	return nil
}

// cvReport is what cv prints: the model's pooled out-of-fold figures at the
// top level, and the baseline's beside them when asked for.
type cvReport struct {
	Data        string `json:"data"`
	Rows        int    `json:"rows"`
	Groups      int    `json:"groups"`
	Folds       int    `json:"folds"`
	GroupColumn string `json:"group_column"`
	Seed        uint64 `json:"seed"`
	scoreReport
	Baseline *scoreReport `json:"baseline,omitempty"`
}

func classifyCV(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("cv", stderr)
	data := fs.String("data", "", "labelled CSV file")
	folds := fs.Int("folds", 5, "number of folds")
	groupCol := fs.String("group-column", "", "column of near-duplicate groups; a group never straddles folds (default: every row its own group)")
	textCol := fs.String("text-column", "", "column holding the text")
	labelCol := fs.String("label-column", "", "column holding the label")
	asJSON := fs.Bool("json", false, "print one JSON object")
	baseline := fs.Bool("baseline", false, "also cross-validate the character-bigram naive Bayes baseline")
	mf := addModelFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := required("data", *data, "text-column", *textCol, "label-column", *labelCol); err != nil {
		return err
	}
	if *folds < 2 {
		return fmt.Errorf("classify: --folds 至少为 2 (got %d)", *folds)
	}
	ds, err := readDataset(*data, *textCol, *labelCol, *groupCol)
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
	foldOf, err := classify.GroupKFold(ds.labels, groups, *folds, mf.seed)
	if err != nil {
		return err
	}
	rep := cvReport{Data: *data, Rows: len(ds.texts), Groups: len(distinctStrings(groups)), Folds: *folds, GroupColumn: *groupCol, Seed: mf.seed}
	main, err := crossValidate(ds, groups, foldOf, *folds, mf, stderr)
	if err != nil {
		return err
	}
	rep.scoreReport = main
	if *baseline {
		bf := *mf
		bf.algorithm = classify.AlgoNBBigram
		bf.words, bf.head, bf.bits, bf.minN, bf.maxN = false, 0, 0, 0, 0
		b, err := crossValidate(ds, groups, foldOf, *folds, &bf, stderr)
		if err != nil {
			return err
		}
		rep.Baseline = &b
	}
	if *asJSON {
		return writeJSON(stdout, rep)
	}
	fmt.Fprintf(stdout, "%d-fold grouped CV on %s: %d rows, %d groups (group column %q)\n\n", rep.Folds, rep.Data, rep.Rows, rep.Groups, rep.GroupColumn)
	reps := []scoreReport{rep.scoreReport}
	if rep.Baseline != nil {
		reps = append(reps, *rep.Baseline)
	}
	printReports(stdout, reps)
	return nil
}

func crossValidate(ds dataset, groups []string, foldOf []int, k int, mf *modelFlags, stderr io.Writer) (scoreReport, error) {
	var s scorer
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
		fmt.Fprintf(stderr, "[%s] fold %d/%d: train %d, test %d\n", mf.algorithm, f+1, k, len(trT), len(teT))
		opts := mf.options(stderr)
		opts.Groups = trG
		start := time.Now()
		m, err := classify.Train(trT, trL, opts)
		if err != nil {
			return scoreReport{}, fmt.Errorf("fold %d: %w", f+1, err)
		}
		s.train += time.Since(start)
		s.trainings++
		var fs scorer
		fs.run(m, teT, teL)
		fm, err := classify.Evaluate(fs.gold, fs.pred)
		if err != nil {
			return scoreReport{}, err
		}
		f1s = append(f1s, fm.MacroF1)
		fmt.Fprintf(stderr, "[%s] fold %d/%d: macro-F1 %.4f, accuracy %.4f (%.1fs)\n", mf.algorithm, f+1, k, fm.MacroF1, fm.Accuracy, time.Since(start).Seconds())
		s.gold = append(s.gold, fs.gold...)
		s.pred = append(s.pred, fs.pred...)
		s.probs = append(s.probs, fs.probs...)
		s.goldProb = append(s.goldProb, fs.goldProb...)
		s.lat = append(s.lat, fs.lat...)
		s.busy += fs.busy
	}
	r, err := s.report(mf.describe())
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

func printReports(w io.Writer, reps []scoreReport) {
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
	fs := newFlagSet("predict", stderr)
	modelPath := fs.String("model", "", "model file written by \"huying classify train\"")
	reasons := fs.Int("reasons", 5, "number of explaining n-grams per text")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := required("model", *modelPath); err != nil {
		return err
	}
	f, err := os.Open(*modelPath)
	if err != nil {
		return fmt.Errorf("classify: 无法打开模型文件: %w", err)
	}
	m, err := classify.Load(bufio.NewReader(f))
	f.Close()
	if err != nil {
		return err
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
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("classify: 读取标准输入失败: %w", err)
	}
	return bw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// dataset is the part of a CSV file the classifier needs.
type dataset struct {
	texts, labels, groups []string
}

// readDataset reads a UTF-8 CSV file with a header row. textCol may join
// several columns with '+' (e.g. "留言主题+留言详情"); groupCol may be empty.
func readDataset(path, textCol, labelCol, groupCol string) (dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return dataset{}, fmt.Errorf("classify: 无法打开数据文件: %w", err)
	}
	defer f.Close()
	return parseDataset(f, path, textCol, labelCol, groupCol)
}

func parseDataset(r io.Reader, name, textCol, labelCol, groupCol string) (dataset, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return dataset{}, fmt.Errorf("classify: 文件为空: %s", name)
	}
	if err != nil {
		return dataset{}, fmt.Errorf("classify: %s: CSV 格式错误: %w", name, err)
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
			return dataset{}, err
		}
		textIdx = append(textIdx, i)
	}
	labelIdx, err := find(labelCol)
	if err != nil {
		return dataset{}, err
	}
	groupIdx := -1
	if groupCol != "" {
		if groupIdx, err = find(groupCol); err != nil {
			return dataset{}, err
		}
	}
	var ds dataset
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return dataset{}, fmt.Errorf("classify: %s: CSV 格式错误: %w", name, err)
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
			return dataset{}, fmt.Errorf("classify: %s: 第 %d 条记录的标签为空 (empty label)", name, line-1)
		}
		ds.texts = append(ds.texts, strings.Join(parts, " "))
		ds.labels = append(ds.labels, label)
		if groupIdx >= 0 {
			ds.groups = append(ds.groups, get(groupIdx))
		}
	}
	if len(ds.texts) == 0 {
		return dataset{}, fmt.Errorf("classify: 文件为空 (no data rows): %s", name)
	}
	return ds, nil
}

func distinctStrings(xs []string) []string {
	s := slices.Clone(xs)
	slices.Sort(s)
	return slices.Compact(s)
}
