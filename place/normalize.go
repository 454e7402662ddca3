package place

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns address text in the form the gazetteer matches on:
// Unicode NFKC (full-width letters, digits and punctuation become half-width,
// compatibility ideographs become ordinary ones), Latin letters in lower
// case, whitespace removed (so "坪山 大道" matches 坪山大道), and the
// traditional forms of the characters that occur in the gazetteer's names
// and in common address words replaced by their simplified forms.
//
// The traditional table is deliberately small: only characters that can
// change a gazetteer match matter here; classify.Normalize is the general one.
func Normalize(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r < 0x80:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		default:
			if t, ok := t2s[r]; ok {
				r = t
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// t2s maps the traditional (and a few variant) forms of the characters in
// the gazetteer's names and in common address words to simplified forms.
// TestNormalize checks that every name in names.go is already in the form
// Normalize produces.
var t2s = map[rune]rune{
	// Characters of street, community, road and estate names.
	'區': '区', '馬': '马', '巒': '峦', '嶺': '岭', '龍': '龙', '聯': '联',
	'環': '环', '湯': '汤', '頭': '头', '龜': '龟', '亀': '龟', '東': '东',
	'縱': '纵', '興': '兴', '錦': '锦', '繡': '绣', '寶': '宝', '蘭': '兰',
	'亞': '亚', '悅': '悦', '園': '园', '萬': '万', '緹': '缇', '雲': '云',
	'業': '业', '華': '华', '傳': '传', '匯': '汇', '彙': '汇', '綠': '绿',
	'灣': '湾', '鄉': '乡', '鎮': '镇', '廣': '广', '國': '国', '裡': '里',
	'裏': '里', '邨': '村',
	// Common address words.
	'號': '号', '棟': '栋', '樓': '楼', '單': '单', '層': '层', '門': '门',
	'與': '与', '鋪': '铺', '舖': '铺', '廈': '厦', '場': '场', '條': '条',
	'內': '内', '學': '学', '醫': '医', '鐵': '铁', '車': '车',
	'橋': '桥', '樁': '桩', '廠': '厂',
}
