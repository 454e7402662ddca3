package classify

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
)

// Dataset is the part of a labelled CSV file the classifier needs: one
// text and one label a row, with the row's group and id when the file has
// them.
type Dataset struct {
	Texts, Labels []string
	// Groups is each row's near-duplicate group when a group column was
	// read, else nil.
	Groups []string
	// IDs is the row_id column when the file has one (teddy2020's files
	// do), else nil.
	IDs []string
}

// ReadDataset reads a UTF-8 CSV file with a header row; see ParseDataset.
// It is the one function of the package that opens a file by name, so
// that every command reads a corpus the same way. Its errors are in
// Chinese: the commands show them as they are.
func ReadDataset(path, textCol, labelCol, groupCol string) (Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return Dataset{}, fmt.Errorf("classify: 无法打开数据文件: %w", err)
	}
	defer f.Close()
	return ParseDataset(f, path, textCol, labelCol, groupCol)
}

// ParseDataset reads a UTF-8 CSV file with a header row (a byte-order mark
// is ignored) from r; name is the file in messages. textCol may join
// several columns with '+' (e.g. "留言主题+留言详情"), whose trimmed values
// are then joined with a space; groupCol may be empty. A row_id column,
// when there is one, fills IDs. It refuses an empty file, a missing
// column and a row without a label.
func ParseDataset(r io.Reader, name, textCol, labelCol, groupCol string) (Dataset, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return Dataset{}, fmt.Errorf("classify: 文件为空: %s", name)
	}
	if err != nil {
		return Dataset{}, fmt.Errorf("classify: %s: CSV 格式错误: %w", name, err)
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
			return Dataset{}, err
		}
		textIdx = append(textIdx, i)
	}
	labelIdx, err := find(labelCol)
	if err != nil {
		return Dataset{}, err
	}
	groupIdx := -1
	if groupCol != "" {
		if groupIdx, err = find(groupCol); err != nil {
			return Dataset{}, err
		}
	}
	idIdx := -1
	if i, ok := col["row_id"]; ok {
		idIdx = i
	}
	var ds Dataset
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Dataset{}, fmt.Errorf("classify: %s: CSV 格式错误: %w", name, err)
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
			return Dataset{}, fmt.Errorf("classify: %s: 第 %d 条记录的标签为空 (empty label)", name, line-1)
		}
		ds.Texts = append(ds.Texts, strings.Join(parts, " "))
		ds.Labels = append(ds.Labels, label)
		if groupIdx >= 0 {
			ds.Groups = append(ds.Groups, get(groupIdx))
		}
		if idIdx >= 0 {
			ds.IDs = append(ds.IDs, strings.TrimSpace(get(idIdx)))
		}
	}
	if len(ds.Texts) == 0 {
		return Dataset{}, fmt.Errorf("classify: 文件为空 (no data rows): %s", name)
	}
	return ds, nil
}
