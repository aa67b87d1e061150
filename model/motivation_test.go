package model

import (
	"math"
	"testing"
)

// Without crowding (κ = 0) altruism returns to its starting level; with κ > 0 and
// control above the reference it settles at α₀·(1 − κ·(C − C_ref)) (§4.4).
func TestMotivationSettles(t *testing.T) {
	for _, tc := range []struct{ kappa, control, want float64 }{
		{0, 0.8, 0.6}, {0.5, 0.8, 0.6 * (1 - 0.5*(0.8-0.2))},
	} {
		s := &sim{v: &Variant{beh: behaviour{lambda: 0.1, kappa: tc.kappa, refControl: 0.2}}}
		p := &provider{alpha0: 0.6, alpha: 0.3}
		st := &stepState{c: &cohort{control: tc.control}}
		for range 500 {
			s.motivation(p, st)
		}
		if math.Abs(p.alpha-tc.want) > 1e-9 {
			t.Errorf("κ=%g C=%g: α settles at %g, want %g", tc.kappa, tc.control, p.alpha, tc.want)
		}
	}
}
