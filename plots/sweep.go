package plots

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"ersim/results"
)

// Parameter sweeps (ersim sweep): a line per variant over one swept parameter with its
// 90 % band, a heat map per variant over a grid of two parameters, and a scatter of a
// Latin hypercube sample against its first parameter.

// SweepLine is one metric of a one-dimensional sweep (or, with Scatter, of a Latin
// hypercube sample against its first parameter).
type SweepLine struct {
	Metric         string
	Key            string      // the swept parameter's key path
	X              []float64   // its values, one per point
	Mean, P05, P95 [][]float64 // [variant][point]: mean and 5th and 95th percentiles across replications
	Scatter        bool        // points of a sample: no lines, no bands
}

// ID is the chart's file stem: sweep_METRIC, or lhs_METRIC for a scatter.
func (s *SweepLine) ID() string {
	if s.Scatter {
		return "lhs_" + s.Metric
	}
	return "sweep_" + s.Metric
}

// SweepGrid is one heat map of a two-dimensional sweep: a metric's mean for one
// variant (Baseline ""), or the variant's mean paired difference from the baseline.
type SweepGrid struct {
	Metric   string
	Keys     [2]string   // the parameters along x and y
	X, Y     []float64   // their values, ascending
	Variant  string      // the variant shown
	Baseline string      // "" for a level
	Z        [][]float64 // [x index][y index]
}

// ID is the chart's file stem: heatmap_METRIC_VARIANT or heatmap_METRIC_diff_VARIANT.
func (g *SweepGrid) ID() string {
	if g.Baseline == "" {
		return "heatmap_" + g.Metric + "_" + g.Variant
	}
	return "heatmap_" + g.Metric + "_diff_" + g.Variant
}

// DrawSweep draws the sweep charts into dir (created if needed): for each, a file per
// format in opt.Formats and a CSV of the plotted data, written atomically. variants
// are the run's variants, baseline first; reps the replications behind every point.
func DrawSweep(lines []SweepLine, grids []SweepGrid, variants []string, reps int, dir string, opt Options) ([]Chart, error) {
	if len(variants) == 0 {
		return nil, fmt.Errorf("plots: no variants")
	}
	opt, formats, err := checkOptions(opt)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	run := &results.Run{Variants: variants, Manifest: results.Manifest{Replications: reps}}
	e := newEnv(run, opt)
	var specs []*spec
	for i := range lines {
		if s := e.sweepLine(&lines[i]); s != nil {
			specs = append(specs, s)
		}
	}
	for i := range grids {
		if s := e.heatmap(&grids[i]); s != nil {
			specs = append(specs, s)
		}
	}
	var charts []Chart
	for _, s := range specs {
		c, err := e.write(s, dir, formats)
		if err != nil {
			return nil, err
		}
		charts = append(charts, c)
	}
	return charts, nil
}

// sweepLine builds a sweep's line chart (or a sample's scatter), or nil without data.
func (e *env) sweepLine(l *SweepLine) *spec {
	nv := min(len(l.Mean), len(e.vs))
	mag := newBounds()
	for v := range nv {
		for k := range l.X {
			for _, q := range [][][]float64{l.Mean, l.P05, l.P95} {
				if v < len(q) && k < len(q[v]) && finite(q[v][k]) {
					mag.add(math.Abs(q[v][k]))
				}
			}
		}
	}
	if !mag.ok() || len(l.X) == 0 {
		return nil
	}
	sc := e.scaleFor(l.Metric, mag.hi)
	f := sc.factor
	at := func(q [][]float64, v, k int) float64 {
		if v < len(q) && k < len(q[v]) {
			return q[v][k] * f
		}
		return math.NaN()
	}
	pname := e.paramName(l.Key)
	mname := e.metricName(l.Metric)
	s := &spec{id: l.ID(), w: e.th.w, h: e.th.h}
	col := l.Metric + sc.suffix
	if l.Scatter {
		s.title = e.tr(mname+" over a Latin hypercube sample", mname+" i ett latinskt hyperkubsurval")
		s.subtitle = e.tr("Each point is one sampled set of parameter values, plotted against "+lowerFirst(pname)+".",
			"Varje punkt är en dragen uppsättning parametervärden, mot "+lowerFirst(pname)+".")
		s.header = []string{"point", l.Key, "variant", "mean_" + col}
	} else {
		s.title = e.tr(mname+" as "+lowerFirst(pname)+" varies", mname+" när "+lowerFirst(pname)+" varierar")
		s.subtitle = e.tr("The other parameters at their values in the file.", "Övriga parametrar på sina värden i filen.")
		s.header = []string{l.Key, "variant", "mean_" + col, "p05_" + col, "p95_" + col}
	}
	yb := newBounds()
	xb := newBounds()
	for v := range nv {
		for k, x := range l.X {
			xb.add(x)
			if l.Scatter {
				s.rows = append(s.rows, []string{itoa(k + 1), csvNum(x), e.run.Variants[v], csvNum(at(l.Mean, v, k))})
				yb.add(at(l.Mean, v, k))
				continue
			}
			s.rows = append(s.rows, []string{csvNum(x), e.run.Variants[v], csvNum(at(l.Mean, v, k)), csvNum(at(l.P05, v, k)), csvNum(at(l.P95, v, k))})
			for _, y := range []float64{at(l.Mean, v, k), at(l.P05, v, k), at(l.P95, v, k)} {
				if finite(y) {
					yb.add(y)
				}
			}
		}
	}
	if l.Scatter {
		s.caption = e.fixPct(e.tr(
			"Each point is the mean over "+e.repsText()+" of one point of a Latin hypercube sample of the swept parameters (every parameter's range is cut into as many equal strata as there are points, and each stratum is sampled once), plotted against the first swept parameter; the scatter around a trend is the effect of the other swept parameters.",
			"Varje punkt är medelvärdet över "+e.repsText()+" i en punkt av ett latinskt hyperkubsurval av de svepta parametrarna (varje parameters spann delas i lika många lika stora skikt som det finns punkter, och varje skikt dras en gång), mot den första svepta parametern; spridningen kring en trend är effekten av de andra svepta parametrarna."))
	} else {
		s.caption = e.fixPct(e.tr(
			"Each line is a variant's mean over "+e.repsText()+" at each value of "+lowerFirst(pname)+" ("+l.Key+"), every point on the same random numbers; the band holds 90 % of replications (5th to 95th percentile). A variant that sets this parameter itself keeps its own value, and its line is flat but for chance.",
			"Varje linje är en variants medelvärde över "+e.repsText()+" vid varje värde på "+lowerFirst(pname)+" ("+l.Key+"), alla punkter på samma slumptal; bandet rymmer 90 % av replikeringarna (5:e till 95:e percentilen). En variant som själv anger parametern behåller sitt eget värde, och dess linje är flat så när som på slumpen."))
	}

	s.body = func(c draw.Canvas) {
		var entries []legendEntry
		for v := range nv {
			entries = append(entries, legendEntry{e.vs[v].label, e.lineThumb(e.vs[v], true)})
		}
		if l.Scatter {
			for i := range entries {
				v := e.vs[i]
				entries[i].thumb = func(c *draw.Canvas, r vg.Rectangle) {
					drawMarker(c, v, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, e.th.marker*0.8)
				}
			}
		} else {
			entries = append(entries, legendEntry{e.fixPct(e.tr("90 % of replications", "90 % av replikeringarna")), e.swatchThumb(alpha(e.vs[0].color, band90), nil)})
		}
		c = e.drawLegend(c, entries)
		p := e.newPlot()
		p.X.Label.Text = pname
		p.Y.Label.Text = sc.axis
		p.X.Tick.Marker = ticker{loc: e.loc, max: 8}
		p.Y.Tick.Marker = ticker{loc: e.loc, max: 8, pct: sc.pct}
		p.X.Min, p.X.Max = niceRange(xb.lo, xb.hi, 0.03)
		p.Y.Min, p.Y.Max = niceRange(yb.lo, yb.hi, 0.06)
		p.Add(e.grid(true, true))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			if !l.Scatter {
				for v := range nv {
					var pts []vg.Point
					for k, x := range l.X {
						if y := at(l.P05, v, k); finite(y) {
							pts = append(pts, vg.Point{X: tx(x), Y: ty(y)})
						}
					}
					for k := len(l.X) - 1; k >= 0; k-- {
						if y := at(l.P95, v, k); finite(y) {
							pts = append(pts, vg.Point{X: tx(l.X[k]), Y: ty(y)})
						}
					}
					if len(pts) > 2 {
						c.FillPolygon(alpha(e.vs[v].color, band90), c.ClipPolygonXY(pts))
					}
				}
			}
			r := e.th.marker * 0.8
			if l.Scatter || len(l.X) > 15 {
				r = e.th.marker * 0.6
			}
			for v := range nv {
				vs := e.vs[v]
				var line []vg.Point
				for k, x := range l.X {
					if y := at(l.Mean, v, k); finite(y) {
						line = append(line, vg.Point{X: tx(x), Y: ty(y)})
					}
				}
				if !l.Scatter && len(line) > 1 {
					c.StrokeLines(draw.LineStyle{Color: vs.color, Width: e.th.line, Dashes: vs.dash}, c.ClipLinesXY(line)...)
				}
				for _, pt := range line {
					drawMarker(&c, vs, pt, r)
				}
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// Colour scales of the heat maps: viridis for levels (dark is low), and blue – white –
// vermillion for differences, symmetric around no difference.
var (
	seqStops = []color.RGBA{{0x44, 0x01, 0x54, 0xFF}, {0x3B, 0x52, 0x8B, 0xFF}, {0x21, 0x90, 0x8C, 0xFF},
		{0x5D, 0xC8, 0x63, 0xFF}, {0xFD, 0xE7, 0x25, 0xFF}}
	divStops = []color.RGBA{{0x00, 0x5A, 0x9C, 0xFF}, {0x7F, 0xB5, 0xDB, 0xFF}, {0xF7, 0xF7, 0xF7, 0xFF},
		{0xF0, 0xA0, 0x70, 0xFF}, {0xB8, 0x40, 0x00, 0xFF}}
)

// ramp returns the colour at t ∈ [0, 1] along stops.
func ramp(stops []color.RGBA, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	x := t * float64(len(stops)-1)
	i := min(int(x), len(stops)-2)
	u := x - float64(i)
	a, b := stops[i], stops[i+1]
	mix := func(p, q uint8) uint8 { return uint8(float64(p)*(1-u) + float64(q)*u + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// onColour is black or white, whichever reads better on c.
func onColour(c color.RGBA) color.Color {
	if 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B) < 140 {
		return white
	}
	return black
}

// valueTicks labels the indices 0..n−1 with the values, every k-th one when there are
// too many to read.
func (e *env) valueTicks(vals []float64, most int) plot.ConstantTicks {
	step := max(1, (len(vals)+most-1)/most)
	var t plot.ConstantTicks
	for i, v := range vals {
		lbl := ""
		if i%step == 0 {
			lbl = e.loc.auto(v)
		}
		t = append(t, plot.Tick{Value: float64(i), Label: lbl})
	}
	return t
}

// heatmap builds one heat map of a two-dimensional sweep, or nil without data.
func (e *env) heatmap(g *SweepGrid) *spec {
	nx, ny := len(g.X), len(g.Y)
	if nx == 0 || ny == 0 || len(g.Z) < nx {
		return nil
	}
	zb := newBounds()
	for i := range nx {
		for j := range ny {
			if j < len(g.Z[i]) && finite(g.Z[i][j]) {
				zb.add(g.Z[i][j])
			}
		}
	}
	if !zb.ok() {
		return nil
	}
	sc := e.scaleFor(g.Metric, math.Max(math.Abs(zb.lo), math.Abs(zb.hi)))
	f := sc.factor
	lo, hi := zb.lo*f, zb.hi*f
	diff := g.Baseline != ""
	stops := seqStops
	if diff {
		stops = divStops
		m := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -m, m
	}
	if hi-lo <= 0 {
		d := math.Max(math.Abs(hi)*0.05, 1e-9)
		lo, hi = lo-d, hi+d
	}
	z := func(i, j int) float64 {
		if j < len(g.Z[i]) {
			return g.Z[i][j] * f
		}
		return math.NaN()
	}
	// Cell labels: three significant digits of the largest value, the same decimals in
	// every cell, and a sign on differences.
	dec := 0
	if m := math.Max(math.Abs(zb.lo), math.Abs(zb.hi)) * f; m > 0 {
		dec = max(0, 2-int(math.Floor(math.Log10(m))))
	}
	label := func(x float64) string {
		switch {
		case sc.pct && diff:
			return e.loc.signedPercent(x, dec)
		case sc.pct:
			return e.loc.percent(x, dec)
		case diff && x > 0:
			return "+" + e.loc.num(x, dec)
		}
		return e.loc.num(x, dec)
	}
	vq := e.tr("“", "”") + e.variantLabel(g.Variant) + "”"
	bl := e.tr("“", "”") + e.variantLabel(g.Baseline) + "”"
	mname := e.metricName(g.Metric)
	px, py := e.paramName(g.Keys[0]), e.paramName(g.Keys[1])
	s := &spec{id: g.ID(), w: e.th.w, h: e.th.h}
	if e.opt.Size != "slide" {
		s.h = e.th.h * 1.15
	}
	col := g.Metric + sc.suffix
	if diff {
		s.title = e.tr("Difference in "+lowerFirst(mname)+", "+vq+" − "+bl, "Skillnad i "+lowerFirst(mname)+", "+vq+" − "+bl)
		col = "diff_" + g.Metric + sc.diffSuffix()
		s.header = []string{g.Keys[0], g.Keys[1], "variant", "baseline", "mean_" + col}
	} else {
		s.title = e.tr(mname+" ("+vq+")", mname+" ("+vq+")")
		s.header = []string{g.Keys[0], g.Keys[1], "variant", "mean_" + col}
	}
	s.subtitle = e.tr("Over "+lowerFirst(px)+" and "+lowerFirst(py)+"; the other parameters at their values in the file.",
		"Över "+lowerFirst(px)+" och "+lowerFirst(py)+"; övriga parametrar på sina värden i filen.")
	for i := range nx {
		for j := range ny {
			row := []string{csvNum(g.X[i]), csvNum(g.Y[j]), g.Variant}
			if diff {
				row = append(row, g.Baseline)
			}
			s.rows = append(s.rows, append(row, csvNum(z(i, j))))
		}
	}
	what := e.tr("the mean of "+lowerFirst(mname)+" for "+vq, "medelvärdet av "+lowerFirst(mname)+" för "+vq)
	if diff {
		what = e.tr("the mean paired difference "+vq+" − "+bl+" in "+lowerFirst(mname)+" (white is no difference)",
			"medelvärdet av den parade skillnaden "+vq+" − "+bl+" i "+lowerFirst(mname)+" (vitt är ingen skillnad)")
	}
	s.caption = e.fixPct(e.tr(
		"Each cell is "+what+" over "+e.repsText()+" with "+g.Keys[0]+" at the value below it and "+g.Keys[1]+" at the value beside it, every cell on the same random numbers; the colour scale is above the map.",
		"Varje cell är "+what+" över "+e.repsText()+" med "+g.Keys[0]+" på värdet under den och "+g.Keys[1]+" på värdet bredvid den, alla celler på samma slumptal; färgskalan står ovanför kartan."))

	s.body = func(c draw.Canvas) {
		// The colour scale: a bar across the top with ticks below it.
		tf := sans(e.th.tick)
		lh := e.lineHeight(tf)
		barH := e.th.legend * 0.9
		barW := (c.Max.X - c.Min.X) * 0.55
		x0 := c.Min.X + ((c.Max.X-c.Min.X)-barW)/2
		yTop := c.Max.Y
		const n = 64
		for k := range n {
			xa := x0 + barW*vg.Length(k)/n
			xb := x0 + barW*vg.Length(k+1)/n + 0.3
			c.FillPolygon(ramp(stops, (float64(k)+0.5)/n), rectPts(vg.Rectangle{Min: vg.Point{X: xa, Y: yTop - barH}, Max: vg.Point{X: min(xb, x0+barW), Y: yTop}}))
		}
		c.StrokeLines(draw.LineStyle{Color: axisGrey, Width: e.th.thin}, append(rectPts(vg.Rectangle{Min: vg.Point{X: x0, Y: yTop - barH}, Max: vg.Point{X: x0 + barW, Y: yTop}}), vg.Point{X: x0, Y: yTop - barH}))
		tk := ticker{loc: e.loc, max: 6, pct: sc.pct, signed: diff, length: barW, font: tf}
		sty := textStyle(tf, textGrey)
		sty.XAlign = draw.XCenter
		sty.YAlign = draw.YTop
		for _, t := range tk.Ticks(lo, hi) {
			if t.Value < lo || t.Value > hi {
				continue
			}
			x := x0 + barW*vg.Length((t.Value-lo)/(hi-lo))
			c.StrokeLine2(draw.LineStyle{Color: axisGrey, Width: e.th.thin}, x, yTop-barH, x, yTop-barH-e.th.tickLength)
			c.FillText(sty, vg.Point{X: x, Y: yTop - barH - e.th.tickLength - 1}, t.Label)
		}
		unit := sc.axis
		if diff {
			unit = e.tr("Difference: ", "Skillnad: ") + lowerFirst(sc.axis)
		}
		switch {
		case sc.pct && diff:
			unit += e.tr(" (percentage points)", " (procentenheter)")
		case sc.pct:
			unit += " (%)"
		}
		lsty := textStyle(tf, black)
		lsty.XAlign = draw.XCenter
		lsty.YAlign = draw.YTop
		c.FillText(lsty, vg.Point{X: x0 + barW/2, Y: yTop - barH - e.th.tickLength - lh - 2}, unit)
		c.Max.Y = yTop - barH - e.th.tickLength - 2*lh - e.th.gap - 2

		p := e.newPlot()
		p.X.Label.Text = px
		p.Y.Label.Text = py
		if h := c.Max.Y - c.Min.Y; textWidth(p.Y.Label.TextStyle.Font, py) > h*0.85 && !strings.Contains(py, " ") {
			p.Y.Label.Text = splitKey(py)
		}
		p.X.Tick.Marker = e.valueTicks(g.X, 10)
		p.Y.Tick.Marker = e.valueTicks(g.Y, 12)
		p.X.Min, p.X.Max = -0.5, float64(nx)-0.5
		p.Y.Min, p.Y.Max = -0.5, float64(ny)-0.5
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			cw, ch := tx(1)-tx(0), ty(1)-ty(0)
			cf := sans(min(e.th.annot, ch*0.45))
			// Cell labels when every label fits its cell.
			fits := cf.Size >= 5
			for i := range nx {
				for j := range ny {
					if fits && textWidth(cf, label(z(i, j))) > cw*0.92 {
						fits = false
					}
				}
			}
			for i := range nx {
				for j := range ny {
					v := z(i, j)
					r := vg.Rectangle{Min: vg.Point{X: tx(float64(i) - 0.5), Y: ty(float64(j) - 0.5)}, Max: vg.Point{X: tx(float64(i) + 0.5), Y: ty(float64(j) + 0.5)}}
					if !finite(v) {
						c.FillPolygon(zebraGrey, rectPts(r))
						continue
					}
					clr := ramp(stops, (v-lo)/(hi-lo))
					c.FillPolygon(clr, rectPts(r))
					if fits {
						st := textStyle(cf, onColour(clr))
						st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
						c.FillText(st, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, label(v))
					}
				}
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// splitKey breaks a key path over two lines at the dot nearest its middle, for an axis
// too short to hold it.
func splitKey(key string) string {
	best := -1
	for i, r := range key {
		if r == '.' && (best < 0 || abs(i-len(key)/2) < abs(best-len(key)/2)) {
			best = i
		}
	}
	if best < 0 {
		return key
	}
	return key[:best+1] + "\n" + key[best+1:]
}
