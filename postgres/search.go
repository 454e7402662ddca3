package postgres

import (
	"strings"
	"unicode/utf8"
)

// textExpr is the text the index of migration 0017 (appeals_text) is built
// on; the query must name it the same way for the planner to use it.
const textExpr = `lower(code || ' ' || title || ' ' || content || ' ' || address)`

// matchText is the condition that every word is in the appeal's text:
// for a word of two or more characters its pairs of characters must all be
// in the row's pairs (the GIN index answers that), and then the word must
// be in the text (strpos, on the rows the index found). A word of one
// character has no pair; it is looked for in the text of the rows the other
// conditions leave, or of every row when it stands alone. The lower-casing
// is the database's on both sides, so that the word and the text fold
// alike in any locale.
func matchText(words []string) (string, []any) {
	var conds []string
	var args []any
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 2 {
			conds, args = append(conds, `huying_bigrams(`+textExpr+`) @> huying_bigrams(lower(?))`), append(args, w)
		}
	}
	for _, w := range words {
		conds, args = append(conds, `strpos(`+textExpr+`, lower(?)) > 0`), append(args, w)
	}
	return "(" + strings.Join(conds, " AND ") + ")", args
}
