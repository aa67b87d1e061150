// Package calib calibrates a stochastic model's parameters to observed targets by
// approximate Bayesian computation with sequential Monte Carlo (ABC-SMC, also called
// ABC population Monte Carlo). It knows nothing of ersim's model: the caller wraps the
// model in a Model function that maps a parameter vector and a seed to the simulated
// values of the targets.
//
// # Method
//
// ABC replaces the likelihood by a tolerance: a parameter vector θ drawn from the prior
// is kept if the model's output at θ lies within distance ε of the observed values. As
// ε → 0 the kept θ follow the posterior. ABC-SMC gets there through a sequence of
// populations of N weighted particles with decreasing tolerances ε_0 > ε_1 > … (Sisson
// et al. 2007; Toni et al. 2009; Beaumont et al. 2009):
//
//   - Generation 0 draws N particles from the prior and simulates them; all are kept
//     (ε_0 = ∞), with equal weights. Their simulations are the prior predictive sample.
//   - Generation t ≥ 1 sets ε_t to the weighted Quantile (default the median) of
//     generation t−1's distances, as in Del Moral et al. (2012) and pyABC (Klinger et
//     al. 2018), but never below MinEpsilon. A proposal picks a particle θ_j of
//     generation t−1 with probability w_j and perturbs it with a multivariate normal
//     kernel K whose covariance is twice the population's weighted covariance
//     (Beaumont et al. 2009), redrawing both until the result lies in the prior's
//     support (positive density within the bounds). It is simulated and accepted if its
//     distance is at most ε_t. An accepted θ gets the importance weight
//     prior(θ) / Σ_j w_j K(θ | θ_j), and the weights are normalised.
//   - The effective sample size of a generation is 1/Σ w².
//
// The distance is sqrt(Σ_i Weight_i ((sim_i − obs_i)/Scale_i)²): with Scale the
// targets' standard errors, ε is in units of standard errors.
//
// # Stopping
//
// The run stops after the generation that
//
//   - is generation MaxGenerations−1 (MaxGenerations counts generation 0);
//   - has a tolerance at or below MinEpsilon;
//   - brings the model evaluations to MaxEvaluations.
//
// A generation that cannot finish is abandoned and the run returns the previous one:
// when its simulations would exceed MaxEvaluations (Result.Stopped = "max
// evaluations"; Result.Evaluations counts the abandoned evaluations too), or when it
// has simulated N/MinAcceptance proposals without accepting N, so that its acceptance
// rate would be below MinAcceptance ("min acceptance"). If ctx ends, Run returns ctx's
// error; the last complete generation is the last State given to OnGeneration.
//
// # Reproducibility
//
// The result depends on the Problem and the Options, never on Workers or on timing.
// Proposal k of generation t draws all its randomness from a PCG stream seeded by a
// splitmix64 hash of (Seed, t, k), and the model is called with another hash of
// (Seed, t, k) as its seed. Proposals are simulated in batches of BatchSize,
// concurrently, and then considered in increasing k until N are accepted; the rest of
// the last batch is discarded. The weights are computed particle by particle in a fixed
// order. So Workers changes only the speed. Bit-for-bit equality holds for one build on
// one platform; another architecture (one that fuses multiply-adds, say) may round
// differently and so take a different, equally valid, path.
//
// After each generation OnGeneration receives a State (the population, the history and
// the evaluation count) that marshals to JSON exactly; Options.Resume continues from it,
// and the result is bit for bit that of a run that never stopped.
//
// # Example
//
//	p := calib.Problem{
//		Priors:   []calib.Prior{calib.Uniform("uptake", 0, 1), calib.Normal("cost", 100, 30, 0, 500)},
//		Observed: []float64{0.42, 118},
//		Scale:    []float64{0.02, 5}, // the targets' standard errors
//		Model: func(ctx context.Context, theta []float64, seed uint64) ([]float64, error) {
//			return simulate(ctx, theta[0], theta[1], seed) // the targets' simulated values
//		},
//	}
//	res, err := calib.Run(ctx, p, calib.Options{Particles: 500, MaxGenerations: 12, MinEpsilon: 1, Seed: 1})
//	if err != nil { ... }
//	mean, lo, hi := res.Summary(0)
//
// # References
//
//   - Beaumont MA, Cornuet J-M, Marin J-M, Robert CP (2009). Adaptive approximate
//     Bayesian computation. Biometrika 96(4):983–990.
//   - Del Moral P, Doucet A, Jasra A (2012). An adaptive sequential Monte Carlo method
//     for approximate Bayesian computation. Statistics and Computing 22(5):1009–1020.
//   - Klinger E, Rickert D, Hasenauer J (2018). pyABC: distributed, likelihood-free
//     inference. Bioinformatics 34(20):3591–3593.
//   - Sisson SA, Fan Y, Tanaka MM (2007). Sequential Monte Carlo without likelihoods.
//     PNAS 104(6):1760–1765.
//   - Toni T, Welch D, Strelkowa N, Ipsen A, Stumpf MPH (2009). Approximate Bayesian
//     computation scheme for parameter inference and model selection in dynamical
//     systems. Journal of the Royal Society Interface 6(31):187–202.
package calib
