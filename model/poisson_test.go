package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// A Poisson draw with a NaN, zero or negative mean is 0, and one with an infinite mean
// ends: a bad mean never hangs the rejection loop.
func TestPoissonBadMeansEnd(t *testing.T) {
	r := rand.NewPCG(1, 2)
	for _, lam := range []float64{math.NaN(), 0, -3, math.Inf(-1)} {
		if k := poisson(r, lam); k != 0 {
			t.Errorf("poisson(%g) = %g, want 0", lam, k)
		}
	}
	if k := poisson(r, math.Inf(1)); !math.IsInf(k, 1) {
		t.Errorf("poisson(+Inf) = %g, want +Inf", k)
	}
	for _, lam := range []float64{0.5, 5, 15, 29.9, 30, 1e6} {
		sum := 0.0
		for range 2000 {
			sum += poisson(r, lam)
		}
		if m := sum / 2000; math.Abs(m-lam) > 5*math.Sqrt(lam/2000) {
			t.Errorf("mean of poisson(%g) draws = %g", lam, m)
		}
	}
}

// The stream's direct draws (uniform, normal) are exactly math/rand/v2's Float64 and
// NormFloat64 on the same PCG state, tails included, so results do not change.
func TestDirectDrawsMatchRand(t *testing.T) {
	for seed := range uint64(50) {
		a, b := rand.NewPCG(seed, seed^0x5851f42d4c957f2d), rand.NewPCG(seed, seed^0x5851f42d4c957f2d)
		r := rand.New(b)
		for i := range 200000 {
			if i%2 == 0 {
				if x, y := normal(a), r.NormFloat64(); x != y {
					t.Fatalf("seed %d draw %d: normal %v, NormFloat64 %v", seed, i, x, y)
				}
			} else if x, y := uniform(a), r.Float64(); x != y {
				t.Fatalf("seed %d draw %d: uniform %v, Float64 %v", seed, i, x, y)
			}
		}
	}
}

// lgammaInts holds exactly what math.Lgamma computes.
func TestLgammaTable(t *testing.T) {
	for k, v := range lgammaInts {
		if w, _ := math.Lgamma(float64(k + 1)); v != w {
			t.Fatalf("lgammaInts[%d] = %v, want %v", k, v, w)
		}
	}
}
