package dispatch

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"huying/classify"
)

// Prior is a category with the classifier's probability for it.
type Prior struct {
	Category string  `json:"category"`
	Prob     float64 `json:"probability"`
}

// Candidate is a unit Rank proposes: the rule (事项) that scored best for
// it, with its lead resolved, and why, in Chinese for the dispatcher.
type Candidate struct {
	Unit  string  `json:"unit"`
	Rule  Rule    `json:"rule"`
	Score float64 `json:"score"`
	// Confidence (把握度, 0 to 1) is m/(m+1) for the first candidate, m its
	// lead in score over the second, and 0 for the others and for a
	// candidate found by its category alone (a category names a
	// department, not a matter: it is never dispatched automatically).
	// Auto-dispatch compares it with AutoDispatchAt. It is a ranking
	// margin, not a probability: what a value means is measured by
	// `huying route eval`.
	Confidence float64  `json:"confidence"`
	Why        []string `json:"why"`
}

// AutoDispatchAt is the confidence at or above which intake dispatches to
// the first candidate without a dispatcher (serve --auto-dispatch).
// `huying route eval --calibrate` on the dev rows of route/testdata/cases.csv
// (never on its test rows) finds 0.01 the lowest threshold at which the
// one-sided 95 % lower bound of the precision there is at least 97 %; on the
// test rows that gives 99.0 % coverage at 97.1 % precision — the bar only
// just, on a set the catalogue's author wrote. 0.5 ships instead: on the
// test rows 91.3 % of appeals are dispatched automatically at 98.9 %
// precision (docs/BENCHMARKS.md), a margin a wrong dispatch (a 退单 and days)
// is worth.
const AutoDispatchAt = 0.5

// Scoring weights of Rank.
const (
	priorWeight     = 1.5 // × the probability of the rule's category
	fallbackShare   = 0.8 // × the probability, for a rule without keywords
	fallbackDepth   = 0.05
	communityBonus  = 0.5
	streetBonus     = 0.3
	priorityStep    = 0.2
	maxKeywordScore = 5
)

// Rank routes an appeal to units, best first, one candidate per unit.
//
// A rule with keywords fires when one of them is in the text (and none of
// its negatives), whatever the category; its score is the weight of the
// keywords found (half a point a character, longer phrases weigh more),
// plus 1.5 × the probability of its category when it has one (from
// q.Priors, or 1 under the dispatcher's q.Category). A rule without
// keywords is a category fallback: it fires only under a category with a
// probability, scoring 0.8 × that probability (plus 0.05 a level), less
// than any keyword. A place-scoped rule fires only at its street or
// community, where a matter gains a bonus; Priority adds 0.2 a step. A unit's
// score is its best rule's.
func (c *Catalogue) Rank(q Query) []Candidate {
	text := normalize(q.Text)
	best := map[string]*Candidate{}
	var order []string
	for _, r := range c.Rules {
		cand, ok := r.rank(q, text)
		if !ok {
			continue
		}
		if cur, seen := best[cand.Unit]; !seen {
			best[cand.Unit] = &cand
			order = append(order, cand.Unit)
		} else if cand.Score > cur.Score {
			*cur = cand
		}
	}
	out := make([]Candidate, 0, len(order))
	for _, u := range order {
		out = append(out, *best[u])
	}
	slices.SortStableFunc(out, func(a, b Candidate) int { return cmp.Compare(b.Score, a.Score) })
	if len(out) > 0 {
		// Only the first candidate leads; the others have confidence 0.
		next := 0.0
		if len(out) > 1 {
			next = out[1].Score
		}
		m := max(out[0].Score-next, 0)
		if len(out[0].Rule.Keywords) > 0 || out[0].Rule.Object != "" {
			out[0].Confidence = m / (m + 1)
		}
	}
	return out
}

func (r Rule) rank(q Query, text string) (Candidate, bool) {
	var why []string
	if r.Matter != "" {
		why = append(why, "事项「"+r.Matter+"」")
	}
	if hit, _ := anyWord(r.Negatives, text); hit {
		return Candidate{}, false
	}
	words := slices.Clone(r.Keywords)
	if r.Object != "" {
		words = append(words, r.Object)
	}
	score := 0.0
	if len(words) > 0 {
		found := foundWords(words, text)
		if len(found) == 0 {
			return Candidate{}, false
		}
		for _, k := range found {
			score += keywordWeight(k)
		}
		score = min(score, maxKeywordScore)
		why = append(why, "关键词「"+strings.Join(found, "」「")+"」")
	}
	if r.Category != "" {
		p, explicit := q.prior(r.Category)
		switch {
		case p == 0 && len(words) == 0:
			return Candidate{}, false
		case p == 0:
		case explicit:
			why = append(why, "调度员选定分类「"+r.Category+"」")
		default:
			why = append(why, fmt.Sprintf("分类「%s」（分类器 %.0f%%）", firstLevel(r.Category), p*100))
		}
		if len(words) > 0 {
			score += priorWeight * p
		} else {
			score = fallbackShare*p + fallbackDepth*float64(strings.Count(r.Category, "/")+1)
			why = append(why, "未命中具体事项，按分类兜底")
		}
	}
	// The place bonus goes to matters only: a fallback stays below any keyword.
	bonus := func(b float64) {
		if len(words) > 0 {
			score += b
		}
	}
	switch {
	case r.Place == "":
	case r.Place == q.Community && q.Community != "":
		bonus(communityBonus)
		why = append(why, "本社区事项")
	case r.Place == q.Street && q.Street != "":
		bonus(streetBonus)
		why = append(why, "本街道事项")
	default:
		return Candidate{}, false
	}
	score += priorityStep * float64(r.Priority)
	if r.Lead == LeadStreet {
		if q.Street == "" {
			return Candidate{}, false // the street is unknown: the rule cannot apply
		}
		r.Lead = q.Street
		why = append(why, "属地事项，直派事发街道")
	}
	r.Assists = slices.DeleteFunc(resolveAssists(r.Assists, q.Street), func(a string) bool { return a == r.Lead })
	return Candidate{Unit: r.Lead, Rule: r, Score: score, Why: why}, true
}

// prior returns the probability of a rule's category: 1 under the
// dispatcher's category (explicit), else the classifier's probability of
// the category's first level (or of the path itself) among q.Priors.
func (q Query) prior(category string) (p float64, explicit bool) {
	if q.Category != "" {
		if under(q.Category, category) || under(category, q.Category) {
			return 1, true
		}
		return 0, false
	}
	for _, x := range q.Priors {
		if under(category, x.Category) || under(x.Category, category) {
			p = max(p, x.Prob)
		}
	}
	return p, false
}

// under reports whether path is prefix or below it.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

func firstLevel(path string) string {
	first, _, _ := strings.Cut(path, "/")
	return first
}

// foundWords returns the keywords in text, leaving out one found only as
// part of a longer one found (燃气 inside 燃气泄漏).
func foundWords(words []string, text string) []string {
	var found []string
	for _, k := range words {
		if hasWord(k, text) {
			found = append(found, k)
		}
	}
	return slices.DeleteFunc(found, func(k string) bool {
		for _, o := range found {
			if o != k && strings.Contains(o, k) && !strings.Contains(k, "+") {
				return true
			}
		}
		return false
	})
}

// anyWord returns the first of words found in text.
func anyWord(words []string, text string) (bool, string) {
	for _, k := range words {
		if hasWord(k, text) {
			return true, k
		}
	}
	return false, ""
}

// hasWord reports whether every "+"-joined part of k is in text.
func hasWord(k, text string) bool {
	for _, part := range wordParts(k) {
		if !strings.Contains(text, part) {
			return false
		}
	}
	return true
}

// partsCache maps a keyword to its normalised "+"-joined parts. Keywords
// come from catalogues, so it stays small.
var partsCache sync.Map

func wordParts(k string) []string {
	if v, ok := partsCache.Load(k); ok {
		return v.([]string)
	}
	parts := strings.Split(k, "+")
	for i, p := range parts {
		parts[i] = normalize(p)
	}
	partsCache.Store(k, parts)
	return parts
}

// keywordWeight is half a point a character of the keyword's parts, at
// most four points.
func keywordWeight(k string) float64 {
	n := utf8.RuneCountInString(strings.ReplaceAll(k, "+", ""))
	return 0.5 * float64(min(n, 8))
}

// normalize is the classifier's normal form (NFKC, lower case, simplified
// characters) without spaces, so that 「燃 气」 and 「燃氣」 match 燃气.
func normalize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, classify.Normalize(s))
}
