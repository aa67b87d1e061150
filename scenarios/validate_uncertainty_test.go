package scenarios

import (
	"errors"
	"strings"
	"testing"
)

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
		{"a NaN bound of a uniform", param("behaviour.admin.hours_per_indicator_report", "dist = \"uniform\"\nmin = nan\nmax = 0.3"),
			`uncertainty.params."behaviour.admin.hours_per_indicator_report".min`, "min = nan", []string{"min is NaN or infinite"}},
		{"an infinite sd", param("behaviour.admin.hours_per_audit", "dist = \"normal\"\nmean = 0.1\nsd = inf\nmin = 0"),
			`uncertainty.params."behaviour.admin.hours_per_audit".sd`, "sd = inf", []string{"sd is NaN or infinite"}},
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
