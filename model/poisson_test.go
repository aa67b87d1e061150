package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// A Poisson draw with a NaN, zero or negative mean is 0, and one with an infinite mean
// ends: a bad mean never hangs the rejection loop.
func TestPoissonBadMeansEnd(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
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
