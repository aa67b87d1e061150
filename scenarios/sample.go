package scenarios

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"ersim/dist"
)

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
	es, err := u.entries()
	if err != nil {
		return nil, err
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
	if err := c.correlate(u.Correlations); err != nil {
		return nil, err
	}
	return c, nil
}

// entry is one uncertain key before compilation.
type entry struct {
	key       string
	marg      Param
	low, high *float64
	dirichlet bool
}

// entries lists the keys of Params and of the Dirichlet groups, unsorted.
func (u *Uncertainty) entries() ([]entry, error) {
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
	return es, nil
}

// correlate compiles the correlation matrices into copula factors over c's keys.
func (c *compiled) correlate(correlations []Correlation) error {
	inGroup := map[int]bool{}
	for gi, cr := range correlations {
		n := len(cr.Params)
		if n < 2 || len(cr.Rank) != n {
			return fmt.Errorf("correlations[%d]: need an n×n matrix over at least 2 keys", gi)
		}
		g := corrGroup{}
		for _, k := range cr.Params {
			i, ok := c.index[canonicalKey(k)]
			if !ok || c.dirichlet[i] || inGroup[i] {
				return fmt.Errorf("correlations[%d]: %s is not an uncertain parameter of its own", gi, k)
			}
			inGroup[i] = true
			g.idx = append(g.idx, i)
		}
		if msg := dist.CheckRank(cr.Rank); msg != "" {
			return fmt.Errorf("correlations[%d]: %s", gi, msg)
		}
		f, err := dist.CopulaFactor(cr.Rank)
		if err != nil {
			return fmt.Errorf("correlations[%d]: %v", gi, err)
		}
		g.factor = f
		c.groups = append(c.groups, g)
	}
	return nil
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
