package model

import (
	"math"
	"testing"
)

func effortBehaviour() *behaviour {
	return &behaviour{quality: true, vm: 300, vu: 400, effortCost: 400, rho: 0.5, lossAv: 2, achResponse: 0.3}
}

// With every indicator inside its band over the whole relevant range, the curve has one
// slope and the choice is the closed form of MODEL.md §4.2 with the constant bonus.
func TestChooseEffortsInteriorIsClosedForm(t *testing.T) {
	b := effortBehaviour()
	ru := &rule{refRevenue: 1000, indicators: []indicator{
		{weight: 0.02, lower: 0, upper: 1, baseline: 0.5},
		{weight: 0.03, lower: 0, upper: 1, baseline: 0.5},
	}}
	var gc goalCurve
	gc.build(b, ru, 0.4, 0)
	bm := (0.02 + 0.03) * 1000 * 0.3 / 1
	for _, alpha := range []float64{0, 0.2, 0.5, 1} {
		em, eu := chooseEfforts(b, &gc, alpha, 1)
		wm, wu := efforts(b, alpha, bm)
		// Achievement stays inside (0, 1) at this effort, so nothing binds.
		if a := 0.5 + 0.3*(wm-0.4); a <= 0 || a >= 1 {
			t.Fatalf("alpha %v: test set-up leaves the band (a = %v)", alpha, a)
		}
		if math.Abs(em-wm) > 1e-12 || math.Abs(eu-wu) > 1e-12 {
			t.Errorf("alpha %v: got (%v, %v), closed form (%v, %v)", alpha, em, eu, wm, wu)
		}
	}
}

// Past the upper threshold a bonus pays nothing more, so a profit-minded provider
// (α = 0) that the closed form would push beyond it stops exactly at it, and with no
// money at all chooses what it would without the indicator.
func TestChooseEffortsStopsAtUpperThreshold(t *testing.T) {
	b := effortBehaviour()
	ru := &rule{refRevenue: 2000, indicators: []indicator{{weight: 0.25, lower: 0.25, upper: 0.8, baseline: 0.7}}}
	var gc goalCurve
	const emRef = 0.1
	gc.build(b, ru, emRef, 0)
	bm := 0.25 * 2000 * 0.3 / (0.8 - 0.25)
	naive, _ := efforts(b, 0, bm)
	xUpper := emRef + (0.8-0.7)/0.3
	if naive <= xUpper {
		t.Fatalf("set-up: the closed form %v does not pass the threshold at %v", naive, xUpper)
	}
	em, _ := chooseEfforts(b, &gc, 0, 1)
	if math.Abs(em-xUpper) > 1e-12 {
		t.Errorf("effort %v, want the upper threshold's %v", em, xUpper)
	}
	// A very altruistic provider goes past the threshold on its own account: its
	// effort is then what it would choose with no money on the indicator.
	free, _ := efforts(b, 3, 0)
	if free <= xUpper {
		t.Fatalf("set-up: altruism alone %v does not pass %v", free, xUpper)
	}
	if em, _ := chooseEfforts(b, &gc, 3, 1); math.Abs(em-free) > 1e-12 {
		t.Errorf("altruistic effort %v, want %v", em, free)
	}
	// A secular trend brings the threshold closer: after 5 years of +0.01 it takes
	// 0.05 less achievement, so 0.05/0.3 less effort.
	ru.indicators[0].trend = 0.01
	gc.build(b, ru, emRef, 5)
	if em, _ := chooseEfforts(b, &gc, 0, 1); math.Abs(em-(xUpper-0.05/0.3)) > 1e-12 {
		t.Errorf("with the trend: effort %v, want %v", em, xUpper-0.05/0.3)
	}
}

// The curve's value at each breakpoint is the goal revenue a provider would be paid.
func TestGoalCurveMatchesPayment(t *testing.T) {
	b := effortBehaviour()
	ru := &rule{refRevenue: 1500, indicators: []indicator{
		{weight: 0.1, lower: 0.25, upper: 0.5, baseline: 0.6, trend: 0.01},
		{weight: 0.2, lower: 0.25, upper: 0.9, baseline: 0.6, trend: 0.01},
		{weight: 0.3, lower: 0.7, upper: 0.8, baseline: 0.6, trend: 0.01, vite: true},
	}}
	const emRef, years = 0.2, 2.0
	var gc goalCurve
	gc.build(b, ru, emRef, years)
	pay := func(em float64) float64 {
		total := 0.0
		for _, in := range ru.indicators {
			a := clamp(in.baseline+in.trend*years+b.achResponse*(em-emRef), 0, 1)
			frac := clamp((a-in.lower)/(in.upper-in.lower), 0, 1)
			w := in.weight * ru.refRevenue
			if in.vite {
				w *= b.lossAv
			}
			total += w * frac
		}
		return total
	}
	at := func(em float64) float64 {
		j := 0
		for j+1 < len(gc.seg) && gc.seg[j+1].x <= em {
			j++
		}
		return gc.seg[j].g + gc.seg[j].slope*(em-gc.seg[j].x)
	}
	for _, em := range []float64{0, 0.1, 0.3, 0.5, 0.7, 1, 1.5, 2, 5} {
		got, want := at(em)-at(0), pay(em)-pay(0)
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("e_m = %v: curve %v, payment %v", em, got, want)
		}
	}
	if last := gc.seg[len(gc.seg)-1]; last.slope != 0 {
		t.Errorf("beyond every upper threshold the slope is %v, want 0", last.slope)
	}
}
