package model

import "math"

// Goal-related payment pays per indicator linearly between a lower and an upper
// achievement threshold and nothing beyond them (MODEL.md §4.2; QOF, Västra Götaland).
// The marginal revenue of measured effort is therefore not a constant: an indicator adds
// to it only while its achievement lies inside its band. A provider whose achievement
// is past an upper threshold earns nothing more by pushing it further, and any effort
// beyond that point is its altruism at work (Gravelle, Sutton & Ma 2010: practices above
// the upper thresholds could have treated 11.8 % fewer patients without losing revenue).
//
// goalCurve is the goal revenue as a function of measured effort e_m for one cohort in
// one period: a piecewise-linear function with slope seg[j].slope on [seg[j].x,
// seg[j+1].x) and value seg[j].g at seg[j].x, per person-year. The breakpoints are where
// an indicator's achievement crosses its thresholds (or 0 and 1); they depend on the
// cohort (through its reference effort) and on time (through the trend), not on the
// provider, so the curve is built once per cohort and period and each provider only
// searches it.
type goalCurve struct {
	t   int // period the curve was built for; -1 before the first
	seg []goalSeg
	ev  []goalEvent // scratch
}

type goalSeg struct{ x, slope, g float64 }

type goalEvent struct{ x, dslope float64 }

// build computes the curve of rule ru for a cohort with reference effort emRef at time
// years, without allocating once the slices have grown to size.
func (gc *goalCurve) build(b *behaviour, ru *rule, emRef, years float64) {
	gc.ev = gc.ev[:0]
	r := b.achResponse
	slope0 := 0.0
	for i := range ru.indicators {
		in := &ru.indicators[i]
		if r <= 0 || in.upper <= in.lower || in.weight == 0 {
			continue
		}
		m := in.weight * ru.refRevenue * r / (in.upper - in.lower)
		if in.vite {
			m *= b.lossAv
		}
		// Achievement a = base + trend·years + r·(e_m − emRef), clamped to [0, 1];
		// the payment moves with it on (max(lower, 0), min(upper, 1)).
		lo, hi := maxf(in.lower, 0), minf(in.upper, 1)
		if hi <= lo {
			continue
		}
		a0 := in.baseline + in.trend*years
		xlo := emRef + (lo-a0)/r
		xhi := emRef + (hi-a0)/r
		if xhi <= 0 {
			continue
		}
		if xlo <= 0 {
			slope0 += m
		} else {
			gc.ev = append(gc.ev, goalEvent{xlo, m})
		}
		gc.ev = append(gc.ev, goalEvent{xhi, -m})
	}
	// Insertion sort: a rule has tens of indicators at most, and this keeps the
	// order of equal breakpoints fixed.
	ev := gc.ev
	for i := 1; i < len(ev); i++ {
		for j := i; j > 0 && ev[j].x < ev[j-1].x; j-- {
			ev[j], ev[j-1] = ev[j-1], ev[j]
		}
	}
	gc.seg = append(gc.seg[:0], goalSeg{0, slope0, 0})
	for _, e := range ev {
		last := &gc.seg[len(gc.seg)-1]
		if e.x == last.x {
			last.slope += e.dslope
			continue
		}
		g := last.g + last.slope*(e.x-last.x)
		gc.seg = append(gc.seg, goalSeg{e.x, last.slope + e.dslope, g})
	}
	// Rounding can leave a tiny residue where the slope should be 0.
	for j := range gc.seg {
		if gc.seg[j].slope < 1e-9 {
			gc.seg[j].slope = 0
		}
	}
}

// chooseEfforts maximises goal revenue G(e_m) + α·(v_m·e_m + v_u·e_u) − (k/2)·(e_m² +
// e_u² + 2ρ·e_m·e_u) over e_m, e_u ≥ 0 for a provider with altruism alpha. G is the
// curve gc scaled by scale (the provider's price multiplier). On each piece of G the
// problem is the concave one of MODEL.md §4.2 with a constant bonus b = the piece's
// slope, so its best point on the piece is that closed form clamped to the piece; the
// answer is the best of those. Ties go to the lower effort.
func chooseEfforts(b *behaviour, gc *goalCurve, alpha, scale float64) (em, eu float64) {
	if !b.quality {
		return 0, 0
	}
	if len(gc.seg) == 1 && gc.seg[0].slope == 0 {
		return efforts(b, alpha, 0)
	}
	best := 0.0
	for j := range gc.seg {
		sg := &gc.seg[j]
		m, _ := efforts(b, alpha, sg.slope*scale)
		if m < sg.x {
			m = sg.x
		}
		if j+1 < len(gc.seg) && m > gc.seg[j+1].x {
			m = gc.seg[j+1].x
		}
		u := maxf(0, alpha*b.vu/b.effortCost-b.rho*m)
		val := scale*(sg.g+sg.slope*(m-sg.x)) + alpha*(b.vm*m+b.vu*u) -
			0.5*b.effortCost*(m*m+u*u+2*b.rho*m*u)
		if j == 0 || val > best {
			best, em, eu = val, m, u
		}
	}
	return em, eu
}

// qualityEffort chooses the provider's measured and unmeasured effort against its
// cohort's goal revenue curve (§4.2), and sets the period's true quality: effort relative
// to the reference, shortened by visits shorter than normal.
func (s *sim) qualityEffort(p *provider, st *stepState) {
	b := &s.v.beh
	gc := &s.goal[p.cohort]
	if gc.t != st.t {
		gc.build(b, st.ru, s.emRef[p.cohort], float64(st.t)*st.invP)
		gc.t = st.t
	}
	em, eu := chooseEfforts(b, gc, p.alpha, p.priceMult)
	p.em, p.eu = em, eu
	q := 1.0
	if b.quality && s.refQuality > 0 {
		q = (b.wm*em + (1-b.wm)*eu) / s.refQuality
	}
	if st.minutes < p.minutes {
		q *= math.Pow(st.minutes/p.minutes, b.lengthElast)
	}
	p.quality = q
	st.q = q
}

// efforts is the multitasking solution of §4.2 for altruism alpha and marginal goal
// revenue b (SEK per effort unit and person-year).
func efforts(b *behaviour, alpha, bm float64) (em, eu float64) {
	if !b.quality {
		return 0, 0
	}
	A := bm + alpha*b.vm
	U := alpha * b.vu
	k := b.effortCost
	d := k * (1 - b.rho*b.rho)
	em = (A - b.rho*U) / d
	eu = (U - b.rho*A) / d
	if eu < 0 {
		eu, em = 0, A/k
	}
	if em < 0 {
		em, eu = 0, U/k
	}
	return em, eu
}
