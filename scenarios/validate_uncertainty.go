package scenarios

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"ersim/dist"
)

// shareGroups lists the groups of shares that sum to 1, by a name for messages, with
// the key paths of their members.
func shareGroups(sc *Scenario) (names []string, members map[string][]string) {
	members = map[string][]string{}
	add := func(name string, keys ...string) {
		names = append(names, name)
		members[name] = keys
	}
	var keys []string
	for i := range sc.Population.NeedGroups {
		keys = append(keys, fmt.Sprintf("population.need_groups[%d].share", i))
	}
	add("the need group shares", keys...)
	keys = nil
	for i := range sc.Population.Areas {
		keys = append(keys, fmt.Sprintf("population.areas[%d].share", i))
	}
	add("the area shares", keys...)
	for _, name := range sortedKeys(sc.Rules) {
		if r := sc.Rules[name]; r != nil && r.Mix != nil {
			p := "rules." + quoteKey(name) + ".mix."
			add("the revenue shares of rules."+quoteKey(name)+".mix",
				p+"budget", p+"capitation", p+"visit", p+"case", p+"goal")
		}
	}
	return names, members
}

// checkUncertainty validates the [uncertainty] section of sc against sc. Checks that
// change the scenario (every draw must keep it valid) run only when the scenario is
// otherwise valid (scenarioOK).
func checkUncertainty(sc *Scenario, scenarioOK bool) []problem {
	var probs []problem
	add := func(path, allowed, format string, args ...any) {
		probs = append(probs, problem{Path: path, Msg: fmt.Sprintf(format, args...), Allowed: allowed})
	}
	for _, n := range sortedKeys(sc.Variants) {
		if v := sc.Variants[n]; v != nil {
			if _, ok := v.Set["uncertainty"]; ok {
				add("variants."+quoteKey(n)+".set.uncertainty", "overrides of anything but [uncertainty]",
					"a variant cannot change [uncertainty]: the same parameter draws apply to every variant")
			}
		}
	}
	u := sc.Uncertainty
	if u == nil {
		return probs
	}
	var (
		candidates []string
		bnds       map[string]bounds
		groupNames []string
		groups     map[string][]string
		groupOf    = map[string]string{}
	)
	suggest := func(key string) string {
		if candidates == nil {
			candidates = paramPaths(sc)
		}
		if s := closeMatches(canonicalKey(key), candidates); len(s) > 0 {
			return "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return ""
	}
	boundsOf := func(t target) bounds {
		if t.sub != "" {
			switch {
			case t.sub == "a" || t.sub == "b" || t.sub == "shape" || t.sub == "scale" ||
				t.sub == "mean" && (t.param.Dist == "lognormal" || t.param.Dist == "gamma"):
				return positive
			case t.sub == "sd":
				return nonneg
			}
			return anyNumber
		}
		if bnds == nil {
			bnds = paramBounds(sc)
		}
		if b, ok := bnds[t.path]; ok {
			return b
		}
		return anyNumber
	}
	groupNames, groups = shareGroups(sc)
	for _, g := range groupNames {
		for _, k := range groups[g] {
			groupOf[k] = g
		}
	}
	// resolve finds a key and reports why it cannot be uncertain at path.
	resolve := func(path, key string) (target, bool) {
		t, err := findParam(sc, key)
		if err != nil {
			var ke *keyError
			errors.As(err, &ke)
			msg := ke.msg
			if ke.unknown {
				msg += suggest(key)
			}
			add(path, ke.allowed, "%s", msg)
			return t, false
		}
		if m := t.param.Problem(); m != "" {
			return t, false // reported where the scenario sets it
		}
		return t, true
	}
	declared := map[string]string{} // canonical key → where it is declared
	declare := func(path, key string) bool {
		k := canonicalKey(key)
		if at, dup := declared[k]; dup {
			add(path, "each key in one place only", "%s is also uncertain at %s", k, at)
			return false
		}
		declared[k] = path
		return true
	}

	// breaks reports the first problem the scenario has with the keys set to values. It
	// changes sc in place and restores it: a copy per try would cost more than the check.
	breaks := func(keys []string, values []float64) (pr problem, bad bool) {
		type save struct {
			p *Param
			v Param
		}
		var saved []save
		for _, k := range keys {
			t, err := findParam(sc, k)
			if err != nil {
				return problem{Msg: err.Error()}, true
			}
			saved = append(saved, save{t.param, *t.param})
		}
		uncertainty, variants := sc.Uncertainty, sc.Variants
		sc.Uncertainty, sc.Variants = nil, nil
		defer func() {
			for i := len(saved) - 1; i >= 0; i-- {
				*saved[i].p = saved[i].v
			}
			sc.Uncertainty, sc.Variants = uncertainty, variants
		}()
		if err := Apply(sc, keys, values); err != nil {
			return problem{Msg: err.Error()}, true
		}
		if ps := validate(sc); len(ps) > 0 {
			return ps[0], true
		}
		return problem{}, false
	}

	for _, name := range sortedKeys(u.Params) {
		path := "uncertainty.params." + quoteKey(name)
		s := u.Params[name]
		if s == nil {
			continue
		}
		declare(path, name)
		specOK := true
		if k, msg, allowed := s.check(); msg != "" {
			at := path
			if k != "" {
				at += "." + k
			}
			add(at, allowed, "%s", msg)
			specOK = false
		}
		t, found := resolve(path, name)
		if found && t.sub == "" {
			if g, ok := groupOf[t.path]; ok {
				add(path, "a key that is not a share, or the whole group in [[uncertainty.dirichlet]]",
					"%s is one of %s, which must sum to 1: draw the group's shares together in [[uncertainty.dirichlet]]", t.path, g)
				found = false
			}
		}
		if !specOK || !found {
			continue
		}
		d := s.Param()
		b := boundsOf(t)
		what := t.path
		if t.sub != "" {
			what = fmt.Sprintf("parameter %s of %s (%s)", t.sub, t.path, t.param)
		}
		if d.Dist == "" || d.Dist == "fixed" {
			if !b.contains(d.Value) {
				add(path+".value", b.text, "%s is out of range for %s", fmtNum(d.Value), what)
				continue
			}
		} else {
			c := &checker{seen: map[string]bool{}}
			if !c.support(path, d, b) {
				pr := c.probs[0]
				add(path, pr.Allowed, "the distribution does not fit %s: %s", what, pr.Msg)
				continue
			}
		}
		// The range for one-way sensitivity.
		lo, hi := d.Support()
		rangeOK := true
		low, high := quantile(d, 0.05), quantile(d, 0.95)
		for _, e := range []struct {
			key string
			v   *float64
			dst *float64
		}{{"low", s.Low, &low}, {"high", s.High, &high}} {
			if e.v == nil {
				continue
			}
			*e.dst = *e.v
			switch {
			case d.Dist == "" || d.Dist == "fixed":
				add(path+"."+e.key, "no low or high for a fixed value", "a fixed value has no range: remove %s", e.key)
				rangeOK = false
			case math.IsNaN(*e.v) || *e.v < lo || *e.v > hi:
				add(path+"."+e.key, fmt.Sprintf("a value in the support of %s, [%s, %s]", d, fmtNum(lo), fmtNum(hi)),
					"%s %s is outside the support of %s", e.key, fmtNum(*e.v), d)
				rangeOK = false
			case !b.contains(*e.v):
				add(path+"."+e.key, b.text, "%s %s is out of range for %s", e.key, fmtNum(*e.v), what)
				rangeOK = false
			}
		}
		if rangeOK && (s.Low != nil || s.High != nil) && !(low < high) {
			at := path + ".low"
			if s.Low == nil {
				at = path + ".high"
			}
			add(at, "low < high", "low %s is not below high %s", fmtNum(low), fmtNum(high))
			rangeOK = false
		}
		if !scenarioOK || !rangeOK {
			continue
		}
		// Every draw must keep the scenario valid (tak1 <= tak2, lower < upper, a
		// distribution's own requirements): try the ends of the distribution's support and
		// the range, one key at a time with the others at their values in the file.
		ends := supportEnds(d)
		if s.Low != nil {
			ends = append(ends, endpoint{low, "the low end of its range"})
		}
		if s.High != nil {
			ends = append(ends, endpoint{high, "the high end of its range"})
		}
		for _, e := range ends {
			if pr, bad := breaks([]string{name}, []float64{e.x}); bad {
				add(path, "a distribution whose every value keeps the scenario valid",
					"at %s (%s) the scenario would be invalid: %s: %s", fmtNum(e.x), e.what, pr.Path, pr.Msg)
				break
			}
		}
	}

	dirKeys := map[string]bool{}
	for gi, d := range u.Dirichlet {
		path := fmt.Sprintf("uncertainty.dirichlet[%d]", gi)
		ok := true
		if len(d.Params) < 2 {
			add(path+".params", "at least 2 shares of one group", "has %d keys; a Dirichlet draws at least 2 shares together", len(d.Params))
			ok = false
		}
		if len(d.Alpha) != len(d.Params) {
			add(path+".alpha", fmt.Sprintf("%d numbers > 0, one per key in params", len(d.Params)),
				"has %d numbers; params has %d keys", len(d.Alpha), len(d.Params))
			ok = false
		}
		for i, a := range d.Alpha {
			if !shapeOK(a) {
				add(fmt.Sprintf("%s.alpha[%d]", path, i), "a number in [0.001, 1e7]", "%s is not a positive number in the range the sampler supports", fmtNum(a))
				ok = false
			}
		}
		group := ""
		var listed []string
		for i, k := range d.Params {
			kp := fmt.Sprintf("%s.params[%d]", path, i)
			dirKeys[canonicalKey(k)] = true
			if !declare(kp, k) {
				ok = false
				continue
			}
			t, found := resolve(kp, k)
			if !found {
				ok = false
				continue
			}
			if t.sub != "" {
				add(kp, "the key path of a share", "%s is a parameter of a distribution, not a share", canonicalKey(k))
				ok = false
				continue
			}
			g, isShare := groupOf[t.path]
			switch {
			case !isShare:
				add(kp, "population.need_groups[i].share, population.areas[i].share or rules.NAME.mix.{budget, capitation, visit, case, goal}",
					"%s is not a share of a group that sums to 1", t.path)
				ok = false
			case group != "" && g != group:
				add(kp, "shares of one group", "%s is one of %s, but %s come first", t.path, g, group)
				ok = false
			default:
				group = g
				listed = append(listed, t.path)
			}
		}
		if !ok || group == "" {
			continue
		}
		var missing []string
		for _, k := range groups[group] {
			if slices.Contains(listed, k) {
				continue
			}
			if t, err := findParam(sc, k); err == nil && t.param.Value != 0 {
				missing = append(missing, fmt.Sprintf("%s (%s)", k, fmtNum(t.param.Value)))
			}
		}
		if len(missing) > 0 {
			add(path+".params", "every share of the group that is not 0",
				"the drawn shares sum to 1, so every nonzero one of %s must be drawn: %s is missing", group, strings.Join(missing, ", "))
			continue
		}
		if !scenarioOK {
			continue
		}
		// Each share can come close to 1 with the others close to 0: try the corners.
		for j := range d.Params {
			values := make([]float64, len(d.Params))
			values[j] = 1
			if pr, bad := breaks(d.Params, values); bad {
				add(path, "shares whose every draw keeps the scenario valid",
					"with %s near 1 and the others near 0 the scenario would be invalid: %s: %s", listed[j], pr.Path, pr.Msg)
				break
			}
		}
	}

	grouped := map[string]string{}
	for gi, c := range u.Correlations {
		path := fmt.Sprintf("uncertainty.correlations[%d]", gi)
		n := len(c.Params)
		if n < 2 {
			add(path+".params", "at least 2 keys of [uncertainty.params]", "has %d keys; a correlation needs at least 2", n)
		}
		seen := map[string]bool{}
		for i, k := range c.Params {
			kp := fmt.Sprintf("%s.params[%d]", path, i)
			ck := canonicalKey(k)
			inParams := false
			for name := range u.Params {
				if canonicalKey(name) == ck {
					inParams = true
				}
			}
			switch {
			case seen[ck]:
				add(kp, "each key once", "%s is listed twice", ck)
			case dirKeys[ck]:
				add(kp, "a key of [uncertainty.params]", "%s is a Dirichlet share; Dirichlet shares cannot be correlated with other keys", ck)
			case !inParams:
				add(kp, "a key of [uncertainty.params]", "%s is not in [uncertainty.params]: give it a distribution there first%s", ck, suggestAmong(ck, sortedKeys(u.Params)))
			case grouped[ck] != "":
				add(kp, "each key in one correlation matrix", "%s is also correlated in %s; put all its correlations in one matrix", ck, grouped[ck])
			}
			seen[ck] = true
			if grouped[ck] == "" {
				grouped[ck] = path
			}
		}
		rp := path + ".rank"
		shape := fmt.Sprintf("a %d×%d matrix, one row and one column per key of params", n, n)
		if len(c.Rank) != n {
			add(rp, shape, "has %d rows, but params has %d keys", len(c.Rank), n)
			continue
		}
		square := true
		for i, row := range c.Rank {
			if len(row) != n {
				add(fmt.Sprintf("%s[%d]", rp, i), shape, "row %d has %d entries; the matrix must be square, %d×%d", i, len(row), n, n)
				square = false
			}
		}
		if !square {
			continue
		}
		valid := true
		for i, row := range c.Rank {
			for j, x := range row {
				at := fmt.Sprintf("%s[%d][%d]", rp, i, j)
				switch {
				case math.IsNaN(x) || x < -1 || x > 1:
					add(at, "a rank correlation in [−1, 1]", "%s is outside [−1, 1]", fmtNum(x))
					valid = false
				case i == j && x != 1:
					add(at, "1 on the diagonal", "the diagonal entry is %s, not 1: a key is perfectly correlated with itself", fmtNum(x))
					valid = false
				case j > i && math.Abs(x-c.Rank[j][i]) > 1e-9:
					add(at, "a symmetric matrix", "the matrix is not symmetric: [%d][%d] is %s but [%d][%d] is %s",
						i, j, fmtNum(x), j, i, fmtNum(c.Rank[j][i]))
					valid = false
				}
			}
		}
		if valid {
			if m := dist.MinEigen(c.Rank); m < -1e-9 {
				add(rp, "a positive semi-definite matrix (no eigenvalue below 0)",
					"the matrix is not positive semi-definite: its smallest eigenvalue is %.4g, so no set of variables can have these correlations", m)
			}
		}
	}
	return probs
}

// supportEnds returns the values at the ends of d's support a draw can come close to:
// a closed end itself, the next float inside an end the distribution never reaches, and
// the 10⁻⁶ or 1 − 10⁻⁶ quantile for an infinite end.
func supportEnds(d Param) []endpoint {
	lo, hi := d.Support()
	open := d.Dist == "lognormal" || d.Dist == "gamma" || d.Dist == "beta"
	switch {
	case math.IsInf(lo, -1):
		lo = quantile(d, 1e-6)
	case open:
		lo = math.Nextafter(lo, math.Inf(1))
	}
	switch {
	case math.IsInf(hi, 1):
		hi = quantile(d, 1-1e-6)
	case open:
		hi = math.Nextafter(hi, math.Inf(-1))
	}
	out := []endpoint{{lo, "the low end of " + d.String()}}
	if hi != lo {
		out = append(out, endpoint{hi, "the high end of " + d.String()})
	}
	return out
}

// endpoint is a value a parameter is tried at, and what it is.
type endpoint struct {
	x    float64
	what string
}
