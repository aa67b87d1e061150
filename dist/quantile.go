package dist

import (
	"math"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// NormalCDF is Φ, the standard normal distribution function.
func NormalCDF(z float64) float64 { return distuv.UnitNormal.CDF(z) }

// UniformQuantile is the u-quantile of the uniform distribution on [min, max].
func UniformQuantile(min, max, u float64) float64 {
	return distuv.Uniform{Min: min, Max: max}.Quantile(u)
}

// TriangularQuantile is the u-quantile of the triangular distribution on [min, max] with
// the given mode. It panics unless min <= mode <= max and min < max.
func TriangularQuantile(min, mode, max, u float64) float64 {
	return distuv.NewTriangle(min, max, mode, nil).Quantile(u)
}

// TruncNormalQuantile is the u-quantile of a standard normal truncated to [a, b] (either
// may be infinite), computed in the lower tail, where Φ is accurate. distuv has no
// truncated normal. It calls mathext.NormalQuantile rather than
// distuv.UnitNormal.Quantile, whose 0 + 1·x turns a −0 into +0 and could change the
// sign of a zero result.
func TruncNormalQuantile(u, a, b float64) float64 {
	if a > 0 {
		return -TruncNormalQuantile(1-u, -b, -a)
	}
	pa, pb := NormalCDF(a), NormalCDF(b)
	p := math.Min(math.Max(pa+u*(pb-pa), 0), 1)
	return math.Min(math.Max(mathext.NormalQuantile(p), a), b)
}

// LognormalParams returns μ and σ of log X for a lognormal X with the given mean and
// standard deviation (of X itself).
func LognormalParams(mean, sd float64) (mu, sigma float64) {
	s2 := math.Log1p(sd * sd / (mean * mean))
	return math.Log(mean) - s2/2, math.Sqrt(s2)
}

// LognormalAt maps a standard normal z to the lognormal with the given mean and
// standard deviation: exp(μ + σ·z).
func LognormalAt(mean, sd, z float64) float64 {
	mu, sigma := LognormalParams(mean, sd)
	return math.Exp(mu + sigma*z)
}

// LognormalQuantile is the u-quantile of the lognormal with the given mean and standard
// deviation (of the variable itself).
func LognormalQuantile(mean, sd, u float64) float64 {
	mu, sigma := LognormalParams(mean, sd)
	return distuv.LogNormal{Mu: mu, Sigma: sigma}.Quantile(u)
}

// BetaQuantile is the u-quantile of Beta(a, b).
func BetaQuantile(a, b, u float64) float64 {
	return distuv.Beta{Alpha: a, Beta: b}.Quantile(u)
}

// GammaQuantile is the u-quantile of Gamma(shape, 1); where the inversion does not
// converge, the Wilson–Hilferty approximation. It is not distuv.Gamma.Quantile: that
// divides by the rate (x / (1/scale) is not always x·scale to the bit) and returns NaN
// where the inversion fails.
func GammaQuantile(shape, u float64) float64 {
	if u <= 0 {
		return 0
	}
	if u >= 1 {
		return math.Inf(1)
	}
	x := mathext.GammaIncRegInv(shape, u)
	if math.IsNaN(x) {
		z := mathext.NormalQuantile(u)
		c := 1 / (9 * shape)
		x = shape * math.Pow(math.Max(0, 1-c+z*math.Sqrt(c)), 3)
	}
	return x
}
