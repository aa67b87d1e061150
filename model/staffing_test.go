package model_test

import (
	"math"
	"strings"
	"testing"
)

// staffed runs a one-provider scenario for 4 years with capacity on and returns its
// mean clinician FTE over the horizon.
func staffed(t *testing.T, rule, fte, staffing string) float64 {
	t.Helper()
	text := single("0.5", "100", rule, staffing)
	text = strings.Replace(text, "horizon_years = 1", "horizon_years = 4", 1)
	text = strings.Replace(text, "capacity = false", "capacity = true", 1)
	text = strings.Replace(text, "fte = 100", "fte = "+fte, 1)
	col := runText(t, text, 1, 1)
	return col.Column(0, col.CellIndex("clinician_fte", -1, -1))[0]
}

// Staff adjust only when behaviour.staffing has a speed: they grow where capacity binds
// and a visit earns more than the staff time it takes, stay put where it earns less,
// and shrink where staff sit idle. Growth is capped at max_change a year.
func TestStaffing(t *testing.T) {
	const on = "[behaviour.staffing]\nspeed = 0.5\nmax_change = 0.25"
	// 0.05 FTE give 4 800 clinical minutes a year against about 4 000 wanted visits of
	// 25 minutes: capacity binds hard. 1 200 000 SEK per FTE-year over 96 000 minutes
	// is 312 SEK of staff time per visit.
	fee := "visit_fee = { fee = 2000 }"
	cheap := "visit_fee = { fee = 300 }"
	capit := "capitation = { per_person_year = 3000 }"
	if got := staffed(t, fee, "0.05", ""); math.Abs(got-0.05) > 1e-12 {
		t.Errorf("staffing off: mean FTE %v, want the initial 0.05", got)
	}
	// Capped growth: 0.05 × 1.25^y in years 0–3, so a mean of 0.05·(1 + 1.25 + 1.5625 +
	// 1.953125)/4.
	if got, want := staffed(t, fee, "0.05", on), 0.05*(1+1.25+1.5625+1.953125)/4; math.Abs(got-want) > 1e-12 {
		t.Errorf("a paying fee with binding capacity: mean FTE %v, want %v", got, want)
	}
	if got := staffed(t, cheap, "0.05", on); math.Abs(got-0.05) > 1e-12 {
		t.Errorf("a fee below the staff cost of a visit: mean FTE %v, want the initial 0.05", got)
	}
	if got := staffed(t, capit, "100", on); got >= 100*0.99 {
		t.Errorf("capitation with idle staff: mean FTE %v, want it to fall below 100", got)
	}
	if got := staffed(t, capit, "100", "[behaviour.staffing]\nenabled = false\nspeed = 0.5"); math.Abs(got-100) > 1e-9 {
		t.Errorf("staffing switched off: mean FTE %v, want 100", got)
	}
}
