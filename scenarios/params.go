package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// ParamInfo is one scenario value with its provenance, for the assumptions table.
type ParamInfo struct {
	Path       string
	Value      string
	Source     string
	Assumption bool
}

var paramReflectType = reflect.TypeOf(Param{})

// Parameters lists every numeric parameter of a scenario (and every key named in its
// [sources] table) with its value and source, in a stable order. A value with neither a
// source nor an explicit mark is listed as an assumption: nothing passes as sourced
// unless the scenario says where it comes from.
func Parameters(sc *Scenario) []ParamInfo {
	var out []ParamInfo
	seen := map[string]bool{}
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch {
		case v.Type() == paramReflectType:
			p := v.Interface().(Param)
			if !p.IsSet() {
				return
			}
			if p.Source == "" {
				p.Source = sourceFor(sc.Sources, path)
			}
			out = append(out, ParamInfo{Path: path, Value: p.String(), Source: p.Source,
				Assumption: p.Assumption || p.Source == "" || strings.HasPrefix(p.Source, "assumption")})
			seen[path] = true
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Struct:
			t := v.Type()
			for i := range t.NumField() {
				f := t.Field(i)
				tag := strings.Split(f.Tag.Get("toml"), ",")[0]
				if tag == "" || tag == "-" || tag == "variants" || tag == "sources" {
					continue
				}
				walk(join(path, tag), v.Field(i))
			}
		case reflect.Map:
			keys := v.MapKeys()
			names := make([]string, len(keys))
			for i, k := range keys {
				names[i] = k.String()
			}
			slices.Sort(names)
			for _, n := range names {
				walk(join(path, n), v.MapIndex(reflect.ValueOf(n)))
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
		}
	}
	walk("", reflect.ValueOf(sc).Elem())
	extra := make([]string, 0, len(sc.Sources))
	for k := range sc.Sources {
		if !seen[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		src := sc.Sources[k]
		out = append(out, ParamInfo{Path: k, Value: valueAt(sc, k), Source: src, Assumption: strings.HasPrefix(src, "assumption")})
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// valueAt renders the value of a non-Param key path such as "cohorts.lol_gp.count".
func valueAt(sc *Scenario, path string) string {
	v := reflect.ValueOf(sc).Elem()
	for _, part := range strings.Split(path, ".") {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return ""
			}
			v = v.Elem()
		}
		switch v.Kind() {
		case reflect.Struct:
			found := false
			t := v.Type()
			for i := range t.NumField() {
				if strings.Split(t.Field(i).Tag.Get("toml"), ",")[0] == part {
					v, found = v.Field(i), true
					break
				}
			}
			if !found {
				return ""
			}
		case reflect.Map:
			v = v.MapIndex(reflect.ValueOf(part))
			if !v.IsValid() {
				return ""
			}
		default:
			return ""
		}
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch {
	case v.Type() == paramReflectType:
		return v.Interface().(Param).String()
	case v.Kind() == reflect.Slice:
		// A source for a whole array: its values are listed row by row above.
		return fmt.Sprintf("[%d entries]", v.Len())
	case v.Kind() == reflect.Struct || v.Kind() == reflect.Map:
		return "(table)"
	}
	return fmt.Sprint(v.Interface())
}

// sourceFor returns the citation of the longest [sources] key that is the path or a
// table above it: an entry for "rules.lov.indicators" covers each indicator's values.
func sourceFor(sources map[string]string, path string) string {
	for p := path; p != ""; {
		if src, ok := sources[p]; ok {
			return src
		}
		if i := strings.LastIndexAny(p, ".["); i >= 0 {
			p = p[:i]
		} else {
			break
		}
	}
	return ""
}

// DefaultValues returns the engine's default of every behaviour.* parameter, written as
// assumptions.csv writes values, so that a report can say which of a scenario's
// behavioural values differ from the defaults (issue 15).
func DefaultValues() map[string]string {
	sc := &Scenario{}
	applyDefaults(sc, func(...string) bool { return false })
	out := map[string]string{}
	for _, p := range Parameters(sc) {
		if strings.HasPrefix(p.Path, "behaviour.") {
			out[p.Path] = p.Value
		}
	}
	return out
}
