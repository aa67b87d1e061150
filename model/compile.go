package model

import (
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"ersim/scenarios"
)

// maxGroups bounds the number of need groups, so per-provider state is fixed-size arrays
// and a provider-period allocates nothing.
const maxGroups = 8

// Contract form indices, in scenarios.ContractForms order.
const (
	formDirekt = iota
	formLOU
	formLOV
	formLOL
	formLOF
	nForms
)

// Provider attributes drawn per provider.
const (
	attrFTE = iota
	attrHours
	attrMinutes
	attrList
	attrCost
	attrCostFTE
	attrAlpha
	attrGaming
	attrPrice
	nAttrs
)

type group struct {
	name                       string
	share, demand, sstar, smax float64
	beta, costWeight           float64
}

type area struct {
	name  string
	share float64
	mix   [maxGroups]float64 // need mix of the area's residents
}

type indicator struct {
	weight, lower, upper, noise, gameable, baseline, trend float64
	vite                                                   bool
}

type rule struct {
	name        string
	budget      float64 // SEK per provider-year
	hasCap      bool
	capitation  float64 // SEK per person-year before risk weights
	capAccuracy float64
	riskAdj     bool
	hasFee      bool
	fee         float64
	categories  int
	hasCase     bool
	casePrice   [maxGroups]float64
	indicators  []indicator
	hasCeiling  bool
	tak1, tak2  float64
	reduced     float64
	clawback    float64
	vite        float64
	reports     float64 // per year
	doc         float64
	mix         *scenarios.Mix
	// refRevenue is revenue per listed person-year used to size indicator stakes.
	refRevenue float64
	// scale multiplies the rule's prices: budget-neutral calibration sets it on the rules
	// a variant changes.
	scale float64
	// text is the rule as written (TOML), to tell which rules a variant changes.
	text string
}

type regime struct {
	name      string
	reported  int
	reports   float64 // 0: the rule's frequency
	audit     float64 // per provider-year
	risk      bool
	focus     float64
	sensitive float64
	// Purchaser's follow-up hours per contract and year.
	regContract float64
	// Sanctions of the regime, replacing the rule's when hasSanctions.
	hasSanctions   bool
	clawback, vite float64
}

type cohort struct {
	name        string
	key         uint64
	form        int
	rule        int
	regime      int
	area        int // −1: spread over areas
	public      bool
	private     bool // for-profit ownership
	count       int
	maxEntrants int
	attrs       [nAttrs]scenarios.Param
	meanAlpha   float64
	control     float64 // C in [0,1], §4.4
}

// behaviour is the scenario's behavioural parameters as plain numbers.
type behaviour struct {
	dutyFloor, noise, maxCompress, waitElast float64
	discretionary, poisson, capacity         bool

	quality                             bool
	vm, vu, effortCost, rho, wm, lossAv float64
	achResponse, lengthElast, refAlpha  float64

	baseHours, claimHours, catComplex, indHours, auditHours float64
	clinShare, hourly                                       float64
	regIndicator, regAudit, regHourly                       float64

	upcoding                   bool
	upStep, upMax, upForProfit float64

	exceptions                bool
	exClinical, exMax, exBand float64

	skimming                         bool
	skimStrength, skimMax, skimSpeed float64

	kappa, lambda, refControl float64

	staffing             bool
	staffSpeed, staffMax float64

	entry                                         bool
	lovRate, lovThreshold, lovScale, locationBias float64
	entrantShare, exitThreshold                   float64
	exitPeriods                                   int
	louYears, louPriceSD, transferRate, newEst    float64

	choice                         bool
	activeShare, reconsider, theta float64

	ceilings bool
	safetyZ  float64

	deficient, flagLevel float64
}

// Variant is one resolved variant compiled for simulation.
type Variant struct {
	Name          string
	Description   string
	BudgetNeutral bool

	seed         uint64
	periodsPerYr int
	burnIn       int
	years        int
	periods      int // burn-in + counted
	discountRate float64
	residents    float64
	growth       float64 // relative change in residents per year
	healthValue  float64
	groups       []group
	areas        []area
	rules        []rule
	regimes      []regime
	cohorts      []cohort
	beh          behaviour
	noise        *lognormalTable
	// priceScale is the factor budget-neutral calibration put on the changed rules.
	priceScale float64
	calibReps  int
}

func nameKey(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func formIndex(f string) int {
	for i, n := range scenarios.ContractForms {
		if n == f {
			return i
		}
	}
	panic("model: unknown contract form " + f + " (the scenario was not validated)")
}

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
	for _, g := range sc.Population.NeedGroups {
		v.groups = append(v.groups, group{
			name: g.Name, share: g.Share.Value, demand: g.Demand.Value, sstar: g.OptimalVisits.Value,
			smax: g.MaxVisits.Value, beta: g.Benefit.Value, costWeight: g.CostWeight.Value,
		})
	}
	G := len(v.groups)
	for _, a := range sc.Population.Areas {
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
	v.compileBehaviour(&sc.Behaviour)
	v.noise = newLognormalTable(v.beh.noise)

	ruleIdx := map[string]int{}
	for _, name := range sortedKeys(sc.Rules) {
		ruleIdx[name] = len(v.rules)
		v.rules = append(v.rules, v.compileRule(name, sc.Rules[name]))
	}
	regIdx := map[string]int{}
	for _, name := range sortedKeys(sc.Regimes) {
		g := sc.Regimes[name]
		regIdx[name] = len(v.regimes)
		rg := regime{
			name: name, reported: g.ReportedIndicators, reports: g.ReportsPerYear.Value,
			audit: g.AuditRate.Value, risk: g.Targeting == "risk", focus: g.RiskFocus.Value,
			sensitive: g.Sensitivity.Value, regContract: sc.Behaviour.Admin.ContractHours.Value,
		}
		// Unset, the behaviour's value applies (read here, not defaulted at load, so
		// that an uncertain or swept behaviour value reaches every regime).
		if g.RegionHours.IsSet() {
			rg.regContract = g.RegionHours.Value
		}
		if s := g.Sanctions; s != nil {
			rg.hasSanctions, rg.clawback, rg.vite = true, s.Clawback.Value, s.Vite.Value
		}
		v.regimes = append(v.regimes, rg)
	}
	areaIdx := map[string]int{}
	for i, a := range v.areas {
		areaIdx[a.name] = i
	}
	for _, name := range sc.CohortNames() {
		c := sc.Cohorts[name]
		co := cohort{
			name: name, key: nameKey(name), form: formIndex(c.Form),
			rule: ruleIdx[c.Rule], regime: regIdx[c.Regime], area: -1,
			public: c.Ownership == "public", private: c.Ownership == "private",
			count: c.Count, maxEntrants: c.MaxEntrants,
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
		v.cohorts = append(v.cohorts, co)
	}
	for i := range v.rules {
		v.rules[i].refRevenue = v.referenceRevenue(&v.rules[i])
	}
	return v, nil
}

func (v *Variant) compileBehaviour(b *scenarios.Behaviour) {
	on := scenarios.On
	v.beh = behaviour{
		dutyFloor: b.Volume.DutyFloor.Value, noise: b.Volume.DecisionNoise.Value,
		maxCompress: b.Volume.MaxCompression.Value, waitElast: b.Volume.WaitElasticity.Value,
		discretionary: on(b.Volume.Discretionary), poisson: on(b.Volume.Poisson), capacity: on(b.Volume.Capacity),

		quality: on(b.Quality.Enabled), vm: b.Quality.ValueMeasured.Value, vu: b.Quality.ValueUnmeasured.Value,
		effortCost: b.Quality.EffortCost.Value, rho: b.Quality.Substitution.Value, wm: b.Quality.WeightMeasured.Value,
		lossAv: b.Quality.LossAversion.Value, achResponse: b.Quality.AchievementResponse.Value,
		lengthElast: b.Quality.VisitLengthElasticity.Value, refAlpha: b.Quality.ReferenceAltruism.Value,

		baseHours: b.Admin.BaseHours.Value, claimHours: b.Admin.ClaimHours.Value,
		catComplex: b.Admin.CategoryComplexity.Value, indHours: b.Admin.IndicatorHours.Value,
		auditHours: b.Admin.AuditHours.Value, clinShare: b.Admin.ClinicianShare.Value,
		hourly:       b.Admin.HourlyCost.Value,
		regIndicator: b.Admin.IndicatorRegionHours.Value, regAudit: b.Admin.AuditRegionHours.Value,
		regHourly: b.Admin.RegionHourlyCost.Value,

		upcoding: on(b.Upcoding.Enabled), upStep: b.Upcoding.Step.Value, upMax: b.Upcoding.Max.Value,
		upForProfit: b.Upcoding.ForProfitMultiplier.Value,

		exceptions: on(b.Exceptions.Enabled), exClinical: b.Exceptions.Clinical.Value,
		exMax: b.Exceptions.MaxGaming.Value, exBand: b.Exceptions.Bandwidth.Value,

		skimming: on(b.Skimming.Enabled), skimStrength: b.Skimming.Strength.Value,
		skimMax: b.Skimming.MaxTilt.Value, skimSpeed: b.Skimming.Speed.Value,

		staffing: on(b.Staffing.Enabled) && b.Staffing.Speed.Value > 0, staffSpeed: b.Staffing.Speed.Value,
		staffMax: b.Staffing.MaxChange.Value,

		kappa: b.Motivation.Kappa.Value, lambda: b.Motivation.Lambda.Value,
		refControl: b.Motivation.ReferenceControl.Value,

		entry: on(b.Entry.Enabled), lovRate: b.Entry.LOVRate.Value, lovThreshold: b.Entry.LOVThreshold.Value,
		lovScale: b.Entry.LOVScale.Value, locationBias: b.Entry.LocationBias.Value,
		entrantShare: b.Entry.EntrantListShare.Value, exitThreshold: b.Entry.ExitThreshold.Value,
		exitPeriods: b.Entry.ExitPeriods, louYears: b.Entry.LOUContractYears.Value,
		louPriceSD: b.Entry.LOUPriceSD.Value, transferRate: b.Entry.TransferRate.Value,
		newEst: b.Entry.NewEstablishments.Value,

		choice: on(b.Choice.Enabled), activeShare: b.Choice.ActiveShare.Value,
		reconsider: b.Choice.Reconsider.Value, theta: b.Choice.Theta.Value,

		ceilings: on(b.Ceilings.Enabled), safetyZ: b.Ceilings.SafetyZ.Value,

		deficient: b.Followup.DeficientQuality.Value, flagLevel: b.Followup.FlagLevel.Value,
	}
}

func (v *Variant) compileRule(name string, r *scenarios.Rule) rule {
	ru := rule{
		name: name, budget: r.FixedBudget.Value, reports: r.ReportsPerYear.Value,
		doc: r.DocumentationPerClaim.Value, mix: r.Mix, scale: 1, text: encodeRule(r),
	}
	if c := r.Capitation; c != nil {
		ru.hasCap, ru.capitation, ru.riskAdj, ru.capAccuracy = true, c.PerPersonYear.Value, c.RiskAdjusted, c.Accuracy.Value
	}
	if f := r.VisitFee; f != nil {
		ru.hasFee, ru.fee, ru.categories = true, f.Fee.Value, f.Categories
	}
	if c := r.CasePayment; c != nil {
		ru.hasCase = true
		for g := range c.Prices {
			ru.casePrice[g] = c.Prices[g].Value
		}
	}
	for _, in := range r.Indicators {
		ru.indicators = append(ru.indicators, indicator{
			weight: in.Weight.Value, lower: in.Lower.Value, upper: in.Upper.Value,
			noise: in.Noise.Value, gameable: in.Gameable.Value, baseline: in.Baseline.Value,
			trend: in.Trend.Value, vite: in.Framing == "vite",
		})
	}
	if c := r.Ceiling; c != nil {
		ru.hasCeiling, ru.tak1, ru.tak2, ru.reduced = true, c.Tak1.Value, c.Tak2.Value, c.ReducedShare.Value
	}
	ru.clawback = 1 // overpayment found by an audit is recovered unless the rule says otherwise
	if s := r.Sanctions; s != nil {
		ru.clawback, ru.vite = s.Clawback.Value, s.Vite.Value
	}
	if m := r.Mix; m != nil {
		v.applyMix(&ru, m)
	}
	return ru
}

// applyMix sets first-guess prices from revenue shares: capitation and budget exactly,
// visit and case prices from patient-optimal visits. Calibrate then corrects them for the
// visits the providers actually make.
func (v *Variant) applyMix(ru *rule, m *scenarios.Mix) {
	rev := m.RevenuePerPersonYear.Value
	optVisits := 0.0
	for _, g := range v.groups {
		optVisits += g.share * g.sstar
	}
	if ru.hasCap {
		ru.capitation = m.Capitation.Value * rev
	}
	if ru.hasFee && optVisits > 0 {
		ru.fee = m.Visit.Value * rev / optVisits
	}
	if ru.hasCase && optVisits > 0 {
		// Keep the relative prices of the classes; scale their visit-weighted mean.
		mean := 0.0
		for g, gr := range v.groups {
			mean += gr.share * gr.sstar * ru.casePrice[g] / optVisits
		}
		if mean > 0 {
			for g := range v.groups {
				ru.casePrice[g] *= m.Case.Value * rev / optVisits / mean
			}
		}
	}
	// The budget share is per listed person; it is converted to a per-provider sum by
	// calibration, which knows the list sizes.
	ru.budget = 0
	sumW := 0.0
	for _, in := range ru.indicators {
		sumW += in.weight
	}
	if sumW > 0 {
		for i := range ru.indicators {
			ru.indicators[i].weight *= m.Goal.Value / sumW
		}
	}
}

// referenceRevenue is a rule's revenue per listed person-year at patient-optimal
// visits: the base for the stakes of its indicators.
func (v *Variant) referenceRevenue(ru *rule) float64 {
	if ru.mix != nil {
		return ru.mix.RevenuePerPersonYear.Value
	}
	rev := 0.0
	for g, gr := range v.groups {
		if ru.hasCap {
			rev += gr.share * ru.capitation
		}
		if ru.hasFee {
			rev += gr.share * gr.sstar * ru.fee
		}
		if ru.hasCase {
			rev += gr.share * gr.sstar * ru.casePrice[g]
		}
	}
	return rev
}

// draw draws a provider attribute.
func draw(p scenarios.Param, r *rand.Rand) float64 {
	switch p.Dist {
	case "uniform":
		return p.Min + (p.Max-p.Min)*r.Float64()
	case "normal":
		lo, hi := p.Support()
		for range 1000 {
			x := p.Mean + p.SD*r.NormFloat64()
			if x >= lo && x <= hi {
				return x
			}
		}
		return math.Min(hi, math.Max(lo, p.Mean))
	case "lognormal":
		s2 := math.Log1p(p.SD * p.SD / (p.Mean * p.Mean))
		return math.Exp(math.Log(p.Mean) - s2/2 + math.Sqrt(s2)*r.NormFloat64())
	case "beta":
		x := gammaDraw(r, p.A)
		y := gammaDraw(r, p.B)
		return x / (x + y)
	case "gamma":
		return gammaDraw(r, p.Shape) * p.Scale
	case "triangular":
		u := r.Float64()
		f := (p.Mode - p.Min) / (p.Max - p.Min)
		if u < f {
			return p.Min + math.Sqrt(u*(p.Max-p.Min)*(p.Mode-p.Min))
		}
		return p.Max - math.Sqrt((1-u)*(p.Max-p.Min)*(p.Max-p.Mode))
	}
	return p.Value
}

func sortedKeys[T any](m map[string]T) []string {
	return slices.Sorted(maps.Keys(m))
}

// PriceScale is the factor budget-neutral calibration put on the prices of the rules the
// variant changes (1 for other variants).
func (v *Variant) PriceScale() float64 { return v.priceScale }

func encodeRule(r *scenarios.Rule) string {
	var b strings.Builder
	if err := toml.NewEncoder(&b).Encode(r); err != nil {
		panic("model: cannot encode a decoded rule: " + err.Error())
	}
	return b.String()
}
