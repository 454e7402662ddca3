package place

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// areasJSON is the generated demo geography: the district outline, the 6
// street areas and the 23 community areas (see generate_test.go).
//
//go:embed data/areas.geojson
var areasJSON []byte

// Place is a street of 坪山区 and, when it is known, a community of that
// street. Ids and names are those of the unit tree (package demo).
type Place struct {
	StreetID    string `json:"street_id"`
	Street      string `json:"street"`
	CommunityID string `json:"community_id,omitempty"`
	Community   string `json:"community,omitempty"`
}

// Level says how specific a Place is.
type Level int8

// The levels of a Place, least specific first.
const (
	LevelStreet    Level = 1 // the street is known, the community is not
	LevelCommunity Level = 2 // street and community are known
)

// Level returns LevelCommunity when p names a community, else LevelStreet.
func (p Place) Level() Level {
	if p.CommunityID != "" {
		return LevelCommunity
	}
	return LevelStreet
}

// Area is one street or community of the demo geography. Its slices are
// shared: callers must not modify them.
type Area struct {
	Place
	// Site is the community centre the demo partition is built around; it
	// is the zero point for a street.
	Site     orb.Point
	Bound    orb.Bound
	Geometry orb.MultiPolygon
}

// index is the loaded geography and gazetteer.
type index struct {
	outline     orb.Polygon
	bound       orb.Bound
	streets     []Area // in the order of names.go
	communities []Area // in the order of names.go, street by street
	streetOf    []int  // community index → street index
	gaz         *gazetteer
}

// defaultIndex loads the embedded data once, on first use. The data is
// checked by the package's tests, so a failure here is a build defect.
var defaultIndex = sync.OnceValue(func() *index {
	ix, err := load(areasJSON)
	if err != nil {
		panic("place: embedded data: " + err.Error())
	}
	return ix
})

// Locate returns the street and community that contain p, a longitude,
// latitude pair in the coordinate system of the district outline (WGS84-like;
// see the package doc). It reports false for a point outside 坪山区. A
// point on a border between two communities goes to the first of them in
// the order of the unit tree.
func Locate(p orb.Point) (Place, bool) {
	return defaultIndex().locate(p)
}

// Areas returns the 6 street areas followed by the 23 community areas, in
// the order of the unit tree. They are demo data (see the package doc).
func Areas() []Area {
	ix := defaultIndex()
	out := make([]Area, 0, len(ix.streets)+len(ix.communities))
	out = append(out, ix.streets...)
	return append(out, ix.communities...)
}

// GeoJSON returns the demo geography as a GeoJSON FeatureCollection, for
// maps: one feature for the district outline, then the streets, then the
// communities, each with properties level, id, name (and street and site for
// a community).
func GeoJSON() []byte {
	return append([]byte(nil), areasJSON...)
}

func (ix *index) locate(p orb.Point) (Place, bool) {
	if !ix.bound.Contains(p) {
		return Place{}, false
	}
	for i := range ix.communities {
		c := &ix.communities[i]
		if c.Bound.Contains(p) && planar.MultiPolygonContains(c.Geometry, p) {
			return c.Place, true
		}
	}
	if !planar.PolygonContains(ix.outline, p) {
		return Place{}, false
	}
	// Inside the district but in no community: a point in a rounding seam
	// (well under a metre wide) between neighbours. Take the nearest.
	best, bestD := -1, math.Inf(1)
	for i := range ix.communities {
		if d := planar.DistanceFrom(ix.communities[i].Geometry, p); d < bestD {
			best, bestD = i, d
		}
	}
	return ix.communities[best].Place, true
}

// The GeoJSON subset the data file uses; orb/geojson would pull a BSON
// library into the build for two structs.
type featureCollection struct {
	Type     string       `json:"type"`
	Note     string       `json:"note,omitempty"`
	Source   string       `json:"source,omitempty"`
	Features []geoFeature `json:"features"`
}

type geoFeature struct {
	Type       string        `json:"type"`
	Properties geoProperties `json:"properties"`
	Geometry   geoGeometry   `json:"geometry"`
}

type geoProperties struct {
	Level  string     `json:"level"`
	ID     string     `json:"id"`
	Name   string     `json:"name"`
	Street string     `json:"street,omitempty"`
	Site   *orb.Point `json:"site,omitempty"`
}

type geoGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// multiPolygon decodes a Polygon or MultiPolygon geometry.
func (g geoGeometry) multiPolygon() (orb.MultiPolygon, error) {
	switch g.Type {
	case "Polygon":
		var p orb.Polygon
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return nil, err
		}
		return orb.MultiPolygon{p}, nil
	case "MultiPolygon":
		var mp orb.MultiPolygon
		err := json.Unmarshal(g.Coordinates, &mp)
		return mp, err
	}
	return nil, fmt.Errorf("geometry type %q, want Polygon or MultiPolygon", g.Type)
}

// load builds the index from the areas file and the names in names.go; every
// street and community of names.go must have an area.
func load(data []byte) (*index, error) {
	var fc featureCollection
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, err
	}
	geoms := make(map[string]orb.MultiPolygon)
	var outline orb.MultiPolygon
	for _, f := range fc.Features {
		mp, err := f.Geometry.multiPolygon()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Properties.ID, err)
		}
		if len(mp) == 0 {
			return nil, fmt.Errorf("%s: empty geometry", f.Properties.ID)
		}
		if f.Properties.Level == "district" {
			outline = mp
			continue
		}
		geoms[f.Properties.ID] = mp
	}
	if len(outline) != 1 {
		return nil, errors.New("no single-polygon district outline")
	}
	ix := &index{outline: outline[0], bound: outline.Bound()}
	for si, s := range streets {
		mp, ok := geoms[s.id]
		if !ok {
			return nil, fmt.Errorf("no area for street %s", s.id)
		}
		ix.streets = append(ix.streets, Area{
			Place:    Place{StreetID: s.id, Street: s.name},
			Bound:    mp.Bound(),
			Geometry: mp,
		})
		for _, c := range s.communities {
			mp, ok := geoms[c.id]
			if !ok {
				return nil, fmt.Errorf("no area for community %s", c.id)
			}
			ix.communities = append(ix.communities, Area{
				Place:    Place{StreetID: s.id, Street: s.name, CommunityID: c.id, Community: c.name},
				Site:     c.site,
				Bound:    mp.Bound(),
				Geometry: mp,
			})
			ix.streetOf = append(ix.streetOf, si)
		}
	}
	if n := len(ix.streets) + len(ix.communities); n != len(geoms) {
		return nil, fmt.Errorf("%d areas in the file, %d in names.go", len(geoms), n)
	}
	g, err := newGazetteer(ix)
	if err != nil {
		return nil, err
	}
	ix.gaz = g
	return ix, nil
}
