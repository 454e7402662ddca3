package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns text in the canonical form the classifier works on:
// Unicode NFKC (which also turns full-width Latin letters, digits and
// punctuation into their half-width forms and Kangxi radicals into ordinary
// characters), Latin letters in lower case, and common traditional Chinese
// characters replaced by their simplified forms. Whitespace and punctuation
// are kept; feature extraction decides what to ignore.
func Normalize(text string) string {
	if isPlainASCIILower(text) {
		return text
	}
	s := norm.NFKC.String(text)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune lower-cases a rune and maps a traditional character to its
// simplified form when the built-in table knows it.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	if r >= 0x3400 && r < 0xA000 {
		// CJK ideographs have no case; only consult the traditional table
		// for the few runes its bitmap marks.
		if k := r - 0x3400; t2sBits[k/64]&(1<<(k%64)) != 0 {
			return t2s[r]
		}
		return r
	}
	if s, ok := t2s[r]; ok {
		return s
	}
	return unicode.ToLower(r)
}

func isPlainASCIILower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
