package model_test

import (
	"context"
	"math"
	"testing"

	"ersim/model"
	"ersim/scenarios"
)

type yearSink struct{ years [][]model.ProviderYear }

func (s *yearSink) Add(r *model.Rep) { s.years[r.Variant] = append(s.years[r.Variant], r.Years...) }

// Ceilings cut volume only among providers above them (Kralj & Kantarevic; MODEL.md §9),
// and under tak 1 annual volumes bunch just below it.
func TestCeilingsBunchAndCutOnlyAbove(t *testing.T) {
	f, err := scenarios.Load("testdata/ceilings.toml")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := model.NewPlan(f, nil, 6, 2)
	if err != nil {
		t.Fatal(err)
	}
	pl.ProviderReps = 6
	sink := &yearSink{years: make([][]model.ProviderYear, 2)}
	if err := model.Run(context.Background(), pl, sink, nil); err != nil {
		t.Fatal(err)
	}
	with, without := sink.years[0], sink.years[1]
	if len(with) != len(without) || len(with) == 0 {
		t.Fatalf("%d and %d provider-years", len(with), len(without))
	}
	const tak1 = 2664000.0
	var below, above, bunchWith, bunchWithout float64
	var belowN, aboveN int
	for i := range with {
		a, b := with[i], without[i]
		if a.Provider != b.Provider || a.Year != b.Year {
			t.Fatalf("row %d: provider-years not aligned", i)
		}
		free := b.Revenue / tak1
		change := a.Visits/b.Visits - 1
		switch {
		case free < 0.95:
			below += change
			belowN++
		case free > 1.05:
			above += change
			aboveN++
		}
		if a.Tak1Share > 0.9 && a.Tak1Share <= 1.0 {
			bunchWith++
		}
		if free > 0.9 && free <= 1.0 {
			bunchWithout++
		}
	}
	if belowN < 20 || aboveN < 20 {
		t.Fatalf("too few providers on either side of tak 1: %d below, %d above", belowN, aboveN)
	}
	if m := below / float64(belowN); math.Abs(m) > 0.02 {
		t.Errorf("providers below tak 1 changed volume by %.2f %%, want within ±2 %%", 100*m)
	}
	if m := above / float64(aboveN); m >= -0.02 {
		t.Errorf("providers above tak 1 changed volume by %.2f %%, want a cut", 100*m)
	}
	if bunchWith < 2*bunchWithout || bunchWith < 10 {
		t.Errorf("%g provider-years within 10 %% below tak 1 with the ceiling, %g without: no bunching", bunchWith, bunchWithout)
	}
	t.Logf("below: %d (%.2f %%), above: %d (%.2f %%), bunching %g vs %g", belowN, 100*below/float64(belowN),
		aboveN, 100*above/float64(aboveN), bunchWith, bunchWithout)
}
