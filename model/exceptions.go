package model

import "math"

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
