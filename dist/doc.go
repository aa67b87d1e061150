// Package dist holds the probability distributions ersim draws from, on plain numbers
// and an explicit random source, so that the engine (package model) and the scenario
// format's parameter uncertainty (package scenarios) share one implementation:
//
//   - quantile functions of the distributions a scenario parameter can take (uniform,
//     triangular, normal truncated or not, lognormal, beta, gamma) and Φ;
//   - sampling: the one gamma sampler (Marsaglia and Tsang), beta as a ratio of gammas,
//     truncated normal by rejection, Dirichlet shares from log-gamma draws;
//   - the Gaussian copula that imposes Spearman rank correlations, with the checks of a
//     rank-correlation matrix (square, symmetric, positive semi-definite).
//
// Where gonum's stat/distuv has a distribution and gives bit-identical results, dist
// calls it; elsewhere it keeps its own arithmetic and says why. Every change here must
// keep every draw bit for bit: seeds, scenarios and published results depend on it
// (dist_test.go checks the formulas on many points).
//
// Programmer errors panic with the package name; there are no data errors to return
// except for a correlation matrix, which CheckRank describes.
package dist
