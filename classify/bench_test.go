package classify

import (
	"bytes"
	"testing"
)

// BenchmarkPredict measures Predict (ranking and explanation included) of
// the sample model on held-out appeal texts, one text per iteration.
func BenchmarkPredict(b *testing.B) {
	m := mustSampleModel(b)
	_, test := sample(b)
	var runes int
	for _, e := range test {
		runes += len([]rune(e.text))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Predict(test[i%len(test)].text)
		i++
	}
	b.ReportMetric(float64(runes)/float64(len(test)), "runes/text")
}

// BenchmarkLoad measures loading a model file from memory.
func BenchmarkLoad(b *testing.B) {
	m := mustSampleModel(b)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Load(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
