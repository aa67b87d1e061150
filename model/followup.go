package model

import "math"

// followUp runs the period's follow-up (§6): an audit, uniform or risk-targeted, costs
// both sides hours; a detected upcoder is clawed back and resets its reported case mix,
// and a provider found deficient pays the vite once a year. A report that flags a
// deficient provider also counts as detection. The provider's administrative hours are
// then carried to next period's clinical time.
func (s *sim) followUp(p *provider, st *stepState) {
	b := &s.v.beh
	rg := st.rg
	auditP := rg.audit * p.riskWeight * st.invP
	clawback, vite := sanctions(st.ru, rg)
	deficient := st.q < b.deficient
	if auditP > 0 {
		r := s.rs.sub(purposeAudit, 0)
		if r.Float64() < auditP {
			st.adminHours += b.auditHours
			st.auditHours += b.auditHours
			st.regionHours += b.regAudit
			if p.upGain > 0 && r.Float64() < rg.sensitive {
				st.pay[compSanctions] -= p.upGain*clawback + vite*p.priceMult
				p.upGain = 0
				for g := range s.v.groups {
					p.upcode[g] = 0
				}
			}
			if deficient && r.Float64() < rg.sensitive {
				if !p.sanctionedYear {
					st.pay[compSanctions] -= vite * p.priceMult
					p.sanctionedYear = true
				}
				p.detectedYear = true
			}
		}
	}
	if rg.review > 0 && (st.ru.hasFee || st.ru.hasCase) {
		s.reviewClaims(p, st)
	}
	if st.reportNow && deficient && p.measured < b.flagLevel {
		p.detectedYear = true
	}
	p.adminHoursPrev = st.adminHours
}

// sanctions returns the clawback share and vite that apply to a provider.
func sanctions(ru *rule, rg *regime) (clawback, vite float64) {
	if rg.hasSanctions {
		return rg.clawback, rg.vite
	}
	return ru.clawback, ru.vite
}

// targetAudits sets each provider's audit weight for the next period. Under risk-based
// targeting audits go where measured achievement is lowest: weight ∝ exp(focus·z), z the
// provider's standardised shortfall within its regime, normalised to mean 1 so that the
// regime's audit rate is kept.
func (s *sim) targetAudits() {
	v := s.v
	for ri := range v.regimes {
		rg := &v.regimes[ri]
		n := s.regN[ri]
		if !rg.risk || n < 2 {
			s.regSum[ri], s.regSq[ri], s.regN[ri] = 0, 0, 0
			continue
		}
		mean := s.regSum[ri] / n
		sd := math.Sqrt(math.Max(s.regSq[ri]/n-mean*mean, 0))
		norm, count := 0.0, 0.0
		for i := range s.providers {
			p := &s.providers[i]
			if !p.active || v.cohorts[p.cohort].regime != ri {
				continue
			}
			z := 0.0
			if sd > 0 {
				z = clamp((mean-p.measured)/sd, -3, 3)
			}
			p.riskWeight = math.Exp(rg.focus * z)
			norm += p.riskWeight
			count++
		}
		for i := range s.providers {
			p := &s.providers[i]
			if p.active && v.cohorts[p.cohort].regime == ri && norm > 0 {
				p.riskWeight *= count / norm
			}
		}
		s.regSum[ri], s.regSq[ri], s.regN[ri] = 0, 0, 0
	}
}

// reviewClaims reviews the period's sample of claims (issue 13): each side spends its
// hours per reviewed claim, and the upcoded claims found in the sample — the share
// reviewed × sensitivity of the period's upcoding revenue, in expectation — are
// recovered at the penalty multiplier and no longer open to an audit's clawback.
func (s *sim) reviewClaims(p *provider, st *stepState) {
	b := &s.v.beh
	rg := st.rg
	reviewed := rg.review * st.visits
	st.adminHours += reviewed * b.revHours
	st.auditHours += reviewed * b.revHours
	st.regionHours += reviewed * b.regRevHours
	if found := rg.review * rg.sensitive * st.upGain; found > 0 {
		st.pay[compSanctions] -= found * rg.penalty
		p.upGain = maxf(0, p.upGain-found)
	}
}
