package classify

import (
	"encoding/csv"
	"os"
	"strings"
	"sync"
	"testing"
)

// The tests' labelled data: 497 rows sampled from the teddy2020 data, the
// shipped model's held-back set (see models/heldback/README.md). The
// full-data figures are `make eval`'s.
const (
	trainCSV = "../models/heldback/train-sample.csv"
	rawCSV   = "../models/heldback/raw-sample.csv"
)

// readCSV returns the rows of a CSV file as maps from column to value.
func readCSV(tb testing.TB, path string) []map[string]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[strings.TrimPrefix(h, "\ufeff")] = r[i]
		}
		rows = append(rows, row)
	}
	return rows
}

type example struct {
	text, label, group string
	hasRaw             bool
}

var (
	trainOnce sync.Once
	trainRows []map[string]string
)

// loadExamples returns train.csv as examples (text = 分词文本, label =
// 一级标签, group = dup_group).
func loadExamples(tb testing.TB) []example {
	tb.Helper()
	trainOnce.Do(func() { trainRows = readCSV(tb, trainCSV) })
	return cachedExamples()
}

// cachedExamples converts the rows loadExamples read.
func cachedExamples() []example {
	var out []example
	for _, r := range trainRows {
		out = append(out, example{r["分词文本"], r["一级标签"], r["dup_group"], r["has_raw"] == "1"})
	}
	return out
}

func split(ex []example) (texts, labels, groups []string) {
	for _, e := range ex {
		texts = append(texts, e.text)
		labels = append(labels, e.label)
		groups = append(groups, e.group)
	}
	return texts, labels, groups
}
