package classify

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"ascii unchanged", "abc 123", "abc 123"},
		{"latin lower-cased", "ABC Def", "abc def"},
		{"full-width letters and digits", "ＡＢＣ１２３", "abc123"},
		{"full-width punctuation", "你好，世界！", "你好,世界!"},
		{"ideographic space", "物业\u3000管理", "物业 管理"},
		{"no-break space", "物业\u00a0管理", "物业 管理"},
		{"circled digit", "①号楼", "1号楼"},
		{"Kangxi radical", "⼀个", "一个"},
		{"square unit", "100㎡", "100m2"},
		{"traditional to simplified", "醫院門診預約難", "医院门诊预约难"},
		{"characters also used in simplified kept", "乾隆 著作", "乾隆 著作"},
		{"simplified unchanged", "城乡建设劳动和社会保障", "城乡建设劳动和社会保障"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNeedsNFKC checks the fast path that skips the normaliser: whenever it
// skips, the features must be those of the normalised text.
func TestNeedsNFKC(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"物业 管理", "a3区", "物业\u3000管理", "【投诉】物业—管理…", "ＡＢ", "①", "㎡", "\u2017x"} {
		var a, b scratch
		fc := featureConfig{MinN: 1, MaxN: 3, Words: true, Bits: 18}
		fc.prepare(s, &a)
		fc.prepare(norm2(s), &b)
		if string(a.runes) != string(b.runes) || !slices.Equal(a.spans, b.spans) {
			t.Errorf("%q: prepared %q %v, but its NFKC form gives %q %v", s, string(a.runes), a.spans, string(b.runes), b.spans)
		}
	}
}

// norm2 is Normalize without the fast path.
func norm2(s string) string {
	var b strings.Builder
	for _, r := range Normalize(s + "\uff01") { // a full-width "!" forces NFKC
		b.WriteRune(r)
	}
	return strings.TrimSuffix(b.String(), "!")
}

func TestNGrams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		n    int
		want []string
	}{
		{"tokenised text joins tokens", "物业 管理", 2, []string{"物业", "业管", "管理"}},
		{"raw text same as tokenised", "物业管理", 2, []string{"物业", "业管", "管理"}},
		{"punctuation removed", "你好，世界！", 2, []string{"你好", "好世", "世界"}},
		{"unigrams", "噪音", 1, []string{"噪", "音"}},
		{"trigrams", "搅拌站噪音", 3, []string{"搅拌站", "拌站噪", "站噪音"}},
		{"isolated latin letter dropped", "A市A1区", 2, []string{"市a", "a1", "1区"}},
		{"full width folded", "Ａ３区", 2, []string{"a3", "3区"}},
		{"too short", "路", 2, nil},
		{"n zero", "物业", 0, nil},
		{"empty", "", 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NGrams(tt.text, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("NGrams(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		want       []string
	}{
		{"jieba tokens", "投诉 A1 区苑 物业 违规 收 停车费", []string{"投诉", "a1", "区苑", "物业", "违规", "收", "停车费"}},
		{"punctuation-only token dropped", "物业 ， 管理", []string{"物业", "管理"}},
		{"isolated letter dropped", "A 市 西湖", []string{"市", "西湖"}},
		{"one token is not segmented", "物业管理", nil},
		{"raw text with layout spaces is not segmented", "投诉A市A1区苑物业违规收停车费 \n\t\t尊敬的领导：A1区苑小区位于A1区火炬路，小区物业未经业主同意", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Words(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Words(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestWalkMatchesBuckets guards the explanation: walk must enumerate the
// same features as the fast path.
func TestWalkMatchesBuckets(t *testing.T) {
	t.Parallel()
	for _, fc := range []featureConfig{
		{MinN: 1, MaxN: 3, Bits: 18},
		{MinN: 2, MaxN: 2, Bits: 20},
		{MinN: 1, MaxN: 3, Words: true, Pairs: true, Head: 5, Bits: 16},
	} {
		var sc scratch
		fc.prepare("投诉 A市 西湖 建筑 集团 占 道 施工 安全隐患", &sc)
		fast := fc.appendBuckets(nil, &sc)
		var slow []uint32
		fc.walk(&sc, func(b uint32, _ string, _, _ int) bool { slow = append(slow, b); return true })
		if !slices.Equal(fast, slow) {
			t.Errorf("%+v: walk gives %d features, appendBuckets %d (or different buckets)", fc, len(slow), len(fast))
		}
	}
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	gold := []string{"a", "a", "a", "b", "b", "c"}
	pred := []string{"a", "a", "b", "b", "c", "c"}
	m, err := Evaluate(gold, pred)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]ClassMetrics{
		"a": {Precision: 1, Recall: 2.0 / 3, F1: 0.8, Support: 3},
		"b": {Precision: 0.5, Recall: 0.5, F1: 0.5, Support: 2},
		"c": {Precision: 0.5, Recall: 1, F1: 2.0 / 3, Support: 1},
	}
	for l, w := range want {
		g := m.PerClass[l]
		if g.Support != w.Support || !near(g.Precision, w.Precision) || !near(g.Recall, w.Recall) || !near(g.F1, w.F1) {
			t.Errorf("class %s: got %+v, want %+v", l, g, w)
		}
	}
	if !near(m.Accuracy, 4.0/6) || !near(m.MacroF1, (0.8+0.5+2.0/3)/3) || m.N != 6 {
		t.Errorf("got accuracy %v macro-F1 %v n %d", m.Accuracy, m.MacroF1, m.N)
	}
	for _, tc := range []struct{ gold, pred []string }{{nil, nil}, {[]string{"a"}, nil}} {
		if _, err := Evaluate(tc.gold, tc.pred); err == nil {
			t.Errorf("Evaluate(%v, %v): want error", tc.gold, tc.pred)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestGroupKFold(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	var labels, groups []string
	for g := 0; g < 300; g++ {
		size := 1
		if g%10 == 0 {
			size = 1 + rng.IntN(6)
		}
		label := []string{"x", "y", "z"}[rng.IntN(3)]
		for range size {
			labels = append(labels, label)
			groups = append(groups, "g"+strconv.Itoa(g))
		}
	}
	for _, k := range []int{2, 5, 10} {
		folds, err := GroupKFold(labels, groups, k, 42)
		if err != nil {
			t.Fatal(err)
		}
		foldOf := map[string]int{}
		size := make([]int, k)
		for i, f := range folds {
			if f < 0 || f >= k {
				t.Fatalf("k=%d: row %d in fold %d", k, i, f)
			}
			if prev, ok := foldOf[groups[i]]; ok && prev != f {
				t.Fatalf("k=%d: group %s split over folds %d and %d", k, groups[i], prev, f)
			}
			foldOf[groups[i]] = f
			size[f]++
		}
		n := len(labels)
		for f, s := range size {
			if math.Abs(float64(s)-float64(n)/float64(k)) > float64(n)/float64(k)*0.15 {
				t.Errorf("k=%d: fold %d has %d rows of %d", k, f, s, n)
			}
		}
		again, _ := GroupKFold(labels, groups, k, 42)
		if !slices.Equal(folds, again) {
			t.Errorf("k=%d: not deterministic", k)
		}
	}
	if _, err := GroupKFold(labels, groups, 1, 1); err == nil {
		t.Error("k=1: want error")
	}
	if _, err := GroupKFold(labels, groups[:3], 2, 1); err == nil {
		t.Error("length mismatch: want error")
	}
	if _, err := GroupKFold([]string{"a", "b"}, []string{"g", "g"}, 2, 1); err == nil {
		t.Error("fewer groups than folds: want error")
	}
}

func TestFitTemperature(t *testing.T) {
	t.Parallel()
	// Labels drawn from softmax(z); scores are z·3, so the right
	// temperature is 3.
	rng := rand.New(rand.NewPCG(1, 2))
	var S [][]float64
	var y []int
	for range 4000 {
		z := []float64{rng.NormFloat64() * 2, rng.NormFloat64() * 2, rng.NormFloat64() * 2}
		p := softmax(z, 1, make([]float64, 3))
		u, c := rng.Float64(), 0
		for c < 2 && u > p[c] {
			u -= p[c]
			c++
		}
		S = append(S, []float64{z[0] * 3, z[1] * 3, z[2] * 3})
		y = append(y, c)
	}
	temp, _ := fitTemperature(S, y)
	if math.Abs(temp-3) > 0.3 {
		t.Errorf("fitted temperature %.3f, want about 3", temp)
	}
}

func TestTrainErrors(t *testing.T) {
	t.Parallel()
	texts := []string{"物业 收费", "学校 招生", "物业 停车"}
	labels := []string{"城乡建设", "教育文体", "城乡建设"}
	tests := []struct {
		name   string
		texts  []string
		labels []string
		opts   Options
	}{
		{"no texts", nil, nil, DefaultOptions()},
		{"length mismatch", texts, labels[:2], DefaultOptions()},
		{"one label", texts, []string{"a", "a", "a"}, DefaultOptions()},
		{"empty label", texts, []string{"a", "", "a"}, DefaultOptions()},
		{"unknown algorithm", texts, labels, Options{Algorithm: "forest"}},
		{"bad n-gram range", texts, labels, Options{MinN: 3, MaxN: 2}},
		{"bad bits", texts, labels, Options{Bits: 30}},
		{"negative C", texts, labels, Options{C: -1}},
		{"groups mismatch", texts, labels, Options{Groups: []string{"a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Train(tt.texts, tt.labels, tt.opts); err == nil {
				t.Error("want error")
			}
		})
	}
}

// sample splits the fixture by dup_group: groups whose id is divisible by
// 5 are the test set (so no near-duplicate straddles the split); the other
// rows train. Rows that have a raw version are left out of training so
// that the raw-text test does not see them (the fixture has none).
func sample(tb testing.TB) (train, test []example) {
	return sampleOf(loadExamples(tb))
}

func sampleOf(ex []example) (train, test []example) {
	for _, e := range ex {
		g, _ := strconv.Atoi(e.group)
		switch {
		case g%5 == 0:
			test = append(test, e)
		case !e.hasRaw:
			train = append(train, e)
		}
	}
	return train, test
}

// sampleModel trains the default model on the sample once for all tests.
var sampleModel = sync.OnceValues(func() (*Model, error) {
	train, _ := sampleOf(cachedExamples())
	texts, labels, groups := split(train)
	opts := DefaultOptions()
	opts.Groups = groups
	opts.CalibrationFolds = 2
	return Train(texts, labels, opts)
})

func mustSampleModel(t testing.TB) *Model {
	t.Helper()
	loadExamples(t) // skips when the data is absent
	m, err := sampleModel()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainPredictSample(t *testing.T) {
	t.Parallel()
	m := mustSampleModel(t)
	_, test := sample(t)
	var gold, pred []string
	for _, e := range test {
		p := m.Predict(e.text)
		gold, pred = append(gold, e.label), append(pred, p.Label)
		checkPrediction(t, m, e.text, p)
	}
	met, err := Evaluate(gold, pred)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained on %d texts; %d held-out texts: accuracy %.4f, macro-F1 %.4f", m.Info().Texts, len(test), met.Accuracy, met.MacroF1)
	// On the 392-row fixture: accuracy 0.8442, macro-F1 0.8501 (315
	// training texts, 77 held out); the floor leaves a margin for changes
	// that are not regressions. The full data's figures (5-fold grouped CV
	// macro-F1 0.932) are make eval's.
	if met.MacroF1 < 0.80 {
		t.Errorf("macro-F1 %.4f below the floor 0.80", met.MacroF1)
	}
}

// checkPrediction checks the shape of a prediction.
func checkPrediction(t *testing.T, m *Model, text string, p Prediction) {
	t.Helper()
	if len(p.Top) != 3 || p.Top[0].Label != p.Label || p.Top[0].Prob != p.Prob {
		t.Fatalf("top %+v does not start with the label %s", p.Top, p.Label)
	}
	for i := 1; i < len(p.Top); i++ {
		if p.Top[i].Prob > p.Top[i-1].Prob {
			t.Fatalf("top not sorted: %+v", p.Top)
		}
	}
	var sum float64
	for _, q := range m.Probabilities(text) {
		sum += q
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("probabilities sum to %v", sum)
	}
	if len(p.Reasons) == 0 {
		t.Fatalf("no reasons for %q", text)
	}
	all := strings.Join(NGrams(text, 1), "")
	for _, r := range p.Reasons {
		if r.Weight <= 0 || !strings.Contains(all, r.Feature) {
			t.Fatalf("reason %+v: not a positive feature of the text", r)
		}
	}
}

// TestRawText trains on jieba-tokenised text and classifies raw text (title
// and detail of train_raw_subset.csv, rows the model did not train on).
func TestRawText(t *testing.T) {
	t.Parallel()
	m := mustSampleModel(t)
	var gold, pred []string
	for _, r := range readCSV(t, rawCSV) {
		text := r["留言主题"] + " " + r["留言详情"]
		if Words(text) != nil {
			t.Fatalf("raw text taken as segmented: %q", text)
		}
		p := m.Predict(text)
		checkPrediction(t, m, text, p)
		gold, pred = append(gold, r["一级标签"]), append(pred, p.Label)
	}
	met, err := Evaluate(gold, pred)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("raw text, %d rows: accuracy %.4f, macro-F1 %.4f", len(gold), met.Accuracy, met.MacroF1)
	// Seven balanced classes: chance is 14 %. Measured accuracy 0.7905 on
	// the fixture's 105 raw rows with the fixture model (0.914 when trained
	// on all 6,393 rows without a raw version: make eval).
	if met.Accuracy < 0.72 {
		t.Errorf("accuracy on raw text %.4f below the floor 0.72", met.Accuracy)
	}
}

func TestNBBaseline(t *testing.T) {
	t.Parallel()
	train, test := sample(t)
	texts, labels, _ := split(train)
	m, err := Train(texts, labels, Options{Algorithm: AlgoNBBigram, CalibrationFolds: -1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Buckets() != 1<<20 || m.Info().Algorithm != AlgoNBBigram {
		t.Fatalf("baseline has %d buckets, algorithm %q", m.Buckets(), m.Info().Algorithm)
	}
	var gold, pred []string
	for _, e := range test {
		l, _ := m.Classify(e.text)
		gold, pred = append(gold, e.label), append(pred, l)
	}
	met, _ := Evaluate(gold, pred)
	t.Logf("nb-bigram baseline: accuracy %.4f, macro-F1 %.4f", met.Accuracy, met.MacroF1)
	// Measured macro-F1 0.8131.
	if met.MacroF1 < 0.78 {
		t.Errorf("baseline macro-F1 %.4f below the floor 0.78", met.MacroF1)
	}
}

func TestSaveLoad(t *testing.T) {
	t.Parallel()
	m := mustSampleModel(t)
	_, test := sample(t)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	data := slices.Clone(buf.Bytes())
	t.Logf("model file: %d bytes", len(data))
	m2, err := Load(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Labels(), m2.Labels()) || m.Temperature() != m2.Temperature() {
		t.Fatalf("labels or temperature differ: %v %v / %v %v", m.Labels(), m.Temperature(), m2.Labels(), m2.Temperature())
	}
	for _, e := range test {
		a, b := m.Predict(e.text), m2.Predict(e.text)
		if a.Label != b.Label || a.Prob != b.Prob || !slices.Equal(a.Reasons, b.Reasons) {
			t.Fatalf("loaded model predicts %+v, trained one %+v", b, a)
		}
	}
	var again bytes.Buffer
	if err := m2.Save(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again.Bytes()) {
		t.Error("saving a loaded model gives different bytes")
	}

	damage := []struct {
		name string
		edit func([]byte) []byte
	}{
		{"empty", func(b []byte) []byte { return nil }},
		{"bad magic", func(b []byte) []byte { b[0] = 'X'; return b }},
		{"other version", func(b []byte) []byte { b[8] = 99; return b }},
		{"flipped weight", func(b []byte) []byte { b[len(b)/2] ^= 0xff; return b }},
		{"truncated", func(b []byte) []byte { return b[:len(b)-100] }},
	}
	for _, d := range damage {
		if _, err := Load(bytes.NewReader(d.edit(slices.Clone(data)))); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: Load error %v, want ErrFormat", d.name, err)
		}
	}
}

func TestFloat32RoundTrip(t *testing.T) {
	t.Parallel()
	texts := []string{"小区 物业 收费 停车", "学校 招生 学位 老师", "物业 违规 收费", "老师 补课 学生", "小区 噪音 扰民", "学生 减负 作业"}
	labels := []string{"城乡建设", "教育文体", "城乡建设", "教育文体", "城乡建设", "教育文体"}
	m, err := Train(texts, labels, Options{Float32Weights: true, CalibrationFolds: -1, Bits: 12})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"物业收费太高", "学校老师补课"} {
		if a, b := m.Predict(s), m2.Predict(s); a.Prob != b.Prob || a.Label != b.Label {
			t.Errorf("%q: %+v after load, %+v before", s, b, a)
		}
	}
}

func TestTrainDeterministic(t *testing.T) {
	t.Parallel()
	train, _ := sample(t)
	texts, labels, groups := split(train[:min(len(train), 200)])
	save := func(seed uint64) []byte {
		opts := DefaultOptions()
		opts.Seed, opts.Groups, opts.CalibrationFolds = seed, groups, 2
		m, err := Train(texts, labels, opts)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if !bytes.Equal(save(3), save(3)) {
		t.Error("two trainings with the same seed differ")
	}
}

func TestCalibration(t *testing.T) {
	t.Parallel()
	m := mustSampleModel(t)
	_, test := sample(t)
	var probs []float64
	var correct []bool
	for _, e := range test {
		p := m.Predict(e.text)
		probs = append(probs, p.Prob)
		correct = append(correct, p.Label == e.label)
	}
	ece := ExpectedCalibrationError(probs, correct, 15)
	t.Logf("temperature %.4f, held-out ECE %.4f", m.Temperature(), ece)
	// Measured 0.0597 on the fixture's 146 held-out texts (77 of them
	// distinct groups); a small set is noisy, so the bound is 0.10.
	if ece > 0.10 {
		t.Errorf("expected calibration error %.4f above 0.10", ece)
	}
}

func TestExpectedCalibrationError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		prob    []float64
		correct []bool
		want    float64
	}{
		{"perfect", []float64{1, 1, 0.5, 0.5}, []bool{true, true, true, false}, 0},
		{"overconfident", []float64{0.9, 0.9}, []bool{false, false}, 0.9},
		{"empty", nil, nil, 0},
	}
	for _, tt := range tests {
		if got := ExpectedCalibrationError(tt.prob, tt.correct, 10); !near(got, tt.want) {
			t.Errorf("%s: ECE %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	m := mustSampleModel(t)
	text := "小区 搅拌站 噪音 扰民 严重 影响 居民 休息"
	p := m.Predict(text)
	if p.Label != "环境保护" {
		t.Fatalf("noise complaint classified as %s (%+v)", p.Label, p.Top)
	}
	r := m.Explain(text, 3)
	if len(r) != 3 {
		t.Fatalf("Explain gave %d reasons, want 3", len(r))
	}
	if !slices.ContainsFunc(r, func(r Reason) bool { return strings.Contains(r.Feature, "噪") || strings.Contains(r.Feature, "扰") }) {
		t.Errorf("reasons %+v do not mention the noise", r)
	}
	for i := 1; i < len(r); i++ {
		if r[i].Weight > r[i-1].Weight {
			t.Errorf("reasons not sorted: %+v", r)
		}
	}
}

func TestPredictConcurrent(t *testing.T) {
	t.Parallel()
	m := mustSampleModel(t)
	_, test := sample(t)
	test = test[:100]
	want := make([]Prediction, len(test))
	for i, e := range test {
		want[i] = m.Predict(e.text)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Go(func() {
			for k := range test {
				i := (k + g*25) % len(test)
				if got := m.Predict(test[i].text); got.Label != want[i].Label || got.Prob != want[i].Prob || !slices.Equal(got.Reasons, want[i].Reasons) {
					errs <- fmt.Sprintf("text %d: concurrent %+v, sequential %+v", i, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestShippedModel checks that models/teddy2020.model still loads with this
// package and classifies plain appeals (raw text) as its data labels them.
func TestShippedModel(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../models/teddy2020.model")
	if err != nil {
		t.Fatalf("the shipped model should be in the repository: %v", err)
	}
	defer f.Close()
	m, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	if info := m.Info(); info.Texts != 6816 || len(m.Labels()) != 7 {
		t.Errorf("shipped model trained on %d texts with %d labels, want 6816 and 7", info.Texts, len(m.Labels()))
	}
	tests := []struct{ text, want string }{
		{"学校违规补课收费", "教育文体"},
		{"医院挂号太难", "卫生计生"},
		{"工厂夜间噪音扰民", "环境保护"},
		{"公司拖欠工资不给缴社保", "劳动和社会保障"},
		{"出租车司机拒载还绕路", "交通运输"},
		{"商家虚假宣传，消费者被骗", "商贸旅游"},
		{"小区里违章搭建没人管", "城乡建设"},
		{"醫院掛號太難", "卫生计生"}, // traditional characters
	}
	for _, tt := range tests {
		if p := m.Predict(tt.text); p.Label != tt.want || p.Prob < 0.5 {
			t.Errorf("%s: %s (%.3f), want %s with probability ≥ 0.5", tt.text, p.Label, p.Prob, tt.want)
		}
	}
}
