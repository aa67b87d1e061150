package scenarios

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

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
		// A table header, not a row of a multi-line array such as a rank matrix.
		if h := strings.TrimSpace(line); strings.HasPrefix(h, "[") && len(h) > 1 && (h[1] == '[' || h[1] >= 'a' && h[1] <= 'z') {
			skip = strings.HasPrefix(h, "[uncertainty") || strings.HasPrefix(h, "[[uncertainty")
		}
		if !skip {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}
