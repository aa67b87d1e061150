package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// problem is one validation finding: the key path, what is wrong, what is allowed.
type problem struct{ Path, Msg, Allowed string }

// validate checks a decoded scenario with defaults applied and returns every problem,
// with key paths as the locator writes them. Maps are visited in name order, so the
// result is deterministic.
func validate(sc *Scenario) []problem {
	c := &checker{seen: map[string]bool{}}
	c.scenario(sc)
	// A Param the checks above did not visit (one added to the schema since) must still
	// be readable and finite, and a distribution only where one is drawn.
	walkParams(reflect.ValueOf(sc).Elem(), "", false, func(path string, p Param, perProvider bool) {
		if !c.seen[path] {
			b := anyNumber
			b.perProvider = perProvider
			c.num(path, p, b)
		}
	})
	c.probs = append(c.probs, checkUncertainty(sc, len(c.probs) == 0)...)
	c.probs = append(c.probs, checkCalibration(sc)...)
	return c.probs
}

// paramBounds returns the range each Param of sc is checked against, by key path. A
// Param no check visits may take any finite number.
func paramBounds(sc *Scenario) map[string]bounds {
	c := &checker{seen: map[string]bool{}, bounds: map[string]bounds{}}
	c.scenario(sc)
	return c.bounds
}

func (c *checker) scenario(sc *Scenario) {
	c.top(sc)
	c.population(&sc.Population)
	c.labels(sc)
	c.episodes(sc)
	c.cohorts(sc)
	c.rules(sc)
	c.regimes(sc)
	c.behaviour(&sc.Behaviour)
	c.variants(sc)
	c.memory(sc)
}

var nameRE = regexp.MustCompile(`^[a-z0-9_-]+$`)

func (c *checker) top(sc *Scenario) {
	switch {
	case sc.Name == "":
		c.add("name", "lowercase letters, digits, _ and -", "is missing")
	case !nameRE.MatchString(sc.Name):
		c.add("name", "lowercase letters, digits, _ and - (it names the output directory)",
			"%q has characters other than a-z, 0-9, _ and -", sc.Name)
	}
	c.integer("horizon_years", sc.HorizonYears, 1, 50)
	if c.integer("periods_per_year", sc.PeriodsPerYear, 1, 52) {
		// A burn-in of 10 years or more is a mistake, not a warm-up.
		if !c.integer("burn_in_periods", sc.BurnInPeriods, 0, 10*sc.PeriodsPerYear-1) {
			c.probs[len(c.probs)-1].Allowed += fmt.Sprintf(" (less than 10 years of %d periods)", sc.PeriodsPerYear)
		}
	} else {
		c.integer("burn_in_periods", sc.BurnInPeriods, 0, math.MaxInt)
	}
	c.num("discount_rate", P(sc.DiscountRate), closed(0, 0.2).called("a rate per year in [0, 0.2]"))
	c.integer("replications", sc.Replications, 1, 100000)
	c.integer("calibration_replications", sc.CalibrationReplications, 1, 1000)
}

func (c *checker) population(pop *Population) {
	c.fields("population.",
		field{"residents", pop.Residents, positive.called("a number of persons > 0")},
		field{"health_unit_value_sek", pop.HealthUnitValue, positive.called("SEK per health unit > 0")},
		field{"growth_per_year", pop.GrowthPerYear, closed(-0.1, 0.2).called("a relative change per year in [-0.1, 0.2] (0.015 = +1.5 % a year)")},
	)
	groups := pop.NeedGroups
	if n := len(groups); n < 1 || n > 8 {
		c.add("population.need_groups", "1 to 8 [[population.need_groups]] tables", "has %d need groups", n)
	}
	names := make([]string, len(groups))
	shares := make([]float64, 0, len(groups))
	for i, g := range groups {
		names[i] = g.Name
		p := fmt.Sprintf("population.need_groups[%d].", i)
		if c.num(p+"share", g.Share, share.must()) {
			shares = append(shares, g.Share.Value)
		}
		optimal := c.num(p+"optimal_visits_per_year", g.OptimalVisits, positive.called("visits per person-year > 0"))
		c.fields(p,
			field{"demand_per_year", g.Demand, nonneg.must().called("visits per person-year >= 0")},
			field{"benefit_per_visit", g.Benefit, positive.called("health units per visit > 0")},
			field{"cost_weight", g.CostWeight, positive.called("a cost relative to the average person, > 0")},
			field{"no_show_rate", g.NoShowRate, interval(0, 1, false, true).called("a share of booked visits in [0, 1)")},
		)
		if c.num(p+"max_visits_per_year", g.MaxVisits, positive.called("visits per person-year >= optimal_visits_per_year")) &&
			optimal && g.MaxVisits.Value < g.OptimalVisits.Value {
			c.add(p+"max_visits_per_year", "a number >= optimal_visits_per_year",
				"%s is below optimal_visits_per_year (%s)", fmtNum(g.MaxVisits.Value), fmtNum(g.OptimalVisits.Value))
		}
	}
	c.uniqueNames("population.need_groups", names, "need groups")
	if len(shares) == len(groups) && len(groups) > 0 {
		c.sumsToOne("population.need_groups", "need group", nil, shares)
	}

	c.visitKinds(pop, names)

	names = make([]string, len(pop.Areas))
	shares = shares[:0]
	for i, a := range pop.Areas {
		names[i] = a.Name
		p := fmt.Sprintf("population.areas[%d].", i)
		if c.num(p+"share", a.Share, share.must()) {
			shares = append(shares, a.Share.Value)
		}
		c.num(p+"need_tilt", a.NeedTilt, closed(-5, 5))
	}
	c.uniqueNames("population.areas", names, "areas")
	if len(shares) == len(pop.Areas) && len(shares) > 0 {
		c.sumsToOne("population.areas", "area", nil, shares)
	}
}

// visitKinds checks population.visit_kinds (issue 13); groups are the need groups' names.
func (c *checker) visitKinds(pop *Population, groups []string) {
	kinds := pop.VisitKinds
	if len(kinds) > 4 {
		c.add("population.visit_kinds", "at most 4 [[population.visit_kinds]] tables", "has %d visit kinds", len(kinds))
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	for i, k := range kinds {
		p := fmt.Sprintf("population.visit_kinds[%d].", i)
		if slices.Contains(groups, k.Name) {
			c.add(p+"name", "a name that is not a need group's ("+strings.Join(groups, ", ")+")",
				"%q is also a need group: output rows by need group and by kind would share the name", k.Name)
		}
		c.fields(p,
			field{"share", k.Share, nonneg.called("visits of this kind per visit of the need group, >= 0")},
			field{"minutes_factor", k.Minutes, interval(0, 20, true, false).called("a factor on minutes_per_visit in (0, 20]")},
			field{"cost_factor", k.Cost, closed(0, 20).called("a factor on marginal_cost in [0, 20]")},
			field{"claim_factor", k.Claim, closed(0, 20).called("a factor on the rule's claim work in [0, 20]")},
			field{"benefit_factor", k.Benefit, closed(0, 5).called("a factor on benefit_per_visit in [0, 5]")},
			field{"patient_fee", k.PatientFee, closed(0, 5000).called("SEK per visit in [0, 5000]")},
			field{"substitution", k.Substitution, share},
		)
		if k.ShareByGroup != nil && len(k.ShareByGroup) != len(groups) {
			c.add(p+"share_by_group", fmt.Sprintf("%d shares, one per need group", len(groups)),
				"has %d shares; %d are needed, one per need group", len(k.ShareByGroup), len(groups))
		}
		for j, sh := range k.ShareByGroup {
			c.num(fmt.Sprintf("%sshare_by_group[%d]", p, j), sh, nonneg.called("visits of this kind per visit of the need group, >= 0"))
		}
		c.oneOf(p+"initiated", k.Initiated, "initiator", "provider", "patient")
		if k.Substitutes != "" {
			switch {
			case k.Substitutes == k.Name:
				c.add(p+"substitutes", "another visit kind", "a kind cannot substitute for itself")
			default:
				c.ref(p+"substitutes", k.Substitutes, "visit kind", "population.visit_kinds", names)
			}
		} else if k.Substitution.Value > 0 {
			c.add(p+"substitution", "0 unless substitutes names the kind replaced",
				"is %s, but substitutes names no kind", fmtNum(k.Substitution.Value))
		}
	}
	c.uniqueNames("population.visit_kinds", names, "visit kinds")
}

// labels checks [labels.LANG]: a known language, and names of things the scenario has.
func (c *checker) labels(sc *Scenario) {
	if sc.Variants == nil {
		// A resolved variant has no [variants] to check names against; the file's own
		// check covers the labels.
		return
	}
	var known []string
	for _, m := range []map[string]bool{keysOf(sc.Variants), keysOf(sc.Cohorts), keysOf(sc.Rules), keysOf(sc.Regimes)} {
		for k := range m {
			known = append(known, k)
		}
	}
	known = append(known, sc.Baseline)
	for _, g := range sc.Population.NeedGroups {
		known = append(known, g.Name)
	}
	for _, k := range sc.Population.VisitKinds {
		known = append(known, k.Name)
	}
	for _, a := range sc.Population.Areas {
		known = append(known, a.Name)
	}
	if sc.Episodes != nil {
		for _, r := range sc.Episodes.RiskClasses {
			known = append(known, r.Name)
		}
	}
	for _, lang := range sortedKeys(sc.Labels) {
		if lang != "sv" && lang != "en" {
			c.add("labels."+quoteKey(lang), "labels.sv (or labels.en)", "%q is not a language ersim writes", lang)
			continue
		}
		l := sc.Labels[lang]
		if l == nil {
			continue
		}
		for _, n := range sortedKeys(l.Names) {
			if !slices.Contains(known, n) {
				c.add("labels."+lang+".names."+quoteKey(n), "the name of a variant, cohort, rule, regime, need group, area, visit kind or risk class", "%q is none of the scenario's names%s", n, suggestAmong(n, known))
			}
		}
		for _, n := range sortedKeys(l.Descriptions) {
			if _, ok := sc.Variants[n]; !ok && n != sc.Baseline {
				c.add("labels."+lang+".descriptions."+quoteKey(n), "the name of a variant", "%q is not a variant", n)
			}
		}
	}
}

func keysOf[V any](m map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// episodes checks [episodes] and how cohorts and rules use it (issue 14).
func (c *checker) episodes(sc *Scenario) {
	var classes []string
	if e := sc.Episodes; e != nil {
		p := "episodes."
		c.fields(p,
			field{"incidence_per_1000", e.IncidencePer1000, positive.must().called("episodes per 1 000 residents and year > 0")},
			field{"reoperation_share", e.ReoperationShare, share.must()},
			field{"complication_days", e.ComplicationDays, closed(0, 365).called("days in [0, 365]")},
			field{"bed_day_cost", e.BedDayCost, nonneg.called("SEK per day >= 0")},
			field{"reoperation_cost", e.ReoperationCost, nonneg.must().called("SEK per reoperation >= 0")},
			field{"visit_minutes", e.VisitMinutes, closed(0, 6000).called("minutes per episode in [0, 6000]")},
			field{"operation_minutes", e.OperationMinutes, interval(0, 6000, true, false).called("minutes per operation in (0, 6000]")},
			field{"health_gain", e.HealthGain, positive.must().called("health units per episode > 0")},
			field{"complication_loss", e.ComplicationLoss, nonneg.must().called("health units per complication >= 0")},
			field{"effort_effect", e.EffortEffect, interval(0, 20, true, false)},
			field{"effort_cost", e.EffortCost, positive.must().called("SEK per effort unit² and episode > 0")},
			field{"selection", e.Selection, closed(0, 100)},
			field{"choice_wait", e.ChoiceWait, closed(0, 10)},
			field{"wait_dropout", e.WaitDropout, closed(0, 10)},
			field{"capacity_response", e.CapacityResponse, share},
		)
		rc := e.RiskClasses
		if n := len(rc); n < 1 || n > 4 {
			c.add(p+"risk_classes", "1 to 4 [[episodes.risk_classes]] tables, lowest risk first", "has %d risk classes", n)
		}
		var shares []float64
		for i, r := range rc {
			classes = append(classes, r.Name)
			q := fmt.Sprintf("%srisk_classes[%d].", p, i)
			if c.num(q+"share", r.Share, share.must()) {
				shares = append(shares, r.Share.Value)
			}
			c.fields(q,
				field{"complication_rate", r.ComplicationRate, probability.must()},
				field{"length_of_stay", r.LengthOfStay, closed(0, 365).must().called("days in [0, 365]")},
			)
		}
		c.uniqueNames(p+"risk_classes", classes, "risk classes")
		if len(shares) == len(rc) && len(rc) > 0 {
			c.sumsToOne(p+"risk_classes", "risk class", nil, shares)
		}
	}
	episodeRules := map[string]bool{}
	for _, name := range sortedKeys(sc.Cohorts) {
		co := sc.Cohorts[name]
		if co == nil {
			continue
		}
		p := "cohorts." + quoteKey(name) + "."
		if !co.Episodes {
			c.num(p+"operations_per_year", co.OperationsPerYear, nonneg.drawn())
			if co.OperationsPerYear.Value != 0 || co.OperationsPerYear.Dist != "" {
				c.add(p+"operations_per_year", "only in a cohort with episodes = true", "is given, but the cohort does not do episodes")
			}
			continue
		}
		episodeRules[co.Rule] = true
		if sc.Episodes == nil {
			c.add(p+"episodes", "true only when the scenario has an [episodes] table", "is true, but there is no [episodes]")
		}
		c.num(p+"operations_per_year", co.OperationsPerYear, positive.must().drawn().called("episodes a year > 0"))
		if co.Kinds != nil {
			c.add(p+"kinds", "no visit kinds in a cohort that does episodes", "is given for a cohort with episodes = true")
		}
		if co.OutOfRegion {
			c.add(p+"out_of_region", "false for a cohort that does episodes", "is true for a cohort with episodes = true")
		}
		if r := sc.Rules[co.Rule]; r != nil && r.Episode == nil && r.FixedBudget.Value <= 0 {
			c.add("rules."+quoteKey(co.Rule), "an [episode] payment or a fixed_budget_per_year > 0 (cohort "+name+" does episodes)",
				"pays nothing for episodes")
		}
	}
	for _, name := range sortedKeys(sc.Rules) {
		r := sc.Rules[name]
		if r == nil || r.Episode == nil {
			continue
		}
		e := r.Episode
		p := "rules." + quoteKey(name) + ".episode."
		if !episodeRules[name] {
			used := false
			for _, co := range sc.Cohorts {
				used = used || co != nil && co.Rule == name
			}
			if used {
				c.add(p[:len(p)-1], "an [episode] payment only in a rule of cohorts with episodes = true", "the rule pays cohorts that do not do episodes")
			}
		}
		// An unset price reads back from a resolved scenario as 0: a price is given when
		// it is above 0.
		bundle, drg := e.Bundle.Value > 0, e.PerAdmission.Value > 0
		switch {
		case bundle && drg:
			c.add(p+"per_admission", "either bundle_price or per_admission, not both", "both are given")
		case !bundle && !drg:
			c.add(p+"bundle_price", "bundle_price or per_admission > 0 (SEK)", "neither is given")
		}
		c.fields(p,
			field{"bundle_price", e.Bundle, nonneg.called("SEK per episode > 0")},
			field{"per_admission", e.PerAdmission, nonneg.called("SEK per admission > 0")},
			field{"performance_share", e.PerformanceShare, closed(0, 0.5)},
			field{"normal_rate", e.NormalRate, interval(0, 1, true, false)},
			field{"reoperation_price", e.ReoperationPrice, nonneg.called("SEK per reoperation >= 0")},
		)
		if e.Warranty && e.ReoperationPrice.Value > 0 {
			c.add(p+"reoperation_price", "0 or left out under a warranty (the provider bears reoperations)", "is %s with warranty = true", fmtNum(e.ReoperationPrice.Value))
		}
		for i, cl := range e.Covers {
			c.ref(fmt.Sprintf("%scovers[%d]", p, i), cl, "risk class", "episodes.risk_classes", classes)
		}
		if e.Covers != nil && len(e.Covers) == 0 {
			c.add(p+"covers", "at least one risk class (or leave covers out for all)", "is empty")
		}
	}
}

func (c *checker) cohorts(sc *Scenario) {
	if len(sc.Cohorts) == 0 {
		c.add("cohorts", "at least one [cohorts.NAME] table", "no cohorts are defined")
		return
	}
	rules, regimes := sortedKeys(sc.Rules), sortedKeys(sc.Regimes)
	var areas []string
	for _, a := range sc.Population.Areas {
		areas = append(areas, a.Name)
	}
	var kinds []string
	for _, k := range sc.Population.VisitKinds {
		kinds = append(kinds, k.Name)
	}
	providers, counted := false, true
	for _, name := range sortedKeys(sc.Cohorts) {
		co := sc.Cohorts[name]
		if co == nil {
			continue
		}
		p := "cohorts." + quoteKey(name) + "."
		c.oneOf(p+"form", co.Form, "contract form", ContractForms...)
		c.ref(p+"rule", co.Rule, "rule", "rules", rules)
		c.ref(p+"regime", co.Regime, "regime", "regimes", regimes)
		if co.Area != "" {
			c.ref(p+"area", co.Area, "area", "population.areas", areas)
		}
		c.oneOf(p+"ownership", co.Ownership, "kind of ownership", "public", "private", "nonprofit")
		if c.integer(p+"count", co.Count, 0, maxCohortProviders) {
			providers = providers || co.Count > 0
		} else {
			counted = false
		}
		c.integer(p+"max_entrants", co.MaxEntrants, 0, maxCohortProviders)
		listBound := positive.drawn()
		if co.Episodes {
			// A cohort that does episodes has no list: its capacity is operations_per_year.
			listBound = nonneg.drawn().called("a number >= 0 (not used: the cohort does episodes)")
		}
		c.fields(p,
			field{"fte", co.FTE, positive.drawn()},
			field{"hours_per_fte", co.HoursPerFTE, interval(0, 4000, true, false).drawn()},
			field{"minutes_per_visit", co.MinutesPerVisit, interval(0, 600, true, false).drawn()},
			field{"list_size", co.ListSize, listBound},
			field{"marginal_cost", co.MarginalCost, nonneg.drawn()},
			field{"cost_per_fte_year", co.CostPerFTE, nonneg.drawn()},
			field{"altruism", co.Altruism, nonneg.drawn().must()},
			field{"gaming_propensity", co.Gaming, closed(0, 1).drawn()},
			field{"price_factor", co.PriceFactor, positive.drawn()},
			field{"need_tilt", co.NeedTilt, closed(-5, 5)},
		)
		for i, k := range co.Kinds {
			c.ref(fmt.Sprintf("%skinds[%d]", p, i), k, "visit kind", "population.visit_kinds", kinds)
		}
		if co.Kinds != nil && len(co.Kinds) == 0 {
			c.add(p+"kinds", "at least one visit kind (or leave kinds out for all)", "is empty")
		}
		for i, k := range co.Kinds {
			if j := slices.Index(co.Kinds, k); j < i {
				c.add(fmt.Sprintf("%skinds[%d]", p, i), "each visit kind once", "%q is also kinds[%d]", k, j)
			}
		}
		if co.OutOfRegion && co.Form != LOV {
			c.add(p+"out_of_region", "true only for a LOV cohort (providers in another region's vårdval)",
				"is true for a %s cohort", co.Form)
		}
	}
	if counted && !providers {
		c.add("cohorts", "at least 1 provider in all cohorts together", "every cohort has count = 0: there are no providers")
	}
}

func (c *checker) rules(sc *Scenario) {
	groups := len(sc.Population.NeedGroups)
	for _, name := range sortedKeys(sc.Rules) {
		r := sc.Rules[name]
		if r == nil {
			continue
		}
		p := "rules." + quoteKey(name)
		mixed := r.Mix != nil
		price := nonneg
		if !mixed {
			price = price.must() // without a mix, the price must be given
		}
		c.fields(p+".",
			field{"fixed_budget_per_year", r.FixedBudget, nonneg.called("SEK per provider and year >= 0")},
			field{"reports_per_year", r.ReportsPerYear, closed(0, 52)},
			field{"documentation_per_claim", r.DocumentationPerClaim, positive},
		)
		if len(r.FeeSchedule) > 100 {
			c.add(p+".fee_schedule", "at most 100 yearly multipliers", "has %d", len(r.FeeSchedule))
		}
		for i, m := range r.FeeSchedule {
			if !(m >= 0 && m <= 100) {
				c.add(fmt.Sprintf("%s.fee_schedule[%d]", p, i), "a multiplier in [0, 100] of the visit fee and case prices that year", "%s is out of range", fmtNum(m))
			}
		}
		if len(r.FeeSchedule) > 0 && r.VisitFee == nil && r.CasePayment == nil {
			c.add(p+".fee_schedule", "a schedule only in a rule with a visit_fee or case_payment", "the rule has neither")
		}
		if r.Capitation != nil {
			c.fields(p+".capitation.",
				field{"per_person_year", r.Capitation.PerPersonYear, price.called("SEK per person-year >= 0")},
				field{"accuracy", r.Capitation.Accuracy, share})
		}
		if r.VisitFee != nil {
			c.num(p+".visit_fee.fee", r.VisitFee.Fee, price.called("SEK per visit >= 0"))
			c.integer(p+".visit_fee.categories", r.VisitFee.Categories, 1, 500)
			var kinds []string
			for _, k := range sc.Population.VisitKinds {
				kinds = append(kinds, k.Name)
			}
			for _, k := range sortedKeys(r.VisitFee.ByKind) {
				q := p + ".visit_fee.by_kind." + quoteKey(k)
				if slices.Contains(kinds, k) {
					c.num(q, r.VisitFee.ByKind[k], nonneg.must().called("SEK per visit of the kind >= 0"))
				} else {
					c.ref(q, k, "visit kind", "population.visit_kinds", kinds)
				}
			}
		}
		if r.CasePayment != nil {
			prices := r.CasePayment.Prices
			if len(prices) != groups && groups > 0 {
				c.add(p+".case_payment.prices", fmt.Sprintf("%d prices, one per need group", groups),
					"has %d prices; %d are needed, one per need group", len(prices), groups)
			}
			for i, pr := range prices {
				c.num(fmt.Sprintf("%s.case_payment.prices[%d]", p, i), pr, nonneg.called("SEK per case >= 0"))
			}
		}
		c.indicators(p+".indicators", r.Indicators)
		if t := r.Ceiling; t != nil {
			q := p + ".ceiling."
			unit := "SEK per provider and year"
			if t.PerListedPerson {
				unit = "SEK per listed person and year"
			}
			tak1 := c.num(q+"tak1", t.Tak1, positive.called(unit+" > 0"))
			c.num(q+"reduced_share", t.ReducedShare, share.must())
			if c.num(q+"tak2", t.Tak2, positive.called(unit+" >= tak1")) && tak1 && t.Tak2.Value < t.Tak1.Value {
				c.add(q+"tak2", "a number >= tak1", "tak 2 (%s) is below tak 1 (%s)", fmtNum(t.Tak2.Value), fmtNum(t.Tak1.Value))
			}
		}
		if s := r.Sanctions; s != nil {
			c.fields(p+".sanctions.",
				field{"clawback", s.Clawback, share},
				field{"vite", s.Vite, nonneg.called("SEK per detected breach >= 0")})
		}
		if r.Mix != nil && r.VisitFee != nil && len(r.VisitFee.ByKind) > 0 {
			c.add(p+".visit_fee.by_kind", "fees by kind only in a rule without a [mix] (a mix sets the one visit fee)",
				"names %d kinds, but the rule has a [mix]", len(r.VisitFee.ByKind))
		}
		if r.Mix != nil && r.FixedBudget.Value > 0 {
			c.add(p+".fixed_budget_per_year", "either fixed_budget_per_year or a budget share in [mix], not both",
				"is %s, but the rule has a [mix], which sets the budget from mix.budget", fmtNum(r.FixedBudget.Value))
		}
		if m := r.Mix; m != nil {
			c.mix(p, r, m)
		}
		budget := r.FixedBudget.Value > 0 || mixed && r.Mix.Budget.Value > 0
		if !budget && r.Capitation == nil && r.VisitFee == nil && r.CasePayment == nil && len(r.Indicators) == 0 && r.Episode == nil {
			c.add(p, "at least one of fixed_budget_per_year > 0, capitation, visit_fee, case_payment, indicators, episode",
				"the rule has no payment component")
		}
	}
}

func (c *checker) indicators(path string, ins []Indicator) {
	names := make([]string, len(ins))
	for i, in := range ins {
		names[i] = in.Name
		p := fmt.Sprintf("%s[%d].", path, i)
		lower := c.num(p+"lower", in.Lower, closed(0, 1).must().called("an achievement in [0, 1]"))
		if c.num(p+"upper", in.Upper, closed(0, 1).must().called("an achievement in [0, 1], above lower")) &&
			lower && !(in.Lower.Value < in.Upper.Value) {
			c.add(p+"upper", "an achievement in [0, 1], above lower",
				"upper %s is not above lower %s", fmtNum(in.Upper.Value), fmtNum(in.Lower.Value))
		}
		c.oneOf(p+"framing", in.Framing, "framing", "bonus", "vite")
		c.fields(p,
			field{"weight", in.Weight, closed(0, 0.5).must().called("a share of revenue in [0, 0.5]")},
			field{"noise", in.Noise, closed(0, 0.5)},
			field{"gameable", in.Gameable, closed(0, 1)},
			field{"baseline", in.Baseline, closed(0, 1).called("an achievement in [0, 1]")},
			field{"trend_per_year", in.Trend, closed(-0.2, 0.2)},
		)
	}
	c.uniqueNames(path, names, "indicators of the rule")
}

// mix checks revenue shares: each needs the component it pays through.
func (c *checker) mix(rule string, r *Rule, m *Mix) {
	p := rule + ".mix."
	c.num(p+"revenue_per_person_year", m.RevenuePerPersonYear, positive.called("SEK per person-year > 0"))
	parts := []struct {
		key     string
		share   Param
		present bool
		needs   string
	}{
		{"budget", m.Budget, true, ""},
		{"capitation", m.Capitation, r.Capitation != nil, "capitation"},
		{"visit", m.Visit, r.VisitFee != nil, "visit_fee"},
		{"case", m.Case, r.CasePayment != nil, "case_payment"},
		{"goal", m.Goal, len(r.Indicators) > 0, "indicators"},
	}
	var shares []float64
	var names []string
	for _, part := range parts {
		if !c.num(p+part.key, part.share, share) {
			continue
		}
		shares = append(shares, part.share.Value)
		names = append(names, part.key)
		if part.share.Value > 0 && !part.present {
			c.add(p+part.key, "0 unless the rule has "+part.needs,
				"puts %s of revenue in %s, but the rule has no %s", fmtNum(part.share.Value), part.key, part.needs)
		}
	}
	if len(shares) == len(parts) {
		c.sumsToOne(strings.TrimSuffix(p, "."), "revenue", names, shares)
	}
}

func (c *checker) regimes(sc *Scenario) {
	for _, name := range sortedKeys(sc.Regimes) {
		g := sc.Regimes[name]
		if g == nil {
			continue
		}
		p := "regimes." + quoteKey(name) + "."
		c.integer(p+"reported_indicators", g.ReportedIndicators, 0, 500)
		c.oneOf(p+"targeting", g.Targeting, "targeting", "uniform", "risk")
		if s := g.Sanctions; s != nil {
			c.fields(p+"sanctions.",
				field{"clawback", s.Clawback, share},
				field{"vite", s.Vite, nonneg.called("SEK per detected breach >= 0")})
		}
		c.fields(p,
			field{"reports_per_year", g.ReportsPerYear, closed(0, 52)},
			field{"audit_rate", g.AuditRate, closed(0, 12).called("audits per provider and year in [0, 12]")},
			field{"risk_focus", g.RiskFocus, closed(0, 10)},
			field{"sensitivity", g.Sensitivity, probability},
			field{"region_hours_per_contract_year", g.RegionHours, nonneg.called("hours >= 0")},
			field{"claim_review_share", g.ClaimReview, share},
			field{"review_penalty", g.ReviewPenalty, atLeast(1)},
		)
	}
}

func (c *checker) behaviour(b *Behaviour) {
	hours, sek := nonneg.called("hours >= 0"), nonneg.called("SEK >= 0")
	v, q, a := &b.Volume, &b.Quality, &b.Admin
	c.fields("behaviour.volume.",
		field{"duty_floor", v.DutyFloor, share},
		field{"decision_noise", v.DecisionNoise, closed(0, 2)},
		field{"max_compression", v.MaxCompression, interval(0, 0.9, false, true)},
		field{"wait_elasticity", v.WaitElasticity, nonneg},
		field{"patient_fee_response", v.PatientFeeResponse, closed(0, 5).called("a relative fall in demand per 100 SEK in [0, 5]")},
	)
	c.fields("behaviour.quality.",
		field{"value_measured", q.ValueMeasured, sek},
		field{"value_unmeasured", q.ValueUnmeasured, sek},
		field{"effort_cost", q.EffortCost, positive},
		field{"substitution", q.Substitution, interval(0, 1, false, true)},
		field{"weight_measured", q.WeightMeasured, closed(0, 1)},
		field{"loss_aversion", q.LossAversion, atLeast(1)},
		field{"achievement_response", q.AchievementResponse, nonneg},
		field{"visit_length_elasticity", q.VisitLengthElasticity, nonneg},
		field{"reference_altruism", q.ReferenceAltruism, positive},
	)
	c.fields("behaviour.admin.",
		field{"base_hours_per_year", a.BaseHours, hours},
		field{"hours_per_claim", a.ClaimHours, hours},
		field{"category_complexity", a.CategoryComplexity, nonneg},
		field{"hours_per_indicator_report", a.IndicatorHours, hours},
		field{"hours_per_indicator_patient", a.IndicatorPatientHours, hours},
		field{"other_clinician_hours_per_fte_year", a.OtherClinicianHours, hours},
		field{"hours_per_audit", a.AuditHours, hours},
		field{"hours_per_reviewed_claim", a.ReviewHours, hours},
		field{"region_hours_per_reviewed_claim", a.ReviewRegionHours, hours},
		field{"clinician_share", a.ClinicianShare, share},
		field{"hourly_cost_sek", a.HourlyCost, sek},
		field{"region_hours_per_contract_year", a.ContractHours, hours},
		field{"region_hours_per_indicator_contract_year", a.IndicatorRegionHours, hours},
		field{"region_hours_per_audit", a.AuditRegionHours, hours},
		field{"region_hourly_cost_sek", a.RegionHourlyCost, sek},
	)
	c.fields("behaviour.upcoding.",
		field{"step", b.Upcoding.Step, nonneg},
		field{"max", b.Upcoding.Max, share},
		field{"for_profit_multiplier", b.Upcoding.ForProfitMultiplier, nonneg},
	)
	c.fields("behaviour.exceptions.",
		field{"clinical_rate", b.Exceptions.Clinical, closed(0, 1)},
		field{"max_gaming", b.Exceptions.MaxGaming, closed(0, 1)},
		field{"bandwidth", b.Exceptions.Bandwidth, interval(0, 1, true, false)},
	)
	c.fields("behaviour.cream_skimming.",
		field{"strength", b.Skimming.Strength, nonneg},
		field{"max_tilt", b.Skimming.MaxTilt, nonneg},
		field{"speed", b.Skimming.Speed, closed(0, 1)},
	)
	c.fields("behaviour.motivation.",
		field{"kappa", b.Motivation.Kappa, closed(0, 1)},
		field{"lambda", b.Motivation.Lambda, closed(0, 1)},
		field{"reference_control", b.Motivation.ReferenceControl, closed(0, 1)},
	)
	c.fields("behaviour.staffing.",
		field{"speed", b.Staffing.Speed, closed(0, 1).called("a share of the gap closed per year in [0, 1]")},
		field{"max_change", b.Staffing.MaxChange, closed(0, 1).called("a relative change per year in [0, 1]")},
	)
	e := &b.Entry
	c.fields("behaviour.entry.",
		field{"lov_rate_per_year", e.LOVRate, nonneg},
		field{"lov_margin_threshold", e.LOVThreshold, closed(-1, 1)},
		field{"lov_margin_scale", e.LOVScale, positive},
		field{"location_bias", e.LocationBias, nonneg},
		field{"entrant_list_share", e.EntrantListShare, nonneg},
		field{"exit_margin_threshold", e.ExitThreshold, closed(-1, 1)},
		field{"lou_contract_years", e.LOUContractYears, closed(1, 20)},
		field{"lou_price_sd", e.LOUPriceSD, closed(0, 1)},
		field{"transfer_rate_per_year", e.TransferRate, closed(0, 1)},
		field{"new_establishments_per_year", e.NewEstablishments, nonneg},
	)
	c.integer("behaviour.entry.exit_periods", e.ExitPeriods, 1, math.MaxInt)
	c.fields("behaviour.choice.",
		field{"active_share", b.Choice.ActiveShare, share},
		field{"reconsider_per_year", b.Choice.Reconsider, closed(0, 1)},
		field{"theta", b.Choice.Theta, nonneg},
	)
	c.num("behaviour.ceilings.safety_z", b.Ceilings.SafetyZ, closed(0, 5))
	c.fields("behaviour.followup.",
		field{"deficient_quality", b.Followup.DeficientQuality, closed(0, 1)},
		field{"flag_level", b.Followup.FlagLevel, closed(0, 1)},
	)
}

// implicitBaseline is the baseline's name when the file does not give one: the scenario
// as written, which needs no [variants] entry.
const implicitBaseline = "baseline"

func (c *checker) variants(sc *Scenario) {
	if sc.Baseline == "" {
		c.add("baseline", "the name of a variant", "is empty")
		return
	}
	if len(sc.Variants) == 0 {
		return // no variants, or a resolved variant
	}
	names := sortedKeys(sc.Variants)
	if _, ok := sc.Variants[sc.Baseline]; !ok && sc.Baseline != implicitBaseline {
		c.add("baseline", fmt.Sprintf("the name of a table under [variants], or no baseline key (the scenario as written is then the baseline %q)", implicitBaseline),
			"variant %q is not defined; the file defines %s", sc.Baseline, strings.Join(names, ", "))
	}
	for _, n := range names {
		if v := sc.Variants[n]; v != nil && v.BudgetNeutral && n == sc.Baseline {
			c.add("variants."+quoteKey(n)+".budget_neutral", "false for the baseline",
				"the baseline cannot be budget neutral: the other variants are scaled to its budget")
		}
	}
}

// Memory per provider and per stored metric, and the most a run may use.
const (
	bytesPerProvider = 2 << 10
	metricsPerRep    = 400
	memoryLimit      = 8 << 30
)

// memory rejects runs that would not fit in memory: every provider that may exist is
// simulated at once, and every replication's metrics are kept for every variant.
func (c *checker) memory(sc *Scenario) {
	providers, biggest, most := 0.0, "", -1.0
	for _, name := range sortedKeys(sc.Cohorts) {
		if co := sc.Cohorts[name]; co != nil {
			n := float64(max(co.Count, 0)) + float64(max(co.MaxEntrants, 0))
			providers += n
			if n > most {
				biggest, most = name, n
			}
		}
	}
	variants := 1
	if len(sc.Variants) > 0 {
		variants = len(sc.Variants)
		if _, ok := sc.Variants[sc.Baseline]; !ok {
			variants++
		}
	}
	reps := float64(max(sc.Replications, 0))
	forProviders := providers * bytesPerProvider
	forMetrics := reps * float64(variants) * metricsPerRep * 8
	if forProviders+forMetrics <= memoryLimit {
		return
	}
	path := "replications"
	if forProviders > forMetrics && biggest != "" {
		path = "cohorts." + quoteKey(biggest) + ".count"
	}
	c.add(path, "a run that needs at most 8 GiB: fewer providers (count, max_entrants), replications or variants",
		"the run is too large for memory: it needs about %.1f GiB (%s providers incl. entrants × 2 KB + %d replications × %d variants × %d metrics × 8 bytes)",
		(forProviders+forMetrics)/(1<<30), fmtNum(providers), sc.Replications, variants, metricsPerRep)
}

var (
	paramType  = reflect.TypeFor[Param]()
	cohortType = reflect.TypeFor[Cohort]()
)

// walkParams calls fn for every Param in v, with its path and whether it is a provider
// attribute (drawn per provider). Variants and sources are not the scenario's values.
func walkParams(v reflect.Value, path string, perProvider bool, fn func(path string, p Param, perProvider bool)) {
	join := func(key string) string {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkParams(v.Elem(), path, perProvider, fn)
		}
	case reflect.Struct:
		if v.Type() == paramType {
			fn(path, v.Interface().(Param), perProvider)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			key, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if !f.IsExported() || key == "" || key == "-" || key == "variants" || key == "sources" {
				continue
			}
			walkParams(v.Field(i), join(key), v.Type() == cohortType, fn)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			walkParams(v.MapIndex(k), join(quoteKey(k.String())), perProvider, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkParams(v.Index(i), path+index(i), perProvider, fn)
		}
	}
}
