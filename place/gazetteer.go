package place

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Candidate is a place an address may be in, with how sure the match is and
// the gazetteer words that support it.
type Candidate struct {
	Place
	// Confidence, in (0, 1], is the probability of this place under a small
	// model in which every name found in the address is an independent,
	// fallible witness: a full community name ("秀新社区") is more reliable
	// than a bare one ("秀新"), a road spreads its weight over the
	// communities it crosses, and names that disagree share the belief.
	// A street candidate's confidence includes that of its communities.
	Confidence float64 `json:"confidence"`
	// Matched lists the names found in the normalised address (see
	// Normalize) that support this candidate, in the order they appear.
	Matched []string `json:"matched"`
}

// Match matches an address, with no location, against the gazetteer of
// streets, communities, roads and estates of 坪山区 and returns the places it
// may be in, best first; nil when it names no place more specific than the
// district.
//
// A community is a candidate when a community, road or estate name points
// to it. A street is a candidate when the address names it but no single
// community of it is clearly indicated (a street name alone, or a road or a
// crossing of two roads that runs through several of its communities); then
// the street comes first, with its communities after it. Names that
// contradict each other (an estate in another street than the one named)
// yield candidates for both, each with a lower confidence.
func Match(address string) []Candidate {
	return defaultIndex().gaz.match(address)
}

// minConfidence is the least confidence of a returned candidate.
const minConfidence = 0.05

// streetShare is how much of its street's belief a community must hold for
// the community alone to stand for the street.
const streetShare = 0.8

// kind is what a gazetteer entity is.
type kind int8

const (
	kindDistrict kind = iota
	kindStreet
	kindCommunity
	kindRoad
	kindEstate
)

// Reliability of a name as a witness: the probability that the place is
// where the name says, rather than anywhere in the district.
const (
	relFullName = 0.95 // "秀新社区"
	relStreet   = 0.9  // "坑梓街道"
	relFeature  = 0.9  // a road or an estate
	relBare     = 0.8  // "秀新", "坑梓"
	relCommon   = 0.6  // a bare name that is also an everyday word
)

// commonWords are bare community names that also occur as ordinary words.
var commonWords = map[string]bool{"和平": true}

// entity is one named thing: a street, a community, a road, an estate or
// the district, with the communities it lies in (indices into index).
type entity struct {
	kind        kind
	name        string
	communities []int
}

// alias is one spelling of an entity, already normalised.
type alias struct {
	text        string
	entity      int
	reliability float64
}

// gazetteer finds the entities named in an address.
type gazetteer struct {
	ix       *index
	entities []entity
	byFirst  map[rune][]alias // by first rune, longest text first
}

// newGazetteer builds the gazetteer from names.go. An alias that would name
// two entities is a defect in names.go and is reported.
func newGazetteer(ix *index) (*gazetteer, error) {
	g := &gazetteer{ix: ix, byFirst: make(map[rune][]alias)}
	seen := make(map[string]string)
	add := func(text string, ent int, rel float64) error {
		text = Normalize(text)
		if prev, ok := seen[text]; ok {
			return fmt.Errorf("gazetteer: %q names both %s and %s", text, prev, g.entities[ent].name)
		}
		seen[text] = g.entities[ent].name
		r, _ := utf8.DecodeRuneInString(text)
		g.byFirst[r] = append(g.byFirst[r], alias{text, ent, rel})
		return nil
	}
	newEntity := func(k kind, name string, comms []int) int {
		g.entities = append(g.entities, entity{k, name, comms})
		return len(g.entities) - 1
	}
	commIndex := make(map[string]int)
	for i, c := range ix.communities {
		commIndex[c.CommunityID] = i
	}
	district := newEntity(kindDistrict, districtName, nil)
	for _, a := range districtAliases {
		if err := add(a, district, 0); err != nil {
			return nil, err
		}
	}
	// Streets first, so a bare name shared by a street and one of its
	// communities (坑梓街道, 坑梓社区: "坑梓") goes to the street.
	for si, s := range streets {
		var comms []int
		for ci := range ix.communities {
			if ix.streetOf[ci] == si {
				comms = append(comms, ci)
			}
		}
		e := newEntity(kindStreet, s.name, comms)
		bare := strings.TrimSuffix(s.name, "街道")
		if err := add(s.name, e, relStreet); err != nil {
			return nil, err
		}
		if err := add(bare+"街道办", e, relStreet); err != nil {
			return nil, err
		}
		if err := add(bare+"街", e, relBare); err != nil {
			return nil, err
		}
		if _, taken := seen[Normalize(bare)]; !taken {
			if err := add(bare, e, relBare); err != nil {
				return nil, err
			}
		}
	}
	for ci, c := range ix.communities {
		e := newEntity(kindCommunity, c.Community, []int{ci})
		if err := add(c.Community, e, relFullName); err != nil {
			return nil, err
		}
		bare := strings.TrimSuffix(c.Community, "社区")
		if _, taken := seen[Normalize(bare)]; taken {
			continue
		}
		rel := relBare
		if commonWords[bare] {
			rel = relCommon
		}
		if err := add(bare, e, rel); err != nil {
			return nil, err
		}
	}
	for _, group := range []struct {
		kind kind
		list []feature
	}{{kindRoad, roads}, {kindEstate, estates}} {
		for _, f := range group.list {
			var comms []int
			for _, id := range f.communities {
				ci, ok := commIndex[id]
				if !ok {
					return nil, fmt.Errorf("gazetteer: %s: unknown community %s", f.name, id)
				}
				comms = append(comms, ci)
			}
			e := newEntity(group.kind, f.name, comms)
			for _, a := range append([]string{f.name}, f.aliases...) {
				if err := add(a, e, relFeature); err != nil {
					return nil, err
				}
			}
		}
	}
	for r, as := range g.byFirst {
		slices.SortFunc(as, func(a, b alias) int { return cmp.Compare(len(b.text), len(a.text)) })
		g.byFirst[r] = as
	}
	return g, nil
}

// hit is an alias found in the normalised text at [start, end).
type hit struct {
	start, end int
	alias      alias
}

// find returns the aliases found in normalised text, longest first where
// they overlap ("六和城" over "六和", "坪山大道" over "坪山"), in text order.
func (g *gazetteer) find(text string) []hit {
	var hits []hit
	for i, r := range text {
		for _, a := range g.byFirst[r] {
			if strings.HasPrefix(text[i:], a.text) {
				hits = append(hits, hit{i, i + len(a.text), a})
			}
		}
	}
	if len(hits) < 2 {
		return hits
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(b.end-b.start, a.end-a.start); c != 0 {
			return c
		}
		return cmp.Compare(a.start, b.start)
	})
	kept := hits[:0]
	for _, h := range hits {
		if !slices.ContainsFunc(kept, func(k hit) bool { return h.start < k.end && k.start < h.end }) {
			kept = append(kept, h)
		}
	}
	slices.SortFunc(kept, func(a, b hit) int { return cmp.Compare(a.start, b.start) })
	return kept
}

func (g *gazetteer) match(address string) []Candidate {
	hits := g.find(Normalize(address))
	if len(hits) == 0 {
		return nil
	}
	n := len(g.ix.communities)
	// Each entity witnesses once, with the best reliability among its
	// spellings found.
	rel := make(map[int]float64, len(hits))
	for _, h := range hits {
		if g.entities[h.alias.entity].kind != kindDistrict {
			rel[h.alias.entity] = max(rel[h.alias.entity], h.alias.reliability)
		}
	}
	if len(rel) == 0 {
		return nil // the district at most
	}
	// Posterior over communities from a uniform prior: a witness for an
	// entity lying in k communities gives each of them r/k, and every
	// community (1-r)/n for the chance the name misleads.
	post := make([]float64, n)
	for i := range post {
		post[i] = 1
	}
	direct := make([]bool, n) // named by a community, road or estate
	for ent, r := range rel {
		e := &g.entities[ent]
		for ci := range post {
			l := (1 - r) / float64(n)
			if slices.Contains(e.communities, ci) {
				l += r / float64(len(e.communities))
				if e.kind != kindStreet {
					direct[ci] = true
				}
			}
			post[ci] *= l
		}
	}
	var sum float64
	for _, p := range post {
		sum += p
	}
	for i := range post {
		post[i] /= sum
	}

	// words lists the names that support a place (the district supports
	// every place), and whether one of them is more than the district.
	words := func(in func(ci int) bool) (w []string, named bool) {
		for _, h := range hits {
			e := &g.entities[h.alias.entity]
			if e.kind == kindDistrict {
				w = append(w, h.alias.text)
			} else if slices.ContainsFunc(e.communities, in) {
				w = append(w, h.alias.text)
				named = true
			}
		}
		return w, named
	}
	var out []Candidate
	for si := range g.ix.streets {
		inStreet := func(ci int) bool { return g.ix.streetOf[ci] == si }
		var ps, best float64
		for ci, p := range post {
			if !inStreet(ci) {
				continue
			}
			ps += p
			if !direct[ci] || p < minConfidence {
				continue
			}
			best = max(best, p)
			w, _ := words(func(c int) bool { return c == ci })
			out = append(out, Candidate{Place: g.ix.communities[ci].Place, Confidence: round3(p), Matched: w})
		}
		if ps < minConfidence || best >= streetShare*ps {
			continue
		}
		if w, named := words(inStreet); named {
			out = append(out, Candidate{Place: g.ix.streets[si].Place, Confidence: round3(ps), Matched: w})
		}
	}
	// At equal confidence the more specific place first, then the order of
	// the unit tree.
	slices.SortStableFunc(out, func(a, b Candidate) int {
		if c := cmp.Compare(b.Confidence, a.Confidence); c != 0 {
			return c
		}
		return cmp.Compare(b.Level(), a.Level())
	})
	return out
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
