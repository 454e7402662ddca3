package route_test

import (
	"slices"
	"testing"
	"time"

	"huying/demo"
	"huying/place"
	"huying/route"
)

// BenchmarkTriage is one appeal's routing as intake does it — classify
// the text, place the address, rank the demo catalogue's matters — over
// the evaluation set's appeals in turn, reporting the median and p99 of a
// single routing besides the mean (ns/op).
func BenchmarkTriage(b *testing.B) {
	cases := readCases(b, "testdata/cases.csv")
	cat, err := demo.Catalogue()
	if err != nil {
		b.Fatal(err)
	}
	model, err := loadModel()
	if err != nil {
		b.Fatal(err)
	}
	r := route.Router{Classifier: model, Places: place.Locator{MinConfidence: 0.5}, Catalogue: cat}
	r.Route(cases[0].Text, cases[0].Address)
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c := cases[i%len(cases)]
		start := time.Now()
		r.Route(c.Text, c.Address)
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	at := func(q float64) float64 {
		return float64(times[min(int(q*float64(len(times))), len(times)-1)].Microseconds())
	}
	b.ReportMetric(at(0.5), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}
