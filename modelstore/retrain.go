package modelstore

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"huying/classify"
	"huying/workflow"
)

// Promotion rules: a retrained model replaces the current one only if,
// on the held-back set, its macro-F1 does not fall and no class's recall
// falls by more than MaxRecallDrop, every class has at least MinPerClass
// training examples, and the base corpus was in its training.
const (
	MaxRecallDrop = 0.02
	// MinPerClass: the shipped model has at least 413 examples of each of
	// its classes; a class learned from a few dozen local appeals routes by
	// the wording of those few.
	MinPerClass = 50
)

// Record is one retrain's decision, one line of <data>/models/history.jsonl.
type Record struct {
	At          time.Time `json:"at"`
	History     int       `json:"history_examples"`
	Corrections int       `json:"corrections"`
	Base        int       `json:"base_examples"`
	// BaseHeldBack is the base rows left out because they are (or
	// duplicate) texts of the held-back set.
	BaseHeldBack int `json:"base_held_back"`
	// Training is the candidate's training examples per class.
	Training map[string]int `json:"training"`
	// HeldBack is the size of the evaluation set, the shipped held-back set.
	HeldBack     int              `json:"held_back"`
	CurrentModel string           `json:"current_model"`
	Current      classify.Metrics `json:"current"`
	Candidate    classify.Metrics `json:"candidate"`
	// RecallChange is the candidate's recall minus the current model's, per
	// class of the held-back set.
	RecallChange map[string]float64 `json:"recall_change"`
	// Refusals say why the candidate was not promoted, in Chinese.
	Refusals []string `json:"refusals,omitempty"`
	Promoted bool     `json:"promoted"`
	Model    string   `json:"model,omitempty"`
	// Summary is the decision with both models' figures, in Chinese, as it
	// is printed and logged.
	Summary string `json:"summary"`
}

// History is where a retrain's local examples come from: the dispatchers'
// categories and corrections (*workflow.Service).
type History interface {
	TrainingExamples(ctx context.Context) ([]workflow.Example, error)
}

// ReadBase reads a base corpus, with its row_id and dup_group columns when
// it has them (teddy2020's files do), so that the held-back set's rows and
// their near duplicates can be left out.
func ReadBase(path, textCol, labelCol string) (classify.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return classify.Dataset{}, fmt.Errorf("基础训练集：%w", err)
	}
	header, err := csv.NewReader(f).Read()
	f.Close()
	if err != nil {
		return classify.Dataset{}, fmt.Errorf("基础训练集 %s：%w", path, err)
	}
	group := ""
	if slices.ContainsFunc(header, func(h string) bool { return strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) == "dup_group" }) {
		group = "dup_group"
	}
	return classify.ReadDataset(path, textCol, labelCol, group)
}

// Retrain trains a candidate on the base corpus (without the held-back
// set's rows; nil for none) and the whole history, compares it with the
// current model of dataDir on the held-back set, promotes it if it passes
// the promotion rules (writing model-<time>.model and current.model), and
// appends the record to <data>/models/history.jsonl. It returns the
// promoted model, nil when not promoted. progress gets one line in Chinese
// before training.
func Retrain(ctx context.Context, dataDir string, history History, base *classify.Dataset, progress io.Writer) (Record, *classify.Model, error) {
	examples, err := history.TrainingExamples(ctx)
	if err != nil {
		return Record{}, nil, err
	}
	hb, err := LoadHeldBack()
	if err != nil {
		return Record{}, nil, err
	}
	rec := Record{At: time.Now().UTC(), History: len(examples), HeldBack: hb.Len(), Training: map[string]int{}}
	var texts, labels, groups []string
	if base != nil {
		kept, n := hb.Exclude(*base)
		rec.Base, rec.BaseHeldBack = len(kept.Texts), n
		for i := range kept.Texts {
			g := "base:" + strconv.Itoa(i)
			if i < len(kept.Groups) && kept.Groups[i] != "" {
				g = "base-group:" + kept.Groups[i]
			}
			texts, labels, groups = append(texts, kept.Texts[i]), append(labels, kept.Labels[i]), append(groups, g)
		}
	}
	for _, ex := range examples {
		if ex.Correction {
			rec.Corrections++
		}
		texts, labels, groups = append(texts, ex.Text), append(labels, ex.Label), append(groups, "appeal:"+strconv.FormatInt(ex.AppealID, 10))
	}
	for _, l := range labels {
		rec.Training[l]++
	}
	if len(texts) < 20 {
		return rec, nil, fmt.Errorf("训练样本不足：历史 %d 条（其中纠正 %d 条），基础 %d 条；至少需要 20 条", len(examples), rec.Corrections, rec.Base)
	}
	current, from, err := Current(dataDir)
	if err != nil {
		return rec, nil, fmt.Errorf("读取当前模型：%w", err)
	}
	rec.CurrentModel = from
	fmt.Fprintf(progress, "训练新模型：%d 条（基础 %d 条，另有 %d 条与留出集重复已排除；历史 %d 条，其中纠正 %d 条），在%s（%d 条）上比较…\n",
		len(texts), rec.Base, rec.BaseHeldBack, len(examples), rec.Corrections, HeldBackName, rec.HeldBack)
	opts := classify.DefaultOptions()
	opts.Groups = groups
	candidate, err := classify.Train(texts, labels, opts)
	if err != nil {
		return rec, nil, err
	}
	if rec.Current, err = hb.Score(current); err != nil {
		return rec, nil, err
	}
	if rec.Candidate, err = hb.Score(candidate); err != nil {
		return rec, nil, err
	}
	rec.RecallChange = recallChange(rec.Current, rec.Candidate)
	rec.Refusals = refusals(rec, current.Labels())
	rec.Promoted = len(rec.Refusals) == 0
	dir := filepath.Join(dataDir, Dir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return rec, nil, err
	}
	if rec.Promoted {
		rec.Model = filepath.Join(dir, "model-"+rec.At.Format("20060102T150405")+".model")
		if err := Save(candidate, rec.Model); err != nil {
			return rec, nil, err
		}
		if err := Save(candidate, filepath.Join(dir, "current.model")); err != nil {
			return rec, nil, err
		}
	} else {
		candidate = nil
	}
	rec.Summary = summary(rec)
	line, _ := json.Marshal(rec)
	f, err := os.OpenFile(filepath.Join(dir, "history.jsonl"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return rec, nil, err
	}
	defer f.Close()
	_, err = f.Write(append(line, '\n'))
	return rec, candidate, err
}

// recallChange is the candidate's recall minus the current model's, per
// class of the evaluation set's gold labels.
func recallChange(current, candidate classify.Metrics) map[string]float64 {
	out := map[string]float64{}
	for c, m := range current.PerClass {
		if m.Support > 0 {
			out[c] = candidate.PerClass[c].Recall - m.Recall
		}
	}
	return out
}

// refusals lists, in Chinese, the promotion rules the candidate of rec
// breaks; labels are the current model's classes, which the candidate
// must keep. None means promote.
func refusals(rec Record, labels []string) []string {
	const eps = 1e-9
	var out []string
	if rec.Base == 0 {
		out = append(out, "未使用基础训练集：重新训练须始终包含基础训练集（--base），只用本地历史训练的模型只认得历史里的少数类别和说法")
	}
	classes := slices.Clone(labels)
	for c := range rec.Training {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	for _, c := range slices.Compact(classes) {
		if n := rec.Training[c]; n < MinPerClass {
			out = append(out, fmt.Sprintf("「%s」只有 %d 条训练样本，每类至少需要 %d 条", c, n, MinPerClass))
		}
	}
	if rec.Candidate.MacroF1 < rec.Current.MacroF1-eps {
		out = append(out, fmt.Sprintf("留出集 macro-F1 由 %.4f 降至 %.4f", rec.Current.MacroF1, rec.Candidate.MacroF1))
	}
	for _, c := range sortedKeys(rec.RecallChange) {
		if d := rec.RecallChange[c]; d < -MaxRecallDrop-eps {
			out = append(out, fmt.Sprintf("「%s」召回率由 %.1f%% 降至 %.1f%%（下降 %.1f 个百分点，最多允许 %.0f 个）",
				c, 100*rec.Current.PerClass[c].Recall, 100*rec.Candidate.PerClass[c].Recall, -100*d, 100*MaxRecallDrop))
		}
	}
	return out
}

// summary is the decision of rec with both models' figures, in Chinese.
func summary(rec Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "在%s（%d 条）上：当前模型（%s）macro-F1 %.4f，新模型 %.4f（%+.4f）。各类召回率：",
		HeldBackName, rec.HeldBack, rec.CurrentModel, rec.Current.MacroF1, rec.Candidate.MacroF1, rec.Candidate.MacroF1-rec.Current.MacroF1)
	for i, c := range sortedKeys(rec.RecallChange) {
		if i > 0 {
			b.WriteString("，")
		}
		fmt.Fprintf(&b, "%s %.1f%%→%.1f%%（%+.1f）", c, 100*rec.Current.PerClass[c].Recall, 100*rec.Candidate.PerClass[c].Recall, 100*rec.RecallChange[c])
	}
	fmt.Fprintf(&b, "。训练样本 %d 条（基础 %d 条，历史 %d 条，其中纠正 %d 条）。", rec.Base+rec.History, rec.Base, rec.History, rec.Corrections)
	if rec.Promoted {
		fmt.Fprintf(&b, "结论：新模型已启用：%s", rec.Model)
	} else {
		b.WriteString("结论：未替换当前模型。原因：" + strings.Join(rec.Refusals, "；"))
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
