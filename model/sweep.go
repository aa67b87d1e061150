package model

import "math/rand/v2"

// Parameter sweeps (ersim sweep) run the plan at points of the parameter space with
// (*Plan).At. LatinHypercube chooses the points of a Latin hypercube sample.

// LatinHypercube returns n points in the unit cube [0, 1)^dims: along every dimension
// each of the n strata [k/n, (k+1)/n) holds exactly one point, at a uniform position
// within it. The sample depends only on n, dims and seed.
func LatinHypercube(n, dims int, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 0x4c48535f73776565)) // "LHS_swee"
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, dims)
	}
	for d := range dims {
		perm := r.Perm(n)
		for i := range n {
			pts[i][d] = (float64(perm[i]) + r.Float64()) / float64(n)
		}
	}
	return pts
}
