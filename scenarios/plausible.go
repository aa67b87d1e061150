package scenarios

import (
	"fmt"
	"math"
	"strings"

	"ersim/dist"
)

// plausibleMax is, for every number whose hard bounds leave the top open, a value no
// real scenario comes near: a mistyped value (a few orders of magnitude too large, or
// 1e300) is refused here instead of running for minutes or overflowing. The key is
// the last segment of the key path (without an index). Each bound is at least ten
// times anything in the shipped or validation scenarios or in ../shared/research.
var plausibleMax = map[string]float64{
	// Population.
	"residents":               5e7,  // persons; Sweden has 10.5 million
	"health_unit_value_sek":   1e8,  // SEK per health unit (a QALY is valued at about 1 MSEK)
	"benefit_per_visit":       1000, // health units per visit (laboratory experiments use 20)
	"cost_weight":             1000, // relative to the average person
	"demand_per_year":         1000, // visits per person-year
	"optimal_visits_per_year": 1000,
	"max_visits_per_year":     1000,
	// Providers (per provider; a distribution's draws are checked, see plausibleDraws).
	"altruism":          100, // weight on patient benefit
	"fte":               1e4, // full-time clinicians of one contract
	"list_size":         1e7, // listed persons or catchment
	"marginal_cost":     1e7, // SEK per visit
	"cost_per_fte_year": 1e8, // SEK
	"price_factor":      100, // multiplier
	// Payment rules.
	"fixed_budget_per_year":   1e11, // SEK per provider and year
	"per_person_year":         1e6,  // SEK per listed person and year
	"fee":                     1e7,  // SEK per visit
	"prices":                  1e8,  // SEK per case
	"tak1":                    1e11, // SEK per provider and year
	"tak2":                    1e11,
	"documentation_per_claim": 100, // multiplier
	"revenue_per_person_year": 1e6, // SEK
	"vite":                    1e9, // SEK per detected breach
	// Follow-up and administration.
	"region_hours_per_contract_year":           1e5, // hours
	"region_hours_per_indicator_contract_year": 1e5,
	"region_hours_per_audit":                   1e5,
	"base_hours_per_year":                      1e5,
	"hours_per_audit":                          1e5,
	"hours_per_reviewed_claim":                 100,
	"region_hours_per_reviewed_claim":          100,
	"review_penalty":                           100, // multiplier
	"hours_per_claim":                          100,
	"hours_per_indicator_report":               1e4,
	"hours_per_indicator_patient":              1,
	"other_clinician_hours_per_fte_year":       8760,
	"hourly_cost_sek":                          1e5, // SEK per hour
	"region_hourly_cost_sek":                   1e5,
	"category_complexity":                      100,
	// Behaviour.
	"wait_elasticity":             100,
	"value_measured":              1e8, // SEK per effort unit and person-year
	"value_unmeasured":            1e8,
	"effort_cost":                 1e8,
	"loss_aversion":               100,
	"achievement_response":        100,
	"visit_length_elasticity":     100,
	"reference_altruism":          100,
	"step":                        10,
	"for_profit_multiplier":       100,
	"strength":                    100,
	"max_tilt":                    10, // log tilt
	"lov_rate_per_year":           1000,
	"lov_margin_scale":            100,
	"location_bias":               100,
	"entrant_list_share":          100,
	"new_establishments_per_year": 1e4,
	"theta":                       1000,
}

// maxCohortProviders bounds a cohort's count and max_entrants: Sweden has about 1 200
// vårdcentraler and some 30 000 doctors in all.
const maxCohortProviders = 100000

// plausibleTail is the probability above which a provider attribute's distribution
// must stay under its plausible maximum: its 1 − 1e-9 quantile is checked.
const plausibleTail = 1e-9

// plausible returns the plausible maximum of the number at path, or +Inf.
func plausible(path string) float64 {
	key := path
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	if i := strings.IndexByte(key, '['); i >= 0 {
		key = key[:i]
	}
	if m, ok := plausibleMax[key]; ok {
		return m
	}
	return math.Inf(1)
}

// implausible checks a value or a distribution, already within its hard bounds,
// against the plausible maximum of path; it returns what is wrong, or "".
func implausible(path string, p Param) (string, float64) {
	m := plausible(path)
	if math.IsInf(m, 1) {
		return "", m
	}
	if !p.IsDist() {
		if p.Value > m {
			return fmt.Sprintf("%s is implausibly large", fmtNum(p.Value)), m
		}
		return "", m
	}
	if q := upperTail(p); math.IsNaN(q) {
		return fmt.Sprintf("%s draws values too large to compute", p), m
	} else if q > m {
		return fmt.Sprintf("%s draws implausibly large values (its %g quantile is %s)", p, 1-plausibleTail, fmtNum(q)), m
	}
	return "", m
}

// upperTail is the 1 − plausibleTail quantile of a provider attribute's distribution
// (its maximum when it has one).
func upperTail(p Param) float64 {
	switch p.Dist {
	case "uniform", "triangular":
		return p.Max
	case "normal":
		q := p.Mean + 6*p.SD // Φ(6) ≈ 1 − 1e-9
		if p.hasMax {
			q = math.Min(q, p.Max)
		}
		return q
	case "lognormal":
		return dist.LognormalQuantile(p.Mean, p.SD, 1-plausibleTail)
	case "beta":
		return 1
	case "gamma":
		return dist.GammaQuantile(p.Shape, 1-plausibleTail) * p.Scale
	}
	return p.Value
}
