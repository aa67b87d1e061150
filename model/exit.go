package model

// exitLOV closes LOV providers whose margin has stayed below the exit threshold for
// exit_periods periods; publicly owned units do not exit. Their patients re-list with
// the others in the market.
func (s *sim) exitLOV(t int, counted bool) {
	v := s.v
	b := &v.beh
	s.markets(func(ci, a int, m []int) {
		for _, i := range m {
			p := &s.providers[i]
			if p.marginRate < b.exitThreshold {
				p.belowExit++
			} else {
				p.belowExit = 0
			}
			if p.belowExit < b.exitPeriods || v.cohorts[ci].public || len(m) < 2 {
				continue
			}
			s.redistribute(p, m)
			p.active = false
			s.leave(i)
			if counted {
				s.forms[p.form].exits++
			}
			return // one exit per market and period keeps the market from emptying at once
		}
	})
}

// redistribute gives a leaving provider's patients to the others in its market in
// proportion to their lists.
func (s *sim) redistribute(p *provider, m []int) {
	G := len(s.v.groups)
	rest := 0.0
	for _, j := range m {
		if q := &s.providers[j]; q != p && q.active {
			rest += q.n
		}
	}
	if rest == 0 {
		return
	}
	for _, j := range m {
		q := &s.providers[j]
		if q == p || !q.active {
			continue
		}
		share := q.n / rest
		total := q.n + p.n*share
		for g := range G {
			q.mix[g] = (q.n*q.mix[g] + p.n*share*p.mix[g]) / total
		}
		q.n = total
	}
}
