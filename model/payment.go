package model

// payment pays every component of the rule for the period (§3): budget, capitation on
// the reported case mix, visit fees and case payments within the year's ceilings, and at
// the year's end the goal-related payment.
func (s *sim) payment(p *provider, st *stepState) {
	v := s.v
	ru := st.ru
	invP, gross := st.invP, st.gross
	pay := &st.pay
	pay[compBudget] = ru.budget * p.priceMult * invP
	if ru.hasCap {
		capPay := 0.0
		w := &s.capW[st.c.rule]
		G := len(v.groups)
		for g := range G {
			reported := w[g]
			if g+1 < G {
				reported += p.upcode[g] * (w[g+1] - w[g])
			}
			capPay += p.n * p.mix[g] * reported
		}
		pay[compCapitation] = capPay * ru.capitation * p.priceMult * invP
	}
	paid := gross
	if ru.hasCeiling {
		k := s.kinkOf(p, ru)
		paid = ceilingPaid(k, p.cumGross+gross) - ceilingPaid(k, p.cumGross)
	}
	p.cumGross += gross
	if gross > 0 {
		pay[compVisit] = paid * (gross - st.grossCase) / gross
		pay[compCase] = paid * st.grossCase / gross
	}
	if st.pfDeduct > 0 {
		// The provider collected the patient fees; the region pays the fee less them.
		pay[compVisit] -= minf(pay[compVisit], st.pfDeduct)
	}
	if st.pt == v.periodsPerYr-1 && len(ru.indicators) > 0 {
		pay[compGoal] = s.goalPayment(p, ru, st.rg, st.years, st.t)
	}
}

// casePrice is the expected case payment of one visit of group g, with the share
// reported one class up.
func (s *sim) casePrice(p *provider, ru *rule, g int) float64 {
	price := ru.casePrice[g]
	if g+1 < len(s.v.groups) {
		price += p.upcode[g] * (ru.casePrice[g+1] - ru.casePrice[g])
	}
	return price * ru.feeMult(s.year) * p.priceMult
}

// goalPayment settles the year's goal-related payment: per indicator, the stake times
// the share of the band between lower and upper threshold reached by measured
// achievement; a bonus pays it, a vite withholds the shortfall.
func (s *sim) goalPayment(p *provider, ru *rule, rg *regime, years float64, t int) float64 {
	b := &s.v.beh
	total := 0.0
	for i := range ru.indicators {
		in := &ru.indicators[i]
		a := clamp(in.baseline+in.trend*years+b.achResponse*(p.em-s.emRef[p.cohort]), 0, 1)
		g := s.exceptionGaming(p, in, a)
		m := clamp(minf(1, a/(1-g))+in.noise*s.rs.sub(purposeIndic, i).NormFloat64(), 0, 1)
		frac := clamp((m-in.lower)/(in.upper-in.lower), 0, 1)
		stake := in.weight * ru.refRevenue * p.n * p.priceMult
		if in.vite {
			total -= stake * (1 - frac)
		} else {
			total += stake * frac
		}
	}
	return total
}
