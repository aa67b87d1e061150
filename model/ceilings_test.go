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

// providers.csv's per-provider detail: achievement and exception rate where a provider
// reports indicators (NaN where it does not), an upcoded share in [0, 1], and
// administrative hours by kind of work that add up with the base hours to the total.
func TestProviderYearDetail(t *testing.T) {
	f, err := scenarios.Load("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := model.NewPlan(f, nil, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	pl.ProviderReps = 3
	sink := &yearSink{years: make([][]model.ProviderYear, len(pl.Variants))}
	if err := model.Run(context.Background(), pl, sink, nil); err != nil {
		t.Fatal(err)
	}
	base, P := f.Base.Behaviour.Admin.BaseHours.Value, float64(f.Base.PeriodsPerYear)
	var lov, lol, audited, upcoded int
	for _, y := range sink.years[0] {
		switch y.Form {
		case "LOV": // the diabetes indicator, risk-adjusted capitation
			lov++
			if !(y.Achievement >= 0 && y.Achievement <= 1 && y.ExceptionRate >= 0 && y.ExceptionRate <= 1) {
				t.Errorf("LOV provider %d year %d: achievement %g, exception rate %g", y.Provider, y.Year, y.Achievement, y.ExceptionRate)
			}
			if y.Upcoded > 0 {
				upcoded++
			}
		case "LOL": // a tariff, no indicators
			lol++
			if !math.IsNaN(y.Achievement) || !math.IsNaN(y.ExceptionRate) || y.ReportHours != 0 {
				t.Errorf("LOL provider %d: achievement %g, exception rate %g, report hours %g without indicators", y.Provider, y.Achievement, y.ExceptionRate, y.ReportHours)
			}
		}
		if !(y.Upcoded >= 0 && y.Upcoded <= 1) {
			t.Errorf("provider %d: upcoded share %g", y.Provider, y.Upcoded)
		}
		// The rest is the base hours of the periods the provider was under contract (an
		// entrant's first year is partial).
		rest := y.AdminHours - y.ClaimHours - y.ReportHours - y.AuditHours
		if k := rest / base * P; math.Abs(k-math.Round(k)) > 1e-6 || k < 0.5 || k > P+1e-6 {
			t.Errorf("provider %d year %d: %g admin hours = %g claims + %g reports + %g audits + %g, want the rest whole periods of %g base hours a year",
				y.Provider, y.Year, y.AdminHours, y.ClaimHours, y.ReportHours, y.AuditHours, rest, base)
		}
		if y.AuditHours > 0 {
			audited++
		}
	}
	if lov == 0 || lol == 0 || audited == 0 || upcoded == 0 {
		t.Errorf("%d LOV and %d LOL provider-years, %d audited, %d upcoding: the test needs each", lov, lol, audited, upcoded)
	}
}
