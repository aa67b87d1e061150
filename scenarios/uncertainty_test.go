package scenarios

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"ersim/dist"
	"gonum.org/v1/gonum/stat/distuv"
)

// uncertainText is validText with an [uncertainty] section using every distribution, a
// parameter of a per-provider distribution, a correlation matrix and a Dirichlet group.
const uncertainText = validText + `
[uncertainty.params."behaviour.quality.substitution"]
dist = "beta"
a = 5
b = 5
low = 0.3
high = 0.7
source = "assumption: symmetric around 0.5"

[uncertainty.params."behaviour.admin.hours_per_claim"]
dist = "gamma"
mean = 0.05
sd = 0.02
assumption = true

[uncertainty.params."behaviour.admin.hourly_cost_sek"]
dist = "lognormal"
mean = 600
sd = 100

[uncertainty.params."behaviour.quality.loss_aversion"]
dist = "normal"
mean = 2
sd = 0.5
min = 1

[uncertainty.params."behaviour.choice.theta"]
dist = "triangular"
min = 1
mode = 3
max = 5

[uncertainty.params."behaviour.volume.wait_elasticity"]
dist = "uniform"
min = 0.2
max = 0.8

[uncertainty.params."cohorts.lov_gp.altruism.a"]
dist = "uniform"
min = 1.5
max = 2.5

[uncertainty.params."rules.lov.indicators[0].weight"]
dist = "normal"
mean = 0.02
sd = 0.005
min = 0
max = 0.5
high = 0.03

[[uncertainty.correlations]]
params = ["behaviour.admin.hours_per_claim", "behaviour.admin.hourly_cost_sek", "behaviour.choice.theta"]
rank = [[1, 0.5, -0.3], [0.5, 1, 0.2], [-0.3, 0.2, 1]]

[[uncertainty.dirichlet]]
params = ["population.need_groups[0].share", "population.need_groups[1].share"]
alpha = [60, 40]
`

func parseUncertain(t *testing.T, text string) *File {
	t.Helper()
	f, err := Parse("psa.toml", []byte(text))
	if err != nil {
		t.Fatalf("scenario rejected:\n%v", err)
	}
	return f
}

func TestUncertaintyDecodes(t *testing.T) {
	f := parseUncertain(t, uncertainText)
	u := f.Base.Uncertainty
	want := []string{
		"behaviour.admin.hourly_cost_sek", "behaviour.admin.hours_per_claim", "behaviour.choice.theta",
		"behaviour.quality.loss_aversion", "behaviour.quality.substitution", "behaviour.volume.wait_elasticity",
		"cohorts.lov_gp.altruism.a", "population.need_groups[0].share", "population.need_groups[1].share",
		"rules.lov.indicators[0].weight",
	}
	if got := u.Keys(); !slices.Equal(got, want) {
		t.Fatalf("keys:\n got %v\nwant %v", got, want)
	}
	s := u.Params["behaviour.quality.substitution"]
	if p := s.Param(); p.Dist != "beta" || p.A != 5 || p.B != 5 || p.Source == "" {
		t.Errorf("substitution: %+v", p)
	}
	if p := u.Params["behaviour.admin.hours_per_claim"].Param(); math.Abs(p.Shape-6.25) > 1e-12 || !p.Assumption {
		t.Errorf("gamma by mean and sd: %+v", p)
	}
	// Every variant carries the same section, and the resolved text carries it too.
	for _, v := range f.Variants {
		if !slices.Equal(v.Scenario.Uncertainty.Keys(), want) {
			t.Errorf("variant %s: keys %v", v.Name, v.Scenario.Uncertainty.Keys())
		}
		g, err := Parse("resolved.toml", []byte(v.Text))
		if err != nil {
			t.Fatalf("resolved text of %s does not parse:\n%v\n%s", v.Name, err, v.Text)
		}
		if !reflect.DeepEqual(g.Base.Uncertainty.Sample(7, 3), u.Sample(7, 3)) {
			t.Errorf("variant %s: the resolved text draws differently", v.Name)
		}
	}
	if lo, hi := u.Range("behaviour.quality.substitution"); lo != 0.3 || hi != 0.7 {
		t.Errorf("given range: %g, %g", lo, hi)
	}
	ln := distuv.LogNormal{Mu: math.Log(600) - math.Log1p(100.0*100/(600*600))/2, Sigma: math.Sqrt(math.Log1p(100.0 * 100 / (600 * 600)))}
	if lo, hi := u.Range("behaviour.admin.hourly_cost_sek"); math.Abs(lo-ln.Quantile(0.05)) > 1e-9 || math.Abs(hi-ln.Quantile(0.95)) > 1e-9 {
		t.Errorf("default range: %g, %g; want %g, %g", lo, hi, ln.Quantile(0.05), ln.Quantile(0.95))
	}
	n := distuv.UnitNormal
	if lo, hi := u.Range("rules.lov.indicators[0].weight"); math.Abs(lo-(0.02+0.005*n.Quantile(n.CDF(-4)+0.05*(1-n.CDF(-4))))) > 1e-12 || hi != 0.03 {
		t.Errorf("half-given range: %g, %g", lo, hi)
	}
	share := distuv.Beta{Alpha: 60, Beta: 40}
	if q := u.Quantile("population.need_groups[0].share", 0.1); math.Abs(q-share.Quantile(0.1)) > 1e-9 {
		t.Errorf("Dirichlet marginal quantile %g, want %g", q, share.Quantile(0.1))
	}
	if q := u.Quantile("behaviour.choice.theta", 0.5); math.Abs(q-3) > 1e-12 {
		t.Errorf("triangular median %g, want 3", q)
	}
	if !math.IsNaN(u.Quantile("behaviour.quality.kappa", 0.5)) || !math.IsNaN(u.Quantile("behaviour.choice.theta", 2)) {
		t.Errorf("Quantile of an unknown key or p > 1 is not NaN")
	}
	var none *Uncertainty
	if none.Keys() != nil || none.Sample(1, 1) != nil {
		t.Errorf("a nil section has keys or draws")
	}
}

// uncertaintyCase is a bad [uncertainty] section: the problem's path, the text on its
// line and fragments of its message.
type uncertaintyCase struct {
	name  string
	edit  func(string) string
	path  string
	at    string
	frags []string
}

func TestUncertaintyBadInput(t *testing.T) {
	param := func(key, body string) func(string) string {
		return func(s string) string {
			return s + "\n[uncertainty.params.\"" + key + "\"]\n" + body + "\n"
		}
	}
	cases := []uncertaintyCase{
		{"unknown key path", replace(`"behaviour.quality.substitution"]`, `"behaviour.quality.substitutoin"]`),
			`uncertainty.params."behaviour.quality.substitutoin"`, "substitutoin",
			[]string{"behaviour.quality has no key substitutoin", "did you mean behaviour.quality.substitution"}},
		{"key path without its table", replace(`"behaviour.quality.substitution"]`, `"quality.substitution"]`),
			`uncertainty.params."quality.substitution"`, `"quality.substitution"`,
			[]string{"names no numeric parameter", "did you mean behaviour.quality.substitution"}},
		{"unknown cohort", replace(`"cohorts.lov_gp.altruism.a"]`, `"cohorts.lov_pc.altruism.a"]`),
			`uncertainty.params."cohorts.lov_pc.altruism.a"`, "lov_pc",
			[]string{"cohorts has no lov_pc", "did you mean cohorts.lov_gp.altruism.a"}},
		{"index out of range", replace(`"rules.lov.indicators[0].weight"]`, `"rules.lov.indicators[3].weight"]`),
			`uncertainty.params."rules.lov.indicators[3].weight"`, "indicators[3]",
			[]string{"rules.lov.indicators has 1 elements", "did you mean rules.lov.indicators[0].weight"}},
		{"a count", param("cohorts.lov_gp.count", "dist = \"uniform\"\nmin = 5\nmax = 10"),
			`uncertainty.params."cohorts.lov_gp.count"`, "lov_gp.count", []string{"integer", "cannot be uncertain"}},
		{"a switch", param("behaviour.quality.enabled", "dist = \"uniform\"\nmin = 0\nmax = 1"),
			`uncertainty.params."behaviour.quality.enabled"`, "quality.enabled", []string{"is a switch"}},
		{"a run setting", param("discount_rate", "dist = \"uniform\"\nmin = 0\nmax = 0.05"),
			`uncertainty.params.discount_rate`, `"discount_rate"`, []string{"run setting"}},
		{"a table", param("behaviour.quality", "dist = \"uniform\"\nmin = 0\nmax = 1"),
			`uncertainty.params."behaviour.quality"`, `"behaviour.quality"`, []string{"is a table or an array, not a number"}},
		{"a beta for a weight of at most 0.5", replace("dist = \"normal\"\nmean = 0.02\nsd = 0.005\nmin = 0\nmax = 0.5\nhigh = 0.03", "dist = \"beta\"\na = 2\nb = 50"),
			`uncertainty.params."rules.lov.indicators[0].weight"`, "indicators[0].weight",
			[]string{"does not fit rules.lov.indicators[0].weight", "beta(2, 50) can draw values in [0, 1]", "[0, 0.5]"}},
		{"a normal for a cost", replace("dist = \"lognormal\"\nmean = 600", "dist = \"normal\"\nmean = 600"),
			`uncertainty.params."behaviour.admin.hourly_cost_sek"`, "hourly_cost_sek",
			[]string{"does not fit behaviour.admin.hourly_cost_sek", "no lower bound", "add min = 0"}},
		{"a negative fixed value for a cost", param("behaviour.admin.region_hourly_cost_sek", "dist = \"fixed\"\nvalue = -5"),
			`uncertainty.params."behaviour.admin.region_hourly_cost_sek".value`, "value = -5",
			[]string{"-5 is out of range"}},
		{"a distribution parameter that may go negative", replace("min = 1.5\nmax = 2.5", "min = -0.5\nmax = 2.5"),
			`uncertainty.params."cohorts.lov_gp.altruism.a"`, "altruism.a",
			[]string{"does not fit parameter a of cohorts.lov_gp.altruism (beta(2, 3))", "[-0.5, 2.5]"}},
		{"a distribution Param named without its parameter", replace(`"cohorts.lov_gp.altruism.a"]`, `"cohorts.lov_gp.altruism"]`),
			`uncertainty.params."cohorts.lov_gp.altruism"`, "lov_gp.altruism",
			[]string{"distribution drawn once per provider", "name which of its parameters", "cohorts.lov_gp.altruism.a or cohorts.lov_gp.altruism.b"}},
		{"a parameter of a plain value", param("cohorts.lov_gp.fte.a", "dist = \"uniform\"\nmin = 1\nmax = 2"),
			`uncertainty.params."cohorts.lov_gp.fte.a"`, "fte.a", []string{"single value", `no parameter "a"`, "write cohorts.lov_gp.fte"}},
		{"a parameter the distribution lacks", replace(`"cohorts.lov_gp.altruism.a"]`, `"cohorts.lov_gp.altruism.mean"]`),
			`uncertainty.params."cohorts.lov_gp.altruism.mean"`, "altruism.mean", []string{`has no parameter "mean"`, "a, b"}},
		{"one share alone", param("population.need_groups[0].share", "dist = \"uniform\"\nmin = 0.5\nmax = 0.7"),
			`uncertainty.params."population.need_groups[0].share"`, `"population.need_groups[0].share"]`,
			[]string{"one of the need group shares, which must sum to 1", "[[uncertainty.dirichlet]]"}},
		{"low not below high", replace("low = 0.3\nhigh = 0.7", "low = 0.7\nhigh = 0.3"),
			`uncertainty.params."behaviour.quality.substitution".low`, "low = 0.7", []string{"low 0.7 is not below high 0.3"}},
		{"low outside the support", replace("min = 0.2\nmax = 0.8", "min = 0.2\nmax = 0.8\nlow = 0.1"),
			`uncertainty.params."behaviour.volume.wait_elasticity".low`, "low = 0.1",
			[]string{"low 0.1 is outside the support of uniform(0.2, 0.8)"}},
		{"high outside the parameter's range", replace("low = 0.3\nhigh = 0.7", "low = 0.3\nhigh = 1"),
			`uncertainty.params."behaviour.quality.substitution".high`, "high = 1", []string{"high 1 is out of range", "[0, 1)"}},
		{"a range for a fixed value", param("behaviour.motivation.kappa", "value = 0\nlow = 0"),
			`uncertainty.params."behaviour.motivation.kappa".low`, "low = 0\n", []string{"fixed value has no range"}},
		{"a draw that breaks another key", param("rules.lov.ceiling.tak1", "dist = \"uniform\"\nmin = 2000000\nmax = 3500000"),
			`uncertainty.params."rules.lov.ceiling.tak1"`, "ceiling.tak1",
			[]string{"at 3.5e+06 (the high end of uniform(2e+06, 3.5e+06))", "rules.lov.ceiling.tak2", "tak 2 (3.3e+06) is below tak 1 (3.5e+06)"}},
		{"a parameter draw that breaks its distribution", param("cohorts.lov_gp.gaming_propensity", "dist = \"uniform\"\nmin = 0\nmax = 2"),
			`uncertainty.params."cohorts.lov_gp.gaming_propensity"`, `"cohorts.lov_gp.gaming_propensity"]`,
			[]string{"does not fit cohorts.lov_gp.gaming_propensity", "[0, 1]"}},
		{"unknown distribution", replace("dist = \"triangular\"", "dist = \"weibull\""),
			`uncertainty.params."behaviour.choice.theta".dist`, "weibull", []string{`unknown distribution "weibull"`, "triangular"}},
		{"a key the distribution does not take", replace("a = 5\nb = 5", "a = 5\nb = 5\nmean = 0.5"),
			`uncertainty.params."behaviour.quality.substitution".mean`, "mean = 0.5", []string{`beta does not take "mean"`, "a, b"}},
		{"a missing key", replace("mean = 2\nsd = 0.5\nmin = 1", "mean = 2\nmin = 1"),
			`uncertainty.params."behaviour.quality.loss_aversion"`, "loss_aversion", []string{`normal needs "sd"`}},
		{"a bad distribution", replace("min = 1\nmode = 3\nmax = 5", "min = 1\nmode = 6\nmax = 5"),
			`uncertainty.params."behaviour.choice.theta"`, "choice.theta", []string{"triangular needs min <= mode <= max"}},
		{"an unknown key", replace("a = 5\nb = 5", "a = 5\nb = 5\nwidth = 2"),
			`uncertainty.params."behaviour.quality.substitution".width`, "width", []string{"unknown key"}},
		{"the same key twice", param(`cohorts.\"lov_gp\".altruism.a`, "dist = \"uniform\"\nmin = 1\nmax = 2"),
			`uncertainty.params."cohorts.lov_gp.altruism.a"`, `"cohorts.lov_gp.altruism.a"]`,
			[]string{"is also uncertain at", `uncertainty.params."cohorts.\"lov_gp\".altruism.a"`}},
		{"a key both alone and in a Dirichlet", replace(`params = ["population.need_groups[0].share"`, `params = ["behaviour.volume.wait_elasticity"`),
			"uncertainty.dirichlet[0].params[0]", `params = ["behaviour.volume.wait_elasticity"`,
			[]string{"behaviour.volume.wait_elasticity is also uncertain at uncertainty.params"}},
		{"correlation matrix not square", replace("[0.5, 1, 0.2], [-0.3", "[0.5, 1], [-0.3"),
			"uncertainty.correlations[0].rank[1]", "rank =", []string{"row 1 has 2 entries", "square, 3×3"}},
		{"correlation matrix not matching params", replace(", [-0.3, 0.2, 1]]", "]"),
			"uncertainty.correlations[0].rank", "rank =", []string{"has 2 rows, but params has 3 keys"}},
		{"correlation matrix not symmetric", replace("[0.5, 1, 0.2], [-0.3, 0.2, 1]", "[0.5, 1, 0.2], [-0.3, 0.25, 1]"),
			"uncertainty.correlations[0].rank[1][2]", "rank =", []string{"not symmetric", "[1][2] is 0.2 but [2][1] is 0.25"}},
		{"correlation diagonal not 1", replace("[0.5, 1, 0.2]", "[0.5, 0.9, 0.2]"),
			"uncertainty.correlations[0].rank[1][1]", "rank =", []string{"diagonal entry is 0.9, not 1"}},
		{"correlation outside [-1, 1]", replace("rank = [[1, 0.5, -0.3], [0.5,", "rank = [[1, 1.5, -0.3], [1.5,"),
			"uncertainty.correlations[0].rank[0][1]", "rank =", []string{"1.5 is outside [−1, 1]"}},
		{"correlation not positive semi-definite", replace("[[1, 0.5, -0.3], [0.5, 1, 0.2], [-0.3, 0.2, 1]]", "[[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]"),
			"uncertainty.correlations[0].rank", "rank =", []string{"not positive semi-definite", "smallest eigenvalue is -0.8"}},
		{"correlation of a key without a distribution", replace(`"behaviour.choice.theta"]`+"\nrank", `"behaviour.choice.active_share"]`+"\nrank"),
			"uncertainty.correlations[0].params[2]", `params = ["behaviour.admin.hours_per_claim"`,
			[]string{"behaviour.choice.active_share is not in [uncertainty.params]"}},
		{"correlation of a Dirichlet share", replace(`"behaviour.choice.theta"]`+"\nrank", `"population.need_groups[1].share"]`+"\nrank"),
			"uncertainty.correlations[0].params[2]", `params = ["behaviour.admin.hours_per_claim"`,
			[]string{"Dirichlet share; Dirichlet shares cannot be correlated"}},
		{"Dirichlet alpha length", replace("alpha = [60, 40]", "alpha = [60, 40, 10]"),
			"uncertainty.dirichlet[0].alpha", "alpha =", []string{"has 3 numbers; params has 2 keys"}},
		{"Dirichlet alpha not positive", replace("alpha = [60, 40]", "alpha = [60, 0]"),
			"uncertainty.dirichlet[0].alpha[1]", "alpha =", []string{"0 is not a positive number", "[0.001, 1e7]"}},
		{"Dirichlet of one key", replace(`params = ["population.need_groups[0].share", "population.need_groups[1].share"]`+"\nalpha = [60, 40]",
			`params = ["population.need_groups[0].share"]`+"\nalpha = [60]"),
			"uncertainty.dirichlet[0].params", `params = ["population.need_groups[0].share"]`, []string{"has 1 keys", "at least 2"}},
		{"Dirichlet of something that is not a share", replace(`"population.need_groups[1].share"]`, `"behaviour.volume.duty_floor"]`),
			"uncertainty.dirichlet[0].params[1]", `params = ["population.need_groups[0].share"`,
			[]string{"behaviour.volume.duty_floor is not a share of a group that sums to 1"}},
		{"Dirichlet over two groups", chain(
			replace(`"population.need_groups[1].share"]`, `"population.areas[0].share"]`)),
			"uncertainty.dirichlet[0].params[1]", `params = ["population.need_groups[0].share"`,
			[]string{"population.areas[0].share is one of the area shares, but the need group shares come first"}},
		{"Dirichlet missing a share", chain(
			replace("share = 0.4\ndemand_per_year = 5", "share = 0.3\ndemand_per_year = 5"),
			replace("[[population.need_groups]]\nname = \"high\"", "[[population.need_groups]]\nname = \"rare\"\nshare = 0.1\ndemand_per_year = 1\noptimal_visits_per_year = 1\nbenefit_per_visit = 0.01\ncost_weight = 1\n\n[[population.need_groups]]\nname = \"high\"")),
			"uncertainty.dirichlet[0].params", `params = ["population.need_groups[0].share"`,
			[]string{"every nonzero one of the need group shares must be drawn", "population.need_groups[2].share (0.3) is missing"}},
		{"Dirichlet over a mix component the rule lacks", func(s string) string {
			s = replace(`description = "capitation`, "mix = { revenue_per_person_year = 3000, capitation = 0.7, visit = 0.3 }\ndescription = \"capitation")(s)
			s = replace(`[[rules.lov.indicators]]`+"\nname = \"followup\"\nweight = 0.02", `[[rules.lov.indicators]]`+"\nname = \"followup\"\nweight = 0")(s)
			s = replace("dist = \"normal\"\nmean = 0.02\nsd = 0.005\nmin = 0\nmax = 0.5\nhigh = 0.03", "value = 0")(s)
			return s + "\n[[uncertainty.dirichlet]]\nparams = [\"rules.lov.mix.capitation\", \"rules.lov.mix.visit\", \"rules.lov.mix.case\"]\nalpha = [7, 3, 1]\n"
		}, "uncertainty.dirichlet[1]", "[[uncertainty.dirichlet]]\nparams = [\"rules.lov.mix",
			[]string{"with rules.lov.mix.case near 1", "the rule has no case_payment"}},
		{"a variant that changes [uncertainty]", replace("fee = 300", "fee = 300\n[variants.more_fee.set.uncertainty.params.\"behaviour.quality.kappa\"]\nvalue = 0.1"),
			"variants.more_fee.set.uncertainty", "[variants.more_fee.set.uncertainty", []string{"a variant cannot change [uncertainty]"}},
		{"a key a variant removes", replace("fee = 300", "fee = 300\n[variants.more_fee.set.rules.lov]\nindicators = []"),
			`uncertainty.params."rules.lov.indicators[0].weight"`, "indicators[0].weight",
			[]string{"rules.lov.indicators has 0 elements"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.edit(uncertainText)
			_, err := Parse("bad.toml", []byte(text))
			if err == nil {
				t.Fatalf("accepted")
			}
			var ies InputErrors
			if !errors.As(err, &ies) {
				t.Fatalf("not InputErrors: %T %v", err, err)
			}
			var hit *InputError
			for _, e := range ies {
				if e.Path == tc.path {
					hit = e
					break
				}
			}
			if hit == nil {
				t.Fatalf("no problem at %s:\n%v", tc.path, err)
			}
			if want := lineOf(text, tc.at); hit.Line != want || want == 0 {
				t.Errorf("line %d, want %d (%q):\n%v", hit.Line, want, tc.at, err)
			}
			msg := hit.Error()
			for _, f := range tc.frags {
				if !strings.Contains(msg, f) {
					t.Errorf("message lacks %q:\n%s", f, msg)
				}
			}
		})
	}
}

// sampleAll draws n replications and returns the draws of each key by column.
func sampleAll(u *Uncertainty, seed uint64, n int) map[string][]float64 {
	keys := u.Keys()
	cols := map[string][]float64{}
	for rep := range n {
		for i, v := range u.Sample(seed, rep) {
			cols[keys[i]] = append(cols[keys[i]], v)
		}
	}
	return cols
}

func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

func ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	r := make([]float64, len(xs))
	for k, i := range idx {
		r[i] = float64(k)
	}
	return r
}

func spearman(x, y []float64) float64 {
	rx, ry := ranks(x), ranks(y)
	mx, sx := meanSD(rx)
	my, sy := meanSD(ry)
	c := 0.0
	for i := range rx {
		c += (rx[i] - mx) * (ry[i] - my)
	}
	return c / float64(len(rx)-1) / (sx * sy)
}

const psaReps = 20000

// Draws match their distributions' means and standard deviations, the rank correlations
// their specification, and Dirichlet shares sum to 1 with the right means.
func TestSampleMoments(t *testing.T) {
	u := parseUncertain(t, uncertainText).Base.Uncertainty
	cols := sampleAll(u, 20190101, psaReps)

	// The normal for loss aversion is truncated at 1 (α = −2 standard deviations).
	phi := func(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }
	alpha := -2.0
	z := 1 - dist.NormalCDF(alpha)
	lam := phi(alpha) / z
	tnMean, tnSD := 2+0.5*lam, 0.5*math.Sqrt(1+alpha*lam-lam*lam)
	tri := func(a, c, b float64) (float64, float64) {
		return (a + b + c) / 3, math.Sqrt((a*a + b*b + c*c - a*b - a*c - b*c) / 18)
	}
	triMean, triSD := tri(1, 3, 5)
	want := map[string][2]float64{
		"behaviour.quality.substitution":   {0.5, math.Sqrt(25.0 / (100 * 11))},
		"behaviour.admin.hours_per_claim":  {0.05, 0.02},
		"behaviour.admin.hourly_cost_sek":  {600, 100},
		"behaviour.quality.loss_aversion":  {tnMean, tnSD},
		"behaviour.choice.theta":           {triMean, triSD},
		"behaviour.volume.wait_elasticity": {0.5, 0.6 / math.Sqrt(12)},
		"cohorts.lov_gp.altruism.a":        {2, 1 / math.Sqrt(12)},
		"rules.lov.indicators[0].weight":   {0.02, 0.005},
		"population.need_groups[0].share":  {0.6, math.Sqrt(0.6 * 0.4 / 101)},
		"population.need_groups[1].share":  {0.4, math.Sqrt(0.6 * 0.4 / 101)},
	}
	for key, w := range want {
		mean, sd := meanSD(cols[key])
		if tol := 4 * w[1] / math.Sqrt(psaReps); math.Abs(mean-w[0]) > tol {
			t.Errorf("%s: mean %.6g, want %.6g ± %.2g", key, mean, w[0], tol)
		}
		if math.Abs(sd/w[1]-1) > 0.03 {
			t.Errorf("%s: sd %.6g, want %.6g ± 3 %%", key, sd, w[1])
		}
	}
	for _, x := range cols["behaviour.quality.loss_aversion"] {
		if x < 1 {
			t.Fatalf("truncated normal drew %g < 1", x)
		}
	}
	for i := range psaReps {
		if s := cols["population.need_groups[0].share"][i] + cols["population.need_groups[1].share"][i]; math.Abs(s-1) > 1e-12 {
			t.Fatalf("rep %d: Dirichlet shares sum to %.17g", i, s)
		}
	}
	pairs := []struct {
		a, b string
		rho  float64
	}{
		{"behaviour.admin.hours_per_claim", "behaviour.admin.hourly_cost_sek", 0.5},
		{"behaviour.admin.hours_per_claim", "behaviour.choice.theta", -0.3},
		{"behaviour.admin.hourly_cost_sek", "behaviour.choice.theta", 0.2},
		{"behaviour.admin.hours_per_claim", "behaviour.quality.substitution", 0},
		{"behaviour.choice.theta", "cohorts.lov_gp.altruism.a", 0},
	}
	for _, p := range pairs {
		if got := spearman(cols[p.a], cols[p.b]); math.Abs(got-p.rho) > 0.03 {
			t.Errorf("rank correlation of %s and %s: %.4f, want %.2f ± 0.03", p.a, p.b, got, p.rho)
		}
	}
}

// A correlation matrix that is only semi-definite (two keys perfectly correlated) is
// still imposed.
func TestSemidefiniteCorrelation(t *testing.T) {
	text := strings.Replace(uncertainText, "[[1, 0.5, -0.3], [0.5, 1, 0.2], [-0.3, 0.2, 1]]", "[[1, 1, 0.2], [1, 1, 0.2], [0.2, 0.2, 1]]", 1)
	u := parseUncertain(t, text).Base.Uncertainty
	cols := sampleAll(u, 5, 4000)
	if got := spearman(cols["behaviour.admin.hours_per_claim"], cols["behaviour.admin.hourly_cost_sek"]); got < 0.999 {
		t.Errorf("perfect rank correlation drawn as %.4f", got)
	}
	if got := spearman(cols["behaviour.admin.hours_per_claim"], cols["behaviour.choice.theta"]); math.Abs(got-0.2) > 0.05 {
		t.Errorf("rank correlation %.4f, want 0.2", got)
	}
}

// Draws depend only on (seed, replication): the same every time, in any goroutine,
// different across replications and seeds, and a key's draws do not change when an
// unrelated key is added or removed.
func TestSampleReproducible(t *testing.T) {
	u := parseUncertain(t, uncertainText).Base.Uncertainty
	a := u.Sample(42, 7)
	if b := u.Sample(42, 7); !slices.Equal(a, b) {
		t.Fatalf("same (seed, rep), different draws:\n%v\n%v", a, b)
	}
	for i, x := range u.Sample(42, 8) {
		if x == a[i] {
			t.Errorf("%s: same draw in replications 7 and 8", u.Keys()[i])
		}
	}
	for i, x := range u.Sample(43, 7) {
		if x == a[i] {
			t.Errorf("%s: same draw under seeds 42 and 43", u.Keys()[i])
		}
	}
	var wg sync.WaitGroup
	got := make([][]float64, 8)
	for w := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[w] = u.Sample(42, 7)
		}()
	}
	wg.Wait()
	for _, g := range got {
		if !slices.Equal(g, a) {
			t.Fatalf("concurrent draws differ")
		}
	}
	// Drop an independent key: the others keep their draws.
	fewer := strings.Replace(uncertainText, "[uncertainty.params.\"behaviour.volume.wait_elasticity\"]\ndist = \"uniform\"\nmin = 0.2\nmax = 0.8\n", "", 1)
	v := parseUncertain(t, fewer).Base.Uncertainty
	b := v.Sample(42, 7)
	for i, k := range v.Keys() {
		if j := slices.Index(u.Keys(), k); b[i] != a[j] {
			t.Errorf("%s drawn %g, was %g before an unrelated key was removed", k, b[i], a[j])
		}
	}
}

// Apply sets plain values, Dirichlet shares and a parameter of a per-provider
// distribution; every draw leaves a valid scenario; the scenario applied to is a clone.
func TestApply(t *testing.T) {
	f := parseUncertain(t, uncertainText)
	u := f.Base.Uncertainty
	keys := u.Keys()
	for _, v := range f.Variants {
		before := Encode(v.Scenario)
		for rep := range 200 {
			sc := Clone(v.Scenario)
			draws := u.Sample(1, rep)
			if err := Apply(sc, keys, draws); err != nil {
				t.Fatal(err)
			}
			at := func(k string) float64 { return draws[slices.Index(keys, k)] }
			if got := sc.Population.NeedGroups[1].Share.Value; got != at("population.need_groups[1].share") {
				t.Fatalf("need group share %g, drew %g", got, at("population.need_groups[1].share"))
			}
			alt := sc.Cohorts["lov_gp"].Altruism
			if alt.A != at("cohorts.lov_gp.altruism.a") || alt.B != 3 || alt.Value != alt.A/(alt.A+3) || alt.Source != "assumption" || alt.Dist != "beta" {
				t.Fatalf("altruism after Apply: %+v", alt)
			}
			if got := sc.Rules["lov"].Indicators[0].Weight.Value; got != at("rules.lov.indicators[0].weight") {
				t.Fatalf("indicator weight %g", got)
			}
			if got := sc.Behaviour.Quality.Substitution.Value; got != at("behaviour.quality.substitution") {
				t.Fatalf("substitution %g", got)
			}
			sc.Uncertainty, sc.Variants = nil, nil
			if ps := validate(sc); len(ps) > 0 {
				t.Fatalf("variant %s, replication %d: the drawn scenario is invalid: %+v", v.Name, rep, ps)
			}
		}
		if Encode(v.Scenario) != before {
			t.Fatalf("Apply on a clone changed the variant's scenario")
		}
	}
	sc := Clone(f.Base)
	for _, bad := range []string{"cohorts.lov_gp.altruism", "cohorts.lov_gp.count", "behaviour.nothing"} {
		if err := Apply(sc, []string{bad}, []float64{1}); err == nil {
			t.Errorf("Apply(%s) succeeded", bad)
		}
	}
	if err := Apply(sc, keys, []float64{1}); err == nil {
		t.Errorf("Apply with too few values succeeded")
	}
}

// Apply recomputes a distribution's mean and keeps the other moment of a gamma.
func TestApplyDistributionParameters(t *testing.T) {
	sc := Clone(parseUncertain(t, validText).Base)
	co := sc.Cohorts["lov_gp"]
	co.ListSize = Param{Dist: "gamma", Shape: 4, Scale: 2000, Value: 8000, set: true}
	co.MarginalCost = Param{Dist: "triangular", Min: 100, Mode: 150, Max: 260, Value: 170, set: true, Source: "x"}
	if err := Apply(sc, []string{"cohorts.lov_gp.list_size.mean", "cohorts.lov_gp.marginal_cost.mode"}, []float64{10000, 200}); err != nil {
		t.Fatal(err)
	}
	ls := co.ListSize
	if math.Abs(ls.Value-10000) > 1e-9 || math.Abs(math.Sqrt(ls.Shape)*ls.Scale-4000) > 1e-9 {
		t.Errorf("gamma after setting its mean: %+v", ls)
	}
	if mc := co.MarginalCost; mc.Value != (100+200+260)/3.0 || mc.Source != "x" {
		t.Errorf("triangular after setting its mode: %+v", mc)
	}
}

// A zero-width uncertainty (a fixed value, a normal with sd 0) at the values of the file
// reproduces the scenario exactly.
func TestZeroWidthReproducesBase(t *testing.T) {
	text := validText + `
[uncertainty.params."behaviour.quality.substitution"]
dist = "fixed"
value = 0.5

[uncertainty.params."cohorts.lov_gp.altruism.a"]
value = 2

[uncertainty.params."behaviour.admin.hourly_cost_sek"]
dist = "normal"
mean = 600
sd = 0
min = 0

[uncertainty.params."rules.lov.visit_fee.fee"]
dist = "lognormal"
mean = 110
sd = 0
`
	f := parseUncertain(t, text)
	u := f.Base.Uncertainty
	if lo, hi := u.Range("rules.lov.visit_fee.fee"); lo != 110 || hi != 110 {
		t.Errorf("zero-width range %g, %g", lo, hi)
	}
	for _, v := range f.Variants {
		before := Encode(v.Scenario)
		for rep := range 5 {
			sc, err := f.ApplyDraws(v.Name, u.Keys(), u.Sample(v.Scenario.Seed, rep))
			if err != nil {
				t.Fatal(err)
			}
			if after := Encode(sc); after != before {
				t.Fatalf("variant %s: zero-width draws changed the scenario:\n%s\n---\n%s", v.Name, before, after)
			}
			if !reflect.DeepEqual(sc, v.Scenario) {
				t.Fatalf("variant %s: zero-width draws changed the decoded scenario", v.Name)
			}
		}
	}
}

// FuzzUncertainty feeds variations of an [uncertainty] section to Parse: it must never
// panic, every error must be an input error, and a section that validates can be drawn
// from and applied.
func FuzzUncertainty(f *testing.F) {
	f.Add([]byte(uncertainText))
	f.Add([]byte(strings.Replace(uncertainText, "[[1, 0.5, -0.3], [0.5, 1, 0.2], [-0.3, 0.2, 1]]", "[]", 1)))
	f.Add([]byte(strings.Replace(uncertainText, "alpha = [60, 40]", "alpha = [1e-300, 1e300]", 1)))
	f.Add([]byte(validText + "\n[uncertainty]\ncorrelations = [{ params = [], rank = [] }]\ndirichlet = [{ params = [\"a\"] }]\n"))
	f.Add([]byte(validText + "\n[uncertainty.params.\"\"]\nvalue = 1\n[uncertainty.params.\"cohorts..x[99999999999999999999].y\"]\nvalue = 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.toml", data)
		if err != nil {
			if !IsInputError(err) {
				t.Fatalf("error is not an input error: %T %v", err, err)
			}
			return
		}
		u := file.Base.Uncertainty
		for _, v := range file.Variants {
			if _, err := file.ApplyDraws(v.Name, u.Keys(), u.Sample(1, 0)); err != nil {
				t.Fatalf("a validated section cannot be applied to %s: %v", v.Name, err)
			}
		}
	})
}

// Validation of the embedded scenarios stays fast with an [uncertainty] section: the
// checks that try every key at the ends of its distribution are one validation each.
func BenchmarkParseUncertain(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("psa.toml", []byte(uncertainText)); err != nil {
			b.Fatal(err)
		}
	}
}

// exampleSection is the example of docs/scenario-reference.md, [uncertainty], for the
// stockholm scenario.
const exampleSection = `
[uncertainty.params."cohorts.lov_pc.altruism.a"]
dist = "uniform"
min = 0.5
max = 1.2
assumption = true

[uncertainty.params."behaviour.quality.substitution"]
dist = "beta"
a = 5
b = 5
low = 0.3
high = 0.7
assumption = true

[uncertainty.params."behaviour.admin.hours_per_indicator_report"]
dist = "gamma"
mean = 0.5
sd = 0.25
source = "assumption: Casalino et al. 2016 (785 h per physician-year) is the upper anchor"

[uncertainty.params."behaviour.admin.hours_per_claim"]
dist = "triangular"
min = 0.02
mode = 0.05
max = 0.1
assumption = true

[uncertainty.params."behaviour.motivation.kappa"]
dist = "uniform"
min = 0
max = 0.3
source = "assumption: MODEL.md §4.4, no study fixes κ"

[uncertainty.params."behaviour.upcoding.step"]
dist = "lognormal"
mean = 0.02
sd = 0.01

[uncertainty.params."behaviour.choice.theta"]
dist = "normal"
mean = 3
sd = 1
min = 0

[[uncertainty.correlations]]
params = ["behaviour.admin.hours_per_indicator_report", "behaviour.admin.hours_per_claim"]
rank = [[1, 0.5], [0.5, 1]]

[[uncertainty.dirichlet]]
params = ["population.need_groups[0].share", "population.need_groups[1].share",
          "population.need_groups[2].share", "population.need_groups[3].share"]
alpha = [55, 28, 12, 5]
`

// The documented example validates on the stockholm scenario, and every variant takes
// its draws.
func TestExampleOnStockholm(t *testing.T) {
	text, err := Text("stockholm")
	if err != nil {
		t.Fatal(err)
	}
	f := parseUncertain(t, withoutUncertainty(string(text))+exampleSection)
	u := f.Base.Uncertainty
	if n := len(u.Keys()); n != 11 {
		t.Fatalf("%d keys: %v", n, u.Keys())
	}
	for rep := range 3 {
		draws := u.Sample(f.Base.Seed, rep)
		for _, v := range f.Variants {
			sc, err := f.ApplyDraws(v.Name, u.Keys(), draws)
			if err != nil {
				t.Fatal(err)
			}
			sc.Uncertainty, sc.Variants = nil, nil
			if ps := validate(sc); len(ps) > 0 {
				t.Fatalf("%s, replication %d: %+v", v.Name, rep, ps)
			}
		}
	}
}

// withoutUncertainty removes the [uncertainty] tables of a scenario's text, so that a test
// can give its own.
func withoutUncertainty(text string) string {
	var out []string
	skip := false
	for _, line := range strings.SplitAfter(text, "\n") {
		if h := strings.TrimSpace(line); strings.HasPrefix(h, "[") {
			skip = strings.HasPrefix(h, "[uncertainty") || strings.HasPrefix(h, "[[uncertainty")
		}
		if !skip {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}
