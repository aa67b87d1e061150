package model_test

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// A growing population grows every list with it: at the duty floor under capitation
// (1 visit per person-year here, no noise) visits follow the residents period by period,
// and visits per 1 000 residents stay at 1 000 whatever the growth.
func TestPopulationGrowth(t *testing.T) {
	for _, g := range []float64{0, 0.05, -0.03} {
		text := single("0", "100", "capitation = { per_person_year = 3000 }", "")
		text = strings.Replace(text, "horizon_years = 1", "horizon_years = 3", 1)
		text = strings.Replace(text, "residents = 1000", "residents = 1000\ngrowth_per_year = "+formatG(g), 1)
		col := runText(t, text, 1, 1)
		visits := col.Column(0, col.CellIndex("visits", -1, -1))[0]
		// Mean over 36 months of 1000·(1+g)^(t/12) visits per person-year.
		want := 0.0
		for m := range 36 {
			want += 1000 * math.Pow(1+g, float64(m)/12)
		}
		want /= 36
		if math.Abs(visits-want) > 1e-6*want {
			t.Errorf("growth %v: %v visits a year, want %v", g, visits, want)
		}
		per1000 := col.Column(0, col.CellIndex("visits_per_1000", -1, -1))[0]
		if math.Abs(per1000-1000) > 1e-6 {
			t.Errorf("growth %v: %v visits per 1 000 residents, want 1 000", g, per1000)
		}
	}
}

func formatG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// A regime's own follow-up hours per contract replace the behaviour's, and an unset one
// takes the behaviour's value.
func TestRegimeRegionHours(t *testing.T) {
	cost := func(regime, admin string) float64 {
		text := single("0.5", "100", "capitation = { per_person_year = 3000 }", "")
		text = strings.Replace(text, "[regimes.none]", "[regimes.none]\n"+regime, 1)
		text = strings.Replace(text, "hours_per_claim = 0", "hours_per_claim = 0\n"+admin, 1)
		col := runText(t, text, 1, 1)
		return col.Column(0, col.CellIndex("region_followup_cost", -1, -1))[0]
	}
	base := cost("", "")
	own := cost("region_hours_per_contract_year = 335", "")
	viaBehaviour := cost("", "region_hours_per_contract_year = 335")
	over := cost("region_hours_per_contract_year = 335", "region_hours_per_contract_year = 1000")
	if math.Abs(own-viaBehaviour) > 1e-9 || math.Abs(own-over) > 1e-9 {
		t.Errorf("335 hours: regime %v, behaviour %v, regime over behaviour %v; want equal", own, viaBehaviour, over)
	}
	// One contract-year, nothing else followed up: the cost is hours × the region's
	// hourly cost, so 335 hours cost 335/20 of the default 20.
	if base <= 0 || math.Abs(own/base-335.0/20) > 1e-9 {
		t.Errorf("cost %v at 335 hours and %v at the default 20: ratio %v, want %v", own, base, own/base, 335.0/20)
	}
}
