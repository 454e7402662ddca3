package classify

import (
	"math"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Feature namespaces keep a character n-gram, the same n-gram in the title
// and a word with the same runes in different buckets.
const (
	nsChar uint64 = 0x9e3779b97f4a7c15
	nsWord uint64 = 0xc2b2ae3d27d4eb4f
	nsHead uint64 = 0x165667b19e3779f9
	nsPair uint64 = 0x27d4eb2f165667c5
)

// Feature kinds, as reported in Reason.Kind.
const (
	// KindChar is a character n-gram anywhere in the text.
	KindChar = "char"
	// KindHead is a character n-gram within the first runes of the text
	// (the title of an appeal), counted apart from KindChar.
	KindHead = "head"
	// KindWord is a whitespace-separated token of pre-segmented text.
	KindWord = "word"
	// KindPair is two consecutive tokens of pre-segmented text.
	KindPair = "pair"
)

// maxWordLen is the longest mean token length (in runes) for which a text
// counts as segmented: jieba output averages about two runes a token, while
// raw text with a few layout spaces has "tokens" of dozens of runes.
const maxWordLen = 4

// featureConfig says which features are extracted and how they are
// weighted. It is stored in the model file header.
type featureConfig struct {
	MinN      int    `json:"min_n"`
	MaxN      int    `json:"max_n"`
	Words     bool   `json:"words"`
	Pairs     bool   `json:"pairs,omitempty"`
	Head      int    `json:"head,omitempty"`
	MaxRunes  int    `json:"max_runes,omitempty"` // runes read from a text; 0 = all
	Bits      int    `json:"bits"`
	Weighting string `json:"weighting"` // "tfidf" (sublinear tf × idf, L2) or "counts"
}

func (fc featureConfig) mask() uint32 { return uint32(1)<<fc.Bits - 1 }

// keepRune reports whether a rune of normalised text takes part in
// features: letters and digits do; whitespace, punctuation and symbols do
// not, so raw text and tokenised text (which has no punctuation) give the
// same n-grams.
func keepRune(r rune) bool {
	if r < 0x80 {
		return ('a' <= r && r <= 'z') || ('0' <= r && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

func isASCIIAlnum(r rune) bool {
	return ('a' <= r && r <= 'z') || ('0' <= r && r <= '9')
}

// span is a token: runes [start, end) of the prepared text.
type span struct{ start, end int32 }

// scratch holds the buffers one vectorisation needs, so that Predict does
// not allocate per call beyond normalisation and its result.
type scratch struct {
	runes   []rune
	tok     []int32 // token number of each rune in runes
	spans   []span
	buckets []uint32
	cnt     []uint16 // per bucket, all zero between uses
	vec     sparse
	scores  []float64
}

// prepare normalises text into sc.runes — the runes that take part in
// character n-grams, whitespace, punctuation and symbols removed — and,
// when word features are on and the text looks segmented, its tokens into
// sc.spans. A Latin letter standing alone (the "A" of an anonymised "A市")
// is dropped: the tokenised training data lost those to its stop-word list,
// and raw text must look the same.
func (fc featureConfig) prepare(text string, sc *scratch) {
	s := text
	if needsNFKC(text) {
		s = norm.NFKC.String(text)
	}
	rs, tok := sc.runes[:0], sc.tok[:0]
	var t int32
	brk := false
	for _, r := range s {
		r = foldRune(r)
		if unicode.IsSpace(r) {
			brk = true
			continue
		}
		if !keepRune(r) {
			continue
		}
		if brk && len(rs) > 0 {
			t++
		}
		brk = false
		rs = append(rs, r)
		tok = append(tok, t)
	}
	// Drop isolated Latin letters (in place).
	out := 0
	for i, r := range rs {
		if 'a' <= r && r <= 'z' {
			prev := i > 0 && isASCIIAlnum(rs[i-1])
			next := i+1 < len(rs) && isASCIIAlnum(rs[i+1])
			if !prev && !next {
				continue
			}
		}
		rs[out], tok[out] = r, tok[i]
		out++
	}
	if fc.MaxRunes > 0 && out > fc.MaxRunes {
		out = fc.MaxRunes
	}
	sc.runes, sc.tok = rs[:out], tok[:out]
	sc.spans = sc.spans[:0]
	if !fc.Words || out == 0 {
		return
	}
	start := 0
	for i := 1; i <= out; i++ {
		if i == out || sc.tok[i] != sc.tok[start] {
			sc.spans = append(sc.spans, span{int32(start), int32(i)})
			start = i
		}
	}
	if len(sc.spans) < 2 || out > maxWordLen*len(sc.spans) {
		sc.spans = sc.spans[:0]
	}
}

// mix folds one rune into a running FNV-1a style hash.
func mix(h uint64, r rune) uint64 {
	h ^= uint64(r)
	h *= 0x100000001b3
	return h
}

// finish scrambles a running hash (murmur3's fmix64) so that its low bits
// are usable as a bucket index.
func finish(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb93e85ebca53
	h ^= h >> 33
	return h
}

// appendBuckets appends the bucket of every feature occurrence of the
// prepared text in sc to dst (with repeats, unsorted).
func (fc featureConfig) appendBuckets(dst []uint32, sc *scratch) []uint32 {
	mask := fc.mask()
	rs := sc.runes
	for i := range rs {
		h := nsChar
		for n := 1; n <= fc.MaxN && i+n <= len(rs); n++ {
			h = mix(h, rs[i+n-1])
			if n >= fc.MinN {
				dst = append(dst, uint32(finish(h^uint64(n)))&mask)
			}
		}
	}
	head := min(fc.Head, len(rs))
	for i := 0; i < head; i++ {
		h := nsHead
		for n := 1; n <= fc.MaxN && i+n <= head; n++ {
			h = mix(h, rs[i+n-1])
			if n >= fc.MinN {
				dst = append(dst, uint32(finish(h^uint64(n)))&mask)
			}
		}
	}
	for _, sp := range sc.spans {
		h := nsWord
		for _, r := range rs[sp.start:sp.end] {
			h = mix(h, r)
		}
		dst = append(dst, uint32(finish(h^uint64(sp.end-sp.start)))&mask)
	}
	if fc.Pairs {
		for k := 1; k < len(sc.spans); k++ {
			a, b := sc.spans[k-1], sc.spans[k]
			h := nsPair
			for _, r := range rs[a.start:b.end] {
				h = mix(h, r)
			}
			dst = append(dst, uint32(finish(h^uint64(a.end-a.start)))&mask)
		}
	}
	return dst
}

// walk calls visit for every feature occurrence of the prepared text in
// sc, with its bucket, kind and rune range. It is the slow, descriptive
// twin of appendBuckets, used to name the buckets an explanation picks;
// the two must enumerate the same features.
func (fc featureConfig) walk(sc *scratch, visit func(bucket uint32, kind string, i, n int) bool) {
	mask := fc.mask()
	rs := sc.runes
	for i := range rs {
		h := nsChar
		for n := 1; n <= fc.MaxN && i+n <= len(rs); n++ {
			h = mix(h, rs[i+n-1])
			if n >= fc.MinN && !visit(uint32(finish(h^uint64(n)))&mask, KindChar, i, n) {
				return
			}
		}
	}
	head := min(fc.Head, len(rs))
	for i := 0; i < head; i++ {
		h := nsHead
		for n := 1; n <= fc.MaxN && i+n <= head; n++ {
			h = mix(h, rs[i+n-1])
			if n >= fc.MinN && !visit(uint32(finish(h^uint64(n)))&mask, KindHead, i, n) {
				return
			}
		}
	}
	for _, sp := range sc.spans {
		h := nsWord
		for _, r := range rs[sp.start:sp.end] {
			h = mix(h, r)
		}
		n := int(sp.end - sp.start)
		if !visit(uint32(finish(h^uint64(n)))&mask, KindWord, int(sp.start), n) {
			return
		}
	}
	if fc.Pairs {
		for k := 1; k < len(sc.spans); k++ {
			a, b := sc.spans[k-1], sc.spans[k]
			h := nsPair
			for _, r := range rs[a.start:b.end] {
				h = mix(h, r)
			}
			if !visit(uint32(finish(h^uint64(a.end-a.start)))&mask, KindPair, int(a.start), int(b.end-a.start)) {
				return
			}
		}
	}
}

// sparse is a feature vector: bucket indices and their values.
type sparse struct {
	idx []uint32
	val []float32
}

// counts turns text into term counts per bucket, in order of first
// occurrence. Counting in a dense table keeps long texts linear in their
// length (sorting the occurrences was the slowest step).
func (fc featureConfig) counts(text string, sc *scratch) sparse {
	fc.prepare(text, sc)
	sc.buckets = fc.appendBuckets(sc.buckets[:0], sc)
	if len(sc.cnt) != 1<<fc.Bits {
		sc.cnt = make([]uint16, 1<<fc.Bits)
	}
	v := sparse{idx: sc.vec.idx[:0], val: sc.vec.val[:0]}
	for _, b := range sc.buckets {
		if sc.cnt[b] == 0 {
			v.idx = append(v.idx, b)
		}
		if sc.cnt[b] < math.MaxUint16 {
			sc.cnt[b]++
		}
	}
	for _, b := range v.idx {
		v.val = append(v.val, float32(sc.cnt[b]))
		sc.cnt[b] = 0
	}
	sc.vec = v
	return v
}

// logTF holds 1+ln(tf) for small tf, the common case.
var logTF = func() [64]float64 {
	var t [64]float64
	for i := 1; i < len(t); i++ {
		t[i] = 1 + math.Log(float64(i))
	}
	return t
}()

// weight applies the configured weighting to term counts in place.
func (fc featureConfig) weight(v sparse, idf []float32) {
	if fc.Weighting != "tfidf" {
		return
	}
	var ss float64
	for k, j := range v.idx {
		tf := int(v.val[k])
		var l float64
		if tf < len(logTF) {
			l = logTF[tf]
		} else {
			l = 1 + math.Log(float64(tf))
		}
		x := l * float64(idf[j])

		v.val[k] = float32(x)
		ss += x * x
	}
	if ss > 0 {
		inv := float32(1 / math.Sqrt(ss))
		for k := range v.val {
			v.val[k] *= inv
		}
	}
}

// NGrams returns the character n-grams of length n (counted in runes) that
// the classifier sees in text: normalised, with whitespace, punctuation and
// symbols removed.
func NGrams(text string, n int) []string {
	if n <= 0 {
		return nil
	}
	var sc scratch
	featureConfig{}.prepare(text, &sc)
	var out []string
	for i := 0; i+n <= len(sc.runes); i++ {
		out = append(out, string(sc.runes[i:i+n]))
	}
	return out
}

// Words returns the tokens the classifier takes as word features from
// text: its whitespace-separated tokens, normalised and stripped of
// punctuation, or nil when the text does not look segmented (fewer than two
// tokens, or tokens longer than four runes on average).
func Words(text string) []string {
	var sc scratch
	featureConfig{Words: true}.prepare(text, &sc)
	var out []string
	for _, sp := range sc.spans {
		out = append(out, string(sc.runes[sp.start:sp.end]))
	}
	return out
}

// needsNFKC reports whether text has a rune that NFKC could turn into
// something the features see differently. ASCII and the CJK unified
// ideographs are their own NFKC form; the spaces and the common Chinese and
// general punctuation accepted here map only to other spaces and
// punctuation, which features ignore alike. Tokenised Chinese text then
// skips the normaliser, which was a third of the cost of preparing it.
func needsNFKC(text string) bool {
	for _, r := range text {
		switch {
		case r < 0x80, 0x4E00 <= r && r <= 0x9FFF, 0x3400 <= r && r <= 0x4DBF:
		case r == 0xA0, r == 0xB7, r == 0x3000:
		case 0x2010 <= r && r <= 0x2027 && r != 0x2017:
		case 0x3001 <= r && r <= 0x3003, 0x3008 <= r && r <= 0x3011, 0x3014 <= r && r <= 0x301F:
		default:
			return true
		}
	}
	return false
}
