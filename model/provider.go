package model

import (
	"math"
)

// provider is one contract holder's state. Patients are aggregated per need group.
type provider struct {
	active bool
	cohort int
	form   int
	area   int
	market int // cohort·areas + area: the pool of patients LOV providers compete for
	slot   uint64
	gen    int // holder generation: a transfer or re-tender gives a new holder

	// Attributes (drawn per holder).
	fte, hours, minutes, cost, costFTE float64
	alpha0, alpha, gaming, priceFactor float64

	contractPrice float64 // LOU contract price relative to the rule's prices
	priceMult     float64 // rule scale · priceFactor · contractPrice

	// Patients.
	n      float64 // listed persons or catchment
	mix    [maxGroups]float64
	tilt   [maxGroups]float64 // cream-skimming: log tilt of the list mix
	upcode [maxGroups]float64 // share of group g reported as g+1
	access float64            // 1 = no waits; falls when capacity rations demand

	// Carried between periods.
	adminHoursPrev float64
	riskWeight     float64 // audit targeting weight, mean 1 within a regime
	marginRate     float64 // smoothed margin over revenue, drives entry and exit
	belowExit      int
	upGain         float64 // revenue from upcoding since the last audit

	// The year's ceiling plan and state.
	cumGross   float64 // ceiling revenue this year at full price
	planX      float64 // marginal-revenue factor the plan is made at (1, reduced, 0)
	planTarget float64 // gross ceiling revenue aimed at this year (+Inf: no kink)

	// Quality.
	em, eu         float64
	quality        float64 // true quality this period
	measured       float64 // last reported measured achievement
	qualYear       float64
	periodsYear    float64
	detectedYear   bool    // follow-up found the provider deficient this year
	sanctionedYear bool    // and charged the vite for it
	exceptions     float64 // exception rate this period

	// Episodes (issue 14): capacity in episodes a year, the queue by risk class, the
	// quality effort, the waiting time in months, the choice weight of the period's
	// assignment and the year's operations.
	capacity  float64
	epQ       [maxRisk]float64
	epEffort  float64
	epWait    float64
	epW       float64
	epOpsYear float64

	// This period's outcome, read by the region step.
	revenue float64
	margin  float64

	// Year sums for providers.csv.
	visitsYear, revenueYear, marginYear, adminYear float64
	yr                                             yearSums

	// Year sums for the staffing decision: clinical minutes the wanted visits need at
	// normal pace, and clinical minutes there were.
	wantMinYear, availMinYear float64
}

// sim is one replication of one variant: the providers and the region around them.
type sim struct {
	v   *Variant
	rep int
	rs  *stream
	// year is the year of the horizon of the period being stepped (0 = the first; the
	// burn-in counts as the first), for fee_schedule.
	year int

	providers []provider
	// Cohort slot ranges: initial providers then entry slots.
	slotStart []int

	// epUnserved counts episodes no provider would take (counted periods).
	epUnserved float64

	// Per-rule constants.
	capW     [][maxGroups]float64 // risk weights per rule and group (mean 1 over residents)
	claimAdm []float64            // admin cost per claim (a'), SEK
	claimHrs []float64            // admin hours per claim

	// Reference efforts for the quality index, and per-cohort reference measured effort.
	refQuality float64
	emRef      []float64
	euRef      []float64
	goal       []goalCurve // per cohort: goal revenue as a function of measured effort

	residents, growP float64 // residents this period; growth factor per period

	// Per-regime running statistics of measured achievement, for risk-based audits.
	regSum, regSq, regN []float64

	forms [nForms]acc
	ts    [][nTS]float64 // counted periods
	// tsKinds are visits by kind per counted period (scenarios with visit kinds only).
	tsKinds [][maxKinds]float64
	rules   []ruleAcc

	// cell is the provider-period's volume per cell (need group × visit kind), visits per
	// person-year: scratch that planVolume writes for every cell the provider has before
	// decide, capacity and realiseVisits read it.
	cell cells
	// bounds are each cell's demand, patient optimum and maximum (setBounds).
	bounds [maxCells][3]float64

	// Substitution between visit kinds (issue 13): this period's visits by kind and
	// need group, and the factor on each kind's share that last period's substituting
	// visits leave (1 without substitution).
	kindNow [maxKinds][maxGroups]float64
	subF    [maxKinds][maxGroups]float64

	disc    []float64   // discount factor of each counted period (mid-period)
	per     periodTerms // begin's values for the period being stepped
	cx      ctx
	mkt     [][]int   // active LOV providers by market (cohort·areas + area)
	weights []float64 // scratch for choice
}

// ruleAcc sums a rule's payments by component, for price calibration.
type ruleAcc struct {
	pay         [nComps]float64
	personYears float64
	gross       float64
	prices      rulePrices // what calibration settled on, when cached
}

type rulePrices struct {
	fee, budget float64
	casePrice   [maxGroups]float64
}

func newSim(v *Variant, rep int) *sim { return newSimFrom(v, rep, nil) }

// newSimFrom is newSim reusing the buffers of old (a finished sim, possibly of another
// draw of the same variant) where they are large enough: they are cleared, so the new
// sim is exactly what newSim makes.
func newSimFrom(v *Variant, rep int, old *sim) *sim {
	s := &sim{v: v, rep: rep, rs: newStream(v.seed, rep)}
	G := len(v.groups)
	for k := range s.subF {
		for g := range s.subF[k] {
			s.subF[k][g] = 1
		}
	}
	s.setBounds()
	s.capW = make([][maxGroups]float64, len(v.rules))
	s.claimAdm = make([]float64, len(v.rules))
	s.claimHrs = make([]float64, len(v.rules))
	b := &v.beh
	for i := range v.rules {
		ru := &v.rules[i]
		norm := 0.0
		for g := range G {
			w := 1.0
			if ru.riskAdj {
				w = 1 + ru.capAccuracy*(v.groups[g].costWeight-1)
			}
			s.capW[i][g] = w
			norm += v.groups[g].share * w
		}
		for g := range G {
			s.capW[i][g] /= norm
		}
		if ru.hasFee || ru.hasCase {
			cats := 1.0
			if ru.hasFee {
				cats = float64(ru.categories)
			}
			s.claimHrs[i] = b.claimHours * (1 + b.catComplex*(cats-1)) * ru.doc
			s.claimAdm[i] = s.claimHrs[i] * b.hourly
		}
	}
	em, eu := efforts(b, b.refAlpha, 0)
	s.refQuality = b.wm*em + (1-b.wm)*eu
	s.emRef = make([]float64, len(v.cohorts))
	s.euRef = make([]float64, len(v.cohorts))
	for i, c := range v.cohorts {
		s.emRef[i], s.euRef[i] = efforts(b, c.meanAlpha, 0)
	}
	s.goal = make([]goalCurve, len(v.cohorts))
	for i, c := range v.cohorts {
		n := 2*len(v.rules[c.rule].indicators) + 1
		s.goal[i] = goalCurve{t: -1, seg: make([]goalSeg, 0, n), ev: make([]goalEvent, 0, n)}
	}
	s.regSum = make([]float64, len(v.regimes))
	s.regSq = make([]float64, len(v.regimes))
	s.regN = make([]float64, len(v.regimes))
	s.rules = make([]ruleAcc, len(v.rules))
	n := v.years * v.periodsPerYr
	s.ts = reuse(old, func(o *sim) [][nTS]float64 { return o.ts }, n)
	if v.hasKinds {
		s.tsKinds = reuse(old, func(o *sim) [][maxKinds]float64 { return o.tsKinds }, n)
	}
	s.disc = reuse(old, func(o *sim) []float64 { return o.disc }, n)
	for t := range s.disc {
		s.disc[t] = math.Pow(1+v.discountRate, -(float64(t)+0.5)/float64(v.periodsPerYr))
	}
	// Residents grow by growP a period; the summary's rates per resident use the mean
	// over the counted periods.
	s.residents, s.growP = v.residents, math.Pow(1+v.growth, 1/float64(v.periodsPerYr))
	meanRes := v.residents
	if s.growP != 1 {
		sum := 0.0
		for t := v.burnIn; t < v.periods; t++ {
			sum += math.Pow(s.growP, float64(t))
		}
		meanRes *= sum / float64(v.periods-v.burnIn)
	}
	s.cx = ctx{years: float64(v.years), residents: meanRes, healthValue: v.healthValue, groups: v.groups}
	for g := range G {
		s.cx.residentsG[g] = meanRes * v.groups[g].share
	}

	// Slots: each cohort's initial providers, then its entry slots.
	total := 0
	for _, c := range v.cohorts {
		s.slotStart = append(s.slotStart, total)
		total += c.count + c.maxEntrants
	}
	s.slotStart = append(s.slotStart, total)
	s.providers = reuse(old, func(o *sim) []provider { return o.providers }, total)
	if old != nil && len(old.mkt) == len(v.cohorts)*len(v.areas) {
		s.mkt, s.weights = old.mkt, old.weights[:0] // buildMarkets and choose reset them
	}
	for ci, c := range v.cohorts {
		for k := 0; k < c.count; k++ {
			s.initProvider(&s.providers[s.slotStart[ci]+k], ci, k, -1, 0)
		}
	}
	return s
}

// cells holds the duty floor, the intensity, the patient optimum and the most visits
// per cell.
type cells struct {
	floor, sPlan, sstar, smax [maxCells]float64
}

// reuse returns old's buffer, cleared and cut to n, when old has one large enough, or a
// new one.
func reuse[T any](old *sim, buf func(*sim) []T, n int) []T {
	if old != nil {
		if b := buf(old); cap(b) >= n {
			b = b[:n]
			clear(b)
			return b
		}
	}
	return make([]T, n)
}

// slotKey identifies a provider slot across variants: the cohort's name and the index.
func slotKey(c *cohort, k int) uint64 { return splitmix(c.key ^ uint64(k)*0x9e3779b97f4a7c15) }

// initProvider gives slot k of cohort ci a new holder. area < 0 draws the area from the
// residents' shares (or takes the cohort's area).
func (s *sim) initProvider(p *provider, ci, k, area, gen int) {
	v := s.v
	c := &v.cohorts[ci]
	slot := slotKey(c, k)
	*p = provider{active: true, cohort: ci, form: c.form, slot: slot, gen: gen}
	for a := range nAttrs {
		var r = s.rs.at(slot, 0, purposeAttr, a)
		if gen > 0 {
			r = s.rs.at(slot, 0, purposeGenAttr, gen*64+a)
		}
		x := draw(c.attrs[a], r)
		switch a {
		case attrFTE:
			p.fte = x
		case attrHours:
			p.hours = x
		case attrMinutes:
			p.minutes = x
		case attrList:
			p.n = x
		case attrCost:
			p.cost = x
		case attrCostFTE:
			p.costFTE = x
		case attrAlpha:
			p.alpha0 = x
		case attrGaming:
			p.gaming = x
		case attrPrice:
			p.priceFactor = x
		}
	}
	p.alpha = p.alpha0
	switch {
	case area >= 0:
		p.area = area
	case c.area >= 0:
		p.area = c.area
	default:
		u := s.rs.at(slot, 0, purposeAttr, nAttrs).Float64()
		p.area = len(v.areas) - 1
		cum := 0.0
		for i, a := range v.areas {
			cum += a.share
			if u < cum {
				p.area = i
				break
			}
		}
	}
	p.market = ci*len(v.areas) + p.area
	p.mix = v.areas[p.area].mix
	if c.needTilt != 0 {
		p.mix = v.tiltMix(p.mix, c.needTilt)
	}
	p.access = 1
	p.contractPrice = 1
	p.priceMult = v.rules[c.rule].scale * p.priceFactor
	p.riskWeight = 1
	p.planX, p.planTarget = 1, math.Inf(1)
	p.quality = 1
	ru := &v.rules[c.rule]
	p.measured = 0
	for _, in := range ru.indicators {
		p.measured += in.baseline
	}
	if len(ru.indicators) > 0 {
		p.measured /= float64(len(ru.indicators))
	}
	p.marginRate = v.beh.lovThreshold
	if c.episodes {
		r := s.rs.at(slot, 0, purposeAttr, nAttrs+1)
		if gen > 0 {
			r = s.rs.at(slot, 0, purposeGenAttr, gen*64+nAttrs+1)
		}
		p.capacity = draw(c.capacity, r)
		// Entry and choice in a LOV market weigh providers by n: for episodes, capacity.
		p.n = p.capacity
	}
	// Start with last period's admin hours at their expected level, so the first period's
	// capacity is not a special case.
	p.adminHoursPrev = s.expectedAdminHours(p)
}

// yearSums are a provider's sums over the periods of the current year that providers.csv
// reports beside visits and revenue: measured achievement and exception rate over the
// periods with indicators, the share of its patients reported in a higher-paid class,
// and its administrative hours by kind of work.
type yearSums struct {
	meas, ex, measPeriods float64
	up                    float64
	claimH, reportH       float64
	booked                float64
	auditH                float64
}
