package scenarios

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"ersim/dist"
)

// Density is the density of key's [uncertainty] distribution at x, up to a constant
// factor (a truncated normal is not renormalised), and 0 outside its support: the
// prior of a calibrated parameter. It is NaN when key is not in u.
func (u *Uncertainty) Density(key string, x float64) float64 {
	p, ok := u.marginal(key)
	if !ok {
		return math.NaN()
	}
	lo, hi := p.Support()
	if math.IsNaN(x) || x < lo || x > hi {
		return 0
	}
	switch p.Dist {
	case "uniform":
		return 1 / (p.Max - p.Min)
	case "normal":
		if p.SD == 0 {
			return math.Inf(1)
		}
		z := (x - p.Mean) / p.SD
		return math.Exp(-z*z/2) / (p.SD * math.Sqrt(2*math.Pi))
	case "lognormal":
		mu, sigma := dist.LognormalParams(p.Mean, p.SD)
		return distuv.LogNormal{Mu: mu, Sigma: sigma}.Prob(x)
	case "beta":
		return distuv.Beta{Alpha: p.A, Beta: p.B}.Prob(x)
	case "gamma":
		return distuv.Gamma{Alpha: p.Shape, Beta: 1 / p.Scale}.Prob(x)
	case "triangular":
		return distuv.NewTriangle(p.Min, p.Mode, p.Max, nil).Prob(x)
	}
	return 0
}

// Support returns the smallest and largest value key's distribution draws (NaN, NaN
// when key is not in u).
func (u *Uncertainty) Support(key string) (lo, hi float64) {
	p, ok := u.marginal(key)
	if !ok {
		return math.NaN(), math.NaN()
	}
	return p.Support()
}

// marginal returns key's distribution.
func (u *Uncertainty) marginal(key string) (Param, bool) {
	if u == nil {
		return Param{}, false
	}
	c := u.compiled()
	if c == nil {
		return Param{}, false
	}
	i, ok := c.index[canonicalKey(key)]
	if !ok {
		return Param{}, false
	}
	return c.marg[i], true
}
