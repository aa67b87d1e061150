package model

import "math"

// yearPlan makes the year's volume plan at the start of each year (§4.1: ceilings are
// annual, so providers plan the year). It is kept small enough to inline.
func (s *sim) yearPlan(p *provider, st *stepState) {
	if st.pt == 0 {
		s.planYear(p, st.ru)
	}
}

// marginalBand is the share of the full price a provider plans at: the year plan's, or,
// for one that does not plan ahead, the marginal fee of the band its year's revenue is
// in.
func (s *sim) marginalBand(p *provider, ru *rule) float64 {
	if ru.hasCeiling && !s.v.beh.ceilings {
		p.planX = ceilingBand(s.kinkOf(p, ru), p.cumGross)
	}
	return p.planX
}

// noTarget is the plan target of a year with no kink to aim at.
var noTarget = math.Inf(1)

// ceilingPace aims the rest of the year at the plan's target revenue: it returns the
// share of the discretionary margin above the duty floor that keeps the year on target
// (1 without a target; the check is kept small enough to inline).
func (s *sim) ceilingPace(p *provider, st *stepState) float64 {
	if p.planTarget != noTarget && st.planGross > st.floorGross {
		return s.paceToTarget(p, st)
	}
	return 1
}

// paceToTarget is ceilingPace for a plan with a target.
func (s *sim) paceToTarget(p *provider, st *stepState) float64 {
	left := float64(s.v.periodsPerYr - st.pt)
	perPeriod := (p.planTarget - p.cumGross) / left
	return clamp((perPeriod-st.floorGross)/(st.planGross-st.floorGross), 0, 1)
}

// ceilingRevenue is the fee and case revenue of one visit of group g and kind k at full
// price.
func (s *sim) ceilingRevenue(p *provider, ru *rule, g, k int) float64 {
	r := 0.0
	if ru.hasFee {
		r += ru.feeOf(k) * ru.feeMult(s.year) * p.priceMult
	}
	if ru.hasCase {
		r += s.casePrice(p, ru, g)
	}
	return r
}

// kink is a provider's ceiling: tak 1 and tak 2 in SEK a year, and the share paid
// between them.
type kink struct{ tak1, tak2, reduced float64 }

// kinkOf is the ceiling of rule ru for provider p: the rule's, or, for a ceiling per
// listed person, the rule's times the provider's list and the year's fee_schedule
// multiplier (a cap of so many visits per person stays so many visits when the fee
// changes).
func (s *sim) kinkOf(p *provider, ru *rule) kink {
	if ru.perPerson {
		m := p.n * ru.feeMult(s.year)
		return kink{ru.tak1 * m, ru.tak2 * m, ru.reduced}
	}
	return kink{ru.tak1, ru.tak2, ru.reduced}
}

// ceilingPaid is what a year's cumulative gross ceiling revenue X (at full price)
// actually pays: in full up to tak 1, the reduced share up to tak 2, nothing beyond.
func ceilingPaid(ru kink, X float64) float64 {
	if X <= ru.tak1 {
		return X
	}
	if ru.reduced <= 0 {
		return ru.tak1
	}
	x2 := ru.tak1 + (ru.tak2-ru.tak1)/ru.reduced
	if X <= x2 {
		return ru.tak1 + ru.reduced*(X-ru.tak1)
	}
	return ru.tak2
}

// ceilingBand is the share of the fee paid at the margin when the year's gross ceiling
// revenue is X.
func ceilingBand(ru kink, X float64) float64 {
	switch {
	case X < ru.tak1:
		return 1
	case ru.reduced > 0 && X < ru.tak1+(ru.tak2-ru.tak1)/ru.reduced:
		return ru.reduced
	}
	return 0
}

// planYear sets the year's volume plan against the kinked annual revenue schedule
// (§4.1): a provider whose optimum lies on a flat part of the schedule plans there; one
// whose optimum falls on a kink plans to stop a little below it, allowing for random
// overshoot.
func (s *sim) planYear(p *provider, ru *rule) {
	p.cumGross = 0
	p.planX, p.planTarget = 1, noTarget
	if !ru.hasCeiling || !s.v.beh.ceilings {
		return
	}
	c := &s.v.cohorts[p.cohort]
	pv := s.perVisit(p, ru, c)
	annual := func(x float64) (gross, visits float64) {
		for g := range s.v.groups {
			for _, k := range c.kinds {
				d, sstar, smax := s.cellBounds(g, k)
				kd := &s.v.kinds[k]
				if kd.patient {
					smax = minf(smax, d*p.access)
				}
				floor := minf(s.v.beh.dutyFloor*d*p.access, smax)
				r := pv.revenue(p, ru, g, k)
				sg := s.intensity(p, &pv, g, kd, x, r, floor, d, sstar, smax)
				n := p.n * p.mix[g] * sg
				gross += n * r
				visits += n
			}
		}
		return gross, visits
	}
	safety := func(target, gross, visits float64) float64 {
		if visits <= 0 {
			return target
		}
		perVisit := gross / visits
		return target - s.v.beh.safetyZ*math.Sqrt(target/perVisit)*perVisit
	}
	k := s.kinkOf(p, ru)
	full, vFull := annual(1)
	if full <= k.tak1 {
		return
	}
	red, vRed := annual(k.reduced)
	if red < k.tak1 {
		p.planTarget = safety(k.tak1, full, vFull)
		return
	}
	x2 := k.tak1
	if k.reduced > 0 {
		x2 = k.tak1 + (k.tak2-k.tak1)/k.reduced
	}
	if red <= x2 {
		p.planX = k.reduced
		return
	}
	zero, _ := annual(0)
	if zero >= x2 {
		p.planX = 0
		return
	}
	p.planX = k.reduced
	p.planTarget = safety(x2, red, vRed)
}
