package model

import "math"

// indicators works out the provider's achievement on its indicators when it reports them
// and at the start of each year, for the exception rate (§4.2): achievement moves slowly
// (effort, trend), so it is not worked out every period. A report shows it with
// measurement noise that shrinks with the number of indicators.
func (s *sim) indicators(p *provider, st *stepState) {
	ru, rg := st.ru, st.rg
	st.K, st.reportsPerYear = indicatorLoad(ru, rg)
	K, reportsPerYear, P, pt := st.K, st.reportsPerYear, st.P, st.pt
	st.reportNow = reportsPerYear > 0 && math.Floor(float64(pt+1)*reportsPerYear/P) > math.Floor(float64(pt)*reportsPerYear/P)
	if K > 0 && (st.reportNow || pt == 0) {
		measured, ex := s.achievement(p, ru, rg, st.years)
		p.exceptions = ex
		if st.reportNow {
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
	st.exRate = p.exceptions
}

// indicatorLoad returns the number of indicators a provider reports and how often: the
// regime's frequency if it sets one, else the rule's, else quarterly.
func indicatorLoad(ru *rule, rg *regime) (k, reportsPerYear float64) {
	k = float64(len(ru.indicators) + rg.reported)
	switch {
	case k == 0:
		return 0, 0
	case rg.reports > 0:
		return k, rg.reports
	case ru.reports > 0:
		return k, ru.reports
	}
	return k, 4
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
