package model

// grow records period t's residents and lets every list grow (or shrink) with the
// population for the next period: newcomers list where residents already are.
func (s *sim) grow(t int) {
	v := s.v
	if ci := t - v.burnIn; ci >= 0 {
		s.ts[ci][tsResidents] = s.residents
	}
	if s.growP == 1 {
		return
	}
	s.residents *= s.growP
	for i := range s.providers {
		if p := &s.providers[i]; p.active {
			p.n *= s.growP
		}
	}
}
