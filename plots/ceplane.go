package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// cePlane is the cost-effectiveness plane (issue 15): each variant's difference from
// the baseline in health (x) and in the payer's cost (y), replication by replication,
// with the mean and its 95 % intervals, and the willingness-to-pay line at the
// scenario's value of a health unit. Below the line a variant is cost-effective.
func (e *env) cePlane() *spec {
	if len(e.run.Variants) < 2 || len(e.run.CE) == 0 {
		return nil
	}
	base := e.run.Variants[0]
	br := e.run.Replications[base]
	cost := func(m map[string]float64) float64 { return m["payments"] + m["region_followup_cost"] }
	lambda := math.NaN()
	var pts []tpoint
	for i, v := range e.run.Variants[1:] {
		var row *struct{ x, xlo, xhi, y, ylo, yhi float64 }
		for _, r := range e.run.CE {
			if r.Perspective == "payer" && r.Variant == v {
				lambda = r.Lambda
				row = &struct{ x, xlo, xhi, y, ylo, yhi float64 }{r.DHealth, r.DHealthLo, r.DHealthHi, r.DCost / 1e6, r.DCostLo / 1e6, r.DCostHi / 1e6}
			}
		}
		if row == nil || !finite(row.x, row.y) {
			continue
		}
		p := tpoint{v: i + 1, x: row.x, xlo: row.xlo, xhi: row.xhi, y: row.y, ylo: row.ylo, yhi: row.yhi}
		for r, m := range e.run.Replications[v] {
			if r >= len(br) {
				break
			}
			x, y := m["health_benefit"]-br[r]["health_benefit"], (cost(m)-cost(br[r]))/1e6
			if finite(x, y) {
				p.dots = append(p.dots, [2]float64{x, y})
			}
		}
		pts = append(pts, p)
	}
	if len(pts) == 0 || !finite(lambda) {
		return nil
	}
	s := &spec{id: "ce_plane", w: e.th.w, h: e.th.h}
	bl := e.vs[0].label
	wtp := e.tloc.num(lambda, 0)
	s.title = e.tr("Cost-effectiveness plane: compared with “"+bl+"”", "Kostnadseffektivitetsplanet: jämfört med ”"+bl+"”")
	s.subtitle = e.tr("Payer's cost (payments and follow-up) against health, replication by replication; below the line is cost-effective at "+wtp+" SEK per health unit.",
		"Betalarens kostnad (utbetalningar och uppföljning) mot hälsa, replikering för replikering; under linjen är kostnadseffektivt vid "+wtp+" kr per hälsoenhet.")
	s.caption = e.tr(
		"Each small dot is one replication: a variant's health benefit and payer's cost minus those of “"+bl+"” in the same replication, which shares its random numbers. The large marker is the mean over "+e.repsText()+" with the 95 % confidence intervals of the mean. The dashed line is the willingness to pay, "+wtp+" SEK per health unit (population.health_unit_value_sek): right of and below it a variant's net monetary benefit is positive. costeffectiveness.csv has the ICERs, dominance and the frontier.",
		"Varje liten punkt är en replikering: variantens hälsovinst och betalarens kostnad minus desamma för ”"+bl+"” i samma replikering, som delar slumptal med den. Den stora markören är medelvärdet över "+e.repsText()+" med medelvärdets 95-procentiga konfidensintervall. Den streckade linjen är betalningsviljan, "+wtp+" kr per hälsoenhet (population.health_unit_value_sek): till höger om och under den är variantens nettonytta positiv. costeffectiveness.csv har ICER, dominans och fronten.")
	xb, yb := newBounds(), newBounds()
	xb.add(0)
	yb.add(0)
	for _, p := range pts {
		xb.add(p.x, p.xlo, p.xhi)
		yb.add(p.y, p.ylo, p.yhi)
		for _, d := range p.dots {
			xb.add(d[0])
			yb.add(d[1])
		}
	}
	s.body = func(c draw.Canvas) {
		p := e.newPlot()
		p.X.Label.Text = e.tr("Difference in health benefit (health units per year)", "Skillnad i hälsovinst (hälsoenheter per år)")
		p.Y.Label.Text = e.tr("Difference in the payer's cost (MSEK per year)", "Skillnad i betalarens kostnad (MSEK per år)")
		p.X.Tick.Marker = ticker{loc: e.loc, max: 8, signed: true}
		p.Y.Tick.Marker = ticker{loc: e.loc, max: 8, signed: true}
		p.X.Min, p.X.Max = niceRange(xb.lo, xb.hi, 0.12)
		p.Y.Min, p.Y.Max = niceRange(yb.lo, yb.hi, 0.08)
		p.Add(e.grid(true, true))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			zs := draw.LineStyle{Color: black, Width: e.th.line * 0.6}
			c.StrokeLine2(zs, tx(0), c.Min.Y, tx(0), c.Max.Y)
			c.StrokeLine2(zs, c.Min.X, ty(0), c.Max.X, ty(0))
			// The willingness-to-pay line y = λ·x (MSEK), clipped to the plot.
			ws := draw.LineStyle{Color: axisGrey, Width: e.th.line * 0.8, Dashes: []vg.Length{e.th.line * 4, e.th.line * 3}}
			x0, x1 := pl.X.Min, pl.X.Max
			y0, y1 := lambda*x0/1e6, lambda*x1/1e6
			if y0 < pl.Y.Min {
				x0, y0 = pl.Y.Min*1e6/lambda, pl.Y.Min
			}
			if y1 > pl.Y.Max {
				x1, y1 = pl.Y.Max*1e6/lambda, pl.Y.Max
			}
			if x0 < x1 {
				c.StrokeLine2(ws, tx(x0), ty(y0), tx(x1), ty(y1))
			}
			for _, q := range pts {
				dot := draw.GlyphStyle{Color: alpha(e.vs[q.v].color, 0.35), Radius: e.th.marker * 0.45, Shape: draw.CircleGlyph{}}
				for _, d := range q.dots {
					c.DrawGlyph(dot, vg.Point{X: tx(d[0]), Y: ty(d[1])})
				}
			}
			r := e.th.marker * 1.25
			lw := e.th.line * 0.8
			sty := textStyle(sans(e.th.legend), black)
			for _, q := range pts {
				v := e.vs[q.v]
				P := vg.Point{X: tx(q.x), Y: ty(q.y)}
				ls := draw.LineStyle{Color: v.color, Width: lw}
				c.StrokeLine2(ls, tx(q.xlo), P.Y, tx(q.xhi), P.Y)
				c.StrokeLine2(ls, P.X, ty(q.ylo), P.X, ty(q.yhi))
				drawMarker(&c, v, P, r)
				c.FillText(sty, vg.Point{X: P.X + r*1.6, Y: P.Y + r*0.6}, v.label)
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	s.header = []string{"variant", "baseline", "delta_health_mean", "delta_health_ci_low", "delta_health_ci_high",
		"delta_payer_cost_msek_mean", "delta_payer_cost_msek_ci_low", "delta_payer_cost_msek_ci_high", "wtp_sek_per_health_unit", "replications"}
	for _, p := range pts {
		s.rows = append(s.rows, []string{e.run.Variants[p.v], base, csvNum(p.x), csvNum(p.xlo), csvNum(p.xhi),
			csvNum(p.y), csvNum(p.ylo), csvNum(p.yhi), csvNum(lambda), fmt.Sprint(len(p.dots))})
	}
	return s
}
