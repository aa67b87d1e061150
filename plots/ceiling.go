package plots

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

const (
	binWidth = 0.05
	binMax   = 2.0 // the last bin also counts everything above
)

// ceiling: per variant with revenue ceilings, a histogram of providers' annual revenue
// at full fee relative to tak 1, to show bunching just below the ceiling.
func (e *env) ceiling() *spec {
	nb := int(math.Round(binMax / binWidth))
	type panel struct {
		v              int
		counts         []int
		total, clipped int
	}
	panels := make([]*panel, len(e.run.Variants))
	reps := map[int]bool{}
	for _, r := range e.run.Providers {
		if !finite(r.Tak1Share) {
			continue
		}
		i, ok := e.vindex[r.Variant]
		if !ok {
			continue
		}
		if panels[i] == nil {
			panels[i] = &panel{v: i, counts: make([]int, nb)}
		}
		p := panels[i]
		b := int(math.Floor(r.Tak1Share / binWidth))
		if r.Tak1Share >= binMax {
			b = nb - 1
			p.clipped++
		}
		b = max(0, min(b, nb-1))
		p.counts[b]++
		p.total++
		reps[r.Replication] = true
	}
	var ps []*panel
	clipped := 0
	for _, p := range panels {
		if p != nil && p.total > 0 {
			ps = append(ps, p)
			clipped += p.clipped
		}
	}
	if len(ps) == 0 {
		return nil
	}
	s := &spec{id: "ceiling_histogram", w: e.th.w, h: e.th.h}
	if e.opt.Size != "slide" && len(ps) > 2 {
		s.h = vg.Length(len(ps))*3.6*vg.Centimeter + 3*vg.Centimeter
	}
	s.title = e.tr("Revenue against the ceiling (tak 1)", "Intäkter i förhållande till taket (tak 1)")
	s.header = []string{"variant", "bin_low", "bin_high", "open_ended", "provider_years", "share_pct"}
	ymax := 0.0
	for _, p := range ps {
		for b, n := range p.counts {
			share := 100 * float64(n) / float64(p.total)
			ymax = math.Max(ymax, share)
			open := "0"
			if b == nb-1 {
				open = "1"
			}
			s.rows = append(s.rows, []string{e.run.Variants[p.v], csvNum(float64(b) * binWidth),
				csvNum(float64(b+1) * binWidth), open, itoa(n), csvNum(share)})
		}
	}
	var without []string
	for i, p := range panels {
		if p == nil {
			without = append(without, e.vs[i].label)
		}
	}
	py := 0
	for _, p := range ps {
		py += p.total
	}
	clip := e.tr(
		" Revenue of 2 times tak 1 or more is counted in the last bar ("+e.tloc.num(float64(clipped), 0)+" provider-years).",
		" Intäkter på 2 gånger tak 1 eller mer räknas i sista stapeln ("+e.tloc.num(float64(clipped), 0)+" vårdgivarår).")
	if clipped == 0 {
		clip = ""
	}
	omit := ""
	if len(without) > 0 {
		omit = e.tr(" Variants without ceilings are not shown: ", " Varianter utan tak visas inte: ") + joinList(without, e.tr("and", "och")) + "."
	}
	s.caption = e.tr(
		"Each bar is the share of provider-years (of providers under a ceiling) whose annual visit and case revenue at full fee falls in a 0.05-wide band, as a multiple of the provider's ceiling tak 1 (1 = at the ceiling, above which fees are reduced). A pile-up just left of the line at 1 shows providers holding production back to stay under the ceiling. "+e.tloc.num(float64(py), 0)+" provider-years from "+itoa(len(reps))+" replications."+clip+omit,
		"Varje stapel är andelen vårdgivarår (för vårdgivare med tak) vars årliga besöks- och ärendeintäkter till full ersättning hamnar i ett 0,05 brett intervall, som multipel av vårdgivarens tak 1 (1 = vid taket, över vilket ersättningen sänks). En anhopning strax vänster om linjen vid 1 visar att vårdgivare håller tillbaka produktionen för att stanna under taket. "+e.tloc.num(float64(py), 0)+" vårdgivarår från "+itoa(len(reps))+" replikeringar."+clip+omit)

	s.body = func(c draw.Canvas) {
		// One y-axis title for all panels, at the left.
		ysty := textStyle(sans(e.th.label), black)
		ysty.Rotation = math.Pi / 2
		ysty.XAlign, ysty.YAlign = draw.XCenter, draw.YTop
		ylabel := e.tr("Share of provider-years", "Andel av vårdgivarår")
		lh := e.lineHeight(ysty.Font)
		inner := draw.Crop(c, lh+e.th.gap*0.6, 0, 0, 0)

		plots := make([][]*plot.Plot, len(ps))
		for k, pn := range ps {
			p := e.newPlot()
			v := e.vs[pn.v]
			p.Title.Text = v.label
			p.Title.TextStyle = textStyle(sansBold(e.th.legend), black)
			p.Title.TextStyle.XAlign = draw.XCenter
			p.Title.TextStyle.YAlign = draw.YTop
			p.Title.Padding = e.th.gap * 0.4
			p.Y.Tick.Marker = ticker{loc: e.loc, max: 4, pct: true}
			last := k == len(ps)-1
			p.X.Tick.Marker = ticker{loc: e.loc, max: 11, blank: !last}
			if last {
				p.X.Label.Text = e.tr("Annual revenue at full fee, as a multiple of tak 1", "Årlig intäkt till full ersättning, som multipel av tak 1")
			} else {
				p.X.Tick.Length = 0
			}
			p.X.Min, p.X.Max = 0, binMax
			p.Y.Min, p.Y.Max = 0, ymax*1.18
			p.Add(e.grid(false, true))
			first := k == 0
			p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
				tx, ty := pl.Transforms(&c)
				sep := draw.LineStyle{Color: white, Width: e.th.thin * 0.6}
				for b, n := range pn.counts {
					if n == 0 {
						continue
					}
					share := 100 * float64(n) / float64(pn.total)
					r := vg.Rectangle{Min: vg.Point{X: tx(float64(b) * binWidth), Y: ty(0)},
						Max: vg.Point{X: tx(float64(b+1) * binWidth), Y: ty(share)}}
					c.FillPolygon(v.color, rectPts(r))
					c.StrokeLines(sep, append(rectPts(r), r.Min))
				}
				x1 := tx(1)
				c.StrokeLine2(draw.LineStyle{Color: textGrey, Width: e.th.thin * 2, Dashes: []vg.Length{4 * vg.Length(e.th.dashScale), 2 * vg.Length(e.th.dashScale)}},
					x1, c.Min.Y, x1, c.Max.Y)
				if first {
					sty := textStyle(sans(e.th.annot), textGrey)
					sty.YAlign = draw.YTop
					c.FillText(sty, vg.Point{X: x1 + e.th.annot*0.35, Y: c.Max.Y}, "tak 1")
				}
			}))
			plots[k] = []*plot.Plot{p}
		}
		tiles := draw.Tiles{Rows: len(ps), Cols: 1, PadY: e.th.gap}
		cs := plot.Align(plots, tiles, inner)
		for k := range ps {
			fitTicks(plots[k][0], cs[k][0])
		}
		cs = plot.Align(plots, tiles, inner)
		for k := range ps {
			plots[k][0].Draw(cs[k][0])
		}
		top := plots[0][0].DataCanvas(cs[0][0]).Max.Y
		bottom := plots[len(ps)-1][0].DataCanvas(cs[len(ps)-1][0]).Min.Y
		c.FillText(ysty, vg.Point{X: c.Min.X, Y: (top + bottom) / 2}, ylabel)
	}
	return s
}

// joinList joins names as "a, b and c".
func joinList(xs []string, and string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := ""
	for i, x := range xs[:len(xs)-1] {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out + " " + and + " " + xs[len(xs)-1]
}
