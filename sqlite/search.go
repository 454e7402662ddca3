package sqlite

import (
	"strings"

	"huying/internal/sqlstore"
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

// matchText is the condition that every word is in the appeal's text.
// The query asks the index only for the trigrams that stand for pairs of
// characters (「油␟烟」), whose lists are short, not for those of single
// characters (「␟油␟」, in most appeals) that a phrase would also read: a
// word of two characters is exactly its pair; a longer one is all its
// pairs, and then LIKE on the rows they leave (the pairs 油烟 and 烟机 are
// not yet 油烟机); a word of one character is its own trigram.
func matchText(words []string) (string, []any) {
	var tokens, like []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			tokens = append(tokens, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
		}
	}
	for _, w := range words {
		r := []rune(w)
		if len(r) == 1 {
			add(spread(w))
			continue
		}
		for i := 0; i+1 < len(r); i++ {
			add(string(r[i]) + string(sep) + string(r[i+1]))
		}
		if len(r) > 2 {
			like = append(like, w)
		}
	}
	cond := "appeals_fts MATCH ?" // joined: see dialect.Search.From
	args := []any{strings.Join(tokens, " AND ")}
	for _, w := range like {
		cond += ` AND (code || char(10) || title || char(10) || content || char(10) || address) LIKE ? ESCAPE '\'`
		args = append(args, sqlstore.LikePattern(w))
	}
	return cond, args
}

// searchFrom is the FROM clause of a search by words: the index's matches,
// newest first (FTS5 hands out rowids in either order without sorting),
// each joined to its appeal.
const searchFrom = `appeals_fts JOIN appeals ON appeals.id = appeals_fts.rowid`

// writeText indexes doc as appeal id's text, replacing what was indexed.
func writeText(exec func(string, ...any) error, id int64, doc string, fresh bool) error {
	if !fresh {
		if err := exec(`DELETE FROM appeals_fts WHERE rowid = ?`, id); err != nil {
			return err
		}
	}
	return exec(`INSERT INTO appeals_fts (rowid, doc) VALUES (?, ?)`, id, spread(doc))
}
