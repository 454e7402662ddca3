package workday

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseNoticeCSV reads the State Council's notice typed as CSV, one
// holiday a line after a header line:
//
//	节日,放假开始,放假结束,调休上班
//	元旦,2026-01-01,2026-01-03,2026-01-04
//	春节,2026-02-15,2026-02-23,2026-02-14;2026-02-28
//
// (the header may also be name,from,to,workdays; make-up workdays are
// separated by ; or 、 and may be left empty). year is the notice's year
// and source its title; an empty source names the notice by the year.
// Errors are in Chinese and name the line.
func ParseNoticeCSV(data []byte, year int, source string) (Year, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	y := Year{Year: year, Source: noticeSource(year, source)}
	header := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return Year{}, fmt.Errorf("第 %d 行：CSV 格式有误（%v）", pe.Line, pe.Err)
			}
			return Year{}, err
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if header {
			header = false
			if h := strings.ToLower(strings.TrimSpace(rec[0])); h == "节日" || h == "name" || h == "假日" {
				continue
			}
			return Year{}, fmt.Errorf("第 %d 行：第一行应为表头“节日,放假开始,放假结束,调休上班”", line)
		}
		if len(rec) < 3 || len(rec) > 4 {
			return Year{}, fmt.Errorf("第 %d 行：应有 3 或 4 列（节日、放假开始、放假结束、调休上班），实有 %d 列", line, len(rec))
		}
		h := Holiday{Name: strings.TrimSpace(rec[0]), Workdays: []Date{}}
		for i, col := range []struct {
			name string
			to   *Date
		}{{"放假开始", &h.From}, {"放假结束", &h.To}} {
			d, err := ParseDate(strings.TrimSpace(rec[i+1]))
			if err != nil {
				return Year{}, fmt.Errorf("第 %d 行：%s日期“%s”格式不对，应为 %d-10-01", line, col.name, strings.TrimSpace(rec[i+1]), year)
			}
			*col.to = d
		}
		if len(rec) == 4 {
			for _, f := range strings.FieldsFunc(rec[3], func(r rune) bool { return r == ';' || r == '；' || r == '、' || r == ' ' }) {
				d, err := ParseDate(f)
				if err != nil {
					return Year{}, fmt.Errorf("第 %d 行：调休上班日期“%s”格式不对，应为 %d-10-11", line, f, year)
				}
				h.Workdays = append(h.Workdays, d)
			}
		}
		y.Holidays = append(y.Holidays, h)
		// Validating the year as it grows names the first line at fault.
		if err := y.Validate(); err != nil && len(y.Holidays) > 0 && !strings.Contains(err.Error(), "没有任何假日") {
			return Year{}, fmt.Errorf("第 %d 行：%w", line, err)
		}
	}
	if err := y.Validate(); err != nil {
		return Year{}, err
	}
	return y, nil
}

// ParseNoticeJSON reads a year in the JSON format of the package
// documentation, as ParseYear does, but names the line of a syntax error
// and checks that the file is for year (0: any year).
func ParseNoticeJSON(data []byte, year int) (Year, error) {
	y, err := ParseYear(data)
	if err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return Year{}, fmt.Errorf("第 %d 行：不是有效的 JSON（%v）", lineAt(data, se.Offset), se)
		case errors.As(err, &te):
			return Year{}, fmt.Errorf("第 %d 行：字段 %s 的类型不对", lineAt(data, te.Offset), te.Field)
		}
		return Year{}, err
	}
	if year != 0 && y.Year != year {
		return Year{}, fmt.Errorf("文件中的年份是 %d，与所选的 %d 年不符", y.Year, year)
	}
	return y, nil
}

func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

func noticeSource(year int, source string) string {
	if s := strings.TrimSpace(source); s != "" {
		return s
	}
	return fmt.Sprintf("国务院办公厅关于%d年部分节假日安排的通知", year)
}
