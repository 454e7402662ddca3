package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// classifyWriteSynthetic writes a small labelled CSV: three classes with their own
// vocabulary plus shared filler words, near-duplicate pairs sharing a group.
func classifyWriteSynthetic(t *testing.T, n int) string {
	t.Helper()
	vocab := map[string][]string{
		"城乡建设": {"物业", "小区", "停车费", "违章", "搭建", "电梯", "拆迁"},
		"教育文体": {"学校", "老师", "补课", "学位", "招生", "学生", "幼儿园"},
		"环境保护": {"噪音", "污水", "粉尘", "扰民", "排放", "垃圾", "焚烧"},
	}
	filler := []string{"反映", "问题", "希望", "领导", "尽快", "解决", "市民", "严重"}
	labels := []string{"城乡建设", "教育文体", "环境保护"}
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("\ufeffid,text,label,group\n")
	for i := range n {
		l := labels[i%3]
		var words []string
		for range 6 {
			words = append(words, vocab[l][rng.IntN(len(vocab[l]))], filler[rng.IntN(len(filler))])
		}
		fmt.Fprintf(&b, "%d,%s,%s,g%d\n", i, strings.Join(words, " "), l, i/2)
	}
	path := filepath.Join(t.TempDir(), "data.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func classifyRun(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runClassifyIO(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), err
}

func TestClassifyCommands(t *testing.T) {
	t.Parallel()
	data := classifyWriteSynthetic(t, 90)
	model := filepath.Join(t.TempDir(), "m.model")
	common := []string{"--text-column", "text", "--label-column", "label", "--calibration-folds", "2"}

	if _, err := classifyRun(t, "", append([]string{"train", "--data", data, "--out", model, "--group-column", "group"}, common...)...); err != nil {
		t.Fatalf("train: %v", err)
	}

	out, err := classifyRun(t, "楼下工厂噪音扰民，污水乱排放\n\n学校老师违规补课\n", "predict", "--model", model)
	if err != nil {
		t.Fatalf("predict: %v", err)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("predict line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 {
		t.Fatalf("predict wrote %d lines for 3 input lines:\n%s", len(lines), out)
	}
	for i, want := range []string{"环境保护", "", "教育文体"} {
		l := lines[i]
		for _, k := range []string{"label", "probability", "top", "reasons"} {
			if _, ok := l[k]; !ok {
				t.Errorf("line %d has no %q: %v", i, k, l)
			}
		}
		if l["label"] != want {
			t.Errorf("line %d: label %v, want %q", i, l["label"], want)
		}
	}
	if lines[1]["error"] == nil {
		t.Errorf("blank line: want an error field, got %v", lines[1])
	}

	out, err = classifyRun(t, "", append([]string{"eval", "--train", data, "--test", data, "--json"}, common...)...)
	if err != nil {
		t.Fatalf("eval: %v", err)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("eval output %q: %v", out, err)
	}
	for _, k := range []string{"accuracy", "macro_f1", "per_class", "train_seconds", "predict_p99_us"} {
		if _, ok := ev[k]; !ok {
			t.Errorf("eval JSON has no %q", k)
		}
	}
	if pc, _ := ev["per_class"].(map[string]any); len(pc) != 3 {
		t.Errorf("eval per_class = %v", ev["per_class"])
	} else if c, _ := pc["教育文体"].(map[string]any); c["support"] != 30.0 {
		t.Errorf("per_class 教育文体 = %v, want support 30", c)
	}

	out, err = classifyRun(t, "", append([]string{"cv", "--data", data, "--folds", "3", "--group-column", "group", "--json", "--baseline"}, common...)...)
	if err != nil {
		t.Fatalf("cv: %v", err)
	}
	var cv struct {
		MacroF1  float64   `json:"macro_f1"`
		Folds    int       `json:"folds"`
		PerFold  []float64 `json:"macro_f1_folds"`
		Baseline *struct {
			MacroF1 float64 `json:"macro_f1"`
			Model   string  `json:"model"`
		} `json:"baseline"`
	}
	if err := json.Unmarshal([]byte(out), &cv); err != nil {
		t.Fatalf("cv output %q: %v", out, err)
	}
	if cv.Folds != 3 || len(cv.PerFold) != 3 || cv.Baseline == nil || !strings.HasPrefix(cv.Baseline.Model, "nb-bigram") {
		t.Errorf("cv report incomplete: %s", out)
	}
	if cv.MacroF1 < 0.9 {
		t.Errorf("cv macro-F1 %.3f on separable data", cv.MacroF1)
	}

	out, err = classifyRun(t, "", append([]string{"cv", "--data", data, "--folds", "3"}, common...)...)
	if err != nil || !strings.Contains(out, "macro-F1") {
		t.Errorf("cv text output: %v\n%s", err, out)
	}
}

func TestClassifyBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.csv", "")
	headerOnly := write("header.csv", "text,label\n")
	noLabel := write("nolabel.csv", "text,label\n物业 收费,\n")
	ok := write("ok.csv", "text,label\n物业 收费,城乡建设\n学校 补课,教育文体\n")
	notModel := write("not.model", "hello")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "缺少子命令"},
		{"unknown subcommand", []string{"fly"}, "未知子命令"},
		{"missing flags", []string{"train", "--data", ok}, "--text-column"},
		{"missing file", []string{"train", "--data", filepath.Join(dir, "nope.csv"), "--text-column", "text", "--label-column", "label", "--out", filepath.Join(dir, "m")}, "无法打开数据文件"},
		{"empty file", []string{"train", "--data", empty, "--text-column", "text", "--label-column", "label", "--out", filepath.Join(dir, "m")}, "文件为空"},
		{"header only", []string{"train", "--data", headerOnly, "--text-column", "text", "--label-column", "label", "--out", filepath.Join(dir, "m")}, "文件为空"},
		{"unknown column", []string{"train", "--data", ok, "--text-column", "X", "--label-column", "label", "--out", filepath.Join(dir, "m")}, `找不到列 "X"`},
		{"empty label", []string{"train", "--data", noLabel, "--text-column", "text", "--label-column", "label", "--out", filepath.Join(dir, "m")}, "标签为空"},
		{"one fold", []string{"cv", "--data", ok, "--text-column", "text", "--label-column", "label", "--folds", "1"}, "--folds"},
		{"not a model", []string{"predict", "--model", notModel}, "not a model file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := runClassifyIO(tt.args, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
