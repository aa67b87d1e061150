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
