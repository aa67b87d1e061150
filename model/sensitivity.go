package model

import (
	"fmt"

	"ersim/scenarios"
)

// One-way sensitivity analysis (ersim sensitivity): each uncertain parameter at its low
// and at its high value, the others at the file's values. The base plan is compiled and
// calibrated once; each point is a recompilation of the variants with the values
// applied, carrying the base plan's calibrated prices over exactly as a --psa
// replication does, so a point costs one run and nothing more.

// At returns a copy of pl whose variants are recompiled from f with keys set to values
// (except the keys a variant sets itself, see scenarios.File.ApplyDraws), with the
// prices and budget-neutral scales calibrated for pl. Call it after Calibrate(pl); the
// copy must not be calibrated again. Everything else (replications, workers, cells) is
// pl's.
func (pl *Plan) At(f *scenarios.File, keys []string, values []float64) (*Plan, error) {
	if len(keys) != len(values) {
		return nil, fmt.Errorf("model: At: %d keys but %d values", len(keys), len(values))
	}
	np := *pl
	np.psa = nil
	np.Variants = make([]*Variant, len(pl.Variants))
	for vi, base := range pl.Variants {
		r := f.Variant(base.Name)
		if r == nil {
			return nil, fmt.Errorf("model: At: the file has no variant %q", base.Name)
		}
		sc, err := f.ApplyDraws(r.Name, keys, values)
		if err != nil {
			return nil, fmt.Errorf("model: At: %w", err)
		}
		v, err := Compile(&scenarios.Resolved{Name: r.Name, Description: r.Description,
			BudgetNeutral: base.BudgetNeutral, Scenario: sc})
		if err != nil {
			return nil, err
		}
		carryPrices(v, base)
		np.Variants[vi] = v
	}
	return &np, nil
}

// carryPrices copies the calibrated prices and scales of base's rules to v's rules of
// the same name and place: a variant recompiled at other parameter values (a --psa
// replication, a sensitivity point) keeps the prices calibrated at base.
func carryPrices(v, base *Variant) {
	for r := range v.rules {
		if r >= len(base.rules) || base.rules[r].name != v.rules[r].name {
			continue
		}
		b := &base.rules[r]
		ru := &v.rules[r]
		ru.scale = b.scale
		if ru.mix != nil {
			ru.fee, ru.casePrice, ru.budget = b.fee, b.casePrice, b.budget
		}
	}
	v.priceScale = base.priceScale
}
