package model

import "math"

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
		// The utilities are kept from the first pass for the second: it then reads no
		// provider, one pass over the market's providers fewer (issue 17).
		w := s.weights[:0]
		for _, i := range m {
			p := &s.providers[i]
			total += p.n
			u := b.theta * (p.quality + p.access)
			w = append(w, u)
			top = math.Max(top, u)
		}
		for k, u := range w {
			x := math.Exp(u - top)
			w[k] = x
			norm += x
		}
		for k, i := range m {
			p := &s.providers[i]
			p.n += rate * (total*w[k]/norm - p.n)
		}
		s.weights = w
	})
}
