package model

// restaff adjusts a provider's clinician FTE at the year's end (behaviour.staffing):
// the staff its wanted visits needed this year at normal pace is FTE × wanted minutes /
// available minutes. A provider short of staff hires toward it only if a visit at the
// margin earns more than the staff time it takes (the fee, or the reduced fee between
// tak 1 and tak 2, less the cash and claim cost of the visit, against the FTE cost per
// clinical minute × minutes per visit); one with idle staff lets them go, since they
// cost money and see no patients. It closes speed of the gap, by at most max_change.
func (s *sim) restaff(p *provider) {
	v := s.v
	b := &v.beh
	if p.availMinYear <= 0 || p.wantMinYear <= 0 {
		return
	}
	ratio := p.wantMinYear / p.availMinYear
	if ratio > 1 {
		ru := &v.rules[v.cohorts[p.cohort].rule]
		band := 1.0
		if ru.hasCeiling {
			band = ceilingBand(ru, p.cumGross)
			if b.ceilings {
				band = p.planX
			}
		}
		// Net revenue of a marginal visit, averaged over need groups by their visits at
		// the patient optimum.
		num, den := 0.0, 0.0
		for g := range v.groups {
			w := p.mix[g] * v.groups[g].sstar
			num += w * (band*s.ceilingRevenue(p, ru, g) - p.cost - s.claimAdm[v.cohorts[p.cohort].rule])
			den += w
		}
		staffCost := p.costFTE / (p.hours * 60) * p.minutes
		if den == 0 || num/den <= staffCost {
			return
		}
	}
	change := clamp(b.staffSpeed*(ratio-1), -b.staffMax, b.staffMax)
	p.fte *= 1 + change
}
