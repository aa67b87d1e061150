package model_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// The interior optimum of §4.1: s = s*·(1 + (m − c − a')/(α·v·β)).
func TestClosedFormOptimum(t *testing.T) {
	for _, tc := range []struct{ alpha, fee, cost float64 }{
		{0.5, 300, 100}, {1, 300, 100}, {0.8, 100, 300}, {0.3, 250, 250},
	} {
		got := visitsPerPerson(t, single(fmt.Sprint(tc.alpha), fmt.Sprint(tc.cost),
			fmt.Sprintf("visit_fee = { fee = %g }", tc.fee), ""))
		want := 4 * (1 + (tc.fee-tc.cost)/(tc.alpha*100000*0.01))
		want = math.Max(1, math.Min(10, want))
		if math.Abs(got-want) > 1e-9*want {
			t.Errorf("α=%g fee=%g c=%g: %.12g visits per person, want %.12g", tc.alpha, tc.fee, tc.cost, got, want)
		}
	}
}

// Ellis & McGuire (1986): paying the share 1 − σ of cost per visit gives the efficient
// intensity s^e = s*·(1 − c/(v·β)) exactly when σ = α.
func TestEllisMcGuire(t *testing.T) {
	const cost, v, beta, sstar = 400.0, 100000.0, 0.01, 4.0
	efficient := sstar * (1 - cost/(v*beta))
	for _, alpha := range []float64{0.25, 0.5, 0.75, 1} {
		intensity := func(sigma float64) float64 {
			fee := (1 - sigma) * cost
			return visitsPerPerson(t, single(fmt.Sprint(alpha), fmt.Sprint(cost),
				fmt.Sprintf("visit_fee = { fee = %.17g }", fee), ""))
		}
		// Intensity falls in σ: bisect for the σ that gives the efficient intensity.
		lo, hi := 0.0, 1.0
		for range 40 {
			mid := (lo + hi) / 2
			if intensity(mid) > efficient {
				lo = mid
			} else {
				hi = mid
			}
		}
		if sigma := (lo + hi) / 2; math.Abs(sigma-alpha) > 0.02 {
			t.Errorf("α=%g: efficient cost share σ=%.4f, want α", alpha, sigma)
		}
		if got := intensity(alpha); math.Abs(got-efficient) > 1e-9 {
			t.Errorf("α=%g: σ=α gives %.10g visits, efficient is %.10g", alpha, got, efficient)
		}
	}
}

// With α = 0: capitation gives the duty floor, fee-for-service above cost the maximum.
func TestCornersAtZeroAltruism(t *testing.T) {
	floor := visitsPerPerson(t, single("0", "100", "capitation = { per_person_year = 3000 }", ""))
	if math.Abs(floor-0.5*2) > 1e-12 {
		t.Errorf("capitation at α=0: %g visits per person, want the duty floor 1", floor)
	}
	top := visitsPerPerson(t, single("0", "100", "visit_fee = { fee = 300 }", ""))
	if math.Abs(top-10) > 1e-12 {
		t.Errorf("fee-for-service at α=0: %g visits per person, want the maximum 10", top)
	}
}

func TestHigherFeeMoreVisits(t *testing.T) {
	prev := 0.0
	for _, fee := range []float64{0, 100, 200, 400, 800} {
		got := visitsPerPerson(t, single(`{ dist = "beta", a = 2, b = 3 }`, "150",
			fmt.Sprintf("visit_fee = { fee = %g }", fee), ""))
		if got <= prev {
			t.Errorf("fee %g: %g visits per person, not above %g at the lower fee", fee, got, prev)
		}
		prev = got
	}
}

// A fee schedule (issue 13) cuts the fee in the years it says and only there: visits and
// visit payments fall when the fee is halved in year 2, and a schedule of ones changes
// nothing.
func TestFeeSchedule(t *testing.T) {
	run := func(schedule string) (visits, paid float64) {
		text := single("0.3", "100", "visit_fee = { fee = 400 }\n"+schedule, "")
		text = strings.Replace(text, "horizon_years = 1", "horizon_years = 2", 1)
		col := runText(t, text, 2, 1)
		return col.Column(0, col.CellIndex("visits_per_1000", -1, -1))[0], col.Column(0, col.CellIndex("payments_visit", -1, -1))[0]
	}
	v0, p0 := run("")
	v1, p1 := run("fee_schedule = [1, 1]")
	v2, p2 := run("fee_schedule = [1, 0.5]")
	if v1 != v0 || p1 != p0 {
		t.Errorf("a schedule of ones: visits %g and payments %g, want %g and %g", v1, p1, v0, p0)
	}
	// Year 2 at half the fee: the two-year mean of visits falls, and visit payments by
	// over 20 % (half the fee for half the horizon is a 25 % cut before visits respond).
	if !(v2 < v0) || !(p2 < 0.8*p0) {
		t.Errorf("fee halved in year 2: visits %g (from %g), visit payments %g (from %g); want both lower, payments by over 20 %%", v2, v0, p2, p0)
	}
}

// No-shows (issue 13): the booked visits are the same, a fifth of them are not attended —
// visits and visit payments fall by that fifth and the clinicians' hours of the booked
// slots do not. Health benefit moves with the attended intensity: here, at a fee far above
// cost, the provider books 8 visits a person-year, 2·s*, where the benefit of the visits
// has fallen back to zero (n·β·(s − s²/2s*)), so fewer attended visits do patients good.
func TestNoShows(t *testing.T) {
	run := func(rate string) (visits, paid, hours, benefit float64) {
		text := single("0.3", "100", "visit_fee = { fee = 400 }", "")
		text = strings.Replace(text, "cost_weight = 1", "cost_weight = 1\n"+rate, 1)
		col := runText(t, text, 2, 1)
		m := func(name string) float64 { return col.Column(0, col.CellIndex(name, -1, -1))[0] }
		return m("visits_per_1000"), m("payments_visit"), m("clinical_hours"), m("health_benefit")
	}
	v0, p0, h0, b0 := run("")
	v1, p1, h1, b1 := run("no_show_rate = 0.2")
	if math.Abs(v1/v0-0.8) > 1e-12 || math.Abs(p1/p0-0.8) > 1e-12 {
		t.Errorf("visits %g → %g, visit payments %g → %g; want both × 0.8", v0, v1, p0, p1)
	}
	if h1 != h0 || !(b1 > b0) {
		t.Errorf("clinical hours %g → %g (want equal), benefit %g → %g (want higher: over-treatment cut)", h0, h1, b0, b1)
	}
}
