package transfer

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"huying"
)

// Format is a file format of exports and imports.
type Format string

// Formats.
const (
	FormatXLSX Format = "xlsx"
	FormatCSV  Format = "csv"
)

// ParseFormat reads a format name (default xlsx).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "xlsx":
		return FormatXLSX, nil
	case "csv":
		return FormatCSV, nil
	}
	return "", huying.FieldErrorf("format", "文件格式只能是 xlsx 或 csv")
}

// FormatOf is the format of a file by its name's extension.
func FormatOf(name string) (Format, error) {
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"):
		return FormatXLSX, nil
	case strings.HasSuffix(strings.ToLower(name), ".csv"):
		return FormatCSV, nil
	}
	return "", huying.FieldErrorf("file", "只能导入 .xlsx 或 .csv 文件")
}

// ContentType is the MIME type of files of the format.
func (f Format) ContentType() string {
	if f == FormatCSV {
		return "text/csv; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// Table writes rows to a spreadsheet as they come: an xlsx through
// excelize's StreamWriter (which spills to a temporary file past its
// buffer), or CSV with a UTF-8 byte-order mark so that Excel reads Chinese.
// Cells are strings, ints or times (written in zone). Every list export
// goes through one.
type Table struct {
	format Format
	zone   *time.Location
	out    io.Writer
	cells  []any
	row    int
	// xlsx
	file   *excelize.File
	stream *excelize.StreamWriter
	// csv
	buf *bufio.Writer
	csv *csv.Writer
	rec []string
}

// NewTable starts a table of format on w with the header row; Close ends
// it (an xlsx reaches w only then).
func NewTable(w io.Writer, format Format, sheet string, header []string, zone *time.Location) (*Table, error) {
	t := &Table{format: format, zone: zone, out: w, cells: make([]any, len(header))}
	switch format {
	case FormatCSV:
		t.buf = bufio.NewWriterSize(w, 64<<10)
		if _, err := t.buf.WriteString("\uFEFF"); err != nil {
			return nil, err
		}
		t.csv = csv.NewWriter(t.buf)
		t.csv.UseCRLF = true // as Excel writes CSV
		t.rec, t.row = make([]string, len(header)), 1
		return t, t.csv.Write(header)
	case FormatXLSX:
		t.file = excelize.NewFile()
		if err := t.file.SetSheetName("Sheet1", sheet); err != nil {
			return nil, err
		}
		var err error
		if t.stream, err = t.file.NewStreamWriter(sheet); err != nil {
			return nil, err
		}
		bold, err := t.file.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		if err != nil {
			return nil, err
		}
		if err := t.stream.SetColWidth(1, len(header), 16); err != nil {
			return nil, err
		}
		hdr := make([]any, len(header))
		for i, h := range header {
			hdr[i] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := t.stream.SetRow("A1", hdr, excelize.RowOpts{}); err != nil {
			return nil, err
		}
		t.row = 1
		return t, nil
	}
	return nil, fmt.Errorf("unknown format %q", format)
}

// Row writes one row; cells beyond the header are dropped.
func (t *Table) Row(cells ...any) error {
	t.row++
	if t.format == FormatCSV {
		for i := range t.rec {
			t.rec[i] = ""
			if i < len(cells) {
				t.rec[i] = t.text(cells[i])
				if _, ok := cells[i].(string); ok {
					t.rec[i] = csvSafe(t.rec[i])
				}
			}
		}
		return t.csv.Write(t.rec)
	}
	for i := range t.cells {
		t.cells[i] = nil
		if i < len(cells) {
			switch v := cells[i].(type) {
			case int, int64:
				t.cells[i] = v
			default:
				t.cells[i] = t.text(v)
			}
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, t.row)
	if err != nil {
		return err
	}
	return t.stream.SetRow(cell, t.cells)
}

// text is a cell as text: times as 2006-01-02 15:04:05 in the zone.
func (t *Table) text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.In(t.zone).Format(time.DateTime)
	case *time.Time:
		if v == nil {
			return ""
		}
		return t.text(*v)
	case bool:
		if v {
			return "是"
		}
		return "否"
	}
	return fmt.Sprint(v)
}

// csvSafe keeps a spreadsheet from running a cell as a formula (CSV
// injection): text a resident typed that starts with = + - @ is prefixed
// with an apostrophe, as OWASP advises. An xlsx keeps strings as strings.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Close ends the table and writes what is left to w.
func (t *Table) Close() error {
	if t.format == FormatCSV {
		t.csv.Flush()
		if err := t.csv.Error(); err != nil {
			return err
		}
		return t.buf.Flush()
	}
	defer t.file.Close()
	if err := t.stream.Flush(); err != nil {
		return err
	}
	_, err := t.file.WriteTo(t.out)
	return err
}

// Rows is the number of rows written after the header.
func (t *Table) Rows() int { return t.row - 1 }
