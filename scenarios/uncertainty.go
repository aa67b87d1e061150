package scenarios

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"ersim/dist"
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
		return "", fmt.Sprintf("%s: %s", p, m), ""
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

// ---- the compiled sampler ----

type compiled struct {
	keys      []string
	index     map[string]int
	marg      []Param  // each key's marginal distribution (a Dirichlet share: its beta marginal)
	hash      []uint64 // each key's stream
	dirichlet []bool
	low, high []float64
	groups    []corrGroup
	dirs      []dirGroup
}

type corrGroup struct {
	idx    []int       // positions in keys
	factor [][]float64 // A with A·Aᵀ the normal correlation matrix
}

type dirGroup struct {
	idx   []int
	alpha []float64
}

func (u *Uncertainty) compiled() *compiled {
	u.once.Do(func() { u.comp, u.err = u.compile() })
	if u.err != nil {
		panic("scenarios: [uncertainty] was not validated: " + u.err.Error())
	}
	return u.comp
}

func (u *Uncertainty) compile() (*compiled, error) {
	type entry struct {
		key       string
		marg      Param
		low, high *float64
		dirichlet bool
	}
	var es []entry
	for _, name := range sortedKeys(u.Params) {
		s := u.Params[name]
		if s == nil {
			return nil, fmt.Errorf("params.%s is empty", quoteKey(name))
		}
		if _, msg, _ := s.check(); msg != "" {
			return nil, fmt.Errorf("params.%s: %s", quoteKey(name), msg)
		}
		es = append(es, entry{key: canonicalKey(name), marg: s.Param(), low: s.Low, high: s.High})
	}
	for i, d := range u.Dirichlet {
		if len(d.Params) < 2 || len(d.Alpha) != len(d.Params) {
			return nil, fmt.Errorf("dirichlet[%d]: params and alpha must be as long, at least 2", i)
		}
		sum := 0.0
		for _, a := range d.Alpha {
			if !shapeOK(a) {
				return nil, fmt.Errorf("dirichlet[%d]: alpha must be in [0.001, 1e7]", i)
			}
			sum += a
		}
		for j, k := range d.Params {
			a := d.Alpha[j]
			es = append(es, entry{key: canonicalKey(k), dirichlet: true,
				marg: Param{Dist: "beta", A: a, B: sum - a, Value: a / sum, set: true}})
		}
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].key < es[j].key })
	c := &compiled{index: map[string]int{}}
	for i, e := range es {
		if _, dup := c.index[e.key]; dup {
			return nil, fmt.Errorf("%s is given twice", e.key)
		}
		c.index[e.key] = i
		c.keys = append(c.keys, e.key)
		c.marg = append(c.marg, e.marg)
		c.hash = append(c.hash, keyHash(e.key))
		c.dirichlet = append(c.dirichlet, e.dirichlet)
		lo, hi := quantile(e.marg, 0.05), quantile(e.marg, 0.95)
		if e.low != nil {
			lo = *e.low
		}
		if e.high != nil {
			hi = *e.high
		}
		c.low, c.high = append(c.low, lo), append(c.high, hi)
	}
	for _, d := range u.Dirichlet {
		g := dirGroup{alpha: d.Alpha}
		for _, k := range d.Params {
			g.idx = append(g.idx, c.index[canonicalKey(k)])
		}
		c.dirs = append(c.dirs, g)
	}
	inGroup := map[int]bool{}
	for gi, cr := range u.Correlations {
		n := len(cr.Params)
		if n < 2 || len(cr.Rank) != n {
			return nil, fmt.Errorf("correlations[%d]: need an n×n matrix over at least 2 keys", gi)
		}
		g := corrGroup{}
		for _, k := range cr.Params {
			i, ok := c.index[canonicalKey(k)]
			if !ok || c.dirichlet[i] || inGroup[i] {
				return nil, fmt.Errorf("correlations[%d]: %s is not an uncertain parameter of its own", gi, k)
			}
			inGroup[i] = true
			g.idx = append(g.idx, i)
		}
		if msg := dist.CheckRank(cr.Rank); msg != "" {
			return nil, fmt.Errorf("correlations[%d]: %s", gi, msg)
		}
		f, err := dist.CopulaFactor(cr.Rank)
		if err != nil {
			return nil, fmt.Errorf("correlations[%d]: %v", gi, err)
		}
		g.factor = f
		c.groups = append(c.groups, g)
	}
	return c, nil
}

// Keys returns the uncertain key paths in sorted order, Dirichlet shares included, in
// their canonical form (as error messages and assumptions.csv write them). Sample's
// values are in this order.
func (u *Uncertainty) Keys() []string {
	if u == nil {
		return nil
	}
	return slices.Clone(u.compiled().keys)
}

// psaSalt separates the parameter draws' random streams from the engine's.
var psaSalt = keyHash("ersim: probabilistic sensitivity analysis (psa)")

func keyHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// seedStream positions a PCG at the stream of one key in one replication.
func seedStream(p *rand.PCG, seed uint64, rep int, key uint64) {
	h := mix64(seed ^ psaSalt)
	h = mix64(h ^ uint64(rep))
	h = mix64(h ^ key)
	p.Seed(h, mix64(h^0x5851f42d4c957f2d))
}

// Sample returns the drawn value of each key of Keys for replication rep. The draws
// depend only on (seed, rep) and the section itself: not on workers, variants, the
// number of replications, nor on which other keys are uncertain (each key has its own
// stream; only keys correlated with it or sharing its Dirichlet group matter).
func (u *Uncertainty) Sample(seed uint64, rep int) []float64 {
	if u == nil {
		return nil
	}
	c := u.compiled()
	n := len(c.keys)
	out := make([]float64, n)
	z := make([]float64, n)
	var pcg rand.PCG
	r := rand.New(&pcg)
	for i := range n {
		if !c.dirichlet[i] {
			seedStream(&pcg, seed, rep, c.hash[i])
			z[i] = r.NormFloat64()
		}
	}
	for _, g := range c.groups {
		e := make([]float64, len(g.idx))
		for a, i := range g.idx {
			e[a] = z[i]
		}
		for a, i := range g.idx {
			s := 0.0
			for b, f := range g.factor[a] {
				s += f * e[b]
			}
			z[i] = s
		}
	}
	for i := range n {
		if !c.dirichlet[i] {
			out[i] = fromNormal(c.marg[i], z[i])
		}
	}
	for _, d := range c.dirs {
		logs := make([]float64, len(d.idx))
		for j, i := range d.idx {
			seedStream(&pcg, seed, rep, c.hash[i])
			logs[j] = dist.Gamma(r, d.alpha[j], true)
		}
		for j, share := range dist.DirichletShares(logs) {
			out[d.idx[j]] = share
		}
	}
	return out
}

// Range returns the values one-way sensitivity analysis uses for key: the range given
// in the file, or the 5th and 95th percentiles. NaN for a key that is not uncertain.
func (u *Uncertainty) Range(key string) (low, high float64) {
	if u == nil {
		return math.NaN(), math.NaN()
	}
	c := u.compiled()
	i, ok := c.index[canonicalKey(key)]
	if !ok {
		return math.NaN(), math.NaN()
	}
	return c.low[i], c.high[i]
}

// Quantile returns the p-quantile of key's distribution (a Dirichlet share's marginal,
// a beta, for a share). NaN for a key that is not uncertain or p outside [0, 1].
func (u *Uncertainty) Quantile(key string, p float64) float64 {
	if u == nil || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	c := u.compiled()
	i, ok := c.index[canonicalKey(key)]
	if !ok {
		return math.NaN()
	}
	return quantile(c.marg[i], p)
}

// fromNormal maps a standard normal draw to a draw of p through p's quantile function.
func fromNormal(p Param, z float64) float64 {
	switch p.Dist {
	case "", "fixed":
		return p.Value
	case "normal":
		if lo, hi := p.HasBounds(); !lo && !hi || p.SD == 0 {
			return p.Mean + p.SD*z
		}
	case "lognormal":
		if p.SD == 0 {
			return p.Mean
		}
		return dist.LognormalAt(p.Mean, p.SD, z)
	}
	u := dist.NormalCDF(z)
	// Keep u inside (0, 1): an infinite quantile is never a draw.
	u = math.Min(math.Max(u, 0x1p-60), 1-0x1p-53)
	return quantile(p, u)
}

// quantile is the inverse distribution function of p at u in [0, 1].
func quantile(p Param, u float64) float64 {
	switch p.Dist {
	case "uniform":
		return dist.UniformQuantile(p.Min, p.Max, u)
	case "triangular":
		return dist.TriangularQuantile(p.Min, p.Mode, p.Max, u)
	case "normal":
		if p.SD == 0 {
			return p.Mean
		}
		a, b := math.Inf(-1), math.Inf(1)
		if lo, hi := p.HasBounds(); lo {
			a = (p.Min - p.Mean) / p.SD
			if hi {
				b = (p.Max - p.Mean) / p.SD
			}
		} else if hi {
			b = (p.Max - p.Mean) / p.SD
		}
		return p.Mean + p.SD*dist.TruncNormalQuantile(u, a, b)
	case "lognormal":
		if p.SD == 0 {
			return p.Mean
		}
		return dist.LognormalQuantile(p.Mean, p.SD, u)
	case "beta":
		return dist.BetaQuantile(p.A, p.B, u)
	case "gamma":
		return dist.GammaQuantile(p.Shape, u) * p.Scale
	}
	return p.Value
}

// ---- key paths ----

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
	unknown := func(format string, args ...any) (target, error) {
		return target{}, &keyError{msg: fmt.Sprintf(format, args...), allowed: allowedKeys, unknown: true}
	}
	switch segs[0] {
	case "variants", "sources", "uncertainty":
		return unknown("%q names no numeric parameter of the scenario", key)
	}
	v := reflect.ValueOf(sc).Elem()
	for i, seg := range segs {
		here := joinPath(segs[:i])
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return unknown("%s is not in the scenario, so %q names nothing", here, key)
			}
			v = v.Elem()
		}
		if v.Type() == paramType && v.CanAddr() {
			p := v.Addr().Interface().(*Param)
			if i != len(segs)-1 {
				return unknown("%q names no numeric parameter of the scenario", key)
			}
			return paramTarget(p, here, seg)
		}
		switch v.Kind() {
		case reflect.Struct:
			f, ok := fieldByTag(v.Type(), seg)
			if isIndex(seg) || !ok {
				if here == "" {
					return unknown("%q names no numeric parameter of the scenario", key)
				}
				return unknown("%s has no key %s", here, seg)
			}
			v = v.FieldByIndex(f.Index)
		case reflect.Map:
			name := seg
			if strings.HasPrefix(seg, `"`) {
				name = unescape(strings.TrimSuffix(strings.TrimPrefix(seg, `"`), `"`))
			}
			if v.Type().Key().Kind() != reflect.String || isIndex(seg) {
				return unknown("%q names no numeric parameter of the scenario", key)
			}
			e := v.MapIndex(reflect.ValueOf(name).Convert(v.Type().Key()))
			if !e.IsValid() {
				return unknown("%s has no %s", here, quoteKey(name))
			}
			v = e
			if v.Kind() != reflect.Pointer {
				return unknown("%q names no numeric parameter of the scenario", key)
			}
		case reflect.Slice:
			if !isIndex(seg) {
				return unknown("%s is an array: write an element as %s[i]", here, here)
			}
			var n int
			fmt.Sscanf(seg, "[%d]", &n)
			if n >= v.Len() {
				return unknown("%s has %d elements, so %s is not one of them (in the file as written, or in a variant that replaces the array)",
					here, v.Len(), here+seg)
			}
			v = v.Index(n)
		default:
			return unknown("%q names no numeric parameter of the scenario", key)
		}
	}
	path := joinPath(segs)
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
	return unknown("%s is a table or an array, not a number: name one of the numbers in it", path)
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

// Clone returns a deep copy of sc, sharing only its Uncertainty (which is read-only).
func Clone(sc *Scenario) *Scenario {
	if sc == nil {
		return nil
	}
	return deepCopy(reflect.ValueOf(sc)).Interface().(*Scenario)
}

var uncertaintyType = reflect.TypeFor[*Uncertainty]()

func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || v.Type() == uncertaintyType {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(deepCopy(v.Elem()))
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v) // scalars, unexported fields included
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				n.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			n.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(deepCopy(v.Elem()))
		return n
	}
	return v
}

// ---- validation ----

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

// paramPaths lists the key paths that can be uncertain: every Param of sc, and each
// parameter of a per-provider distribution.
func paramPaths(sc *Scenario) []string {
	var out []string
	walkParams(reflect.ValueOf(sc).Elem(), "", false, func(path string, p Param, _ bool) {
		if !p.IsDist() {
			out = append(out, path)
			return
		}
		for _, n := range distParamNames(p) {
			out = append(out, path+"."+n)
		}
	})
	return out
}

// closeMatches returns up to three candidates close to key: those it is a suffix of
// (a missing prefix), then those within a few edits, then those ending in the same key.
func closeMatches(key string, candidates []string) []string {
	var out []string
	addOnce := func(c string) {
		if len(out) < 3 && !slices.Contains(out, c) && c != key {
			out = append(out, c)
		}
	}
	for _, c := range candidates {
		if strings.HasSuffix(c, "."+key) {
			addOnce(c)
		}
	}
	type scored struct {
		c string
		d int
	}
	var near []scored
	limit := max(2, len(key)/8)
	for _, c := range candidates {
		if d := editDistance(key, c, limit); d <= limit {
			near = append(near, scored{c, d})
		}
	}
	sort.SliceStable(near, func(i, j int) bool { return near[i].d < near[j].d })
	for _, s := range near {
		addOnce(s.c)
	}
	segs := splitPath(key)
	last := segs[len(segs)-1]
	for _, c := range candidates {
		cs := splitPath(c)
		if cs[len(cs)-1] == last {
			addOnce(c)
		}
	}
	return out
}

func suggestAmong(key string, names []string) string {
	canon := make([]string, len(names))
	for i, n := range names {
		canon[i] = canonicalKey(n)
	}
	if s := closeMatches(key, canon); len(s) > 0 {
		return "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b, or limit+1 when it exceeds limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
