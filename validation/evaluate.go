package validation

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"ersim/scenarios"
)

// EstimateAt simulates the validation scenarios of the targets ids with the parameters
// keys set to values in every variant that does not set them itself, the scenario's
// seed replaced by seed, and reps replications on one worker (and at most reps pilot
// replications for the prices), and returns each target's
// estimate, computed as ersim replicate computes it. A calibration to the published
// studies calls it for each parameter set; each scenario is run once however many of
// its targets are asked for.
func EstimateAt(ctx context.Context, ids, keys []string, values []float64, reps int, seed uint64) ([]float64, error) {
	out := make([]float64, len(ids))
	done := make([]bool, len(ids))
	for _, s := range studies {
		var mine []int
		for i, id := range ids {
			if slices.ContainsFunc(s.targets, func(t Target) bool { return t.ID == id }) {
				mine = append(mine, i)
			}
		}
		if len(mine) == 0 {
			continue
		}
		f, err := loadCached(s.scenario)
		if err != nil {
			return nil, err
		}
		for vi, r := range f.Variants {
			for j, k := range keys {
				if vi > 0 && scenarios.Overrides(f.Base.Variants[r.Name], k) {
					continue
				}
				if err := scenarios.Apply(r.Scenario, []string{k}, []float64{values[j]}); err != nil {
					return nil, fmt.Errorf("validation: %s: %w", s.scenario, err)
				}
			}
			r.Scenario.Seed = seed
			// The pilot that fits mix prices runs on the first replications; more
			// pilot replications than the estimate's own would cost more than the
			// estimate (Stockholm 2008: 8 pilot replications a fitting step).
			r.Scenario.CalibrationReplications = min(r.Scenario.CalibrationReplications, reps)
			// Not rehashed: nothing of this run is written, and re-encoding every
			// variant cost a calibration 7 % of its time (issue 17).
		}
		est, _, err := s.run(ctx, f, reps, 1)
		if err != nil {
			return nil, fmt.Errorf("validation: %s: %w", s.scenario, err)
		}
		for _, i := range mine {
			out[i], done[i] = est[ids[i]].Value, true
		}
	}
	for i, id := range ids {
		if !done[i] {
			return nil, fmt.Errorf("validation: no target %q", id)
		}
	}
	return out, nil
}

// parsed holds the validation scenarios EstimateAt has parsed: a calibration evaluates
// them thousands of times, and parsing QOF's alone takes longer than simulating it.
var parsed sync.Map // name → *scenarios.File

// loadCached returns a copy of the validation scenario, parsed once: its base and
// variants are deep copies the caller may change.
func loadCached(name string) (*scenarios.File, error) {
	v, ok := parsed.Load(name)
	if !ok {
		f, err := LoadScenario(name)
		if err != nil {
			return nil, err
		}
		v, _ = parsed.LoadOrStore(name, f)
	}
	f := *v.(*scenarios.File)
	f.Base = scenarios.Clone(f.Base)
	vs := make([]*scenarios.Resolved, len(f.Variants))
	for i, r := range f.Variants {
		c := *r
		c.Scenario = scenarios.Clone(r.Scenario)
		vs[i] = &c
	}
	f.Variants = vs
	return &f, nil
}
