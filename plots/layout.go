package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// newPlot returns a plot in the house style: sans-serif text at the theme's sizes,
// grey axes without padding (ranges are padded instead), no title and no legend (both
// are drawn outside the plot).
func (e *env) newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = sans(e.th.label)
		ax.Label.TextStyle.Color = black
		ax.Label.Padding = e.th.gap * 0.6
		ax.Tick.Label.Font = sans(e.th.tick)
		ax.Tick.Label.Color = textGrey
		ax.Tick.Length = e.th.tickLength
		ax.Tick.LineStyle = draw.LineStyle{Color: axisGrey, Width: e.th.thin}
		ax.LineStyle = draw.LineStyle{Color: axisGrey, Width: e.th.thin}
		ax.Padding = 0
	}
	p.X.Tick.Marker = ticker{loc: e.loc, max: 8}
	p.Y.Tick.Marker = ticker{loc: e.loc, max: 8}
	return p
}

// grid returns light grid lines at the ticks; vertical and horizontal choose which.
func (e *env) grid(vertical, horizontal bool) *plotter.Grid {
	g := plotter.NewGrid()
	sty := draw.LineStyle{Color: gridGrey, Width: e.th.thin}
	g.Vertical, g.Horizontal = sty, sty
	if !vertical {
		g.Vertical.Color = nil
	}
	if !horizontal {
		g.Horizontal.Color = nil
	}
	return g
}

// categoryAxis labels the axis with names at 0..n−1, in black at the legend's size,
// without tick marks but with the same distance from the axis.
func (e *env) categoryAxis(ax *plot.Axis, names []string) {
	ax.Tick.Marker = categoryTicks(names)
	ax.Tick.Label.Font = sans(e.th.legend)
	ax.Tick.Label.Color = black
	ax.Tick.LineStyle = draw.LineStyle{Color: white, Width: vg.Points(0.01)}
}

// categoryTicks labels integer positions 0..n−1 with names.
func categoryTicks(names []string) plot.ConstantTicks {
	var t plot.ConstantTicks
	for i, n := range names {
		t = append(t, plot.Tick{Value: float64(i), Label: n})
	}
	return t
}

// legendEntry is one item of a legend: a thumbnail and a label.
type legendEntry struct {
	label string
	thumb func(c *draw.Canvas, r vg.Rectangle)
}

// legendFont and sizes.
func (e *env) legendMetrics() (thumbW, thumbGap, entryGap, rowH vg.Length) {
	f := sans(e.th.legend)
	thumbW = e.th.legend * 2.4
	thumbGap = e.th.legend * 0.45
	entryGap = e.th.legend * 1.6
	rowH = e.lineHeight(f) * 1.25
	return
}

// legendRows splits entries into rows that fit width.
func (e *env) legendRows(entries []legendEntry, width vg.Length) [][]int {
	thumbW, thumbGap, entryGap, _ := e.legendMetrics()
	f := sans(e.th.legend)
	var rows [][]int
	var cur []int
	var x vg.Length
	for i, en := range entries {
		w := thumbW + thumbGap + textWidth(f, en.label)
		if len(cur) > 0 && x+entryGap+w > width {
			rows = append(rows, cur)
			cur, x = nil, 0
		}
		if len(cur) > 0 {
			x += entryGap
		}
		cur = append(cur, i)
		x += w
	}
	if len(cur) > 0 {
		rows = append(rows, cur)
	}
	return rows
}

// drawLegend draws the entries in centred rows at the bottom of c and returns the
// canvas above the legend.
func (e *env) drawLegend(c draw.Canvas, entries []legendEntry) draw.Canvas {
	if len(entries) == 0 {
		return c
	}
	thumbW, thumbGap, entryGap, rowH := e.legendMetrics()
	f := sans(e.th.legend)
	width := c.Max.X - c.Min.X
	rows := e.legendRows(entries, width)
	sty := textStyle(f, black)
	sty.YAlign = draw.YCenter
	ext := sty.FontExtents()
	for ri, row := range rows {
		var rw vg.Length
		for k, i := range row {
			if k > 0 {
				rw += entryGap
			}
			rw += thumbW + thumbGap + textWidth(f, entries[i].label)
		}
		x := c.Min.X + (width-rw)/2
		yc := c.Min.Y + rowH*vg.Length(len(rows)-ri) - rowH/2
		for _, i := range row {
			en := entries[i]
			th := ext.Ascent * 0.9
			r := vg.Rectangle{Min: vg.Point{X: x, Y: yc - th/2}, Max: vg.Point{X: x + thumbW, Y: yc + th/2}}
			en.thumb(&c, r)
			// Centre on the x-height rather than the full box.
			c.FillText(sty, vg.Point{X: x + thumbW + thumbGap, Y: yc + ext.Descent*0.15}, en.label)
			x += thumbW + thumbGap + textWidth(f, en.label) + entryGap
		}
	}
	c.Min.Y += rowH*vg.Length(len(rows)) + e.th.gap
	return c
}

// lineThumb shows a variant's line (dash and colour), with its marker when marker.
func (e *env) lineThumb(v vstyle, marker bool) func(c *draw.Canvas, r vg.Rectangle) {
	return func(c *draw.Canvas, r vg.Rectangle) {
		y := (r.Min.Y + r.Max.Y) / 2
		c.StrokeLine2(draw.LineStyle{Color: v.color, Width: e.th.line, Dashes: v.dash}, r.Min.X, y, r.Max.X, y)
		if marker {
			drawMarker(c, v, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: y}, e.th.marker)
		}
	}
}

// swatchThumb is a filled box with an outline.
func (e *env) swatchThumb(fill, stroke color.Color) func(c *draw.Canvas, r vg.Rectangle) {
	return func(c *draw.Canvas, r vg.Rectangle) {
		w := r.Max.X - r.Min.X
		r.Min.X += w * 0.2
		r.Max.X -= w * 0.2
		c.FillPolygon(fill, rectPts(r))
		if stroke != nil {
			c.StrokeLines(draw.LineStyle{Color: stroke, Width: e.th.thin}, append(rectPts(r), r.Min))
		}
	}
}

// barThumb is a variant's bar: its colour and hatching.
func (e *env) barThumb(i int) func(c *draw.Canvas, r vg.Rectangle) {
	return func(c *draw.Canvas, r vg.Rectangle) {
		w := r.Max.X - r.Min.X
		r.Min.X += w * 0.2
		r.Max.X -= w * 0.2
		c.FillPolygon(e.vs[i].color, rectPts(r))
		hatch(c, r, hatchKind(i), e.th.legend*0.35, e.th.thin*1.2)
	}
}

func rectPts(r vg.Rectangle) []vg.Point {
	return []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
}

// fnPlotter adapts a function to plot.Plotter.
type fnPlotter func(c draw.Canvas, p *plot.Plot)

func (f fnPlotter) Plot(c draw.Canvas, p *plot.Plot) { f(c, p) }

// finite reports whether every x is a number.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// bounds tracks the range of values.
type bounds struct{ lo, hi float64 }

func newBounds() bounds { return bounds{math.Inf(1), math.Inf(-1)} }

func (b *bounds) add(xs ...float64) {
	for _, x := range xs {
		if finite(x) {
			b.lo = math.Min(b.lo, x)
			b.hi = math.Max(b.hi, x)
		}
	}
}

func (b bounds) ok() bool { return b.lo <= b.hi }

// rect is an axis-aligned box in canvas coordinates, for collision tests.
type rect struct{ x0, y0, x1, y1 vg.Length }

func (a rect) overlap(b rect) vg.Length {
	w := min(a.x1, b.x1) - max(a.x0, b.x0)
	h := min(a.y1, b.y1) - max(a.y0, b.y0)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

func (a rect) inside(b rect) bool {
	return a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1
}

func (a rect) grow(d vg.Length) rect { return rect{a.x0 - d, a.y0 - d, a.x1 + d, a.y1 + d} }
