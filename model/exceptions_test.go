package model

import "testing"

// Exception gaming is zero at or above the upper threshold and grows toward it from
// below, to at most exMax (Gravelle, Sutton & Ma 2010).
func TestExceptionGamingPeaksBelowUpper(t *testing.T) {
	s := &sim{v: &Variant{beh: behaviour{exceptions: true, exMax: 0.1, exBand: 0.05}}}
	p := &provider{gaming: 1}
	in := &indicator{weight: 1, upper: 0.9, gameable: 1}
	if g := s.exceptionGaming(p, in, 0.9); g != 0 {
		t.Errorf("at the upper threshold: gaming %g, want 0", g)
	}
	prev := 0.0
	for _, a := range []float64{0.5, 0.7, 0.8, 0.85, 0.899} {
		g := s.exceptionGaming(p, in, a)
		if g <= prev || g > 0.1 {
			t.Errorf("achievement %g: gaming %g, want above %g and at most 0.1", a, g, prev)
		}
		prev = g
	}
	s.v.beh.exceptions = false
	if g := s.exceptionGaming(p, in, 0.85); g != 0 {
		t.Errorf("exceptions off: gaming %g, want 0", g)
	}
}
