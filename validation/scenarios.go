package validation

import (
	"context"
	"embed"
	"fmt"
	"sort"
	"strings"

	"ersim/model"
	"ersim/results"
	"ersim/scenarios"
)

//go:embed scenarios/*.toml
var files embed.FS

// ScenarioNames lists the validation scenarios, in name order.
func ScenarioNames() []string {
	entries, err := files.ReadDir("scenarios")
	if err != nil {
		panic("validation: embedded scenarios unreadable: " + err.Error())
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	sort.Strings(out)
	return out
}

// ScenarioText returns the TOML of a validation scenario, to print or copy and vary.
func ScenarioText(name string) ([]byte, error) {
	b, err := files.ReadFile("scenarios/" + name + ".toml")
	if err != nil {
		return nil, fmt.Errorf("validation: no scenario %q; have %s", name, strings.Join(ScenarioNames(), ", "))
	}
	return b, nil
}

// LoadScenario parses and validates a validation scenario.
func LoadScenario(name string) (*scenarios.File, error) {
	text, err := ScenarioText(name)
	if err != nil {
		return nil, err
	}
	return scenarios.Parse("validation:"+name, text)
}

// sim is one engine run of some of a scenario's variants.
type sim struct {
	plan *model.Plan
	col  *results.Collector
	file *scenarios.File
}

// multi hands each replication to several sinks.
type multi []model.Sink

func (m multi) Add(r *model.Rep) {
	for _, s := range m {
		s.Add(r)
	}
}

// simulate runs the baseline and the named variants (all when names is empty) of f
// for reps replications; extra sinks see every replication too. providerReps is how
// many replications record provider-years.
func simulate(ctx context.Context, f *scenarios.File, names []string, reps, workers, providerReps int, extra ...model.Sink) (*sim, error) {
	pl, err := model.NewPlan(f, names, reps, workers)
	if err != nil {
		return nil, err
	}
	pl.ProviderReps = providerReps
	col := results.NewCollector(pl, nil)
	sink := append(multi{col}, extra...)
	if err := model.Run(ctx, pl, sink, nil); err != nil {
		return nil, err
	}
	return &sim{plan: pl, col: col, file: f}, nil
}

// variant returns the index of a variant in the run.
func (s *sim) variant(name string) int {
	for i, v := range s.plan.Variants {
		if v.Name == name {
			return i
		}
	}
	panic("validation: variant " + name + " not simulated")
}

// col returns the per-replication values of a metric (all forms; group −1 for all) of
// a variant.
func (s *sim) column(variant, metric string, group int) []float64 {
	ci := s.col.CellIndex(metric, -1, group)
	if ci < 0 {
		panic(fmt.Sprintf("validation: no cell %s group %d", metric, group))
	}
	return s.col.Column(s.variant(variant), ci)
}

// resolved returns a variant's resolved scenario.
func resolved(f *scenarios.File, name string) *scenarios.Scenario {
	r := f.Variant(name)
	if r == nil {
		panic("validation: scenario " + f.Name + " has no variant " + name)
	}
	return r.Scenario
}
