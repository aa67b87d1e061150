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
		p.planX = ceilingBand(ru, p.cumGross)
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

// ceilingRevenue is the fee and case revenue of one visit of group g at full price.
func (s *sim) ceilingRevenue(p *provider, ru *rule, g int) float64 {
	r := 0.0
	if ru.hasFee {
		r += ru.fee * ru.feeMult(s.year) * p.priceMult
	}
	if ru.hasCase {
		r += s.casePrice(p, ru, g)
	}
	return r
}

// ceilingPaid is what a year's cumulative gross ceiling revenue X (at full price)
// actually pays: in full up to tak 1, the reduced share up to tak 2, nothing beyond.
func ceilingPaid(ru *rule, X float64) float64 {
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
func ceilingBand(ru *rule, X float64) float64 {
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
	annual := func(x float64) (gross, visits float64) {
		for g, gr := range s.v.groups {
			floor := minf(s.v.beh.dutyFloor*gr.demand*p.access, gr.smax)
			sg := s.intensity(p, ru, g, x, floor)
			n := p.n * p.mix[g] * sg
			gross += n * s.ceilingRevenue(p, ru, g)
			visits += n
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
	full, vFull := annual(1)
	if full <= ru.tak1 {
		return
	}
	red, vRed := annual(ru.reduced)
	if red < ru.tak1 {
		p.planTarget = safety(ru.tak1, full, vFull)
		return
	}
	x2 := ru.tak1
	if ru.reduced > 0 {
		x2 = ru.tak1 + (ru.tak2-ru.tak1)/ru.reduced
	}
	if red <= x2 {
		p.planX = ru.reduced
		return
	}
	zero, _ := annual(0)
	if zero >= x2 {
		p.planX = 0
		return
	}
	p.planX = ru.reduced
	p.planTarget = safety(x2, red, vRed)
}
