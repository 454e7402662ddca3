package classify

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

const (
	trainCSV = "../../shared/data/teddy2020/train.csv"
	rawCSV   = "../../shared/data/teddy2020/train_raw_subset.csv"
)

// readCSV returns the rows of a CSV file as maps from column to value, or
// skips the test loudly when the shared data is not there.
func readCSV(tb testing.TB, path string) []map[string]string {
	tb.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		tb.Skipf("SKIPPING: shared data %s not found; these tests need the teddy2020 data next to the repository (../shared/data/teddy2020)", path)
	}
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

// loadTrain returns texts (column 分词文本), labels (一级标签) and groups
// (dup_group) of train.csv.
func loadTrain(tb testing.TB) (texts, labels, groups []string) {
	for _, r := range readCSV(tb, trainCSV) {
		texts = append(texts, r["分词文本"])
		labels = append(labels, r["一级标签"])
		groups = append(groups, r["dup_group"])
	}
	return texts, labels, groups
}
