package scenarios

// The scenario schema. Every field maps to one TOML key (the `toml` tag); the comment
// gives its unit, its default and what is allowed. docs/scenario-reference.md is
// written from these comments: keep the two in step.

// Scenario is one decoded scenario file: a region's population, its providers grouped in
// cohorts, the payment rules and follow-up regimes they are under, the behavioural
// parameters, and the variants that are compared with the baseline.
type Scenario struct {
	Name        string `toml:"name"`        // short identifier, [a-z0-9_-]; names the output directory
	Title       string `toml:"title"`       // one line, shown in tables and reports
	Description string `toml:"description"` // a paragraph: what the scenario is for

	HorizonYears   int     `toml:"horizon_years"`    // years counted in results; 1..50
	PeriodsPerYear int     `toml:"periods_per_year"` // default 12; 1..52
	BurnInPeriods  int     `toml:"burn_in_periods"`  // periods simulated before results count; default 0
	DiscountRate   float64 `toml:"discount_rate"`    // per year; default 0.03; [0, 0.2]
	Replications   int     `toml:"replications"`     // default 100; 1..100000
	Seed           uint64  `toml:"seed"`             // default 1

	// CalibrationReplications is the number of pilot replications used to derive prices
	// from revenue shares and to scale budget-neutral variants (default 8).
	CalibrationReplications int `toml:"calibration_replications"`

	Baseline string `toml:"baseline"` // name of the variant every other is compared with

	Population Population `toml:"population"`
	// Episodes, when given, is a kind of care that arrives as episodes (issue 14): an
	// operation with its stay, complications and reoperations, done by the cohorts
	// with episodes = true.
	Episodes  *Episodes           `toml:"episodes"`
	Cohorts   map[string]*Cohort  `toml:"cohorts"` // keyed by cohort name; simulated in name order
	Rules     map[string]*Rule    `toml:"rules"`   // payment rules, keyed by name
	Regimes   map[string]*Regime  `toml:"regimes"` // follow-up regimes, keyed by name
	Behaviour Behaviour           `toml:"behaviour"`
	Variants  map[string]*Variant `toml:"variants"`

	// Sources maps a key path (as in error messages, e.g. "cohorts.lol_gp.count") to its
	// citation, for keys whose value is not a table that can carry its own `source`. A
	// citation that starts with "assumption" marks the value as an assumption.
	Sources map[string]string `toml:"sources"`

	// Uncertainty declares the parameter uncertainty drawn once per replication by
	// `ersim run --psa` (uncertainty.go); nil when the file has no [uncertainty].
	Uncertainty *Uncertainty `toml:"uncertainty"`

	// Calibration names the targets "ersim calibrate" fits the parameters it names to
	// (calibration.go); nil when the file has no [calibration].
	Calibration *Calibration `toml:"calibration"`

	// Labels gives the scenario's words in another language, by language code ("sv"):
	// with --lang sv the charts, the report and the console use them (issue 15).
	Labels map[string]*Labels `toml:"labels"`
}

// Labels are a scenario's title, description and names in one language.
type Labels struct {
	Title       string `toml:"title"`
	Description string `toml:"description"`
	// Names maps identifiers — variants, cohorts, rules, regimes, need groups, visit
	// kinds, risk classes — to labels.
	Names map[string]string `toml:"names"`
	// Descriptions maps variant names to their descriptions.
	Descriptions map[string]string `toml:"descriptions"`
}

// Population describes the residents of the region.
type Population struct {
	Residents       Param       `toml:"residents"`             // persons; > 0
	HealthUnitValue Param       `toml:"health_unit_value_sek"` // SEK per health unit (v); > 0
	GrowthPerYear   Param       `toml:"growth_per_year"`       // relative change in residents per year; default 0
	NeedGroups      []NeedGroup `toml:"need_groups"`           // ordered from lowest to highest need; 1..8
	Areas           []Area      `toml:"areas"`                 // optional; default one area "all"
	// VisitKinds splits care into kinds of visit (issue 13): physical, nurse, digital,
	// home... Optional; without it every visit is of one kind with the cohort's
	// duration and cost, the rule's fee and claim work and the need group's benefit.
	VisitKinds []VisitKind `toml:"visit_kinds"` // 0..4 kinds
}

// VisitKind is a kind of visit. Its demand, patient-optimal and maximum visits per
// person-year are Share (or ShareByGroup) times the need group's; its duration, cash
// cost, claim work and health benefit per visit are factors on the cohort's, the rule's
// and the need group's. Shares need not sum to 1: a digital kind can add visits.
type VisitKind struct {
	Name  string `toml:"name"`  // distinct from the need groups' names
	Share Param  `toml:"share"` // visits of this kind per visit of a need group's demand, optimum and maximum; >= 0; default 1
	// ShareByGroup, when given, replaces Share with one value per need group.
	ShareByGroup []Param `toml:"share_by_group"`
	Minutes      Param   `toml:"minutes_factor"` // clinician minutes relative to the cohort's minutes_per_visit; > 0; default 1
	Cost         Param   `toml:"cost_factor"`    // cash cost relative to the cohort's marginal_cost; >= 0; default 1
	Claim        Param   `toml:"claim_factor"`   // claim work relative to the rule's hours per claim; >= 0; default 1
	Benefit      Param   `toml:"benefit_factor"` // health benefit per visit relative to the need group's; >= 0; default 1
	// Initiated: "provider" (scheduled; the provider chooses the number up to the need
	// group's maximum) or "patient" (patients ask for it: the provider chooses at most the
	// patients' demand, which the patient fee lowers). Default "provider".
	Initiated string `toml:"initiated"`
	// PatientFee is what the patient pays per attended visit (patientavgift), SEK; the
	// provider collects it and the region pays the fee less it. Default 0.
	PatientFee Param `toml:"patient_fee"`
	// Substitutes names the kind a visit of this kind replaces in part: Substitution of
	// a visit of that kind, at every provider, the rest being new consumption.
	Substitutes  string `toml:"substitutes"`
	Substitution Param  `toml:"substitution"` // [0, 1]; default 0
}

// NeedGroup is a group of residents with the same clinical need.
type NeedGroup struct {
	Name          string `toml:"name"`
	Share         Param  `toml:"share"`                   // share of residents; shares sum to 1
	Demand        Param  `toml:"demand_per_year"`         // patient-initiated visits per person-year (d_g); >= 0
	OptimalVisits Param  `toml:"optimal_visits_per_year"` // patient-optimal visits per person-year (s*_g); > 0
	MaxVisits     Param  `toml:"max_visits_per_year"`     // most visits a provider can bill per person-year (s_max); default 4·s*
	Benefit       Param  `toml:"benefit_per_visit"`       // health units per visit at s = 0 (β_g); > 0
	CostWeight    Param  `toml:"cost_weight"`             // expected cost relative to the average person; > 0
	// NoShowRate is the share of booked visits the patient does not attend (issue 13):
	// the clinician's slot is spent, but no fee, claim or benefit follows. Default 0.
	NoShowRate Param `toml:"no_show_rate"`
}

// Episodes describes care that arrives as episodes (issue 14): a procedure such as a
// primary hip or knee replacement, with its pre- and post-operative visits and its stay,
// and complications whose probability falls with the provider's quality effort and
// rises with the patient's risk class; some complications need a reoperation.
type Episodes struct {
	Name string `toml:"name"` // what the episode is, e.g. "primary hip or knee replacement"
	// IncidencePer1000 is episodes needed per 1 000 residents and year.
	IncidencePer1000 Param       `toml:"incidence_per_1000"` // > 0
	RiskClasses      []RiskClass `toml:"risk_classes"`       // 1..4, lowest risk first; shares sum to 1
	// ReoperationShare is the share of complications that need a reoperation (a new
	// admission); the rest lengthen the stay.
	ReoperationShare Param `toml:"reoperation_share"` // [0, 1]
	ComplicationDays Param `toml:"complication_days"` // extra days in hospital per complication not reoperated; default 3
	BedDayCost       Param `toml:"bed_day_cost"`      // provider's cost per day in hospital, SEK; default 5 000
	ReoperationCost  Param `toml:"reoperation_cost"`  // provider's cost of a reoperation with its stay, SEK; > 0
	// VisitMinutes are clinician minutes per episode outside the operation (pre- and
	// post-operative visits); OperationMinutes the clinicians' minutes of the operation.
	VisitMinutes     Param `toml:"visit_minutes"`     // default 60
	OperationMinutes Param `toml:"operation_minutes"` // default 240
	HealthGain       Param `toml:"health_gain"`       // health units per episode without complication; > 0
	ComplicationLoss Param `toml:"complication_loss"` // health units lost per complication; >= 0
	// EffortEffect θ: a unit of quality effort multiplies the complication probability
	// by exp(−θ). EffortCost k: SEK per episode of effort e is k·e²/2.
	EffortEffect Param `toml:"effort_effect"` // > 0; default 1
	EffortCost   Param `toml:"effort_cost"`   // > 0, SEK per effort unit² and episode
	// Selection is how strongly a provider free to choose turns away patients of a risk
	// class whose expected margin is negative: it accepts 1 − gaming·selection·loss/price
	// of them (at least 0). Patients turned away go to the providers that take all.
	Selection Param `toml:"selection"` // >= 0; default 1
	// ChoiceWait is how strongly patients avoid long waits when they choose: weight
	// exp(−choice_wait · waiting months). Default 0.2.
	ChoiceWait Param `toml:"choice_wait"`
	// WaitDropout: the share of patients who give up per year of waiting, among the
	// episodes arriving (demand × exp(−dropout·mean wait in years)). Default 0.
	WaitDropout Param `toml:"wait_dropout"`
	// CapacityResponse is the share of the gap between this year's arrivals and its
	// capacity that a provider with a positive margin closes each year (volume responds
	// to price); 0, the default, keeps capacity fixed.
	CapacityResponse Param `toml:"capacity_response"`
}

// RiskClass is a class of patient risk (for example ASA 1–2 and ASA 3+).
type RiskClass struct {
	Name             string `toml:"name"`
	Share            Param  `toml:"share"`             // of episodes; shares sum to 1
	ComplicationRate Param  `toml:"complication_rate"` // probability of a complication at zero quality effort; [0, 1]
	LengthOfStay     Param  `toml:"length_of_stay"`    // days in hospital without complication; >= 0
}

// Area is a part of the region where providers locate and patients list.
type Area struct {
	Name string `toml:"name"`
	// Share of residents living in the area; shares sum to 1.
	Share Param `toml:"share"`
	// NeedTilt shifts the need mix: group g's share is multiplied by exp(tilt·(g/(G−1) − ½))
	// and renormalised; positive = more high-need residents (a deprived area). Default 0.
	NeedTilt Param `toml:"need_tilt"`
}

// Contract forms.
const (
	Direktavtal = "direktavtal"
	LOU         = "LOU"
	LOV         = "LOV"
	LOL         = "LOL"
	LOF         = "LOF"
)

// ContractForms lists the five contract forms in report order.
var ContractForms = []string{Direktavtal, LOU, LOV, LOL, LOF}

// Cohort is a group of providers under one contract form, rule and regime. Provider
// attributes are Params: a number, or a distribution drawn once per provider.
type Cohort struct {
	Form      string `toml:"form"`      // one of direktavtal, LOU, LOV, LOL, LOF
	Rule      string `toml:"rule"`      // name of a payment rule in [rules]
	Regime    string `toml:"regime"`    // name of a follow-up regime in [regimes]
	Area      string `toml:"area"`      // optional; default: providers spread over areas by share
	Ownership string `toml:"ownership"` // public, private or nonprofit; default private (public for direktavtal)
	Count     int    `toml:"count"`     // providers at the start; >= 0

	FTE             Param `toml:"fte"`               // clinician full-time equivalents per provider; > 0
	HoursPerFTE     Param `toml:"hours_per_fte"`     // working hours per FTE and year; default 1600
	MinutesPerVisit Param `toml:"minutes_per_visit"` // clinician minutes per visit at normal pace; default 25
	ListSize        Param `toml:"list_size"`         // listed persons (LOV) or catchment (others) per provider; > 0
	MarginalCost    Param `toml:"marginal_cost"`     // cash cost per visit, SEK (c_i); >= 0
	CostPerFTE      Param `toml:"cost_per_fte_year"` // salary and overhead per FTE and year, SEK; default 1 200 000
	Altruism        Param `toml:"altruism"`          // weight on patient benefit (α_i); >= 0
	Gaming          Param `toml:"gaming_propensity"` // [0,1]; scales upcoding, exception gaming, cream-skimming
	PriceFactor     Param `toml:"price_factor"`      // multiplies the rule's prices for this provider; default 1

	// Kinds lists the visit kinds the cohort provides; default all of
	// population.visit_kinds.
	Kinds []string `toml:"kinds"`
	// NeedTilt shifts the need mix of the cohort's patients from its area's, as
	// population.areas[].need_tilt does; negative = younger and healthier users (the
	// digital providers of 2016–2020). Default 0.
	NeedTilt Param `toml:"need_tilt"`
	// OutOfRegion marks providers that serve the region's residents without a contract
	// with it (LOV only): digital providers listed in another region's vårdval and paid
	// by the inter-regional tariff. Their users are not the region's listed patients: an
	// entrant brings new users (entrant_list_share of the cohort's mean list) instead of
	// taking them from the providers already there, and listed patients keep their home
	// clinics.
	OutOfRegion bool `toml:"out_of_region"`

	// Episodes marks providers that do episodes (issue 14: an orthopaedic clinic or a
	// hospital's department) instead of list-based visits: they need the scenario's
	// [episodes], a rule with an [episode] component or a budget, and
	// operations_per_year; list_size is not used.
	Episodes bool `toml:"episodes"`
	// OperationsPerYear is the provider's capacity, episodes a year.
	OperationsPerYear Param `toml:"operations_per_year"`

	// MaxEntrants is the most providers that may enter over the run: LOV entrants and
	// LOL/LOF new establishments take these slots (transfers keep theirs). Default 50 % of
	// count, at least 5; 0 means no entry. Always 0 for direktavtal and LOU.
	MaxEntrants int `toml:"max_entrants"`
}

// Rule is a payment rule: a list of components. What it contains fixes its complexity.
type Rule struct {
	Description string `toml:"description"`

	FixedBudget Param        `toml:"fixed_budget_per_year"` // SEK per provider and year; default 0
	Capitation  *Capitation  `toml:"capitation"`
	VisitFee    *VisitFee    `toml:"visit_fee"`
	CasePayment *CasePayment `toml:"case_payment"`
	Indicators  []Indicator  `toml:"indicators"`
	Ceiling     *Ceiling     `toml:"ceiling"`
	Sanctions   *Sanctions   `toml:"sanctions"`

	// ReportsPerYear is how often indicator results are reported (default 4 when the rule
	// has indicators); each report costs administrative hours per indicator.
	ReportsPerYear Param `toml:"reports_per_year"`
	// DocumentationPerClaim multiplies the hours of each claim (default 1): detailed
	// documentation demands raise it.
	DocumentationPerClaim Param `toml:"documentation_per_claim"`
	// FeeSchedule multiplies the rule's visit fee and case prices year by year: entry i
	// applies in year i+1 of the horizon (and the burn-in uses the first), the last entry
	// to every later year. Empty, the prices hold. A tariff cut in year 3 is
	// [1, 1, 0.8] (issue 13).
	FeeSchedule []float64 `toml:"fee_schedule"`

	// Mix, when given, derives the prices of the components from revenue shares.
	Mix *Mix `toml:"mix"`

	// Episode pays for episodes (issue 14).
	Episode *EpisodePayment `toml:"episode"`
}

// EpisodePayment pays a provider for episodes: a bundled price per episode, or a
// per-admission case payment (DRG) that pays a reoperation again; with or without a
// warranty, for the risk classes it covers.
type EpisodePayment struct {
	// Bundle: one price per episode covering the operation, the stay and the visits.
	Bundle Param `toml:"bundle_price"` // SEK per episode
	// PerAdmission: a case payment per admission (DRG): the operation and every
	// reoperation are paid. Give bundle_price or per_admission, not both.
	PerAdmission Param `toml:"per_admission"` // SEK per admission
	// Warranty: the provider bears the cost of reoperations within the warranty
	// window (the normal rate being built into the price); without it a reoperation
	// is paid as a new admission under per_admission and not at all under a bundle.
	Warranty bool `toml:"warranty"`
	// Covers names the risk classes the payment covers (eligibility); default all.
	// Patients of the other classes go to providers whose rule covers them.
	Covers []string `toml:"covers"`
	// PerformanceShare is the share of the price paid for performance: in full at or
	// below normal_rate complications per episode, nothing at twice it, linear between.
	PerformanceShare Param `toml:"performance_share"` // [0, 0.5]; default 0
	NormalRate       Param `toml:"normal_rate"`       // complications per episode built into the price; default 0.05
	// ReoperationPrice is what the region pays for a reoperation when there is no
	// warranty; default per_admission (a DRG pays it again), else bundle_price.
	ReoperationPrice Param `toml:"reoperation_price"`
}

// Capitation pays per listed person and year.
type Capitation struct {
	PerPersonYear Param `toml:"per_person_year"` // SEK; >= 0
	RiskAdjusted  bool  `toml:"risk_adjusted"`   // weights follow the need groups' cost weights
	// Accuracy is the share of the true cost difference between need groups that the risk
	// weights capture, [0,1]; default 0.7 when risk-adjusted.
	Accuracy Param `toml:"accuracy"`
}

// VisitFee pays per visit.
type VisitFee struct {
	Fee Param `toml:"fee"` // SEK per visit (average over categories); >= 0
	// Categories in the fee schedule (1 = one flat fee). Each extra category adds claims
	// work (behaviour.admin.category_complexity).
	Categories int `toml:"categories"`
	// ByKind is the fee per visit kind, SEK; kinds not named are paid Fee.
	ByKind map[string]Param `toml:"by_kind"`
}

// CasePayment pays per visit (contact) by severity class: need group g is class g, and
// a provider may report patients in the next class up (upcoding).
type CasePayment struct {
	Prices []Param `toml:"prices"` // SEK per case, one per need group; >= 0
}

// Indicator is one goal-related payment indicator (målrelaterad ersättning).
type Indicator struct {
	Name string `toml:"name"`
	// Weight is the share of the rule's reference revenue at stake; [0, 0.5].
	Weight Param `toml:"weight"`
	Lower  Param `toml:"lower"` // achievement at which payment starts; [0,1]
	Upper  Param `toml:"upper"` // achievement at which the full amount is paid; (lower, 1]
	// Framing: "bonus" (paid for achievement) or "vite" (withheld for shortfall).
	Framing  string `toml:"framing"`
	Noise    Param  `toml:"noise"`    // sd of measured achievement around its true value; default 0.02
	Gameable Param  `toml:"gameable"` // [0,1]: how far exception reporting can raise it; default 0.5
	// Baseline achievement without any incentive effort, and its secular trend per year.
	Baseline Param `toml:"baseline"`       // [0,1]; default 0.7
	Trend    Param `toml:"trend_per_year"` // default 0.01
}

// Ceiling is a cumulative annual revenue ceiling on the visit and case components.
type Ceiling struct {
	Tak1         Param `toml:"tak1"`          // SEK per provider and year; > 0
	ReducedShare Param `toml:"reduced_share"` // share of the fee paid between tak 1 and tak 2; [0,1]
	Tak2         Param `toml:"tak2"`          // SEK; >= tak1; above it nothing is paid
	// PerListedPerson makes tak1 and tak2 SEK per listed person and year at the rule's
	// base prices: times the provider's list and the year's fee_schedule multiplier, so
	// a cap of so many paid visits per person stays so many visits when the fee is cut.
	// Default false.
	PerListedPerson bool `toml:"per_listed_person"`
}

// Sanctions apply when follow-up finds a breach.
type Sanctions struct {
	// Clawback is the share of revenue gained by detected upcoding that is paid back; [0,1].
	// Default 1 (also when a rule has no [sanctions] table).
	Clawback Param `toml:"clawback"`
	// Vite is a penalty in SEK per detected breach (upcoding or deficient quality).
	Vite Param `toml:"vite"`
}

// Mix derives prices from revenue shares of a reference revenue per listed person.
type Mix struct {
	RevenuePerPersonYear Param `toml:"revenue_per_person_year"` // SEK; > 0
	Budget               Param `toml:"budget"`                  // revenue share of the fixed budget
	Capitation           Param `toml:"capitation"`              // revenue share of capitation
	Visit                Param `toml:"visit"`                   // revenue share of visit fees
	Case                 Param `toml:"case"`                    // revenue share of case payments
	Goal                 Param `toml:"goal"`                    // revenue share at stake in indicators
}

// Regime is a follow-up regime (uppföljning).
type Regime struct {
	Description string `toml:"description"`
	// Extra indicators reported for follow-up only (not paid); each costs reporting work.
	ReportedIndicators int `toml:"reported_indicators"`
	// ReportsPerYear: how often indicators are reported under this regime. Unset, the
	// rule's frequency applies (4 a year for follow-up-only indicators).
	ReportsPerYear Param `toml:"reports_per_year"`
	AuditRate      Param `toml:"audit_rate"` // audits per provider and year; [0, 12]
	// Targeting: "uniform" or "risk" (audits go where measured signals are worst).
	Targeting string `toml:"targeting"`
	// RiskFocus is how strongly risk-based targeting concentrates audits (default 2).
	RiskFocus Param `toml:"risk_focus"`
	// Sensitivity is the probability an audit finds an existing breach; default 0.8.
	Sensitivity Param `toml:"sensitivity"`
	// Sanctions, when given, replace the rule's: follow-up can carry its own vite and
	// clawback (Ds 2018:31 proposed both for LOL/LOF).
	Sanctions *Sanctions `toml:"sanctions"`
	// RegionHours is the purchaser's follow-up hours per contract and year under this
	// regime; unset, behaviour.admin.region_hours_per_contract_year applies. A vårdval
	// with a few large contracts and a register of small LOF establishments are followed
	// up with very different effort per contract.
	RegionHours Param `toml:"region_hours_per_contract_year,omitempty"` // written only when set (an unset one is not 0)
	// ClaimReview is the share of claims (visits under a visit fee or case payment)
	// reviewed against the records each period; 0, the default, is none. An upcoded claim
	// the review finds (with probability sensitivity) is recovered at ReviewPenalty
	// times its overpayment, and the expected loss deters upcoding (issue 13).
	ClaimReview   Param `toml:"claim_review_share"`
	ReviewPenalty Param `toml:"review_penalty"` // multiplier on a found overpayment, ≥ 1; default 1
}

// Behaviour holds the parameters of every behavioural mechanism. Each mechanism can be
// switched off: `enabled = false` (quality, upcoding, exceptions, cream_skimming, entry,
// choice, ceilings), `discretionary`, `poisson` and `capacity` in [behaviour.volume],
// decision_noise = 0, and motivation crowding is off unless kappa > 0.
type Behaviour struct {
	Volume     Volume     `toml:"volume"`
	Quality    Quality    `toml:"quality"`
	Admin      Admin      `toml:"admin"`
	Upcoding   Upcoding   `toml:"upcoding"`
	Exceptions Exceptions `toml:"exceptions"`
	Skimming   Skimming   `toml:"cream_skimming"`
	Motivation Motivation `toml:"motivation"`
	Entry      Entry      `toml:"entry"`
	Staffing   Staffing   `toml:"staffing"`
	Choice     Choice     `toml:"choice"`
	Ceilings   Ceilings   `toml:"ceilings"`
	Followup   Followup   `toml:"followup"`
}

// Volume: patient demand, the duty floor, discretionary margin, capacity and noise (§4.1).
type Volume struct {
	DutyFloor Param `toml:"duty_floor"` // φ: share of patient demand that must be met; [0,1]; default 0.8
	// Discretionary switches the provider's choice above the floor; off = visits follow demand.
	Discretionary *bool `toml:"discretionary"`
	DecisionNoise Param `toml:"decision_noise"` // sd of the log of planned intensity; default 0.1
	Poisson       *bool `toml:"poisson"`        // realised visits are Poisson around the plan; default true
	// MaxCompression is the largest cut in minutes per visit a provider makes to fit more
	// visits into its clinical hours before it rations; default 0.2.
	MaxCompression Param `toml:"max_compression"`
	// WaitElasticity: how far patient demand falls with the share of floor demand left
	// unmet (access moves half-way toward 1 − elasticity·unmet each period); default 0.5.
	WaitElasticity Param `toml:"wait_elasticity"`
	Capacity       *bool `toml:"capacity"` // clinical hours bind; default true
	// PatientFeeResponse is the relative fall in patient-initiated demand per 100 SEK of
	// patient fee: demand × exp(−response · fee / 100). Default 0.1 (assumption).
	PatientFeeResponse Param `toml:"patient_fee_response"`
}

// Quality: multitasking between measured and unmeasured effort (§4.2).
type Quality struct {
	Enabled         *bool `toml:"enabled"`
	ValueMeasured   Param `toml:"value_measured"`   // v_m, SEK per effort unit and listed person-year; default 300
	ValueUnmeasured Param `toml:"value_unmeasured"` // v_u; default 400
	EffortCost      Param `toml:"effort_cost"`      // k, SEK per effort unit² and person-year; default 400
	Substitution    Param `toml:"substitution"`     // ρ in [0,1); default 0.5
	WeightMeasured  Param `toml:"weight_measured"`  // w_m in true quality; default 0.35 (w_u = 1 − w_m)
	LossAversion    Param `toml:"loss_aversion"`    // ℓ >= 1 for vite framing; default 2
	// AchievementResponse: achievement (share of patients meeting the target) per effort unit; default 0.3.
	AchievementResponse Param `toml:"achievement_response"`
	// VisitLengthElasticity: true quality ∝ (minutes/normal minutes)^elasticity; default 0.5.
	VisitLengthElasticity Param `toml:"visit_length_elasticity"`
	// ReferenceAltruism: true quality 1 is what a provider with this α delivers with no
	// incentive at normal visit length; default 0.5.
	ReferenceAltruism Param `toml:"reference_altruism"`
}

// Admin: administrative hours on both sides (§5).
type Admin struct {
	BaseHours          Param `toml:"base_hours_per_year"`        // h_base per provider-year; default 40
	ClaimHours         Param `toml:"hours_per_claim"`            // h_claim; default 0.05 (3 min)
	CategoryComplexity Param `toml:"category_complexity"`        // γ; default 0.02
	IndicatorHours     Param `toml:"hours_per_indicator_report"` // h_indicator: the fixed part per indicator, report and provider; default 0.5
	// IndicatorPatientHours is the part of a report that grows with the patients
	// reported on: hours per indicator, report and listed patient.
	IndicatorPatientHours Param `toml:"hours_per_indicator_patient"` // h_patient; default 0.0003
	// OtherClinicianHours is clinicians' administration that no payment rule or
	// follow-up creates (records, referrals, certificates, meetings), per clinician
	// FTE-year. It takes clinical time but is not counted in provider_admin_hours, which
	// is the administration the payment model creates.
	OtherClinicianHours Param `toml:"other_clinician_hours_per_fte_year"` // default 0
	// ReviewHours and ReviewRegionHours are each side's hours per reviewed claim.
	ReviewHours       Param `toml:"hours_per_reviewed_claim"`        // default 0.25
	ReviewRegionHours Param `toml:"region_hours_per_reviewed_claim"` // default 0.5
	AuditHours        Param `toml:"hours_per_audit"`                 // h_audit on the provider side; default 40
	ClinicianShare    Param `toml:"clinician_share"`                 // share of admin hours borne by clinicians; default 0.17
	HourlyCost        Param `toml:"hourly_cost_sek"`                 // provider staff cost per hour; default 600
	// Region side (uppföljning)
	ContractHours        Param `toml:"region_hours_per_contract_year"`           // f_contract; default 20
	IndicatorRegionHours Param `toml:"region_hours_per_indicator_contract_year"` // f_indicator; default 0.5
	AuditRegionHours     Param `toml:"region_hours_per_audit"`                   // f_audit; default 30
	RegionHourlyCost     Param `toml:"region_hourly_cost_sek"`                   // default 700
}

// Upcoding of reported case mix under case payment or risk-adjusted capitation (§4.3).
type Upcoding struct {
	Enabled *bool `toml:"enabled"`
	Step    Param `toml:"step"` // drift per period per unit of relative price gap; default 0.02
	Max     Param `toml:"max"`  // ceiling on the share upcoded; default 0.25
	// ForProfitMultiplier scales the propensity of privately owned providers; default 1.5.
	ForProfitMultiplier Param `toml:"for_profit_multiplier"`
}

// Exceptions: exception reporting / documentation gaming under P4P (§4.3).
type Exceptions struct {
	Enabled   *bool `toml:"enabled"`
	Clinical  Param `toml:"clinical_rate"` // legitimate exception rate; default 0.045
	MaxGaming Param `toml:"max_gaming"`    // most extra exceptions a fully gaming provider files; default 0.05
	Bandwidth Param `toml:"bandwidth"`     // achievement distance below a threshold over which gaming fades; default 0.1
}

// Skimming: cream-skimming under capitation with free listing (§4.3).
type Skimming struct {
	Enabled  *bool `toml:"enabled"`
	Strength Param `toml:"strength"` // log tilt per unit of (risk weight − cost weight); default 1
	MaxTilt  Param `toml:"max_tilt"` // bound on log list-share tilt; default 0.3
	Speed    Param `toml:"speed"`    // share of the gap closed per period; default 0.05
}

// Motivation: crowding out or in of intrinsic motivation by control (§4.4).
type Motivation struct {
	Kappa  Param `toml:"kappa"`  // κ, crowding strength; default 0 (off)
	Lambda Param `toml:"lambda"` // λ, adjustment speed per period; default 0.05
	// ReferenceControl C₀: control above it crowds motivation out, below it crowds it in
	// (trust); the target is α₀·(1 − κ·(C − C₀)). Default 0: control can only crowd out.
	ReferenceControl Param `toml:"reference_control"`
}

// Staffing: providers adjust their clinician FTE once a year toward what their wanted
// visits need, hiring only when a visit earns more than the staff time it takes.
// Speed 0 (the default) keeps staff fixed, as MODEL.md does.
type Staffing struct {
	Enabled   *bool `toml:"enabled"`
	Speed     Param `toml:"speed"`      // share of the gap to the wanted staff closed per year; default 0
	MaxChange Param `toml:"max_change"` // largest relative change in FTE per year; default 0.25
}

// Entry and exit per contract form (§4.5).
type Entry struct {
	Enabled *bool `toml:"enabled"`
	// LOV entry: expected entrants per year per area at a margin one scale above threshold.
	LOVRate          Param `toml:"lov_rate_per_year"`     // default 2
	LOVThreshold     Param `toml:"lov_margin_threshold"`  // margin rate that triggers entry; default 0.03
	LOVScale         Param `toml:"lov_margin_scale"`      // default 0.05
	LocationBias     Param `toml:"location_bias"`         // preference of entrants for areas already dense with providers (Agerholm et al. 2015); default 1
	EntrantListShare Param `toml:"entrant_list_share"`    // entrant's starting list relative to the area mean; default 0.3
	ExitThreshold    Param `toml:"exit_margin_threshold"` // default −0.05
	ExitPeriods      int   `toml:"exit_periods"`          // consecutive periods below threshold; default 12
	// LOU: contract length and re-tendering.
	LOUContractYears Param `toml:"lou_contract_years"` // default 4 (3 + 1 option)
	LOUPriceSD       Param `toml:"lou_price_sd"`       // sd of the log price change at re-tender; default 0.05
	// LOL/LOF: yearly rate of establishment transfers, and new establishments per year.
	TransferRate      Param `toml:"transfer_rate_per_year"`      // default 0.04
	NewEstablishments Param `toml:"new_establishments_per_year"` // per cohort; default 0
}

// Choice: patients' choice of provider under LOV (§4.5).
type Choice struct {
	Enabled     *bool `toml:"enabled"`
	ActiveShare Param `toml:"active_share"`        // share of patients who make an active choice; default 0.6
	Reconsider  Param `toml:"reconsider_per_year"` // share of active choosers who reconsider each year; default 0.1
	Theta       Param `toml:"theta"`               // sensitivity to perceived quality and access; default 3
}

// Ceilings: annual volume planning under tak 1 / tak 2. Switched off, providers still get
// the ceiling's payment but plan period by period at the marginal fee of the band they
// are in, without looking ahead to the kink.
type Ceilings struct {
	Enabled *bool `toml:"enabled"`
	// SafetyZ: providers aim this many Poisson standard deviations below a kink; default 1.
	SafetyZ Param `toml:"safety_z"`
}

// Followup: what counts as deficient and what detection does.
type Followup struct {
	// DeficientQuality: true quality below this (1 = the reference provider) is deficient
	// (SOU 2018:48's "allvarligt bristfällig"); default 0.4.
	DeficientQuality Param `toml:"deficient_quality"`
	// FlagLevel: a report whose measured achievement (share of indicator targets met) is
	// below this flags the provider for follow-up; default 0.6.
	// A flagged deficient provider counts as found; the vite is charged when an audit finds it.
	FlagLevel Param `toml:"flag_level"`
}

// Variant is a named partial override of the scenario.
type Variant struct {
	Description   string `toml:"description"`
	BudgetNeutral bool   `toml:"budget_neutral"`
	// Set holds the overrides: any part of the scenario, in the scenario's own layout.
	Set map[string]any `toml:"set"`
}
