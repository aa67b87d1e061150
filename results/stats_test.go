package results

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSummarise(t *testing.T) {
	st := Summarise([]float64{1, 2, 3, 4, math.NaN()})
	if st.N != 4 || st.Mean != 2.5 || math.Abs(st.SD-math.Sqrt(5.0/3)) > 1e-12 {
		t.Fatalf("got %+v", st)
	}
	// Type 7 quantiles, as R's quantile(c(1,2,3,4), 0.25) = 1.75.
	if st.Q[2] != 1.75 || st.Q[3] != 2.5 {
		t.Errorf("quartile %g, median %g; want 1.75 and 2.5", st.Q[2], st.Q[3])
	}
	// t(0.975, 3) = 3.182446 (R: qt(0.975, 3)).
	if half := st.CIHi - st.Mean; math.Abs(half-3.182446*st.MCSE) > 1e-5 {
		t.Errorf("CI half-width %g, want %g", half, 3.182446*st.MCSE)
	}
	if st := Summarise([]float64{math.NaN()}); st.N != 0 || !math.IsNaN(st.Mean) {
		t.Errorf("all-NaN sample: %+v", st)
	}
}

// The streaming P² estimate of a quantile is close to the exact sample quantile.
func TestP2Quantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 2000)
	for i := range xs {
		xs[i] = r.NormFloat64()
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	for _, q := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
		e := newP2(q)
		for _, x := range xs {
			e.add(x)
		}
		if exact := quantileSorted(sorted, q); math.Abs(e.value()-exact) > 0.05 {
			t.Errorf("q=%g: P² %g, exact %g", q, e.value(), exact)
		}
	}
	e := newP2(0.5)
	for _, x := range []float64{3, 1, 2} {
		e.add(x)
	}
	if e.value() != 2 {
		t.Errorf("median of three: %g, want 2 (exact below five observations)", e.value())
	}
}

func TestFmt(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		sign bool
		want string
	}{
		{1234567, false, "1,234,567"}, {0.04554, false, "0.04554"}, {-12.345, true, "−12.35"},
		{2.5, true, "+2.500"}, {0, true, "±0"}, {math.NaN(), false, "n/a"},
	} {
		if got := Fmt(tc.x, tc.sign); got != tc.want {
			t.Errorf("Fmt(%g, %v) = %q, want %q", tc.x, tc.sign, got, tc.want)
		}
	}
}
