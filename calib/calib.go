package calib

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
)

// Prior is the prior distribution of one parameter.
type Prior struct {
	Name string
	// Lo and Hi bound the support; ±Inf are allowed. A proposal outside [Lo, Hi] is
	// rejected without being simulated.
	Lo, Hi float64
	// Sample draws from the prior. It must use only r, so that runs are reproducible.
	Sample func(r *rand.Rand) float64
	// Density is the prior density at x, unnormalised if convenient (only ratios
	// matter), and 0 outside the support.
	Density func(x float64) float64
}

// Uniform is the uniform prior on [lo, hi].
func Uniform(name string, lo, hi float64) Prior {
	return Prior{
		Name: name, Lo: lo, Hi: hi,
		Sample: func(r *rand.Rand) float64 { return lo + (hi-lo)*r.Float64() },
		Density: func(x float64) float64 {
			if x < lo || x > hi {
				return 0
			}
			return 1 / (hi - lo)
		},
	}
}

// Normal is the normal prior N(mean, sd²) truncated to [lo, hi], sampled by rejection;
// keep [lo, hi] wide enough to hold a fair share of the mass.
func Normal(name string, mean, sd, lo, hi float64) Prior {
	return Prior{
		Name: name, Lo: lo, Hi: hi,
		Sample: func(r *rand.Rand) float64 {
			for {
				if x := mean + sd*r.NormFloat64(); x >= lo && x <= hi {
					return x
				}
			}
		},
		Density: func(x float64) float64 {
			if x < lo || x > hi {
				return 0
			}
			z := (x - mean) / sd
			return math.Exp(-z * z / 2)
		},
	}
}

// Model simulates the targets' values at the parameter vector theta (one value per
// Problem.Priors entry, in that order). seed identifies the evaluation: the same
// (theta, seed) must give the same values, and the model must draw its randomness from
// seed alone. Run calls it concurrently from several goroutines.
type Model func(ctx context.Context, theta []float64, seed uint64) ([]float64, error)

// Problem is what to calibrate: parameters with their priors, targets with their
// observed values, and the model linking them.
//
// The distance between simulated values sim and the observed values obs is
//
//	sqrt(Σ_i Weight_i · ((sim_i − obs_i) / Scale_i)²)
//
// A NaN or infinite distance (a target the model could not produce) is never accepted
// after generation 0.
type Problem struct {
	Priors   []Prior
	Observed []float64
	// Lower and Upper, when not nil, make target i fit exactly anywhere in
	// [Lower[i], Upper[i]] (a published range or sign; the ends may be infinite): its
	// miss is the distance to the nearer end. A target with Lower[i] = Upper[i] =
	// Observed[i] is a point target as without them.
	Lower, Upper []float64
	// Scale is the spread of each target, e.g. its standard error; all must be > 0.
	Scale []float64
	// Weight is the weight of each target, ≥ 0; nil means all 1.
	Weight []float64
	Model  Model
}

// Options tune a run. The result depends on every field except Workers, Progress and
// OnGeneration.
type Options struct {
	// Particles is the population size N; default 200, at least 2.
	Particles int
	// MaxGenerations bounds the number of generations, counting generation 0 (the
	// prior sample); default 10.
	MaxGenerations int
	// MaxEvaluations bounds the model evaluations of the whole run; 0 means no bound.
	// It must be at least Particles. A generation that cannot finish within it is
	// abandoned, and the result is the last complete generation.
	MaxEvaluations int
	// MinEpsilon is the target tolerance: no generation's tolerance goes below it, and
	// the run stops after a generation whose tolerance is at or below it. 0: off.
	MinEpsilon float64
	// Quantile sets the adaptive tolerance: ε_t is this weighted quantile of generation
	// t−1's distances (or MinEpsilon, if larger). Default 0.5; in (0, 1].
	Quantile float64
	// MinAcceptance stops the run when a generation's acceptance rate would fall below
	// it: a generation that has simulated Particles/MinAcceptance proposals without
	// accepting Particles of them is abandoned. 0 means the default 0.01; a negative
	// value switches the rule off.
	MinAcceptance float64
	// Seed determines every random draw and every model seed.
	Seed uint64
	// Workers is the number of concurrent model evaluations; 0 means runtime.NumCPU().
	// The result does not depend on it.
	Workers int
	// BatchSize is the number of proposals simulated concurrently before their
	// acceptance is decided; default Particles. Proposals of a batch beyond the one
	// that completes a generation are simulated and discarded, so larger batches waste
	// more evaluations but synchronise less. It is part of what the result depends on.
	BatchSize int
	// Progress, if set, is called after each complete generation (not for the one
	// restored by Resume), from Run's goroutine.
	Progress func(Generation)
	// Resume continues a run from a State handed to OnGeneration, after that state's
	// generation. With the same Problem and Options the result is bit for bit that of
	// an uninterrupted run (Generation.Seconds apart).
	Resume *State
	// OnGeneration, if set, is called after each complete generation (not for the one
	// restored by Resume) with a fresh State the callee may keep and save as JSON.
	// An error from it stops the run and is returned.
	OnGeneration func(*State) error
}

// Generation describes one complete generation.
type Generation struct {
	Index int
	// Epsilon is the tolerance; +Inf for generation 0.
	Epsilon float64
	// ESS is the effective sample size 1/Σw² of the normalised weights.
	ESS float64
	// Acceptance is Particles divided by the number of proposals simulated up to and
	// including the last one accepted (proposals rejected for lying outside the
	// prior's support are not counted).
	Acceptance float64
	// Evaluations is the number of model evaluations of this generation, including
	// those of the last batch that were simulated but not needed.
	Evaluations int
	// Seconds is the wall-clock time of the generation; it is the only field that
	// varies from run to run.
	Seconds float64
}

// Reasons a run stopped, in Result.Stopped.
const (
	StopMaxGenerations = "max generations"
	StopMinEpsilon     = "min epsilon"
	StopMinAcceptance  = "min acceptance"
	StopMaxEvaluations = "max evaluations"
)

// Result is the final population of a run and its history.
type Result struct {
	// Names are the parameters' names, in Problem.Priors order.
	Names []string
	// Particles is the final population: Particles[k][i] is parameter i of particle k.
	Particles [][]float64
	// Weights are the particles' normalised importance weights.
	Weights []float64
	// Distances are the particles' distances to the observed values.
	Distances []float64
	// Sims are the particles' simulated target values (the posterior predictive
	// sample, for a model with noise).
	Sims [][]float64
	// Generations describe the complete generations, generation 0 first.
	Generations []Generation
	// Evaluations is the number of model evaluations in all, including those of an
	// abandoned last generation.
	Evaluations int
	// Stopped is why the run stopped: one of the Stop constants.
	Stopped string
	// PriorSims are generation 0's simulated target values (the prior predictive
	// sample), with parameters PriorParticles.
	PriorSims      [][]float64
	PriorParticles [][]float64
}

// ErrProblem is wrapped by the errors Run returns for an invalid Problem or Options.
var ErrProblem = errors.New("calib: invalid problem")

func problemErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrProblem}, args...)...)
}

func (p *Problem) validate() error {
	if len(p.Priors) == 0 {
		return problemErr("no priors")
	}
	for i, pr := range p.Priors {
		if pr.Sample == nil || pr.Density == nil {
			return problemErr("prior %d (%q) has no Sample or no Density", i, pr.Name)
		}
		if math.IsNaN(pr.Lo) || math.IsNaN(pr.Hi) || !(pr.Lo < pr.Hi) {
			return problemErr("prior %d (%q): support [%g, %g] is empty", i, pr.Name, pr.Lo, pr.Hi)
		}
	}
	if len(p.Observed) == 0 {
		return problemErr("no observed values")
	}
	if len(p.Scale) != len(p.Observed) {
		return problemErr("%d scales for %d observed values", len(p.Scale), len(p.Observed))
	}
	if p.Weight != nil && len(p.Weight) != len(p.Observed) {
		return problemErr("%d weights for %d observed values", len(p.Weight), len(p.Observed))
	}
	if (p.Lower == nil) != (p.Upper == nil) || (p.Lower != nil && (len(p.Lower) != len(p.Observed) || len(p.Upper) != len(p.Observed))) {
		return problemErr("Lower and Upper must both be nil or both have one value per observed value")
	}
	for i, x := range p.Observed {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return problemErr("observed value %d is %g", i, x)
		}
		if p.Lower != nil && !(p.Lower[i] <= x && x <= p.Upper[i]) {
			return problemErr("observed value %d (%g) is outside [%g, %g]", i, x, p.Lower[i], p.Upper[i])
		}
		if s := p.Scale[i]; !(s > 0) || math.IsInf(s, 0) {
			return problemErr("scale %d is %g; it must be positive and finite", i, s)
		}
		if p.Weight != nil {
			if w := p.Weight[i]; !(w >= 0) || math.IsInf(w, 0) {
				return problemErr("weight %d is %g; it must be ≥ 0 and finite", i, w)
			}
		}
	}
	if p.Model == nil {
		return problemErr("no model")
	}
	return nil
}

// withDefaults validates o and fills in its defaults.
func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Particles == 0:
		o.Particles = 200
	case o.Particles < 2:
		return o, problemErr("%d particles; at least 2", o.Particles)
	}
	switch {
	case o.MaxGenerations == 0:
		o.MaxGenerations = 10
	case o.MaxGenerations < 0:
		return o, problemErr("MaxGenerations %d < 0", o.MaxGenerations)
	}
	if o.MaxEvaluations < 0 || (o.MaxEvaluations > 0 && o.MaxEvaluations < o.Particles) {
		return o, problemErr("MaxEvaluations %d: 0 or at least Particles (%d)", o.MaxEvaluations, o.Particles)
	}
	if !(o.MinEpsilon >= 0) {
		return o, problemErr("MinEpsilon %g < 0", o.MinEpsilon)
	}
	if o.Quantile == 0 {
		o.Quantile = 0.5
	}
	if !(o.Quantile > 0 && o.Quantile <= 1) {
		return o, problemErr("Quantile %g not in (0, 1]", o.Quantile)
	}
	if o.MinAcceptance == 0 {
		o.MinAcceptance = 0.01
	}
	if math.IsNaN(o.MinAcceptance) || o.MinAcceptance > 1 {
		return o, problemErr("MinAcceptance %g > 1", o.MinAcceptance)
	}
	switch {
	case o.Workers == 0:
		o.Workers = runtime.NumCPU()
	case o.Workers < 0:
		return o, problemErr("Workers %d < 0", o.Workers)
	}
	switch {
	case o.BatchSize == 0:
		o.BatchSize = o.Particles
	case o.BatchSize < 0:
		return o, problemErr("BatchSize %d < 0", o.BatchSize)
	}
	return o, nil
}
