package scenarios

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Schema returns a JSON Schema (draft 2020-12) of a scenario file (issue 15), for
// completion and checking in editors (Taplo / "Even Better TOML": put
// `#:schema ./ersim.schema.json` on a scenario's first line). It is generated from the
// same definitions the validator uses: the schema types (types.go) by reflection, the
// allowed values of the enumerated keys, and the numeric bounds the validator applies,
// collected by running it over the embedded scenarios and templates. The validator
// remains the authority: it also checks what a schema cannot (sums to 1, references
// between tables, plausibility).
func Schema() ([]byte, error) {
	b := collectBounds()
	s := schemaOf(reflect.TypeOf(Scenario{}), "", b)
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["title"] = "ersim scenario"
	s["description"] = "A scenario of ersim, the Monte Carlo simulator of Swedish health-care payment models. docs/scenario-reference.md describes every key."
	return json.MarshalIndent(s, "", "  ")
}

// schemaEnums are the allowed values of the string keys the validator enumerates.
var schemaEnums = map[string][]string{
	"cohorts.*.form":                     ContractForms,
	"cohorts.*.ownership":                {"public", "private", "nonprofit"},
	"regimes.*.targeting":                {"uniform", "risk"},
	"rules.*.indicators[].framing":       {"bonus", "vite"},
	"population.visit_kinds[].initiated": {"provider", "patient"},
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// collectBounds runs the validator over every embedded scenario and template and
// keeps the bounds of each key, with table names as * and list indices as [].
func collectBounds() map[string]bounds {
	out := map[string]bounds{}
	var texts [][]byte
	for _, i := range List() {
		t, _ := Text(i.Name)
		texts = append(texts, t)
	}
	for _, name := range TemplateNames() {
		t, _ := Template(name)
		texts = append(texts, t)
	}
	for _, t := range texts {
		f, err := Parse("schema", t)
		if err != nil {
			continue
		}
		c := &checker{seen: map[string]bool{}, bounds: map[string]bounds{}}
		c.scenario(f.Base)
		for path, bd := range c.bounds {
			out[generalise(path, f.Base)] = bd
		}
	}
	return out
}

// generalise writes a key path with the names of cohorts, rules, regimes and variants
// as * and list indices as [].
func generalise(path string, sc *Scenario) string {
	path = indexRE.ReplaceAllString(path, "[]")
	parts := strings.SplitN(path, ".", 3)
	if len(parts) >= 2 {
		switch parts[0] {
		case "cohorts", "rules", "regimes", "variants":
			parts[1] = "*"
		}
	}
	return strings.Join(parts, ".")
}

func schemaOf(t reflect.Type, path string, b map[string]bounds) map[string]any {
	if t == paramReflectType {
		return paramSchema(path, b)
	}
	switch t.Kind() {
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Bool {
			return map[string]any{"type": "boolean"}
		}
		if t.Elem().Kind() == reflect.Float64 {
			return map[string]any{"type": "number"}
		}
		return schemaOf(t.Elem(), path, b)
	case reflect.Struct:
		props := map[string]any{}
		for i := range t.NumField() {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("toml"), ",")[0]
			if tag == "" || tag == "-" || !f.IsExported() {
				continue
			}
			props[tag] = schemaOf(f.Type, join(path, tag), b)
		}
		return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	case reflect.Map:
		if t.Elem().Kind() == reflect.Interface {
			return map[string]any{"type": "object"} // a variant's free-form overrides
		}
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), join(path, "*"), b)}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), path+"[]", b)}
	case reflect.String:
		s := map[string]any{"type": "string"}
		if e, ok := schemaEnums[path]; ok {
			s["enum"] = e
		}
		return s
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Uint:
		s := map[string]any{"type": "integer"}
		if t.Kind() == reflect.Uint64 || t.Kind() == reflect.Uint {
			s["minimum"] = 0
		}
		return s
	case reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Interface:
		return map[string]any{}
	}
	return map[string]any{}
}

// paramSchema is a number, or a table with a value or a distribution and provenance.
func paramSchema(path string, b map[string]bounds) map[string]any {
	num := map[string]any{"type": "number"}
	if bd, ok := b[path]; ok {
		if !math.IsInf(bd.lo, -1) {
			if bd.loOpen {
				num["exclusiveMinimum"] = bd.lo
			} else {
				num["minimum"] = bd.lo
			}
		}
		if !math.IsInf(bd.hi, 1) {
			if bd.hiOpen {
				num["exclusiveMaximum"] = bd.hi
			} else {
				num["maximum"] = bd.hi
			}
		}
		num["description"] = bd.text
	}
	props := map[string]any{"value": num, "source": map[string]any{"type": "string"}, "assumption": map[string]any{"type": "boolean"},
		"dist": map[string]any{"type": "string", "enum": []string{"uniform", "normal", "lognormal", "beta", "gamma", "triangular"}}}
	for _, k := range []string{"mean", "sd", "min", "max", "mode", "a", "b", "shape", "scale"} {
		props[k] = map[string]any{"type": "number"}
	}
	return map[string]any{"anyOf": []any{num, map[string]any{"type": "object", "properties": props, "additionalProperties": false}}}
}

// CheckSchema validates a decoded TOML document against the subset of JSON Schema
// Schema uses (type, properties, additionalProperties, items, anyOf, enum, minimum,
// maximum and their exclusive forms), and returns each problem with its key path.
func CheckSchema(schema map[string]any, doc any) []string {
	var out []string
	var walk func(s map[string]any, v any, path string)
	walk = func(s map[string]any, v any, path string) {
		if alts, ok := s["anyOf"].([]any); ok {
			var best []string
			for _, a := range alts {
				var sub []string
				saved := out
				out = nil
				walk(a.(map[string]any), v, path)
				sub, out = out, saved
				if len(sub) == 0 {
					return
				}
				if best == nil || len(sub) < len(best) {
					best = sub
				}
			}
			out = append(out, best...)
			return
		}
		bad := func(format string, a ...any) { out = append(out, path+": "+fmt.Sprintf(format, a...)) }
		switch s["type"] {
		case "object":
			m, ok := v.(map[string]any)
			if !ok {
				bad("want a table")
				return
			}
			props, _ := s["properties"].(map[string]any)
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if ps, ok := props[k].(map[string]any); ok {
					walk(ps, m[k], join(path, k))
					continue
				}
				switch ap := s["additionalProperties"].(type) {
				case bool:
					if !ap {
						bad("unknown key %q", k)
					}
				case map[string]any:
					walk(ap, m[k], join(path, k))
				}
			}
		case "array":
			var items []any
			switch a := v.(type) {
			case []any:
				items = a
			case []map[string]any:
				for _, x := range a {
					items = append(items, x)
				}
			default:
				bad("want a list")
				return
			}
			if is, ok := s["items"].(map[string]any); ok {
				for i, x := range items {
					walk(is, x, fmt.Sprintf("%s[%d]", path, i))
				}
			}
		case "string":
			str, ok := v.(string)
			if !ok {
				bad("want text")
				return
			}
			var e []string
			switch x := s["enum"].(type) {
			case []string:
				e = x
			case []any:
				for _, y := range x {
					e = append(e, fmt.Sprint(y))
				}
			}
			if e != nil && !slices.Contains(e, str) {
				bad("%q is not one of %s", str, strings.Join(e, ", "))
			}
		case "boolean":
			if _, ok := v.(bool); !ok {
				bad("want true or false")
			}
		case "integer":
			if _, ok := v.(int64); !ok {
				bad("want a whole number")
			}
		case "number":
			var x float64
			switch n := v.(type) {
			case int64:
				x = float64(n)
			case float64:
				x = n
			default:
				bad("want a number")
				return
			}
			if lo, ok := s["minimum"].(float64); ok && x < lo {
				bad("%v is below %v", x, lo)
			}
			if lo, ok := s["exclusiveMinimum"].(float64); ok && x <= lo {
				bad("%v is not above %v", x, lo)
			}
			if hi, ok := s["maximum"].(float64); ok && x > hi {
				bad("%v is above %v", x, hi)
			}
			if hi, ok := s["exclusiveMaximum"].(float64); ok && x >= hi {
				bad("%v is not below %v", x, hi)
			}
		}
	}
	walk(schema, doc, "")
	return out
}

// Enum returns the values allowed for the string key at path (any cohort, rule,
// regime or list element), or nil when the key is not an enumerated one.
func Enum(path string) []string {
	return schemaEnums[generalise(path, nil)]
}
