package plots

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// fitTicks tells the plot's tickers how long their axes will be in c, so that they
// space labels that do not collide, and breaks axis titles longer than their axis onto
// two lines. Two rounds settle it: the y labels' width depends on the ticks chosen.
func fitTicks(p *plot.Plot, c draw.Canvas) {
	for range 2 {
		dc := p.DataCanvas(c)
		if l := &p.Y.Label; l.Text != "" && !strings.Contains(l.Text, "\n") && l.TextStyle.Width(l.Text) > dc.Max.Y-dc.Min.Y {
			l.Text = splitLine(l.Text)
			dc = p.DataCanvas(c)
		}
		if l := &p.X.Label; l.Text != "" && !strings.Contains(l.Text, "\n") && l.TextStyle.Width(l.Text) > dc.Max.X-dc.Min.X {
			l.Text = splitLine(l.Text)
			dc = p.DataCanvas(c)
		}
		if t, ok := p.X.Tick.Marker.(ticker); ok {
			t.length, t.font, t.vertical = dc.Max.X-dc.Min.X, p.X.Tick.Label.Font, false
			p.X.Tick.Marker = t
		}
		if t, ok := p.Y.Tick.Marker.(ticker); ok {
			t.length, t.font, t.vertical = dc.Max.Y-dc.Min.Y, p.Y.Tick.Label.Font, true
			p.Y.Tick.Marker = t
		}
	}
}

// Characters the chart text uses. Liberation Sans has all of them; the PDF writer (code
// page 1252) gets the nearest characters it can encode, see pdfCanvas.
const (
	nnbsp = "\u202f" // narrow no-break space: Swedish thousands separator on charts
	nbsp  = "\u00a0" // no-break space: thousands separator in captions, before "%" in Swedish
	minus = "\u2212" // minus sign
)

// locale formats numbers for one language.
type locale struct {
	dec   string // decimal separator
	group string // thousands separator
	neg   string // minus sign
	pct   string // between a number and "%"
}

// chartLocale returns the number format of chart text (tick labels, annotations).
func chartLocale(lang string) locale {
	if lang == "sv" {
		return locale{dec: ",", group: nnbsp, neg: minus, pct: nbsp}
	}
	return locale{dec: ".", group: ",", neg: minus, pct: ""}
}

// textLocale returns the number format of running text (captions), where a plain
// hyphen-minus and a no-break space survive any word processor.
func textLocale(lang string) locale {
	if lang == "sv" {
		return locale{dec: ",", group: nbsp, neg: "\u2212", pct: nbsp}
	}
	return locale{dec: ".", group: ",", neg: "\u2212", pct: ""}
}

// num formats x with dec decimals, grouping thousands.
func (l locale) num(x float64, dec int) string {
	if math.IsNaN(x) {
		return "–"
	}
	if math.IsInf(x, 0) {
		if x < 0 {
			return l.neg + "∞"
		}
		return "∞"
	}
	if dec < 0 {
		dec = 0
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', dec, 64)
	neg := x < 0 && strings.Trim(s, "0.") != "" // no "−0"
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteString(l.neg)
	}
	for i, d := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(l.group)
		}
		b.WriteRune(d)
	}
	if frac != "" {
		b.WriteString(l.dec)
		b.WriteString(frac)
	}
	return b.String()
}

// auto formats x with three significant digits (at least the integer part), dropping
// trailing zeros of the decimals.
func (l locale) auto(x float64) string {
	return l.num(x, autoDecimals(x, 3))
}

// autoDecimals returns the decimals that show x to sig significant digits.
func autoDecimals(x float64, sig int) int {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	mag := int(math.Floor(math.Log10(math.Abs(x))))
	dec := sig - 1 - mag
	if dec < 0 {
		dec = 0
	}
	// Trim trailing zeros.
	for dec > 0 {
		s := strconv.FormatFloat(math.Abs(x), 'f', dec, 64)
		if s[len(s)-1] != '0' {
			break
		}
		dec--
	}
	return dec
}

// percent formats x (already in percent) with dec decimals and a "%" sign.
func (l locale) percent(x float64, dec int) string {
	return l.num(x, dec) + l.pct + "%"
}

// signedPercent is percent with an explicit "+" on positive numbers.
func (l locale) signedPercent(x float64, dec int) string {
	s := l.percent(x, dec)
	if x > 0 && strings.Trim(strconv.FormatFloat(x, 'f', dec, 64), "0.") != "" {
		s = "+" + s
	}
	return s
}

// splitLine breaks s at the space nearest its middle, preferring the start of a
// parenthesis.
func splitLine(s string) string {
	if i := strings.Index(s, " ("); i > 0 && i > len(s)/4 {
		return s[:i] + "\n" + s[i+1:]
	}
	best := -1
	for i, r := range s {
		if r == ' ' && (best < 0 || abs(i-len(s)/2) < abs(best-len(s)/2)) {
			best = i
		}
	}
	if best < 0 {
		return s
	}
	return s[:best] + "\n" + s[best+1:]
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// niceStep returns the smallest step of the form {1, 2, 5}×10^k that divides span
// into at most n intervals.
func niceStep(span float64, n int) float64 {
	if span <= 0 || n < 1 || math.IsNaN(span) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if s := m * mag; s >= raw*(1-1e-9) {
			return s
		}
	}
	return 10 * mag
}

// stepDecimals returns the decimals a tick step needs.
func stepDecimals(step float64) int {
	d := 0
	for d < 12 && math.Abs(step*math.Pow(10, float64(d))-math.Round(step*math.Pow(10, float64(d)))) > 1e-6 {
		d++
	}
	return d
}

// tickStep returns the smallest {1, 2, 5}×10^k step that puts at most n ticks in
// [min, max].
func tickStep(min, max float64, n int) float64 {
	step := niceStep(max-min, 4*n)
	for i := 0; i < 40; i++ {
		count := math.Floor(max/step+1e-9) - math.Ceil(min/step-1e-9) + 1
		if count <= float64(n) {
			return step
		}
		step = nextNice(step)
	}
	return step
}

// nextNice returns the next step up in the 1, 2, 5 sequence.
func nextNice(step float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(step)+1e-9))
	switch m := math.Round(step / mag); {
	case m < 2:
		return 2 * mag
	case m < 5:
		return 5 * mag
	}
	return 10 * mag
}

// ticker places ticks at round numbers (1, 2 or 5 × 10^k apart) and labels them in the
// chart's language.
type ticker struct {
	loc     locale
	max     int         // at most this many ticks
	pct     bool        // label with a "%" sign
	integer bool        // never a step below 1 (counts, years)
	signed  bool        // "+" on positive labels
	blank   bool        // ticks without labels (inner panels)
	limit   *[2]float64 // ticks only within these bounds, when set

	// Set by fitTicks once the plot's layout is known: the axis length and the label
	// font, so that labels keep clear of each other.
	length   vg.Length
	font     font.Font
	vertical bool
}

var _ plot.Ticker = ticker{}

// Ticks implements plot.Ticker.
func (t ticker) Ticks(min, max float64) []plot.Tick {
	n := t.max
	if n < 2 {
		n = 5
	}
	scale := float64(t.length) / (max - min) // points per unit
	if t.limit != nil {
		min, max = math.Max(min, t.limit[0]), math.Min(max, t.limit[1])
	}
	step := tickStep(min, max, n)
	if t.integer && step < 1 {
		step = 1
	}
	for i := 0; i < 20 && t.length > 0 && !t.clear(min, max, step, scale); i++ {
		step = nextNice(step)
	}
	return t.ticks(min, max, step)
}

// clear reports whether labels at step leave at least an em between neighbours (a
// line between rows on a vertical axis).
func (t ticker) clear(min, max, step, scale float64) bool {
	if t.blank {
		return true
	}
	ticks := t.ticks(min, max, step)
	if len(ticks) < 2 {
		return true
	}
	space := scale * step
	sty := textStyle(t.font, black)
	if t.vertical {
		return space >= float64(sty.FontExtents().Height)*1.6
	}
	var w vg.Length
	for _, tk := range ticks {
		w = vg.Length(math.Max(float64(w), float64(sty.Width(tk.Label))))
	}
	return space >= float64(w+sty.Width("M")*1.2)
}

func (t ticker) ticks(min, max, step float64) []plot.Tick {
	dec := stepDecimals(step)
	var ticks []plot.Tick
	first := math.Ceil(min/step - 1e-9)
	for i := first; i*step <= max+step*1e-9; i++ {
		v := i * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		lbl := ""
		if !t.blank {
			switch {
			case t.pct && t.signed:
				lbl = t.loc.signedPercent(v, dec)
			case t.pct:
				lbl = t.loc.percent(v, dec)
			default:
				lbl = t.loc.num(v, dec)
			}
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: lbl})
	}
	return ticks
}

// niceRange pads [lo, hi] by frac of its span on both sides (at least a little when
// lo == hi); zero stays a bound when the data do not cross it and zero is requested.
func niceRange(lo, hi, frac float64) (float64, float64) {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, 1
	}
	span := hi - lo
	if span <= 0 {
		span = math.Abs(hi) * 0.1
		if span == 0 {
			span = 1
		}
	}
	return lo - span*frac, hi + span*frac
}

// csvNum writes a number for machines: C locale, no exponent, ten significant digits;
// NaN is empty.
func csvNum(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	if math.IsInf(x, 1) {
		return "Inf"
	}
	if math.IsInf(x, -1) {
		return "-Inf"
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 10, 64), 64)
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
