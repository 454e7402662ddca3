package place

import (
	"math"
	"os"
	"regexp"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"huying"
)

func TestLocate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		p      orb.Point
		street string // "" when the point is outside 坪山区
		comm   string
	}{
		{"centre of 坪山", orb.Point{114.352, 22.701}, "st-pingshan", "c-pingshan"},
		{"north tip", orb.Point{114.410, 22.778}, "st-kengzi", "c-shatian"},
		{"west tip", orb.Point{114.272, 22.660}, "st-biling", "c-tangkeng"},
		{"south, 马峦山", orb.Point{114.340, 22.632}, "st-maluan", "c-maluan"},
		{"east", orb.Point{114.440, 22.690}, "st-shijing", "c-tianxin"},
		{"north-west", orb.Point{114.352, 22.760}, "st-longtian", "c-nanbu"},
		{"near 六和", orb.Point{114.339, 22.706}, "st-pingshan", "c-liuhe"},
		{"in the box, west of the northern lobe (龙岗)", orb.Point{114.300, 22.750}, "", ""},
		{"in the box, south-east corner", orb.Point{114.440, 22.640}, "", ""},
		{"福田", orb.Point{114.055, 22.521}, "", ""},
		{"zero point", orb.Point{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Locate(tt.p)
			if ok != (tt.street != "") {
				t.Fatalf("Locate(%v) ok = %v, want %v (got %+v)", tt.p, ok, !ok, got)
			}
			if got.StreetID != tt.street || got.CommunityID != tt.comm {
				t.Errorf("Locate(%v) = %s/%s, want %s/%s", tt.p, got.StreetID, got.CommunityID, tt.street, tt.comm)
			}
			if ok && (got.Street == "" || got.Community == "") {
				t.Errorf("Locate(%v) = %+v: names missing", tt.p, got)
			}
		})
	}
}

// Every community's own centre point locates to that community.
func TestSitesLocateToThemselves(t *testing.T) {
	t.Parallel()
	for _, s := range streets {
		for _, c := range s.communities {
			got, ok := Locate(c.site)
			if !ok || got.CommunityID != c.id || got.StreetID != s.id || got.Community != c.name || got.Street != s.name {
				t.Errorf("Locate(site of %s) = %+v, %v", c.id, got, ok)
			}
		}
	}
}

// grid returns points every step degrees over the district's bounding box.
func grid(step float64) []orb.Point {
	b := defaultIndex().bound
	var ps []orb.Point
	for x := b.Min[0]; x <= b.Max[0]; x += step {
		for y := b.Min[1]; y <= b.Max[1]; y += step {
			ps = append(ps, orb.Point{x, y})
		}
	}
	return ps
}

// The areas are a Voronoi partition: a point inside the district is in the
// community of its nearest site, and outside it Locate says no.
func TestLocateIsNearestSite(t *testing.T) {
	t.Parallel()
	ix := defaultIndex()
	kx := math.Pow(math.Cos(refLat*math.Pi/180), 2)
	dist := func(p, q orb.Point) float64 { return kx*sq(p[0]-q[0]) + sq(p[1]-q[1]) }
	inside := 0
	for _, p := range grid(0.0015) {
		got, ok := Locate(p)
		if want := planar.PolygonContains(ix.outline, p); ok != want {
			t.Errorf("Locate(%v) ok = %v, outline contains = %v", p, ok, want)
			continue
		}
		if !ok {
			continue
		}
		inside++
		best, bestD, second := -1, math.Inf(1), math.Inf(1)
		for i, c := range ix.communities {
			d := dist(p, c.Site)
			if d < bestD {
				best, bestD, second = i, d, bestD
			} else if d < second {
				second = d
			}
		}
		if got != ix.communities[best].Place && second-bestD > 1e-10 {
			t.Errorf("Locate(%v) = %s, nearest site is %s's", p, got.CommunityID, ix.communities[best].CommunityID)
		}
	}
	if inside < 5000 {
		t.Errorf("only %d grid points inside the district", inside)
	}
}

// Each street's area is the union of its communities' areas.
func TestStreetIsUnionOfCommunities(t *testing.T) {
	t.Parallel()
	ix := defaultIndex()
	for _, p := range grid(0.0015) {
		got, ok := Locate(p)
		var in []string
		for _, s := range ix.streets {
			if planar.MultiPolygonContains(s.Geometry, p) {
				in = append(in, s.StreetID)
			}
		}
		switch {
		case !ok && len(in) > 0:
			t.Errorf("%v: outside the district but in %v", p, in)
		case ok && len(in) == 0:
			t.Errorf("%v: in %s but in no street area", p, got.CommunityID)
		case ok && len(in) == 1 && in[0] != got.StreetID:
			t.Errorf("%v: community %s of %s, street area %s", p, got.CommunityID, got.StreetID, in[0])
		}
	}
	for _, s := range ix.streets {
		var sum float64
		for _, c := range ix.communities {
			if c.StreetID == s.StreetID {
				sum += planar.Area(c.Geometry)
			}
		}
		if a := planar.Area(s.Geometry); math.Abs(a-sum) > 1e-9 {
			t.Errorf("%s: area %.9f, its communities %.9f", s.StreetID, a, sum)
		}
	}
}

// The streets and communities are those of the demo unit tree, in its
// order. Read from the source so this package need not import demo.
func TestAreasMatchDemoUnits(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../demo/units.go")
	if err != nil {
		t.Skip("demo not found:", err)
	}
	var want []Place
	streetRe := regexp.MustCompile(`\{"(st-[a-z]+)", "([^"]+)", \[\]\[2\]string\{(.*)\}\},`)
	commRe := regexp.MustCompile(`\{"(c-[a-z]+)", "([^"]+)"\}`)
	for _, m := range streetRe.FindAllStringSubmatch(string(src), -1) {
		want = append(want, Place{StreetID: m[1], Street: m[2]})
		for _, c := range commRe.FindAllStringSubmatch(m[3], -1) {
			want = append(want, Place{StreetID: m[1], Street: m[2], CommunityID: c[1], Community: c[2]})
		}
	}
	if len(want) != 6+23 {
		t.Fatalf("read %d units from demo/units.go, want 29; has its layout changed?", len(want))
	}
	var got []Place
	ix := defaultIndex()
	for _, s := range ix.streets {
		got = append(got, s.Place)
		for _, c := range ix.communities {
			if c.StreetID == s.StreetID {
				got = append(got, c.Place)
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d places, demo has %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("place %d = %+v, demo has %+v", i, got[i], want[i])
		}
	}
	areas := Areas()
	if len(areas) != 29 {
		t.Fatalf("Areas() has %d areas, want 29", len(areas))
	}
	for _, a := range areas {
		if len(a.Geometry) == 0 || a.Bound.IsEmpty() {
			t.Errorf("%+v: no geometry", a.Place)
		}
		if (a.Level() == LevelCommunity) != (a.Site != orb.Point{}) {
			t.Errorf("%+v: site %v", a.Place, a.Site)
		}
	}
}

func TestLoadRejectsBadData(t *testing.T) {
	t.Parallel()
	for _, data := range []string{
		``,
		`{"type":"FeatureCollection","features":[]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"level":"district","id":"x"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`,
	} {
		if _, err := load([]byte(data)); err == nil {
			t.Errorf("load(%.40q) succeeded", data)
		}
	}
	if _, err := load(GeoJSON()); err != nil {
		t.Errorf("load(GeoJSON()): %v", err)
	}
}

var sinkID string

func BenchmarkLocate(b *testing.B) {
	ps := grid(0.005) // inside and outside the district
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p, _ := Locate(ps[i%len(ps)])
		sinkID = p.CommunityID
		i++
	}
}

func BenchmarkLocateInside(b *testing.B) {
	var ps []orb.Point
	for _, p := range grid(0.005) {
		if _, ok := Locate(p); ok {
			ps = append(ps, p)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p, _ := Locate(ps[i%len(ps)])
		sinkID = p.CommunityID
		i++
	}
}

func TestLocator(t *testing.T) {
	t.Parallel()
	l := Locator{MinConfidence: 0.5}
	st, c, note, ok := l.Match("坪山区坑梓街道秀新社区12号")
	if !ok || st != "st-kengzi" || c != "c-xiuxin" || note == "" {
		t.Fatalf("Match: %s %s %q %v", st, c, note, ok)
	}
	if _, _, _, ok := l.Match("不知道在哪里"); ok {
		t.Fatal("an address with no place matched")
	}
	site := Areas()[len(Areas())-1].Site
	if _, c, ok := l.Locate(huying.Point{Lng: site[0], Lat: site[1]}); !ok || c == "" {
		t.Fatalf("Locate at a community site: %s %v", c, ok)
	}
}
