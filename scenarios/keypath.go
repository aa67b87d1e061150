package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
)

// canonicalKey writes a key path as messages write it: quoted only where needed.
func canonicalKey(key string) string { return joinPath(splitPath(key)) }

// distParamNames lists the parameters of a distribution Param that a key path may name.
func distParamNames(p Param) []string {
	switch p.Dist {
	case "uniform":
		return []string{"min", "max"}
	case "normal":
		names := []string{"mean", "sd"}
		lo, hi := p.HasBounds()
		if lo {
			names = append(names, "min")
		}
		if hi {
			names = append(names, "max")
		}
		return names
	case "lognormal":
		return []string{"mean", "sd"}
	case "beta":
		return []string{"a", "b"}
	case "gamma":
		return []string{"shape", "scale", "mean", "sd"}
	case "triangular":
		return []string{"min", "mode", "max"}
	}
	return nil
}

// target is a resolved key path: a Param of a scenario, or one parameter of a
// distribution Param.
type target struct {
	param *Param
	path  string // the Param's canonical path
	sub   string // "" or the distribution parameter named
}

// keyError says why a key path does not name a parameter that can be uncertain.
type keyError struct {
	msg, allowed string
	unknown      bool // the path names nothing: suggest close matches
}

func (e *keyError) Error() string { return e.msg }

const allowedKeys = "the key path of a number in the scenario, such as behaviour.quality.substitution, " +
	"population.need_groups[1].demand_per_year or cohorts.NAME.altruism.a"

// findParam resolves a key path in sc.
func findParam(sc *Scenario, key string) (target, error) {
	segs := splitPath(key)
	if len(segs) == 0 {
		return target{}, &keyError{msg: "the key path is empty", allowed: allowedKeys}
	}
	switch segs[0] {
	case "variants", "sources", "uncertainty":
		return unknownKey("%q names no numeric parameter of the scenario", key)
	}
	v := reflect.ValueOf(sc).Elem()
	for i, seg := range segs {
		here := joinPath(segs[:i])
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return unknownKey("%s is not in the scenario, so %q names nothing", here, key)
			}
			v = v.Elem()
		}
		if v.Type() == paramType && v.CanAddr() {
			p := v.Addr().Interface().(*Param)
			if i != len(segs)-1 {
				return unknownKey("%q names no numeric parameter of the scenario", key)
			}
			return paramTarget(p, here, seg)
		}
		switch v.Kind() {
		case reflect.Struct:
			f, ok := fieldByTag(v.Type(), seg)
			if isIndex(seg) || !ok {
				if here == "" {
					return unknownKey("%q names no numeric parameter of the scenario", key)
				}
				return unknownKey("%s has no key %s", here, seg)
			}
			v = v.FieldByIndex(f.Index)
		case reflect.Map:
			name := seg
			if strings.HasPrefix(seg, `"`) {
				name = unescape(strings.TrimSuffix(strings.TrimPrefix(seg, `"`), `"`))
			}
			if v.Type().Key().Kind() != reflect.String || isIndex(seg) {
				return unknownKey("%q names no numeric parameter of the scenario", key)
			}
			e := v.MapIndex(reflect.ValueOf(name).Convert(v.Type().Key()))
			if !e.IsValid() {
				return unknownKey("%s has no %s", here, quoteKey(name))
			}
			v = e
			if v.Kind() != reflect.Pointer {
				return unknownKey("%q names no numeric parameter of the scenario", key)
			}
		case reflect.Slice:
			if !isIndex(seg) {
				return unknownKey("%s is an array: write an element as %s[i]", here, here)
			}
			var n int
			fmt.Sscanf(seg, "[%d]", &n)
			if n >= v.Len() {
				return unknownKey("%s has %d elements, so %s is not one of them (in the file as written, or in a variant that replaces the array)",
					here, v.Len(), here+seg)
			}
			v = v.Index(n)
		default:
			return unknownKey("%q names no numeric parameter of the scenario", key)
		}
	}
	return leafTarget(v, joinPath(segs))
}

// leafTarget is the target of a key path that has been followed to v: a Param, or why
// the value there cannot be uncertain.
func leafTarget(v reflect.Value, path string) (target, error) {
	t := v.Type()
	for t.Kind() == reflect.Pointer {
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		t = t.Elem()
	}
	if t == paramType && v.CanAddr() {
		return paramTarget(v.Addr().Interface().(*Param), path, "")
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return target{}, &keyError{msg: fmt.Sprintf("%s is an integer (a count or a setting): integer-valued keys cannot be uncertain", path),
			allowed: "a key that takes any number in a range, not an integer"}
	case reflect.Bool:
		return target{}, &keyError{msg: fmt.Sprintf("%s is a switch (true or false), not a number", path), allowed: allowedKeys}
	case reflect.String:
		return target{}, &keyError{msg: fmt.Sprintf("%s is a name, not a number", path), allowed: allowedKeys}
	case reflect.Float64:
		return target{}, &keyError{msg: fmt.Sprintf("%s is a run setting, not a model parameter: it cannot be uncertain", path), allowed: allowedKeys}
	}
	return unknownKey("%s is a table or an array, not a number: name one of the numbers in it", path)
}

// unknownKey is the error for a key path that names nothing: close matches are suggested.
func unknownKey(format string, args ...any) (target, error) {
	return target{}, &keyError{msg: fmt.Sprintf(format, args...), allowed: allowedKeys, unknown: true}
}

func paramTarget(p *Param, path, sub string) (target, error) {
	t := target{param: p, path: path, sub: sub}
	names := distParamNames(*p)
	switch {
	case !p.IsSet():
		return t, &keyError{msg: fmt.Sprintf("%s is not set in the scenario, so it has no value to vary", path),
			allowed: "a key the scenario (or its defaults) gives a value"}
	case sub == "" && p.IsDist():
		alts := make([]string, len(names))
		for i, n := range names {
			alts[i] = path + "." + n
		}
		return t, &keyError{msg: fmt.Sprintf("%s is a distribution drawn once per provider (%s): name which of its parameters is uncertain, %s",
			path, p, strings.Join(alts, " or ")), allowed: strings.Join(alts, ", ")}
	case sub != "" && !p.IsDist():
		return t, &keyError{msg: fmt.Sprintf("%s is a single value (%s), not a distribution, so it has no parameter %q: write %s",
			path, p, sub, path), allowed: path}
	case sub != "" && !slices.Contains(names, sub):
		return t, &keyError{msg: fmt.Sprintf("%s is %s, which has no parameter %q", path, p, sub),
			allowed: strings.Join(names, ", ")}
	}
	return t, nil
}

// get returns the current value of the target.
func (t target) get() float64 {
	p := t.param
	switch t.sub {
	case "":
		return p.Value
	case "a":
		return p.A
	case "b":
		return p.B
	case "min":
		return p.Min
	case "max":
		return p.Max
	case "mode":
		return p.Mode
	case "shape":
		return p.Shape
	case "scale":
		return p.Scale
	case "mean":
		if p.Dist == "gamma" {
			return p.Shape * p.Scale
		}
		return p.Mean
	case "sd":
		if p.Dist == "gamma" {
			return math.Sqrt(p.Shape) * p.Scale
		}
		return p.SD
	}
	return math.NaN()
}

// set sets the target to x: a plain Param's value, or one parameter of a distribution
// Param, whose mean (Param.Value) is then recomputed as a Param table's is. Setting the
// current value changes nothing, so a zero-width uncertainty reproduces the scenario
// bit for bit.
func (t target) set(x float64) {
	p := t.param
	if t.get() == x {
		return
	}
	switch t.sub {
	case "":
		p.Value = x
		return
	case "a":
		p.A = x
	case "b":
		p.B = x
	case "min":
		p.Min = x
	case "max":
		p.Max = x
	case "mode":
		p.Mode = x
	case "shape":
		p.Shape = x
	case "scale":
		p.Scale = x
	case "mean", "sd":
		if p.Dist != "gamma" {
			if t.sub == "mean" {
				p.Mean = x
			} else {
				p.SD = x
			}
			break
		}
		// A gamma keeps the other moment: shape = mean²/sd², scale = sd²/mean.
		mean, sd := p.Shape*p.Scale, math.Sqrt(p.Shape)*p.Scale
		if p.Mean > 0 && p.SD > 0 {
			mean, sd = p.Mean, p.SD // given as mean and sd: keep them exact
		}
		if t.sub == "mean" {
			mean = x
		} else {
			sd = x
		}
		p.Mean, p.SD = mean, sd
		p.Shape = mean * mean / (sd * sd)
		p.Scale = sd * sd / mean
	}
	switch p.Dist {
	case "uniform":
		p.Value = (p.Min + p.Max) / 2
	case "normal", "lognormal":
		p.Value = p.Mean
	case "beta":
		p.Value = p.A / (p.A + p.B)
	case "gamma":
		p.Value = p.Shape * p.Scale
	case "triangular":
		p.Value = (p.Min + p.Mode + p.Max) / 3
	}
}
