package plots

import (
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"ersim/model"
)

// forestSkip says which metrics the forest plot leaves out: cumulated duplicates of the
// yearly metrics, the payment streams (whose swings of several hundred per cent would
// squash everything else), and two metrics that are fixed multiples of others.
func forestSkip(m string) bool {
	return strings.HasSuffix(m, "_total") || strings.HasSuffix(m, "_total_disc") ||
		strings.HasPrefix(m, "payments_") || m == "visits" || m == "provider_admin_cost"
}

// forest: every metric's paired difference from the baseline with its 95 % confidence
// interval, in per cent of the baseline mean; a row per metric, a colour per variant.
func (e *env) forest() *spec {
	type est struct {
		v           int
		rel, lo, hi float64
	}
	type row struct {
		m    string
		ests []est
	}
	var rows []row
	for _, mt := range model.Metrics {
		if forestSkip(mt.Name) {
			continue
		}
		r := row{m: mt.Name}
		for i := 1; i < len(e.run.Variants); i++ {
			d := e.run.FindDiff(e.run.Variants[i], mt.Name, "all", "all")
			if d == nil || !finite(d.BaseMean, d.Mean) || d.BaseMean == 0 {
				continue
			}
			b := math.Abs(d.BaseMean)
			rel := d.Relative
			if !finite(rel) {
				rel = d.Mean / b
			}
			r.ests = append(r.ests, est{i, 100 * rel, 100 * d.CILo / b, 100 * d.CIHi / b})
		}
		if len(r.ests) > 0 {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}

	// The axis shows every interval unless a few extreme estimates would squash the
	// rest: then it stops at a round limit and those show as arrows with their values.
	var mags []float64
	all := newBounds()
	for _, r := range rows {
		for _, x := range r.ests {
			mags = append(mags, math.Abs(x.rel))
			all.add(x.lo, x.hi, x.rel)
		}
	}
	sort.Float64s(mags)
	lo, hi := math.Min(all.lo, 0), math.Max(all.hi, 0)
	limit := quantile(mags, 0.9) * 1.1
	if limit > 0 {
		step := niceStep(limit, 4)
		limit = math.Ceil(limit/step) * step
	}
	clipLo, clipHi := lo, hi
	if limit > 0 && (hi > 1.5*limit || -lo > 1.5*limit) {
		clipLo, clipHi = math.Max(lo, -limit), math.Min(hi, limit)
	}
	clipped := clipLo > lo || clipHi < hi
	valueText := func(x float64) string { return e.loc.signedPercent(x, 0) }

	nrows := len(rows)
	s := &spec{id: "forest", w: e.th.w, h: e.th.h}
	if e.opt.Size != "slide" {
		nv := len(e.run.Variants) - 1
		rowH := 0.45 + 0.12*float64(max(nv-1, 0))
		s.h = max(e.th.h, vg.Length(float64(nrows)*rowH+4.2)*vg.Centimeter)
	}
	s.title = e.tr("Differences from the baseline, all metrics", "Skillnader mot jämförelsealternativet, alla mått")
	s.header = []string{"metric", "variant", "baseline", "relative_diff_pct", "ci_low_pct", "ci_high_pct"}
	for _, r := range rows {
		for _, x := range r.ests {
			s.rows = append(s.rows, []string{r.m, e.run.Variants[x.v], e.run.Variants[0], csvNum(x.rel), csvNum(x.lo), csvNum(x.hi)})
		}
	}
	clipText := ""
	if clipped {
		clipText = e.tr(" Differences beyond the edge of the axis are drawn as arrows with their value.",
			" Skillnader bortom axelns kant ritas som pilar med sitt värde.")
	}
	s.caption = e.fixPct(e.tr(
		"Each row is a metric: the point is a variant's mean difference from the baseline "+e.baselineText()+" as a percentage of the baseline's mean, and the line its 95 % confidence interval from "+e.repsText()+" paired on the same random numbers; rows where the line does not cross 0 show a difference beyond chance."+clipText+" Left out: the cumulated totals (same change as the yearly values), the separate payment streams, visits (same change as visits per 1,000) and providers' administrative cost (same change as their hours).",
		"Varje rad är ett mått: punkten är en variants medelskillnad mot jämförelsealternativet "+e.baselineText()+" i procent av dess medelvärde, och strecket dess 95-procentiga konfidensintervall från "+e.repsText()+" parade på samma slumptal; rader där strecket inte korsar 0 visar en skillnad som inte är slump."+clipText+" Utelämnade: de ackumulerade summorna (samma förändring som årsvärdena), de enskilda ersättningsströmmarna, antal besök (samma förändring som besök per 1 000 invånare) och vårdgivarnas administrationskostnad (samma förändring som deras tid)."))

	s.body = func(c draw.Canvas) {
		var entries []legendEntry
		for i := 1; i < len(e.run.Variants); i++ {
			entries = append(entries, legendEntry{e.vs[i].label, e.lineThumb(solid(e.vs[i]), true)})
		}
		c = e.drawLegend(c, entries)
		p := e.newPlot()
		names := make([]string, nrows)
		for k, r := range rows {
			names[nrows-1-k] = e.metricName(r.m)
		}
		labelSize := e.th.forestLabel
		if e.opt.Size == "slide" {
			// Fit the rows into the slide's height.
			avail := c.Max.Y - c.Min.Y - 3*e.th.label
			labelSize = min(e.th.forestLabel, max(9, avail/vg.Length(nrows)/1.25))
		}
		p.Y.Tick.Marker = categoryTicks(names)
		p.Y.Tick.Length = 0
		p.Y.Tick.Label.Font = sans(labelSize)
		p.Y.Tick.Label.Color = black
		p.X.Label.Text = e.tr("Difference from "+e.baselineText()+" (% of its mean)", "Skillnad mot "+e.baselineText()+" (% av dess medelvärde)")
		p.X.Tick.Marker = ticker{loc: e.loc, max: 9, pct: true, signed: true, limit: &[2]float64{clipLo, clipHi}}
		span := clipHi - clipLo
		p.X.Min, p.X.Max = clipLo-span*0.04, clipHi+span*0.04
		// inside: there is no room for the clipped values' labels beyond the axis's
		// ends (long labels at both ends), so they stand inside them, beside the arrows.
		inside := false
		if clipped {
			// Margins beyond the clipped ends for the arrows and their values, sized
			// from the width the data will get.
			var labelW vg.Length
			for _, n := range names {
				labelW = max(labelW, textWidth(sans(labelSize), n))
			}
			dataW := c.Max.X - c.Min.X - labelW - e.th.tick
			// Several clipped values in a row stand side by side.
			var wl, wr vg.Length
			af := sans(min(e.th.annot, labelSize))
			gap := textWidth(af, "  ")
			for _, r := range rows {
				var rl, rr vg.Length
				for _, x := range r.ests {
					w := textWidth(af, valueText(x.rel)) + gap
					if x.rel > clipHi {
						rr += w
					}
					if x.rel < clipLo {
						rl += w
					}
				}
				wr, wl = max(wr, rr+e.th.marker*2.5), max(wl, rl+e.th.marker*2.5)
			}
			// margin m in data units: m/(span*1.08 + ml + mr) of dataW is w.
			frac := func(w vg.Length) float64 { return float64(w / dataW) }
			denom := 1 - frac(wl) - frac(wr)
			if denom > 0.3 {
				total := span * 1.08 / denom
				p.X.Min = clipLo - span*0.04 - total*frac(wl)
				p.X.Max = clipHi + span*0.04 + total*frac(wr)
			} else {
				inside = true
			}
		}
		p.Y.Min, p.Y.Max = -0.6, float64(nrows)-0.4
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			// Zebra rows help the eye along a row.
			_, ty := pl.Transforms(&c)
			for k := 0; k < nrows; k += 2 {
				y := float64(nrows - 1 - k)
				c.FillPolygon(zebraGrey, rectPts(vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: ty(y - 0.5)}, Max: vg.Point{X: c.Max.X, Y: ty(y + 0.5)}}))
			}
		}))
		p.Add(e.grid(true, false))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			c.StrokeLine2(draw.LineStyle{Color: black, Width: e.th.thin * 2}, tx(0), c.Min.Y, tx(0), c.Max.Y)
			nv := len(e.run.Variants) - 1
			off := 0.0
			if nv > 1 {
				off = math.Min(0.7/float64(nv), 0.3)
			}
			sty := textStyle(sans(min(e.th.annot, labelSize)), textGrey)
			sty.YAlign = draw.YCenter
			pitch := ty(1) - ty(0)
			r := min(e.th.marker*0.9, pitch*0.2)
			if nv > 1 {
				// Markers of neighbouring variants may touch, not hide each other.
				r = min(r, max(pitch*vg.Length(off)*0.55, pitch*0.16))
			}
			gap := textWidth(sty.Font, "  ")
			for k, row := range rows {
				// Where the next clipped value's label goes, right and left.
				nextR, nextL := tx(clipHi)+r*2.2, tx(clipLo)-r*2.2
				if inside {
					nextR, nextL = tx(clipHi)-r*1.2, tx(clipLo)+r*1.2
				}
				for _, x := range row.ests {
					v := e.vs[x.v]
					y := float64(nrows-1-k) + off*((float64(nv)-1)/2-float64(x.v-1))
					py := ty(y)
					a, b := math.Max(x.lo, clipLo), math.Min(x.hi, clipHi)
					ls := draw.LineStyle{Color: v.color, Width: e.th.line}
					if a <= b {
						c.StrokeLine2(ls, tx(a), py, tx(b), py)
					}
					switch {
					case x.rel > clipHi:
						e.arrow(&c, v, tx(clipHi), py, r, 1)
						if inside {
							sty.XAlign = draw.XRight
							c.FillText(sty, vg.Point{X: nextR, Y: py}, valueText(x.rel))
							nextR -= textWidth(sty.Font, valueText(x.rel)) + gap
							break
						}
						sty.XAlign = draw.XLeft
						c.FillText(sty, vg.Point{X: nextR, Y: py}, valueText(x.rel))
						nextR += textWidth(sty.Font, valueText(x.rel)) + gap
					case x.rel < clipLo:
						e.arrow(&c, v, tx(clipLo), py, r, -1)
						if inside {
							sty.XAlign = draw.XLeft
							c.FillText(sty, vg.Point{X: nextL, Y: py}, valueText(x.rel))
							nextL += textWidth(sty.Font, valueText(x.rel)) + gap
							break
						}
						sty.XAlign = draw.XRight
						c.FillText(sty, vg.Point{X: nextL, Y: py}, valueText(x.rel))
						nextL -= textWidth(sty.Font, valueText(x.rel)) + gap
					default:
						drawMarker(&c, v, vg.Point{X: tx(x.rel), Y: py}, r)
					}
				}
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// solid returns the style with a solid line (the forest's intervals are short; dashes
// would break them up).
func solid(v vstyle) vstyle { v.dash = nil; return v }

// arrow draws a filled arrowhead at x pointing right (dir 1) or left (−1).
func (e *env) arrow(c *draw.Canvas, v vstyle, x, y, r vg.Length, dir float64) {
	d := vg.Length(dir)
	c.FillPolygon(v.color, []vg.Point{{X: x + d*r*1.5, Y: y}, {X: x - d*r*0.3, Y: y + r}, {X: x - d*r*0.3, Y: y - r}})
}
