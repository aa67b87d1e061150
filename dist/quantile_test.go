package dist

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// The reference formulas below are the arithmetic ersim used before dist called distuv;
// dist must reproduce them bit for bit, or seeds would draw different scenarios.

func refNormalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

func refLognormalQuantile(mean, sd, u float64) float64 {
	s2 := math.Log1p(sd * sd / (mean * mean))
	mu, s := math.Log(mean)-s2/2, math.Sqrt(s2)
	return math.Exp(mu + s*mathext.NormalQuantile(u))
}

func refTriangular(min, mode, max, u float64) float64 {
	f := (mode - min) / (max - min)
	if u < f {
		return min + math.Sqrt(u*(max-min)*(mode-min))
	}
	return max - math.Sqrt((1-u)*(max-min)*(max-mode))
}

// points returns probabilities in [0, 1]: a grid, both tails down to 2⁻⁶⁰, the exact
// ends and random ones.
func points() []float64 {
	ps := []float64{0, 1, 0.5, 0x1p-60, 1 - 0x1p-53, 1e-300, math.SmallestNonzeroFloat64, math.Nextafter(1, 0)}
	for i := 1; i < 1000; i++ {
		ps = append(ps, float64(i)/1000)
	}
	for e := 1; e <= 60; e++ {
		ps = append(ps, math.Ldexp(1, -e), 1-math.Ldexp(1, -e))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		ps = append(ps, r.Float64())
	}
	return ps
}

func same(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

func TestNormalCDFBitIdentical(t *testing.T) {
	zs := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), 40, -40, 1e-300}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		zs = append(zs, 10*r.NormFloat64(), r.NormFloat64())
	}
	for _, z := range zs {
		if got, want := NormalCDF(z), refNormalCDF(z); !same(got, want) {
			t.Fatalf("Φ(%g) = %b, want %b", z, got, want)
		}
	}
}

func TestQuantilesBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, u := range points() {
		min, max := -3+10*r.Float64(), 0.0
		max = min + 1e-3 + 100*r.Float64()
		mode := min + (max-min)*r.Float64()
		for _, m := range []float64{mode, min, max} {
			if got, want := TriangularQuantile(min, m, max, u), refTriangular(min, m, max, u); !same(got, want) {
				t.Fatalf("triangular(%g, %g, %g) at %g: %b, want %b", min, m, max, u, got, want)
			}
		}
		if got, want := UniformQuantile(min, max, u), min+u*(max-min); !same(got, want) {
			t.Fatalf("uniform(%g, %g) at %g: %b, want %b", min, max, u, got, want)
		}
		mean, sd := 1e-3+1000*r.Float64(), 500*r.Float64()
		if got, want := LognormalQuantile(mean, sd, u), refLognormalQuantile(mean, sd, u); !same(got, want) {
			t.Fatalf("lognormal(%g, %g) at %g: %b, want %b", mean, sd, u, got, want)
		}
		z := 3 * r.NormFloat64()
		s2 := math.Log1p(sd * sd / (mean * mean))
		if got, want := LognormalAt(mean, sd, z), math.Exp(math.Log(mean)-s2/2+math.Sqrt(s2)*z); !same(got, want) {
			t.Fatalf("lognormal(%g, %g) at z = %g: %b, want %b", mean, sd, z, got, want)
		}
		if u == 0 || u == 1 || u < 1e-200 {
			continue // InvRegIncBeta is slow at the exact ends; the points above cover the tails
		}
		a, b := 0.01+20*r.Float64(), 0.01+20*r.Float64()
		if got, want := BetaQuantile(a, b, u), mathext.InvRegIncBeta(a, b, u); !same(got, want) {
			t.Fatalf("beta(%g, %g) at %g: %b, want %b", a, b, u, got, want)
		}
	}
}

// Each quantile function inverts its distribution function (distuv's, or Φ for the
// truncated normal) on a grid of probabilities.
func TestQuantilesInvertCDF(t *testing.T) {
	trunc := func(a, b float64) func(float64) float64 {
		return func(x float64) float64 { return (NormalCDF(x) - NormalCDF(a)) / (NormalCDF(b) - NormalCDF(a)) }
	}
	mu, sigma := LognormalParams(600, 100)
	for _, c := range []struct {
		name     string
		quantile func(float64) float64
		cdf      func(float64) float64
	}{
		{"normal truncated to [-1, 2]", func(u float64) float64 { return TruncNormalQuantile(u, -1, 2) }, trunc(-1, 2)},
		{"normal truncated to [0.5, ∞)", func(u float64) float64 { return TruncNormalQuantile(u, 0.5, math.Inf(1)) }, trunc(0.5, math.Inf(1))},
		{"normal", func(u float64) float64 { return TruncNormalQuantile(u, math.Inf(-1), math.Inf(1)) }, NormalCDF},
		{"gamma(2.5)", func(u float64) float64 { return GammaQuantile(2.5, u) }, distuv.Gamma{Alpha: 2.5, Beta: 1}.CDF},
		{"gamma(0.5)", func(u float64) float64 { return GammaQuantile(0.5, u) }, distuv.Gamma{Alpha: 0.5, Beta: 1}.CDF},
		{"beta(2, 3)", func(u float64) float64 { return BetaQuantile(2, 3, u) }, distuv.Beta{Alpha: 2, Beta: 3}.CDF},
		{"lognormal(600, 100)", func(u float64) float64 { return LognormalQuantile(600, 100, u) }, distuv.LogNormal{Mu: mu, Sigma: sigma}.CDF},
		{"triangular(1, 3, 5)", func(u float64) float64 { return TriangularQuantile(1, 3, 5, u) }, distuv.NewTriangle(1, 5, 3, nil).CDF},
		{"uniform(-2, 3)", func(u float64) float64 { return UniformQuantile(-2, 3, u) }, distuv.Uniform{Min: -2, Max: 3}.CDF},
	} {
		for i := 1; i < 100; i++ {
			u := float64(i) / 100
			if got := c.cdf(c.quantile(u)); math.Abs(got-u) > 1e-9 {
				t.Errorf("%s: F(Q(%g)) = %.12g", c.name, u, got)
			}
		}
	}
	if GammaQuantile(3, 0) != 0 || !math.IsInf(GammaQuantile(3, 1), 1) {
		t.Errorf("gamma quantile at 0 and 1: %g, %g", GammaQuantile(3, 0), GammaQuantile(3, 1))
	}
	if q := TriangularQuantile(1, 3, 5, 0.5); q != 3 {
		t.Errorf("triangular median %g, want 3", q)
	}
	for _, u := range points() {
		a, b := -1.5, 0.7
		if q := TruncNormalQuantile(u, a, b); !(q >= a && q <= b) {
			t.Fatalf("truncated normal quantile %g at %g outside [%g, %g]", q, u, a, b)
		}
	}
}
