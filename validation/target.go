package validation

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is the kind of a validation target (issue 4).
type Kind string

// The four kinds of target.
const (
	Verification Kind = "verification"
	Directional  Kind = "directional"
	HeldOut      Kind = "quantitative (held out)"
	Calibration  Kind = "calibration check"
)

// Band is an acceptance band: an interval, each end open or closed, possibly infinite.
type Band struct {
	Lo, Hi         float64
	LoOpen, HiOpen bool
}

// Closed returns the band [lo, hi].
func Closed(lo, hi float64) Band { return Band{Lo: lo, Hi: hi} }

// Positive is the band (0, +∞): the sign holds.
var Positive = Band{Lo: 0, Hi: math.Inf(1), LoOpen: true, HiOpen: true}

// Negative is the band (−∞, 0).
var Negative = Band{Lo: math.Inf(-1), Hi: 0, LoOpen: true, HiOpen: true}

// Contains reports whether x lies in the band.
func (b Band) Contains(x float64) bool {
	if math.IsNaN(x) {
		return false
	}
	lo := x >= b.Lo
	if b.LoOpen {
		lo = x > b.Lo
	}
	hi := x <= b.Hi
	if b.HiOpen {
		hi = x < b.Hi
	}
	return lo && hi
}

// String writes the band as "[1.15, 1.45]" or "(0, +inf)"; ParseBand reads it back.
func (b Band) String() string {
	l, r := "[", "]"
	if b.LoOpen {
		l = "("
	}
	if b.HiOpen {
		r = ")"
	}
	return l + bandNum(b.Lo) + ", " + bandNum(b.Hi) + r
}

func bandNum(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "+inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// ParseBand reads a band written by Band.String.
func ParseBand(s string) (Band, error) {
	s = strings.TrimSpace(s)
	if len(s) < 5 {
		return Band{}, fmt.Errorf("band %q: too short", s)
	}
	var b Band
	switch s[0] {
	case '(':
		b.LoOpen = true
	case '[':
	default:
		return Band{}, fmt.Errorf("band %q: must start with ( or [", s)
	}
	switch s[len(s)-1] {
	case ')':
		b.HiOpen = true
	case ']':
	default:
		return Band{}, fmt.Errorf("band %q: must end with ) or ]", s)
	}
	parts := strings.Split(s[1:len(s)-1], ",")
	if len(parts) != 2 {
		return Band{}, fmt.Errorf("band %q: want two ends", s)
	}
	var err error
	if b.Lo, err = parseEnd(parts[0]); err != nil {
		return Band{}, fmt.Errorf("band %q: %v", s, err)
	}
	if b.Hi, err = parseEnd(parts[1]); err != nil {
		return Band{}, fmt.Errorf("band %q: %v", s, err)
	}
	return b, nil
}

func parseEnd(s string) (float64, error) {
	switch s = strings.TrimSpace(s); s {
	case "+inf", "inf":
		return math.Inf(1), nil
	case "-inf":
		return math.Inf(-1), nil
	}
	return strconv.ParseFloat(s, 64)
}

// Verdicts.
const (
	Pass      = "pass"
	Fail      = "fail"
	NotJudged = "not judged"
)

// Decide applies issue 4's verdict rule: a target passes when its whole 95 % interval
// lies within the acceptance band. For a directional target the band is one side of
// zero, so it passes when the sign holds at the 5 % level. A row without a band (an
// accompanying statistic the issue gives no acceptance band for) is not judged.
func Decide(b *Band, ciLo, ciHi float64) string {
	if b == nil {
		return NotJudged
	}
	if b.Contains(ciLo) && b.Contains(ciHi) {
		return Pass
	}
	return Fail
}

// Target is one row of the validation table.
type Target struct {
	ID        string // "6", "3a": the target number and, for a target with several published claims, a letter per claim
	Number    int    // the target number (1–10)
	Kind      Kind
	Study     string // citation
	Scenario  string // the scenario file (without .toml) that computes it
	Quantity  string // what is estimated
	Unit      string
	Published string // the published value, as the study gives it
	Band      *Band  // acceptance band; nil: reported, not judged
	// Calibrated lists the parameters calibrated against this target ("none" for the
	// held-out, verification and directional targets).
	Calibrated string
	// IfFail says what the model would need for the target to pass; it is printed only
	// when the target fails.
	IfFail string
}

// Result is a target with its estimate and verdict.
type Result struct {
	Target
	Replications int
	Estimate     float64
	CILo, CIHi   float64 // 95 % interval of the estimate (Monte Carlo)
	MCSE         float64 // Monte Carlo standard error
	Verdict      string
	Note         string // how the estimate was computed, and what it rests on
	// Detail is the Markdown that explains the estimates of the target's scenario (the
	// same for every target of a scenario).
	Detail string
}
