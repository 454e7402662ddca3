package transfer

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"huying"
)

// rowReader reads a file's rows one at a time, the header first.
type rowReader interface {
	// Next returns the next row, or io.EOF.
	Next() ([]string, error)
	Close() error
}

// Open is how an import reads its file: once to count the rows, once to
// import them.
type Open func() (io.ReadCloser, error)

func openRows(open Open, format Format) (rowReader, error) {
	rc, err := open()
	if err != nil {
		return nil, err
	}
	if format == FormatCSV {
		br := bufio.NewReaderSize(rc, 64<<10)
		if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
			_, _ = br.Discard(3)
		}
		r := csv.NewReader(br)
		r.FieldsPerRecord = -1
		r.ReuseRecord = false
		return &csvRows{r: r, c: rc}, nil
	}
	f, err := excelize.OpenReader(rc)
	rc.Close()
	if err != nil {
		return nil, huying.FieldErrorf("file", "无法读取 xlsx 文件：%v", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, huying.FieldErrorf("file", "xlsx 文件中没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, huying.FieldErrorf("file", "无法读取工作表「%s」：%v", sheets[0], err)
	}
	return &xlsxRows{f: f, rows: rows}, nil
}

type csvRows struct {
	r *csv.Reader
	c io.Closer
}

func (c *csvRows) Next() ([]string, error) {
	rec, err := c.r.Read()
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return nil, huying.FieldErrorf("file", "CSV 文件第 %d 行格式错误：%v", pe.StartLine, pe.Err)
	}
	return rec, err
}

func (c *csvRows) Close() error { return c.c.Close() }

type xlsxRows struct {
	f    *excelize.File
	rows *excelize.Rows
}

func (x *xlsxRows) Next() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	return x.rows.Columns()
}

func (x *xlsxRows) Close() error {
	err := x.rows.Close()
	return errors.Join(err, x.f.Close())
}

// blank reports whether every cell of a row is empty (a spreadsheet's
// trailing rows).
func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
