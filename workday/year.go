package workday

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// embedded holds one file per year, 2020–2027, transcribed from the State
// Council's notices. 2027 is best-known data that was not checked against the
// notice's text (see the note in data/2027.json); administrators correct any
// year with `huying calendar import`.
//
//go:embed data/*.json
var embedded embed.FS

// Year is one year's official holiday arrangement, as published by the State
// Council (国务院办公厅关于某年部分节假日安排的通知). See the package documentation for
// its file format.
type Year struct {
	Year     int       `json:"year"`           // the year the notice is for
	Source   string    `json:"source"`         // the notice's title and date
	Note     string    `json:"note,omitempty"` // anything an administrator should know
	Holidays []Holiday `json:"holidays"`       // in the notice's order
}

// Holiday is one holiday of a Year: a run of days off and the weekend days
// worked in exchange.
type Holiday struct {
	// Name is the holiday's name as the notice gives it, such as 春节.
	Name string `json:"name"`
	// From and To are the first and the last day off, inclusive.
	From Date `json:"from"`
	To   Date `json:"to"`
	// Workdays are the Saturdays and Sundays worked instead (调休上班日).
	Workdays []Date `json:"workdays"`
}

// DaysOff returns every day from h.From to h.To, in order.
func (h Holiday) DaysOff() []Date {
	var out []Date
	for d := h.From.days(); d <= h.To.days(); d++ {
		out = append(out, civil(d))
	}
	return out
}

// Limits on what a year file may contain; anything outside them is a typo.
const (
	minYear    = 2000
	maxYear    = 2100
	maxRunDays = 31
)

// ParseYear reads and validates one year's arrangement in the JSON format of
// the package documentation. Its errors are in Chinese, since they are shown
// to the administrator who imports the file.
func ParseYear(data []byte) (Year, error) {
	var y Year
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&y); err != nil {
		return Year{}, fmt.Errorf("不是有效的节假日安排 JSON：%w", err)
	}
	if dec.More() {
		return Year{}, errors.New("不是有效的节假日安排 JSON：文件末尾有多余内容")
	}
	if err := y.Validate(); err != nil {
		return Year{}, err
	}
	return y, nil
}

// Validate checks the rules of the package documentation: a plausible year,
// dates near that year, no overlapping holidays, make-up workdays on weekends
// only, and no day both off and worked.
func (y Year) Validate() error {
	if y.Year < minYear || y.Year > maxYear {
		return fmt.Errorf("年份 %d 不在 %d–%d 之间", y.Year, minYear, maxYear)
	}
	if len(y.Holidays) == 0 {
		return fmt.Errorf("%d 年的安排里没有任何假日", y.Year)
	}
	// A New Year holiday may start in December of the year before, and a
	// make-up day may fall in January of the year after.
	lo := Date{y.Year - 1, time.December, 1}.days()
	hi := Date{y.Year + 1, time.January, 31}.days()
	inRange := func(d Date) bool { return d.days() >= lo && d.days() <= hi }

	seen := map[int32]string{} // day → "放假" or "上班" with the holiday's name
	for i, h := range y.Holidays {
		where := fmt.Sprintf("第 %d 个假日", i+1)
		if strings.TrimSpace(h.Name) == "" {
			return fmt.Errorf("%s没有名称", where)
		}
		where = fmt.Sprintf("%s“%s”", where, h.Name)
		if h.From.IsZero() || h.To.IsZero() {
			return fmt.Errorf("%s缺少 from 或 to 日期", where)
		}
		if h.To.Before(h.From) {
			return fmt.Errorf("%s的结束日期 %s 早于开始日期 %s", where, h.To, h.From)
		}
		if !inRange(h.From) || !inRange(h.To) {
			return fmt.Errorf("%s的日期 %s 至 %s 不在 %d 年前后", where, h.From, h.To, y.Year)
		}
		if n := h.To.days() - h.From.days() + 1; n > maxRunDays {
			return fmt.Errorf("%s连续放假 %d 天，超过 %d 天，请检查日期", where, n, maxRunDays)
		}
		for d := h.From.days(); d <= h.To.days(); d++ {
			if prev, ok := seen[d]; ok {
				return fmt.Errorf("%s的放假日 %s 与%s重复", where, civil(d), prev)
			}
			seen[d] = "“" + h.Name + "”放假日"
		}
		for _, w := range h.Workdays {
			if w.IsZero() {
				return fmt.Errorf("%s有空的调休上班日期", where)
			}
			if !inRange(w) {
				return fmt.Errorf("%s的调休上班日 %s 不在 %d 年前后", where, w, y.Year)
			}
			if wd := w.Weekday(); wd != time.Saturday && wd != time.Sunday {
				return fmt.Errorf("%s的调休上班日 %s 是%s，调休上班日只能是周六或周日", where, w, WeekdayName(wd))
			}
			if prev, ok := seen[w.days()]; ok {
				return fmt.Errorf("%s的调休上班日 %s 与%s重复", where, w, prev)
			}
			seen[w.days()] = "“" + h.Name + "”调休上班日"
		}
	}
	return nil
}

// Embedded returns the arrangements built into the binary (2020–2027),
// sorted by year.
func Embedded() ([]Year, error) {
	return readDir(embedded, "data")
}

// EmbeddedYear returns the built-in arrangement for one year.
func EmbeddedYear(year int) (Year, bool) {
	data, err := embedded.ReadFile(path.Join("data", strconv.Itoa(year)+".json"))
	if err != nil {
		return Year{}, false
	}
	y, err := ParseYear(data)
	if err != nil {
		return Year{}, false
	}
	return y, true
}

// OverlayDir is the folder, inside an administrator's data directory, that
// holds imported year files (calendar/<year>.json).
const OverlayDir = "calendar"

// Overlay returns base with every year file found in fsys under
// OverlayDir replacing the base arrangement of the same year (or adding a
// year). A missing folder is not an error: there is simply nothing to overlay.
// The result is sorted by year.
func Overlay(base []Year, fsys fs.FS) ([]Year, error) {
	extra, err := readDir(fsys, OverlayDir)
	if err != nil {
		return nil, err
	}
	byYear := map[int]Year{}
	for _, y := range base {
		byYear[y.Year] = y
	}
	for _, y := range extra {
		byYear[y.Year] = y
	}
	out := make([]Year, 0, len(byYear))
	for _, y := range byYear {
		out = append(out, y)
	}
	slices.SortFunc(out, func(a, b Year) int { return a.Year - b.Year })
	return out, nil
}

// readDir parses every <year>.json in dir of fsys and checks that each file's
// name matches the year it declares.
func readDir(fsys fs.FS, dir string) ([]Year, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("读取节假日目录 %s 失败：%w", dir, err)
	}
	var out []Year
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") {
			continue
		}
		file := path.Join(dir, name)
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("读取 %s 失败：%w", file, err)
		}
		y, err := ParseYear(data)
		if err != nil {
			return nil, fmt.Errorf("%s：%w", file, err)
		}
		if want := strconv.Itoa(y.Year) + ".json"; name != want {
			return nil, fmt.Errorf("%s：文件声明的是 %d 年，文件名应为 %s", file, y.Year, want)
		}
		out = append(out, y)
	}
	slices.SortFunc(out, func(a, b Year) int { return a.Year - b.Year })
	return out, nil
}
