package model

import "math"

// transfers: each year a share of LOL/LOF establishments passes to a new holder drawn
// from the same population; the region cannot refuse (prop. 2008/09:64).
func (s *sim) transfers(t int) {
	v := s.v
	for i := range s.providers {
		p := &s.providers[i]
		if !p.active || (p.form != formLOL && p.form != formLOF) {
			continue
		}
		if s.rs.at(p.slot, t, purposeTransfer, 0).Float64() < v.beh.transferRate {
			s.newHolder(p, i)
		}
	}
}

// newHolder replaces a provider's holder, keeping its slot, list and contract.
func (s *sim) newHolder(p *provider, i int) {
	ci := p.cohort
	keep := *p
	s.initProvider(p, ci, i-s.slotStart[ci], keep.area, keep.gen+1)
	p.n, p.mix, p.access = keep.n, keep.mix, keep.access
	p.contractPrice = keep.contractPrice
	p.priceMult = s.v.rules[s.v.cohorts[ci].rule].scale * p.priceFactor * p.contractPrice
	p.cumGross, p.planX, p.planTarget = keep.cumGross, keep.planX, keep.planTarget
	p.qualYear, p.periodsYear = keep.qualYear, keep.periodsYear
	p.yr = yearSums{meas: keep.yr.meas, ex: keep.yr.ex, measPeriods: keep.yr.measPeriods, up: keep.yr.up}
	p.detectedYear, p.sanctionedYear = keep.detectedYear, keep.sanctionedYear
}

// retender ends LOU contracts: contracts are staggered over the contract length; at the
// end the contract goes to a new holder at a price drawn around the old one and adjusted
// for the winner's cost.
func (s *sim) retender(t int) {
	v := s.v
	length := int(math.Round(v.beh.louYears * float64(v.periodsPerYr)))
	if length <= 0 {
		return
	}
	for ci := range v.cohorts {
		if v.cohorts[ci].form != formLOU {
			continue
		}
		for i := s.slotStart[ci]; i < s.slotStart[ci+1]; i++ {
			p := &s.providers[i]
			k := i - s.slotStart[ci]
			if !p.active || t == 0 || (t+k*v.periodsPerYr)%length != 0 {
				continue
			}
			oldCost, oldPrice := p.cost, p.contractPrice
			s.newHolder(p, i)
			z := s.rs.at(p.slot, t, purposeTransfer, 1).NormFloat64()
			sd := v.beh.louPriceSD
			adj := 1.0
			if oldCost > 0 && p.cost > 0 {
				adj = math.Sqrt(p.cost / oldCost)
			}
			p.contractPrice = oldPrice * math.Exp(sd*z-sd*sd/2) * adj
			p.priceMult = v.rules[v.cohorts[ci].rule].scale * p.priceFactor * p.contractPrice
		}
	}
}
