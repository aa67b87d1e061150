package scenarios

import "sort"

// applyDefaults fills what the scenario left unset. Every default here is also in the
// scenario reference (docs/scenario-reference.md); those without a source are marked as assumptions.
//
// defined reports whether the file gave a key, so that an explicit 0 is kept (and
// judged by validation) rather than taken for "unset".
func applyDefaults(sc *Scenario, defined func(key ...string) bool) {
	if !defined("periods_per_year") {
		sc.PeriodsPerYear = 12
	}
	if !defined("replications") {
		sc.Replications = 100
	}
	if !defined("seed") {
		sc.Seed = 1
	}
	if !defined("calibration_replications") {
		sc.CalibrationReplications = 8
	}
	if !defined("discount_rate") {
		sc.DiscountRate = 0.03
	}
	if sc.Baseline == "" {
		sc.Baseline = "baseline"
	}
	pop := &sc.Population
	for i := range pop.NeedGroups {
		g := &pop.NeedGroups[i]
		g.MaxVisits.Default(4*g.OptimalVisits.Value, "assumption: four times the patient-optimal intensity")
		g.NoShowRate.Default(0, "")
	}
	for i := range pop.VisitKinds {
		k := &pop.VisitKinds[i]
		k.Share.Default(1, "")
		k.Minutes.Default(1, "")
		k.Cost.Default(1, "")
		k.Claim.Default(1, "")
		k.Benefit.Default(1, "")
		k.PatientFee.Default(0, "")
		k.Substitution.Default(0, "")
		if k.Initiated == "" {
			k.Initiated = "provider"
		}
	}
	if e := sc.Episodes; e != nil {
		e.ComplicationDays.Default(3, "assumption: a complication not reoperated adds three days in hospital")
		e.BedDayCost.Default(5000, "assumption: a day in an orthopaedic ward")
		e.VisitMinutes.Default(60, "assumption: pre- and post-operative visits, an hour of clinician time")
		e.OperationMinutes.Default(240, "assumption: two clinicians for two hours")
		e.EffortEffect.Default(1, "")
		e.Selection.Default(1, "")
		e.ChoiceWait.Default(0.2, "")
		e.WaitDropout.Default(0, "")
		e.CapacityResponse.Default(0, "")
	}
	if len(pop.Areas) == 0 {
		pop.Areas = []Area{{Name: "all", Share: P(1)}}
	}
	for i := range pop.Areas {
		pop.Areas[i].NeedTilt.Default(0, "")
	}
	pop.GrowthPerYear.Default(0, "assumption: a constant population")
	for name, c := range sc.Cohorts {
		if c == nil {
			continue
		}
		if c.Ownership == "" {
			c.Ownership = "private"
			if c.Form == Direktavtal {
				c.Ownership = "public"
			}
		}
		c.HoursPerFTE.Default(1600, "assumption: about 40 working weeks of 40 hours")
		c.MinutesPerVisit.Default(25, "SFS 2013:67 (GP normalarvode per 25 minutes)")
		c.CostPerFTE.Default(1200000, "")
		c.PriceFactor.Default(1, "")
		c.Gaming.Default(0, "")
		c.MarginalCost.Default(0, "")
		if !defined("cohorts", name, "max_entrants") {
			c.MaxEntrants = max(5, min(c.Count, maxCohortProviders)/2) // a count out of range is reported once, as count
		}
	}
	for name, r := range sc.Rules {
		if r == nil {
			continue
		}
		r.FixedBudget.Default(0, "")
		if len(r.Indicators) > 0 {
			r.ReportsPerYear.Default(4, "")
		} else {
			r.ReportsPerYear.Default(0, "")
		}
		r.DocumentationPerClaim.Default(1, "")
		if e := r.Episode; e != nil {
			e.PerformanceShare.Default(0, "")
			e.NormalRate.Default(0.05, "")
		}
		if r.Capitation != nil {
			acc := 1.0
			if r.Capitation.RiskAdjusted {
				acc = 0.7
			}
			r.Capitation.Accuracy.Default(acc, "")
		}
		if r.VisitFee != nil && !defined("rules", name, "visit_fee", "categories") {
			r.VisitFee.Categories = 1
		}
		for i := range r.Indicators {
			in := &r.Indicators[i]
			if in.Framing == "" {
				in.Framing = "bonus"
			}
			in.Noise.Default(0.02, "")
			in.Gameable.Default(0.5, "")
			in.Baseline.Default(0.7, "")
			in.Trend.Default(0.01, "")
		}
		if r.Sanctions != nil {
			r.Sanctions.Clawback.Default(1, "")
			r.Sanctions.Vite.Default(0, "")
		}
		if m := r.Mix; m != nil {
			for _, p := range []*Param{&m.Budget, &m.Capitation, &m.Visit, &m.Case, &m.Goal} {
				p.Default(0, "")
			}
		}
	}
	for _, g := range sc.Regimes {
		if g == nil {
			continue
		}
		if g.Sanctions != nil {
			g.Sanctions.Clawback.Default(1, "")
			g.Sanctions.Vite.Default(0, "")
		}
		g.AuditRate.Default(0, "")
		if g.Targeting == "" {
			g.Targeting = "uniform"
		}
		g.RiskFocus.Default(2, "")
		g.Sensitivity.Default(0.8, "")
		g.ClaimReview.Default(0, "")
		g.ReviewPenalty.Default(1, "")
	}
	b := &sc.Behaviour
	b.Volume.DutyFloor.Default(0.8, "")
	b.Volume.DecisionNoise.Default(0.1, "")
	b.Volume.MaxCompression.Default(0.2, "sweden.md §7: −10 to −20 % minutes per visit under a visit-heavy model [assumption]")
	b.Volume.PatientFeeResponse.Default(0.1, "assumption: demand −10 % per 100 SEK of patient fee; research/ has no Swedish patient-fee elasticity (the RAND experiment's price elasticity of about −0.2 is the usual anchor); range in digital-care's [uncertainty]")
	b.Volume.WaitElasticity.Default(1.01, "calibrated on the in-sample targets 6, 7a, 7b, 8a, 8c, 9a, 9b, 10, 11 (issue 12; validation/calibration-run, posterior mean)")
	q := &b.Quality
	q.ValueMeasured.Default(300, "")
	q.ValueUnmeasured.Default(400, "")
	q.EffortCost.Default(400, "")
	q.Substitution.Default(0.5, "")
	q.WeightMeasured.Default(0.35, "")
	q.LossAversion.Default(2, "MODEL.md §4.2: penalties weigh more (Ellegård et al. 2018) [assumption: factor 2]")
	q.AchievementResponse.Default(0.56, "calibrated on the in-sample targets 6, 7a, 7b, 8a, 8c, 9a, 9b, 10, 11 (issue 12; validation/calibration-run, posterior mean)")
	q.VisitLengthElasticity.Default(0.5, "")
	q.ReferenceAltruism.Default(0.5, "")
	a := &b.Admin
	a.BaseHours.Default(40, "")
	a.ClaimHours.Default(0.05, "")
	a.CategoryComplexity.Default(0.02, "")
	a.IndicatorHours.Default(0.5, "assumption: Casalino et al. 2016 (785 h per physician-year, US multi-payer) is the upper anchor; Swedish indicators are mostly extracted from records")
	a.IndicatorPatientHours.Default(0.000201, "calibrated on the in-sample targets 6, 7a, 7b, 8a, 8c, 9a, 9b, 10, 11 (issue 12; validation/calibration-run, posterior mean)")
	a.OtherClinicianHours.Default(376, "calibrated on the in-sample targets 6, 7a, 7b, 8a, 8c, 9a, 9b, 10, 11 (issue 12; validation/calibration-run, posterior mean)")
	a.AuditHours.Default(40, "")
	a.ReviewHours.Default(0.25, "assumption: 15 minutes to find and send the record of a reviewed claim")
	a.ReviewRegionHours.Default(0.5, "assumption: 30 minutes for the region to review a claim against its record")
	a.ClinicianShare.Default(0.17, "measured: Casalino et al. 2016, physicians 2.6 of 15.1 reporting hours a week (target 9b checks it)")
	a.HourlyCost.Default(600, "")
	a.ContractHours.Default(20, "sweden.md §5: 20–80 analyst hours per contract and year [assumption]")
	a.IndicatorRegionHours.Default(0.5, "")
	a.AuditRegionHours.Default(30, "")
	a.RegionHourlyCost.Default(700, "")
	u := &b.Upcoding
	u.Step.Default(0.02, "")
	u.Max.Default(0.25, "")
	u.ForProfitMultiplier.Default(1.5, "Silverman & Skinner 2004: for-profit upcoding 23 pp vs 10 pp not-for-profit [assumption: 1.5]")
	e := &b.Exceptions
	e.Clinical.Default(0.0546, "calibrated on the in-sample targets 6, 7a, 7b, 8a, 8c, 9a, 9b, 10, 11 (issue 12; validation/calibration-run, posterior mean)")
	e.MaxGaming.Default(0.05, "")
	e.Bandwidth.Default(0.1, "")
	s := &b.Skimming
	s.Strength.Default(1, "")
	s.MaxTilt.Default(0.3, "")
	s.Speed.Default(0.05, "")
	m := &b.Motivation
	m.Kappa.Default(0, "MODEL.md §4.4: no study fixes κ; off by default")
	m.Lambda.Default(0.05, "")
	m.ReferenceControl.Default(0, "")
	b.Staffing.Speed.Default(0, "MODEL.md §4.1: clinician FTE fixed; no study here gives a speed of adjustment")
	b.Staffing.MaxChange.Default(0.25, "")
	en := &b.Entry
	en.LOVRate.Default(2, "")
	en.LOVThreshold.Default(0.03, "")
	en.LOVScale.Default(0.05, "")
	en.LocationBias.Default(1, "")
	en.EntrantListShare.Default(0.3, "")
	en.ExitThreshold.Default(-0.05, "")
	if !defined("behaviour", "entry", "exit_periods") {
		en.ExitPeriods = 12
	}
	en.LOUContractYears.Default(4, "sweden.md §1: 3 years + 1–2 option (VGR case)")
	en.LOUPriceSD.Default(0.05, "")
	en.TransferRate.Default(0.04, "")
	en.NewEstablishments.Default(0, "prop. 1994/95:109: new establishments need a samverkansavtal")
	c := &b.Choice
	c.ActiveShare.Default(0.6, "Glenngård, Anell & Beckman 2011: about 60 % made an active choice")
	c.Reconsider.Default(0.1, "")
	c.Theta.Default(3, "")
	b.Ceilings.SafetyZ.Default(1, "")
	f := &b.Followup
	f.DeficientQuality.Default(0.4, "")
	f.FlagLevel.Default(0.6, "")
}

// On reports a switch's value, true when unset.
func On(b *bool) bool { return b == nil || *b }

// CohortNames returns the cohort names in simulation order.
func (sc *Scenario) CohortNames() []string {
	names := make([]string, 0, len(sc.Cohorts))
	for n := range sc.Cohorts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
