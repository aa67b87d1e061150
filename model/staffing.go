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
			band = ceilingBand(s.kinkOf(p, ru), p.cumGross)
			if b.ceilings {
				band = p.planX
			}
		}
		// Net revenue of a marginal visit, averaged over cells by their visits at the
		// patient optimum, per visit of normal length.
		num, den := 0.0, 0.0
		for g := range v.groups {
			for _, k := range v.cohorts[p.cohort].kinds {
				kd := &v.kinds[k]
				w := p.mix[g] * v.groups[g].sstar * kd.share[g]
				num += w * (band*s.ceilingRevenue(p, ru, g, k) - p.cost*kd.cost - s.claimAdm[v.cohorts[p.cohort].rule]*kd.claim)
				den += w * kd.minutes
			}
		}
		staffCost := p.costFTE / (p.hours * 60) * p.minutes
		if den == 0 || num/den <= staffCost {
			return
		}
	}
	change := clamp(b.staffSpeed*(ratio-1), -b.staffMax, b.staffMax)
	p.fte *= 1 + change
}
