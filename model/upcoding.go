package model

// upcode drifts the reported case mix upward where the rule pays more for a higher
// class (§4.3), adds the period's upcoding revenue to what an audit can claw back, and
// returns that revenue. The drift is damped by the expected share of the gain lost to
// follow-up: audits (rate × sensitivity × clawback) and, where the rule makes claims,
// claim review (share reviewed × sensitivity × penalty).
func (s *sim) upcode(p *provider, ru *rule, rg *regime) (period float64) {
	v := s.v
	b := &v.beh
	G := len(v.groups)
	if !b.upcoding || p.gaming == 0 || (!ru.hasCase && !(ru.hasCap && ru.riskAdj)) {
		return 0
	}
	c := &v.cohorts[p.cohort]
	P := float64(v.periodsPerYr)
	prop := p.gaming
	if c.private {
		prop *= b.upForProfit
	}
	clawback, _ := sanctions(ru, rg)
	detect := minf(1, rg.audit) * rg.sensitive * clawback
	if rg.review > 0 && (ru.hasFee || ru.hasCase) {
		detect = minf(1, detect+rg.review*rg.sensitive*rg.penalty)
	}
	w := &s.capW[c.rule]
	for g := 0; g+1 < G; g++ {
		gap := 0.0
		if ru.hasCase && ru.casePrice[g] > 0 {
			gap = (ru.casePrice[g+1] - ru.casePrice[g]) / ru.casePrice[g]
		}
		if ru.hasCap && ru.riskAdj && w[g] > 0 {
			gap = maxf(gap, (w[g+1]-w[g])/w[g])
		}
		if gap <= 0 {
			continue
		}
		p.upcode[g] = clamp(p.upcode[g]+b.upStep*gap*prop*(1-detect), 0, b.upMax)
		persons := p.n * p.mix[g]
		gain := 0.0
		if ru.hasCap && ru.riskAdj {
			gain += persons * p.upcode[g] * (w[g+1] - w[g]) * ru.capitation * p.priceMult / P
		}
		if ru.hasCase {
			// Visits of the group this period at the planned intensity, approximately.
			gain += persons * v.groups[g].sstar / P * p.upcode[g] * (ru.casePrice[g+1] - ru.casePrice[g]) * ru.feeMult(s.year) * p.priceMult
		}
		p.upGain += gain
		period += gain
	}
	return period
}
