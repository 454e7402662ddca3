package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"huying/classify"
	"huying/models"
	"huying/workflow"
)

// modelDir is where an installation keeps its retrained models, under the data directory.
const modelDir = "models"

// currentModel loads the installation's current model, or the shipped one.
func currentModel(dataDir string) (*classify.Model, string, error) {
	path := filepath.Join(dataDir, modelDir, "current.model")
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		m, err := classify.Load(f)
		return m, path, err
	}
	m, err := classify.Load(bytes.NewReader(models.Teddy2020))
	return m, "models/teddy2020.model（随程序发布）", err
}

// retrainRecord is one line of <data>/models/history.jsonl.
type retrainRecord struct {
	At          time.Time        `json:"at"`
	History     int              `json:"history_examples"`
	Corrections int              `json:"corrections"`
	Base        int              `json:"base_examples"`
	HeldBack    int              `json:"held_back"`
	Current     classify.Metrics `json:"current"`
	Candidate   classify.Metrics `json:"candidate"`
	Promoted    bool             `json:"promoted"`
	Model       string           `json:"model,omitempty"`
}

// classifyRetrain builds a new model from the installation's history
// (dispatcher categories and corrections) plus an optional base file,
// evaluates it against the current model on a held-back slice, and
// promotes it only if it is not worse. Both models' figures are kept in
// <data>/models/history.jsonl.
func classifyRetrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := DefaultConfig()
	fs := cmdFlagSet("classify retrain", stderr)
	c.dataFlags(fs)
	base := fs.String("base", "", "基础训练集 CSV（可选，如 teddy2020/train.csv）")
	textCol := fs.String("text-column", "分词文本", "基础训练集的文本列")
	labelCol := fs.String("label-column", "一级标签", "基础训练集的标签列")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := c.parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	store, svc, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	var b *classifyDataset
	if *base != "" {
		ds, err := classifyReadDataset(*base, *textCol, *labelCol, "")
		if err != nil {
			return err
		}
		b = &ds
	}
	rec, _, from, err := retrain(ctx, c.Data, svc, b, stderr)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rec)
	}
	verdict := "新模型不优于当前模型，未替换"
	if rec.Promoted {
		verdict = "新模型已启用：" + rec.Model + "（重启服务后生效）"
	}
	fmt.Fprintf(stdout, "当前模型（%s）macro-F1 %.4f，新模型 %.4f：%s\n", from, rec.Current.MacroF1, rec.Candidate.MacroF1, verdict)
	return nil
}

// retrain trains a candidate on the history (and base), compares it with
// the current model on a held-back slice, promotes it if it is not worse,
// and appends the record to <data>/models/history.jsonl. It returns the
// promoted model (nil when not promoted) and where the current one came from.
func retrain(ctx context.Context, dataDir string, svc *workflow.Service, base *classifyDataset, progress io.Writer) (retrainRecord, *classify.Model, string, error) {
	history, err := svc.TrainingExamples(ctx)
	if err != nil {
		return retrainRecord{}, nil, "", err
	}
	var trainX, trainY, testX, testY []string
	rec := retrainRecord{At: time.Now().UTC(), History: len(history)}
	for i, ex := range history {
		if ex.Correction {
			rec.Corrections++
		}
		if i%5 == 4 { // every fifth example is held back for the comparison
			testX, testY = append(testX, ex.Text), append(testY, ex.Label)
		} else {
			trainX, trainY = append(trainX, ex.Text), append(trainY, ex.Label)
		}
	}
	if base != nil {
		for i := range base.texts {
			if i%10 == 9 {
				testX, testY = append(testX, base.texts[i]), append(testY, base.labels[i])
			} else {
				trainX, trainY = append(trainX, base.texts[i]), append(trainY, base.labels[i])
			}
			rec.Base++
		}
	}
	rec.HeldBack = len(testX)
	if len(trainX) < 20 || len(testX) < 5 {
		return rec, nil, "", fmt.Errorf("训练样本不足：历史 %d 条（其中纠正 %d 条），基础 %d 条；至少需要 25 条带分类的诉求", len(history), rec.Corrections, rec.Base)
	}
	current, from, err := currentModel(dataDir)
	if err != nil {
		return rec, nil, "", fmt.Errorf("读取当前模型：%w", err)
	}
	fmt.Fprintf(progress, "训练新模型：%d 条（历史 %d 条，其中纠正 %d 条；基础 %d 条），留出 %d 条比较…\n", len(trainX), len(history), rec.Corrections, rec.Base, len(testX))
	candidate, err := classify.Train(trainX, trainY, classify.DefaultOptions())
	if err != nil {
		return rec, nil, from, err
	}
	if rec.Current, err = score(current, testX, testY); err != nil {
		return rec, nil, from, err
	}
	if rec.Candidate, err = score(candidate, testX, testY); err != nil {
		return rec, nil, from, err
	}
	rec.Promoted = rec.Candidate.MacroF1 >= rec.Current.MacroF1
	dir := filepath.Join(dataDir, modelDir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return rec, nil, from, err
	}
	if rec.Promoted {
		rec.Model = filepath.Join(dir, "model-"+rec.At.Format("20060102T150405")+".model")
		if err := saveModel(candidate, rec.Model); err != nil {
			return rec, nil, from, err
		}
		if err := saveModel(candidate, filepath.Join(dir, "current.model")); err != nil {
			return rec, nil, from, err
		}
	} else {
		candidate = nil
	}
	line, _ := json.Marshal(rec)
	f, err := os.OpenFile(filepath.Join(dir, "history.jsonl"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return rec, nil, from, err
	}
	defer f.Close()
	_, err = f.Write(append(line, '\n'))
	return rec, candidate, from, err
}

// liveModel is the classifier serve uses; a scheduled retrain swaps it.
type liveModel struct {
	p atomic.Pointer[classify.Model]
}

// Predict classifies with the current model.
func (l *liveModel) Predict(text string) classify.Prediction { return l.p.Load().Predict(text) }

func score(m *classify.Model, texts, labels []string) (classify.Metrics, error) {
	pred := make([]string, len(texts))
	for i, t := range texts {
		pred[i] = m.Predict(t).Label
	}
	return classify.Evaluate(labels, pred)
}

// saveModel writes a model file atomically.
func saveModel(m *classify.Model, path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := m.Save(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
