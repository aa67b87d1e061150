package model_test

import (
	"context"
	"fmt"
	"testing"

	"ersim/model"
	"ersim/results"
	"ersim/scenarios"
)

// single builds a one-provider, one-need-group scenario. The behaviour switches that
// would blur the closed forms of MODEL.md §4.1 are off unless extra turns them on.
func single(alpha, cost, rule, extra string) string {
	return fmt.Sprintf(`
name = "single"
title = "one provider"
horizon_years = 1
replications = 1
baseline = "base"
[population]
residents = 1000
health_unit_value_sek = 100000
[[population.need_groups]]
name = "all"
share = 1
demand_per_year = 2
optimal_visits_per_year = 4
max_visits_per_year = 10
benefit_per_visit = 0.01
cost_weight = 1
[cohorts.one]
form = "LOU"
rule = "r"
regime = "none"
count = 1
fte = 100
list_size = 1000
marginal_cost = %s
altruism = %s
[rules.r]
%s
[regimes.none]
[behaviour.volume]
decision_noise = 0
poisson = false
capacity = false
duty_floor = 0.5
[behaviour.admin]
hours_per_claim = 0
[behaviour.entry]
enabled = false
%s
`, cost, alpha, rule, extra)
}

// visitsPerPerson runs a scenario and returns visits per person-year of the baseline.
func visitsPerPerson(t *testing.T, text string) float64 {
	t.Helper()
	col := runText(t, text, 1, 1)
	return col.Column(0, col.CellIndex("visits", -1, -1))[0] / 1000
}

func runText(t *testing.T, text string, reps, workers int) *results.Collector {
	t.Helper()
	f, err := scenarios.Parse("test.toml", []byte(text))
	if err != nil {
		t.Fatalf("scenario: %v", err)
	}
	return runFile(t, f, reps, workers)
}

func runFile(t *testing.T, f *scenarios.File, reps, workers int) *results.Collector {
	t.Helper()
	pl, err := model.NewPlan(f, nil, reps, workers)
	if err != nil {
		t.Fatal(err)
	}
	col := results.NewCollector(pl, nil)
	if err := model.Run(context.Background(), pl, col, nil); err != nil {
		t.Fatal(err)
	}
	return col
}
