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

// uncertaintyChecker validates an [uncertainty] section against its scenario, collecting
// problems in the order of the section: variants, params, dirichlet, correlations.
type uncertaintyChecker struct {
	sc         *Scenario
	u          *Uncertainty
	scenarioOK bool // the checks that change the scenario run only when it is otherwise valid
	probs      []problem

	candidates []string            // key paths to suggest, listed on first use
	bnds       map[string]bounds   // each key path's allowed values, on first use
	groups     map[string][]string // groups of shares that sum to 1, by name
	groupOf    map[string]string   // a share's key path → its group
	declared   map[string]string   // canonical key → where it is declared uncertain
	dirKeys    map[string]bool     // canonical keys drawn in a Dirichlet group
}

// checkUncertainty validates the [uncertainty] section of sc against sc. Checks that
// change the scenario (every draw must keep it valid) run only when the scenario is
// otherwise valid (scenarioOK).
func checkUncertainty(sc *Scenario, scenarioOK bool) []problem {
	c := &uncertaintyChecker{sc: sc, u: sc.Uncertainty, scenarioOK: scenarioOK}
	for _, n := range sortedKeys(sc.Variants) {
		if v := sc.Variants[n]; v != nil {
			if _, ok := v.Set["uncertainty"]; ok {
				c.add("variants."+quoteKey(n)+".set.uncertainty", "overrides of anything but [uncertainty]",
					"a variant cannot change [uncertainty]: the same parameter draws apply to every variant")
			}
		}
	}
	if c.u == nil {
		return c.probs
	}
	var groupNames []string
	groupNames, c.groups = shareGroups(sc)
	c.groupOf = map[string]string{}
	for _, g := range groupNames {
		for _, k := range c.groups[g] {
			c.groupOf[k] = g
		}
	}
	c.declared = map[string]string{}
	c.dirKeys = map[string]bool{}
	for _, name := range sortedKeys(c.u.Params) {
		c.param(name)
	}
	for gi, d := range c.u.Dirichlet {
		c.dirichlet(gi, d)
	}
	grouped := map[string]string{} // canonical key → the correlation matrix it is in
	for gi, cr := range c.u.Correlations {
		c.correlation(gi, cr, grouped)
	}
	return c.probs
}

func (c *uncertaintyChecker) add(path, allowed, format string, args ...any) {
	c.probs = append(c.probs, problem{Path: path, Msg: fmt.Sprintf(format, args...), Allowed: allowed})
}

// suggest returns "; did you mean …?" for a key path that names nothing, or "".
func (c *uncertaintyChecker) suggest(key string) string {
	if c.candidates == nil {
		c.candidates = paramPaths(c.sc)
	}
	if s := closeMatches(canonicalKey(key), c.candidates); len(s) > 0 {
		return "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return ""
}

// boundsOf returns the values a target may take: those of its key, or, for a parameter
// of a distribution, what the distribution needs.
func (c *uncertaintyChecker) boundsOf(t target) bounds {
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
	if c.bnds == nil {
		c.bnds = paramBounds(c.sc)
	}
	if b, ok := c.bnds[t.path]; ok {
		return b
	}
	return anyNumber
}

// resolve finds a key and reports why it cannot be uncertain at path.
func (c *uncertaintyChecker) resolve(path, key string) (target, bool) {
	t, err := findParam(c.sc, key)
	if err != nil {
		var ke *keyError
		errors.As(err, &ke)
		msg := ke.msg
		if ke.unknown {
			msg += c.suggest(key)
		}
		c.add(path, ke.allowed, "%s", msg)
		return t, false
	}
	if m := t.param.Problem(); m != "" {
		return t, false // reported where the scenario sets it
	}
	return t, true
}

// declare records that key is uncertain at path, and reports it if it already is.
func (c *uncertaintyChecker) declare(path, key string) bool {
	k := canonicalKey(key)
	if at, dup := c.declared[k]; dup {
		c.add(path, "each key in one place only", "%s is also uncertain at %s", k, at)
		return false
	}
	c.declared[k] = path
	return true
}

// breaks reports the first problem the scenario has with the keys set to values. It
// changes the scenario in place and restores it: a copy per try would cost more than the
// check.
func (c *uncertaintyChecker) breaks(keys []string, values []float64) (pr problem, bad bool) {
	sc := c.sc
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
	uncertainty, variants, calibration := sc.Uncertainty, sc.Variants, sc.Calibration
	sc.Uncertainty, sc.Variants, sc.Calibration = nil, nil, nil
	defer func() {
		for i := len(saved) - 1; i >= 0; i-- {
			*saved[i].p = saved[i].v
		}
		sc.Uncertainty, sc.Variants, sc.Calibration = uncertainty, variants, calibration
	}()
	if err := Apply(sc, keys, values); err != nil {
		return problem{Msg: err.Error()}, true
	}
	if ps := validate(sc); len(ps) > 0 {
		return ps[0], true
	}
	return problem{}, false
}

// param checks one [uncertainty.params] table.
func (c *uncertaintyChecker) param(name string) {
	path := "uncertainty.params." + quoteKey(name)
	s := c.u.Params[name]
	if s == nil {
		return
	}
	c.declare(path, name)
	specOK := true
	if k, msg, allowed := s.check(); msg != "" {
		at := path
		if k != "" {
			at += "." + k
		}
		c.add(at, allowed, "%s", msg)
		specOK = false
	}
	t, found := c.resolve(path, name)
	if found && t.sub == "" {
		if g, ok := c.groupOf[t.path]; ok {
			c.add(path, "a key that is not a share, or the whole group in [[uncertainty.dirichlet]]",
				"%s is one of %s, which must sum to 1: draw the group's shares together in [[uncertainty.dirichlet]]", t.path, g)
			found = false
		}
	}
	if !specOK || !found {
		return
	}
	d := s.Param()
	b := c.boundsOf(t)
	what := t.path
	if t.sub != "" {
		what = fmt.Sprintf("parameter %s of %s (%s)", t.sub, t.path, t.param)
	}
	if !c.fits(path, d, b, what) {
		return
	}
	low, high, rangeOK := c.sensitivityRange(path, s, d, b, what)
	if !c.scenarioOK || !rangeOK {
		return
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
		if pr, bad := c.breaks([]string{name}, []float64{e.x}); bad {
			c.add(path, "a distribution whose every value keeps the scenario valid",
				"at %s (%s) the scenario would be invalid: %s: %s", fmtNum(e.x), e.what, pr.Path, pr.Msg)
			break
		}
	}
}

// fits reports whether every value of d is allowed for the key (b), and reports it at
// path if not.
func (c *uncertaintyChecker) fits(path string, d Param, b bounds, what string) bool {
	if d.Dist == "" || d.Dist == "fixed" {
		if !b.contains(d.Value) {
			c.add(path+".value", b.text, "%s is out of range for %s", fmtNum(d.Value), what)
			return false
		}
		return true
	}
	ck := &checker{seen: map[string]bool{}}
	if !ck.support(path, d, b) {
		pr := ck.probs[0]
		c.add(path, pr.Allowed, "the distribution does not fit %s: %s", what, pr.Msg)
		return false
	}
	return true
}

// sensitivityRange checks the range for one-way sensitivity (low and high, default the
// 5th and 95th percentiles) and returns it.
func (c *uncertaintyChecker) sensitivityRange(path string, s *Uncertain, d Param, b bounds, what string) (low, high float64, ok bool) {
	lo, hi := d.Support()
	ok = true
	low, high = quantile(d, 0.05), quantile(d, 0.95)
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
			c.add(path+"."+e.key, "no low or high for a fixed value", "a fixed value has no range: remove %s", e.key)
			ok = false
		case math.IsNaN(*e.v) || *e.v < lo || *e.v > hi:
			c.add(path+"."+e.key, fmt.Sprintf("a value in the support of %s, [%s, %s]", d, fmtNum(lo), fmtNum(hi)),
				"%s %s is outside the support of %s", e.key, fmtNum(*e.v), d)
			ok = false
		case !b.contains(*e.v):
			c.add(path+"."+e.key, b.text, "%s %s is out of range for %s", e.key, fmtNum(*e.v), what)
			ok = false
		}
	}
	if ok && (s.Low != nil || s.High != nil) && !(low < high) {
		at := path + ".low"
		if s.Low == nil {
			at = path + ".high"
		}
		c.add(at, "low < high", "low %s is not below high %s", fmtNum(low), fmtNum(high))
		ok = false
	}
	return low, high, ok
}

// dirichlet checks one [[uncertainty.dirichlet]] table.
func (c *uncertaintyChecker) dirichlet(gi int, d Dirichlet) {
	path := fmt.Sprintf("uncertainty.dirichlet[%d]", gi)
	ok := true
	if len(d.Params) < 2 {
		c.add(path+".params", "at least 2 shares of one group", "has %d keys; a Dirichlet draws at least 2 shares together", len(d.Params))
		ok = false
	}
	if len(d.Alpha) != len(d.Params) {
		c.add(path+".alpha", fmt.Sprintf("%d numbers > 0, one per key in params", len(d.Params)),
			"has %d numbers; params has %d keys", len(d.Alpha), len(d.Params))
		ok = false
	}
	for i, a := range d.Alpha {
		if !shapeOK(a) {
			c.add(fmt.Sprintf("%s.alpha[%d]", path, i), "a number in [0.001, 1e7]", "%s is not a positive number in the range the sampler supports", fmtNum(a))
			ok = false
		}
	}
	group, listed, sharesOK := c.dirichletShares(path, d)
	if !ok || !sharesOK || group == "" {
		return
	}
	var missing []string
	for _, k := range c.groups[group] {
		if slices.Contains(listed, k) {
			continue
		}
		if t, err := findParam(c.sc, k); err == nil && t.param.Value != 0 {
			missing = append(missing, fmt.Sprintf("%s (%s)", k, fmtNum(t.param.Value)))
		}
	}
	if len(missing) > 0 {
		c.add(path+".params", "every share of the group that is not 0",
			"the drawn shares sum to 1, so every nonzero one of %s must be drawn: %s is missing", group, strings.Join(missing, ", "))
		return
	}
	if !c.scenarioOK {
		return
	}
	// Each share can come close to 1 with the others close to 0: try the corners.
	for j := range d.Params {
		values := make([]float64, len(d.Params))
		values[j] = 1
		if pr, bad := c.breaks(d.Params, values); bad {
			c.add(path, "shares whose every draw keeps the scenario valid",
				"with %s near 1 and the others near 0 the scenario would be invalid: %s: %s", listed[j], pr.Path, pr.Msg)
			break
		}
	}
}

// dirichletShares checks the keys of a Dirichlet group: shares, all of one group that
// sums to 1. It returns the group and the shares' key paths.
func (c *uncertaintyChecker) dirichletShares(path string, d Dirichlet) (group string, listed []string, ok bool) {
	ok = true
	for i, k := range d.Params {
		kp := fmt.Sprintf("%s.params[%d]", path, i)
		c.dirKeys[canonicalKey(k)] = true
		if !c.declare(kp, k) {
			ok = false
			continue
		}
		t, found := c.resolve(kp, k)
		if !found {
			ok = false
			continue
		}
		if t.sub != "" {
			c.add(kp, "the key path of a share", "%s is a parameter of a distribution, not a share", canonicalKey(k))
			ok = false
			continue
		}
		g, isShare := c.groupOf[t.path]
		switch {
		case !isShare:
			c.add(kp, "population.need_groups[i].share, population.areas[i].share or rules.NAME.mix.{budget, capitation, visit, case, goal}",
				"%s is not a share of a group that sums to 1", t.path)
			ok = false
		case group != "" && g != group:
			c.add(kp, "shares of one group", "%s is one of %s, but %s come first", t.path, g, group)
			ok = false
		default:
			group = g
			listed = append(listed, t.path)
		}
	}
	return group, listed, ok
}

// correlation checks one [[uncertainty.correlations]] table; grouped maps each key
// already correlated to the matrix it is in.
func (c *uncertaintyChecker) correlation(gi int, cr Correlation, grouped map[string]string) {
	path := fmt.Sprintf("uncertainty.correlations[%d]", gi)
	n := len(cr.Params)
	if n < 2 {
		c.add(path+".params", "at least 2 keys of [uncertainty.params]", "has %d keys; a correlation needs at least 2", n)
	}
	seen := map[string]bool{}
	for i, k := range cr.Params {
		kp := fmt.Sprintf("%s.params[%d]", path, i)
		ck := canonicalKey(k)
		inParams := false
		for name := range c.u.Params {
			if canonicalKey(name) == ck {
				inParams = true
			}
		}
		switch {
		case seen[ck]:
			c.add(kp, "each key once", "%s is listed twice", ck)
		case c.dirKeys[ck]:
			c.add(kp, "a key of [uncertainty.params]", "%s is a Dirichlet share; Dirichlet shares cannot be correlated with other keys", ck)
		case !inParams:
			c.add(kp, "a key of [uncertainty.params]", "%s is not in [uncertainty.params]: give it a distribution there first%s", ck, suggestAmong(ck, sortedKeys(c.u.Params)))
		case grouped[ck] != "":
			c.add(kp, "each key in one correlation matrix", "%s is also correlated in %s; put all its correlations in one matrix", ck, grouped[ck])
		}
		seen[ck] = true
		if grouped[ck] == "" {
			grouped[ck] = path
		}
	}
	c.rankMatrix(path+".rank", cr.Rank, n)
}

// rankMatrix checks a rank-correlation matrix over n keys at path rp.
func (c *uncertaintyChecker) rankMatrix(rp string, rank [][]float64, n int) {
	shape := fmt.Sprintf("a %d×%d matrix, one row and one column per key of params", n, n)
	if len(rank) != n {
		c.add(rp, shape, "has %d rows, but params has %d keys", len(rank), n)
		return
	}
	square := true
	for i, row := range rank {
		if len(row) != n {
			c.add(fmt.Sprintf("%s[%d]", rp, i), shape, "row %d has %d entries; the matrix must be square, %d×%d", i, len(row), n, n)
			square = false
		}
	}
	if !square {
		return
	}
	valid := true
	for i, row := range rank {
		for j, x := range row {
			at := fmt.Sprintf("%s[%d][%d]", rp, i, j)
			switch {
			case math.IsNaN(x) || x < -1 || x > 1:
				c.add(at, "a rank correlation in [−1, 1]", "%s is outside [−1, 1]", fmtNum(x))
				valid = false
			case i == j && x != 1:
				c.add(at, "1 on the diagonal", "the diagonal entry is %s, not 1: a key is perfectly correlated with itself", fmtNum(x))
				valid = false
			case j > i && math.Abs(x-rank[j][i]) > 1e-9:
				c.add(at, "a symmetric matrix", "the matrix is not symmetric: [%d][%d] is %s but [%d][%d] is %s",
					i, j, fmtNum(x), j, i, fmtNum(rank[j][i]))
				valid = false
			}
		}
	}
	if valid {
		if m := dist.MinEigen(rank); m < -1e-9 {
			c.add(rp, "a positive semi-definite matrix (no eigenvalue below 0)",
				"the matrix is not positive semi-definite: its smallest eigenvalue is %.4g, so no set of variables can have these correlations", m)
		}
	}
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
