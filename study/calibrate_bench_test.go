package study

import (
	"context"
	"testing"
)

// BenchmarkEvaluation is one model evaluation of the in-sample calibration
// (validation/calibration.toml): every target's scenario simulated at the recorded
// posterior means, with its own replications and pilots for the revenue-share prices,
// on one worker — what an ABC-SMC particle costs (issue 17). A seed per op, as each
// particle has its own.
func BenchmarkEvaluation(b *testing.B) {
	f, err := Load("../validation/calibration.toml")
	if err != nil {
		b.Fatal(err)
	}
	ev, err := newEvaluator(context.Background(), f)
	if err != nil {
		b.Fatal(err)
	}
	// validation/calibration-run/README.md: the posterior means.
	at := map[string]float64{
		"behaviour.quality.achievement_response":             0.56,
		"behaviour.exceptions.clinical_rate":                 0.0546,
		"behaviour.admin.hours_per_indicator_patient":        0.000201,
		"behaviour.admin.region_hours_per_contract_year":     345,
		"behaviour.volume.wait_elasticity":                   1.01,
		"behaviour.admin.other_clinician_hours_per_fte_year": 376,
	}
	theta := make([]float64, len(ev.keys))
	for i, k := range ev.keys {
		v, ok := at[k]
		if !ok {
			b.Fatalf("no posterior mean for %s", k)
		}
		theta[i] = v
	}
	seed := uint64(1)
	for b.Loop() {
		if _, err := ev.eval(context.Background(), theta, seed); err != nil {
			b.Fatal(err)
		}
		seed++
	}
}
