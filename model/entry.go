package model

import "math"

// enterLOV lets new providers into LOV markets: entrants arrive as Poisson with a rate
// that grows with the market's smoothed margin above the entry threshold and favours
// already well-served areas (location_bias; Agerholm et al. 2015). An entrant starts
// with a list of entrant_list_share of the market mean, taken from the others.
func (s *sim) enterLOV(t int, counted bool) {
	v := s.v
	b := &v.beh
	P := float64(v.periodsPerYr)
	// Providers per resident by market, for the location bias.
	s.markets(func(ci, a int, m []int) {
		c := &v.cohorts[ci]
		if c.maxEntrants == 0 {
			return
		}
		mr, total := 0.0, 0.0
		for _, i := range m {
			p := &s.providers[i]
			mr += p.marginRate * p.n
			total += p.n
		}
		if total == 0 {
			return
		}
		mr /= total
		excess := (mr - b.lovThreshold) / b.lovScale
		if excess <= 0 {
			return
		}
		density := float64(len(m)) / v.areas[a].share
		meanDensity := float64(s.countActive(ci))
		bias := 1.0
		if meanDensity > 0 {
			bias = math.Exp(b.locationBias * (density/meanDensity - 1))
		}
		rate := b.lovRate * excess * bias / P
		k := int(poisson(s.rs.srcAt(c.key, t, purposeEntry, a), rate))
		for range k {
			slot := s.freeSlot(ci)
			if slot < 0 {
				return
			}
			q := &s.providers[slot]
			s.initProvider(q, ci, slot-s.slotStart[ci], a, 0)
			q.n = b.entrantShare * total / float64(len(m))
			if !c.outOfRegion {
				// A provider in the region takes its list from the others; one outside
				// it brings new users.
				for _, i := range m {
					p := &s.providers[i]
					p.n *= 1 - q.n/total
				}
			}
			q.marginRate = mr
			s.mkt[q.market] = append(s.mkt[q.market], slot)
			if counted {
				s.forms[q.form].entries++
			}
		}
	})
}

func (s *sim) countActive(ci int) int {
	n := 0
	for i := s.slotStart[ci]; i < s.slotStart[ci+1]; i++ {
		if s.providers[i].active {
			n++
		}
	}
	return n
}

// freeSlot returns the first never-used entry slot of a cohort, or −1. Slots are used in
// order so an entrant's identity (and its random draws) does not depend on the variant.
func (s *sim) freeSlot(ci int) int {
	c := &s.v.cohorts[ci]
	for i := s.slotStart[ci] + c.count; i < s.slotStart[ci+1]; i++ {
		if p := &s.providers[i]; !p.active && p.slot == 0 {
			return i
		}
	}
	return -1
}

// newEstablishments opens new LOL/LOF establishments by region decision.
func (s *sim) newEstablishments(t int, counted bool) {
	v := s.v
	if v.beh.newEst <= 0 {
		return
	}
	for ci := range v.cohorts {
		c := &v.cohorts[ci]
		if c.form != formLOL && c.form != formLOF {
			continue
		}
		k := int(poisson(s.rs.srcAt(c.key, t, purposeNewEst, 0), v.beh.newEst))
		for range k {
			slot := s.freeSlot(ci)
			if slot < 0 {
				break
			}
			s.initProvider(&s.providers[slot], ci, slot-s.slotStart[ci], -1, 0)
			if counted {
				s.forms[c.form].entries++
			}
		}
	}
}
