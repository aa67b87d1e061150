package dist

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Sampling draws from a positioned *rand.Rand with its Float64 and NormFloat64, not
// through distuv's Rand methods: those take a rand.Source and wrap it in a new rand.Rand
// on every draw, and the engine positions one reusable stream per key.

// Gamma draws a Gamma(shape, 1) variate by Marsaglia and Tsang's method; for shape < 1,
// a Gamma(shape+1, 1) variate boosted by U^(1/shape), U uniform and drawn first.
//
// With logScale false it returns the variate x·U^(1/shape), U in [0, 1) as drawn: the
// engine's per-provider draws. With logScale true it returns the variate's logarithm,
// log x + log(U)/shape, which does not underflow for the tiny shapes of a Dirichlet
// where U^(1/shape) does; U is then redrawn while it is 0, so that the logarithm is
// finite. Both forms are the arithmetic their callers have always used, so every stream
// is unchanged: the two share the draws of Marsaglia and Tsang's core.
func Gamma(r *rand.Rand, shape float64, logScale bool) float64 {
	if shape < 1 {
		u := r.Float64()
		if !logScale {
			return Gamma(r, 1+shape, false) * math.Pow(u, 1/shape)
		}
		for u == 0 {
			u = r.Float64()
		}
		return Gamma(r, shape+1, true) + math.Log(u)/shape
	}
	x := marsagliaTsang(r, shape)
	if logScale {
		return math.Log(x)
	}
	return x
}

// marsagliaTsang draws Gamma(shape, 1) for shape >= 1.
func marsagliaTsang(r *rand.Rand, shape float64) float64 {
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

// Beta draws Beta(a, b) as X/(X+Y), X ~ Gamma(a, 1) drawn before Y ~ Gamma(b, 1).
func Beta(r *rand.Rand, a, b float64) float64 {
	x := Gamma(r, a, false)
	y := Gamma(r, b, false)
	return x / (x + y)
}

// TruncNormal draws Normal(mean, sd) truncated to [lo, hi] by rejection; after 1000
// rejections (a range far in a tail) it returns mean clamped to the range.
func TruncNormal(r *rand.Rand, mean, sd, lo, hi float64) float64 {
	for range 1000 {
		x := mean + sd*r.NormFloat64()
		if x >= lo && x <= hi {
			return x
		}
	}
	return math.Min(hi, math.Max(lo, mean))
}

// DirichletShares turns independent log-gamma draws, log Gamma(αᵢ, 1), into the shares
// of a Dirichlet(α) draw, in place: they sum to 1 even where the gammas themselves would
// underflow.
func DirichletShares(logs []float64) []float64 {
	m := slices.Max(logs)
	sum := 0.0
	for j := range logs {
		logs[j] = math.Exp(logs[j] - m)
		sum += logs[j]
	}
	for j := range logs {
		logs[j] /= sum
	}
	return logs
}
