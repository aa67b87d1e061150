package model

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"ersim/dist"
	"ersim/scenarios"
)

// Compile turns a validated, resolved scenario into a Variant.
func Compile(r *scenarios.Resolved) (*Variant, error) {
	sc := r.Scenario
	if len(sc.Population.NeedGroups) > maxGroups {
		return nil, fmt.Errorf("model: %d need groups; at most %d", len(sc.Population.NeedGroups), maxGroups)
	}
	v := &Variant{
		Name: r.Name, Description: r.Description, BudgetNeutral: r.BudgetNeutral,
		seed: sc.Seed, periodsPerYr: sc.PeriodsPerYear, burnIn: sc.BurnInPeriods,
		years: sc.HorizonYears, discountRate: sc.DiscountRate,
		residents:   sc.Population.Residents.Value,
		growth:      sc.Population.GrowthPerYear.Value,
		healthValue: sc.Population.HealthUnitValue.Value,
		priceScale:  1,
		calibReps:   sc.CalibrationReplications,
	}
	v.periods = v.burnIn + v.years*v.periodsPerYr
	v.compilePopulation(&sc.Population)
	v.compileBehaviour(&sc.Behaviour)
	v.compileKinds(&sc.Population, &sc.Behaviour)
	v.compileEpisodes(sc.Episodes, &v.beh)
	v.noise = newLognormalTable(v.beh.noise)

	ruleIdx := map[string]int{}
	kindIdx := map[string]int{}
	for i, k := range v.kinds {
		kindIdx[k.name] = i
	}
	for _, name := range sortedKeys(sc.Rules) {
		ruleIdx[name] = len(v.rules)
		v.rules = append(v.rules, v.compileRule(name, sc.Rules[name], kindIdx))
	}
	regIdx := map[string]int{}
	for _, name := range sortedKeys(sc.Regimes) {
		regIdx[name] = len(v.regimes)
		v.regimes = append(v.regimes, compileRegime(name, sc.Regimes[name], &sc.Behaviour))
	}
	areaIdx := map[string]int{}
	for i, a := range v.areas {
		areaIdx[a.name] = i
	}
	for _, name := range sc.CohortNames() {
		v.cohorts = append(v.cohorts, v.compileCohort(name, sc.Cohorts[name], ruleIdx, regIdx, areaIdx, kindIdx))
	}
	for i := range v.rules {
		v.rules[i].refRevenue = v.referenceRevenue(&v.rules[i])
	}
	return v, nil
}

// compilePopulation sets the need groups and the areas with their need mix.
func (v *Variant) compilePopulation(pop *scenarios.Population) {
	for _, g := range pop.NeedGroups {
		v.groups = append(v.groups, group{
			name: g.Name, share: g.Share.Value, demand: g.Demand.Value, sstar: g.OptimalVisits.Value,
			smax: g.MaxVisits.Value, beta: g.Benefit.Value, costWeight: g.CostWeight.Value,
			noShow: g.NoShowRate.Value,
		})
	}
	G := len(v.groups)
	for _, a := range pop.Areas {
		ar := area{name: a.Name, share: a.Share.Value}
		sum := 0.0
		for g := range v.groups {
			pos := 0.0
			if G > 1 {
				pos = float64(g)/float64(G-1) - 0.5
			}
			ar.mix[g] = v.groups[g].share * math.Exp(a.NeedTilt.Value*pos)
			sum += ar.mix[g]
		}
		for g := 0; g < G; g++ {
			ar.mix[g] /= sum
		}
		v.areas = append(v.areas, ar)
	}
}

// tiltMix shifts a need mix by a log tilt, as an area's need_tilt does: group g's share
// times exp(tilt·(g/(G−1) − ½)), renormalised.
func (v *Variant) tiltMix(mix [maxGroups]float64, tilt float64) [maxGroups]float64 {
	G := len(v.groups)
	sum := 0.0
	for g := range G {
		pos := 0.0
		if G > 1 {
			pos = float64(g)/float64(G-1) - 0.5
		}
		mix[g] *= math.Exp(tilt * pos)
		sum += mix[g]
	}
	for g := range G {
		mix[g] /= sum
	}
	return mix
}

// compileKinds sets the visit kinds: the declared ones, or one kind whose factors are 1.
func (v *Variant) compileKinds(pop *scenarios.Population, b *scenarios.Behaviour) {
	if len(pop.VisitKinds) == 0 {
		k := kind{name: "visit", minutes: 1, cost: 1, claim: 1, benefit: 1, demandMult: 1, subst: -1}
		for g := range v.groups {
			k.share[g] = 1
		}
		v.kinds = []kind{k}
		return
	}
	v.hasKinds = true
	idx := map[string]int{}
	for i, k := range pop.VisitKinds {
		idx[k.Name] = i
	}
	for _, k := range pop.VisitKinds {
		kd := kind{
			name: k.Name, minutes: k.Minutes.Value, cost: k.Cost.Value, claim: k.Claim.Value,
			benefit: k.Benefit.Value, patient: k.Initiated == "patient", patientFee: k.PatientFee.Value,
			demandMult: 1, subst: -1, substShare: k.Substitution.Value,
		}
		for g := range v.groups {
			kd.share[g] = k.Share.Value
			if k.ShareByGroup != nil {
				kd.share[g] = k.ShareByGroup[g].Value
			}
		}
		if kd.patient {
			kd.demandMult = math.Exp(-b.Volume.PatientFeeResponse.Value * kd.patientFee / 100)
		}
		if k.Substitutes != "" {
			kd.subst = idx[k.Substitutes]
			v.substitutes = v.substitutes || kd.substShare > 0
		}
		v.kinds = append(v.kinds, kd)
	}
}

// compileCohort resolves a cohort's rule, regime and area to indices and sets its
// attributes and control intensity.
func (v *Variant) compileCohort(name string, c *scenarios.Cohort, ruleIdx, regIdx, areaIdx, kindIdx map[string]int) cohort {
	co := cohort{
		name: name, key: nameKey(name), form: formIndex(c.Form),
		rule: ruleIdx[c.Rule], regime: regIdx[c.Regime], area: -1,
		public: c.Ownership == "public", private: c.Ownership == "private",
		count: c.Count, maxEntrants: c.MaxEntrants,
		needTilt: c.NeedTilt.Value, outOfRegion: c.OutOfRegion,
		episodes: c.Episodes, capacity: c.OperationsPerYear,
	}
	if c.Kinds == nil {
		for k := range v.kinds {
			co.kinds = append(co.kinds, k)
		}
	} else {
		for _, k := range c.Kinds {
			co.kinds = append(co.kinds, kindIdx[k])
		}
		slices.Sort(co.kinds)
	}
	if c.Area != "" {
		co.area = areaIdx[c.Area]
	}
	co.attrs = [nAttrs]scenarios.Param{
		attrFTE: c.FTE, attrHours: c.HoursPerFTE, attrMinutes: c.MinutesPerVisit,
		attrList: c.ListSize, attrCost: c.MarginalCost, attrCostFTE: c.CostPerFTE,
		attrAlpha: c.Altruism, attrGaming: c.Gaming, attrPrice: c.PriceFactor,
	}
	co.meanAlpha = c.Altruism.Value
	if co.form == formDirekt || co.form == formLOU {
		// A fixed set: LOU re-tendering gives a new holder in the same slot.
		co.maxEntrants = 0
	}
	co.control = v.controlIntensity(&v.rules[co.rule], &v.regimes[co.regime])
	return co
}

// draw draws a provider attribute.
func draw(p scenarios.Param, r *rand.Rand) float64 {
	switch p.Dist {
	case "uniform":
		return dist.UniformQuantile(p.Min, p.Max, r.Float64())
	case "normal":
		lo, hi := p.Support()
		return dist.TruncNormal(r, p.Mean, p.SD, lo, hi)
	case "lognormal":
		return dist.LognormalAt(p.Mean, p.SD, r.NormFloat64())
	case "beta":
		return dist.Beta(r, p.A, p.B)
	case "gamma":
		return dist.Gamma(r, p.Shape, false) * p.Scale
	case "triangular":
		return dist.TriangularQuantile(p.Min, p.Mode, p.Max, r.Float64())
	}
	return p.Value
}

func sortedKeys[T any](m map[string]T) []string {
	return slices.Sorted(maps.Keys(m))
}
