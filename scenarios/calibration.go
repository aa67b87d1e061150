package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Calibration: the [calibration] section names parameters of [uncertainty] to fit and
// the targets to fit them to; "ersim calibrate" does it by approximate Bayesian
// computation (ABC-SMC), the parameters' [uncertainty] distributions being the priors.
//
//	[calibration]
//	params = ["behaviour.admin.hours_per_claim", "cohorts.lov_pc.altruism.a"]
//	replications = 10          # per parameter set (particle), on common random numbers
//	particles = 200
//
//	[[calibration.targets]]
//	name = "visits_2008"
//	estimator = "ratio"        # mean (default), ratio or difference
//	metric = "visits_per_1000"
//	variant = "vardval"        # default the baseline
//	of = "before"              # ratio and difference: variant ÷ of, or variant − of
//	form = "LOV"               # optional: one contract form
//	group = "chronic"          # optional: one need group
//	observed = 1.12
//	se = 0.02                  # or interval = [1.08, 1.16], a 95 % interval
//	weight = 1
//	source = "Agerholm et al. 2015"

// Calibration is the [calibration] section.
type Calibration struct {
	Params         []string `toml:"params"`          // keys of [uncertainty.params]; their distributions are the priors
	Targets        []Target `toml:"targets"`         // at least one
	Replications   int      `toml:"replications"`    // per particle; default 10
	Particles      int      `toml:"particles"`       // population size; default 200
	MaxGenerations int      `toml:"max_generations"` // default 8
	MaxEvaluations int      `toml:"max_evaluations"` // parameter sets simulated in all; 0: no limit
	MinAcceptance  float64  `toml:"min_acceptance"`  // stop when a generation accepts fewer; default 0.02
}

// Target is one [[calibration.targets]] entry: an estimator over the outputs of a run,
// with the value observed and its uncertainty.
type Target struct {
	Name      string   `toml:"name"`
	Estimator string   `toml:"estimator"`
	Metric    string   `toml:"metric"`
	Variant   string   `toml:"variant"`
	Of        string   `toml:"of"`
	Form      string   `toml:"form"`
	Group     string   `toml:"group"`
	Observed  *float64 `toml:"observed"`
	// Range, instead of Observed, is a published range or sign, [low, high] with an end
	// possibly infinite (inf, -inf): any value inside fits equally well; outside, the
	// distance to the nearer end counts in units of se (or, for a finite range, its
	// width / 3.92).
	Range    []float64 `toml:"range"`
	SE       *float64  `toml:"se"`
	Interval []float64 `toml:"interval"`
	Weight   *float64  `toml:"weight"`
	// Discrepancy is the standard deviation of a model discrepancy (history matching's
	// term; Vernon, Goldstein & Bower 2010): how far the model may structurally be from
	// the truth on this target, added in quadrature to its standard error. Default 0.
	Discrepancy *float64 `toml:"discrepancy"`
	Source      string   `toml:"source"`
	// Scenario, when not "", is the scenario the target is computed in: a file
	// (relative to this one), an embedded scenario or validation:NAME. The calibrated
	// parameters are set there too; variant, of and group are that scenario's.
	Scenario string `toml:"scenario"`
	// Target, with estimator "validation", is the ID of a target of ersim replicate
	// (VALIDATION.md), computed by its own estimator in its own validation scenario.
	Target string `toml:"target"`
	// Replications, with estimator "validation", replaces calibration.replications
	// for this target's study: fewer for a costly, precise estimate, more for a noisy
	// one. Targets of the same study should give the same number, or it runs twice.
	Replications int `toml:"replications"`
	// Per-provider estimators (provider_quantile, provider_share) read the provider-
	// years of the replications: Quantity is one of ProviderQuantities; Quantile the
	// quantile across provider-years; Band the [low, high] whose share of provider-years
	// is the value; Years, when given, the years of the horizon counted (1 = the first).
	Quantity string    `toml:"quantity"`
	Quantile *float64  `toml:"quantile"`
	Band     []float64 `toml:"band"`
	Years    []int     `toml:"years"`
}

// Estimators of a target.
var Estimators = []string{"mean", "ratio", "difference", "provider_quantile", "provider_share", "validation"}

// ProviderQuantities are the per-provider quantities of providers.csv that the
// provider_quantile and provider_share estimators read.
var ProviderQuantities = []string{"visits", "revenue", "tak1_share", "margin", "quality", "admin_hours",
	"achievement", "exception_rate", "upcoded_share"}

// StdErr is the target's standard error: se, or the 95 % interval's (or the finite
// range's) width / 3.92.
func (t *Target) StdErr() float64 {
	if t.SE != nil {
		return *t.SE
	}
	if len(t.Interval) == 2 {
		return (t.Interval[1] - t.Interval[0]) / 3.92
	}
	if len(t.Range) == 2 {
		return (t.Range[1] - t.Range[0]) / 3.92
	}
	return math.NaN()
}

// Scale is what a miss on the target counts in: its standard error and its model
// discrepancy added in quadrature.
func (t *Target) Scale() float64 {
	se := t.StdErr()
	if t.Discrepancy == nil {
		return se
	}
	return math.Hypot(se, *t.Discrepancy)
}

// Bounds is the range of values that fit the target exactly: [observed, observed] for
// a point target, the range for a range target.
func (t *Target) Bounds() (lo, hi float64) {
	if len(t.Range) == 2 {
		return t.Range[0], t.Range[1]
	}
	if t.Observed == nil {
		return math.NaN(), math.NaN()
	}
	return *t.Observed, *t.Observed
}

// Centre is the value the target's fit is measured from in charts and tables: the
// observed value, a finite range's midpoint, or a half-open range's finite end.
func (t *Target) Centre() float64 {
	lo, hi := t.Bounds()
	switch {
	case math.IsInf(lo, -1):
		return hi
	case math.IsInf(hi, 1):
		return lo
	}
	return (lo + hi) / 2
}

// W is the target's weight in the distance (default 1).
func (t *Target) W() float64 {
	if t.Weight == nil {
		return 1
	}
	return *t.Weight
}

// applyCalibrationDefaults fills the section's defaults.
func applyCalibrationDefaults(c *Calibration) {
	if c == nil {
		return
	}
	if c.Replications == 0 {
		c.Replications = 10
	}
	if c.Particles == 0 {
		c.Particles = 200
	}
	if c.MaxGenerations == 0 {
		c.MaxGenerations = 8
	}
	if c.MinAcceptance == 0 {
		c.MinAcceptance = 0.02
	}
	for i := range c.Targets {
		t := &c.Targets[i]
		if t.Estimator == "" {
			t.Estimator = "mean"
		}
	}
}

// checkCalibration checks the [calibration] section against its scenario.
func checkCalibration(sc *Scenario) []problem {
	var probs []problem
	add := func(path, allowed, format string, a ...any) {
		probs = append(probs, problem{Path: path, Msg: fmt.Sprintf(format, a...), Allowed: allowed})
	}
	for _, n := range sortedKeys(sc.Variants) {
		if v := sc.Variants[n]; v != nil {
			if _, ok := v.Set["calibration"]; ok {
				add("variants."+quoteKey(n)+".set.calibration", "overrides of anything but [calibration]",
					"a variant cannot change [calibration]: one calibration fits the parameters of every variant")
			}
		}
	}
	c := sc.Calibration
	if c == nil {
		return probs
	}
	applyCalibrationDefaults(c)
	checkCalibrationParams(sc, c, add)
	if len(c.Targets) == 0 {
		add("calibration.targets", "one or more [[calibration.targets]]", "no targets: calibration needs observed values to fit")
	}
	names := map[string]bool{}
	for i := range c.Targets {
		checkTarget(sc, &c.Targets[i], fmt.Sprintf("calibration.targets[%d]", i), names, add)
	}
	for _, x := range []struct {
		key   string
		v, lo int
		hi    int
		what  string
	}{
		{"replications", c.Replications, 1, 10000, "replications per particle"},
		{"particles", c.Particles, 20, 100000, "particles"},
		{"max_generations", c.MaxGenerations, 1, 100, "generations"},
		{"max_evaluations", c.MaxEvaluations, 0, 100000000, "model evaluations (0: no limit)"},
	} {
		if x.v < x.lo || x.v > x.hi {
			add("calibration."+x.key, fmt.Sprintf("%s: an integer in [%d, %d]", x.what, x.lo, x.hi), "%d is out of range", x.v)
		}
	}
	if !(c.MinAcceptance > 0 && c.MinAcceptance < 1) {
		add("calibration.min_acceptance", "a share in (0, 1)", "%s is out of range", fmtNum(c.MinAcceptance))
	}
	return probs
}

// checkCalibrationParams checks that each parameter to calibrate has a prior in
// [uncertainty.params] that can be drawn on its own.
func checkCalibrationParams(sc *Scenario, c *Calibration, add func(path, allowed, format string, a ...any)) {
	if len(c.Params) == 0 {
		add("calibration.params", "the keys of [uncertainty.params] to calibrate", "no parameters to calibrate")
		return
	}
	var declared []string
	if sc.Uncertainty != nil {
		declared = sortedKeys(sc.Uncertainty.Params)
	}
	seen := map[string]bool{}
	for i, k := range c.Params {
		path := fmt.Sprintf("calibration.params[%d]", i)
		u := (*Uncertain)(nil)
		if sc.Uncertainty != nil {
			u = sc.Uncertainty.Params[k]
		}
		switch {
		case seen[k]:
			add(path, "each key once", "%q is named twice", k)
		case u == nil:
			allowed := "a key of [uncertainty.params], whose distribution is the prior"
			if len(declared) > 0 {
				allowed += ": " + strings.Join(declared, ", ")
			}
			add(path, allowed, "%q has no prior: declare it in [uncertainty.params.%q]%s", k, k, suggestAmong(k, declared))
		case u.Dist == "" || u.Dist == "fixed":
			add(path, "a key whose [uncertainty] distribution is not fixed", "%q is fixed in [uncertainty]: a prior needs a distribution", k)
		case inGroups(sc.Uncertainty, k):
			add(path, "a key not in [[uncertainty.correlations]] or [[uncertainty.dirichlet]]",
				"%q is drawn jointly with other keys; calibrate keys with independent priors", k)
		}
		seen[k] = true
	}
}

// inGroups reports whether key is in a correlation or Dirichlet group of u.
func inGroups(u *Uncertainty, key string) bool {
	for _, c := range u.Correlations {
		if slices.Contains(c.Params, key) {
			return true
		}
	}
	for _, d := range u.Dirichlet {
		if slices.Contains(d.Params, key) {
			return true
		}
	}
	return false
}

// checkTarget checks one target; the metric's name is checked by the caller that knows
// the metrics (package study).
func checkTarget(sc *Scenario, t *Target, path string, names map[string]bool, add func(path, allowed, format string, a ...any)) {
	switch {
	case t.Name == "":
		add(path+".name", "a name for the target, unique in the file", "is missing")
	case names[t.Name]:
		add(path+".name", "a name for the target, unique in the file", "%q is used twice", t.Name)
	}
	names[t.Name] = true
	if !slices.Contains(Estimators, t.Estimator) {
		add(path+".estimator", "one of "+strings.Join(Estimators, ", "), "%q is not an estimator", t.Estimator)
	}
	if t.Estimator == "validation" || t.Target != "" {
		checkValidationTarget(t, path, add)
		return
	}
	if t.Replications != 0 {
		add(path+".replications", "replications only with estimator = \"validation\" (calibration.replications sets the rest)", "%s does not take replications", t.Estimator)
	}
	perProvider := strings.HasPrefix(t.Estimator, "provider_")
	switch {
	case !perProvider && t.Metric == "":
		add(path+".metric", "the name of a metric of summary.csv", "is missing")
	case perProvider && t.Metric != "":
		add(path+".metric", "quantity = one of "+strings.Join(ProviderQuantities, ", "), "%s reads a per-provider quantity, not a metric", t.Estimator)
	}
	checkProviderTarget(sc, t, path, perProvider, add)
	// Variants and need groups of a target computed in another scenario are that
	// scenario's: package study checks them when it loads it.
	own := t.Scenario == ""
	variants := []string{sc.Baseline}
	for _, n := range sortedKeys(sc.Variants) {
		if n != sc.Baseline {
			variants = append(variants, n)
		}
	}
	if own && t.Variant != "" && !slices.Contains(variants, t.Variant) {
		add(path+".variant", "a variant of the scenario: "+strings.Join(variants, ", "), "%q is not a variant", t.Variant)
	}
	pair := t.Estimator == "ratio" || t.Estimator == "difference"
	switch {
	case pair && t.Of == "":
		add(path+".of", "the variant the "+t.Estimator+" is taken against", "is missing")
	case pair && !own:
	case pair && !slices.Contains(variants, t.Of):
		add(path+".of", "a variant of the scenario: "+strings.Join(variants, ", "), "%q is not a variant", t.Of)
	case pair && (t.Of == t.Variant || t.Variant == "" && t.Of == sc.Baseline):
		add(path+".of", "another variant than "+t.Of, "a %s of a variant with itself", t.Estimator)
	case !pair && t.Of != "":
		add(path+".of", "of only with estimator ratio or difference", "%s does not take of", t.Estimator)
	}
	if t.Form != "" && !slices.Contains(ContractForms, t.Form) {
		add(path+".form", "one of "+strings.Join(ContractForms, ", "), "%q is not a contract form", t.Form)
	}
	if t.Group != "" && perProvider {
		add(path+".group", "no group with a per-provider estimator", "provider-years are not split by need group")
	} else if t.Group != "" && own {
		var groups []string
		for _, g := range sc.Population.NeedGroups {
			groups = append(groups, g.Name)
		}
		if !slices.Contains(groups, t.Group) {
			add(path+".group", "a need group: "+strings.Join(groups, ", "), "%q is not a need group", t.Group)
		}
	}
	checkFinite(t, path, add)
}

// checkFinite checks a target's observed value, its uncertainty and its weight.
func checkFinite(t *Target, path string, add func(path, allowed, format string, a ...any)) {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if t.Range != nil {
		checkRange(t, path, add)
		return
	}
	if t.Observed == nil || !finite(*t.Observed) {
		add(path+".observed", "the observed value, a finite number, or range = [low, high]", "is missing or not finite")
	}
	switch {
	case t.SE != nil && t.Interval != nil:
		add(path+".se", "se or interval, not both", "both se and interval are given")
	case t.SE != nil && !(finite(*t.SE) && *t.SE > 0):
		add(path+".se", "a standard error > 0", "%s is out of range", fmtNum(*t.SE))
	case t.SE == nil && t.Interval == nil:
		add(path+".se", "se (a standard error > 0) or interval = [low, high] (a 95 % interval)", "the observed value's uncertainty is missing")
	case t.SE == nil && (len(t.Interval) != 2 || !finite(t.Interval[0]) || !finite(t.Interval[1]) || !(t.Interval[0] < t.Interval[1])):
		add(path+".interval", "[low, high], finite numbers with low < high (a 95 % interval)", "is not an interval")
	}
	if t.Weight != nil && !(finite(*t.Weight) && *t.Weight >= 0 && *t.Weight <= 1e6) {
		add(path+".weight", "a number in [0, 1e6]", "%s is out of range", fmtNum(*t.Weight))
	}
	if t.Discrepancy != nil && !(finite(*t.Discrepancy) && *t.Discrepancy >= 0) {
		add(path+".discrepancy", "a standard deviation ≥ 0, in the target's units", "%s is out of range", fmtNum(*t.Discrepancy))
	}
}

// checkRange checks a range target: [low, high] with low < high, an end infinite only
// with se given, and neither observed nor interval.
func checkRange(t *Target, path string, add func(path, allowed, format string, a ...any)) {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	r := t.Range
	switch {
	case t.Observed != nil:
		add(path+".range", "observed or range, not both", "both observed and range are given")
	case t.Interval != nil:
		add(path+".interval", "no interval with a range (its width sets the scale; or give se)", "both range and interval are given")
	case len(r) != 2 || math.IsNaN(r[0]) || math.IsNaN(r[1]) || !(r[0] < r[1]) || math.IsInf(r[0], 1) || math.IsInf(r[1], -1):
		add(path+".range", "[low, high] with low < high; an end may be -inf or inf", "is not a range")
	case t.SE == nil && !(finite(r[0]) && finite(r[1])):
		add(path+".se", "a standard error > 0, the scale of a miss outside a half-open range", "is missing")
	case t.SE != nil && !(finite(*t.SE) && *t.SE > 0):
		add(path+".se", "a standard error > 0", "%s is out of range", fmtNum(*t.SE))
	}
	if t.Weight != nil && !(finite(*t.Weight) && *t.Weight >= 0 && *t.Weight <= 1e6) {
		add(path+".weight", "a number in [0, 1e6]", "%s is out of range", fmtNum(*t.Weight))
	}
	if t.Discrepancy != nil && !(finite(*t.Discrepancy) && *t.Discrepancy >= 0) {
		add(path+".discrepancy", "a standard deviation ≥ 0, in the target's units", "%s is out of range", fmtNum(*t.Discrepancy))
	}
}

// Problem locates a problem found outside this package (in a check that needs what
// it does not know, such as the names of the metrics) at path in the file.
func (f *File) Problem(path, msg, allowed string) *InputError { return f.at(path, msg, allowed) }

// checkProviderTarget checks the keys of the per-provider estimators.
func checkProviderTarget(sc *Scenario, t *Target, path string, perProvider bool, add func(path, allowed, format string, a ...any)) {
	if !perProvider {
		for _, k := range []struct {
			key   string
			given bool
		}{{"quantity", t.Quantity != ""}, {"quantile", t.Quantile != nil}, {"band", t.Band != nil}, {"years", t.Years != nil}} {
			if k.given {
				add(path+"."+k.key, k.key+" only with estimator provider_quantile or provider_share", "%s does not take %s", t.Estimator, k.key)
			}
		}
		return
	}
	if !slices.Contains(ProviderQuantities, t.Quantity) {
		add(path+".quantity", "one of "+strings.Join(ProviderQuantities, ", "), "%q is not a per-provider quantity", t.Quantity)
	}
	switch t.Estimator {
	case "provider_quantile":
		if t.Quantile == nil || !(*t.Quantile >= 0 && *t.Quantile <= 1) {
			add(path+".quantile", "a quantile in [0, 1]", "is missing or out of range")
		}
		if t.Band != nil {
			add(path+".band", "band only with provider_share", "provider_quantile does not take band")
		}
	case "provider_share":
		if len(t.Band) != 2 || math.IsNaN(t.Band[0]) || math.IsNaN(t.Band[1]) || !(t.Band[0] <= t.Band[1]) {
			add(path+".band", "[low, high] with low <= high", "is missing or not a band")
		}
		if t.Quantile != nil {
			add(path+".quantile", "quantile only with provider_quantile", "provider_share does not take quantile")
		}
	}
	for i, y := range t.Years {
		if y < 1 || y > sc.HorizonYears {
			add(fmt.Sprintf("%s.years[%d]", path, i), fmt.Sprintf("a year of the horizon, 1–%d", sc.HorizonYears), "%d is out of range", y)
		}
	}
}

// checkValidationTarget checks a target computed by a validation study's estimator: it
// names the study's target and nothing of this scenario.
func checkValidationTarget(t *Target, path string, add func(path, allowed, format string, a ...any)) {
	if t.Estimator != "validation" {
		add(path+".target", "target only with estimator = \"validation\"", "%s does not take target", t.Estimator)
		return
	}
	if t.Target == "" {
		add(path+".target", "the ID of a target of ersim replicate (VALIDATION.md), such as 7a", "is missing")
	}
	if t.Replications < 0 || t.Replications > 10000 {
		add(path+".replications", "an integer in [1, 10000] (0 or absent: calibration.replications)", "%d is out of range", t.Replications)
	}
	for _, k := range []struct {
		key   string
		given bool
	}{{"metric", t.Metric != ""}, {"variant", t.Variant != ""}, {"of", t.Of != ""}, {"form", t.Form != ""}, {"group", t.Group != ""},
		{"scenario", t.Scenario != ""}, {"quantity", t.Quantity != ""}, {"quantile", t.Quantile != nil}, {"band", t.Band != nil}, {"years", t.Years != nil}} {
		if k.given {
			add(path+"."+k.key, "target (the validation study's estimator and scenario say the rest)", "a validation target does not take %s", k.key)
		}
	}
	checkFinite(t, path, add)
}
