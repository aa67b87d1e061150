package scenarios

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Distribution names accepted in a Param's `dist` key.
var Distributions = []string{"fixed", "uniform", "normal", "lognormal", "beta", "gamma", "triangular"}

// Param is a numeric scenario value. In TOML it is either a plain number or a table:
//
//	altruism = 0.4
//	altruism = { dist = "beta", a = 2, b = 3, source = "Godager & Wiesen 2013" }
//	fee      = { value = 839, source = "SFS 2018:2067" }
//
// A table may carry `source` (a citation) or `assumption = true`; both travel into the
// outputs. Distributions are drawn once per provider and are allowed only where the
// schema says so (provider attributes); elsewhere only `value` is.
type Param struct {
	Value      float64 // the value, or the distribution's mean
	Dist       string  // "" or "fixed" for a plain value
	Mean, SD   float64 // normal, lognormal (of the variable itself), gamma (alternative)
	Min, Max   float64 // uniform, triangular; optional truncation of normal
	Mode       float64 // triangular
	A, B       float64 // beta
	Shape      float64 // gamma
	Scale      float64 // gamma
	Source     string
	Assumption bool

	set     bool
	hasMin  bool
	hasMax  bool
	problem string // why the TOML value could not be read; reported by validation
}

// P returns a plain value, for defaults and tests.
func P(v float64) Param { return Param{Value: v, set: true} }

// PA returns a plain value marked as an assumption.
func PA(v float64) Param { return Param{Value: v, set: true, Assumption: true} }

// IsSet reports whether the scenario (or a default) gave the value.
func (p Param) IsSet() bool { return p.set }

// IsDist reports whether the Param is a distribution rather than a single value.
func (p Param) IsDist() bool { return p.Dist != "" && p.Dist != "fixed" }

// Problem returns the reason the TOML value could not be read, or "".
func (p Param) Problem() string { return p.problem }

// HasBounds reports which truncation bounds a normal distribution carries.
func (p Param) HasBounds() (lo, hi bool) { return p.hasMin, p.hasMax }

// Default sets the value if the scenario left it unset, marking it as an assumption
// unless a source is given.
func (p *Param) Default(v float64, source string) {
	if p.set {
		return
	}
	*p = Param{Value: v, set: true}
	if source == "" || strings.HasPrefix(source, "assumption") {
		p.Assumption = true
		p.Source = source
	} else {
		p.Source = source
	}
}

var paramKeys = map[string]bool{
	"value": true, "dist": true, "mean": true, "sd": true, "min": true, "max": true,
	"mode": true, "a": true, "b": true, "shape": true, "scale": true,
	"source": true, "assumption": true,
}

// UnmarshalTOML implements toml.Unmarshaler. It never fails: a value it cannot read is
// recorded and reported by validation, with the key's line, so that every problem in a
// file is reported at once.
func (p *Param) UnmarshalTOML(data any) error {
	*p = Param{set: true}
	switch v := data.(type) {
	case int64:
		p.Value = float64(v)
		return nil
	case float64:
		p.Value = v
		return nil
	case map[string]any:
		return p.fromTable(v)
	default:
		p.problem = fmt.Sprintf("has type %s; want a number or a table such as { dist = \"normal\", mean = 1, sd = 0.1 }", tomlType(data))
		return nil
	}
}

func (p *Param) fromTable(t map[string]any) error {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	num := func(k string) (float64, bool) {
		v, ok := t[k]
		if !ok {
			return 0, false
		}
		switch x := v.(type) {
		case int64:
			return float64(x), true
		case float64:
			return x, true
		}
		if p.problem == "" {
			p.problem = fmt.Sprintf("key %q has type %s; want a number", k, tomlType(v))
		}
		return 0, false
	}
	for _, k := range keys {
		if !paramKeys[k] {
			p.problem = fmt.Sprintf("unknown key %q in a parameter table; allowed: value, dist, mean, sd, min, max, mode, a, b, shape, scale, source, assumption", k)
			return nil
		}
	}
	if s, ok := t["source"]; ok {
		str, isStr := s.(string)
		if !isStr {
			p.problem = "key \"source\" must be a string (a citation)"
			return nil
		}
		p.Source = str
	}
	if a, ok := t["assumption"]; ok {
		b, isBool := a.(bool)
		if !isBool {
			p.problem = "key \"assumption\" must be true or false"
			return nil
		}
		p.Assumption = b
	}
	if d, ok := t["dist"]; ok {
		str, isStr := d.(string)
		if !isStr {
			p.problem = "key \"dist\" must be a string naming a distribution"
			return nil
		}
		p.Dist = str
	}
	p.Value, _ = num("value")
	p.Mean, _ = num("mean")
	p.SD, _ = num("sd")
	p.Min, p.hasMin = num("min")
	p.Max, p.hasMax = num("max")
	p.Mode, _ = num("mode")
	p.A, _ = num("a")
	p.B, _ = num("b")
	p.Shape, _ = num("shape")
	p.Scale, _ = num("scale")
	if p.problem != "" {
		return nil
	}
	_, hasValue := t["value"]
	switch p.Dist {
	case "", "fixed":
		if !hasValue {
			p.problem = "a parameter table needs `value`, or `dist` naming a distribution"
		}
	case "uniform":
		p.Value = (p.Min + p.Max) / 2
	case "normal", "lognormal":
		p.Value = p.Mean
	case "beta":
		if p.A+p.B > 0 {
			p.Value = p.A / (p.A + p.B)
		}
	case "gamma":
		if p.Shape == 0 && p.Mean > 0 && p.SD > 0 {
			// Mean and sd given: convert to shape and scale.
			p.Shape = p.Mean * p.Mean / (p.SD * p.SD)
			p.Scale = p.SD * p.SD / p.Mean
		}
		p.Value = p.Shape * p.Scale
	case "triangular":
		p.Value = (p.Min + p.Mode + p.Max) / 3
	default:
		p.problem = fmt.Sprintf("unknown distribution %q; allowed: %s", p.Dist, strings.Join(Distributions, ", "))
	}
	return nil
}

// NonFinite returns the name of the first of the distribution's keys that is NaN or
// infinite (those given before those derived from them), or "".
func (p Param) NonFinite() string {
	for _, f := range []struct {
		name string
		x    float64
	}{{"min", p.Min}, {"max", p.Max}, {"mode", p.Mode}, {"mean", p.Mean}, {"sd", p.SD}, {"a", p.A}, {"b", p.B},
		{"shape", p.Shape}, {"scale", p.Scale}, {"value", p.Value}} {
		if math.IsNaN(f.x) || math.IsInf(f.x, 0) {
			return f.name
		}
	}
	return ""
}

// CheckDist returns what is wrong with the distribution's parameters, or "".
func (p Param) CheckDist() string {
	if k := p.NonFinite(); k != "" {
		return k + " is NaN or infinite; allowed: finite numbers"
	}
	switch p.Dist {
	case "uniform":
		if !(p.Min < p.Max) {
			return "uniform needs min < max"
		}
	case "normal":
		if p.SD < 0 {
			return "normal needs sd >= 0"
		}
		if p.hasMin && p.hasMax && !(p.Min < p.Max) {
			return "normal truncation needs min < max"
		}
	case "lognormal":
		if !(p.Mean > 0) || p.SD < 0 {
			return "lognormal needs mean > 0 and sd >= 0 (of the variable itself)"
		}
	case "beta":
		if !(p.A > 0 && p.B > 0) {
			return "beta needs a > 0 and b > 0"
		}
	case "gamma":
		if !(p.Shape > 0 && p.Scale > 0) {
			return "gamma needs shape > 0 and scale > 0 (or mean > 0 and sd > 0)"
		}
	case "triangular":
		if !(p.Min <= p.Mode && p.Mode <= p.Max && p.Min < p.Max) {
			return "triangular needs min <= mode <= max and min < max"
		}
	}
	return ""
}

// Support returns the smallest and largest value a draw can take.
func (p Param) Support() (lo, hi float64) {
	switch p.Dist {
	case "uniform", "triangular":
		return p.Min, p.Max
	case "normal":
		lo, hi = math.Inf(-1), math.Inf(1)
		if p.hasMin {
			lo = p.Min
		}
		if p.hasMax {
			hi = p.Max
		}
		if p.SD == 0 {
			return p.Mean, p.Mean
		}
		return lo, hi
	case "lognormal", "gamma":
		return 0, math.Inf(1)
	case "beta":
		return 0, 1
	}
	return p.Value, p.Value
}

// String renders the Param for tables of assumptions.
func (p Param) String() string {
	switch p.Dist {
	case "uniform":
		return fmt.Sprintf("uniform(%g, %g)", p.Min, p.Max)
	case "normal":
		s := fmt.Sprintf("normal(mean %g, sd %g)", p.Mean, p.SD)
		if p.hasMin || p.hasMax {
			s += fmt.Sprintf(" in [%g, %g]", p.Min, p.Max)
		}
		return s
	case "lognormal":
		return fmt.Sprintf("lognormal(mean %g, sd %g)", p.Mean, p.SD)
	case "beta":
		return fmt.Sprintf("beta(%g, %g)", p.A, p.B)
	case "gamma":
		return fmt.Sprintf("gamma(shape %g, scale %g)", p.Shape, p.Scale)
	case "triangular":
		return fmt.Sprintf("triangular(%g, %g, %g)", p.Min, p.Mode, p.Max)
	}
	return strconv.FormatFloat(p.Value, 'f', -1, 64)
}

// MarshalTOML writes the Param back as TOML, so that a resolved scenario can be saved
// and read again.
func (p Param) MarshalTOML() ([]byte, error) {
	var parts []string
	add := func(k string, v float64) { parts = append(parts, fmt.Sprintf("%s = %s", k, fmtFloat(v))) }
	if !p.IsDist() && p.Source == "" && !p.Assumption {
		return []byte(fmtFloat(p.Value)), nil
	}
	switch p.Dist {
	case "", "fixed":
		add("value", p.Value)
	case "uniform":
		parts = append(parts, `dist = "uniform"`)
		add("min", p.Min)
		add("max", p.Max)
	case "normal":
		parts = append(parts, `dist = "normal"`)
		add("mean", p.Mean)
		add("sd", p.SD)
		if p.hasMin {
			add("min", p.Min)
		}
		if p.hasMax {
			add("max", p.Max)
		}
	case "lognormal":
		parts = append(parts, `dist = "lognormal"`)
		add("mean", p.Mean)
		add("sd", p.SD)
	case "beta":
		parts = append(parts, `dist = "beta"`)
		add("a", p.A)
		add("b", p.B)
	case "gamma":
		parts = append(parts, `dist = "gamma"`)
		add("shape", p.Shape)
		add("scale", p.Scale)
	case "triangular":
		parts = append(parts, `dist = "triangular"`)
		add("min", p.Min)
		add("mode", p.Mode)
		add("max", p.Max)
	}
	if p.Source != "" {
		parts = append(parts, fmt.Sprintf("source = %q", p.Source))
	}
	if p.Assumption {
		parts = append(parts, "assumption = true")
	}
	return []byte("{ " + strings.Join(parts, ", ") + " }"), nil
}

func fmtFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64:
		return "integer"
	case float64:
		return "float"
	case map[string]any:
		return "table"
	case []any, []map[string]any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}
