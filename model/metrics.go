package model

import "math"

// Payment components, in the order of the payments_<component> metrics.
const (
	compBudget = iota
	compCapitation
	compVisit
	compCase
	compGoal
	compSanctions
	nComps
)

var compNames = [nComps]string{"budget", "capitation", "visit", "case", "goal", "sanctions"}

// acc holds one replication's raw sums for one contract form over the counted periods.
// Metrics are computed from these at the end of the replication, after the forms have
// been added up for the "all" rows.
type acc struct {
	visits, clinicalHours  float64
	fteYears               float64 // clinician FTE × years under contract
	clinWork, clinAdmin    float64 // clinicians' working hours, and those on administration
	visitsG, overG, underG [maxGroups]float64
	visitsK                [maxKinds]float64
	patientFees            float64
	// Episodes (issue 14): operations, complications, reoperations, bed days, the
	// operations of the highest risk class, operations × waiting months, the payments
	// for and the providers' cost of them.
	eps, epComps, epReops, epLOS, epHigh, epWait, epPay, epCost float64
	benefitG, personYearsG                                      [maxGroups]float64
	benefit, benefitDisc                                        float64
	qualSum, qualW                                              float64
	measSum, measW                                              float64
	pay                                                         [nComps]float64
	payDisc                                                     float64
	adminHours, adminCost                                       float64
	adminCostDisc                                               float64
	regionCost, regionCostDisc                                  float64
	margin                                                      float64
	resourceCost, resourceCostDisc                              float64 // clinical resources: FTE cost and cash cost of visits
	upcoded, upW                                                float64
	exSum, exW                                                  float64
	defYears, detYears                                          float64
	entries, exits                                              float64
	active                                                      float64 // at the end of the horizon
	present                                                     float64 // provider-periods, to tell an empty form
}

func (a *acc) add(b *acc) {
	a.visits += b.visits
	a.clinicalHours += b.clinicalHours
	a.fteYears += b.fteYears
	a.clinWork += b.clinWork
	a.clinAdmin += b.clinAdmin
	for g := range maxGroups {
		a.visitsG[g] += b.visitsG[g]
		a.overG[g] += b.overG[g]
		a.underG[g] += b.underG[g]
		a.benefitG[g] += b.benefitG[g]
		a.personYearsG[g] += b.personYearsG[g]
	}
	for k := range maxKinds {
		a.visitsK[k] += b.visitsK[k]
	}
	a.patientFees += b.patientFees
	a.eps += b.eps
	a.epComps += b.epComps
	a.epReops += b.epReops
	a.epLOS += b.epLOS
	a.epHigh += b.epHigh
	a.epWait += b.epWait
	a.epPay += b.epPay
	a.epCost += b.epCost
	a.benefit += b.benefit
	a.benefitDisc += b.benefitDisc
	a.qualSum += b.qualSum
	a.qualW += b.qualW
	a.measSum += b.measSum
	a.measW += b.measW
	for c := range nComps {
		a.pay[c] += b.pay[c]
	}
	a.payDisc += b.payDisc
	a.adminHours += b.adminHours
	a.adminCost += b.adminCost
	a.adminCostDisc += b.adminCostDisc
	a.regionCost += b.regionCost
	a.regionCostDisc += b.regionCostDisc
	a.margin += b.margin
	a.resourceCost += b.resourceCost
	a.resourceCostDisc += b.resourceCostDisc
	a.upcoded += b.upcoded
	a.upW += b.upW
	a.exSum += b.exSum
	a.exW += b.exW
	a.defYears += b.defYears
	a.detYears += b.detYears
	a.entries += b.entries
	a.exits += b.exits
	a.active += b.active
	a.present += b.present
}

func (a *acc) payments() float64 {
	s := 0.0
	for _, p := range a.pay {
		s += p
	}
	return s
}

// Metric describes one output metric.
type Metric struct {
	Name        string
	Unit        string
	ByGroup     bool // also reported per need group
	Description string
	value       func(a *acc, x *ctx, g int) float64 // g = −1 for all groups
}

// ctx carries what a metric needs beyond the sums.
type ctx struct {
	years       float64
	residents   float64
	residentsG  [maxGroups]float64
	healthValue float64
	groups      []group
}

func ratio(n, d float64) float64 {
	if d == 0 {
		return math.NaN()
	}
	return n / d
}

func perGroup(all float64, byG *[maxGroups]float64, g int) float64 {
	if g < 0 {
		return all
	}
	return byG[g]
}

func sumG(x *[maxGroups]float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// Metrics lists every output metric, in output order. Flows are per year (averaged over
// the counted years); "_total" metrics are cumulated over the horizon, "_total_disc"
// the same discounted to the start of counting.
var Metrics = []Metric{
	{"visits", "visits per year", true, "visits made",
		func(a *acc, x *ctx, g int) float64 { return perGroup(a.visits, &a.visitsG, g) / x.years }},
	{"visits_per_1000", "visits per 1 000 residents and year", true, "visits per 1 000 residents (of the need group, for need-group rows)",
		func(a *acc, x *ctx, g int) float64 {
			if g < 0 {
				return a.visits / x.years / x.residents * 1000
			}
			return ratio(a.visitsG[g]/x.years, x.residentsG[g]) * 1000
		}},
	{"overprovision", "visits per year", true, "visits above the patient-optimal number",
		func(a *acc, x *ctx, g int) float64 { return perGroup(sumG(&a.overG), &a.overG, g) / x.years }},
	{"underprovision", "visits per year", true, "visits short of the patient-optimal number",
		func(a *acc, x *ctx, g int) float64 { return perGroup(sumG(&a.underG), &a.underG, g) / x.years }},
	{"true_quality", "index (1 = reference provider)", false, "quality patients get: effort on measured and unmeasured dimensions and visit length, patient-weighted",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.qualSum, a.qualW) }},
	{"measured_quality", "share of indicator targets met", false, "achievement the region sees: true achievement, measurement noise and exception gaming, over providers with indicators",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.measSum, a.measW) }},
	{"health_benefit", "health units per year", true, "patient health benefit of the visits made, times true quality",
		func(a *acc, x *ctx, g int) float64 { return perGroup(a.benefit, &a.benefitG, g) / x.years }},
	{"payments", "SEK per year", false, "all payments from the region to providers",
		func(a *acc, x *ctx, g int) float64 { return a.payments() / x.years }},
	{"payments_budget", "SEK per year", false, "fixed budgets (anslag)",
		func(a *acc, x *ctx, g int) float64 { return a.pay[compBudget] / x.years }},
	{"payments_capitation", "SEK per year", false, "capitation per listed person",
		func(a *acc, x *ctx, g int) float64 { return a.pay[compCapitation] / x.years }},
	{"payments_visit", "SEK per year", false, "visit fees after ceilings",
		func(a *acc, x *ctx, g int) float64 { return a.pay[compVisit] / x.years }},
	{"payments_case", "SEK per year", false, "case payments after ceilings",
		func(a *acc, x *ctx, g int) float64 { return a.pay[compCase] / x.years }},
	{"payments_goal", "SEK per year", false, "goal-related payment: bonuses minus vite",
		func(a *acc, x *ctx, g int) float64 { return a.pay[compGoal] / x.years }},
	{"payments_sanctions", "SEK per year", false, "clawbacks and vite after audits (negative)",
		func(a *acc, x *ctx, g int) float64 { return a.pay[compSanctions] / x.years }},
	{"patient_fees", "SEK per year", false, "patient fees (patientavgifter) paid; the region pays the fees less them, so they are not in payments",
		func(a *acc, x *ctx, g int) float64 { return a.patientFees / x.years }},
	{"episodes", "episodes per year", false, "episodes (operations) done, issue 14",
		func(a *acc, x *ctx, g int) float64 { return a.eps / x.years }},
	{"complications_per_100", "per 100 episodes", false, "complications per 100 episodes",
		func(a *acc, x *ctx, g int) float64 { return 100 * ratio(a.epComps, a.eps) }},
	{"reoperations_per_100", "per 100 episodes", false, "reoperations per 100 episodes",
		func(a *acc, x *ctx, g int) float64 { return 100 * ratio(a.epReops, a.eps) }},
	{"episode_cost_region", "SEK per episode", false, "what the region pays the episode providers per episode (budgets, episode payments, reoperations)",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.epPay, a.eps) }},
	{"episode_cost_provider", "SEK per episode", false, "the episode providers' cost per episode: staff, operation, stay, reoperations and quality effort",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.epCost, a.eps) }},
	{"length_of_stay", "days per episode", false, "days in hospital per episode, complications included (reoperations' stays are in their cost)",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.epLOS, a.eps) }},
	{"waiting_months", "months", false, "waiting time at the provider when operated: its queue over its monthly capacity, operation-weighted",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.epWait, a.eps) }},
	{"high_risk_share", "share of episodes", false, "episodes of the highest risk class: the risk mix each contract form treats",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.epHigh, a.eps) }},
	{"provider_admin_hours", "hours per year", false, "providers' administrative hours: claims, indicator reports, audits, base",
		func(a *acc, x *ctx, g int) float64 { return a.adminHours / x.years }},
	{"provider_admin_cost", "SEK per year", false, "providers' administrative hours at staff cost",
		func(a *acc, x *ctx, g int) float64 { return a.adminCost / x.years }},
	{"region_followup_cost", "SEK per year", false, "the region's follow-up: contracts, indicators, audits",
		func(a *acc, x *ctx, g int) float64 { return a.regionCost / x.years }},
	{"admin_share", "share", false, "(provider admin cost + region follow-up cost) / (payments + region follow-up cost)",
		func(a *acc, x *ctx, g int) float64 {
			return ratio(a.adminCost+a.regionCost, a.payments()+a.regionCost)
		}},
	{"clinician_admin_share", "share of working hours", false, "clinicians' hours on administration (their share of provider_admin_hours plus other_clinician_hours_per_fte_year) / their working hours",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.clinAdmin, a.clinWork) }},
	{"clinical_hours", "hours per year", false, "clinician hours spent in visits",
		func(a *acc, x *ctx, g int) float64 { return a.clinicalHours / x.years }},
	{"clinician_fte", "FTE", false, "clinician full-time equivalents under contract, mean over the horizon",
		func(a *acc, x *ctx, g int) float64 { return a.fteYears / x.years }},
	{"provider_margin", "SEK per year", false, "payments minus clinical staff, cash cost of visits and support staff's admin cost",
		func(a *acc, x *ctx, g int) float64 { return a.margin / x.years }},
	{"providers_active", "providers", false, "providers under contract at the end of the horizon",
		func(a *acc, x *ctx, g int) float64 { return a.active }},
	{"entries", "providers over the horizon", false, "new providers (LOV entry, LOL/LOF new establishments)",
		func(a *acc, x *ctx, g int) float64 { return a.entries }},
	{"exits", "providers over the horizon", false, "providers that left",
		func(a *acc, x *ctx, g int) float64 { return a.exits }},
	{"upcoding_rate", "share of patients", false, "patients reported in a higher-paid class than their own",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.upcoded, a.upW) }},
	{"exception_rate", "share of eligible patients", false, "patients excepted from indicator denominators (clinical and gamed)",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.exSum, a.exW) }},
	{"equity_ratio", "ratio", false, "benefit relative to need in the highest need group over the same in the lowest",
		func(a *acc, x *ctx, g int) float64 {
			G := len(x.groups)
			rel := func(g int) float64 {
				gr := x.groups[g]
				return ratio(a.benefitG[g], a.personYearsG[g]) / (gr.beta * gr.sstar / 2)
			}
			return ratio(rel(G-1), rel(0))
		}},
	{"deficient_detected", "share of deficient provider-years", false, "deficient provider-years in which follow-up found the deficiency",
		func(a *acc, x *ctx, g int) float64 { return ratio(a.detYears, a.defYears) }},
	{"net_benefit_payer", "SEK per year", false, "value of health benefit − payments − follow-up cost (MODEL.md §7)",
		func(a *acc, x *ctx, g int) float64 {
			return (a.benefit*x.healthValue - a.payments() - a.regionCost) / x.years
		}},
	{"net_benefit_society", "SEK per year", false, "value of health benefit − clinical resource cost − all administrative cost",
		func(a *acc, x *ctx, g int) float64 {
			return (a.benefit*x.healthValue - a.resourceCost - a.adminCost - a.regionCost) / x.years
		}},
	{"payments_total", "SEK over the horizon", false, "payments cumulated, undiscounted",
		func(a *acc, x *ctx, g int) float64 { return a.payments() }},
	{"payments_total_disc", "SEK over the horizon, discounted", false, "payments cumulated, discounted",
		func(a *acc, x *ctx, g int) float64 { return a.payDisc }},
	{"health_benefit_total", "health units over the horizon", false, "health benefit cumulated, undiscounted",
		func(a *acc, x *ctx, g int) float64 { return a.benefit }},
	{"health_benefit_total_disc", "health units over the horizon, discounted", false, "health benefit cumulated, discounted",
		func(a *acc, x *ctx, g int) float64 { return a.benefitDisc }},
	{"admin_cost_total", "SEK over the horizon", false, "provider admin and region follow-up cost cumulated, undiscounted",
		func(a *acc, x *ctx, g int) float64 { return a.adminCost + a.regionCost }},
	{"admin_cost_total_disc", "SEK over the horizon, discounted", false, "provider admin and region follow-up cost cumulated, discounted",
		func(a *acc, x *ctx, g int) float64 { return a.adminCostDisc + a.regionCostDisc }},
	{"net_benefit_payer_total_disc", "SEK over the horizon, discounted", false, "payer's net benefit cumulated, discounted",
		func(a *acc, x *ctx, g int) float64 { return a.benefitDisc*x.healthValue - a.payDisc - a.regionCostDisc }},
	{"net_benefit_society_total_disc", "SEK over the horizon, discounted", false, "society's net benefit cumulated, discounted",
		func(a *acc, x *ctx, g int) float64 {
			return a.benefitDisc*x.healthValue - a.resourceCostDisc - a.adminCostDisc - a.regionCostDisc
		}},
}

// kindsOnly names the metrics reported only for scenarios with visit kinds (issue 13),
// so that scenarios without them keep their outputs.
var kindsOnly = map[string]bool{"patient_fees": true}

// episodesOnly names the metrics reported only for scenarios with [episodes] (issue 14).
var episodesOnly = map[string]bool{
	"episodes": true, "complications_per_100": true, "reoperations_per_100": true,
	"episode_cost_region": true, "episode_cost_provider": true, "length_of_stay": true,
	"waiting_months": true, "high_risk_share": true,
}

// kindMetrics gives, for the metrics also reported per visit kind, the value for kind
// k. Their rows follow the need groups' in the group column, named by the kind.
var kindMetrics = map[string]func(a *acc, x *ctx, k int) float64{
	"visits": func(a *acc, x *ctx, k int) float64 { return a.visitsK[k] / x.years },
	"visits_per_1000": func(a *acc, x *ctx, k int) float64 {
		return a.visitsK[k] / x.years / x.residents * 1000
	},
}

// Headline metrics: the stdout table and the report's first table.
var Headline = []string{"visits_per_1000", "true_quality", "health_benefit", "payments", "admin_share"}

// MetricIndex returns the index of a metric in Metrics, or −1.
func MetricIndex(name string) int {
	for i, m := range Metrics {
		if m.Name == name {
			return i
		}
	}
	return -1
}

// Time series: per-period sums for the "all" rows of these metrics.
const (
	tsVisits = iota
	tsBenefit
	tsQualSum
	tsQualW
	tsMeasSum
	tsMeasW
	tsPay
	tsAdminH
	tsAdminC
	tsRegionC
	tsActive
	tsUpcoded
	tsUpW
	tsExSum
	tsExW
	tsMargin
	tsResidents
	nTS
)

// SeriesMetric is a metric reported per period.
type SeriesMetric struct {
	Name, Unit string
	value      func(s *[nTS]float64, x *ctx, perYear float64) float64
}

// Series lists the per-period metrics of timeseries.csv.
var Series = []SeriesMetric{
	{"visits", "visits per period", func(s *[nTS]float64, x *ctx, p float64) float64 { return s[tsVisits] }},
	{"visits_per_1000", "visits per 1 000 residents and year", func(s *[nTS]float64, x *ctx, p float64) float64 {
		return ratio(s[tsVisits]*p, s[tsResidents]) * 1000
	}},
	{"true_quality", "index (1 = reference provider)", func(s *[nTS]float64, x *ctx, p float64) float64 { return ratio(s[tsQualSum], s[tsQualW]) }},
	{"measured_quality", "share of indicator targets met", func(s *[nTS]float64, x *ctx, p float64) float64 { return ratio(s[tsMeasSum], s[tsMeasW]) }},
	{"health_benefit", "health units per period", func(s *[nTS]float64, x *ctx, p float64) float64 { return s[tsBenefit] }},
	{"payments", "SEK per period", func(s *[nTS]float64, x *ctx, p float64) float64 { return s[tsPay] }},
	{"provider_admin_hours", "hours per period", func(s *[nTS]float64, x *ctx, p float64) float64 { return s[tsAdminH] }},
	{"region_followup_cost", "SEK per period", func(s *[nTS]float64, x *ctx, p float64) float64 { return s[tsRegionC] }},
	{"admin_share", "share", func(s *[nTS]float64, x *ctx, p float64) float64 {
		return ratio(s[tsAdminC]+s[tsRegionC], s[tsPay]+s[tsRegionC])
	}},
	{"provider_margin", "SEK per period", func(s *[nTS]float64, x *ctx, p float64) float64 { return s[tsMargin] }},
	{"providers_active", "providers", func(s *[nTS]float64, x *ctx, p float64) float64 { return s[tsActive] }},
	{"upcoding_rate", "share of patients", func(s *[nTS]float64, x *ctx, p float64) float64 { return ratio(s[tsUpcoded], s[tsUpW]) }},
	{"exception_rate", "share of eligible patients", func(s *[nTS]float64, x *ctx, p float64) float64 { return ratio(s[tsExSum], s[tsExW]) }},
}
