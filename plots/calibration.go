package plots

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"slices"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"ersim/results"
)

// Calibration (ersim calibrate): the fit to each target, each parameter's posterior
// against its prior, the posterior of each pair of parameters, and the tolerance and
// effective sample size per generation.

// lightGrey fills the prior's shapes; histFill the prior's and (translucent blue) the
// posterior's histogram bars.
var (
	lightGrey = color.RGBA{R: 0xC8, G: 0xC8, B: 0xC8, A: 255}
	histFill  = []color.Color{lightGrey, color.NRGBA{R: palette[2].R, G: palette[2].G, B: palette[2].B, A: 0xB0}}
)

// Calibration is what the calibration charts plot.
type Calibration struct {
	Params, Targets []string
	Observed, SE    []float64 // per target
	// Lower and Upper, when not nil, are each target's range of exact fit (a point
	// target has Lower = Upper = Observed): the fit chart counts a miss from the nearer
	// end, so anywhere inside a range is 0.
	Lower, Upper []float64
	Prior        [][]float64 // generation 0's particles [particle][param], equal weights
	PriorSims    [][]float64 // their simulated targets
	Posterior    [][]float64 // the final particles
	Weights      []float64   // their normalised weights
	PostSims     [][]float64 // their simulated targets
	Epsilon, ESS []float64   // per generation (Epsilon[0] is +Inf)
	Reps         int         // replications per particle
}

// DrawCalibration draws calibration_fit, calibration_marginal_K (one per parameter),
// calibration_pair_I_J (the six pairs of parameters most strongly correlated in the
// posterior, or every pair when there are fewer) and
// calibration_generations into dir, each with the CSV of its data.
func DrawCalibration(cal Calibration, dir string, opt Options) ([]Chart, error) {
	opt, formats, err := checkOptions(opt)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	e := newEnv(&results.Run{Variants: []string{"posterior"}, Manifest: results.Manifest{Replications: cal.Reps}}, opt)
	specs := []*spec{e.calFit(&cal)}
	for i := range cal.Params {
		specs = append(specs, e.calMarginal(&cal, i))
	}
	for _, p := range strongestPairs(&cal, 6) {
		specs = append(specs, e.calPair(&cal, p[0], p[1]))
	}
	specs = append(specs, e.calGenerations(&cal))
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

// wq is the p-quantile of x with weights w (nil: equal), NaN ignored.
func wq(x, w []float64, p float64) float64 {
	idx := make([]int, 0, len(x))
	sw := 0.0
	for i, v := range x {
		if finite(v) {
			idx = append(idx, i)
			sw += wt(w, i)
		}
	}
	if len(idx) == 0 {
		return math.NaN()
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	acc := 0.0
	for _, i := range idx {
		acc += wt(w, i) / sw
		if acc >= p {
			return x[i]
		}
	}
	return x[idx[len(idx)-1]]
}

func wt(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

func column(rows [][]float64, j int) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = r[j]
	}
	return out
}

// calFit: each target's prior and posterior predictive 95 % intervals, in standard
// errors from the observed value.
func (e *env) calFit(cal *Calibration) *spec {
	n := len(cal.Targets)
	s := &spec{id: "calibration_fit", w: e.th.w, h: max(e.th.h, vg.Length(float64(n)*0.7+4.5)*vg.Centimeter)}
	s.title = e.tr("Calibration: fit to each target", "Kalibrering: anpassning till varje mål")
	s.subtitle = e.tr("In standard errors from the observed value (0): grey before calibration, blue after.",
		"I standardfel från det observerade värdet (0): grått före kalibreringen, blått efter.")
	s.header = []string{"target", "observed", "se", "prior_lo95", "prior_hi95", "posterior_mean", "posterior_lo95", "posterior_hi95"}
	type row struct{ plo, phi, m, lo, hi float64 }
	rows := make([]row, n)
	for j := range cal.Targets {
		z := func(x float64) float64 {
			ref := cal.Observed[j]
			if cal.Lower != nil {
				ref = max(cal.Lower[j], min(cal.Upper[j], x))
			}
			return (x - ref) / cal.SE[j]
		}
		ps, qs := column(cal.PriorSims, j), column(cal.PostSims, j)
		m := 0.0
		for k, v := range qs {
			m += cal.Weights[k] * v
		}
		raw := row{wq(ps, nil, 0.025), wq(ps, nil, 0.975), m, wq(qs, cal.Weights, 0.025), wq(qs, cal.Weights, 0.975)}
		rows[j] = row{z(raw.plo), z(raw.phi), z(raw.m), z(raw.lo), z(raw.hi)}
		s.rows = append(s.rows, []string{cal.Targets[j], csvNum(cal.Observed[j]), csvNum(cal.SE[j]),
			csvNum(raw.plo), csvNum(raw.phi), csvNum(raw.m), csvNum(raw.lo), csvNum(raw.hi)})
	}
	s.caption = e.tr(
		"For each calibration target, the range that 95 % of simulated values fall in when the parameters are drawn from their priors (grey) and from the posterior (blue, with its mean as a dot), each "+e.repsText()+" a parameter set, measured in standard errors of the observed value from the observed value itself (for a target given as a range, from the range's nearer end: 0 is anywhere inside it). The shaded band is ±1.96 standard errors: a blue interval that overlaps it is a target the calibrated model reproduces. The values themselves are in the CSV.",
		"För varje kalibreringsmål: spannet som 95 % av de simulerade värdena faller i när parametrarna dras ur sina a priori-fördelningar (grått) och ur a posteriori-fördelningen (blått, med medelvärdet som en punkt), vardera "+e.repsText()+" per parameteruppsättning, mätt i det observerade värdets standardfel från det observerade värdet (för ett mål som anges som ett intervall: från intervallets närmaste ände, så att 0 är var som helst inuti det). Det skuggade bandet är ±1,96 standardfel: ett blått intervall som når in i det är ett mål som den kalibrerade modellen återger. Själva värdena finns i CSV-filen.")
	names := make([]string, n)
	xb := newBounds()
	xb.add(-2, 2)
	for j, r := range rows {
		names[n-1-j] = cal.Targets[j]
		for _, v := range []float64{r.plo, r.phi, r.lo, r.hi} {
			if finite(v) {
				xb.add(max(-50, min(50, v)))
			}
		}
	}
	s.body = func(c draw.Canvas) {
		c = e.drawLegend(c, []legendEntry{
			{e.tr("Prior predictive, 95 %", "Före kalibrering, 95 %"), e.swatchThumb(lightGrey, nil)},
			{e.tr("Posterior predictive, 95 %", "Efter kalibrering, 95 %"), e.swatchThumb(palette[2], nil)},
		})
		p := e.newPlot()
		p.Y.Tick.Marker = categoryTicks(names)
		p.Y.Tick.Length = 0
		p.Y.Tick.Label.Color = black
		p.X.Label.Text = e.tr("Standard errors from the observed value", "Standardfel från det observerade värdet")
		lo, hi := niceRange(xb.lo, xb.hi, 0.06)
		p.X.Min, p.X.Max = lo, hi
		p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
		p.Add(e.grid(true, false))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			c.FillPolygon(zebraGrey, rectPts(vg.Rectangle{Min: vg.Point{X: tx(-1.96), Y: c.Min.Y}, Max: vg.Point{X: tx(1.96), Y: c.Max.Y}}))
			clip := func(v float64) float64 { return max(pl.X.Min, min(pl.X.Max, v)) }
			for j, r := range rows {
				y := ty(float64(n - 1 - j))
				h := (ty(1) - ty(0)) * 0.16
				if finite(r.plo, r.phi) {
					c.FillPolygon(lightGrey, rectPts(vg.Rectangle{Min: vg.Point{X: tx(clip(r.plo)), Y: y + h*0.3}, Max: vg.Point{X: tx(clip(r.phi)), Y: y + h*1.5}}))
				}
				if finite(r.lo, r.hi, r.m) {
					c.FillPolygon(palette[2], rectPts(vg.Rectangle{Min: vg.Point{X: tx(clip(r.lo)), Y: y - h*1.5}, Max: vg.Point{X: tx(clip(r.hi)), Y: y - h*0.3}}))
					c.DrawGlyph(draw.GlyphStyle{Color: black, Radius: e.th.line * 1.6, Shape: draw.CircleGlyph{}}, vg.Point{X: tx(clip(r.m)), Y: y - h*0.9})
				}
			}
			c.StrokeLine2(draw.LineStyle{Color: black, Width: e.th.thin * 1.5}, tx(0), c.Min.Y, tx(0), c.Max.Y)
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// calMarginal: a parameter's posterior (weighted) against its prior, as histograms.
func (e *env) calMarginal(cal *Calibration, i int) *spec {
	name := cal.Params[i]
	s := &spec{id: fmt.Sprintf("calibration_marginal_%d", i+1), w: e.th.w, h: e.th.h}
	s.title = e.tr("Calibration: ", "Kalibrering: ") + e.paramName(name)
	s.subtitle = e.tr("Prior (grey) and posterior (blue): the narrower the blue, the more the targets tell about it.",
		"A priori (grått) och a posteriori (blått): ju smalare det blå, desto mer säger målen om parametern.")
	prior, post := column(cal.Prior, i), column(cal.Posterior, i)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range slices.Concat(prior, post) {
		if finite(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if !(hi > lo) {
		lo, hi = lo-0.5, hi+0.5
	}
	const bins = 30
	hist := func(x, w []float64) []float64 {
		h := make([]float64, bins)
		sw := 0.0
		for k, v := range x {
			if finite(v) {
				b := min(bins-1, int((v-lo)/(hi-lo)*bins))
				h[b] += wt(w, k)
				sw += wt(w, k)
			}
		}
		for b := range h {
			h[b] /= sw * (hi - lo) / bins
		}
		return h
	}
	hp, hq := hist(prior, nil), hist(post, cal.Weights)
	s.header = []string{"bin_low", "bin_high", "prior_density", "posterior_density"}
	top := 0.0
	for b := range bins {
		s.rows = append(s.rows, []string{csvNum(lo + (hi-lo)*float64(b)/bins), csvNum(lo + (hi-lo)*float64(b+1)/bins), csvNum(hp[b]), csvNum(hq[b])})
		top = max(top, hp[b], hq[b])
	}
	s.caption = e.tr(
		"The distribution of "+name+" in the prior sample (grey; generation 0, drawn from its [uncertainty] distribution) and in the calibrated posterior (blue; the final particles, weighted), as densities over 30 bins. A posterior as wide as the prior means the targets do not identify the parameter.",
		"Fördelningen av "+name+" i a priori-urvalet (grått; generation 0, draget ur fördelningen i [uncertainty]) och i den kalibrerade a posteriori-fördelningen (blått; de slutliga partiklarna, viktade), som täthet över 30 intervall. En a posteriori-fördelning lika bred som a priori betyder att målen inte identifierar parametern.")
	s.body = func(c draw.Canvas) {
		c = e.drawLegend(c, []legendEntry{
			{e.tr("Prior", "A priori"), e.swatchThumb(lightGrey, nil)},
			{e.tr("Posterior", "A posteriori"), e.swatchThumb(histFill[1], nil)},
		})
		p := e.newPlot()
		p.X.Label.Text = e.paramName(name)
		p.Y.Label.Text = e.tr("Density", "Täthet")
		p.X.Min, p.X.Max = lo, hi
		p.Y.Min, p.Y.Max = 0, max(top*1.08, 1e-12)
		p.Add(e.grid(false, true))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			for pass, h := range [][]float64{hp, hq} {
				for b := range bins {
					x0, x1 := lo+(hi-lo)*float64(b)/bins, lo+(hi-lo)*float64(b+1)/bins
					r := vg.Rectangle{Min: vg.Point{X: tx(x0), Y: ty(0)}, Max: vg.Point{X: tx(x1), Y: ty(h[b])}}
					if h[b] > 0 {
						c.FillPolygon(histFill[pass], rectPts(r))
					}
				}
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// calPair: the posterior particles of two parameters, sized by weight.
func (e *env) calPair(cal *Calibration, i, j int) *spec {
	s := &spec{id: fmt.Sprintf("calibration_pair_%d_%d", i+1, j+1), w: e.th.w, h: e.th.h}
	s.title = e.tr("Calibration: posterior of two parameters", "Kalibrering: två parametrar a posteriori")
	s.subtitle = e.tr("Each dot a particle, its area its weight; a ridge means the targets identify a combination, not each.",
		"Varje punkt en partikel, ytan dess vikt; en ås betyder att målen identifierar en kombination, inte var och en.")
	x, y := column(cal.Posterior, i), column(cal.Posterior, j)
	s.header = []string{cal.Params[i], cal.Params[j], "weight"}
	xb, yb := newBounds(), newBounds()
	for k := range x {
		s.rows = append(s.rows, []string{csvNum(x[k]), csvNum(y[k]), csvNum(cal.Weights[k])})
		if finite(x[k], y[k]) {
			xb.add(x[k])
			yb.add(y[k])
		}
	}
	s.caption = e.tr(
		"The final particles of the calibration, "+cal.Params[i]+" against "+cal.Params[j]+"; the area of each dot is proportional to its weight. Particles spread along a line or curve mean that the targets fix a combination of the two parameters but not each of them: a further target that moves one without the other would separate them.",
		"Kalibreringens slutliga partiklar, "+cal.Params[i]+" mot "+cal.Params[j]+"; varje punkts yta är proportionell mot dess vikt. Partiklar utspridda längs en linje eller kurva betyder att målen bestämmer en kombination av de två parametrarna men inte var och en: ett ytterligare mål som flyttar den ena utan den andra skulle skilja dem åt.")
	wmax := slices.Max(cal.Weights)
	s.body = func(c draw.Canvas) {
		p := e.newPlot()
		p.X.Label.Text = e.paramName(cal.Params[i])
		p.Y.Label.Text = e.paramName(cal.Params[j])
		p.X.Min, p.X.Max = niceRange(xb.lo, xb.hi, 0.05)
		p.Y.Min, p.Y.Max = niceRange(yb.lo, yb.hi, 0.05)
		p.Add(e.grid(true, true))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			for k := range x {
				if !finite(x[k], y[k]) || wmax <= 0 {
					continue
				}
				r := e.th.line * (0.8 + 2.2*vg.Length(math.Sqrt(cal.Weights[k]/wmax)))
				c.DrawGlyph(draw.GlyphStyle{Color: palette[2], Radius: r, Shape: draw.RingGlyph{}}, vg.Point{X: tx(x[k]), Y: ty(y[k])})
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// calGenerations: the tolerance and the effective sample size per generation.
func (e *env) calGenerations(cal *Calibration) *spec {
	s := &spec{id: "calibration_generations", w: e.th.w, h: e.th.h}
	s.title = e.tr("Calibration: tolerance by generation", "Kalibrering: tolerans per generation")
	s.subtitle = e.tr("The tolerance should fall and level off; the label at each point is the effective sample size.",
		"Toleransen bör falla och plana ut; siffran vid varje punkt är den effektiva urvalsstorleken.")
	s.header = []string{"generation", "tolerance", "ess"}
	yb := newBounds()
	for g := range cal.Epsilon {
		s.rows = append(s.rows, []string{itoa(g), csvNum(cal.Epsilon[g]), csvNum(cal.ESS[g])})
		if g > 0 && finite(cal.Epsilon[g]) {
			yb.add(cal.Epsilon[g])
		}
	}
	yb.add(0)
	s.caption = e.tr(
		"The tolerance of each generation of the ABC-SMC calibration (the distance to the targets, in standard errors, within which a parameter set is kept; generation 0 is the prior sample and has none), with each generation's effective sample size beside its point. Few effective particles mean the posterior rests on few parameter sets: run more particles.",
		"Toleransen i varje generation av ABC-SMC-kalibreringen (avståndet till målen, i standardfel, inom vilket en parameteruppsättning behålls; generation 0 är a priori-urvalet och har ingen), med generationens effektiva urvalsstorlek vid punkten. Få effektiva partiklar betyder att a posteriori-fördelningen vilar på få parameteruppsättningar: kör fler partiklar.")
	s.body = func(c draw.Canvas) {
		p := e.newPlot()
		p.X.Label.Text = e.tr("Generation", "Generation")
		p.Y.Label.Text = e.tr("Tolerance (standard errors)", "Tolerans (standardfel)")
		p.X.Tick.Marker = ticker{loc: e.loc, max: 8, integer: true}
		p.X.Min, p.X.Max = 0.5, float64(max(2, len(cal.Epsilon)))-0.5
		p.Y.Min, p.Y.Max = 0, max(yb.hi*1.12, 1e-9)
		p.Add(e.grid(true, true))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			var line []vg.Point
			for g := 1; g < len(cal.Epsilon); g++ {
				if finite(cal.Epsilon[g]) {
					line = append(line, vg.Point{X: tx(float64(g)), Y: ty(cal.Epsilon[g])})
				}
			}
			if len(line) > 1 {
				c.StrokeLines(draw.LineStyle{Color: palette[2], Width: e.th.line}, line)
			}
			sty := textStyle(sans(e.th.annot), textGrey)
			sty.XAlign = draw.XCenter
			for k, pt := range line {
				c.DrawGlyph(draw.GlyphStyle{Color: palette[2], Radius: e.th.line * 1.8, Shape: draw.CircleGlyph{}}, pt)
				c.FillText(sty, vg.Point{X: pt.X, Y: pt.Y + e.th.line*3}, "ESS "+e.loc.auto(math.Round(cal.ESS[k+1])))
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// strongestPairs returns the n pairs of parameters (i < j) whose posterior correlation
// is largest in absolute value, in the order i, j: where the calibration left a
// trade-off between two parameters, which the pair charts are there to show.
func strongestPairs(cal *Calibration, n int) [][2]int {
	type pair struct {
		i, j int
		r    float64
	}
	var ps []pair
	for i := range cal.Params {
		for j := i + 1; j < len(cal.Params); j++ {
			r := math.Abs(weightedCorrelation(column(cal.Posterior, i), column(cal.Posterior, j), cal.Weights))
			if math.IsNaN(r) {
				r = 0
			}
			ps = append(ps, pair{i, j, r})
		}
	}
	sort.SliceStable(ps, func(a, b int) bool { return ps[a].r > ps[b].r })
	ps = ps[:min(n, len(ps))]
	sort.SliceStable(ps, func(a, b int) bool { return ps[a].i < ps[b].i || ps[a].i == ps[b].i && ps[a].j < ps[b].j })
	out := make([][2]int, len(ps))
	for k, p := range ps {
		out[k] = [2]int{p.i, p.j}
	}
	return out
}

// weightedCorrelation is the weighted Pearson correlation of x and y.
func weightedCorrelation(x, y, w []float64) float64 {
	sw, mx, my := 0.0, 0.0, 0.0
	for k := range x {
		sw += w[k]
		mx += w[k] * x[k]
		my += w[k] * y[k]
	}
	mx, my = mx/sw, my/sw
	sxy, sxx, syy := 0.0, 0.0, 0.0
	for k := range x {
		dx, dy := x[k]-mx, y[k]-my
		sxy += w[k] * dx * dy
		sxx += w[k] * dx * dx
		syy += w[k] * dy * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}
