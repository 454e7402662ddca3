package classify

import (
	"testing"
)

// BenchmarkPredict measures Predict (ranking and explanation included) on
// real appeal texts, cycling through a held-out slice of the data.
func BenchmarkPredict(b *testing.B) {
	texts, labels, _ := loadTrain(b)
	n := len(texts) * 4 / 5
	m, err := Train(texts[:n], labels[:n], Options{Seed: 1, CalibrationFolds: -1})
	if err != nil {
		b.Fatal(err)
	}
	test := texts[n:]
	var chars int
	for _, t := range test {
		chars += len([]rune(t))
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.Predict(test[i%len(test)])
		i++
	}
	b.ReportMetric(float64(chars)/float64(len(test)), "runes/text")
}
