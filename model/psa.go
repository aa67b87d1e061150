package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"ersim/scenarios"
)

// Probabilistic sensitivity analysis (MODEL.md §8): parameter uncertainty is drawn once
// per replication, from the scenario's [uncertainty] section, apart from the
// per-provider heterogeneity and the per-period noise, which keep their own streams. A
// replication's draws are the same for every variant, so variants stay on common random
// numbers; prices from revenue shares and budget-neutral scales are calibrated once, at
// the base values, and carried over to every draw.

// psa is what a run needs to redo a variant at a replication's drawn values.
type psa struct {
	u     *scenarios.Uncertainty
	keys  []string
	seed  uint64
	file  *scenarios.File
	names []string
	descs []string
	post  *posterior // nil unless UsePosterior
}

// posterior is a calibration's weighted particles: the joint draw of the calibrated
// parameters, which replaces their [uncertainty] draws.
type posterior struct {
	idx       []int       // index in psa.keys of each calibrated key
	particles [][]float64 // [particle][calibrated key]
	cum       []float64   // cumulative normalised weights
}

// EnablePSA makes the plan draw the scenario's uncertain parameters once per
// replication. It fails if the scenario declares no [uncertainty].
func (pl *Plan) EnablePSA(f *scenarios.File) error {
	base := f.Variants[0].Scenario
	if base.Uncertainty == nil || len(base.Uncertainty.Keys()) == 0 {
		return &scenarios.InputError{File: f.Name, Path: "uncertainty",
			Msg: "--psa needs an [uncertainty] section naming the uncertain parameters", Allowed: "see docs/scenario-reference.md, [uncertainty]"}
	}
	p := &psa{u: base.Uncertainty, keys: base.Uncertainty.Keys(), seed: base.Seed, file: f}
	for _, v := range pl.Variants {
		r := f.Variant(v.Name)
		p.names = append(p.names, r.Name)
		p.descs = append(p.descs, r.Description)
	}
	pl.psa = p
	return nil
}

// PSAKeys returns the uncertain parameters' key paths, or nil without --psa.
func (pl *Plan) PSAKeys() []string {
	if pl.psa == nil {
		return nil
	}
	return pl.psa.keys
}

// variantAt compiles variant vi at replication rep's drawn parameter values (except
// those the variant sets itself, which are what the variant is) and carries the
// calibrated prices over from the base compilation.
func (pl *Plan) variantAt(vi, rep int) (*Variant, []float64, error) {
	p := pl.psa
	draws := p.u.Sample(p.seed, rep)
	if p.post != nil {
		p.post.draw(draws, p.seed, rep)
	}
	sc, err := p.file.ApplyDraws(p.names[vi], p.keys, draws)
	if err != nil {
		return nil, nil, fmt.Errorf("model: replication %d: %w", rep+1, err)
	}
	v, err := Compile(&scenarios.Resolved{Name: p.names[vi], Description: p.descs[vi],
		BudgetNeutral: pl.Variants[vi].BudgetNeutral, Scenario: sc})
	if err != nil {
		return nil, nil, err
	}
	carryPrices(v, pl.Variants[vi])
	return v, draws, nil
}

// UsePosterior makes a PSA plan draw the parameters keys jointly from a calibration's
// posterior (particles with weights, as in posterior.csv) instead of from their
// [uncertainty] distributions: each replication resamples one particle by weight, from
// a stream of its own keyed by seed and replication, the same for every variant. Every
// key must be one of the plan's PSA keys.
func (pl *Plan) UsePosterior(keys []string, particles [][]float64, weights []float64) error {
	if pl.psa == nil {
		return fmt.Errorf("model: UsePosterior needs a PSA plan (EnablePSA)")
	}
	if len(particles) == 0 || len(particles) != len(weights) {
		return fmt.Errorf("model: a posterior of %d particles and %d weights", len(particles), len(weights))
	}
	post := &posterior{particles: particles}
	for _, k := range keys {
		i := slices.Index(pl.psa.keys, k)
		if i < 0 {
			return fmt.Errorf("model: posterior key %s is not an [uncertainty] parameter of the scenario", k)
		}
		post.idx = append(post.idx, i)
	}
	sum := 0.0
	for k, w := range weights {
		if !(w >= 0) || math.IsInf(w, 0) || len(particles[k]) != len(keys) {
			return fmt.Errorf("model: posterior particle %d: weight %g, %d values for %d keys", k+1, w, len(particles[k]), len(keys))
		}
		sum += w
		post.cum = append(post.cum, sum)
	}
	if !(sum > 0) {
		return fmt.Errorf("model: the posterior's weights sum to %g", sum)
	}
	for k := range post.cum {
		post.cum[k] /= sum
	}
	pl.psa.post = post
	return nil
}

// purposePosterior keys the stream that resamples a replication's posterior particle.
const purposePosterior = 0x706f7374 // "post"

// draw overwrites the calibrated keys' draws with a particle resampled by weight.
func (p *posterior) draw(draws []float64, seed uint64, rep int) {
	r := rand.New(rand.NewPCG(splitmix(seed^purposePosterior), splitmix(uint64(rep))))
	u := r.Float64()
	k, _ := slices.BinarySearch(p.cum, u)
	k = min(k, len(p.particles)-1)
	for j, i := range p.idx {
		draws[i] = p.particles[k][j]
	}
}
