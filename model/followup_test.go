package model

import "testing"

// A regime's own sanctions replace the rule's; without them the rule's apply.
func TestSanctionsRegimeOverridesRule(t *testing.T) {
	ru := &rule{clawback: 1, vite: 500}
	if c, v := sanctions(ru, &regime{}); c != 1 || v != 500 {
		t.Errorf("no regime sanctions: clawback %g, vite %g; want the rule's 1 and 500", c, v)
	}
	if c, v := sanctions(ru, &regime{hasSanctions: true, clawback: 0.5, vite: 0}); c != 0.5 || v != 0 {
		t.Errorf("regime sanctions: clawback %g, vite %g; want the regime's 0.5 and 0", c, v)
	}
}
