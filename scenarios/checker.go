package scenarios

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// bounds are the values a number may take.
type bounds struct {
	lo, hi         float64
	loOpen, hiOpen bool
	required       bool // missing is a problem even though 0 would be allowed
	perProvider    bool // a distribution, drawn once per provider, is allowed
	text           string
}

func interval(lo, hi float64, loOpen, hiOpen bool) bounds {
	b := bounds{lo: lo, hi: hi, loOpen: loOpen, hiOpen: hiOpen}
	if math.IsInf(hi, 1) {
		op := ">="
		if loOpen {
			op = ">"
		}
		b.text = fmt.Sprintf("a number %s %s", op, fmtNum(lo))
		return b
	}
	left, right := "[", "]"
	if loOpen {
		left = "("
	}
	if hiOpen {
		right = ")"
	}
	b.text = fmt.Sprintf("a number in %s%s, %s%s", left, fmtNum(lo), fmtNum(hi), right)
	return b
}

func closed(lo, hi float64) bounds { return interval(lo, hi, false, false) }
func atLeast(lo float64) bounds    { return interval(lo, math.Inf(1), false, false) }

func (b bounds) called(text string) bounds { b.text = text; return b }
func (b bounds) must() bounds              { b.required = true; return b }
func (b bounds) drawn() bounds             { b.perProvider = true; return b }

func (b bounds) contains(x float64) bool {
	return !math.IsNaN(x) && (x > b.lo || !b.loOpen && x == b.lo) && (x < b.hi || !b.hiOpen && x == b.hi)
}

var (
	nonneg      = atLeast(0)
	positive    = interval(0, math.Inf(1), true, false)
	probability = closed(0, 1).called("a probability in [0, 1]")
	share       = closed(0, 1).called("a share in [0, 1]")
	anyNumber   = interval(math.Inf(-1), math.Inf(1), false, false).called("a finite number")
)

// checker collects problems. seen records the paths of the Params already checked.
type checker struct {
	probs  []problem
	seen   map[string]bool
	bounds map[string]bounds // when not nil, the bounds of every Param checked
}

func (c *checker) add(path, allowed, format string, args ...any) {
	c.probs = append(c.probs, problem{Path: path, Msg: fmt.Sprintf(format, args...), Allowed: allowed})
}

// num checks a Param against its bounds and reports whether it is usable in further
// checks (readable, finite and in range).
func (c *checker) num(path string, p Param, b bounds) bool {
	c.seen[path] = true
	if c.bounds != nil {
		c.bounds[path] = b
	}
	switch {
	case p.Problem() != "":
		// A problem that says what is allowed says it better than the bounds.
		msg, allowed, ok := strings.Cut(p.Problem(), "; allowed: ")
		if !ok {
			allowed = b.text
		}
		c.add(path, allowed, "%s", msg)
	case !p.IsSet():
		if !b.required && b.contains(0) {
			return true
		}
		c.add(path, b.text, "is missing")
	case p.IsDist() && !b.perProvider:
		c.add(path, b.text+", as a single value", "is %s; a distribution is allowed only for provider attributes (in [cohorts.NAME])", p)
	case p.IsDist():
		if msg := p.CheckDist(); msg != "" {
			c.add(path, b.text, "%s: %s", p, msg)
			return false
		}
		return c.support(path, p, b) && c.plausible(path, p, b)
	case math.IsNaN(p.Value) || math.IsInf(p.Value, 0):
		c.add(path, b.text, "%s is not a finite number", fmtNum(p.Value))
	case !b.contains(p.Value):
		c.add(path, b.text, "%s is out of range", fmtNum(p.Value))
	default:
		return c.plausible(path, p, b)
	}
	return false
}

// plausible checks a value within its bounds against its plausible maximum.
func (c *checker) plausible(path string, p Param, b bounds) bool {
	msg, m := implausible(path, p)
	if msg == "" {
		return true
	}
	c.add(path, fmt.Sprintf("%s, at most %s (ersim's plausibility bound for %s; see docs/scenario-reference.md)", b.text, fmtNum(m), path[strings.LastIndexByte(path, '.')+1:]), "%s", msg)
	return false
}

// support checks that every draw of a distribution is within bounds.
func (c *checker) support(path string, p Param, b bounds) bool {
	lo, hi := p.Support()
	// Draws of these never equal the ends of their support.
	openEnds := p.Dist == "lognormal" || p.Dist == "gamma" || p.Dist == "beta"
	low := lo < b.lo || b.loOpen && lo == b.lo && !openEnds
	high := hi > b.hi || b.hiOpen && hi == b.hi && !openEnds
	switch {
	case !low && !high:
		return true
	case low && math.IsInf(lo, -1):
		hint := "add min = " + fmtNum(b.lo)
		if b.loOpen {
			hint = "add a min above " + fmtNum(b.lo)
		}
		c.add(path, b.text, "%s has no lower bound, so draws can fall below %s: %s to truncate it", p, fmtNum(b.lo), hint)
	case high && math.IsInf(hi, 1) && p.Dist == "normal":
		hint := "add max = " + fmtNum(b.hi)
		if b.hiOpen {
			hint = "add a max below " + fmtNum(b.hi)
		}
		c.add(path, b.text, "%s has no upper bound, so draws can exceed %s: %s to truncate it", p, fmtNum(b.hi), hint)
	default:
		c.add(path, b.text, "%s can draw values in [%s, %s], outside the allowed range", p, fmtNum(lo), fmtNum(hi))
	}
	return false
}

// integer checks an integer in [lo, hi]; hi = math.MaxInt means no upper limit.
func (c *checker) integer(path string, v, lo, hi int) bool {
	if v >= lo && v <= hi {
		return true
	}
	allowed := fmt.Sprintf("an integer in [%d, %d]", lo, hi)
	if hi == math.MaxInt {
		allowed = fmt.Sprintf("an integer >= %d", lo)
	}
	if v == 0 {
		c.add(path, allowed, "is 0 or missing")
	} else {
		c.add(path, allowed, "%d is out of range", v)
	}
	return false
}

// oneOf checks a word against a fixed list, pointing out a difference only in case.
func (c *checker) oneOf(path, got, what string, options ...string) {
	if slices.Contains(options, got) {
		return
	}
	allowed := "one of " + strings.Join(options, ", ")
	if got == "" {
		c.add(path, allowed, "is missing")
		return
	}
	for _, o := range options {
		if strings.EqualFold(o, got) {
			c.add(path, allowed+" (exact spelling)", "%q is not a %s: write %q (the case matters)", got, what, o)
			return
		}
	}
	c.add(path, allowed, "%q is not a %s", got, what)
}

// ref checks that name is one of the defined names of a kind of table.
func (c *checker) ref(path, name, kind, table string, defined []string) {
	if slices.Contains(defined, name) {
		return
	}
	allowed := fmt.Sprintf("the name of a table under [%s]", table)
	list := "none is defined"
	if len(defined) > 0 {
		list = "the file defines " + strings.Join(defined, ", ")
	}
	if name == "" {
		c.add(path, allowed, "is missing; %s", list)
		return
	}
	c.add(path, allowed, "%s %q is not defined; %s", kind, name, list)
}

// sumsToOne checks that shares, each already found valid, sum to 1; names, when not
// nil, names each share in the message (a share left out counts as 0).
func (c *checker) sumsToOne(path, what string, names []string, shares []float64) {
	sum := 0.0
	terms := make([]string, len(shares))
	for i, s := range shares {
		sum += s
		terms[i] = fmtNum(s)
		if names != nil {
			terms[i] = names[i] + " " + terms[i]
		}
	}
	if math.Abs(sum-1) > 1e-6 {
		c.add(path, "shares in [0, 1] that sum to 1 (within 1e-6)",
			"the %s shares sum to %s (%s), not 1", what, strconv.FormatFloat(sum, 'g', 10, 64), strings.Join(terms, " + "))
	}
}

// uniqueNames checks that the names in a list are given and differ.
func (c *checker) uniqueNames(path string, names []string, what string) {
	first := map[string]int{}
	for i, n := range names {
		p := fmt.Sprintf("%s[%d].name", path, i)
		if n == "" {
			c.add(p, "a non-empty name, unique among the "+what, "is missing")
			continue
		}
		if j, dup := first[n]; dup {
			c.add(p, "a non-empty name, unique among the "+what, "%q is also the name of %s[%d]", n, path, j)
			continue
		}
		first[n] = i
	}
}

type field struct {
	key string
	p   Param
	b   bounds
}

func (c *checker) fields(prefix string, fs ...field) {
	for _, f := range fs {
		c.num(prefix+f.key, f.p, f.b)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fmtNum writes a number as a user would: nan, inf, 0.25, 1e+06.
func fmtNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
