package model

// region runs the region-level events after every provider has had period t (§4.6):
// audit targeting, patients' choice and cream-skimming under LOV, entry, exit,
// transfers and re-tendering.
func (s *sim) region(t int) {
	v := s.v
	P := v.periodsPerYr
	counted := t >= v.burnIn
	if v.substitutes {
		s.substitute()
	}
	s.targetAudits()
	s.buildMarkets()
	if v.beh.skimming {
		s.skim()
	}
	if v.beh.choice {
		s.choose()
	}
	if v.beh.entry {
		s.exitLOV(t, counted)
		s.enterLOV(t, counted)
		if t%P == P-1 {
			s.transfers(t)
			s.newEstablishments(t, counted)
		}
		s.retender(t)
	}
	if t%P == P-1 {
		s.closeYear(counted)
	}
	s.grow(t)
}

// markets calls f for every LOV market (cohort × area) with the indices of its active
// providers. The member lists are built once per period (buildMarkets) and kept in step
// with exits and entries, rather than found by scanning every slot for each market.
func (s *sim) markets(f func(ci, area int, members []int)) {
	nA := len(s.v.areas)
	for k, m := range s.mkt {
		if len(m) > 0 {
			f(k/nA, k%nA, m)
		}
	}
}

// buildMarkets groups the active LOV providers by market.
func (s *sim) buildMarkets() {
	v := s.v
	nA := len(v.areas)
	if s.mkt == nil {
		s.mkt = make([][]int, len(v.cohorts)*nA)
	}
	for k := range s.mkt {
		s.mkt[k] = s.mkt[k][:0]
	}
	for ci := range v.cohorts {
		if v.cohorts[ci].form != formLOV {
			continue
		}
		for i := s.slotStart[ci]; i < s.slotStart[ci+1]; i++ {
			if p := &s.providers[i]; p.active {
				s.mkt[p.market] = append(s.mkt[p.market], i)
			}
		}
	}
}

// leave removes provider i from its market's member list.
func (s *sim) leave(i int) {
	m := s.mkt[s.providers[i].market]
	for k, j := range m {
		if j == i {
			s.mkt[s.providers[i].market] = append(m[:k], m[k+1:]...)
			return
		}
	}
}

// closeYear counts deficient provider-years and whether follow-up found them.
func (s *sim) closeYear(counted bool) {
	b := &s.v.beh
	for i := range s.providers {
		p := &s.providers[i]
		if !p.active {
			continue
		}
		if counted && p.periodsYear > 0 && p.qualYear/p.periodsYear < b.deficient {
			fa := &s.forms[p.form]
			fa.defYears++
			if p.detectedYear {
				fa.detYears++
			}
		}
		if s.v.cohorts[p.cohort].episodes {
			s.episodeCapacity(p)
		} else if b.staffing {
			s.restaff(p)
		}
		p.wantMinYear, p.availMinYear = 0, 0
		p.qualYear, p.periodsYear, p.detectedYear, p.sanctionedYear = 0, 0, false, false
		p.visitsYear, p.revenueYear, p.marginYear, p.adminYear = 0, 0, 0, 0
		p.yr = yearSums{}
	}
}

// substitute sets, from this period's visits of the kinds that substitute for another,
// the factor on the replaced kind's share for the next period (issue 13, MODEL.md §4.1):
// a kind j with substitution σ_j replacing kind i leaves the share of i in need group g
// times max(0, 1 − Σ_j σ_j·D_jg / d_ig), with D_jg kind j's visits per resident of
// group g and year and d_ig the demand for kind i per person-year before substitution.
// Providers are stepped one after another, so the period's substitution acts from the
// next period on, the same for every provider.
func (s *sim) substitute() {
	v := s.v
	P := float64(v.periodsPerYr)
	var cut [maxKinds][maxGroups]float64
	for j := range v.kinds {
		kj := &v.kinds[j]
		if kj.subst < 0 || kj.substShare <= 0 {
			continue
		}
		for g := range v.groups {
			res := s.residents * v.groups[g].share
			if res > 0 {
				cut[kj.subst][g] += kj.substShare * s.kindNow[j][g] * P / res
			}
		}
	}
	for i := range v.kinds {
		for g := range v.groups {
			s.subF[i][g] = 1
			if base := v.groups[g].demand * v.kinds[i].share[g]; base > 0 && cut[i][g] > 0 {
				s.subF[i][g] = maxf(0, 1-cut[i][g]/base)
			}
		}
	}
	s.kindNow = [maxKinds][maxGroups]float64{}
	s.setBounds()
}
