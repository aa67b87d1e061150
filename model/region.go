package model

import (
	"math"
)

// region runs the region-level events after every provider has had period t (§4.6):
// audit targeting, patients' choice and cream-skimming under LOV, entry, exit,
// transfers and re-tendering.
func (s *sim) region(t int) {
	v := s.v
	P := v.periodsPerYr
	counted := t >= v.burnIn
	s.targetAudits()
	s.buildMarkets()
	if v.beh.skimming {
		s.skim()
	}
	if v.beh.choice {
		s.choose()
	}
	if v.beh.entry {
		s.exitLOV(t, counted)
		s.enterLOV(t, counted)
		if t%P == P-1 {
			s.transfers(t)
			s.newEstablishments(t, counted)
		}
		s.retender(t)
	}
	if t%P == P-1 {
		s.closeYear(counted)
	}
	s.grow(t)
}

// grow records period t's residents and lets every list grow (or shrink) with the
// population for the next period: newcomers list where residents already are.
func (s *sim) grow(t int) {
	v := s.v
	if ci := t - v.burnIn; ci >= 0 {
		s.ts[ci][tsResidents] = s.residents
	}
	if s.growP == 1 {
		return
	}
	s.residents *= s.growP
	for i := range s.providers {
		if p := &s.providers[i]; p.active {
			p.n *= s.growP
		}
	}
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

// markets calls f for every LOV market (cohort × area) with the indices of its active
// providers. The member lists are built once per period (buildMarkets) and kept in step
// with exits and entries, rather than found by scanning every slot for each market.
func (s *sim) markets(f func(ci, area int, members []int)) {
	nA := len(s.v.areas)
	for k, m := range s.mkt {
		if len(m) > 0 {
			f(k/nA, k%nA, m)
		}
	}
}

// buildMarkets groups the active LOV providers by market.
func (s *sim) buildMarkets() {
	v := s.v
	nA := len(v.areas)
	if s.mkt == nil {
		s.mkt = make([][]int, len(v.cohorts)*nA)
	}
	for k := range s.mkt {
		s.mkt[k] = s.mkt[k][:0]
	}
	for ci := range v.cohorts {
		if v.cohorts[ci].form != formLOV {
			continue
		}
		for i := s.slotStart[ci]; i < s.slotStart[ci+1]; i++ {
			if p := &s.providers[i]; p.active {
				s.mkt[p.market] = append(s.mkt[p.market], i)
			}
		}
	}
}

// leave removes provider i from its market's member list.
func (s *sim) leave(i int) {
	m := s.mkt[s.providers[i].market]
	for k, j := range m {
		if j == i {
			s.mkt[s.providers[i].market] = append(m[:k], m[k+1:]...)
			return
		}
	}
}

// choose moves LOV lists toward the patients' choice: each period a share of patients
// (the active choosers who reconsider) re-lists with probabilities softmax(θ·(true
// quality + access)), Glenngård et al. 2011.
func (s *sim) choose() {
	v := s.v
	b := &v.beh
	rate := b.activeShare * b.reconsider / float64(v.periodsPerYr)
	if rate <= 0 {
		return
	}
	s.markets(func(ci, a int, m []int) {
		if len(m) < 2 {
			return
		}
		total, norm, top := 0.0, 0.0, math.Inf(-1)
		for _, i := range m {
			p := &s.providers[i]
			total += p.n
			top = math.Max(top, b.theta*(p.quality+p.access))
		}
		w := s.weights[:0]
		for _, i := range m {
			p := &s.providers[i]
			x := math.Exp(b.theta*(p.quality+p.access) - top)
			w = append(w, x)
			norm += x
		}
		for k, i := range m {
			p := &s.providers[i]
			p.n += rate * (total*w[k]/norm - p.n)
		}
		s.weights = w
	})
}

// skim tilts LOV lists toward need groups whose capitation exceeds their expected cost
// (§4.3): the tilt target grows with the provider's gaming propensity and with the gap
// between the risk weight paid and the group's cost weight, and is bounded. Group totals
// in each market are then restored, so patients one provider avoids end up with the
// others.
func (s *sim) skim() {
	v := s.v
	b := &v.beh
	G := len(v.groups)
	s.markets(func(ci, a int, m []int) {
		c := &v.cohorts[ci]
		ru := &v.rules[c.rule]
		if !ru.hasCap {
			return
		}
		w := &s.capW[c.rule]
		var before, after [maxGroups]float64
		for _, i := range m {
			p := &s.providers[i]
			for g := range G {
				before[g] += p.n * p.mix[g]
			}
			if p.gaming == 0 {
				continue
			}
			norm := 0.0
			for g := range G {
				target := clamp(b.skimStrength*p.gaming*(w[g]-v.groups[g].costWeight), -b.skimMax, b.skimMax)
				p.tilt[g] += b.skimSpeed * (target - p.tilt[g])
				p.mix[g] = v.areas[a].mix[g] * math.Exp(p.tilt[g])
				norm += p.mix[g]
			}
			for g := range G {
				p.mix[g] /= norm
			}
		}
		for _, i := range m {
			p := &s.providers[i]
			for g := range G {
				after[g] += p.n * p.mix[g]
			}
		}
		for _, i := range m {
			p := &s.providers[i]
			n := 0.0
			for g := range G {
				if after[g] > 0 {
					p.mix[g] *= before[g] / after[g]
				}
				n += p.mix[g]
			}
			if n > 0 {
				for g := range G {
					p.mix[g] /= n
				}
				p.n *= n
			}
		}
	})
}

// exitLOV closes LOV providers whose margin has stayed below the exit threshold for
// exit_periods periods; publicly owned units do not exit. Their patients re-list with
// the others in the market.
func (s *sim) exitLOV(t int, counted bool) {
	v := s.v
	b := &v.beh
	s.markets(func(ci, a int, m []int) {
		for _, i := range m {
			p := &s.providers[i]
			if p.marginRate < b.exitThreshold {
				p.belowExit++
			} else {
				p.belowExit = 0
			}
			if p.belowExit < b.exitPeriods || v.cohorts[ci].public || len(m) < 2 {
				continue
			}
			s.redistribute(p, m)
			p.active = false
			s.leave(i)
			if counted {
				s.forms[p.form].exits++
			}
			return // one exit per market and period keeps the market from emptying at once
		}
	})
}

// redistribute gives a leaving provider's patients to the others in its market in
// proportion to their lists.
func (s *sim) redistribute(p *provider, m []int) {
	G := len(s.v.groups)
	rest := 0.0
	for _, j := range m {
		if q := &s.providers[j]; q != p && q.active {
			rest += q.n
		}
	}
	if rest == 0 {
		return
	}
	for _, j := range m {
		q := &s.providers[j]
		if q == p || !q.active {
			continue
		}
		share := q.n / rest
		total := q.n + p.n*share
		for g := range G {
			q.mix[g] = (q.n*q.mix[g] + p.n*share*p.mix[g]) / total
		}
		q.n = total
	}
}

// enterLOV lets new providers into LOV markets: entrants arrive as Poisson with a rate
// that grows with the market's smoothed margin above the entry threshold and favours
// already well-served areas (location_bias; Agerholm et al. 2015). An entrant starts
// with a list of entrant_list_share of the market mean, taken from the others.
func (s *sim) enterLOV(t int, counted bool) {
	v := s.v
	b := &v.beh
	P := float64(v.periodsPerYr)
	// Providers per resident by market, for the location bias.
	s.markets(func(ci, a int, m []int) {
		c := &v.cohorts[ci]
		if c.maxEntrants == 0 {
			return
		}
		mr, total := 0.0, 0.0
		for _, i := range m {
			p := &s.providers[i]
			mr += p.marginRate * p.n
			total += p.n
		}
		if total == 0 {
			return
		}
		mr /= total
		excess := (mr - b.lovThreshold) / b.lovScale
		if excess <= 0 {
			return
		}
		density := float64(len(m)) / v.areas[a].share
		meanDensity := float64(s.countActive(ci))
		bias := 1.0
		if meanDensity > 0 {
			bias = math.Exp(b.locationBias * (density/meanDensity - 1))
		}
		rate := b.lovRate * excess * bias / P
		k := int(poisson(s.rs.at(c.key, t, purposeEntry, a), rate))
		for range k {
			slot := s.freeSlot(ci)
			if slot < 0 {
				return
			}
			q := &s.providers[slot]
			s.initProvider(q, ci, slot-s.slotStart[ci], a, 0)
			q.n = b.entrantShare * total / float64(len(m))
			for _, i := range m {
				p := &s.providers[i]
				p.n *= 1 - q.n/total
			}
			q.marginRate = mr
			s.mkt[q.market] = append(s.mkt[q.market], slot)
			if counted {
				s.forms[q.form].entries++
			}
		}
	})
}

func (s *sim) countActive(ci int) int {
	n := 0
	for i := s.slotStart[ci]; i < s.slotStart[ci+1]; i++ {
		if s.providers[i].active {
			n++
		}
	}
	return n
}

// freeSlot returns the first never-used entry slot of a cohort, or −1. Slots are used in
// order so an entrant's identity (and its random draws) does not depend on the variant.
func (s *sim) freeSlot(ci int) int {
	c := &s.v.cohorts[ci]
	for i := s.slotStart[ci] + c.count; i < s.slotStart[ci+1]; i++ {
		if p := &s.providers[i]; !p.active && p.slot == 0 {
			return i
		}
	}
	return -1
}

// transfers: each year a share of LOL/LOF establishments passes to a new holder drawn
// from the same population; the region cannot refuse (prop. 2008/09:64).
func (s *sim) transfers(t int) {
	v := s.v
	for i := range s.providers {
		p := &s.providers[i]
		if !p.active || (p.form != formLOL && p.form != formLOF) {
			continue
		}
		if s.rs.at(p.slot, t, purposeTransfer, 0).Float64() < v.beh.transferRate {
			s.newHolder(p, i)
		}
	}
}

// newHolder replaces a provider's holder, keeping its slot, list and contract.
func (s *sim) newHolder(p *provider, i int) {
	ci := p.cohort
	keep := *p
	s.initProvider(p, ci, i-s.slotStart[ci], keep.area, keep.gen+1)
	p.n, p.mix, p.access = keep.n, keep.mix, keep.access
	p.contractPrice = keep.contractPrice
	p.priceMult = s.v.rules[s.v.cohorts[ci].rule].scale * p.priceFactor * p.contractPrice
	p.cumGross, p.planX, p.planTarget = keep.cumGross, keep.planX, keep.planTarget
	p.qualYear, p.periodsYear = keep.qualYear, keep.periodsYear
	p.detectedYear, p.sanctionedYear = keep.detectedYear, keep.sanctionedYear
}

// newEstablishments opens new LOL/LOF establishments by region decision.
func (s *sim) newEstablishments(t int, counted bool) {
	v := s.v
	if v.beh.newEst <= 0 {
		return
	}
	for ci := range v.cohorts {
		c := &v.cohorts[ci]
		if c.form != formLOL && c.form != formLOF {
			continue
		}
		k := int(poisson(s.rs.at(c.key, t, purposeNewEst, 0), v.beh.newEst))
		for range k {
			slot := s.freeSlot(ci)
			if slot < 0 {
				break
			}
			s.initProvider(&s.providers[slot], ci, slot-s.slotStart[ci], -1, 0)
			if counted {
				s.forms[c.form].entries++
			}
		}
	}
}

// retender ends LOU contracts: contracts are staggered over the contract length; at the
// end the contract goes to a new holder at a price drawn around the old one and adjusted
// for the winner's cost.
func (s *sim) retender(t int) {
	v := s.v
	length := int(math.Round(v.beh.louYears * float64(v.periodsPerYr)))
	if length <= 0 {
		return
	}
	for ci := range v.cohorts {
		if v.cohorts[ci].form != formLOU {
			continue
		}
		for i := s.slotStart[ci]; i < s.slotStart[ci+1]; i++ {
			p := &s.providers[i]
			k := i - s.slotStart[ci]
			if !p.active || t == 0 || (t+k*v.periodsPerYr)%length != 0 {
				continue
			}
			oldCost, oldPrice := p.cost, p.contractPrice
			s.newHolder(p, i)
			z := s.rs.at(p.slot, t, purposeTransfer, 1).NormFloat64()
			sd := v.beh.louPriceSD
			adj := 1.0
			if oldCost > 0 && p.cost > 0 {
				adj = math.Sqrt(p.cost / oldCost)
			}
			p.contractPrice = oldPrice * math.Exp(sd*z-sd*sd/2) * adj
			p.priceMult = v.rules[v.cohorts[ci].rule].scale * p.priceFactor * p.contractPrice
		}
	}
}

// closeYear counts deficient provider-years and whether follow-up found them.
func (s *sim) closeYear(counted bool) {
	b := &s.v.beh
	for i := range s.providers {
		p := &s.providers[i]
		if !p.active {
			continue
		}
		if counted && p.periodsYear > 0 && p.qualYear/p.periodsYear < b.deficient {
			fa := &s.forms[p.form]
			fa.defYears++
			if p.detectedYear {
				fa.detYears++
			}
		}
		if b.staffing {
			s.restaff(p)
		}
		p.wantMinYear, p.availMinYear = 0, 0
		p.qualYear, p.periodsYear, p.detectedYear, p.sanctionedYear = 0, 0, false, false
		p.visitsYear, p.revenueYear, p.marginYear, p.adminYear = 0, 0, 0, 0
	}
}

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
