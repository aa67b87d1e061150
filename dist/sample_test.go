package dist

import (
	"math"
	"math/rand/v2"
	"testing"
)

// refGammaDraw and refLogGamma are the two gamma samplers ersim had before dist, the
// engine's and the PSA's; Gamma must reproduce both streams bit for bit.
func refGammaDraw(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		u := r.Float64()
		return refGammaDraw(r, 1+shape) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

func refLogGamma(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		u := r.Float64()
		for u == 0 {
			u = r.Float64()
		}
		return refLogGamma(r, shape+1) + math.Log(u)/shape
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return math.Log(d * v)
		}
	}
}

func TestGammaStreamsUnchanged(t *testing.T) {
	shapes := []float64{1e-3, 0.01, 0.3, 0.999, 1, 1.5, 2, 6.25, 40, 1e4, 1e7}
	for seed := range uint64(200) {
		for _, shape := range shapes {
			a, b := rand.New(rand.NewPCG(seed, 7)), rand.New(rand.NewPCG(seed, 7))
			for range 5 {
				if got, want := Gamma(a, shape, false), refGammaDraw(b, shape); !same(got, want) {
					t.Fatalf("Gamma(%g), seed %d: %b, want %b", shape, seed, got, want)
				}
			}
			a, b = rand.New(rand.NewPCG(seed, 8)), rand.New(rand.NewPCG(seed, 8))
			for range 5 {
				if got, want := Gamma(a, shape, true), refLogGamma(b, shape); !same(got, want) {
					t.Fatalf("log Gamma(%g), seed %d: %b, want %b", shape, seed, got, want)
				}
			}
		}
	}
}

func sampleMeanSD(n int, draw func() float64) (mean, sd float64) {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = draw()
		mean += xs[i]
	}
	mean /= float64(n)
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(n-1))
}

// Sample moments from a seeded PCG: Gamma(k) has mean k and sd √k; Beta(a, b) mean
// a/(a+b); log-scale draws exponentiate to the same distribution.
func TestSampleMoments(t *testing.T) {
	const n = 40000
	r := rand.New(rand.NewPCG(20190101, 1))
	for _, k := range []float64{0.4, 1, 6.25} {
		check := func(what string, mean, sd float64) {
			if math.Abs(mean-k) > 4*math.Sqrt(k/n) || math.Abs(sd/math.Sqrt(k)-1) > 0.03 {
				t.Errorf("%s(%g): mean %.4g sd %.4g, want %g and %.4g", what, k, mean, sd, k, math.Sqrt(k))
			}
		}
		mean, sd := sampleMeanSD(n, func() float64 { return Gamma(r, k, false) })
		check("Gamma", mean, sd)
		mean, sd = sampleMeanSD(n, func() float64 { return math.Exp(Gamma(r, k, true)) })
		check("exp log Gamma", mean, sd)
	}
	a, b := 2.0, 5.0
	mean, sd := sampleMeanSD(n, func() float64 { return Beta(r, a, b) })
	wantSD := math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))
	if math.Abs(mean-a/(a+b)) > 4*wantSD/math.Sqrt(n) || math.Abs(sd/wantSD-1) > 0.03 {
		t.Errorf("Beta(2, 5): mean %.4g sd %.4g, want %.4g and %.4g", mean, sd, a/(a+b), wantSD)
	}
	for range 1000 {
		if x := TruncNormal(r, 2, 0.5, 1.9, 2.05); x < 1.9 || x > 2.05 {
			t.Fatalf("truncated normal drew %g outside [1.9, 2.05]", x)
		}
	}
	if x := TruncNormal(r, 0, 1, 40, 41); x != 40 {
		t.Errorf("a truncation far in the tail gives %g, want the clamped mean 40", x)
	}
}

// Dirichlet shares sum to 1 even for tiny alphas, whose gammas underflow.
func TestDirichletShares(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for range 1000 {
		alpha := []float64{1e-3, 0.5, 60}
		logs := make([]float64, len(alpha))
		for i, a := range alpha {
			logs[i] = Gamma(r, a, true)
		}
		sum := 0.0
		for _, s := range DirichletShares(logs) {
			if !(s >= 0 && s <= 1) {
				t.Fatalf("share %g", s)
			}
			sum += s
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("shares sum to %.17g", sum)
		}
	}
}
