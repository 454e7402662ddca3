package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"huying/classify"
	"huying/modelstore"
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
	ds, err := classify.ReadDataset(*data, *textCol, *labelCol, *groupCol)
	if err != nil {
		return err
	}
	if *holdBack {
		hb, err := modelstore.LoadHeldBack()
		if err != nil {
			return err
		}
		var n int
		ds, n = hb.Exclude(ds)
		fmt.Fprintf(stderr, "held back %d rows of %s (the %d texts of models/heldback and their groups)\n", n, *data, hb.Len())
	}
	opts := mf.options(stderr, classifyExplicitFlags(fs))
	opts.Groups = ds.Groups
	fmt.Fprintf(stderr, "training %s on %d texts from %s\n", opts.Describe(), len(ds.Texts), *data)
	start := time.Now()
	m, err := classify.Train(ds.Texts, ds.Labels, opts)
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
	tr, err := classify.ReadDataset(*trainPath, *textCol, *labelCol, *groupCol)
	if err != nil {
		return err
	}
	tc := *textCol
	if *testTextCol != "" {
		tc = *testTextCol
	}
	te, err := classify.ReadDataset(*testPath, tc, *labelCol, "")
	if err != nil {
		return err
	}
	opts := mf.options(stderr, classifyExplicitFlags(fs))
	opts.Groups = tr.Groups
	fmt.Fprintf(stderr, "training %s on %d texts\n", opts.Describe(), len(tr.Texts))
	s := classify.Scorer{Now: time.Now}
	m, err := s.Train(tr.Texts, tr.Labels, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "scoring %d texts\n", len(te.Texts))
	s.Score(m, te.Texts, te.Labels)
	r, err := s.Report(opts.Describe())
	if err != nil {
		return err
	}
	if *asJSON {
		return classifyWriteJSON(stdout, r)
	}
	classifyPrintReports(stdout, []classify.Report{r})
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
	classify.Report
	Baseline *classify.Report `json:"baseline,omitempty"`
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
	ds, err := classify.ReadDataset(*data, *textCol, *labelCol, *groupCol)
	if err != nil {
		return err
	}
	opts := mf.options(stderr, classifyExplicitFlags(fs))
	split, err := classify.SplitFolds(ds, *folds, opts.Seed)
	if err != nil {
		return err
	}
	rep := classifyCVReport{Data: *data, Rows: len(ds.Texts), Groups: split.NumGroups(), Folds: *folds, GroupColumn: *groupCol, Seed: opts.Seed}
	progress := func(msg string) { fmt.Fprintln(stderr, msg) }
	s := classify.Scorer{Now: time.Now, Progress: progress}
	if rep.Report, err = s.CrossValidate(ds, split, opts); err != nil {
		return err
	}
	if *baseline {
		s := classify.Scorer{Now: time.Now, Progress: progress}
		b, err := s.CrossValidate(ds, split, classify.BaselineOptions(opts))
		if err != nil {
			return err
		}
		rep.Baseline = &b
	}
	if *asJSON {
		return classifyWriteJSON(stdout, rep)
	}
	fmt.Fprintf(stdout, "%d-fold grouped CV on %s: %d rows, %d groups (group column %q)\n\n", rep.Folds, rep.Data, rep.Rows, rep.Groups, rep.GroupColumn)
	reps := []classify.Report{rep.Report}
	if rep.Baseline != nil {
		reps = append(reps, *rep.Baseline)
	}
	classifyPrintReports(stdout, reps)
	return nil
}

func classifyPrintReports(w io.Writer, reps []classify.Report) {
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
