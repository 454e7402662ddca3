// Package place places an appeal in its street (街道) and community (社区):
// by point-in-polygon lookup when the appeal has a location (Locate), and by
// matching the address text against a gazetteer of streets, communities,
// roads and estates when it has none (Match).
//
// # Demo data
//
// The geography is demo data. The outline of 坪山区 is real (coarse, about
// 100 m; see data/pingshan-outline.geojson for its source and licence), but
// the street and community areas are not official boundaries: they are a
// Voronoi partition of the district around 23 approximate community centre
// points, clipped to the outline, and each street is the union of its
// communities. The roads and estates of the gazetteer, and the communities
// they are said to lie in, are plausible choices for the demo, not survey
// data. README.md in this directory says how the data is made.
//
// The areas are generated, reproducibly, from the outline and the centre
// points in names.go by a test; regenerate them after changing either:
//
//	go generate ./place/
//
// Without -update, that test checks the embedded file is what the generator
// produces.
//
// The package is pure: it reads only its embedded data, never the clock.
package place

//go:generate go test -run ^TestGenerate$ -update
