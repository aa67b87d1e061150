package results

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Quantiles reported in summary.csv and timeseries.csv.
var Quantiles = []float64{0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975}

// QuantileNames are the column names of Quantiles.
var QuantileNames = []string{"p025", "p05", "p25", "p50", "p75", "p95", "p975"}

// Stats summarises a sample.
type Stats struct {
	N          int
	Mean, SD   float64
	MCSE       float64 // Monte Carlo standard error of the mean
	CILo, CIHi float64 // 95 % confidence interval of the mean (Student t)
	Q          []float64
}

// Summarise computes Stats over the finite values of xs.
func Summarise(xs []float64) Stats {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	st := Stats{N: len(v), Q: make([]float64, len(Quantiles))}
	if len(v) == 0 {
		st.Mean, st.SD, st.MCSE, st.CILo, st.CIHi = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		for i := range st.Q {
			st.Q[i] = math.NaN()
		}
		return st
	}
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	st.Mean = sum / float64(len(v))
	if len(v) > 1 {
		ss := 0.0
		for _, x := range v {
			d := x - st.Mean
			ss += d * d
		}
		st.SD = math.Sqrt(ss / float64(len(v)-1))
		st.MCSE = st.SD / math.Sqrt(float64(len(v)))
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(v) - 1)}.Quantile(0.975)
		st.CILo, st.CIHi = st.Mean-t*st.MCSE, st.Mean+t*st.MCSE
	} else {
		st.CILo, st.CIHi = st.Mean, st.Mean
	}
	slices.Sort(v)
	for i, q := range Quantiles {
		st.Q[i] = quantileSorted(v, q)
	}
	return st
}

// quantileSorted is the linear-interpolation quantile (type 7, as R's default).
func quantileSorted(v []float64, q float64) float64 {
	if len(v) == 1 {
		return v[0]
	}
	h := q * float64(len(v)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(v) {
		return v[len(v)-1]
	}
	return v[i] + (h-lo)*(v[i+1]-v[i])
}

// p2 is the P² streaming quantile estimator (Jain & Chlamtac 1985): five markers,
// constant memory whatever the number of observations; exact for the first five.
type p2 struct {
	q    float64
	n    int
	h    [5]float64 // marker heights
	pos  [5]float64 // marker positions (1-based)
	want [5]float64 // desired positions
	inc  [5]float64
}

func newP2(q float64) p2 {
	return p2{q: q, inc: [5]float64{0, q / 2, q, (1 + q) / 2, 1}}
}

func (e *p2) add(x float64) {
	if math.IsNaN(x) {
		return
	}
	if e.n < 5 {
		e.h[e.n] = x
		e.n++
		if e.n == 5 {
			slices.Sort(e.h[:])
			for i := range 5 {
				e.pos[i] = float64(i + 1)
			}
			e.want = [5]float64{1, 1 + 2*e.q, 1 + 4*e.q, 3 + 2*e.q, 5}
		}
		return
	}
	e.n++
	var k int
	switch {
	case x < e.h[0]:
		e.h[0] = x
		k = 0
	case x >= e.h[4]:
		e.h[4] = x
		k = 3
	default:
		for k = 0; k < 3 && x >= e.h[k+1]; k++ {
		}
	}
	for i := k + 1; i < 5; i++ {
		e.pos[i]++
	}
	for i := range 5 {
		e.want[i] += e.inc[i]
	}
	for i := 1; i <= 3; i++ {
		d := e.want[i] - e.pos[i]
		if (d >= 1 && e.pos[i+1]-e.pos[i] > 1) || (d <= -1 && e.pos[i-1]-e.pos[i] < -1) {
			s := math.Copysign(1, d)
			hp := e.parabolic(i, s)
			if e.h[i-1] < hp && hp < e.h[i+1] {
				e.h[i] = hp
			} else {
				j := i + int(s)
				e.h[i] += s * (e.h[j] - e.h[i]) / (e.pos[j] - e.pos[i])
			}
			e.pos[i] += s
		}
	}
}

func (e *p2) parabolic(i int, s float64) float64 {
	return e.h[i] + s/(e.pos[i+1]-e.pos[i-1])*
		((e.pos[i]-e.pos[i-1]+s)*(e.h[i+1]-e.h[i])/(e.pos[i+1]-e.pos[i])+
			(e.pos[i+1]-e.pos[i]-s)*(e.h[i]-e.h[i-1])/(e.pos[i]-e.pos[i-1]))
}

func (e *p2) value() float64 {
	if e.n == 0 {
		return math.NaN()
	}
	if e.n < 5 {
		v := slices.Clone(e.h[:e.n])
		slices.Sort(v)
		return quantileSorted(v, e.q)
	}
	return e.h[2]
}
