// Package route measures 统一分拨: whether an appeal reaches the right
// unit. A Router runs the steps of intake's triage that decide the unit —
// classify the text, place the address, rank the dispatch catalogue's
// matters — and Evaluate scores it on labelled appeals (each with its
// lead unit and the units also acceptable), reporting unit accuracy,
// auto-dispatch coverage and precision at a threshold, and per unit.
// Calibrate picks the auto-dispatch threshold from labelled rows.
//
// testdata/cases.csv is the 坪山区 evaluation set: written for this
// package (invented appeals with real street and community names), a third
// of it marked test and never used to tune the catalogue or the threshold.
package route

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"huying/classify"
	"huying/dispatch"
)

// Classifier proposes categories for a text (*classify.Model).
type Classifier interface {
	Predict(text string) classify.Prediction
}

// Placer places an address in its street and community (place.Locator).
type Placer interface {
	Match(address string) (street, community, note string, ok bool)
}

// Router is intake's routing without the store: either of Classifier and
// Places may be nil.
type Router struct {
	Classifier Classifier
	Places     Placer
	Catalogue  *dispatch.Catalogue
}

// Result is a routing of one appeal.
type Result struct {
	Street, Community string
	Prediction        classify.Prediction
	Candidates        []dispatch.Candidate
}

// Priors turns a prediction's top classes into routing priors.
func Priors(p classify.Prediction) []dispatch.Prior {
	out := make([]dispatch.Prior, 0, len(p.Top))
	for _, s := range p.Top {
		out = append(out, dispatch.Prior{Category: s.Label, Prob: s.Prob})
	}
	return out
}

// Route classifies, places and ranks one appeal.
func (r Router) Route(text, address string) Result {
	var res Result
	if r.Classifier != nil {
		res.Prediction = r.Classifier.Predict(text)
	}
	if r.Places != nil {
		if st, c, _, ok := r.Places.Match(address); ok {
			res.Street, res.Community = st, c
		}
	}
	res.Candidates = r.Catalogue.Rank(dispatch.Query{Street: res.Street, Community: res.Community, Text: text,
		Priors: Priors(res.Prediction)})
	return res
}

// Case is one labelled appeal.
type Case struct {
	ID    string
	Split string // "dev" or "test"
	// Lead is the unit that should lead; Alternatives are units a
	// dispatcher could also defend (职责交叉).
	Lead         string
	Alternatives []string
	Matter       string
	Address      string
	Text         string
}

// Accepts reports whether unit is the lead or an alternative.
func (c Case) Accepts(unit string) bool {
	return unit == c.Lead || slices.Contains(c.Alternatives, unit)
}

var header = []string{"id", "split", "lead", "alternatives", "matter", "address", "text"}

// ReadCases reads the CSV of labelled appeals: columns id, split (dev or
// test), lead, alternatives (unit ids joined by ";"), matter, address,
// text.
func ReadCases(r io.Reader) ([]Case, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(header)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("读取评测集表头：%w", err)
	}
	head[0] = strings.TrimPrefix(head[0], "\ufeff")
	if !slices.Equal(head, header) {
		return nil, fmt.Errorf("评测集表头须为 %s，实为 %s", strings.Join(header, ","), strings.Join(head, ","))
	}
	var out []Case
	seen := map[string]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("读取评测集：%w", err)
		}
		c := Case{ID: rec[0], Split: rec[1], Lead: rec[2], Matter: rec[4], Address: rec[5], Text: rec[6]}
		if rec[3] != "" {
			c.Alternatives = strings.Split(rec[3], ";")
		}
		switch {
		case c.ID == "" || seen[c.ID]:
			return nil, fmt.Errorf("评测集第 %d 行：编号为空或重复（%q）", len(out)+2, c.ID)
		case c.Split != "dev" && c.Split != "test":
			return nil, fmt.Errorf("评测集 %s：split 须为 dev 或 test", c.ID)
		case c.Lead == "" || c.Text == "":
			return nil, fmt.Errorf("评测集 %s：缺少主办单位或诉求内容", c.ID)
		}
		seen[c.ID] = true
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("评测集没有数据行")
	}
	return out, nil
}

// Outcome is one evaluated case.
type Outcome struct {
	Case       Case
	Top        []string // the first three candidate units
	Matter     string   // the 事项 of the first candidate
	Confidence float64
	Why        []string
	Elapsed    time.Duration
}

// Right reports whether the first candidate is the case's lead.
func (o Outcome) Right() bool { return len(o.Top) > 0 && o.Top[0] == o.Case.Lead }

// Acceptable reports whether the first candidate is the lead or an alternative.
func (o Outcome) Acceptable() bool { return len(o.Top) > 0 && o.Case.Accepts(o.Top[0]) }

// Run routes every case.
func (r Router) Run(cases []Case) []Outcome {
	out := make([]Outcome, 0, len(cases))
	if len(cases) > 0 {
		r.Route(cases[0].Text, cases[0].Address) // warm up (first use allocates the scratch)
	}
	for _, c := range cases {
		start := time.Now()
		res := r.Route(c.Text, c.Address)
		o := Outcome{Case: c, Elapsed: time.Since(start)}
		for i, cand := range res.Candidates {
			if i == 3 {
				break
			}
			o.Top = append(o.Top, cand.Unit)
		}
		if len(res.Candidates) > 0 {
			o.Matter, o.Confidence, o.Why = res.Candidates[0].Rule.Matter, res.Candidates[0].Confidence, res.Candidates[0].Why
		}
		out = append(out, o)
	}
	return out
}

// Report is what Evaluate measures.
type Report struct {
	Split string `json:"split"`
	Cases int    `json:"cases"`
	// Top1 counts the lead unit first; Top1Acceptable the lead or an
	// alternative first; Top3 the lead among the first three.
	Top1           float64 `json:"top1"`
	Top1Acceptable float64 `json:"top1_acceptable"`
	Top3           float64 `json:"top3"`
	// At Threshold: the share of cases auto-dispatched (Coverage), and
	// the share of those sent to their lead unit (Precision, strict: an
	// alternative is a wrong automatic dispatch).
	Threshold  float64      `json:"threshold"`
	Auto       int          `json:"auto"`
	Coverage   float64      `json:"coverage"`
	Precision  float64      `json:"precision"`
	Units      []UnitReport `json:"units"`
	Misses     []Miss       `json:"misses"`
	P50Micros  float64      `json:"p50_micros"`
	P99Micros  float64      `json:"p99_micros"`
	Calibrated *Calibration `json:"calibrated,omitempty"`
}

// UnitReport is one lead unit's figures: its cases, how many were routed
// to it first (recall), how many cases were routed to it first at all and
// how many of those were its (precision).
type UnitReport struct {
	Unit      string  `json:"unit"`
	Cases     int     `json:"cases"`
	Right     int     `json:"right"`
	Recall    float64 `json:"recall"`
	Routed    int     `json:"routed"`
	Precision float64 `json:"precision"`
	Auto      int     `json:"auto"`
	AutoRight int     `json:"auto_right"`
}

// Miss is a case whose lead was not first.
type Miss struct {
	ID         string  `json:"id"`
	Lead       string  `json:"lead"`
	Got        string  `json:"got"`
	Acceptable bool    `json:"acceptable"`
	Matter     string  `json:"matter"`
	Confidence float64 `json:"confidence"`
	Text       string  `json:"text"`
}

// Evaluate scores outcomes (of one split or all) at an auto-dispatch threshold.
func Evaluate(outcomes []Outcome, split string, threshold float64) Report {
	rep := Report{Split: split, Threshold: threshold}
	units := map[string]*UnitReport{}
	unit := func(id string) *UnitReport {
		if units[id] == nil {
			units[id] = &UnitReport{Unit: id}
		}
		return units[id]
	}
	var top1, acc, top3, autoRight int
	var elapsed []time.Duration
	for _, o := range outcomes {
		if split != "" && o.Case.Split != split {
			continue
		}
		rep.Cases++
		elapsed = append(elapsed, o.Elapsed)
		u := unit(o.Case.Lead)
		u.Cases++
		if o.Right() {
			top1++
			u.Right++
		} else {
			got := ""
			if len(o.Top) > 0 {
				got = o.Top[0]
			}
			rep.Misses = append(rep.Misses, Miss{ID: o.Case.ID, Lead: o.Case.Lead, Got: got, Acceptable: o.Acceptable(),
				Matter: o.Matter, Confidence: round(o.Confidence, 3), Text: o.Case.Text})
		}
		if o.Acceptable() {
			acc++
		}
		if slices.Contains(o.Top, o.Case.Lead) {
			top3++
		}
		if len(o.Top) > 0 {
			unit(o.Top[0]).Routed++
		}
		if len(o.Top) > 0 && o.Confidence >= threshold {
			rep.Auto++
			u.Auto++
			if o.Right() {
				autoRight++
				u.AutoRight++
			}
		}
	}
	if rep.Cases == 0 {
		return rep
	}
	n := float64(rep.Cases)
	rep.Top1, rep.Top1Acceptable, rep.Top3 = ratio(top1, n), ratio(acc, n), ratio(top3, n)
	rep.Coverage = ratio(rep.Auto, n)
	if rep.Auto > 0 {
		rep.Precision = ratio(autoRight, float64(rep.Auto))
	}
	for _, u := range units {
		if u.Cases > 0 {
			u.Recall = ratio(u.Right, float64(u.Cases))
		}
		// Precision: of the cases routed to u first, those whose lead is u.
		if u.Routed > 0 {
			u.Precision = ratio(u.Right, float64(u.Routed))
		}
		rep.Units = append(rep.Units, *u)
	}
	slices.SortFunc(rep.Units, func(a, b UnitReport) int {
		return cmp.Or(cmp.Compare(b.Cases, a.Cases), cmp.Compare(a.Unit, b.Unit))
	})
	slices.Sort(elapsed)
	rep.P50Micros, rep.P99Micros = percentile(elapsed, 0.50), percentile(elapsed, 0.99)
	return rep
}

// Calibration is an auto-dispatch threshold chosen on labelled rows.
type Calibration struct {
	Split  string  `json:"split"`
	Target float64 `json:"target"`
	// Threshold is the lowest at which the one-sided 95 % lower bound of
	// the precision (Wilson) is at least Target; Coverage and Precision
	// are what it gives on the calibration rows.
	Threshold  float64 `json:"threshold"`
	Coverage   float64 `json:"coverage"`
	Precision  float64 `json:"precision"`
	LowerBound float64 `json:"lower_bound"`
}

// Calibrate returns the lowest threshold (a multiple of 0.01, at least
// 0.01) at which
// the automatic dispatches of the split's outcomes are precise (strictly:
// to the lead unit) with a one-sided 95 % Wilson lower bound of at least
// target. Demanding the bound, not the observed precision, keeps a few
// lucky rows from lowering the threshold. Without such a threshold it
// returns 1 (dispatch nothing).
func Calibrate(outcomes []Outcome, split string, target float64) Calibration {
	cal := Calibration{Split: split, Target: target, Threshold: 1}
	var rows []Outcome
	for _, o := range outcomes {
		if (split == "" || o.Case.Split == split) && len(o.Top) > 0 {
			rows = append(rows, o)
		}
	}
	for t := 1.0; t > 0; t = round(t-0.01, 2) {
		auto, right := 0, 0
		for _, o := range rows {
			if o.Confidence >= t {
				auto++
				if o.Right() {
					right++
				}
			}
		}
		if lb := wilsonLower(right, auto, 1.645); auto > 0 && lb >= target {
			cal.Threshold, cal.LowerBound = t, round(lb, 4)
			cal.Precision, cal.Coverage = ratio(right, float64(auto)), ratio(auto, float64(len(rows)))
		}
	}
	return cal
}

// wilsonLower is the lower end of the Wilson score interval of k
// successes in n at z.
func wilsonLower(k, n int, z float64) float64 {
	if n == 0 {
		return 0
	}
	p, nn := float64(k)/float64(n), float64(n)
	return (p + z*z/(2*nn) - z*math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))) / (1 + z*z/nn)
}

// WriteText writes a report for people.
func (rep Report) WriteText(w io.Writer, names map[string]string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "split %s: %d cases\n", cmp.Or(rep.Split, "all"), rep.Cases)
	fmt.Fprintf(&b, "top-1 unit accuracy (lead)        %6.1f %%\n", rep.Top1*100)
	fmt.Fprintf(&b, "top-1 lead or acceptable unit     %6.1f %%\n", rep.Top1Acceptable*100)
	fmt.Fprintf(&b, "top-3 (lead among first three)    %6.1f %%\n", rep.Top3*100)
	fmt.Fprintf(&b, "auto-dispatch at %.2f: coverage %.1f %% (%d), precision %.1f %%\n",
		rep.Threshold, rep.Coverage*100, rep.Auto, rep.Precision*100)
	if c := rep.Calibrated; c != nil {
		fmt.Fprintf(&b, "calibrated on %s rows (95 %% lower bound of precision ≥ %.0f %%): threshold %.2f; there coverage %.1f %%, precision %.1f %% (bound %.1f %%)\n",
			c.Split, c.Target*100, c.Threshold, c.Coverage*100, c.Precision*100, c.LowerBound*100)
	}
	fmt.Fprintf(&b, "routing time per appeal (classify + place + rank): p50 %.0f µs, p99 %.0f µs\n\n", rep.P50Micros, rep.P99Micros)
	fmt.Fprintf(&b, "%-12s %-28s %5s %5s %7s %6s %9s %5s\n", "unit", "name", "cases", "right", "recall", "routed", "precision", "auto")
	for _, u := range rep.Units {
		fmt.Fprintf(&b, "%-12s %-28s %5d %5d %6.0f%% %6d %8.0f%% %2d/%-2d\n", u.Unit, names[u.Unit], u.Cases, u.Right, u.Recall*100,
			u.Routed, u.Precision*100, u.AutoRight, u.Auto)
	}
	if len(rep.Misses) > 0 {
		fmt.Fprintf(&b, "\nmisses (lead not first; * = an acceptable unit first):\n")
		for _, m := range rep.Misses {
			mark := " "
			if m.Acceptable {
				mark = "*"
			}
			fmt.Fprintf(&b, "%s %s want %s got %s (%s, %.2f) %s\n", mark, m.ID, m.Lead, cmp.Or(m.Got, "—"), m.Matter, m.Confidence, m.Text)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func ratio(a int, n float64) float64 { return round(float64(a)/n, 4) }

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

func percentile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return round(float64(sorted[max(i, 0)].Nanoseconds())/1000, 1)
}
