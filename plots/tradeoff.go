package plots

import (
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// tradeoff: administrative share (x) against a benefit metric (y), a point per variant
// at its mean with the 2.5–97.5 % range across replications both ways.
func (e *env) tradeoff(id, ym string) *spec {
	type point struct {
		v                        int
		x, xlo, xhi, y, ylo, yhi float64
	}
	var pts []point
	yb := newBounds()
	for i, v := range e.run.Variants {
		xs := e.run.Find(v, "admin_share", "all", "all")
		ys := e.run.Find(v, ym, "all", "all")
		if xs == nil || ys == nil || len(xs.Q) < 7 || len(ys.Q) < 7 {
			continue
		}
		p := point{i, xs.Mean, xs.Q[0], xs.Q[6], ys.Mean, ys.Q[0], ys.Q[6]}
		if !finite(p.x, p.y) {
			continue
		}
		pts = append(pts, p)
		yb.add(math.Abs(p.y), math.Abs(p.yhi))
	}
	if len(pts) == 0 {
		return nil
	}
	xsc := e.scaleFor("admin_share", 1)
	ysc := e.scaleFor(ym, yb.hi)
	xb, yr := newBounds(), newBounds()
	for k := range pts {
		p := &pts[k]
		p.x, p.xlo, p.xhi = p.x*xsc.factor, p.xlo*xsc.factor, p.xhi*xsc.factor
		p.y, p.ylo, p.yhi = p.y*ysc.factor, p.ylo*ysc.factor, p.yhi*ysc.factor
		xb.add(p.x, p.xlo, p.xhi)
		yr.add(p.y, p.ylo, p.yhi)
	}

	s := &spec{id: id, w: e.th.w, h: e.th.h}
	yname := e.metricName(ym)
	s.title = e.tr("The trade-off: administration against ", "Avvägningen: administration mot ") + lowerFirst(yname)
	if ym == "true_quality" {
		s.subtitle = e.tr("Up and to the left is better: higher quality for less administration.",
			"Uppåt och åt vänster är bättre: högre kvalitet för mindre administration.")
	} else {
		s.subtitle = e.tr("Up and to the left is better: more health benefit for less administration.",
			"Uppåt och åt vänster är bättre: större hälsovinst för mindre administration.")
	}
	s.header = []string{"variant", "admin_share_pct_mean", "admin_share_pct_p025", "admin_share_pct_p975",
		ym + ysc.suffix + "_mean", ym + ysc.suffix + "_p025", ym + ysc.suffix + "_p975"}
	for _, p := range pts {
		s.rows = append(s.rows, []string{e.run.Variants[p.v], csvNum(p.x), csvNum(p.xlo), csvNum(p.xhi),
			csvNum(p.y), csvNum(p.ylo), csvNum(p.yhi)})
	}
	higher := e.tr("higher means more health benefit", "högre upp betyder större hälsovinst")
	if ym == "true_quality" {
		higher = e.tr("higher means better true quality of care", "högre upp betyder bättre verklig kvalitet i vården")
	}
	s.caption = e.tr(
		"Each point is a variant at its mean over "+e.repsText()+": further left means less of the money goes to administration (providers' administrative cost and the region's follow-up, as a share of payments plus follow-up), "+higher+". Bars show the range of 95 % of replications (2.5th to 97.5th percentile).",
		"Varje punkt är en variant, medelvärdet över "+e.repsText()+": längre till vänster betyder att mindre av pengarna går till administration (vårdgivarnas administrationskostnad och regionens uppföljning, som andel av utbetalningar plus uppföljning), "+higher+". Strecken visar spannet för 95 % av replikeringarna (2,5:e till 97,5:e percentilen).")
	s.caption = e.fixPct(s.caption)

	s.body = func(c draw.Canvas) {
		p := e.newPlot()
		p.X.Label.Text = e.metricName("admin_share")
		p.Y.Label.Text = ysc.axis
		p.X.Tick.Marker = ticker{loc: e.loc, max: 8, pct: true}
		p.X.Min, p.X.Max = niceRange(xb.lo, xb.hi, 0.12)
		p.Y.Min, p.Y.Max = niceRange(yr.lo, yr.hi, 0.08)
		p.Add(e.grid(true, true))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			r := e.th.marker * 1.25
			lw := e.th.line * 0.8
			cap := r * 1.1
			var obstacles []rect
			type placed struct {
				pt vg.Point
				v  vstyle
			}
			var marks []placed
			for _, q := range pts {
				v := e.vs[q.v]
				P := vg.Point{X: tx(q.x), Y: ty(q.y)}
				x0, x1 := tx(q.xlo), tx(q.xhi)
				y0, y1 := ty(q.ylo), ty(q.yhi)
				ls := draw.LineStyle{Color: v.color, Width: lw}
				if finite(q.xlo, q.xhi) {
					c.StrokeLine2(ls, x0, P.Y, x1, P.Y)
					c.StrokeLine2(ls, x0, P.Y-cap, x0, P.Y+cap)
					c.StrokeLine2(ls, x1, P.Y-cap, x1, P.Y+cap)
					obstacles = append(obstacles, rect{x0, P.Y - lw, x1, P.Y + lw},
						rect{x0 - lw, P.Y - cap, x0 + lw, P.Y + cap}, rect{x1 - lw, P.Y - cap, x1 + lw, P.Y + cap})
				}
				if finite(q.ylo, q.yhi) {
					c.StrokeLine2(ls, P.X, y0, P.X, y1)
					c.StrokeLine2(ls, P.X-cap, y0, P.X+cap, y0)
					c.StrokeLine2(ls, P.X-cap, y1, P.X+cap, y1)
					obstacles = append(obstacles, rect{P.X - lw, y0, P.X + lw, y1},
						rect{P.X - cap, y0 - lw, P.X + cap, y0 + lw}, rect{P.X - cap, y1 - lw, P.X + cap, y1 + lw})
				}
				obstacles = append(obstacles, rect{P.X - r*1.4, P.Y - r*1.4, P.X + r*1.4, P.Y + r*1.4})
				marks = append(marks, placed{P, v})
			}
			// Markers on top of every bar.
			for _, m := range marks {
				drawMarker(&c, m.v, m.pt, r)
			}
			// Labels, placed one by one where they touch nothing.
			sty := textStyle(sans(e.th.legend), black)
			ext := sty.FontExtents()
			area := rect{c.Min.X, c.Min.Y, c.Max.X, c.Max.Y}
			for _, m := range marks {
				tw := textWidth(sty.Font, m.v.label)
				th := ext.Ascent + ext.Descent
				box := placeLabel(m.pt, tw, th, r*1.5, e.th.legend*0.6, obstacles, area)
				far := math.Hypot(float64(nearestX(box, m.pt.X)-m.pt.X), float64(nearestY(box, m.pt.Y)-m.pt.Y))
				if far > float64(r*4) {
					// A thin leader from the point's edge to the label.
					tx, ty := nearestX(box, m.pt.X), nearestY(box, m.pt.Y)
					dx, dy := float64(tx-m.pt.X), float64(ty-m.pt.Y)
					d := math.Hypot(dx, dy)
					start := vg.Point{X: m.pt.X + vg.Length(dx/d)*r*1.5, Y: m.pt.Y + vg.Length(dy/d)*r*1.5}
					c.StrokeLine2(draw.LineStyle{Color: axisGrey, Width: e.th.thin}, start.X, start.Y, tx, ty)
				}
				c.FillText(sty, vg.Point{X: box.x0, Y: box.y0 + ext.Descent}, m.v.label)
				obstacles = append(obstacles, box)
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

func nearestX(b rect, x vg.Length) vg.Length { return max(b.x0, min(x, b.x1)) }
func nearestY(b rect, y vg.Length) vg.Length { return max(b.y0, min(y, b.y1)) }

// placeLabel finds a box of w×h near P that overlaps no obstacle and stays inside
// area: the candidates are the four diagonal corners next to the point (clear of the
// bars through it) and, further out, positions beside the ends of the horizontal bar;
// the nearest free one wins. If every place collides, the least-overlapping one does.
func placeLabel(P vg.Point, w, h, d0, step vg.Length, obstacles []rect, area rect) rect {
	type cand struct {
		b    rect
		dist float64
		ord  int
	}
	var cs []cand
	add := func(b rect) {
		// Distance from the point to the nearest edge of the box.
		dx := float64(max(b.x0-P.X, P.X-b.x1, 0))
		dy := float64(max(b.y0-P.Y, P.Y-b.y1, 0))
		cs = append(cs, cand{b, math.Hypot(dx, dy), len(cs)})
	}
	for k := 0; k < 16; k++ {
		for l := 0; l < 16; l++ {
			dx := d0 + vg.Length(k)*step
			dy := d0*0.4 + vg.Length(l)*step*0.6
			// Order at equal distance: NE, NW, SE, SW.
			add(rect{P.X + dx, P.Y + dy, P.X + dx + w, P.Y + dy + h})
			add(rect{P.X - dx - w, P.Y + dy, P.X - dx, P.Y + dy + h})
			add(rect{P.X + dx, P.Y - dy - h, P.X + dx + w, P.Y - dy})
			add(rect{P.X - dx - w, P.Y - dy - h, P.X - dx, P.Y - dy})
		}
		// Straight right or left of the point.
		dx := d0 + vg.Length(k)*step
		add(rect{P.X + dx, P.Y - h/2, P.X + dx + w, P.Y + h/2})
		add(rect{P.X - dx - w, P.Y - h/2, P.X - dx, P.Y + h/2})
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if math.Abs(cs[i].dist-cs[j].dist) > 0.5 {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].ord < cs[j].ord
	})
	pad := step * 0.25
	best, bestOver := rect{}, vg.Length(math.Inf(1))
	for _, c := range cs {
		if !c.b.inside(area) {
			continue
		}
		var over vg.Length
		g := c.b.grow(pad)
		for _, o := range obstacles {
			over += g.overlap(o)
		}
		if over == 0 {
			return c.b
		}
		if over < bestOver {
			best, bestOver = c.b, over
		}
	}
	if math.IsInf(float64(bestOver), 1) {
		return rect{P.X + d0, P.Y + d0, P.X + d0 + w, P.Y + d0 + h}
	}
	return best
}
