package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// validText is a small valid scenario: two need groups, one cohort, one rule, one regime,
// a baseline and one variant that overrides a key.
const validText = `# A small scenario for the tests.
name = "test"
title = "A small test scenario"
horizon_years = 2
replications = 4
baseline = "today"

[population]
residents = 10000
health_unit_value_sek = { value = 500000, source = "assumption" }

[[population.need_groups]]
name = "low"
share = 0.6
demand_per_year = 2
optimal_visits_per_year = 2.5
benefit_per_visit = 0.01
cost_weight = 0.5

[[population.need_groups]]
name = "high"
share = 0.4
demand_per_year = 5
optimal_visits_per_year = 6
benefit_per_visit = 0.02
cost_weight = 1.75

[cohorts.lov_gp]
form = "LOV"
rule = "lov"
regime = "light"
count = 10
fte = 4
list_size = 8000
marginal_cost = 150
altruism = { dist = "beta", a = 2, b = 3, source = "assumption" }
gaming_propensity = 0.2

[rules.lov]
description = "capitation, a visit fee and one indicator"
capitation = { per_person_year = 2500, risk_adjusted = true }
visit_fee.fee = 110
ceiling = { tak1 = 2664000, reduced_share = 0.5, tak2 = 3300000 }

[[rules.lov.indicators]]
name = "followup"
weight = 0.02
lower = 0.5
upper = 0.8

[regimes.light]
audit_rate = 0.1

[behaviour.volume]
duty_floor = 0.8

[variants.today]
description = "the rules as they are"

[variants.more_fee]
description = "a higher visit fee"
[variants.more_fee.set.rules.lov.visit_fee]
fee = 300
`

func TestValidScenario(t *testing.T) {
	f, err := Parse("good.toml", []byte(validText))
	if err != nil {
		t.Fatalf("valid scenario rejected:\n%v", err)
	}
	if len(f.Variants) != 2 || f.Variants[0].Name != "today" || f.Variants[1].Name != "more_fee" {
		t.Fatalf("variants: got %d, want today then more_fee", len(f.Variants))
	}
	if fee := f.Variant("more_fee").Scenario.Rules["lov"].VisitFee.Fee.Value; fee != 300 {
		t.Errorf("more_fee's visit fee = %g, want 300", fee)
	}
	if fee := f.Variant("today").Scenario.Rules["lov"].VisitFee.Fee.Value; fee != 110 {
		t.Errorf("today's visit fee = %g, want 110", fee)
	}
}

// lineOf returns the line of the first occurrence of s in text, or 0.
func lineOf(text, s string) int {
	i := strings.Index(text, s)
	if i < 0 {
		return 0
	}
	return strings.Count(text[:i], "\n") + 1
}

// replace replaces old, which must occur in validText, by new.
func replace(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("test text has no " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

func chain(edits ...func(string) string) func(string) string {
	return func(s string) string {
		for _, e := range edits {
			s = e(s)
		}
		return s
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(string) string
		path  string
		at    string // the first occurrence of this text in the edited file is the expected line
		col   int    // expected column, when the decoder gives one
		frags []string
	}{

		{"unknown top-level key", replace("title =", "colour = \"blue\"\ntitle ="),
			"colour", "colour", 0, []string{"unknown key"}},
		{"unknown key in a cohort", replace("fte = 4", "fte = 4\nspeed = 3"),
			"cohorts.lov_gp.speed", "speed", 0, []string{"unknown key"}},
		{"unknown key in a need group", replace("cost_weight = 1.75", "cost_weight = 1.75\ncolour = 3"),
			"population.need_groups.colour", "colour", 0, []string{"unknown key"}},
		{"string for an integer", replace("count = 10", `count = "ten"`),
			"cohorts.lov_gp.count", "count =", 0, []string{"is text, the wrong type", "allowed: a whole number"}},
		{"string for a number", replace("fte = 4", `fte = "four"`),
			"cohorts.lov_gp.fte", "fte =", 0, []string{"type string", "want a number"}},
		{"population growth out of range", replace("residents = 10000", "residents = 10000\ngrowth_per_year = 0.5"),
			"population.growth_per_year", "growth_per_year", 0, []string{"0.5 is out of range", "[-0.1, 0.2]"}},
		{"negative follow-up hours of a regime", replace("audit_rate = 0.1", "audit_rate = 0.1\nregion_hours_per_contract_year = -3"),
			"regimes.light.region_hours_per_contract_year", "region_hours_per_contract_year", 0, []string{"-3 is out of range", "hours >= 0"}},
		{"probability out of range", replace("gaming_propensity = 0.2", "gaming_propensity = 1.5"),
			"cohorts.lov_gp.gaming_propensity", "gaming_propensity", 0, []string{"1.5", "[0, 1]"}},
		{"negative count", replace("count = 10", "count = -3"),
			"cohorts.lov_gp.count", "count =", 0, []string{"-3", "an integer in [0, 100000]"}},
		{"a count beyond any region", replace("count = 10", "count = 5000000"),
			"cohorts.lov_gp.count", "count =", 0, []string{"5000000 is out of range", "an integer in [0, 100000]"}},
		{"negative cost", replace("marginal_cost = 150", "marginal_cost = -150"),
			"cohorts.lov_gp.marginal_cost", "marginal_cost", 0, []string{"-150", ">= 0"}},
		{"no providers", replace("count = 10", "count = 0"),
			"cohorts", "[cohorts.lov_gp]", 0, []string{"no providers", "at least 1"}},
		{"quoted cohort name", chain(replace("[cohorts.lov_gp]", `[cohorts."GP Söder"]`), replace("count = 10", "count = -1")),
			`cohorts."GP Söder".count`, "count =", 0, []string{"-1 is out of range"}},
		{"shares not summing to 1", replace("share = 0.6", "share = 0.5"),
			"population.need_groups", "[[population.need_groups]]", 0, []string{"sum to 0.9", "0.5 + 0.4", "sum to 1"}},
		{"tak2 below tak1", replace("tak2 = 3300000", "tak2 = 2000000"),
			"rules.lov.ceiling.tak2", "ceiling =", 0, []string{"tak 2 (2e+06) is below tak 1 (2.664e+06)"}},
		{"contract form in the wrong case", replace(`form = "LOV"`, `form = "lov"`),
			"cohorts.lov_gp.form", "form =", 0, []string{`"lov"`, `write "LOV"`, "direktavtal, LOU, LOV, LOL, LOF"}},
		{"unknown contract form", replace(`form = "LOV"`, `form = "vårdval"`),
			"cohorts.lov_gp.form", "form =", 0, []string{`"vårdval" is not a contract form`, "direktavtal, LOU, LOV, LOL, LOF"}},
		{"unknown distribution", replace(`dist = "beta"`, `dist = "weibull"`),
			"cohorts.lov_gp.altruism", "altruism", 0, []string{`unknown distribution "weibull"`, "lognormal"}},
		{"normal without a lower bound", replace(`dist = "beta", a = 2, b = 3`, `dist = "normal", mean = 0.4, sd = 0.2`),
			"cohorts.lov_gp.altruism", "altruism", 0, []string{"no lower bound", "add min = 0"}},
		{"distribution outside a provider attribute", replace("residents = 10000", `residents = { dist = "uniform", min = 1, max = 2 }`),
			"population.residents", "residents", 0, []string{"allowed only for provider attributes"}},
		{"undefined rule", replace(`rule = "lov"`, `rule = "lol"`),
			"cohorts.lov_gp.rule", "rule =", 0, []string{`rule "lol" is not defined`, "lov"}},
		{"undefined regime", replace(`regime = "light"`, `regime = "heavy"`),
			"cohorts.lov_gp.regime", "regime =", 0, []string{`regime "heavy" is not defined`, "light"}},
		{"undefined baseline", replace(`baseline = "today"`, `baseline = "tomorrow"`),
			"baseline", "baseline =", 0, []string{`"tomorrow" is not defined`, "more_fee, today"}},
		{"budget-neutral baseline", replace(`description = "the rules as they are"`, "budget_neutral = true"),
			"variants.today.budget_neutral", "budget_neutral", 0, []string{"baseline cannot be budget neutral"}},
		{"nan", replace("fte = 4", "fte = nan"),
			"cohorts.lov_gp.fte", "fte =", 0, []string{"nan is not a finite number"}},
		{"inf", replace("list_size = 8000", "list_size = inf"),
			"cohorts.lov_gp.list_size", "list_size", 0, []string{"inf is not a finite number"}},
		{"nan in a plain float", replace("replications = 4", "replications = 4\ndiscount_rate = nan"),
			"discount_rate", "discount_rate", 0, []string{"nan is not a finite number"}},
		{"syntax error", replace("count = 10", "count = = 10"),
			"cohorts.lov_gp.count", "count =", 9, []string{"expected value"}},
		{"indicator band", replace("lower = 0.5", "lower = 0.9"),
			"rules.lov.indicators[0].upper", "upper", 0, []string{"upper 0.8 is not above lower 0.9"}},
		{"mix without its component", replace(`description = "capitation`, "mix = { revenue_per_person_year = 3000, capitation = 0.5, visit = 0.3, case = 0.2 }\ndescription = \"capitation"),
			"rules.lov.mix.case", "mix =", 0, []string{"puts 0.2 of revenue in case", "the rule has no case_payment"}},
		{"case prices per need group", replace("visit_fee.fee = 110", "visit_fee.fee = 110\ncase_payment.prices = [1000]"),
			"rules.lov.case_payment.prices", "case_payment", 0, []string{"has 1 prices; 2 are needed"}},
		{"duplicate need group", replace(`name = "high"`, `name = "low"`),
			"population.need_groups[1].name", `name = "low"` + "\nshare = 0.4", 0, []string{`"low" is also the name of population.need_groups[0]`}},
		{"error in a variant override", replace("fee = 300", "fee = -300"),
			"variants.more_fee.set.rules.lov.visit_fee.fee", "fee = -300", 0, []string{"-300 is out of range"}},
		{"error in a dotted variant override", replace("[variants.more_fee.set.rules.lov.visit_fee]\nfee = 300", "set.cohorts.lov_gp.gaming_propensity = 2"),
			"variants.more_fee.set.cohorts.lov_gp.gaming_propensity", "set.cohorts", 0, []string{"2 is out of range"}},
		{"unknown key in a variant override", replace("fee = 300", "feee = 300"),
			"variants.more_fee.set.rules.lov.visit_fee.feee", "feee", 0, []string{"unknown key"}},
		{"wrong type in a variant override", replace("fee = 300", "categories = \"many\""),
			"variants.more_fee.set.rules.lov.visit_fee.categories", "categories", 0, []string{"is text, the wrong type", "allowed: a whole number"}},
		{"run too large for memory", manyCohorts(45, 100000),
			"cohorts.c1.count", "count = 100000", 0, []string{"too large for memory", "GiB", "8 GiB"}},
		{"too many replications for memory", chain(replace("replications = 4", "replications = 100000"), replace("[variants.today]", "[variants.a]\n[variants.b]\n[variants.c]\n[variants.d]\n[variants.e]\n[variants.f]\n[variants.g]\n[variants.h]\n[variants.i]\n[variants.j]\n[variants.k]\n[variants.l]\n[variants.m]\n[variants.n]\n[variants.o]\n[variants.p]\n[variants.q]\n[variants.r]\n[variants.s]\n[variants.t]\n[variants.u]\n[variants.v]\n[variants.w]\n[variants.x]\n[variants.y]\n[variants.z]\n[variants.today]")),
			"replications", "replications", 0, []string{"too large for memory", "28 variants"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.edit(validText)
			_, err := Parse("bad.toml", []byte(text))
			if err == nil {
				t.Fatalf("accepted:\n%s", text)
			}
			var ies InputErrors
			if !errors.As(err, &ies) || len(ies) == 0 {
				t.Fatalf("error %T is not InputErrors: %v", err, err)
			}
			e := ies[0]
			if e.Path != tc.path {
				t.Errorf("path = %q, want %q\n%v", e.Path, tc.path, err)
			}
			if want := lineOf(text, tc.at); e.Line != want || want == 0 {
				t.Errorf("line = %d, want %d (the line of %q)\n%v", e.Line, want, tc.at, err)
			}
			if tc.col != 0 && e.Col != tc.col {
				t.Errorf("column = %d, want %d\n%v", e.Col, tc.col, err)
			}
			if e.File != "bad.toml" {
				t.Errorf("file = %q", e.File)
			}
			msg := e.Error()
			for _, frag := range tc.frags {
				if !strings.Contains(msg, frag) {
					t.Errorf("message lacks %q:\n%s", frag, msg)
				}
			}
			if !IsInputError(err) {
				t.Errorf("IsInputError(%v) = false", err)
			}
		})
	}
}

// Every Param of the schema has explicit bounds: none is left to the catch-all check,
// which knows only that a value must be finite.
func TestEveryParamHasBounds(t *testing.T) {
	f, err := Parse("good.toml", []byte(validText))
	if err != nil {
		t.Fatal(err)
	}
	sc := f.Base
	r := sc.Rules["lov"]
	r.Mix = &Mix{}
	r.CasePayment = &CasePayment{Prices: []Param{P(1), P(2)}}
	r.Sanctions = &Sanctions{}
	r.Episode = &EpisodePayment{}
	sc.Episodes = &Episodes{RiskClasses: []RiskClass{{Name: "low"}}}
	sc.Population.VisitKinds = []VisitKind{{Name: "k", ShareByGroup: []Param{P(1), P(1)}}}
	c := &checker{seen: map[string]bool{}}
	c.scenario(sc)
	n := 0
	walkParams(reflect.ValueOf(sc).Elem(), "", false, func(path string, _ Param, _ bool) {
		n++
		if !c.seen[path] {
			t.Errorf("%s has no explicit bounds", path)
		}
	})
	if n < 100 {
		t.Errorf("walked only %d parameters", n)
	}
}

// A file with several problems reports them all, in file order, the same way every time.
func TestManyProblems(t *testing.T) {
	text := chain(
		replace("horizon_years = 2", "horizon_years = 99"),
		replace("share = 0.6", "share = 1.6"),
		replace(`regime = "light"`, `regime = "heavy"`),
		replace("fte = 4", "fte = 0"),
		replace("upper = 0.8", "upper = 0.3"),
		replace("audit_rate = 0.1", `audit_rate = { dist = "uniform", min = 0, max = 1 }`),
		replace("duty_floor = 0.8", "duty_floor = -1"),
	)(validText)
	want := []string{
		"horizon_years", "population.need_groups[0].share", "cohorts.lov_gp.regime", "cohorts.lov_gp.fte",
		"rules.lov.indicators[0].upper", "regimes.light.audit_rate", "behaviour.volume.duty_floor",
	}
	_, err := Parse("bad.toml", []byte(text))
	var ies InputErrors
	if !errors.As(err, &ies) {
		t.Fatalf("got %v", err)
	}
	var got []string
	for i, e := range ies {
		got = append(got, e.Path)
		if i > 0 && e.Line < ies[i-1].Line {
			t.Errorf("not in file order:\n%v", err)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("paths:\n got %v\nwant %v\n%v", got, want, err)
	}
	for range 5 {
		_, again := Parse("bad.toml", []byte(text))
		if again.Error() != err.Error() {
			t.Fatalf("not deterministic:\n%v\n---\n%v", err, again)
		}
	}
}

// Every scenario shipped with ersim is valid.
func TestEmbeddedScenariosValidate(t *testing.T) {
	for _, info := range List() {
		if _, err := LoadEmbedded(info.Name); err != nil {
			t.Errorf("%s:\n%v", info.Name, err)
		}
	}
}

// manyCohorts adds n copies of cohort lov_gp, with count providers each, after it:
// c1, c2, …
func manyCohorts(n, count int) func(string) string {
	return func(s string) string {
		i := strings.Index(s, "[cohorts.lov_gp]")
		j := i + 1 + strings.Index(s[i+1:], "\n[")
		block := strings.Replace(s[i:j], "count = 10", fmt.Sprintf("count = %d", count), 1)
		var b strings.Builder
		b.WriteString(s[:j])
		for k := 1; k <= n; k++ {
			b.WriteString("\n" + strings.Replace(block, "[cohorts.lov_gp]", fmt.Sprintf("[cohorts.c%d]", k), 1))
		}
		b.WriteString(s[j:])
		return b.String()
	}
}

// Claim review's keys are checked with the file, line, key and what is allowed.
func TestClaimReviewKeys(t *testing.T) {
	for _, c := range []struct{ set, path, allowed string }{
		{"claim_review_share = 1.5", "regimes.light.claim_review_share", "[0, 1]"},
		{"review_penalty = 0.5", "regimes.light.review_penalty", ">= 1"},
	} {
		_, err := Parse("r.toml", []byte(strings.Replace(validText, "[regimes.light]", "[regimes.light]\n"+c.set, 1)))
		if err == nil || !strings.Contains(err.Error(), "r.toml:") || !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.allowed) {
			t.Errorf("%s: %v, want an error at %s naming %s", c.set, err, c.path, c.allowed)
		}
	}
	if _, err := Parse("r.toml", []byte(strings.Replace(validText, "[regimes.light]", "[regimes.light]\nclaim_review_share = 0.05\nreview_penalty = 2", 1))); err != nil {
		t.Errorf("a valid claim review: %v", err)
	}
}

// A fee schedule's multipliers are checked, and it needs fees to multiply.
func TestFeeScheduleKeys(t *testing.T) {
	text := strings.Replace(validText, "visit_fee.fee = 110", "visit_fee.fee = 110\nfee_schedule = [1, -0.5]", 1)
	if _, err := Parse("s.toml", []byte(text)); err == nil || !strings.Contains(err.Error(), "rules.lov.fee_schedule[1]") || !strings.Contains(err.Error(), "[0, 100]") {
		t.Errorf("a negative multiplier: %v", err)
	}
	text = strings.Replace(validText, "visit_fee.fee = 110", "visit_fee.fee = 110\nfee_schedule = [1, 0.8]", 1)
	if _, err := Parse("s.toml", []byte(text)); err != nil {
		t.Errorf("a valid schedule: %v", err)
	}
}

// Every key of visit kinds, patient fees, out-of-region cohorts and per-person ceilings
// (issue 13) is checked: the message names the file, the key and what is allowed.
func TestVisitKindKeys(t *testing.T) {
	kinds := `[[population.visit_kinds]]
name = "physical"
[[population.visit_kinds]]
name = "digital"
share = 0.3
initiated = "patient"
patient_fee = 100
substitutes = "physical"
substitution = 0.5

[cohorts.lov_gp]`
	base := strings.Replace(validText, "[cohorts.lov_gp]", kinds, 1)
	base = strings.Replace(base, "visit_fee.fee = 110", "visit_fee.fee = 110\nvisit_fee.by_kind = { digital = 300 }", 1)
	if _, err := Parse("k.toml", []byte(base)); err != nil {
		t.Fatalf("valid visit kinds: %v", err)
	}
	for _, c := range []struct{ old, new, path, allowed string }{
		{"share = 0.3", "share = -1", "population.visit_kinds[1].share", ">= 0"},
		{"share = 0.3", "share_by_group = [0.3]", "population.visit_kinds[1].share_by_group", "2 shares, one per need group"},
		{`initiated = "patient"`, `initiated = "doctor"`, "population.visit_kinds[1].initiated", "provider, patient"},
		{"patient_fee = 100", "patient_fee = -5", "population.visit_kinds[1].patient_fee", "[0, 5000]"},
		{`substitutes = "physical"`, `substitutes = "phone"`, "population.visit_kinds[1].substitutes", "population.visit_kinds"},
		{`substitutes = "physical"`, `substitutes = "digital"`, "population.visit_kinds[1].substitutes", "another visit kind"},
		{`substitutes = "physical"`, ``, "population.visit_kinds[1].substitution", "0 unless substitutes"},
		{"substitution = 0.5", "substitution = 2", "population.visit_kinds[1].substitution", "[0, 1]"},
		{`name = "digital"`, `name = "low"`, "population.visit_kinds[1].name", "not a need group"},
		{`name = "digital"`, `name = "physical"`, "population.visit_kinds[1].name", "unique"},
		{"digital = 300", "phone = 300", "rules.lov.visit_fee.by_kind.phone", "population.visit_kinds"},
		{"digital = 300", "digital = -1", "rules.lov.visit_fee.by_kind.digital", ">= 0"},
		{"gaming_propensity = 0.2", "gaming_propensity = 0.2\nkinds = [\"video\"]", "cohorts.lov_gp.kinds[0]", "population.visit_kinds"},
		{"gaming_propensity = 0.2", "gaming_propensity = 0.2\nkinds = [\"digital\", \"digital\"]", "cohorts.lov_gp.kinds[1]", "each visit kind once"},
		{"gaming_propensity = 0.2", "gaming_propensity = 0.2\nneed_tilt = 9", "cohorts.lov_gp.need_tilt", "[-5, 5]"},
		{`form = "LOV"`, "form = \"LOL\"\nout_of_region = true", "cohorts.lov_gp.out_of_region", "only for a LOV cohort"},
		{"tak1 = 2664000, reduced_share = 0.5, tak2 = 3300000 }", "tak1 = 0, reduced_share = 0.5, tak2 = 3300000, per_listed_person = true }", "rules.lov.ceiling.tak1", "SEK per listed person and year > 0"},
	} {
		text := strings.Replace(base, c.old, c.new, 1)
		if text == base {
			t.Fatalf("%q is not in the test scenario", c.old)
		}
		_, err := Parse("k.toml", []byte(text))
		if err == nil || !IsInputError(err) || !strings.Contains(err.Error(), "k.toml:") ||
			!strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.allowed) {
			t.Errorf("%s → %s: %v\nwant an input error at %s naming %q", c.old, c.new, err, c.path, c.allowed)
		}
	}
	behaviour := strings.Replace(base, "[behaviour.volume]", "[behaviour.volume]\npatient_fee_response = -1", 1)
	if _, err := Parse("k.toml", []byte(behaviour)); err == nil || !strings.Contains(err.Error(), "behaviour.volume.patient_fee_response") {
		t.Errorf("a negative patient fee response: %v", err)
	}
}

// Every key of [episodes], [[episodes.risk_classes]], episode cohorts and
// [rules.NAME.episode] (issue 14) is checked, naming the key and what is allowed.
func TestEpisodeKeys(t *testing.T) {
	base := strings.Replace(validText, "[cohorts.lov_gp]", `[episodes]
incidence_per_1000 = 3
reoperation_share = 0.3
reoperation_cost = 120000
health_gain = 1
complication_loss = 0.2
effort_cost = 15000
[[episodes.risk_classes]]
name = "asa12"
share = 0.8
complication_rate = 0.07
length_of_stay = 4
[[episodes.risk_classes]]
name = "asa3"
share = 0.2
complication_rate = 0.14
length_of_stay = 6

[cohorts.ortho]
form = "LOV"
episodes = true
rule = "bundle"
regime = "light"
count = 2
operations_per_year = 300
fte = 2
altruism = 0.3

[rules.bundle]
episode = { bundle_price = 65000, warranty = true, covers = ["asa12"] }

[cohorts.lov_gp]`, 1)
	if _, err := Parse("e.toml", []byte(base)); err != nil {
		t.Fatalf("valid episodes: %v", err)
	}
	for _, c := range []struct{ old, new, path, allowed string }{
		{"incidence_per_1000 = 3", "incidence_per_1000 = 0", "episodes.incidence_per_1000", "> 0"},
		{"reoperation_share = 0.3", "reoperation_share = 1.3", "episodes.reoperation_share", "[0, 1]"},
		{"effort_cost = 15000", "effort_cost = -1", "episodes.effort_cost", "> 0"},
		{"share = 0.2\ncomplication_rate", "share = 0.3\ncomplication_rate", "episodes.risk_classes", "sum to 1"},
		{"complication_rate = 0.14", "complication_rate = 1.4", "episodes.risk_classes[1].complication_rate", "[0, 1]"},
		{`name = "asa3"`, `name = "asa12"`, "episodes.risk_classes[1].name", "unique"},
		{"operations_per_year = 300", "operations_per_year = 0", "cohorts.ortho.operations_per_year", "> 0"},
		{"episodes = true\nrule", "episodes = true\nkinds = [\"x\"]\nrule", "cohorts.ortho.kinds", "no visit kinds"},
		{`covers = ["asa12"]`, `covers = ["asa2"]`, "rules.bundle.episode.covers[0]", "episodes.risk_classes"},
		{"bundle_price = 65000,", "bundle_price = 65000, per_admission = 70000,", "rules.bundle.episode.per_admission", "not both"},
		{"bundle_price = 65000,", "", "rules.bundle.episode.bundle_price", "bundle_price or per_admission"},
		{"warranty = true,", "warranty = true, reoperation_price = 5,", "rules.bundle.episode.reoperation_price", "under a warranty"},
		{"warranty = true,", "warranty = true, performance_share = 0.9,", "rules.bundle.episode.performance_share", "[0, 0.5]"},
		{"count = 10\nfte", "count = 10\noperations_per_year = 5\nfte", "cohorts.lov_gp.operations_per_year", "episodes = true"},
	} {
		text := strings.Replace(base, c.old, c.new, 1)
		if text == base {
			t.Fatalf("%q is not in the test scenario", c.old)
		}
		_, err := Parse("e.toml", []byte(text))
		if err == nil || !IsInputError(err) || !strings.Contains(err.Error(), "e.toml:") ||
			!strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.allowed) {
			t.Errorf("%q → %q: %v\nwant an input error at %s naming %q", c.old, c.new, err, c.path, c.allowed)
		}
	}
	noEpisodes := strings.Replace(base, "[episodes]\nincidence_per_1000", "[x]\nincidence_per_1000", 1)
	if _, err := Parse("e.toml", []byte(noEpisodes)); err == nil || !strings.Contains(err.Error(), "e.toml") {
		t.Errorf("episodes without [episodes]: %v", err)
	}
}

// Warnings, not errors (issue 15): a baseline no [variants] table names, and a variant
// that changes payment without saying budget_neutral.
func TestWarnings(t *testing.T) {
	f, err := Parse("w.toml", []byte(strings.Replace(validText, `baseline = "today"`, ``, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) == 0 || !strings.Contains(f.Warnings[0], `baseline "baseline" is not a [variants.baseline] table`) {
		t.Errorf("implicit baseline: warnings %q", f.Warnings)
	}
	f, err = Parse("w.toml", []byte(validText))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range f.Warnings {
		found = found || strings.Contains(w, "does not say budget_neutral")
	}
	if !found {
		t.Errorf("a variant changing a rule without budget_neutral: warnings %q", f.Warnings)
	}
}

// Labels in another language name things the scenario has, in a language ersim writes.
func TestLabelKeys(t *testing.T) {
	good := validText + "\n[labels.sv]\ntitle = \"Ett litet test\"\n[labels.sv.names]\ntoday = \"i dag\"\nlov_gp = \"vårdcentraler\"\n[labels.sv.descriptions]\nmore_fee = \"högre avgift\"\n"
	if _, err := Parse("l.toml", []byte(good)); err != nil {
		t.Fatalf("valid labels: %v", err)
	}
	for _, c := range []struct{ old, new, path string }{
		{"today = \"i dag\"", "todya = \"i dag\"", "labels.sv.names.todya"},
		{"more_fee = \"högre avgift\"", "lov_gp = \"x\"", "labels.sv.descriptions.lov_gp"},
		{"[labels.sv]", "[labels.fi]", "labels.fi"},
	} {
		_, err := Parse("l.toml", []byte(strings.Replace(good, c.old, c.new, 1)))
		if err == nil || !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), "l.toml:") {
			t.Errorf("%s → %s: %v", c.old, c.new, err)
		}
	}
}
