package huying

import (
	"strings"
	"unicode/utf8"
)

// MaxSearchRunes is the longest search term accepted (a list's q). Longer
// ones are refused rather than cut: SQLite refuses LIKE patterns over 50,000
// bytes, and no one searches for a paragraph.
const MaxSearchRunes = 200

// CheckText returns an EINVALID error naming field if s is not text a
// person could have typed: invalid UTF-8, or a C0 control character other
// than tab, newline and carriage return (NUL among them, which PostgreSQL
// refuses to store). The transports call it on every string that comes in,
// so that no handler has to remember.
func CheckText(field, s string) error {
	if !utf8.ValidString(s) {
		return FieldErrorf(field, "字段 %s 不是合法的 UTF-8 文本", field)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return FieldErrorf(field, "字段 %s 含有不允许的控制字符", field)
		}
	}
	return nil
}

// CheckName is CheckText for a name or title shown to others (a contact,
// user or unit name, an appeal title, a file name): it also refuses the
// bidirectional embedding, override and isolate characters (U+202A–U+202E,
// U+2066–U+2069), with which "gpj.exe" reads as "exe.jpg" and a name can
// turn the text around it.
func CheckName(field, s string) error {
	if err := CheckText(field, s); err != nil {
		return err
	}
	if strings.ContainsFunc(s, isBidiControl) {
		return FieldErrorf(field, "字段 %s 含有不允许的文字方向控制字符", field)
	}
	return nil
}

// StripBidi removes the characters CheckName refuses from s, for a name
// made from free text (a title from the first words of the content).
func StripBidi(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// IsNameField reports whether the input field key holds a name or title,
// which CheckName guards: "title" and every key ending in "name"
// (contact_name, username, first_name, an attachment's name…).
func IsNameField(key string) bool {
	return key == "title" || strings.HasSuffix(key, "name")
}

// CheckSearch is CheckText for a search term, which may also be at most
// MaxSearchRunes characters.
func CheckSearch(field, s string) error {
	if err := CheckText(field, s); err != nil {
		return err
	}
	if utf8.RuneCountInString(s) > MaxSearchRunes {
		return FieldErrorf(field, "搜索词 %s 不能超过 %d 个字", field, MaxSearchRunes)
	}
	return nil
}
