package dist

import (
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// A Gaussian copula imposes Spearman rank correlations on any marginals: standard
// normals multiplied by a square root of the normal correlation matrix r = 2·sin(π·ρ_s/6),
// whose Spearman correlation is exactly ρ_s, then mapped through each marginal's
// quantile function. Ranks do not change under those monotone maps, so every pair of
// values has the rank correlation given.

// CheckRank returns what is wrong with a rank-correlation matrix, or "".
func CheckRank(r [][]float64) string {
	n := len(r)
	for i, row := range r {
		if len(row) != n {
			return "not square"
		}
		for j, x := range row {
			switch {
			case math.IsNaN(x) || x < -1 || x > 1:
				return "entries outside [−1, 1]"
			case i == j && x != 1:
				return "diagonal not 1"
			case j < i && math.Abs(x-r[j][i]) > 1e-9:
				return "not symmetric"
			}
		}
	}
	if MinEigen(r) < -1e-9 {
		return "not positive semi-definite"
	}
	return ""
}

// MinEigen returns the smallest eigenvalue of a symmetric matrix (its upper triangle is
// read), 1 for an empty one and −∞ when the decomposition fails.
func MinEigen(r [][]float64) float64 {
	n := len(r)
	if n == 0 {
		return 1
	}
	s := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			s.SetSym(i, j, r[i][j])
		}
	}
	var es mat.EigenSym
	if !es.Factorize(s, false) {
		return math.Inf(-1)
	}
	return slices.Min(es.Values(nil))
}

// CopulaFactor returns A with A·Aᵀ the normal correlation matrix 2·sin(π·ρ_s/6) of the
// Gaussian copula whose Spearman correlation is ρ_s: its Cholesky factor, or, when the
// matrix is only semi-definite (or the transform made it slightly indefinite), an
// eigenvalue square root with negative eigenvalues set to 0 and rows rescaled to unit
// variance. Row i of A times a vector of independent standard normals is the i-th
// correlated normal.
func CopulaFactor(rank [][]float64) ([][]float64, error) {
	n := len(rank)
	s := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			r := 1.0
			if i != j {
				r = 2 * math.Sin(math.Pi*rank[i][j]/6)
			}
			s.SetSym(i, j, r)
		}
	}
	out := make([][]float64, n)
	var ch mat.Cholesky
	if ch.Factorize(s) {
		var l mat.TriDense
		ch.LTo(&l)
		for i := range n {
			out[i] = make([]float64, n)
			for j := 0; j <= i; j++ {
				out[i][j] = l.At(i, j)
			}
		}
		return out, nil
	}
	var es mat.EigenSym
	if !es.Factorize(s, true) {
		return nil, errors.New("the correlation matrix cannot be factorised")
	}
	vals := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	for i := range n {
		out[i] = make([]float64, n)
		norm := 0.0
		for k := range n {
			out[i][k] = vecs.At(i, k) * math.Sqrt(math.Max(vals[k], 0))
			norm += out[i][k] * out[i][k]
		}
		if norm == 0 {
			return nil, errors.New("the correlation matrix is degenerate")
		}
		for k := range n {
			out[i][k] /= math.Sqrt(norm)
		}
	}
	return out, nil
}
