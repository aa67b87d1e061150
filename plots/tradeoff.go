package plots

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// tradeoff: administrative share (x) against a benefit metric (y), a point per variant
// at its mean with the 2.5–97.5 % range across replications both ways.
func (e *env) tradeoff(id, ym string) *spec {
	var pts []tpoint
	for i, v := range e.run.Variants {
		xs := e.run.Find(v, "admin_share", "all", "all")
		ys := e.run.Find(v, ym, "all", "all")
		if xs == nil || ys == nil || len(xs.Q) < 7 || len(ys.Q) < 7 {
			continue
		}
		p := tpoint{v: i, x: xs.Mean, xlo: xs.Q[0], xhi: xs.Q[6], y: ys.Mean, ylo: ys.Q[0], yhi: ys.Q[6]}
		if finite(p.x, p.y) {
			pts = append(pts, p)
		}
	}
	if len(pts) == 0 {
		return nil
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
	higher := e.tr("higher means more health benefit", "högre upp betyder större hälsovinst")
	if ym == "true_quality" {
		higher = e.tr("higher means better true quality of care", "högre upp betyder bättre verklig kvalitet i vården")
	}
	s.caption = e.tr(
		"Each point is a variant at its mean over "+e.repsText()+": further left means less of the money goes to administration (providers' administrative cost and the region's follow-up, as a share of payments plus follow-up), "+higher+". Bars show the range of 95 % of replications (2.5th to 97.5th percentile): the spread of outcomes, which the variants largely share. Whether two variants differ is read from the next chart, which compares them replication by replication.",
		"Varje punkt är en variant, medelvärdet över "+e.repsText()+": längre till vänster betyder att mindre av pengarna går till administration (vårdgivarnas administrationskostnad och regionens uppföljning, som andel av utbetalningar plus uppföljning), "+higher+". Strecken visar spannet för 95 % av replikeringarna (2,5:e till 97,5:e percentilen): utfallens spridning, som varianterna till stor del delar. Om två varianter skiljer sig läses i nästa diagram, som jämför dem replikering för replikering.")
	ysuf := e.tradeoffPlot(s, pts, ym, false)
	s.header = []string{"variant", "admin_share_pct_mean", "admin_share_pct_p025", "admin_share_pct_p975",
		ym + ysuf + "_mean", ym + ysuf + "_p025", ym + ysuf + "_p975"}
	for _, p := range pts {
		s.rows = append(s.rows, []string{e.run.Variants[p.v], csvNum(p.x), csvNum(p.xlo), csvNum(p.xhi),
			csvNum(p.y), csvNum(p.ylo), csvNum(p.yhi)})
	}
	return s
}

// tradeoffDiff is the incremental plane of the trade-off: each variant's paired
// difference from the baseline in administrative share (x) and a benefit metric (y),
// a dot per replication (common random numbers make these the variant's own effect)
// and the mean with its 95 % confidence interval.
func (e *env) tradeoffDiff(id, ym string) *spec {
	base := e.run.Variants[0]
	br := e.run.Replications[base]
	var pts []tpoint
	for i, v := range e.run.Variants[1:] {
		dx := e.run.FindDiff(v, "admin_share", "all", "all")
		dy := e.run.FindDiff(v, ym, "all", "all")
		if dx == nil || dy == nil || !finite(dx.Mean, dy.Mean) {
			continue
		}
		p := tpoint{v: i + 1, x: dx.Mean, xlo: dx.CILo, xhi: dx.CIHi, y: dy.Mean, ylo: dy.CILo, yhi: dy.CIHi}
		for r, m := range e.run.Replications[v] {
			if r >= len(br) {
				break
			}
			x, y := m["admin_share"]-br[r]["admin_share"], m[ym]-br[r][ym]
			if finite(x, y) {
				p.dots = append(p.dots, [2]float64{x, y})
			}
		}
		pts = append(pts, p)
	}
	if len(pts) == 0 {
		return nil
	}
	s := &spec{id: id, w: e.th.w, h: e.th.h}
	bl := e.vs[0].label
	yname := lowerFirst(e.metricName(ym))
	s.title = e.tr("Compared with “"+bl+"”: administration against "+yname,
		"Jämfört med ”"+bl+"”: administration mot "+yname)
	s.subtitle = e.tr("Differences replication by replication; up and to the left of the cross-hairs is better than “"+bl+"”.",
		"Skillnader replikering för replikering; uppåt och till vänster om hårkorset är bättre än ”"+bl+"”.")
	s.caption = e.tr(
		"Each small dot is one replication: a variant's administrative share and "+yname+" minus those of “"+bl+"” in the same replication, which shares its random numbers (providers, patients, events), so the dot is the variant's own effect. The large marker is the mean over "+e.repsText()+" and its bars the 95 % confidence interval of that mean. A variant whose cloud lies wholly on one side of a cross-hair differs from “"+bl+"” in that respect in every replication.",
		"Varje liten punkt är en replikering: variantens administrativa andel och "+yname+" minus desamma för ”"+bl+"” i samma replikering, som delar slumptal (vårdgivare, patienter, händelser) med den, så punkten är variantens egen effekt. Den stora markören är medelvärdet över "+e.repsText()+" och strecken medelvärdets 95-procentiga konfidensintervall. En variant vars moln helt ligger på ena sidan av ett hårkors skiljer sig från ”"+bl+"” i det avseendet i varje replikering.")
	ysuf := e.tradeoffPlot(s, pts, ym, true)
	s.header = []string{"variant", "baseline", "admin_share_pp_diff_mean", "admin_share_pp_diff_ci_low", "admin_share_pp_diff_ci_high",
		ym + ysuf + "_diff_mean", ym + ysuf + "_diff_ci_low", ym + ysuf + "_diff_ci_high", "replications"}
	for _, p := range pts {
		s.rows = append(s.rows, []string{e.run.Variants[p.v], base, csvNum(p.x), csvNum(p.xlo), csvNum(p.xhi),
			csvNum(p.y), csvNum(p.ylo), csvNum(p.yhi), fmt.Sprint(len(p.dots))})
	}
	return s
}

// tpoint is a variant on a trade-off chart: its position, the extent of its bars and,
// on the incremental plane, a dot per replication.
type tpoint struct {
	v                        int
	x, xlo, xhi, y, ylo, yhi float64
	dots                     [][2]float64
}

// tradeoffPlot scales the points (shares to percent or percentage points), sets the
// chart's body and returns the y column suffix for the CSV. On the incremental plane
// (diff) it adds the replication dots and cross-hairs at zero.
func (e *env) tradeoffPlot(s *spec, pts []tpoint, ym string, diff bool) (ysuffix string) {
	yb := newBounds()
	for _, p := range pts {
		yb.add(math.Abs(p.y), math.Abs(p.yhi), math.Abs(p.ylo))
	}
	xsc := e.scaleFor("admin_share", 1)
	ysc := e.scaleFor(ym, yb.hi)
	xb, yr := newBounds(), newBounds()
	if diff {
		xb.add(0)
		yr.add(0)
	}
	for k := range pts {
		p := &pts[k]
		p.x, p.xlo, p.xhi = p.x*xsc.factor, p.xlo*xsc.factor, p.xhi*xsc.factor
		p.y, p.ylo, p.yhi = p.y*ysc.factor, p.ylo*ysc.factor, p.yhi*ysc.factor
		xb.add(p.x, p.xlo, p.xhi)
		yr.add(p.y, p.ylo, p.yhi)
		for i := range p.dots {
			p.dots[i][0] *= xsc.factor
			p.dots[i][1] *= ysc.factor
			xb.add(p.dots[i][0])
			yr.add(p.dots[i][1])
		}
	}
	xlabel, ylabel := e.metricName("admin_share"), ysc.axis
	if diff {
		xlabel = e.tr("Difference in administrative share (percentage points)", "Skillnad i administrativ andel (procentenheter)")
		ylabel = e.tr("Difference in ", "Skillnad i ") + lowerFirst(ysc.axis)
		if ysc.pct {
			ylabel = e.tr("Difference in ", "Skillnad i ") + lowerFirst(e.metricName(ym)) + e.tr(" (percentage points)", " (procentenheter)")
		}
	}
	s.body = func(c draw.Canvas) {
		p := e.newPlot()
		p.X.Label.Text = xlabel
		p.Y.Label.Text = ylabel
		p.X.Tick.Marker = ticker{loc: e.loc, max: 8, pct: !diff, signed: diff}
		if diff {
			p.Y.Tick.Marker = ticker{loc: e.loc, max: 8, signed: true}
		}
		p.X.Min, p.X.Max = niceRange(xb.lo, xb.hi, 0.12)
		p.Y.Min, p.Y.Max = niceRange(yr.lo, yr.hi, 0.08)
		p.Add(e.grid(true, true))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			if diff {
				zs := draw.LineStyle{Color: black, Width: e.th.line * 0.6}
				c.StrokeLine2(zs, tx(0), c.Min.Y, tx(0), c.Max.Y)
				c.StrokeLine2(zs, c.Min.X, ty(0), c.Max.X, ty(0))
				for _, q := range pts {
					dot := draw.GlyphStyle{Color: alpha(e.vs[q.v].color, 0.35), Radius: e.th.marker * 0.45, Shape: draw.CircleGlyph{}}
					for _, d := range q.dots {
						c.DrawGlyph(dot, vg.Point{X: tx(d[0]), Y: ty(d[1])})
					}
				}
			}
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
	return ysc.suffix
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
