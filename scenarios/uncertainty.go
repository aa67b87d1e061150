package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Parameter uncertainty (probabilistic sensitivity analysis). The [uncertainty] section
// of a scenario gives a distribution for any numeric parameter, named by its key path;
// `ersim run --psa` draws every uncertain parameter once per replication, applies the
// draws to each variant's scenario and records them. These draws are kept apart from the
// per-provider heterogeneity (a distribution Param, drawn once per provider) and from the
// per-period noise: they come from their own random streams.
//
//	[uncertainty.params."behaviour.quality.substitution"]
//	dist = "beta"
//	a = 5
//	b = 5
//	low = 0.3        # optional one-way sensitivity range; default 5th and 95th percentiles
//	high = 0.7
//	source = "..."   # or assumption = true
//
//	[uncertainty.params."cohorts.lov_pc.altruism.a"]   # a parameter of a per-provider distribution
//	dist = "uniform"
//	min = 0.6
//	max = 1.0
//
//	[[uncertainty.correlations]]                      # Spearman rank correlations
//	params = ["behaviour.admin.hours_per_claim", "behaviour.admin.hours_per_indicator_report"]
//	rank = [[1, 0.5], [0.5, 1]]
//
//	[[uncertainty.dirichlet]]                         # shares drawn together; they sum to 1
//	params = ["population.need_groups[0].share", "population.need_groups[1].share"]
//	alpha = [60, 40]
//
// Correlations are imposed by a Gaussian copula: each replication draws one standard
// normal per key from the key's own stream, multiplies the normals of a correlation
// group by a square root of the normal correlation matrix r = 2·sin(π·ρ_s/6), which is
// exactly the Spearman correlation ρ_s of the copula, and maps each normal through its
// distribution's quantile function. Ranks do not change under those monotone maps, so
// every pair of drawn values has the rank correlation given, whatever the marginals.
// Dirichlet shares are independent gammas normalised to sum 1.

// Uncertainty is the [uncertainty] section of a scenario.
type Uncertainty struct {
	// Params maps a key path (cohorts.lov_pc.altruism.a, behaviour.admin.hours_per_claim,
	// rules.lov.indicators[0].weight) to its distribution.
	Params map[string]*Uncertain `toml:"params"`
	// Correlations impose rank correlations between keys of Params.
	Correlations []Correlation `toml:"correlations"`
	// Dirichlet draws shares of one group (need groups, areas, a rule's revenue mix)
	// together, so that they still sum to 1.
	Dirichlet []Dirichlet `toml:"dirichlet"`

	once sync.Once
	comp *compiled
	err  error
}

// Uncertain is the distribution of one uncertain parameter. Its keys are those of a
// Param table, with the same meaning, plus the one-way sensitivity range.
type Uncertain struct {
	Dist  string   `toml:"dist,omitempty"` // fixed (or absent, with value), beta, gamma, lognormal, normal, triangular, uniform
	Value *float64 `toml:"value,omitempty"`
	Mean  *float64 `toml:"mean,omitempty"`
	SD    *float64 `toml:"sd,omitempty"`
	Min   *float64 `toml:"min,omitempty"`
	Max   *float64 `toml:"max,omitempty"`
	Mode  *float64 `toml:"mode,omitempty"`
	A     *float64 `toml:"a,omitempty"`
	B     *float64 `toml:"b,omitempty"`
	Shape *float64 `toml:"shape,omitempty"`
	Scale *float64 `toml:"scale,omitempty"`
	// Low and High are the values one-way sensitivity analysis uses; default the 5th and
	// 95th percentiles.
	Low        *float64 `toml:"low,omitempty"`
	High       *float64 `toml:"high,omitempty"`
	Source     string   `toml:"source,omitempty"`
	Assumption bool     `toml:"assumption,omitempty"`
}

// Correlation is one [[uncertainty.correlations]] table: a Spearman rank-correlation
// matrix over keys of [uncertainty.params], in the order of Params.
type Correlation struct {
	Params     []string    `toml:"params"`
	Rank       [][]float64 `toml:"rank"`
	Source     string      `toml:"source,omitempty"`
	Assumption bool        `toml:"assumption,omitempty"`
}

// Dirichlet is one [[uncertainty.dirichlet]] table: shares of one group drawn together
// from a Dirichlet distribution with parameters Alpha; share i has mean
// Alpha[i]/sum(Alpha).
type Dirichlet struct {
	Params     []string  `toml:"params"`
	Alpha      []float64 `toml:"alpha"`
	Source     string    `toml:"source,omitempty"`
	Assumption bool      `toml:"assumption,omitempty"`
}

// distKeys are the keys each distribution takes, required first, then optional.
var distKeys = map[string]struct{ required, optional []string }{
	"":           {[]string{"value"}, nil},
	"fixed":      {[]string{"value"}, nil},
	"uniform":    {[]string{"min", "max"}, nil},
	"normal":     {[]string{"mean", "sd"}, []string{"min", "max"}},
	"lognormal":  {[]string{"mean", "sd"}, nil},
	"beta":       {[]string{"a", "b"}, nil},
	"gamma":      {nil, []string{"shape", "scale", "mean", "sd"}}, // shape and scale, or mean and sd
	"triangular": {[]string{"min", "mode", "max"}, nil},
}

// fields returns the numeric keys given, by name.
func (s *Uncertain) fields() map[string]float64 {
	out := map[string]float64{}
	for k, v := range map[string]*float64{"value": s.Value, "mean": s.Mean, "sd": s.SD, "min": s.Min,
		"max": s.Max, "mode": s.Mode, "a": s.A, "b": s.B, "shape": s.Shape, "scale": s.Scale} {
		if v != nil {
			out[k] = *v
		}
	}
	return out
}

// Param returns the distribution as a Param, read as a Param table is (gamma's mean and
// sd converted to shape and scale); Param.Problem reports what could not be read.
func (s *Uncertain) Param() Param {
	t := map[string]any{}
	for k, v := range s.fields() {
		t[k] = v
	}
	if s.Dist != "" {
		t["dist"] = s.Dist
	}
	if s.Source != "" {
		t["source"] = s.Source
	}
	if s.Assumption {
		t["assumption"] = true
	}
	var p Param
	_ = p.UnmarshalTOML(t)
	return p
}

// check returns what is wrong with the distribution itself, as (key, message, allowed),
// key being "" for the table or the name of the key at fault.
func (s *Uncertain) check() (key, msg, allowed string) {
	p := s.Param()
	if m := p.Problem(); m != "" {
		msg, allowed, _ := strings.Cut(m, "; allowed: ")
		if strings.HasPrefix(msg, "unknown distribution") {
			return "dist", msg, allowed
		}
		return "", msg, allowed
	}
	dk := distKeys[s.Dist]
	given := s.fields()
	takes := append(slices.Clone(dk.required), dk.optional...)
	name := s.Dist
	if name == "" {
		name = "a fixed value"
	}
	for _, k := range sortedKeys(given) {
		if !slices.Contains(takes, k) {
			return k, fmt.Sprintf("%s does not take %q", name, k), "the keys of " + name + ": " + strings.Join(takes, ", ")
		}
	}
	for _, k := range dk.required {
		if _, ok := given[k]; !ok {
			return "", fmt.Sprintf("%s needs %q", name, k), "the keys of " + name + ": " + strings.Join(takes, ", ")
		}
	}
	if s.Dist == "gamma" {
		_, sh := given["shape"]
		_, sc := given["scale"]
		_, mn := given["mean"]
		_, sd := given["sd"]
		if !(sh && sc && !mn && !sd || mn && sd && !sh && !sc) {
			return "", "gamma needs shape and scale, or mean and sd", "shape and scale, or mean and sd"
		}
	}
	if m := p.CheckDist(); m != "" {
		m, allowed, _ := strings.Cut(m, "; allowed: ")
		return p.NonFinite(), fmt.Sprintf("%s: %s", p, m), allowed
	}
	// The quantile functions are accurate over this range of shapes.
	for _, x := range []struct {
		name string
		v    float64
		used bool
	}{{"a", p.A, p.Dist == "beta"}, {"b", p.B, p.Dist == "beta"}, {"shape", p.Shape, p.Dist == "gamma"}} {
		if x.used && !shapeOK(x.v) {
			return "", fmt.Sprintf("%s: %s = %s is outside the range the sampler supports", p, x.name, fmtNum(x.v)), shapeRange
		}
	}
	return "", "", ""
}

// shapeOK reports whether a beta or gamma shape parameter, or a Dirichlet alpha, is in
// shapeRange.
func shapeOK(x float64) bool { return x >= 1e-3 && x <= 1e7 }

const shapeRange = "shape parameters (beta a and b, gamma shape, Dirichlet alpha) in [0.001, 1e7]"
