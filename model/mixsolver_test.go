package model

import (
	"context"
	"math"
	"testing"

	"ersim/scenarios"
)

// solve runs calibrateMix's iteration on a price whose payments go as price^slope
// (slope = 1 + the volume's price elasticity) and returns the steps it takes to bring
// the plain step's factor within calibrationTol of 1, or 0 if it does not in 20.
func solve(slope float64, accelerate bool) int {
	price, target := 100.0, 2.0e6 // payments are 1e6 at a price of 100
	paid := func(p float64) float64 { return 1e6 * math.Pow(p/100, slope) }
	var st secantStep
	for i := 1; i <= 20; i++ {
		f := target / paid(price)
		if math.Abs(f-1) < calibrationTol {
			return i
		}
		if accelerate {
			f = st.next(f)
		}
		price *= f
	}
	return 0
}

// The secant step finds a price in a few steps whatever the slope of payments in the
// price, where the plain step is slow (slope near 0 or 2) or diverges (slope above 2).
func TestSecantStepConverges(t *testing.T) {
	for _, c := range []struct {
		slope       float64
		plainAtMost int // 0: the plain step must fail
	}{
		{1, 2}, {0.81, 8}, {1.4, 12}, {0.5, 16}, {2.5, 0}, {4, 0},
	} {
		plain, sec := solve(c.slope, false), solve(c.slope, true)
		if sec == 0 || sec > 6 {
			t.Errorf("slope %g: the secant step took %d steps (0: did not converge in 20)", c.slope, sec)
		}
		if c.plainAtMost == 0 && plain != 0 || c.plainAtMost > 0 && (plain == 0 || plain > c.plainAtMost) {
			t.Errorf("slope %g: the plain step took %d steps; the test expects it to take at most %d (0: diverge)", c.slope, plain, c.plainAtMost)
		}
		if c.slope != 1 && sec >= plain && plain != 0 {
			t.Errorf("slope %g: secant %d steps, plain %d", c.slope, sec, plain)
		}
		t.Logf("slope %g: plain %d steps, secant %d", c.slope, plain, sec)
	}
}

// A slope the last two steps imply that is implausible (payments falling as the price
// rises, or rising as its fifth power or more) is not trusted: the plain step is taken.
func TestSecantStepFallsBack(t *testing.T) {
	var st secantStep
	if f := st.next(1.1); f != 1.1 {
		t.Fatalf("first step %g, want the plain 1.1", f)
	}
	// log f rose after a step up: the implied slope is negative.
	if f := st.next(1.2); f != 1.2 {
		t.Errorf("after a negative slope: step %g, want the plain 1.2", f)
	}
	if f := st.next(1); f != 1 {
		t.Errorf("at the target: step %g, want 1", f)
	}
}

// Stockholm's detailed LOV rule, whose fee the plain step left 2.3e-4 off its revenue
// share after 8 steps, is fitted within the tolerance: a pilot at the calibrated fee pays
// the visit share of the revenue per listed person-year to within calibrationTol.
func TestMixCalibrationMeetsTolerance(t *testing.T) {
	f, err := scenarios.LoadEmbedded("stockholm")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPlan(f, nil, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range pl.Variants {
		for r := range v.rules {
			if v.rules[r].mix == nil || !v.usesRule(r) {
				continue
			}
			if err := calibrateMix(context.Background(), v, r, v.calibReps, 2, map[string]ruleAcc{}); err != nil {
				t.Fatal(err)
			}
			sub := v.only(r)
			pi, err := runPilot(context.Background(), sub, v.calibReps, 2, make([]*sim, 2))
			if err != nil {
				t.Fatal(err)
			}
			ra, m := &pi.rules[r], v.rules[r].mix
			rev := m.RevenuePerPersonYear.Value * ra.personYears
			for _, c := range []struct {
				name        string
				share, paid float64
			}{{"visit", m.Visit.Value, ra.pay[compVisit]}, {"case", m.Case.Value, ra.pay[compCase]}} {
				if c.share <= 0 {
					continue
				}
				if off := c.share*rev/c.paid - 1; math.Abs(off) > calibrationTol {
					t.Errorf("%s, rule %s: %s payments %.6g off their share", v.Name, v.rules[r].name, c.name, off)
				} else {
					t.Logf("%s, rule %s: %s payments %.2g off their share", v.Name, v.rules[r].name, c.name, off)
				}
			}
		}
	}
}
