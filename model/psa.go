package model

import (
	"fmt"

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
