package plots

import (
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// boxStats are Tukey's box-plot statistics.
type boxStats struct {
	q1, med, q3, wlo, whi float64
}

// quantile is the linearly interpolated quantile of sorted xs (type 7, as R's default).
func quantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := p * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

func tukey(xs []float64) boxStats {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	b := boxStats{q1: quantile(s, 0.25), med: quantile(s, 0.5), q3: quantile(s, 0.75)}
	iqr := b.q3 - b.q1
	b.wlo, b.whi = b.q1, b.q3
	for _, x := range s {
		if x >= b.q1-1.5*iqr && x < b.wlo {
			b.wlo = x
		}
		if x <= b.q3+1.5*iqr && x > b.whi {
			b.whi = x
		}
	}
	return b
}

// distribution: box plots of a headline metric across replications, a box per variant
// (baseline on top).
func (e *env) distribution(m string) *spec {
	type group struct {
		v    int
		vals []float64
		b    boxStats
	}
	var gs []group
	mag := newBounds()
	for i, v := range e.run.Variants {
		var vals []float64
		for _, rep := range e.run.Replications[v] {
			x, ok := rep[m]
			if !ok {
				x = math.NaN()
			}
			vals = append(vals, x)
			mag.add(math.Abs(x))
		}
		if len(vals) > 0 {
			gs = append(gs, group{v: i, vals: vals})
		}
	}
	if len(gs) == 0 || !mag.ok() {
		return nil
	}
	sc := e.scaleFor(m, mag.hi)
	xb := newBounds()
	for k := range gs {
		var fin []float64
		for j, x := range gs[k].vals {
			gs[k].vals[j] = x * sc.factor
			if finite(x) {
				fin = append(fin, x*sc.factor)
			}
		}
		gs[k].b = tukey(fin)
		xb.add(fin...)
	}

	n := len(gs)
	s := &spec{id: "distribution_" + m, w: e.th.w, h: e.th.h}
	if e.opt.Size != "slide" && n > 5 {
		s.h = vg.Length(n)*1.3*vg.Centimeter + 4*vg.Centimeter
	}
	s.title = e.metricName(m) + e.tr(": spread across replications", ": spridning mellan replikeringar")
	unit := csvUnit(m, sc)
	s.header = []string{"variant", "replication", "value", "unit", "q1", "median", "q3", "whisker_low", "whisker_high", "outlier"}
	for _, g := range gs {
		for j, x := range g.vals {
			out := "0"
			if finite(x) && (x < g.b.wlo || x > g.b.whi) {
				out = "1"
			}
			s.rows = append(s.rows, []string{e.run.Variants[g.v], itoa(j + 1), csvNum(x), unit,
				csvNum(g.b.q1), csvNum(g.b.med), csvNum(g.b.q3), csvNum(g.b.wlo), csvNum(g.b.whi), out})
		}
	}
	s.caption = e.tr(
		"Each box holds the middle half of "+e.repsText()+" of a variant, with the median as a thick line; whiskers reach the most extreme replication within 1.5 box lengths and points beyond them are shown one by one. Boxes that do not overlap mean the variants differ by more than chance between replications.",
		"Varje låda rymmer den mittersta hälften av en variants "+e.repsText()+", med medianen som ett tjockt streck; morrhåren når den mest extrema replikeringen inom 1,5 lådlängder och punkter längre ut visas var för sig. Lådor som inte överlappar betyder att varianterna skiljer sig mer än slumpen mellan replikeringar.")

	s.body = func(c draw.Canvas) {
		p := e.newPlot()
		names := make([]string, n)
		for k, g := range gs {
			names[n-1-k] = e.vs[g.v].label
		}
		p.X.Label.Text = sc.axis
		p.X.Tick.Marker = ticker{loc: e.loc, max: 8, pct: sc.pct}
		e.categoryAxis(&p.Y, names)
		p.X.Min, p.X.Max = niceRange(xb.lo, xb.hi, 0.06)
		p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
		p.Add(e.grid(true, false))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			for k, g := range gs {
				v := e.vs[g.v]
				y := float64(n - 1 - k)
				half := 0.28
				if n == 1 {
					half = 0.2
				}
				yc, y0, y1 := ty(y), ty(y-half), ty(y+half)
				cap0, cap1 := ty(y-half*0.5), ty(y+half*0.5)
				ls := draw.LineStyle{Color: v.color, Width: e.th.thin * 2}
				// whiskers
				c.StrokeLine2(ls, tx(g.b.wlo), yc, tx(g.b.q1), yc)
				c.StrokeLine2(ls, tx(g.b.q3), yc, tx(g.b.whi), yc)
				c.StrokeLine2(ls, tx(g.b.wlo), cap0, tx(g.b.wlo), cap1)
				c.StrokeLine2(ls, tx(g.b.whi), cap0, tx(g.b.whi), cap1)
				// box
				box := rectPts(vg.Rectangle{Min: vg.Point{X: tx(g.b.q1), Y: y0}, Max: vg.Point{X: tx(g.b.q3), Y: y1}})
				c.FillPolygon(tint(v.color, 0.35), box)
				c.StrokeLines(ls, append(box, box[0]))
				// median
				// A thinner median in a narrow box, so the box's colour still shows.
				mw := max(e.th.thin, min(e.th.line*1.4, (tx(g.b.q3)-tx(g.b.q1))*0.3))
				c.StrokeLine2(draw.LineStyle{Color: black, Width: mw}, tx(g.b.med), y0, tx(g.b.med), y1)
				// outliers
				for _, x := range g.vals {
					if finite(x) && (x < g.b.wlo || x > g.b.whi) {
						drawMarker(&c, v, vg.Point{X: tx(x), Y: yc}, e.th.marker*0.8)
					}
				}
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}
