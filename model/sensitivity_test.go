package model_test

import (
	"context"
	"os"
	"testing"

	"ersim/model"
	"ersim/scenarios"
)

// repSink keeps every replication's values, by variant.
type repSink struct{ values [][][]float64 }

func (s *repSink) Add(r *model.Rep) {
	for len(s.values) <= r.Variant {
		s.values = append(s.values, nil)
	}
	s.values[r.Variant] = append(s.values[r.Variant], r.Values)
}

// smallWith returns testdata/small.toml with extra TOML appended.
func smallWith(t *testing.T, extra string) *scenarios.File {
	t.Helper()
	text, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := scenarios.Parse("small.toml", append(text, []byte("\n"+extra)...))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func calibratedPlan(t *testing.T, f *scenarios.File, reps int) *model.Plan {
	t.Helper()
	pl, err := model.NewPlan(f, nil, reps, 2)
	if err != nil {
		t.Fatal(err)
	}
	pl.ProviderReps = 0
	if err := model.Calibrate(context.Background(), pl); err != nil {
		t.Fatal(err)
	}
	return pl
}

func runPlan(t *testing.T, pl *model.Plan) *repSink {
	t.Helper()
	s := &repSink{}
	if err := model.RunReps(context.Background(), pl, 0, pl.Replications, s, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// A parameter whose range has zero width, at its value in the file, gives exactly the
// base run, for every variant (the detailed variant sets the fee itself).
func TestAtZeroWidthIsBase(t *testing.T) {
	f := smallWith(t, `
[uncertainty.params."rules.tariff.visit_fee.fee"]
dist = "fixed"
value = 839
[uncertainty.params."behaviour.admin.hours_per_claim"]
dist = "fixed"
value = 0.05
`)
	u := f.Variants[0].Scenario.Uncertainty
	pl := calibratedPlan(t, f, 2)
	base := runPlan(t, pl)
	for _, k := range u.Keys() {
		lo, hi := u.Range(k)
		if lo != hi {
			t.Fatalf("%s: range [%g, %g], want zero width", k, lo, hi)
		}
		at, err := pl.At(f, []string{k}, []float64{lo})
		if err != nil {
			t.Fatal(err)
		}
		got := runPlan(t, at)
		for v := range base.values {
			for r := range base.values[v] {
				for c, want := range base.values[v][r] {
					if x := got.values[v][r][c]; x != want && !(x != x && want != want) {
						t.Fatalf("%s: variant %d rep %d cell %d: %v, base %v", k, v, r, c, x, want)
					}
				}
			}
		}
	}
}

// More administrative hours per claim: more administrative time and a larger
// administrative share; a higher visit fee under the tariff: more visits.
func TestAtMonotone(t *testing.T) {
	f := smallWith(t, "")
	pl := calibratedPlan(t, f, 2)
	mean := func(pl *model.Plan, metric string) float64 {
		s := runPlan(t, pl)
		mi := model.MetricIndex(metric)
		cell := -1
		for i, c := range pl.Cells {
			if c.Metric == mi && c.Form < 0 && c.Group < 0 {
				cell = i
			}
		}
		sum := 0.0
		for _, v := range s.values[0] {
			sum += v[cell]
		}
		return sum / float64(len(s.values[0]))
	}
	at := func(key string, x float64) *model.Plan {
		p, err := pl.At(f, []string{key}, []float64{x})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		key, metric string
		lo, hi      float64
	}{
		{"behaviour.admin.hours_per_claim", "provider_admin_hours", 0.02, 0.2},
		{"behaviour.admin.hours_per_claim", "admin_share", 0.02, 0.2},
		{"rules.lov.visit_fee.fee", "visits_per_1000", 0, 600},
	} {
		lo, hi := mean(at(c.key, c.lo), c.metric), mean(at(c.key, c.hi), c.metric)
		if !(hi > lo) {
			t.Errorf("%s %g → %g: %s %g → %g, want an increase", c.key, c.lo, c.hi, c.metric, lo, hi)
		}
	}
	if _, err := pl.At(f, []string{"behaviour.admin.hours_per_claim"}, nil); err == nil {
		t.Error("At with mismatched keys and values: no error")
	}
}
