package model

// A provider chooses its volume per cell, a need group g and a visit kind k (issue 13);
// a scenario without visit kinds has one kind whose factors are 1, so a cell is a need
// group. Cell index: g·maxKinds + k.

// cellBounds returns the demand, patient-optimal and maximum visits per person-year of
// need group g for kind k (setBounds computes them once a period).
func (s *sim) cellBounds(g, k int) (d, sstar, smax float64) {
	b := &s.bounds[g*maxKinds+k]
	return b[0], b[1], b[2]
}

// setBounds computes every cell's demand, patient optimum and maximum: the group's
// times the kind's share, shrunk by last period's substituting visits, with the patient
// fee's effect on demand for patient-initiated kinds. They change only when
// substitution does, so they are computed at the start and after each period's
// substitution, not per provider.
func (s *sim) setBounds() {
	for g := range s.v.groups {
		gr := &s.v.groups[g]
		for k := range s.v.kinds {
			kd := &s.v.kinds[k]
			sh := kd.share[g] * s.subF[k][g]
			s.bounds[g*maxKinds+k] = [3]float64{gr.demand * sh * kd.demandMult, gr.sstar * sh, gr.smax * sh}
		}
	}
}

// planVolume sets, per cell, the duty floor and the intensity the provider would choose
// at the year plan's marginal revenue (§4.1), and sums this period's visits (weighted by
// the kinds' minutes) and ceiling revenue at both for the ceiling plan.
func (s *sim) planVolume(p *provider, st *stepState) {
	v := s.v
	b := &v.beh
	ru, invP := st.ru, st.invP
	planX := s.marginalBand(p, ru)
	pv := s.perVisit(p, ru, st.c)
	floorVisits, planGross, floorGross := 0.0, 0.0, 0.0
	for g := range v.groups {
		persons := p.n * p.mix[g] * invP
		for _, k := range st.c.kinds {
			cl := g*maxKinds + k
			kd := &v.kinds[k]
			bd := &s.bounds[cl]
			d, sstar, smax := bd[0], bd[1], bd[2]
			if kd.patient {
				smax = minf(smax, d*p.access)
			}
			floor := minf(b.dutyFloor*d*p.access, smax)
			r := pv.revenue(p, ru, g, k)
			sg := s.intensity(p, &pv, g, kd, planX, r, floor, d, sstar, smax)
			s.cell.floor[cl], s.cell.sPlan[cl], s.cell.sstar[cl], s.cell.smax[cl] = floor, sg, sstar, smax
			floorVisits += persons * floor * kd.minutes
			planGross += persons * sg * r
			floorGross += persons * floor * r
		}
	}
	st.floorVisits, st.planGross, st.floorGross = floorVisits, planGross, floorGross
}

// visitTerms are what intensityAt and the ceiling revenue of a visit need that is the
// same for every cell of a provider-period, computed once rather than per cell (issue
// 17): the year's fee multiplier, the admin cost of a claim and the provider's altruism
// times the value of health. Each is the very product the per-cell code computed, so
// results are unchanged.
type visitTerms struct {
	feeMult  float64 // ru.feeMult(s.year)
	claimAdm float64 // s.claimAdm of the provider's rule
	alphaHV  float64 // p.alpha · v.healthValue
	groups   int     // need groups
}

func (s *sim) perVisit(p *provider, ru *rule, c *cohort) visitTerms {
	return visitTerms{feeMult: ru.feeMult(s.year), claimAdm: s.claimAdm[c.rule], alphaHV: p.alpha * s.v.healthValue, groups: len(s.v.groups)}
}

// revenue is ceilingRevenue(p, ru, g, k) with the year's fee multiplier at hand.
func (pv *visitTerms) revenue(p *provider, ru *rule, g, k int) float64 {
	r := 0.0
	if ru.hasFee {
		r += ru.feeOf(k) * pv.feeMult * p.priceMult
	}
	if ru.hasCase {
		price := ru.casePrice[g]
		if g+1 < pv.groups {
			price += p.upcode[g] * (ru.casePrice[g+1] - ru.casePrice[g])
		}
		r += price * pv.feeMult * p.priceMult // casePrice
	}
	return r
}

// decide paces the planned intensities by the ceiling plan's share lam of the
// discretionary margin, adds decision noise, and sums the visits wanted (weighted by the
// kinds' minutes).
func (s *sim) decide(p *provider, st *stepState, lam float64) {
	v := s.v
	b := &v.beh
	wanted := 0.0
	noisy := b.noise > 0 && b.discretionary
	if noisy {
		// One stream for all cells: the draws do not depend on the plan, so variants
		// stay on common random numbers.
		s.rs.sub(purposeNoise, 0)
	}
	for g := range v.groups {
		persons := p.n * p.mix[g]
		for _, k := range st.c.kinds {
			cl := g*maxKinds + k
			floor := s.cell.floor[cl]
			sg := floor + lam*(s.cell.sPlan[cl]-floor)
			if noisy {
				sg *= v.noise.draw(s.rs.pcg.Uint64())
				sg = clamp(sg, floor, s.cell.smax[cl])
			}
			s.cell.sPlan[cl] = sg
			wanted += persons * sg * st.invP * v.kinds[k].minutes
		}
	}
	st.wanted = wanted
}

// realiseOneKind is realiseVisits for a scenario without visit kinds: one kind whose
// factors are 1 (minutes, cost, claim, benefit), no patient fee, no substitution and
// no series by kind, so a cell is a need group. It leaves out the products by 1 and the
// branches that cannot be taken, and computes exactly what realiseVisits computes (a
// product by 1 is exact): results are byte-identical (issue 17).
func (s *sim) realiseOneKind(p *provider, st *stepState) {
	v := s.v
	b := &v.beh
	ru := st.ru
	P, invP, q, counted := st.P, st.invP, st.q, st.counted
	fa := &s.forms[p.form]
	visits, booked, gross, grossCase, benefit := 0.0, 0.0, 0.0, 0.0, 0.0
	bookedEq, costVisits, claimVisits := 0.0, 0.0, 0.0
	feeYear := ru.feeMult(s.year)
	fee := ru.feeOf(0)
	for g := range v.groups {
		gr := &v.groups[g]
		persons := p.n * p.mix[g]
		cl := g * maxKinds
		mean := persons * s.cell.sPlan[cl] * invP
		x := mean
		if b.poisson {
			x = poisson(s.rs.src(purposeVisits, g), mean)
		}
		booked += x
		bookedEq += x
		if gr.noShow > 0 {
			x *= 1 - gr.noShow
		}
		visits += x
		costVisits += x
		claimVisits += x
		if ru.hasFee {
			gross += x * fee * feeYear * p.priceMult
		}
		if ru.hasCase {
			gc := x * s.casePrice(p, ru, g)
			gross += gc
			grossCase += gc
		}
		bg := 0.0
		sstar := s.cell.sstar[cl]
		if persons > 0 && sstar > 0 {
			bg = gr.beta * x * (1 - x*P/(persons*2*sstar)) * q
		}
		benefit += bg
		if counted {
			opt := persons * sstar * invP
			fa.visitsG[g] += x
			fa.visitsK[0] += x
			fa.overG[g] += maxf(0, x-opt)
			fa.underG[g] += maxf(0, opt-x)
			fa.benefitG[g] += bg
			fa.personYearsG[g] += persons * invP
		}
	}
	st.visits, st.booked, st.gross, st.grossCase, st.benefit = visits, booked, gross, grossCase, benefit
	st.bookedEq, st.costVisits, st.claimVisits = bookedEq, costVisits, claimVisits
	st.patientFees, st.pfDeduct = 0, 0
}

// realiseVisits draws the period's visits per cell around the planned intensity, prices
// the fee and case revenue they earn and the patient fees, and values the health benefit
// at the realised intensity and the period's true quality.
func (s *sim) realiseVisits(p *provider, st *stepState) {
	v := s.v
	if !v.hasKinds {
		s.realiseOneKind(p, st)
		return
	}
	b := &v.beh
	ru := st.ru
	P, invP, q, counted := st.P, st.invP, st.q, st.counted
	fa := &s.forms[p.form]
	visits, booked, gross, grossCase, benefit := 0.0, 0.0, 0.0, 0.0, 0.0
	bookedEq, costVisits, claimVisits, pfees, pfDeduct := 0.0, 0.0, 0.0, 0.0, 0.0
	feeYear := ru.feeMult(s.year)
	for g := range v.groups {
		gr := &v.groups[g]
		persons := p.n * p.mix[g]
		for _, k := range st.c.kinds {
			kd := &v.kinds[k]
			cl := g*maxKinds + k
			mean := persons * s.cell.sPlan[cl] * invP
			x := mean
			if b.poisson {
				x = poisson(s.rs.src(purposeVisits, g+maxGroups*k), mean)
			}
			// x is booked; the no-shows' slots are spent, the rest attend (issue 13).
			booked += x
			bookedEq += x * kd.minutes
			if gr.noShow > 0 {
				x *= 1 - gr.noShow
			}
			visits += x
			costVisits += x * kd.cost
			claimVisits += x * kd.claim
			if ru.hasFee {
				gross += x * ru.feeOf(k) * feeYear * p.priceMult
			}
			if ru.hasCase {
				gc := x * s.casePrice(p, ru, g)
				gross += gc
				grossCase += gc
			}
			if kd.patientFee > 0 {
				pfees += x * kd.patientFee
				unit := 0.0
				if ru.hasFee {
					unit = ru.feeOf(k) * feeYear * p.priceMult
				}
				pfDeduct += x * minf(kd.patientFee, unit)
			}
			// Benefit at the realised intensity.
			bg := 0.0
			sstar := s.cell.sstar[cl]
			if persons > 0 && sstar > 0 {
				// n·β·(s − s²/(2s*))/P at the realised intensity s = x·P/n.
				bg = gr.beta * kd.benefit * x * (1 - x*P/(persons*2*sstar)) * q
			}
			benefit += bg
			if v.substitutes {
				s.kindNow[k][g] += x
			}
			if counted {
				opt := persons * sstar * invP
				fa.visitsG[g] += x
				fa.visitsK[k] += x
				if s.tsKinds != nil {
					s.tsKinds[st.ci][k] += x
				}
				fa.overG[g] += maxf(0, x-opt)
				fa.underG[g] += maxf(0, opt-x)
				fa.benefitG[g] += bg
			}
		}
		if counted {
			fa.personYearsG[g] += persons * invP
		}
	}
	st.visits, st.booked, st.gross, st.grossCase, st.benefit = visits, booked, gross, grossCase, benefit
	st.bookedEq, st.costVisits, st.claimVisits = bookedEq, costVisits, claimVisits
	st.patientFees, st.pfDeduct = pfees, pfDeduct
}

// intensity is the visits per person-year a provider chooses for need group g and kind
// kd when its marginal fee and case revenue is x times the full price r of a visit
// (§4.1), bounded to [floor, smax]; d and sstar are the cell's demand and patient
// optimum, pv the provider-period's visitTerms.
func (s *sim) intensity(p *provider, pv *visitTerms, g int, kd *kind, x, r, floor, d, sstar, smax float64) float64 {
	if !s.v.beh.discretionary {
		return minf(d*p.access, smax)
	}
	m := x * r
	if kd.patientFee > m {
		// The provider keeps a patient fee above the fee (MODEL.md §3).
		m = kd.patientFee
	}
	net := m - p.cost*kd.cost - pv.claimAdm*kd.claim
	w := pv.alphaHV * s.v.groups[g].beta * kd.benefit
	var sg float64
	switch {
	case w > 0:
		sg = sstar * (1 + net/w)
	case net > 0:
		sg = smax
	default:
		sg = floor
	}
	return clamp(sg, floor, smax)
}

func (p *provider) cohortRule(v *Variant) int { return v.cohorts[p.cohort].rule }
