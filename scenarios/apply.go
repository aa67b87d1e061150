package scenarios

import (
	"fmt"
	"slices"
	"strings"
)

// Apply sets each key path of sc to its value: a plain parameter's value, or the named
// parameter of a per-provider distribution (keeping its source and recomputing its mean).
// keys are as Keys returns them; values as Sample returns them. Apply changes sc in
// place: give it a Clone of a shared scenario. Every variant's resolved scenario takes
// the same draws.
func Apply(sc *Scenario, keys []string, values []float64) error {
	if len(keys) != len(values) {
		return fmt.Errorf("scenarios: Apply: %d keys but %d values", len(keys), len(values))
	}
	for i, k := range keys {
		t, err := findParam(sc, k)
		if err != nil {
			return fmt.Errorf("scenarios: Apply: %s: %w", k, err)
		}
		t.set(values[i])
	}
	return nil
}

// ApplyDraws returns a copy of the named variant's resolved scenario with one
// replication's draws (Keys and Sample) applied, except the keys the variant sets itself:
// a variant's own value for a key (or for a table or array above it) is part of what the
// variant is, and is kept. A Dirichlet group is kept whole when the variant sets any of
// its shares. The variant's scenario itself is not changed.
func (f *File) ApplyDraws(variant string, keys []string, values []float64) (*Scenario, error) {
	r := f.Variant(variant)
	if r == nil {
		return nil, fmt.Errorf("scenarios: ApplyDraws: no variant %q", variant)
	}
	if len(keys) != len(values) {
		return nil, fmt.Errorf("scenarios: ApplyDraws: %d keys but %d values", len(keys), len(values))
	}
	skip := map[string]bool{}
	if v := f.Base.Variants[variant]; v != nil && len(v.Set) > 0 {
		for _, k := range keys {
			if Overrides(v, k) {
				skip[canonicalKey(k)] = true
			}
		}
		if u := f.Base.Uncertainty; u != nil {
			for _, d := range u.Dirichlet {
				if slices.ContainsFunc(d.Params, func(k string) bool { return Overrides(v, k) }) {
					for _, k := range d.Params {
						skip[canonicalKey(k)] = true
					}
				}
			}
		}
	}
	var ks []string
	var vs []float64
	for i, k := range keys {
		if !skip[canonicalKey(k)] {
			ks, vs = append(ks, k), append(vs, values[i])
		}
	}
	sc := Clone(r.Scenario)
	return sc, Apply(sc, ks, vs)
}

// Overrides reports whether a variant sets the key path itself, or a table or array
// above it (arrays replace the whole array), or the whole distribution it is a
// parameter of.
func Overrides(v *Variant, key string) bool {
	if v == nil {
		return false
	}
	var cur any = v.Set
	for _, seg := range splitPath(key) {
		m, ok := cur.(map[string]any)
		if !ok || isParamTable(m) {
			return cur != nil // a value, an array or a whole Param replaces all below it
		}
		if isIndex(seg) {
			return false
		}
		name := seg
		if strings.HasPrefix(seg, `"`) {
			name = unescape(strings.TrimSuffix(strings.TrimPrefix(seg, `"`), `"`))
		}
		if cur, ok = m[name]; !ok {
			return false
		}
	}
	// A table holding only source or assumption merges into the value; it does not set it.
	if m, ok := cur.(map[string]any); ok && !isParamTable(m) {
		return false
	}
	return true
}
