package model

// adminHours is the provider's administrative hours this period before audits (§5): a
// base, the claims its visits create, and its indicator reports; and the region's
// follow-up hours for the contract and the indicators.
func (s *sim) adminHours(p *provider, st *stepState) {
	b := &s.v.beh
	invP, K := st.invP, st.K
	st.claimHours = st.claimVisits * s.claimHrs[st.c.rule]
	st.reportHours = reportHours(b, p, K, st.reportsPerYear) * invP
	st.adminHours = b.baseHours*invP + st.claimHours + st.reportHours
	st.regionHours = st.rg.regContract*invP + b.regIndicator*K*invP
}

// expectedAdminHours is a provider's administrative hours in a period at patient demand,
// with audits at their mean rate.
func (s *sim) expectedAdminHours(p *provider) float64 {
	v := s.v
	b := &v.beh
	c := &v.cohorts[p.cohort]
	P := float64(v.periodsPerYr)
	visits := 0.0
	for g := range v.groups {
		for _, k := range c.kinds {
			d, _, _ := s.cellBounds(g, k)
			visits += p.n * p.mix[g] * d / P * v.kinds[k].claim
		}
	}
	ru := &v.rules[c.rule]
	rg := &v.regimes[c.regime]
	k, reports := indicatorLoad(ru, rg)
	return b.baseHours/P + visits*s.claimHrs[c.rule] + reportHours(b, p, k, reports)/P + b.auditHours*rg.audit/P
}

// reportHours is a provider's hours a year on indicator reports (§5): k indicators
// reported `reports` times a year, each report a fixed part per indicator and provider
// plus a part per listed patient reported on (Casalino et al. 2016; Saraswathula et al.
// 2023 measured both per-measure and per-patient abstraction work).
func reportHours(b *behaviour, p *provider, k, reports float64) float64 {
	return k * reports * (b.indHours + b.indPatHours*p.n)
}
