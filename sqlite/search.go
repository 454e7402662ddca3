package sqlite

import (
	"strings"
)

// The text index is an FTS5 table with the trigram tokenizer (migration
// 0017), contentless: it keeps the index, not the text. A trigram index
// cannot find a word of one or two characters, and Chinese words are most
// often two (油烟, 噪音, 停水), so the table does not index the text itself
// but the text with a unit separator (U+001F, a control character no
// appeal text may hold) before and after every character: 「油烟」 is
// indexed as 「␟油␟烟␟」, whose trigrams 「␟油␟」 and 「油␟烟」 stand for the
// character and the pair. A word of any length, spread the same way, is at
// least three characters long, and it is a substring of the spread text
// exactly when the word is a substring of the text, because the separator
// is never part of the text. The index is twice the size of a plain
// trigram index; every search is an index lookup.
const sep = '\x1f'

// spread puts sep before and after every character of s.
func spread(s string) string {
	var b strings.Builder
	b.Grow(2*len(s) + 1)
	b.WriteRune(sep)
	for _, r := range s {
		b.WriteRune(r)
		b.WriteRune(sep)
	}
	return b.String()
}

// matchText is the condition that every word is in the appeal's text: one
// FTS5 query of quoted phrases joined by AND.
func matchText(words []string) (string, []any) {
	phrases := make([]string, len(words))
	for i, w := range words {
		phrases[i] = `"` + strings.ReplaceAll(spread(w), `"`, `""`) + `"`
	}
	return "id IN (SELECT rowid FROM appeals_fts WHERE appeals_fts MATCH ?)", []any{strings.Join(phrases, " AND ")}
}

// writeText indexes doc as appeal id's text, replacing what was indexed.
func writeText(exec func(string, ...any) error, id int64, doc string, fresh bool) error {
	if !fresh {
		if err := exec(`DELETE FROM appeals_fts WHERE rowid = ?`, id); err != nil {
			return err
		}
	}
	return exec(`INSERT INTO appeals_fts (rowid, doc) VALUES (?, ?)`, id, spread(doc))
}
