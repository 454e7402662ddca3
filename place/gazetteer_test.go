package place

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		address  string
		street   string // of the first candidate; "" when none is wanted
		comm     string // of the first candidate; "" for a street
		min, max float64
		matched  []string // of the first candidate
	}{
		{"full address", "坪山区坑梓街道秀新社区金辉路12号", "st-kengzi", "c-xiuxin", 0.95, 1, []string{"坪山区", "坑梓街道", "秀新社区"}},
		{"street only", "坑梓街道办事处门口", "st-kengzi", "", 0.85, 1, []string{"坑梓街道办"}},
		{"bare street", "马峦山郊野公园", "st-maluan", "", 0.7, 0.9, []string{"马峦"}},
		{"community", "六联社区", "st-pingshan", "c-liulian", 0.9, 1, []string{"六联社区"}},
		{"bare community, lower", "秀新村委附近", "st-kengzi", "c-xiuxin", 0.7, 0.9, []string{"秀新"}},
		{"estate", "六和城3栋", "st-pingshan", "c-liuhe", 0.85, 0.95, []string{"六和城"}},
		{"estate alias", "金域缇香小区", "st-maluan", "c-pinghuan", 0.85, 0.95, []string{"金域缇香"}},
		{"road in one community", "翠景路", "st-pingshan", "c-liuhe", 0.85, 0.95, []string{"翠景路"}},
		// A crossing of two roads that share one community.
		{"crossing", "坪山大道与丹梓大道交叉口", "st-longtian", "c-longtian", 0.8, 0.97, []string{"坪山大道", "丹梓大道"}},
		// The demo's addresses name street and community; the road or estate
		// after them is random and must not win.
		{"demo address with road", "坪山区马峦街道江岭社区深汕路12号", "st-maluan", "c-jiangling", 0.95, 1, []string{"坪山区", "马峦街道", "江岭社区"}},
		{"demo address with estate", "坪山区坑梓街道秀新社区六和城", "st-kengzi", "c-xiuxin", 0.95, 1, []string{"坪山区", "坑梓街道", "秀新社区"}},
		{"longest name wins", "坪山大道88号", "st-longtian", "", 0.5, 0.8, []string{"坪山大道"}},
		{"traditional", "坪山區坑梓街道秀新社區", "st-kengzi", "c-xiuxin", 0.95, 1, []string{"坪山区", "坑梓街道", "秀新社区"}},
		{"full width and spaces", "六和城　３栋", "st-pingshan", "c-liuhe", 0.85, 0.95, []string{"六和城"}},
		{"district only", "坪山区", "", "", 0, 0, nil},
		{"nothing", "请尽快处理噪音问题", "", "", 0, 0, nil},
		{"empty", "", "", "", 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Match(tt.address)
			if tt.street == "" {
				if got != nil {
					t.Fatalf("Match(%q) = %+v, want nil", tt.address, got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("Match(%q) = nil", tt.address)
			}
			c := got[0]
			if c.StreetID != tt.street || c.CommunityID != tt.comm {
				t.Errorf("Match(%q)[0] = %s/%s, want %s/%s (all: %+v)", tt.address, c.StreetID, c.CommunityID, tt.street, tt.comm, got)
			}
			if c.Confidence < tt.min || c.Confidence > tt.max {
				t.Errorf("Match(%q)[0].Confidence = %v, want in [%v, %v]", tt.address, c.Confidence, tt.min, tt.max)
			}
			if !slices.Equal(c.Matched, tt.matched) {
				t.Errorf("Match(%q)[0].Matched = %q, want %q", tt.address, c.Matched, tt.matched)
			}
		})
	}
}

// An ambiguous address yields several candidates, none of them sure.
func TestMatchAmbiguous(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		address string
		first   string   // street or community id of the first candidate
		comms   []string // the community candidates, in order
		max     float64  // of each community candidate
	}{
		// 深汕路 and 东纵路 meet in two communities of 坪山街道: the street is
		// nearly sure, the community is not.
		{"crossing in two communities", "深汕路与东纵路交叉口", "st-pingshan", []string{"c-pingshan", "c-heping"}, 0.6},
		// 深汕路 runs through five communities of three streets.
		{"long road", "深汕路边", "st-pingshan", []string{"c-pingshan", "c-heping", "c-liulian", "c-tangkeng", "c-tiantou"}, 0.3},
		// An estate in another street than the one named.
		{"contradiction", "马峦街道六和城", "st-maluan", []string{"c-liuhe"}, 0.6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Match(tt.address)
			if len(got) < 2 {
				t.Fatalf("Match(%q) = %+v, want several candidates", tt.address, got)
			}
			if id := cmpID(got[0]); id != tt.first {
				t.Errorf("first candidate %s, want %s (all: %+v)", id, tt.first, got)
			}
			var comms []string
			for _, c := range got {
				if c.Level() == LevelCommunity {
					comms = append(comms, c.CommunityID)
					if c.Confidence > tt.max {
						t.Errorf("%s: confidence %v, want at most %v", c.CommunityID, c.Confidence, tt.max)
					}
				}
			}
			if !slices.Equal(comms, tt.comms) {
				t.Errorf("community candidates %q, want %q", comms, tt.comms)
			}
		})
	}
}

func cmpID(c Candidate) string {
	if c.CommunityID != "" {
		return c.CommunityID
	}
	return c.StreetID
}

// Candidates come best first, with confidences in (0, 1] and words that
// are in the normalised address.
func TestMatchInvariants(t *testing.T) {
	t.Parallel()
	for _, a := range benchAddresses {
		got := Match(a)
		norm := Normalize(a)
		for i, c := range got {
			if c.Confidence < minConfidence || c.Confidence > 1 {
				t.Errorf("Match(%q)[%d].Confidence = %v", a, i, c.Confidence)
			}
			if i > 0 && c.Confidence > got[i-1].Confidence {
				t.Errorf("Match(%q) not sorted: %+v", a, got)
			}
			if len(c.Matched) == 0 {
				t.Errorf("Match(%q)[%d]: no matched words", a, i)
			}
			for _, w := range c.Matched {
				if !strings.Contains(norm, w) {
					t.Errorf("Match(%q)[%d]: matched %q not in %q", a, i, w, norm)
				}
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"坪山区坑梓街道", "坪山区坑梓街道"},
		{"坪山區龍田街道", "坪山区龙田街道"},           // traditional
		{"馬巒街道江嶺社區", "马峦街道江岭社区"},         // traditional
		{"六和城３棟１２０２號", "六和城3栋1202号"},     // full-width digits, traditional
		{"ＡＢＣ大厦　Ｂ座", "abc大厦b座"},          // full-width Latin, ideographic space
		{"深汕路 与 东纵路\t交叉口", "深汕路与东纵路交叉口"}, // spaces
		{"（近比亚迪路）", "(近比亚迪路)"},           // full-width brackets
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Names are stored as written in names.go; they must already be in
	// normal form or no address could match them.
	for _, name := range gazetteerNames() {
		if got := Normalize(name); got != name {
			t.Errorf("gazetteer name %q normalises to %q", name, got)
		}
	}
	for tr, s := range t2s {
		if tr == s {
			t.Errorf("t2s maps %q to itself", tr)
		}
	}
}

func gazetteerNames() []string {
	names := append([]string{}, districtAliases...)
	for _, s := range streets {
		names = append(names, s.name)
		for _, c := range s.communities {
			names = append(names, c.name)
		}
	}
	for _, f := range slices.Concat(roads, estates) {
		names = append(names, f.name)
		names = append(names, f.aliases...)
	}
	return names
}

// Every road and estate that package demo writes into its appeals is in the
// gazetteer. Read from the source so this package need not import demo.
func TestGazetteerCoversDemoTexts(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../demo/texts.go")
	if err != nil {
		t.Skip("demo not found:", err)
	}
	for _, v := range []string{"roads", "estates"} {
		m := regexp.MustCompile(`(?m)^var ` + v + ` = \[\]string\{(.*)\}$`).FindStringSubmatch(string(src))
		if m == nil {
			t.Fatalf("no var %s in demo/texts.go; has its layout changed?", v)
		}
		for _, q := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(m[1], -1) {
			name := q[1]
			got := Match(name)
			if len(got) == 0 || !slices.Contains(got[0].Matched, name) {
				t.Errorf("%s %q: Match = %+v", v, name, got)
			}
		}
	}
}

var benchAddresses = []string{
	"坪山区坑梓街道秀新社区金辉路12号",
	"六和城3栋",
	"深汕路与东纵路交叉口",
	"坪山區馬巒街道江嶺社區",
	"坪山区马峦街道江岭社区深汕路12号附近的工地晚上十一点以后还在施工",
	"请尽快处理噪音问题",
	"马峦街道六和城",
	"坪山大道与丹梓大道",
}

var sinkCands []Candidate

func BenchmarkMatch(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkCands = Match(benchAddresses[i%len(benchAddresses)])
		i++
	}
}
