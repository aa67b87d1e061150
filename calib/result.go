package calib

import "math"

// Summary is the weighted posterior mean of parameter i and its 2.5 % and 97.5 %
// weighted quantiles (a 95 % credible interval).
func (r *Result) Summary(i int) (mean, lo95, hi95 float64) {
	return r.Mean(i), r.Quantile(i, 0.025), r.Quantile(i, 0.975)
}

// Mean is the weighted posterior mean of parameter i.
func (r *Result) Mean(i int) float64 {
	m := 0.0
	for k, th := range r.Particles {
		m += r.Weights[k] * th[i]
	}
	return m
}

// SD is the weighted posterior standard deviation of parameter i (the weighted second
// central moment's square root, without small-sample correction).
func (r *Result) SD(i int) float64 {
	m := r.Mean(i)
	v := 0.0
	for k, th := range r.Particles {
		d := th[i] - m
		v += r.Weights[k] * d * d
	}
	return math.Sqrt(v)
}

// Quantile is the weighted p-quantile of parameter i: the smallest particle value
// whose cumulative weight, in increasing order, reaches p.
func (r *Result) Quantile(i int, p float64) float64 {
	x := make([]float64, len(r.Particles))
	for k, th := range r.Particles {
		x[k] = th[i]
	}
	return weightedQuantile(x, r.Weights, p)
}

// ESS is the effective sample size 1/Σw² of the final population.
func (r *Result) ESS() float64 {
	s := 0.0
	for _, w := range r.Weights {
		s += w * w
	}
	return 1 / s
}
