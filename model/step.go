package model

import "math"

// step simulates period t for one provider, in the order of MODEL.md §4.6: motivation,
// administrative hours and capacity, intensity and quality effort, realised visits and
// measurement, payment, follow-up, and recording.
func (s *sim) step(p *provider, t int) {
	v := s.v
	b := &v.beh
	c := &v.cohorts[p.cohort]
	ru := &v.rules[c.rule]
	rg := &v.regimes[c.regime]
	G := len(v.groups)
	P := float64(v.periodsPerYr)
	invP := 1 / P
	pt := t % v.periodsPerYr // period within the year
	counted := t >= v.burnIn
	ci := t - v.burnIn
	disc := 1.0
	if counted {
		disc = s.disc[ci]
	}
	s.rs.period(p.slot, t)

	// 1. Motivation (§4.4).
	p.alpha += b.lambda * (p.alpha0*(1-b.kappa*(c.control-b.refControl)) - p.alpha)

	// 2. Clinical hours left after last period's administrative work.
	clinMinutes := (p.fte*p.hours*invP - b.clinShare*p.adminHoursPrev) * 60
	if clinMinutes < 0 {
		clinMinutes = 0
	}

	// 3. Intensity per need group (§4.1) and the year's plan under ceilings.
	if pt == 0 {
		s.planYear(p, ru)
	}
	if ru.hasCeiling && !b.ceilings {
		// No planning ahead: the marginal fee of the band the year's revenue is in.
		p.planX = ceilingBand(ru, p.cumGross)
	}
	var sPlan, floor [maxGroups]float64
	planVisits, floorVisits, planGross, floorGross := 0.0, 0.0, 0.0, 0.0
	for g := range G {
		gr := &v.groups[g]
		floor[g] = minf(b.dutyFloor*gr.demand*p.access, gr.smax)
		sPlan[g] = s.intensity(p, ru, g, p.planX, floor[g])
		persons := p.n * p.mix[g] * invP
		planVisits += persons * sPlan[g]
		floorVisits += persons * floor[g]
		r := s.ceilingRevenue(p, ru, g)
		planGross += persons * sPlan[g] * r
		floorGross += persons * floor[g] * r
	}
	// Ceilings: aim the rest of the year at the plan's target revenue.
	lam := 1.0
	if !math.IsInf(p.planTarget, 1) && planGross > floorGross {
		left := float64(v.periodsPerYr - pt)
		perPeriod := (p.planTarget - p.cumGross) / left
		lam = clamp((perPeriod-floorGross)/(planGross-floorGross), 0, 1)
	}
	// Decision noise, then capacity.
	wanted := 0.0
	noisy := b.noise > 0 && b.discretionary
	if noisy {
		// One stream for all groups: the draws do not depend on the plan, so variants
		// stay on common random numbers.
		s.rs.sub(purposeNoise, 0)
	}
	for g := range G {
		sg := floor[g] + lam*(sPlan[g]-floor[g])
		if noisy {
			sg *= v.noise.draw(s.rs.r.Uint64())
			sg = clamp(sg, floor[g], v.groups[g].smax)
		}
		sPlan[g] = sg
		wanted += p.n * p.mix[g] * sg * invP
	}
	minutes := p.minutes
	p.wantMinYear += wanted * p.minutes
	p.availMinYear += clinMinutes
	unmet := 0.0
	if b.capacity && wanted*p.minutes > clinMinutes {
		// Shorter visits first, then a smaller discretionary margin, then waits.
		minutes = maxf(p.minutes*(1-b.maxCompress), clinMinutes/wanted)
		if wanted*minutes > clinMinutes {
			fit := clinMinutes / minutes
			if fit >= floorVisits && wanted > floorVisits {
				shrink := (fit - floorVisits) / (wanted - floorVisits)
				for g := range G {
					sPlan[g] = floor[g] + shrink*(sPlan[g]-floor[g])
				}
			} else {
				ration := 0.0
				if floorVisits > 0 {
					ration = fit / floorVisits
				}
				unmet = 1 - ration
				for g := range G {
					sPlan[g] = floor[g] * ration
				}
			}
		}
	}
	p.access += 0.5 * (1 - b.waitElast*unmet - p.access)

	// Quality effort (§4.2) and true quality.
	gc := &s.goal[p.cohort]
	if gc.t != t {
		gc.build(b, ru, s.emRef[p.cohort], float64(t)*invP)
		gc.t = t
	}
	em, eu := chooseEfforts(b, gc, p.alpha, p.priceMult)
	p.em, p.eu = em, eu
	q := 1.0
	if b.quality && s.refQuality > 0 {
		q = (b.wm*em + (1-b.wm)*eu) / s.refQuality
	}
	if minutes < p.minutes {
		q *= math.Pow(minutes/p.minutes, b.lengthElast)
	}
	p.quality = q

	// 4. Realised visits, health benefit, gaming.
	visits, gross, grossCase, benefit := 0.0, 0.0, 0.0, 0.0
	fa := &s.forms[p.form]
	for g := range G {
		gr := &v.groups[g]
		persons := p.n * p.mix[g]
		mean := persons * sPlan[g] * invP
		x := mean
		if b.poisson {
			x = poisson(s.rs.sub(purposeVisits, g), mean)
		}
		visits += x
		if ru.hasFee {
			gross += x * ru.fee * p.priceMult
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
	s.upcode(p, ru, rg)

	// Indicators: true achievement, exception gaming, what a report shows.
	K, reportsPerYear := indicatorLoad(ru, rg)
	years := float64(t) / P
	reportNow := reportsPerYear > 0 && math.Floor(float64(pt+1)*reportsPerYear/P) > math.Floor(float64(pt)*reportsPerYear/P)
	// Achievement moves slowly (effort, trend): it is worked out when it is reported, and
	// at the start of each year for the exception rate.
	if K > 0 && (reportNow || pt == 0) {
		measured, ex := s.achievement(p, ru, rg, years)
		p.exceptions = ex
		if reportNow {
			noise := 0.0
			for _, in := range ru.indicators {
				noise += in.noise
			}
			if n := len(ru.indicators); n > 0 {
				noise /= float64(n)
			}
			noise /= math.Sqrt(K)
			p.measured = clamp(measured+noise*s.rs.sub(purposeMeasure, 0).NormFloat64(), 0, 1)
		}
	}
	exRate := p.exceptions

	// 5. Payment.
	var pay [nComps]float64
	pay[compBudget] = ru.budget * p.priceMult * invP
	if ru.hasCap {
		capPay := 0.0
		w := &s.capW[c.rule]
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
		paid = ceilingPaid(ru, p.cumGross+gross) - ceilingPaid(ru, p.cumGross)
	}
	p.cumGross += gross
	if gross > 0 {
		pay[compVisit] = paid * (gross - grossCase) / gross
		pay[compCase] = paid * grossCase / gross
	}
	if pt == v.periodsPerYr-1 && len(ru.indicators) > 0 {
		pay[compGoal] = s.goalPayment(p, ru, rg, years, t)
	}

	// 6. Follow-up: administrative work, audits, detection, sanctions.
	adminHours := b.baseHours*invP + visits*s.claimHrs[c.rule] + b.indHours*p.fte*K*reportsPerYear*invP
	regionHours := rg.regContract*invP + b.regIndicator*K*invP
	auditP := rg.audit * p.riskWeight * invP
	clawback, vite := sanctions(ru, rg)
	deficient := q < b.deficient
	if auditP > 0 {
		r := s.rs.sub(purposeAudit, 0)
		if r.Float64() < auditP {
			adminHours += b.auditHours
			regionHours += b.regAudit
			if p.upGain > 0 && r.Float64() < rg.sensitive {
				pay[compSanctions] -= p.upGain*clawback + vite*p.priceMult
				p.upGain = 0
				for g := range G {
					p.upcode[g] = 0
				}
			}
			if deficient && r.Float64() < rg.sensitive {
				if !p.sanctionedYear {
					pay[compSanctions] -= vite * p.priceMult
					p.sanctionedYear = true
				}
				p.detectedYear = true
			}
		}
	}
	if reportNow && deficient && p.measured < b.flagLevel {
		p.detectedYear = true
	}
	p.adminHoursPrev = adminHours

	revenue := 0.0
	for _, x := range pay {
		revenue += x
	}
	adminCost := adminHours * b.hourly
	resource := p.fte*p.costFTE*invP + p.cost*visits
	margin := revenue - resource - (1-b.clinShare)*adminCost
	p.revenue, p.margin = revenue, margin
	if revenue > 0 {
		p.marginRate += (margin/revenue - p.marginRate) * 2 * invP
	}
	p.qualYear += q
	p.periodsYear++
	p.visitsYear += visits
	p.revenueYear += revenue
	p.marginYear += margin
	p.adminYear += adminHours

	// Rule accounts for calibration (all periods, burn-in included: prices must hold there too).
	ra := &s.rules[c.rule]
	for i := range pay {
		ra.pay[i] += pay[i]
	}
	ra.personYears += p.n * invP
	ra.gross += gross

	// 7. Record.
	if regimeN := s.regN; rg.audit > 0 && K > 0 {
		s.regSum[c.regime] += p.measured
		s.regSq[c.regime] += p.measured * p.measured
		regimeN[c.regime]++
	}
	if !counted {
		return
	}
	regionCost := regionHours * b.regHourly
	upcoded := 0.0
	for g := range G {
		upcoded += p.n * p.mix[g] * p.upcode[g]
	}
	fa.visits += visits
	fa.clinicalHours += visits * minutes / 60
	fa.fteYears += p.fte * invP
	fa.benefit += benefit
	fa.benefitDisc += benefit * disc
	fa.qualSum += q * p.n
	fa.qualW += p.n
	if K > 0 {
		fa.measSum += p.measured * p.n
		fa.measW += p.n
		fa.exSum += exRate * p.n
		fa.exW += p.n
	}
	for i := range pay {
		fa.pay[i] += pay[i]
	}
	fa.payDisc += revenue * disc
	fa.adminHours += adminHours
	fa.adminCost += adminCost
	fa.adminCostDisc += adminCost * disc
	fa.regionCost += regionCost
	fa.regionCostDisc += regionCost * disc
	fa.margin += margin
	fa.resourceCost += resource
	fa.resourceCostDisc += resource * disc
	fa.upcoded += upcoded
	fa.upW += p.n
	fa.present++

	ts := &s.ts[ci]
	ts[tsVisits] += visits
	ts[tsBenefit] += benefit
	ts[tsQualSum] += q * p.n
	ts[tsQualW] += p.n
	if K > 0 {
		ts[tsMeasSum] += p.measured * p.n
		ts[tsMeasW] += p.n
		ts[tsExSum] += exRate * p.n
		ts[tsExW] += p.n
	}
	ts[tsPay] += revenue
	ts[tsAdminH] += adminHours
	ts[tsAdminC] += adminCost
	ts[tsRegionC] += regionCost
	ts[tsActive]++
	ts[tsUpcoded] += upcoded
	ts[tsUpW] += p.n
	ts[tsMargin] += margin
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

// ceilingRevenue is the fee and case revenue of one visit of group g at full price.
func (s *sim) ceilingRevenue(p *provider, ru *rule, g int) float64 {
	r := 0.0
	if ru.hasFee {
		r += ru.fee * p.priceMult
	}
	if ru.hasCase {
		r += s.casePrice(p, ru, g)
	}
	return r
}

// casePrice is the expected case payment of one visit of group g, with the share
// reported one class up.
func (s *sim) casePrice(p *provider, ru *rule, g int) float64 {
	price := ru.casePrice[g]
	if g+1 < len(s.v.groups) {
		price += p.upcode[g] * (ru.casePrice[g+1] - ru.casePrice[g])
	}
	return price * p.priceMult
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
	p.planX, p.planTarget = 1, math.Inf(1)
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

// upcode drifts the reported case mix upward where the rule pays more for a higher
// class (§4.3), and adds the period's upcoding revenue to what an audit can claw back.
func (s *sim) upcode(p *provider, ru *rule, rg *regime) {
	v := s.v
	b := &v.beh
	G := len(v.groups)
	if !b.upcoding || p.gaming == 0 || (!ru.hasCase && !(ru.hasCap && ru.riskAdj)) {
		return
	}
	c := &v.cohorts[p.cohort]
	P := float64(v.periodsPerYr)
	prop := p.gaming
	if c.private {
		prop *= b.upForProfit
	}
	clawback, _ := sanctions(ru, rg)
	detect := minf(1, rg.audit) * rg.sensitive * clawback
	w := &s.capW[c.rule]
	for g := 0; g+1 < G; g++ {
		gap := 0.0
		if ru.hasCase && ru.casePrice[g] > 0 {
			gap = (ru.casePrice[g+1] - ru.casePrice[g]) / ru.casePrice[g]
		}
		if ru.hasCap && ru.riskAdj && w[g] > 0 {
			gap = maxf(gap, (w[g+1]-w[g])/w[g])
		}
		if gap <= 0 {
			continue
		}
		p.upcode[g] = clamp(p.upcode[g]+b.upStep*gap*prop*(1-detect), 0, b.upMax)
		persons := p.n * p.mix[g]
		gain := 0.0
		if ru.hasCap && ru.riskAdj {
			gain += persons * p.upcode[g] * (w[g+1] - w[g]) * ru.capitation * p.priceMult / P
		}
		if ru.hasCase {
			// Visits of the group this period at the planned intensity, approximately.
			gain += persons * v.groups[g].sstar / P * p.upcode[g] * (ru.casePrice[g+1] - ru.casePrice[g]) * p.priceMult
		}
		p.upGain += gain
	}
}

// achievement returns the provider's mean reported achievement over its indicators and
// its exception rate. Paid indicators respond to measured effort, follow-up-only ones to
// unmeasured effort (what is not paid for is not pushed, Doran et al. 2011); exception
// gaming raises what is reported on paid indicators below their upper threshold.
func (s *sim) achievement(p *provider, ru *rule, rg *regime, years float64) (reported, exRate float64) {
	b := &s.v.beh
	c := p.cohort
	sum, gamed := 0.0, 0.0
	for i := range ru.indicators {
		in := &ru.indicators[i]
		a := clamp(in.baseline+in.trend*years+b.achResponse*(p.em-s.emRef[c]), 0, 1)
		g := s.exceptionGaming(p, in, a)
		gamed += g
		sum += minf(1, a/(1-g))
	}
	if rg.reported > 0 {
		a := clamp(0.7+0.01*years+b.achResponse*(p.eu-s.euRef[c]), 0, 1)
		sum += a * float64(rg.reported)
	}
	k := float64(len(ru.indicators) + rg.reported)
	exRate = b.exClinical
	if n := len(ru.indicators); n > 0 {
		exRate += gamed / float64(n)
	}
	return sum / k, exRate
}

// exceptionGaming is the share of an indicator's eligible patients a provider removes
// to raise reported achievement: none at or above the upper threshold, most just below
// it (Gravelle, Sutton & Ma 2010).
func (s *sim) exceptionGaming(p *provider, in *indicator, a float64) float64 {
	b := &s.v.beh
	if !b.exceptions || a >= in.upper || in.weight == 0 {
		return 0
	}
	return p.gaming * in.gameable * b.exMax * math.Exp(-(in.upper-a)/b.exBand)
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

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// maxf and minf are math.Max and math.Min without their NaN and signed-zero handling,
// which the engine's values never need and the hot loop should not pay for.
func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

func minf(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}
