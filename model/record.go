package model

// record adds the period to the rule's accounts for calibration (all periods, burn-in
// included: prices must hold there too), to the regime's statistics for risk-based
// audits, and, once burn-in is over, to the contract form's sums and the time series.
func (s *sim) record(p *provider, st *stepState) {
	c := st.c
	ra := &s.rules[c.rule]
	for i := range st.pay {
		ra.pay[i] += st.pay[i]
	}
	ra.personYears += p.n * st.invP
	ra.gross += st.gross

	if regimeN := s.regN; st.rg.audit > 0 && st.K > 0 {
		s.regSum[c.regime] += p.measured
		s.regSq[c.regime] += p.measured * p.measured
		regimeN[c.regime]++
	}
	if !st.counted {
		return
	}
	regionCost := st.regionHours * s.v.beh.regHourly
	upcoded := 0.0
	for g := range s.v.groups {
		upcoded += p.n * p.mix[g] * p.upcode[g]
	}

	fa := &s.forms[p.form]
	q, disc := st.q, st.disc
	fa.visits += st.visits
	fa.clinicalHours += st.bookedEq * st.minutes / 60
	fa.fteYears += p.fte * st.invP
	fa.clinWork += p.fte * p.hours * st.invP
	fa.clinAdmin += s.v.beh.clinShare*st.adminHours + p.fte*s.v.beh.otherClinHours*st.invP
	fa.benefit += st.benefit
	fa.benefitDisc += st.benefit * disc
	fa.qualSum += q * p.n
	fa.qualW += p.n
	if st.K > 0 {
		fa.measSum += p.measured * p.n
		fa.measW += p.n
		fa.exSum += st.exRate * p.n
		fa.exW += p.n
	}
	for i := range st.pay {
		fa.pay[i] += st.pay[i]
	}
	if st.patientFees > 0 {
		fa.patientFees += st.patientFees
		fa.payDisc += (st.revenue - st.patientFees) * disc
	} else {
		fa.payDisc += st.revenue * disc
	}
	fa.adminHours += st.adminHours
	fa.adminCost += st.adminCost
	fa.adminCostDisc += st.adminCost * disc
	fa.regionCost += regionCost
	fa.regionCostDisc += regionCost * disc
	fa.margin += st.margin
	fa.resourceCost += st.resource
	fa.resourceCostDisc += st.resource * disc
	fa.upcoded += upcoded
	fa.upW += p.n
	fa.present++

	ts := &s.ts[st.ci]
	ts[tsVisits] += st.visits
	ts[tsBenefit] += st.benefit
	ts[tsQualSum] += st.q * p.n
	ts[tsQualW] += p.n
	if st.K > 0 {
		ts[tsMeasSum] += p.measured * p.n
		ts[tsMeasW] += p.n
		ts[tsExSum] += st.exRate * p.n
		ts[tsExW] += p.n
	}
	ts[tsPay] += st.revenue
	ts[tsAdminH] += st.adminHours
	ts[tsAdminC] += st.adminCost
	ts[tsRegionC] += regionCost
	ts[tsActive]++
	ts[tsUpcoded] += upcoded
	ts[tsUpW] += p.n
	ts[tsMargin] += st.margin
}
