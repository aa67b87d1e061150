package model

import "testing"

// Under case payment a provider that games reports a growing share of its lower class one
// class up, never beyond upMax, and not at all when upcoding is off (§4.3).
func TestUpcodingDriftsToMax(t *testing.T) {
	v := &Variant{
		periodsPerYr: 12,
		groups:       []group{{sstar: 2}, {sstar: 4}},
		cohorts:      []cohort{{rule: 0}},
		beh:          behaviour{upcoding: true, upStep: 0.05, upMax: 0.3, upForProfit: 1},
	}
	s := &sim{v: v, capW: make([][maxGroups]float64, 1)}
	ru := &rule{hasCase: true, casePrice: [maxGroups]float64{100, 200}}
	rg := &regime{}
	p := &provider{gaming: 1, n: 1000, mix: [maxGroups]float64{0.5, 0.5}, priceMult: 1}
	prev := 0.0
	for range 5 {
		s.upcode(p, ru, rg)
		if p.upcode[0] <= prev {
			t.Fatalf("reported share %g did not grow from %g", p.upcode[0], prev)
		}
		prev = p.upcode[0]
	}
	for range 100 {
		s.upcode(p, ru, rg)
	}
	if p.upcode[0] != 0.3 || p.upcode[1] != 0 || p.upGain <= 0 {
		t.Errorf("after many periods: shares %v, gain %g; want 0.3 for the lower class, 0 for the top, a positive gain", p.upcode[:2], p.upGain)
	}
	q := &provider{gaming: 1, n: 1000, mix: [maxGroups]float64{0.5, 0.5}, priceMult: 1}
	v.beh.upcoding = false
	s.upcode(q, ru, rg)
	if q.upcode[0] != 0 {
		t.Errorf("upcoding off: reported share %g, want 0", q.upcode[0])
	}
}
