package scenarios

import (
	"math"
	"reflect"
	"slices"
	"testing"
)

// Apply sets plain values, Dirichlet shares and a parameter of a per-provider
// distribution; every draw leaves a valid scenario; the scenario applied to is a clone.
func TestApply(t *testing.T) {
	f := parseUncertain(t, uncertainText)
	u := f.Base.Uncertainty
	keys := u.Keys()
	for _, v := range f.Variants {
		before := Encode(v.Scenario)
		for rep := range 200 {
			sc := Clone(v.Scenario)
			draws := u.Sample(1, rep)
			if err := Apply(sc, keys, draws); err != nil {
				t.Fatal(err)
			}
			at := func(k string) float64 { return draws[slices.Index(keys, k)] }
			if got := sc.Population.NeedGroups[1].Share.Value; got != at("population.need_groups[1].share") {
				t.Fatalf("need group share %g, drew %g", got, at("population.need_groups[1].share"))
			}
			alt := sc.Cohorts["lov_gp"].Altruism
			if alt.A != at("cohorts.lov_gp.altruism.a") || alt.B != 3 || alt.Value != alt.A/(alt.A+3) || alt.Source != "assumption" || alt.Dist != "beta" {
				t.Fatalf("altruism after Apply: %+v", alt)
			}
			if got := sc.Rules["lov"].Indicators[0].Weight.Value; got != at("rules.lov.indicators[0].weight") {
				t.Fatalf("indicator weight %g", got)
			}
			if got := sc.Behaviour.Quality.Substitution.Value; got != at("behaviour.quality.substitution") {
				t.Fatalf("substitution %g", got)
			}
			sc.Uncertainty, sc.Variants = nil, nil
			if ps := validate(sc); len(ps) > 0 {
				t.Fatalf("variant %s, replication %d: the drawn scenario is invalid: %+v", v.Name, rep, ps)
			}
		}
		if Encode(v.Scenario) != before {
			t.Fatalf("Apply on a clone changed the variant's scenario")
		}
	}
	sc := Clone(f.Base)
	for _, bad := range []string{"cohorts.lov_gp.altruism", "cohorts.lov_gp.count", "behaviour.nothing"} {
		if err := Apply(sc, []string{bad}, []float64{1}); err == nil {
			t.Errorf("Apply(%s) succeeded", bad)
		}
	}
	if err := Apply(sc, keys, []float64{1}); err == nil {
		t.Errorf("Apply with too few values succeeded")
	}
}

// Apply recomputes a distribution's mean and keeps the other moment of a gamma.
func TestApplyDistributionParameters(t *testing.T) {
	sc := Clone(parseUncertain(t, validText).Base)
	co := sc.Cohorts["lov_gp"]
	co.ListSize = Param{Dist: "gamma", Shape: 4, Scale: 2000, Value: 8000, set: true}
	co.MarginalCost = Param{Dist: "triangular", Min: 100, Mode: 150, Max: 260, Value: 170, set: true, Source: "x"}
	if err := Apply(sc, []string{"cohorts.lov_gp.list_size.mean", "cohorts.lov_gp.marginal_cost.mode"}, []float64{10000, 200}); err != nil {
		t.Fatal(err)
	}
	ls := co.ListSize
	if math.Abs(ls.Value-10000) > 1e-9 || math.Abs(math.Sqrt(ls.Shape)*ls.Scale-4000) > 1e-9 {
		t.Errorf("gamma after setting its mean: %+v", ls)
	}
	if mc := co.MarginalCost; mc.Value != (100+200+260)/3.0 || mc.Source != "x" {
		t.Errorf("triangular after setting its mode: %+v", mc)
	}
}

// A zero-width uncertainty (a fixed value, a normal with sd 0) at the values of the file
// reproduces the scenario exactly.
func TestZeroWidthReproducesBase(t *testing.T) {
	text := validText + `
[uncertainty.params."behaviour.quality.substitution"]
dist = "fixed"
value = 0.5

[uncertainty.params."cohorts.lov_gp.altruism.a"]
value = 2

[uncertainty.params."behaviour.admin.hourly_cost_sek"]
dist = "normal"
mean = 600
sd = 0
min = 0

[uncertainty.params."rules.lov.visit_fee.fee"]
dist = "lognormal"
mean = 110
sd = 0
`
	f := parseUncertain(t, text)
	u := f.Base.Uncertainty
	if lo, hi := u.Range("rules.lov.visit_fee.fee"); lo != 110 || hi != 110 {
		t.Errorf("zero-width range %g, %g", lo, hi)
	}
	for _, v := range f.Variants {
		before := Encode(v.Scenario)
		for rep := range 5 {
			sc, err := f.ApplyDraws(v.Name, u.Keys(), u.Sample(v.Scenario.Seed, rep))
			if err != nil {
				t.Fatal(err)
			}
			if after := Encode(sc); after != before {
				t.Fatalf("variant %s: zero-width draws changed the scenario:\n%s\n---\n%s", v.Name, before, after)
			}
			if !reflect.DeepEqual(sc, v.Scenario) {
				t.Fatalf("variant %s: zero-width draws changed the decoded scenario", v.Name)
			}
		}
	}
}
