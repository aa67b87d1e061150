package validation

import (
	"fmt"
	"math"

	"ersim/scenarios"
)

// SharedSetName names the behavioural parameter set of the validation scenarios.
const SharedSetName = "validation-2"

// SharedParam is one parameter of the shared set.
type SharedParam struct {
	Key    string // scenario key path; cohort attributes as cohorts.*.KEY
	Value  string // as written in the scenarios
	Origin string // where the value comes from
	get    func(sc *scenarios.Scenario) []scenarios.Param
}

func beh(f func(b *scenarios.Behaviour) scenarios.Param) func(*scenarios.Scenario) []scenarios.Param {
	return func(sc *scenarios.Scenario) []scenarios.Param { return []scenarios.Param{f(&sc.Behaviour)} }
}

func cohorts(f func(c *scenarios.Cohort) scenarios.Param) func(*scenarios.Scenario) []scenarios.Param {
	return func(sc *scenarios.Scenario) []scenarios.Param {
		var out []scenarios.Param
		for _, n := range sc.CohortNames() {
			out = append(out, f(sc.Cohorts[n]))
		}
		return out
	}
}

const (
	fromDefault     = "engine default (scenarios/defaults.go), as every shipped scenario"
	fromShipped     = "as every cohort of the shipped scenarios"
	fromCalibration = "calibrated jointly on the in-sample targets 6, 7a, 7b, 8a, 8c, 9a, 9b, 10 and 11 (issue 12; validation/calibration.toml, the recorded run validation/calibration-run): the posterior mean; the engine default, so every shipped scenario"
	fromCasalino    = "measured: Casalino et al. 2016 (physicians 2.6 of 15.1 reporting hours), an input not calibrated (issue 12); target 9b checks it; the engine default, so every shipped scenario"
)

// Shared is the behavioural parameter set every validation scenario uses: altruism,
// decision noise, multitasking, gaming and loss aversion (issue 4), with the rest of the
// behavioural tables, and the calibrated administrative parameters. None was fitted to a
// validation target; where each comes from is in Origin.
var Shared = []SharedParam{
	{"cohorts.*.altruism", "beta(0.8, 1.2)", fromShipped + "; an assumption: heterogeneous with a mass near zero, as the lab estimates describe it qualitatively (Godager & Wiesen 2013; Brosig-Koch et al. 2017; their numbers are [U] in literature.md)",
		cohorts(func(c *scenarios.Cohort) scenarios.Param { return c.Altruism })},
	{"cohorts.*.gaming_propensity", "beta(1.5, 8.5)", fromShipped + "; an assumption",
		cohorts(func(c *scenarios.Cohort) scenarios.Param { return c.Gaming })},
	{"behaviour.volume.decision_noise", "0.1", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Volume.DecisionNoise })},
	{"behaviour.volume.duty_floor", "0.8", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Volume.DutyFloor })},
	{"behaviour.volume.max_compression", "0.2", fromDefault + " (sweden.md §7 [E])", beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Volume.MaxCompression })},
	{"behaviour.volume.wait_elasticity", "1.01", fromCalibration, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Volume.WaitElasticity })},
	{"behaviour.quality.value_measured", "300", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Quality.ValueMeasured })},
	{"behaviour.quality.value_unmeasured", "400", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Quality.ValueUnmeasured })},
	{"behaviour.quality.effort_cost", "400", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Quality.EffortCost })},
	{"behaviour.quality.substitution", "0.5", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Quality.Substitution })},
	{"behaviour.quality.weight_measured", "0.35", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Quality.WeightMeasured })},
	{"behaviour.quality.achievement_response", "0.56", fromCalibration, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Quality.AchievementResponse })},
	{"behaviour.quality.visit_length_elasticity", "0.5", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Quality.VisitLengthElasticity })},
	{"behaviour.quality.reference_altruism", "0.5", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Quality.ReferenceAltruism })},
	{"behaviour.quality.loss_aversion", "2", "engine default (scenarios/defaults.go), written out in every shipped scenario (MODEL.md §4.2; Ellegård, Dietrichson & Anell 2018 for the direction; the factor 2 is an assumption)", beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Quality.LossAversion })},
	{"behaviour.upcoding.step", "0.02", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Upcoding.Step })},
	{"behaviour.upcoding.max", "0.25", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Upcoding.Max })},
	{"behaviour.upcoding.for_profit_multiplier", "1.5", fromDefault + " (Silverman & Skinner 2004 for the direction)", beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Upcoding.ForProfitMultiplier })},
	{"behaviour.exceptions.clinical_rate", "0.0546", fromCalibration, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Exceptions.Clinical })},
	{"behaviour.exceptions.max_gaming", "0.05", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Exceptions.MaxGaming })},
	{"behaviour.exceptions.bandwidth", "0.1", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Exceptions.Bandwidth })},
	{"behaviour.cream_skimming.strength", "1", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Skimming.Strength })},
	{"behaviour.cream_skimming.max_tilt", "0.3", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Skimming.MaxTilt })},
	{"behaviour.cream_skimming.speed", "0.05", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Skimming.Speed })},
	{"behaviour.motivation.kappa", "0", fromDefault + ": crowding off (MODEL.md §4.4: no study fixes κ)", beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Motivation.Kappa })},
	{"behaviour.motivation.lambda", "0.05", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Motivation.Lambda })},
	{"behaviour.motivation.reference_control", "0", fromDefault, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Motivation.ReferenceControl })},
	{"behaviour.staffing.speed", "0", fromDefault + ": clinician staff fixed (MODEL.md §4.1); the staffing mechanism has no sourced speed", beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Staffing.Speed })},
	{"behaviour.admin.clinician_share", "0.17", fromCasalino, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Admin.ClinicianShare })},
	{"behaviour.admin.hours_per_indicator_report", "0.5", "an assumption: the fixed part per indicator, report and provider, not calibrated (target 9 identifies the per-patient part given it)", beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Admin.IndicatorHours })},
	{"behaviour.admin.hours_per_indicator_patient", "0.000201", fromCalibration, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Admin.IndicatorPatientHours })},
	{"behaviour.admin.other_clinician_hours_per_fte_year", "376", fromCalibration, beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Admin.OtherClinicianHours })},
	{"behaviour.admin.region_hours_per_contract_year", "345", fromCalibration + "; the shipped scenarios use it for their vårdcentraler (see below)", beh(func(b *scenarios.Behaviour) scenarios.Param { return b.Admin.ContractHours })},
}

// Exemption is a shared parameter a scenario sets otherwise because its target
// demands it.
type Exemption struct {
	Scenario, Key, Value, Why string
}

// Exemptions lists every departure from the shared set, with its reason.
var Exemptions = []Exemption{
	{"ellis_mcguire1986", "cohorts.*.altruism", "a fixed α per variant (0.25, 0.5, 0.75, 1; 0 at the corners)", "targets 1 and 2 are stated for a homogeneous α"},
	{"ellis_mcguire1986", "cohorts.*.gaming_propensity", "0", "nothing to game (no case payment, risk adjustment or indicators)"},
	{"ellis_mcguire1986", "behaviour.volume.decision_noise", "0", "targets 1 and 2 are stated without decision noise"},
}

func exempt(scenario, key string) bool {
	for _, e := range Exemptions {
		if e.Scenario == scenario && e.Key == key {
			return true
		}
	}
	return false
}

// sharedValue parses the value of a shared parameter as written in Shared.
func (p SharedParam) matches(x scenarios.Param) bool {
	var a, b float64
	if n, _ := fmt.Sscanf(p.Value, "beta(%g, %g)", &a, &b); n == 2 {
		return x.Dist == "beta" && x.A == a && x.B == b
	}
	var v float64
	if _, err := fmt.Sscanf(p.Value, "%g", &v); err != nil {
		return false
	}
	return !x.IsDist() && math.Abs(x.Value-v) <= 1e-12*math.Max(1, math.Abs(v))
}

// ShippedExemptions lists where the shipped scenarios (scenarios/*.toml) depart from
// the shared set, with the reason; Scenario "*" means all of them. The tests check that
// there are no others.
var ShippedExemptions = []Exemption{
	{"*", "behaviour.admin.region_hours_per_contract_year", "20 (the engine default; sweden.md §5: 20–80 analyst hours per contract and year)",
		"the Skåne calibration (target 10) is for 155 vårdcentraler. vardval.toml and stockholm.toml set 335 hours on their vårdcentral regimes (`regimes.*.region_hours_per_contract_year`) and keep 20 for the other contracts — stockholm.toml's 2 860 one-clinician LOV practices and its LOL/LOF establishments, where 335 hours each would cost about 670 MSEK a year for the small practices alone, some 18 times the 0.6 % of 6 bn SEK that follow-up of the vårdcentraler costs at the calibrated rate. trust-vs-control.toml keeps 20 for every contract: its trust regime is shared by all contract types, and different hours per contract type would show up as an artefact of trust"},
	{"trust-vs-control", "behaviour.motivation.kappa", "0.3 in its variants control_crowding and trust_crowding",
		"MODEL.md §4.4: no study fixes the crowding strength κ, so it is 0 by default and explored in named variants, never as a silent default"},
}

// CheckShipped reports every departure of a shipped scenario (any variant) from the
// shared set that ShippedExemptions does not list.
func CheckShipped(name string, f *scenarios.File) []string {
	return check(name, f, func(key string) bool {
		for _, e := range ShippedExemptions {
			if (e.Scenario == "*" || e.Scenario == name) && e.Key == key {
				return true
			}
		}
		return false
	})
}

// CheckShared reports every parameter of every variant of a validation scenario that
// departs from the shared set without a listed exemption.
func CheckShared(name string, f *scenarios.File) []string {
	return check(name, f, func(key string) bool { return exempt(name, key) })
}

func check(name string, f *scenarios.File, exempt func(key string) bool) []string {
	var bad []string
	for _, v := range f.Variants {
		for _, p := range Shared {
			if exempt(p.Key) {
				continue
			}
			for _, x := range p.get(v.Scenario) {
				if !p.matches(x) {
					bad = append(bad, fmt.Sprintf("%s variant %s: %s = %s, want %s", name, v.Name, p.Key, x, p.Value))
				}
			}
		}
	}
	return bad
}

// Change is a change to the model or to a target's estimator made after the held-out
// results had been seen (VALIDATION.md, "Changes since the first run").
type Change struct{ What, Why, Before string }

// Changes lists them in the order they were made.
var Changes = []Change{
	{"Measured effort responds to the goal payment's thresholds (model/effort.go; docs/MODEL.md, process step 4).",
		"The marginal goal revenue of measured effort was a constant, summed over every paid indicator, so a provider kept raising achievement past an indicator's upper threshold, where the payment no longer rises. The payment rule of MODEL.md §4.2 is linear only between the thresholds; a profit-weighing provider does not pay effort for nothing, and Gravelle, Sutton & Ma (2010) found practices above the upper thresholds could have treated 11.8 % fewer patients without losing revenue. Found while looking into why target 8a was too high.",
		"8a 0.950, 8b 0.099, 8d 0.245, 8e −0.083; the other targets have no paid indicators or did not move."},
	{"Population growth (`population.growth_per_year`), and target 7a computed as the study measured it.",
		"Agerholm et al. (2015) compare total GP visits in 2011 with 2007, a before–after comparison in a county whose population grew 7.3 % over those years; the estimator compared the same year with and without the reform, in a population that could not grow because the engine had no population growth. The engine now grows every list with the residents (planners need this for any multi-year horizon); stockholm2008.toml takes Stockholm County's growth from SCB (1.77 % a year [M]); 7a is 2011 with the reform over 2007 (year 1 without it, less a year's growth). The reform's own effect is still reported beside it.",
		"7a 0.217 (the same-year effect, no growth); 7b 0.302."},
	{"Indicator reports cost a fixed part per indicator and provider plus a part per listed patient, and clinicians' other administration takes clinical time (issue 12; model/admin.go, model/capacity.go).",
		"Issue 12 asks that reporting work be a fixed part per measure and provider plus a part that grows with the patients reported on (Casalino et al. 2016; Saraswathula et al. 2023), not a multiple of clinician FTE, and that the Swedish physicians' administrative share of working time (target 11) be an in-sample target, which needs the administration no payment rule creates. Made together with the calibration of the shared set (set validation-2), so the estimates before are those of set validation-1 on the old model (validation/before-calibration.csv; the out-of-sample section compares them).",
		"9a 786, 9b 2.57 (set validation-1); the other targets: validation/before-calibration.csv."},
}
