package model

// planVolume sets, per need group, the duty floor and the intensity the provider would
// choose at the year plan's marginal revenue (§4.1), and sums this period's visits and
// ceiling revenue at both for the ceiling plan.
func (s *sim) planVolume(p *provider, st *stepState) {
	v := s.v
	b := &v.beh
	ru, invP := st.ru, st.invP
	planX := s.marginalBand(p, ru)
	floorVisits, planGross, floorGross := 0.0, 0.0, 0.0
	for g := range v.groups {
		gr := &v.groups[g]
		floor := minf(b.dutyFloor*gr.demand*p.access, gr.smax)
		sg := s.intensity(p, ru, g, planX, floor)
		st.floor[g], st.sPlan[g] = floor, sg
		persons := p.n * p.mix[g] * invP
		floorVisits += persons * floor
		r := s.ceilingRevenue(p, ru, g)
		planGross += persons * sg * r
		floorGross += persons * floor * r
	}
	st.floorVisits, st.planGross, st.floorGross = floorVisits, planGross, floorGross
}

// decide paces the planned intensities by the ceiling plan's share lam of the
// discretionary margin, adds decision noise, and sums the visits wanted.
func (s *sim) decide(p *provider, st *stepState, lam float64) {
	v := s.v
	b := &v.beh
	wanted := 0.0
	noisy := b.noise > 0 && b.discretionary
	if noisy {
		// One stream for all groups: the draws do not depend on the plan, so variants
		// stay on common random numbers.
		s.rs.sub(purposeNoise, 0)
	}
	for g := range v.groups {
		sg := st.floor[g] + lam*(st.sPlan[g]-st.floor[g])
		if noisy {
			sg *= v.noise.draw(s.rs.r.Uint64())
			sg = clamp(sg, st.floor[g], v.groups[g].smax)
		}
		st.sPlan[g] = sg
		wanted += p.n * p.mix[g] * sg * st.invP
	}
	st.wanted = wanted
}

// realiseVisits draws the period's visits per need group around the planned intensity,
// prices the fee and case revenue they earn, and values the health benefit at the
// realised intensity and the period's true quality.
func (s *sim) realiseVisits(p *provider, st *stepState) {
	v := s.v
	b := &v.beh
	ru := st.ru
	P, invP, q, counted := st.P, st.invP, st.q, st.counted
	fa := &s.forms[p.form]
	visits, booked, gross, grossCase, benefit := 0.0, 0.0, 0.0, 0.0, 0.0
	for g := range v.groups {
		gr := &v.groups[g]
		persons := p.n * p.mix[g]
		mean := persons * st.sPlan[g] * invP
		x := mean
		if b.poisson {
			x = poisson(s.rs.sub(purposeVisits, g), mean)
		}
		// x is booked; the no-shows' slots are spent, the rest attend (issue 13).
		booked += x
		if gr.noShow > 0 {
			x *= 1 - gr.noShow
		}
		visits += x
		if ru.hasFee {
			gross += x * ru.fee * ru.feeMult(s.year) * p.priceMult
		}
		if ru.hasCase {
			gc := x * s.casePrice(p, ru, g)
			gross += gc
			grossCase += gc
		}
		// Benefit at the realised intensity.
		bg := 0.0
		if persons > 0 {
			// n·β·(s − s²/(2s*))/P at the realised intensity s = x·P/n.
			bg = gr.beta * x * (1 - x*P/(persons*2*gr.sstar)) * q
		}
		benefit += bg
		if counted {
			opt := persons * gr.sstar * invP
			fa.visitsG[g] += x
			fa.overG[g] += maxf(0, x-opt)
			fa.underG[g] += maxf(0, opt-x)
			fa.benefitG[g] += bg
			fa.personYearsG[g] += persons * invP
		}
	}
	st.visits, st.booked, st.gross, st.grossCase, st.benefit = visits, booked, gross, grossCase, benefit
}

// intensity is the visits per person-year a provider chooses for group g when its
// marginal fee and case revenue is x times the full price (§4.1), bounded to
// [floor, s_max].
func (s *sim) intensity(p *provider, ru *rule, g int, x, floor float64) float64 {
	v := s.v
	b := &v.beh
	gr := &v.groups[g]
	if !b.discretionary {
		return minf(gr.demand*p.access, gr.smax)
	}
	m := x * s.ceilingRevenue(p, ru, g)
	net := m - p.cost - s.claimAdm[p.cohortRule(v)]
	w := p.alpha * v.healthValue * gr.beta
	var sg float64
	switch {
	case w > 0:
		sg = gr.sstar * (1 + net/w)
	case net > 0:
		sg = gr.smax
	default:
		sg = floor
	}
	return clamp(sg, floor, gr.smax)
}

func (p *provider) cohortRule(v *Variant) int { return v.cohorts[p.cohort].rule }
