package plots

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"ersim/results"
)

func (e *env) formsPayments() *spec {
	s := e.forms("forms_payments", "payments")
	if s == nil {
		return nil
	}
	s.title = e.tr("Payments per contract form", "Utbetalningar per avtalsform")
	s.caption = e.fixPct(e.tr(
		"Payments from the region to the providers of each contract form, a bar per variant side by side; bars are means over "+e.repsText()+" and the thin lines span 95 % of replications.",
		"Regionens utbetalningar till vårdgivarna i varje avtalsform, en stapel per variant sida vid sida; staplarna är medelvärden över "+e.repsText()+" och de tunna strecken spänner över 95 % av replikeringarna."))
	return s
}

func (e *env) formsAdmin() *spec {
	s := e.forms("forms_admin", "admin_share")
	if s == nil {
		return nil
	}
	s.title = e.tr("Administrative burden per contract form", "Administrativ börda per avtalsform")
	s.caption = e.fixPct(e.tr(
		"Administrative share of cost in each contract form: providers' administrative cost plus the region's follow-up cost, as a share of payments plus follow-up. It is shown as a share rather than in kronor because the forms differ greatly in size (see the payments chart); bars are means over "+e.repsText()+" and the thin lines span 95 % of replications.",
		"Administrativ andel av kostnaden i varje avtalsform: vårdgivarnas administrationskostnad plus regionens uppföljningskostnad, som andel av utbetalningar plus uppföljning. Den visas som andel i stället för i kronor eftersom avtalsformerna är mycket olika stora (se diagrammet över utbetalningar); staplarna är medelvärden över "+e.repsText()+" och de tunna strecken spänner över 95 % av replikeringarna."))
	return s
}

// forms: grouped bars of metric m per contract form (categories), a bar per variant.
func (e *env) forms(id, m string) *spec {
	var forms []string
	seen := map[string]bool{}
	for _, r := range e.run.Summary {
		if r.Metric == m && r.Group == "all" && r.Form != "all" && !seen[r.Form] {
			seen[r.Form] = true
			forms = append(forms, r.Form)
		}
	}
	if len(forms) == 0 {
		return nil
	}
	var vars []int
	cells := map[[2]int]*results.SummaryRow{}
	mag := newBounds()
	for i, v := range e.run.Variants {
		has := false
		for j, f := range forms {
			if r := e.run.Find(v, m, f, "all"); r != nil && len(r.Q) >= 7 && finite(r.Mean) {
				cells[[2]int{i, j}] = r
				mag.add(math.Abs(r.Mean), math.Abs(r.Q[6]), math.Abs(r.Q[0]))
				has = true
			}
		}
		if has {
			vars = append(vars, i)
		}
	}
	if len(vars) == 0 {
		return nil
	}
	sc := e.scaleFor(m, mag.hi)
	s := &spec{id: id, w: e.th.w, h: e.th.h}
	unit := csvUnit(m, sc)
	s.header = []string{"contract_form", "variant", "unit", "mean", "p025", "p975"}
	yb := newBounds()
	yb.add(0)
	for j, f := range forms {
		for _, i := range vars {
			if r := cells[[2]int{i, j}]; r != nil {
				s.rows = append(s.rows, []string{f, e.run.Variants[i], unit,
					csvNum(r.Mean * sc.factor), csvNum(r.Q[0] * sc.factor), csvNum(r.Q[6] * sc.factor)})
				yb.add(r.Mean*sc.factor, r.Q[0]*sc.factor, r.Q[6]*sc.factor)
			}
		}
	}
	s.body = func(c draw.Canvas) {
		var entries []legendEntry
		for _, i := range vars {
			entries = append(entries, legendEntry{e.vs[i].label, e.barThumb(i)})
		}
		c = e.drawLegend(c, entries)
		p := e.newPlot()
		names := make([]string, len(forms))
		for j, f := range forms {
			names[j] = e.formName(f)
		}
		e.categoryAxis(&p.X, names)
		p.Y.Label.Text = sc.axis
		p.Y.Tick.Marker = ticker{loc: e.loc, max: 8, pct: sc.pct}
		p.X.Min, p.X.Max = -0.5, float64(len(forms))-0.5
		lo, hi := yb.lo, yb.hi
		p.Y.Min, p.Y.Max = lo, hi+(hi-lo)*0.05
		if lo < 0 {
			p.Y.Min = lo - (hi-lo)*0.05
		}
		p.Add(e.grid(false, true))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			nv := float64(len(vars))
			slot := 0.8 / nv
			for j := range forms {
				for k, i := range vars {
					r := cells[[2]int{i, j}]
					if r == nil {
						continue
					}
					x0 := float64(j) - 0.4 + float64(k)*slot
					x1 := x0 + slot
					gap := (tx(x1) - tx(x0)) * 0.06
					px0, px1 := tx(x0)+gap, tx(x1)-gap
					bar := vg.Rectangle{Min: vg.Point{X: px0, Y: ty(0)}, Max: vg.Point{X: px1, Y: ty(r.Mean * sc.factor)}}
					if bar.Min.Y > bar.Max.Y {
						bar.Min.Y, bar.Max.Y = bar.Max.Y, bar.Min.Y
					}
					c.FillPolygon(e.vs[i].color, rectPts(bar))
					hatch(&c, bar, hatchKind(i), e.th.legend*0.6, e.th.thin*1.5)
					if finite(r.Q[0], r.Q[6]) {
						xm := (px0 + px1) / 2
						w := (px1 - px0) * 0.18
						ls := draw.LineStyle{Color: whiskerGrey, Width: e.th.thin * 1.6}
						lo, hi := ty(r.Q[0]*sc.factor), ty(r.Q[6]*sc.factor)
						c.StrokeLine2(ls, xm, lo, xm, hi)
						c.StrokeLine2(ls, xm-w, lo, xm+w, lo)
						c.StrokeLine2(ls, xm-w, hi, xm+w, hi)
					}
				}
			}
			// Zero line above the bars' feet.
			c.StrokeLine2(draw.LineStyle{Color: axisGrey, Width: e.th.thin}, c.Min.X, ty(0), c.Max.X, ty(0))
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}
