package model

// clinicalTime is the clinical minutes left this period after last period's
// administrative work (§4.1: clinical hours = FTE × (hours − other administration) − the
// clinicians' share of the payment model's administrative hours).
func (s *sim) clinicalTime(p *provider, st *stepState) {
	b := &s.v.beh
	st.clinMinutes = (p.fte*(p.hours-b.otherClinHours)*st.invP - b.clinShare*p.adminHoursPrev) * 60
	if st.clinMinutes < 0 {
		st.clinMinutes = 0
	}
}

// capacity fits the wanted visits (weighted by their kinds' minutes) into the clinical
// minutes (§4.1): shorter visits
// first, then a smaller discretionary margin, then waits, which lower access and with it
// next period's demand.
func (s *sim) capacity(p *provider, st *stepState) {
	b := &s.v.beh
	G := len(s.v.groups)
	kinds := st.c.kinds
	clinMinutes, wanted, floorVisits := st.clinMinutes, st.wanted, st.floorVisits
	minutes := p.minutes
	p.wantMinYear += wanted * p.minutes
	p.availMinYear += clinMinutes
	unmet := 0.0
	if b.capacity && wanted*p.minutes > clinMinutes {
		minutes = maxf(p.minutes*(1-b.maxCompress), clinMinutes/wanted)
		if wanted*minutes > clinMinutes {
			fit := clinMinutes / minutes
			if fit >= floorVisits && wanted > floorVisits {
				shrink := (fit - floorVisits) / (wanted - floorVisits)
				for g := range G {
					for _, k := range kinds {
						cl := g*maxKinds + k
						s.cell.sPlan[cl] = s.cell.floor[cl] + shrink*(s.cell.sPlan[cl]-s.cell.floor[cl])
					}
				}
			} else {
				ration := 0.0
				if floorVisits > 0 {
					ration = fit / floorVisits
				}
				unmet = 1 - ration
				for g := range G {
					for _, k := range kinds {
						cl := g*maxKinds + k
						s.cell.sPlan[cl] = s.cell.floor[cl] * ration
					}
				}
			}
		}
	}
	st.minutes = minutes
	p.access += 0.5 * (1 - b.waitElast*unmet - p.access)
}
