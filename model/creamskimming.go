package model

import "math"

// skim tilts LOV lists toward need groups whose capitation exceeds their expected cost
// (§4.3): the tilt target grows with the provider's gaming propensity and with the gap
// between the risk weight paid and the group's cost weight, and is bounded. Group totals
// in each market are then restored, so patients one provider avoids end up with the
// others.
func (s *sim) skim() {
	v := s.v
	b := &v.beh
	G := len(v.groups)
	s.markets(func(ci, a int, m []int) {
		c := &v.cohorts[ci]
		ru := &v.rules[c.rule]
		if !ru.hasCap {
			return
		}
		w := &s.capW[c.rule]
		var before, after [maxGroups]float64
		for _, i := range m {
			p := &s.providers[i]
			for g := range G {
				before[g] += p.n * p.mix[g]
			}
			if p.gaming == 0 {
				continue
			}
			norm := 0.0
			for g := range G {
				target := clamp(b.skimStrength*p.gaming*(w[g]-v.groups[g].costWeight), -b.skimMax, b.skimMax)
				p.tilt[g] += b.skimSpeed * (target - p.tilt[g])
				p.mix[g] = v.areas[a].mix[g] * math.Exp(p.tilt[g])
				norm += p.mix[g]
			}
			for g := range G {
				p.mix[g] /= norm
			}
		}
		for _, i := range m {
			p := &s.providers[i]
			for g := range G {
				after[g] += p.n * p.mix[g]
			}
		}
		for _, i := range m {
			p := &s.providers[i]
			n := 0.0
			for g := range G {
				if after[g] > 0 {
					p.mix[g] *= before[g] / after[g]
				}
				n += p.mix[g]
			}
			if n > 0 {
				for g := range G {
					p.mix[g] /= n
				}
				p.n *= n
			}
		}
	})
}
