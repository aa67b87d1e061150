package validation

import (
	"math"
	"slices"

	"ersim/results"
)

// Estimate is a Monte Carlo estimate: the value, its 95 % interval and its Monte Carlo
// standard error, over N replications.
type Estimate struct {
	Value, Lo, Hi, MCSE float64
	N                   int
	Note                string
}

// meanOf estimates the mean of a per-replication statistic: the sample mean, its
// Student-t 95 % interval and standard error. Non-finite values are left out.
func meanOf(xs []float64) Estimate {
	st := results.Summarise(xs)
	if st.N == 1 || st.SD <= 1e-12*math.Max(1, math.Abs(st.Mean)) {
		// One replication, or identical ones up to rounding: no Monte Carlo error.
		return Estimate{Value: st.Mean, Lo: st.Mean, Hi: st.Mean, N: st.N}
	}
	return Estimate{Value: st.Mean, Lo: st.CILo, Hi: st.CIHi, MCSE: st.MCSE, N: st.N}
}

// quantileOf estimates the p-quantile of the distribution the replications are drawn
// from (for example the median across practices when each replication is one
// practice): the sample quantile (type 7), a distribution-free 95 % interval from order
// statistics (the binomial normal approximation) and, as its standard error, the
// interval's half-width / 1.96.
func quantileOf(xs []float64, p float64) Estimate {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	n := len(v)
	if n == 0 {
		return Estimate{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), MCSE: math.NaN()}
	}
	slices.Sort(v)
	q := typ7(v, p)
	if n < 2 {
		return Estimate{Value: q, Lo: q, Hi: q, N: n}
	}
	half := 1.96 * math.Sqrt(float64(n)*p*(1-p))
	lo := int(math.Floor(float64(n)*p - half)) // 1-based order statistics
	hi := int(math.Ceil(float64(n)*p + half))
	lo = min(max(lo, 1), n)
	hi = min(max(hi, 1), n)
	e := Estimate{Value: q, Lo: v[lo-1], Hi: v[hi-1], N: n}
	e.MCSE = (e.Hi - e.Lo) / (2 * 1.96)
	return e
}

func typ7(v []float64, p float64) float64 {
	if len(v) == 1 {
		return v[0]
	}
	h := p * float64(len(v)-1)
	i := int(math.Floor(h))
	if i+1 >= len(v) {
		return v[len(v)-1]
	}
	return v[i] + (h-float64(i))*(v[i+1]-v[i])
}

// exact is an estimate with no Monte Carlo error (a deterministic computation).
func exact(x float64, n int) Estimate {
	return Estimate{Value: x, Lo: x, Hi: x, MCSE: 0, N: n}
}

// mean is the plain mean of finite values.
func mean(xs []float64) float64 {
	s, n := 0.0, 0
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}
