package modelstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"huying/classify"
	"huying/models"
	"huying/workflow"
)

// history is a hand-written History.
type history struct {
	examples []workflow.Example
	err      error
}

func (h history) TrainingExamples(context.Context) ([]workflow.Example, error) {
	return h.examples, h.err
}

// fewClasses is n examples of two classes, as a district whose
// dispatchers confirmed only a few categories would have.
func fewClasses(n int) history {
	var h history
	for i := range n {
		ex := workflow.Example{AppealID: int64(i + 1), Text: "小区 物业 停车费 乱收费", Label: "城乡建设", Correction: i%5 == 0}
		if i%2 == 1 {
			ex.Text, ex.Label = "学校 违规 补课 收费", "教育文体"
		}
		h.examples = append(h.examples, ex)
	}
	return h
}

func TestCurrentAndSave(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	shipped, from, err := Current(dir)
	if err != nil || from != shippedName {
		t.Fatalf("Current of an empty data directory: %q, %v; want the shipped model", from, err)
	}
	if err := os.MkdirAll(filepath.Join(dir, Dir), 0o750); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, Dir, "current.model")
	if err := Save(shipped, path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("Save left its temporary file: %v", err)
	}
	m, from, err := Current(dir)
	if err != nil || from != path {
		t.Fatalf("Current after Save: %q, %v; want %s", from, err, path)
	}
	var a, b bytes.Buffer
	if err := shipped.Save(&a); err != nil {
		t.Fatal(err)
	}
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || !bytes.Equal(a.Bytes(), models.Teddy2020) {
		t.Error("the saved model does not load back as the same model")
	}
}

func TestLiveSwap(t *testing.T) {
	t.Parallel()
	m, _, err := Current(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	live := NewLive(m)
	if got, want := live.Predict("学校老师违规补课").Label, m.Predict("学校老师违规补课").Label; got != want {
		t.Errorf("Predict %q, want %q", got, want)
	}
	other, err := classify.Train([]string{"物业 收费", "学校 补课", "物业 停车", "学校 招生"}, []string{"甲", "乙", "甲", "乙"},
		classify.Options{Algorithm: classify.AlgoNBBigram, CalibrationFolds: -1})
	if err != nil {
		t.Fatal(err)
	}
	live.Swap(other)
	if live.Model() != other || live.Predict("学校 补课").Label != "乙" {
		t.Errorf("after Swap: %q", live.Predict("学校 补课").Label)
	}
}

func TestHeldBackExclude(t *testing.T) {
	t.Parallel()
	hb, err := LoadHeldBack()
	if err != nil {
		t.Fatal(err)
	}
	if hb.Len() != 497 {
		t.Fatalf("held-back set of %d texts, want 497", hb.Len())
	}
	seg, err := classify.ParseDataset(bytes.NewReader(models.HeldBackSegmented), "train-sample.csv", "分词文本", "一级标签", "dup_group")
	if err != nil {
		t.Fatal(err)
	}
	// teddy2020 rows: a held-back one (spaced differently), a near
	// duplicate in its group, the row of a held-back row_id, and two
	// others; then a foreign corpus that reuses the same ids and groups.
	teddy := classify.Dataset{
		Texts:  []string{strings.ReplaceAll(seg.Texts[0], " ", "  "), "另一种 说法", "同一 编号", "别的 诉求", "又一 诉求"},
		Labels: []string{"交通运输", "交通运输", "交通运输", "城乡建设", "城乡建设"},
		IDs:    []string{"x1", "x2", seg.IDs[1], "x4", "x5"},
		Groups: []string{"gx1", seg.Groups[0], "gx3", "gx4", "gx5"},
	}
	kept, n := hb.Exclude(teddy)
	if n != 3 || strings.Join(kept.Texts, "|") != "别的 诉求|又一 诉求" || strings.Join(kept.IDs, "|") != "x4|x5" || len(kept.Groups) != 2 {
		t.Errorf("teddy2020: dropped %d, kept %+v; want 3 dropped", n, kept)
	}
	foreign := classify.Dataset{Texts: teddy.Texts[1:], Labels: teddy.Labels[1:], IDs: teddy.IDs[1:], Groups: teddy.Groups[1:]}
	if kept, n := hb.Exclude(foreign); n != 0 || len(kept.Texts) != 4 {
		t.Errorf("a foreign corpus: dropped %d of its rows by teddy2020's ids and groups", n)
	}
}

func TestRetrainRefusesHistoryOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var progress bytes.Buffer
	rec, m, err := Retrain(context.Background(), dir, fewClasses(40), nil, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if m != nil || rec.Promoted || rec.Model != "" || rec.History != 40 || rec.Corrections != 8 || rec.HeldBack != 497 {
		t.Fatalf("record %+v", rec)
	}
	for _, want := range []string{"未使用基础训练集", "「商贸旅游」只有 0 条训练样本", "留出集 macro-F1 由"} {
		if !strings.Contains(strings.Join(rec.Refusals, "；"), want) {
			t.Errorf("no refusal %q in %q", want, rec.Refusals)
		}
	}
	for _, want := range []string{"当前模型（models/teddy2020.model（随程序发布））macro-F1", "结论：未替换当前模型。原因：未使用基础训练集"} {
		if !strings.Contains(rec.Summary, want) {
			t.Errorf("summary lacks %q: %s", want, rec.Summary)
		}
	}
	if !strings.Contains(progress.String(), "训练新模型：40 条") {
		t.Errorf("progress %q", progress.String())
	}
	if _, err := os.Stat(filepath.Join(dir, Dir, "current.model")); !os.IsNotExist(err) {
		t.Errorf("a refused retrain wrote current.model: %v", err)
	}
	hist, err := os.ReadFile(filepath.Join(dir, Dir, "history.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var line Record
	if err := json.Unmarshal(hist, &line); err != nil || line.Summary != rec.Summary || line.Promoted {
		t.Errorf("history.jsonl %s: %v", hist, err)
	}
}

func TestRetrainErrors(t *testing.T) {
	t.Parallel()
	if _, _, err := Retrain(context.Background(), t.TempDir(), fewClasses(19), nil, io.Discard); err == nil || !strings.Contains(err.Error(), "训练样本不足") {
		t.Errorf("19 examples: %v", err)
	}
	boom := errors.New("boom")
	if _, _, err := Retrain(context.Background(), t.TempDir(), history{err: boom}, nil, io.Discard); !errors.Is(err, boom) {
		t.Errorf("history error: %v", err)
	}
}

// TestScheduleKeepsRefusedModel: a scheduled retrain that is refused logs
// its decision and leaves the live model alone; one whose base corpus has
// gone logs that it did not train.
func TestScheduleKeepsRefusedModel(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		base := filepath.Join(dir, "base.csv")
		var csv strings.Builder
		csv.WriteString("text,label\n")
		for i := range 30 {
			fmt.Fprintf(&csv, "小区 物业 第%d号 收费,城乡建设\n", i)
		}
		if err := os.WriteFile(base, []byte(csv.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		shipped, _, err := Current(dir)
		if err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		s := &Schedule{Every: time.Hour, Base: base, TextColumn: "text", LabelColumn: "label", DataDir: dir,
			History: fewClasses(20), Live: NewLive(shipped), Logger: slog.New(slog.NewTextHandler(&log, nil))}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Hour + time.Second)
		synctest.Wait()
		if err := os.Remove(base); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		s.Stop()
		if s.Live.Model() != shipped {
			t.Error("a refused retrain swapped the live model")
		}
		out := log.String()
		for _, want := range []string{"promoted=false", "结论：未替换当前模型", "未训练：无法读取基础训练集"} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %q:\n%s", want, out)
			}
		}
	})
}

func TestScheduleWithoutLive(t *testing.T) {
	t.Parallel()
	s := &Schedule{Every: time.Hour}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Stop()
}

// TestRetrainRules checks the promotion rules on their own.
func TestRetrainRules(t *testing.T) {
	t.Parallel()
	labels := []string{"甲", "乙"}
	metrics := func(f1, ra, rb float64) classify.Metrics {
		return classify.Metrics{MacroF1: f1, N: 100, PerClass: map[string]classify.ClassMetrics{
			"甲": {Recall: ra, Support: 50}, "乙": {Recall: rb, Support: 50}}}
	}
	good := Record{Base: 1000, Training: map[string]int{"甲": 500, "乙": 500},
		Current: metrics(0.90, 0.90, 0.90), Candidate: metrics(0.91, 0.92, 0.90)}
	tests := []struct {
		name   string
		change func(*Record)
		want   string // "" = promoted
	}{
		{"better", func(*Record) {}, ""},
		{"equal", func(r *Record) { r.Candidate = r.Current }, ""},
		{"recall down 2 points", func(r *Record) { r.Candidate = metrics(0.91, 0.95, 0.88) }, ""},
		{"macro-F1 down", func(r *Record) { r.Candidate = metrics(0.899, 0.90, 0.90) }, "macro-F1 由 0.9000 降至 0.8990"},
		{"recall down 3 points", func(r *Record) { r.Candidate = metrics(0.92, 0.99, 0.87) }, "「乙」召回率由 90.0% 降至 87.0%"},
		{"no base", func(r *Record) { r.Base = 0 }, "未使用基础训练集"},
		{"few examples", func(r *Record) { r.Training["乙"] = MinPerClass - 1 }, "「乙」只有 49 条训练样本"},
		{"a class of the current model missing", func(r *Record) { delete(r.Training, "乙") }, "「乙」只有 0 条训练样本"},
		{"a new class with few examples", func(r *Record) { r.Training["丙"] = 3 }, "「丙」只有 3 条训练样本"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := good
			rec.Training = map[string]int{"甲": 500, "乙": 500}
			tt.change(&rec)
			rec.RecallChange = recallChange(rec.Current, rec.Candidate)
			got := refusals(rec, labels)
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("refused: %q", got)
			case tt.want != "" && !strings.Contains(strings.Join(got, "；"), tt.want):
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
