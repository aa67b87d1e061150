package model

// margin totals the period's revenue and the provider's costs — staff, cash cost per
// visit and the non-clinicians' administrative time — and updates the smoothed margin
// rate that drives entry and exit (§4.5), and the provider's year sums.
func (s *sim) margin(p *provider, st *stepState) {
	b := &s.v.beh
	invP := st.invP
	revenue := 0.0
	for _, x := range st.pay {
		revenue += x
	}
	if st.patientFees > 0 {
		revenue += st.patientFees
	}
	adminCost := st.adminHours * b.hourly
	resource := p.fte*p.costFTE*invP + p.cost*st.costVisits
	margin := revenue - resource - (1-b.clinShare)*adminCost
	p.revenue, p.margin = revenue, margin
	if revenue > 0 {
		p.marginRate += (margin/revenue - p.marginRate) * 2 * invP
	}
	p.qualYear += st.q
	p.periodsYear++
	p.visitsYear += st.visits
	p.yr.booked += st.booked
	p.revenueYear += revenue
	p.marginYear += margin
	p.adminYear += st.adminHours
	if st.K > 0 {
		p.yr.meas += p.measured
		p.yr.ex += st.exRate
		p.yr.measPeriods++
	}
	up := 0.0
	for g := range s.v.groups {
		up += p.mix[g] * p.upcode[g]
	}
	p.yr.up += up
	p.yr.claimH += st.claimHours
	p.yr.reportH += st.reportHours
	p.yr.auditH += st.auditHours
	st.revenue, st.adminCost, st.resource, st.margin = revenue, adminCost, resource, margin
}
