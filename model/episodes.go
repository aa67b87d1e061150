package model

import (
	"math"

	"ersim/scenarios"
)

// Episodes (issue 14): care that arrives as episodes — a procedure with its stay and
// visits, complications whose probability falls with the provider's quality effort and
// rises with the patient's risk class, and reoperations for some of them. Cohorts with
// episodes = true do episodes instead of list-based visits; everything else in the
// engine is unchanged for the other cohorts.

const maxRisk = 4

// episodeSpec is a variant's [episodes].
type episodeSpec struct {
	incidence             float64 // per resident-year
	share, p0, los        [maxRisk]float64
	classes               int
	reopShare, compDays   float64
	bedCost, reopCost     float64
	visitMin, opMin       float64
	gain, loss            float64
	theta, k              float64
	selection, choiceWait float64
	dropout, capResp      float64
	refEffort             float64 // effort of a provider with reference altruism and no financial stake
	key                   uint64  // stream slot for arrivals
	meanP0                float64 // share-weighted complication rate at zero effort
	minorCost             float64 // cost of a complication not reoperated
	highest               int     // index of the highest risk class
	names                 [maxRisk]string
}

// epPay is a rule's [episode] payment.
type epPay struct {
	bundle, drg  float64 // one of them > 0
	warranty     bool
	covers       [maxRisk]bool
	perf, normal float64
	reopPrice    float64 // what the region pays for a reoperation without a warranty
}

func (v *Variant) compileEpisodes(e *scenarios.Episodes, b *behaviour) {
	if e == nil {
		return
	}
	ep := &episodeSpec{
		incidence: e.IncidencePer1000.Value / 1000, classes: len(e.RiskClasses),
		reopShare: e.ReoperationShare.Value, compDays: e.ComplicationDays.Value,
		bedCost: e.BedDayCost.Value, reopCost: e.ReoperationCost.Value,
		visitMin: e.VisitMinutes.Value, opMin: e.OperationMinutes.Value,
		gain: e.HealthGain.Value, loss: e.ComplicationLoss.Value,
		theta: e.EffortEffect.Value, k: e.EffortCost.Value,
		selection: e.Selection.Value, choiceWait: e.ChoiceWait.Value,
		dropout: e.WaitDropout.Value, capResp: e.CapacityResponse.Value,
		key: nameKey("episodes"), highest: len(e.RiskClasses) - 1,
	}
	for r, c := range e.RiskClasses {
		ep.share[r], ep.p0[r], ep.los[r], ep.names[r] = c.Share.Value, c.ComplicationRate.Value, c.LengthOfStay.Value, c.Name
		ep.meanP0 += c.Share.Value * c.ComplicationRate.Value
	}
	ep.minorCost = ep.compDays * ep.bedCost
	// The reference effort: a provider with the reference altruism whose complications
	// cost it nothing and earn it nothing.
	ep.refEffort = episodeEffort(ep, ep.meanP0, b.refAlpha*v.healthValue*ep.loss)
	v.ep = ep
}

func compileEpisodePay(e *scenarios.EpisodePayment, ep *episodeSpec) *epPay {
	if e == nil || ep == nil {
		return nil
	}
	pay := &epPay{bundle: e.Bundle.Value, drg: e.PerAdmission.Value, warranty: e.Warranty,
		perf: e.PerformanceShare.Value, normal: e.NormalRate.Value}
	pay.reopPrice = pay.drg
	if pay.drg <= 0 {
		pay.reopPrice = pay.bundle
	}
	if e.ReoperationPrice.Value > 0 {
		pay.reopPrice = e.ReoperationPrice.Value
	}
	for r := range ep.classes {
		pay.covers[r] = e.Covers == nil
		for _, n := range e.Covers {
			if n == ep.names[r] {
				pay.covers[r] = true
			}
		}
	}
	return pay
}

// episodeEffort is the quality effort that minimises k·e²/2 + P0·e^(−θe)·A per
// episode, where A is what a complication costs the provider (its altruistic loss plus
// its net financial loss): the root of k·e = θ·P0·A·e^(−θe), or 0 when A ≤ 0.
func episodeEffort(ep *episodeSpec, p0, A float64) float64 {
	if A <= 0 || p0 <= 0 {
		return 0
	}
	e := 0.0
	for range 50 {
		x := ep.theta * p0 * A * math.Exp(-ep.theta*e)
		g := ep.k*e - x
		d := ep.k + ep.theta*x
		step := g / d
		e -= step
		if math.Abs(step) < 1e-12*(1+e) {
			break
		}
	}
	return math.Max(0, e)
}

// complicationCost is the provider's net loss from one complication under rule pay:
// the reoperation's cost less what it is paid for it (nothing under a warranty), and the
// extra stay of a complication that is not reoperated.
func complicationCost(ep *episodeSpec, pay *epPay) float64 {
	reopPaid := 0.0
	if pay != nil && !pay.warranty {
		reopPaid = pay.reopPrice
	}
	return ep.reopShare*(ep.reopCost-reopPaid) + (1-ep.reopShare)*ep.minorCost
}

// chooseEpisodeEffort sets the provider's effort for its current mix of patients.
func (s *sim) chooseEpisodeEffort(p *provider, ru *rule) {
	ep := s.v.ep
	p0, n := 0.0, 0.0
	for r := range ep.classes {
		p0 += p.epQ[r] * ep.p0[r]
		n += p.epQ[r]
	}
	if n <= 0 {
		p0 = ep.meanP0
	} else {
		p0 /= n
	}
	A := p.alpha*s.v.healthValue*ep.loss + complicationCost(ep, ru.ep)
	p.epEffort = episodeEffort(ep, p0, A)
}

// accepts is the share of patients of risk class r a provider takes: 0 when its rule
// does not cover the class, 1 for a public provider or one whose expected margin on the
// class is not negative, and otherwise less the more it would lose (selection).
func (s *sim) accepts(p *provider, r int) float64 {
	v := s.v
	ep := v.ep
	c := &v.cohorts[p.cohort]
	ru := &v.rules[c.rule]
	if ru.ep != nil && !ru.ep.covers[r] {
		return 0
	}
	if c.public || ru.ep == nil {
		return 1
	}
	pr := s.episodePrice(p, ru)
	pc := ep.p0[r] * math.Exp(-ep.theta*p.epEffort)
	cost := p.cost + ep.los[r]*ep.bedCost + pc*complicationCost(ep, ru.ep) + ep.k*p.epEffort*p.epEffort/2
	margin := pr - cost
	if margin >= 0 || pr <= 0 {
		return 1
	}
	return clamp(1-p.gaming*ep.selection*(-margin)/pr, 0, 1)
}

// episodePrice is what the region pays for an episode's index admission.
func (s *sim) episodePrice(p *provider, ru *rule) float64 {
	if ru.ep == nil {
		return 0
	}
	base := ru.ep.bundle
	if ru.ep.drg > 0 {
		base = ru.ep.drg
	}
	return base * ru.feeMult(s.year) * p.priceMult
}

// episodeArrivals draws the period's episodes per risk class and assigns them to the
// providers' queues (§ issue 14): patients choose among the providers whose rule covers
// their class, weighted by capacity and waiting time; those a selecting provider turns
// away go to the providers that take every patient of the class.
func (s *sim) episodeArrivals(t int) {
	v := s.v
	ep := v.ep
	P := float64(v.periodsPerYr)
	// Patients queued at providers that have left come back to be placed again.
	var back [maxRisk]float64
	waitSum, waitW := 0.0, 0.0
	for i := range s.providers {
		p := &s.providers[i]
		if !v.cohorts[p.cohort].episodes {
			continue
		}
		if !p.active {
			for r := range ep.classes {
				back[r] += p.epQ[r]
				p.epQ[r] = 0
			}
			continue
		}
		q := 0.0
		for r := range ep.classes {
			q += p.epQ[r]
		}
		waitSum += q
		waitW += p.capacity / P
	}
	meanWaitYears := 0.0
	if waitW > 0 {
		meanWaitYears = waitSum / waitW / P
	}
	scale := math.Exp(-ep.dropout * meanWaitYears)
	for r := range ep.classes {
		lambda := ep.incidence * s.residents / P * ep.share[r] * scale
		a := poisson(s.rs.srcAt(ep.key, t, purposeEpisode, r), lambda) + back[r]
		if a <= 0 {
			continue
		}
		s.assignEpisodes(r, a, t >= v.burnIn)
	}
}

func (s *sim) assignEpisodes(r int, a float64, counted bool) {
	v := s.v
	ep := v.ep
	W, Wall := 0.0, 0.0
	for i := range s.providers {
		p := &s.providers[i]
		if !p.active || !v.cohorts[p.cohort].episodes {
			p.epW = 0
			continue
		}
		ru := &v.rules[v.cohorts[p.cohort].rule]
		if ru.ep != nil && !ru.ep.covers[r] {
			p.epW = 0
			continue
		}
		wait := p.epWait
		p.epW = p.capacity * math.Exp(-ep.choiceWait*wait)
		W += p.epW
	}
	if W <= 0 {
		if counted {
			s.epUnserved += a
		}
		return
	}
	rejected := 0.0
	for i := range s.providers {
		p := &s.providers[i]
		if p.epW <= 0 {
			continue
		}
		acc := s.accepts(p, r)
		got := a * p.epW / W
		p.epQ[r] += got * acc
		rejected += got * (1 - acc)
		if acc >= 1 {
			Wall += p.epW
		}
	}
	if rejected <= 0 {
		return
	}
	if Wall <= 0 {
		if counted {
			s.epUnserved += rejected
		}
		return
	}
	for i := range s.providers {
		p := &s.providers[i]
		if p.epW > 0 && s.accepts(p, r) >= 1 {
			p.epQ[r] += rejected * p.epW / Wall
		}
	}
}

// stepEpisodes is step for a provider that does episodes: motivation, quality effort,
// the period's operations from its queue, their complications, reoperations and stay,
// payment, administrative work and follow-up, the margin, and the records.
func (s *sim) stepEpisodes(p *provider, t int) {
	var st stepState
	s.begin(p, t, &st)
	v := s.v
	ep := v.ep
	b := &v.beh
	ru := st.ru
	P := st.P
	s.motivation(p, &st)
	s.chooseEpisodeEffort(p, ru)

	q := 0.0
	for r := range ep.classes {
		q += p.epQ[r]
	}
	capP := p.capacity / P
	ops := math.Min(q, capP)
	frac := 0.0
	if q > 0 {
		frac = ops / q
	}
	pm := math.Exp(-ep.theta * p.epEffort)
	var e epPeriod
	for r := range ep.classes {
		o := p.epQ[r] * frac
		p.epQ[r] -= o
		comp := o * ep.p0[r] * pm
		e.ops += o
		e.comps += comp
		e.los += o*ep.los[r] + comp*(1-ep.reopShare)*ep.compDays
		if r == ep.highest && ep.classes > 1 {
			e.high += o
		}
	}
	e.reops = e.comps * ep.reopShare
	left := q - e.ops
	p.epWait = 0
	if p.capacity > 0 {
		p.epWait = left / (p.capacity / 12) // months to clear the queue
	}
	e.wait = p.epWait
	p.epOpsYear += e.ops

	// Payment.
	st.pay[compBudget] = ru.budget * p.priceMult * st.invP
	if pay := ru.ep; pay != nil {
		price := s.episodePrice(p, ru)
		paid := e.ops * price
		if pay.perf > 0 && e.ops > 0 {
			rate := e.comps / e.ops
			score := clamp((2*pay.normal-rate)/pay.normal, 0, 1)
			paid = e.ops * price * (1 - pay.perf + pay.perf*score)
		}
		if !pay.warranty {
			paid += e.reops * pay.reopPrice * ru.feeMult(s.year) * p.priceMult
		}
		st.pay[compCase] = paid
	}
	e.pay = st.pay[compBudget] + st.pay[compCase]

	// Administrative work: a claim per admission (the reoperations too), the base hours.
	claims := e.ops + e.reops
	st.claimHours = claims * b.claimHours * ru.doc
	st.adminHours = b.baseHours*st.invP + st.claimHours
	st.regionHours = st.rg.regContract * st.invP
	p.quality = math.Exp(ep.theta * (p.epEffort - ep.refEffort))
	st.q = p.quality
	s.followUp(p, &st)

	// Costs and margin.
	cost := p.fte*p.costFTE*st.invP + e.ops*p.cost + e.los*ep.bedCost + e.reops*ep.reopCost +
		e.ops*ep.k*p.epEffort*p.epEffort/2
	e.cost = cost
	revenue := 0.0
	for _, x := range st.pay {
		revenue += x
	}
	adminCost := st.adminHours * b.hourly
	margin := revenue - cost - (1-b.clinShare)*adminCost
	p.revenue, p.margin = revenue, margin
	if revenue > 0 {
		p.marginRate += (margin/revenue - p.marginRate) * 2 * st.invP
	} else if cost > 0 {
		p.marginRate += (-1 - p.marginRate) * 2 * st.invP
	}
	st.benefit = e.ops*ep.gain - e.comps*ep.loss
	st.revenue, st.adminCost, st.resource, st.margin = revenue, adminCost, cost, margin
	p.qualYear += st.q
	p.periodsYear++
	p.visitsYear += e.ops
	p.revenueYear += revenue
	p.marginYear += margin
	p.adminYear += st.adminHours
	p.yr.claimH += st.claimHours
	p.yr.auditH += st.auditHours
	s.recordEpisodes(p, &st, &e)
}

// epPeriod is one provider's episodes in a period.
type epPeriod struct {
	ops, comps, reops, los, high, wait, pay, cost float64
}

// recordEpisodes adds an episode provider's period to the form's sums and the series.
func (s *sim) recordEpisodes(p *provider, st *stepState, e *epPeriod) {
	ra := &s.rules[st.c.rule]
	for i := range st.pay {
		ra.pay[i] += st.pay[i]
	}
	if !st.counted {
		return
	}
	b := &s.v.beh
	regionCost := st.regionHours * b.regHourly
	fa := &s.forms[p.form]
	disc := st.disc
	fa.eps += e.ops
	fa.epComps += e.comps
	fa.epReops += e.reops
	fa.epLOS += e.los
	fa.epHigh += e.high
	fa.epWait += e.ops * e.wait
	fa.epPay += e.pay
	fa.epCost += e.cost
	fa.clinicalHours += e.ops * (s.v.ep.opMin + s.v.ep.visitMin) / 60
	fa.fteYears += p.fte * st.invP
	fa.clinWork += p.fte * p.hours * st.invP
	fa.clinAdmin += b.clinShare*st.adminHours + p.fte*b.otherClinHours*st.invP
	fa.benefit += st.benefit
	fa.benefitDisc += st.benefit * disc
	fa.qualSum += st.q * p.capacity
	fa.qualW += p.capacity
	for i := range st.pay {
		fa.pay[i] += st.pay[i]
	}
	fa.payDisc += st.revenue * disc
	fa.adminHours += st.adminHours
	fa.adminCost += st.adminCost
	fa.adminCostDisc += st.adminCost * disc
	fa.regionCost += regionCost
	fa.regionCostDisc += regionCost * disc
	fa.margin += st.margin
	fa.resourceCost += st.resource
	fa.resourceCostDisc += st.resource * disc
	fa.present++
	ts := &s.ts[st.ci]
	ts[tsBenefit] += st.benefit
	ts[tsQualSum] += st.q * p.capacity
	ts[tsQualW] += p.capacity
	ts[tsPay] += st.revenue
	ts[tsAdminH] += st.adminHours
	ts[tsAdminC] += st.adminCost
	ts[tsRegionC] += regionCost
	ts[tsActive]++
	ts[tsMargin] += st.margin
}

// episodeCapacity adjusts an episode provider's capacity at the year's end toward the
// year's demand when it made money (volume responds to price), and down toward it when
// it lost money.
func (s *sim) episodeCapacity(p *provider) {
	ep := s.v.ep
	if ep.capResp <= 0 {
		p.epOpsYear = 0
		return
	}
	q := 0.0
	for r := range ep.classes {
		q += p.epQ[r]
	}
	demand := p.epOpsYear + q // what was done plus what waits
	switch {
	case p.marginYear > 0 && demand > p.capacity:
		p.capacity += ep.capResp * (demand - p.capacity)
	case p.marginYear < 0 && demand < p.capacity:
		p.capacity -= ep.capResp * (p.capacity - demand)
	}
	p.epOpsYear = 0
}
