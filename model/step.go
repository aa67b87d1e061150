package model

// stepState is one provider's period in progress: what each mechanism of step hands on
// to the next. It lives on step's stack and is passed by pointer, so a provider-period
// still allocates nothing.
type stepState struct {
	t       int
	pt      int // period within the year
	ci      int // counted period index (t − burn-in)
	counted bool
	disc    float64 // discount factor of the period, 1 in burn-in
	P, invP float64 // periods per year and its inverse
	years   float64 // t in years

	c  *cohort
	ru *rule
	rg *regime

	clinMinutes float64 // clinical minutes left after administrative work

	// The volume per cell (need group × visit kind) is in sim.cell, not here: step
	// zeroes its stepState every provider-period, and four arrays of maxCells values
	// would make that 1 408 bytes instead of 384 (issue 17).
	floorVisits float64
	planGross   float64 // ceiling revenue of the plan this period
	floorGross  float64 // and at the duty floor
	wanted      float64 // visits wanted this period
	minutes     float64 // minutes per visit after capacity

	q float64 // true quality

	visits, gross, grossCase, benefit float64
	booked                            float64 // visits booked: attended plus no-shows
	// Visits weighted by their kinds' minutes (booked), cash cost and claim work.
	bookedEq, costVisits, claimVisits float64
	// Patient fees collected, and the part of them deducted from the region's fee.
	patientFees, pfDeduct float64

	// Indicators.
	K, reportsPerYear float64
	reportNow         bool
	exRate            float64

	pay         [nComps]float64
	adminHours  float64
	regionHours float64
	// The provider's administrative hours by kind of work this period (audit hours
	// include claim review).
	claimHours, reportHours, auditHours float64
	// upGain is the period's revenue from upcoding.
	upGain float64

	revenue, adminCost, resource, margin float64
}

// step simulates period t for one provider, in the order of MODEL.md §4.6: motivation,
// administrative hours and capacity, intensity and quality effort, realised visits and
// measurement, payment, follow-up, and recording. Each mechanism is in a file named after
// it.
func (s *sim) step(p *provider, t int) {
	var st stepState
	s.begin(p, t, &st)

	// 1. Motivation (§4.4).
	s.motivation(p, &st)

	// 2. Clinical hours left after last period's administrative work.
	s.clinicalTime(p, &st)

	// 3. Intensity per need group (§4.1) from the year's volume plan (ceilings), the
	// marginal revenue and the capacity; quality effort (§4.2).
	s.yearPlan(p, &st)
	s.planVolume(p, &st)
	lam := s.ceilingPace(p, &st)
	s.decide(p, &st, lam)
	s.capacity(p, &st)
	s.qualityEffort(p, &st)

	// 4. Realised visits and health benefit, upcoding, indicators and exception gaming.
	s.realiseVisits(p, &st)
	st.upGain = s.upcode(p, st.ru, st.rg)
	s.indicators(p, &st)

	// 5. Payment, ceilings applied to the year's cumulative revenue.
	s.payment(p, &st)

	// 6. Administrative work and follow-up: audits, detection, sanctions; the margin.
	s.adminHours(p, &st)
	s.followUp(p, &st)
	s.margin(p, &st)

	// 7. Record.
	s.record(p, &st)
}

// begin sets up the period: where it falls in the year and the run, and the provider's
// contract.
func (s *sim) begin(p *provider, t int, st *stepState) {
	v := s.v
	st.c = &v.cohorts[p.cohort]
	st.ru = &v.rules[st.c.rule]
	st.rg = &v.regimes[st.c.regime]
	pr := &s.per
	if pr.t1 != t+1 {
		pr.setPeriod(v, s.disc, t)
	}
	st.P, st.invP = pr.P, pr.invP
	st.t, st.pt, st.ci, st.counted = t, pr.pt, pr.ci, pr.counted
	st.disc, st.years = pr.disc, pr.years
	s.year = pr.year
	s.rs.period(p.slot, t)
}

// periodTerms are what begin sets that depends on the period alone: computed at the
// first provider of a period rather than for each (two divisions and two integer
// divisions a provider-period fewer; issue 17), with the same expressions.
type periodTerms struct {
	t1      int // t + 1 for the period they are of; 0 before the first
	pt, ci  int
	counted bool
	disc    float64
	P, invP float64
	years   float64
	year    int
}

func (pr *periodTerms) setPeriod(v *Variant, disc []float64, t int) {
	pr.t1 = t + 1
	pr.P = float64(v.periodsPerYr)
	pr.invP = 1 / pr.P
	pr.pt = t % v.periodsPerYr
	pr.counted = t >= v.burnIn
	pr.ci = t - v.burnIn
	pr.disc = 1.0
	if pr.counted {
		pr.disc = disc[pr.ci]
	}
	pr.years = float64(t) / pr.P
	pr.year = max(0, t-v.burnIn) / v.periodsPerYr
}
