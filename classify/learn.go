package classify

import (
	"math"
	"math/rand/v2"
)

// classCosts returns the per-class multiplier of C: 1 for every class, or
// n/(K·n_c) when balancing.
func classCosts(y []int, K int, balanced bool) []float64 {
	cost := make([]float64, K)
	for c := range cost {
		cost[c] = 1
	}
	if !balanced {
		return cost
	}
	cnt := make([]int, K)
	for _, c := range y {
		cnt[c]++
	}
	for c := range cost {
		if cnt[c] > 0 {
			cost[c] = float64(len(y)) / (float64(K) * float64(cnt[c]))
		}
	}
	return cost
}

// trainSVM fits one L2-regularised L2-loss (squared hinge) linear SVM per
// class against the rest, by dual coordinate descent (Hsieh et al. 2008, as
// in LIBLINEAR's default solver), with the bias as an extra constant
// feature. The visiting order is shuffled with a seeded generator, so the
// result is deterministic.
func trainSVM(X []sparse, y []int, K, dim int, o Options, seed uint64) ([]float32, []float32) {
	const bias = 1.0
	n := len(X)
	sq := make([]float64, n)
	for i, v := range X {
		var s float64
		for _, x := range v.val {
			s += float64(x) * float64(x)
		}
		sq[i] = s + bias*bias
	}
	cost := classCosts(y, K, o.BalancedClasses)
	W := make([]float32, dim*K)
	B := make([]float32, K)
	w := make([]float64, dim)
	alpha := make([]float64, n)
	order := make([]int, n)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	var r []float64 // NB log-count ratio per bucket, when NBScale
	var xs [][]float32
	if o.NBScale {
		r = make([]float64, dim)
		xs = make([][]float32, n)
		for i, v := range X {
			xs[i] = make([]float32, len(v.val))
		}
	}
	for c := 0; c < K; c++ {
		clear(w)
		clear(alpha)
		var b float64
		X := X
		if o.NBScale {
			nbRatio(X, y, c, r)
			scaled := make([]sparse, n)
			for i, v := range X {
				for k, j := range v.idx {
					xs[i][k] = v.val[k] * float32(r[j])
				}
				scaled[i] = sparse{idx: v.idx, val: xs[i]}
				var s float64
				for _, x := range xs[i] {
					s += float64(x) * float64(x)
				}
				sq[i] = s + bias*bias
			}
			X = scaled
		}
		for i := range order {
			order[i] = i
		}
		for iter := 0; iter < o.Epochs; iter++ {
			rng.Shuffle(n, func(a, b int) { order[a], order[b] = order[b], order[a] })
			maxPG, minPG := math.Inf(-1), math.Inf(1)
			for _, i := range order {
				yi := -1.0
				ci := o.C * cost[c]
				if y[i] == c {
					yi = 1
				} else {
					// A negative example is charged at its own class's cost,
					// so that balancing protects small classes from being
					// swamped by the rest as well.
					ci = o.C * cost[y[i]]
				}
				d := 1 / (2 * ci)
				upper := math.Inf(1)
				v := X[i]
				dot := b * bias
				for k, j := range v.idx {
					dot += w[j] * float64(v.val[k])
				}
				g := yi*dot - 1 + d*alpha[i]
				pg := g
				if alpha[i] == 0 && g > 0 {
					pg = 0
				} else if alpha[i] == upper && g < 0 {
					pg = 0
				}
				maxPG = max(maxPG, pg)
				minPG = min(minPG, pg)
				if math.Abs(pg) < 1e-12 {
					continue
				}
				old := alpha[i]
				alpha[i] = min(max(old-g/(sq[i]+d), 0), upper)
				delta := (alpha[i] - old) * yi
				if delta == 0 {
					continue
				}
				for k, j := range v.idx {
					w[j] += delta * float64(v.val[k])
				}
				b += delta * bias
			}
			if maxPG-minPG < 0.05 {
				break
			}
		}
		for j, x := range w {
			if r != nil {
				x *= r[j]
			}
			W[j*K+c] = float32(x)
		}
		B[c] = float32(b * bias)
	}
	return W, B
}

// trainLogReg fits multinomial logistic regression by AdaGrad over shuffled
// examples, with an L2 penalty of 1/(C·n) applied to the weights an example
// touches.
func trainLogReg(X []sparse, y []int, K, dim int, o Options, seed uint64) ([]float32, []float32) {
	const eta = 0.5
	n := len(X)
	lambda := 1 / (o.C * float64(n))
	cost := classCosts(y, K, o.BalancedClasses)
	w := make([]float64, dim*K)
	g2 := make([]float64, dim*K)
	b := make([]float64, K)
	bg2 := make([]float64, K)
	s := make([]float64, K)
	p := make([]float64, K)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 0x10e))
	for epoch := 0; epoch < o.Epochs; epoch++ {
		rng.Shuffle(n, func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			v := X[i]
			copy(s, b)
			for k, j := range v.idx {
				x := float64(v.val[k])
				row := w[int(j)*K : int(j)*K+K]
				for c := range s {
					s[c] += x * row[c]
				}
			}
			softmax(s, 1, p)
			ci := cost[y[i]]
			for c := range p {
				p[c] *= ci
			}
			p[y[i]] -= ci
			for c := range p {
				bg2[c] += p[c] * p[c]
				b[c] -= eta * p[c] / math.Sqrt(bg2[c]+1e-8)
			}
			for k, j := range v.idx {
				x := float64(v.val[k])
				base := int(j) * K
				for c := 0; c < K; c++ {
					gr := p[c]*x + lambda*w[base+c]
					g2[base+c] += gr * gr
					w[base+c] -= eta * gr / math.Sqrt(g2[base+c]+1e-8)
				}
			}
		}
	}
	W := make([]float32, dim*K)
	for i, x := range w {
		W[i] = float32(x)
	}
	B := make([]float32, K)
	for c, x := range b {
		B[c] = float32(x)
	}
	return W, B
}

// trainNB fits multinomial naive Bayes with Laplace smoothing (α = 1) on
// count vectors. Buckets never seen in training get weight 0 for every
// class, so unseen n-grams are ignored as a vocabulary-based NB would.
func trainNB(X []sparse, y []int, K, dim int) ([]float32, []float32) {
	const alpha = 1.0
	cnt := make([]float64, dim*K)
	total := make([]float64, K)
	docs := make([]float64, K)
	seen := make([]bool, dim)
	for i, v := range X {
		c := y[i]
		docs[c]++
		for k, j := range v.idx {
			cnt[int(j)*K+c] += float64(v.val[k])
			total[c] += float64(v.val[k])
			seen[j] = true
		}
	}
	var vocab float64
	for _, s := range seen {
		if s {
			vocab++
		}
	}
	W := make([]float32, dim*K)
	for j := 0; j < dim; j++ {
		if !seen[j] {
			continue
		}
		for c := 0; c < K; c++ {
			W[j*K+c] = float32(math.Log((cnt[j*K+c] + alpha) / (total[c] + alpha*vocab)))
		}
	}
	B := make([]float32, K)
	for c := range B {
		B[c] = float32(math.Log(docs[c] / float64(len(X))))
	}
	return W, B
}

// quantize8 rounds each class's weights to 255 levels of one scale per
// class and returns the levels and the scales.
func quantize8(W []float32, K int) ([]int8, []float32) {
	scales := quantScales(W, K)
	q := make([]int8, len(W))
	for i, x := range W {
		if s := scales[i%K]; s != 0 {
			q[i] = int8(min(max(math.Round(float64(x/s)), -127), 127))
		}
	}
	return q, scales
}

func quantScales(W []float32, K int) []float32 {
	scales := make([]float32, K)
	for i, x := range W {
		scales[i%K] = max(scales[i%K], float32(math.Abs(float64(x))))
	}
	for c := range scales {
		scales[c] /= 127
	}
	return scales
}

// fitTemperature finds the temperature t minimising the mean negative
// log-likelihood of softmax(scores/t), by golden-section search on ln t.
func fitTemperature(S [][]float64, y []int) (t, nll float64) {
	f := func(lt float64) float64 {
		t := math.Exp(lt)
		var sum float64
		for i, s := range S {
			mx := math.Inf(-1)
			for _, v := range s {
				mx = max(mx, v/t)
			}
			var z float64
			for _, v := range s {
				z += math.Exp(v/t - mx)
			}
			sum -= s[y[i]]/t - mx - math.Log(z)
		}
		return sum / float64(len(S))
	}
	lo, hi := math.Log(1e-3), math.Log(1e3)
	phi := (math.Sqrt(5) - 1) / 2
	a, b := hi-phi*(hi-lo), lo+phi*(hi-lo)
	fa, fb := f(a), f(b)
	for range 80 {
		if fa < fb {
			hi, b, fb = b, a, fa
			a = hi - phi*(hi-lo)
			fa = f(a)
		} else {
			lo, a, fa = a, b, fb
			b = lo + phi*(hi-lo)
			fb = f(b)
		}
	}
	lt := (lo + hi) / 2
	return math.Exp(lt), f(lt)
}

// nbRatio fills r with the naive Bayes log-count ratio of class c against
// the rest on binarised features (Wang & Manning 2012), smoothed with 1.
func nbRatio(X []sparse, y []int, c int, r []float64) {
	dim := len(r)
	pos := make([]float64, dim)
	neg := make([]float64, dim)
	for i, v := range X {
		t := neg
		if y[i] == c {
			t = pos
		}
		for _, j := range v.idx {
			t[j]++
		}
	}
	var sp, sn float64
	for j := range pos {
		pos[j]++
		neg[j]++
		sp += pos[j]
		sn += neg[j]
	}
	for j := range r {
		r[j] = math.Log((pos[j] / sp) / (neg[j] / sn))
	}
}

// tuneOffsets returns per-class score offsets that maximise macro-F1 of
// the argmax over out-of-fold scores, by a few rounds of coordinate ascent
// over a grid. Ties keep the smaller shift, so the result stays near 0.
func tuneOffsets(S [][]float64, y []int, K int) []float64 {
	off := make([]float64, K)
	macro := func() float64 {
		tp := make([]int, K)
		fp := make([]int, K)
		fn := make([]int, K)
		for i, s := range S {
			best := 0
			for c := range s {
				if s[c]+off[c] > s[best]+off[best] {
					best = c
				}
			}
			if best == y[i] {
				tp[best]++
			} else {
				fp[best]++
				fn[y[i]]++
			}
		}
		var f float64
		for c := 0; c < K; c++ {
			if d := 2*tp[c] + fp[c] + fn[c]; d > 0 {
				f += 2 * float64(tp[c]) / float64(d)
			}
		}
		return f / float64(K)
	}
	best := macro()
	for range 4 {
		improved := false
		for c := 0; c < K; c++ {
			orig := off[c]
			bestD := orig
			for step := -25; step <= 25; step++ {
				d := float64(step) * 0.02
				off[c] = d
				if f := macro(); f > best+1e-12 || (f > best-1e-12 && math.Abs(d) < math.Abs(bestD)) {
					if f > best+1e-12 {
						improved = true
					}
					best, bestD = max(best, f), d
				}
			}
			off[c] = bestD
		}
		if !improved {
			break
		}
	}
	return off
}
