package model

import "math"

// motivation moves the provider's altruism toward its own starting level less the crowding
// out by control (§4.4): α ← α + λ·(α₀·(1 − κ·(C − C_ref)) − α).
func (s *sim) motivation(p *provider, st *stepState) {
	b := &s.v.beh
	p.alpha += b.lambda * (p.alpha0*(1-b.kappa*(st.c.control-b.refControl)) - p.alpha)
}

// controlIntensity is C of §4.4: the mean of four normalised measures of control, each
// capped at 1 — indicators (34, as Västra Götaland 2016, counts as full), reporting
// frequency (monthly = 1), audit rate (one audit a year = 1) and fee categories (20 extra
// categories = 1).
func (v *Variant) controlIntensity(ru *rule, rg *regime) float64 {
	k, reports := indicatorLoad(ru, rg)
	ind := k
	cats := 0.0
	if ru.hasFee {
		cats = float64(ru.categories - 1)
	}
	c := math.Min(1, ind/34) + math.Min(1, reports/12) + math.Min(1, rg.audit) + math.Min(1, cats/20)
	return c / 4
}
