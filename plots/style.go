package plots

import (
	"image/color"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// theme holds the sizes of one chart size ("report" or "slide").
type theme struct {
	w, h        vg.Length // default chart size
	dpi         int       // PNG resolution
	title       vg.Length // font sizes
	label       vg.Length
	tick        vg.Length
	legend      vg.Length
	annot       vg.Length
	line        vg.Length // data line width
	thin        vg.Length // axis, grid and whisker width
	marker      vg.Length // marker radius
	margin      vg.Length // around the whole chart
	gap         vg.Length // between blocks (title, plot, legend)
	dashScale   float64
	tickLength  vg.Length
	forestLabel vg.Length // row labels of the forest plot
}

func themeFor(size string) theme {
	if size == "slide" {
		return theme{
			w: 25.4 * vg.Centimeter, h: 14.2875 * vg.Centimeter, dpi: 192,
			title: 20, label: 15, tick: 14, legend: 14, annot: 13,
			line: 2.4, thin: 0.9, marker: 5.5, margin: 10, gap: 8, dashScale: 1.6,
			tickLength: 5, forestLabel: 12,
		}
	}
	return theme{
		w: 16 * vg.Centimeter, h: 10 * vg.Centimeter, dpi: 300,
		title: 11, label: 9, tick: 8.5, legend: 8.5, annot: 8,
		line: 1.5, thin: 0.5, marker: 3.3, margin: 5, gap: 5, dashScale: 1,
		tickLength: 3, forestLabel: 8.5,
	}
}

// Fonts: Liberation Sans (metrically compatible with Arial/Helvetica) ships with
// gonum/plot and covers å, ä, ö, the minus sign and the narrow no-break space.
func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

func sansBold(size vg.Length) font.Font {
	f := sans(size)
	f.Weight = xfont.WeightBold
	return f
}

func textStyle(f font.Font, clr color.Color) text.Style {
	return text.Style{Color: clr, Font: f, XAlign: draw.XLeft, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}
}

var (
	black       = color.RGBA{A: 255}
	white       = color.RGBA{R: 255, G: 255, B: 255, A: 255}
	textGrey    = color.RGBA{R: 0x40, G: 0x40, B: 0x40, A: 255}
	axisGrey    = color.RGBA{R: 0x60, G: 0x60, B: 0x60, A: 255}
	gridGrey    = color.RGBA{R: 0xE0, G: 0xE0, B: 0xE0, A: 255}
	whiskerGrey = color.RGBA{R: 0x58, G: 0x58, B: 0x58, A: 255}
	zebraGrey   = color.RGBA{R: 0xF3, G: 0xF3, B: 0xF3, A: 255}
)

// Okabe–Ito, ordered so that neighbours differ in lightness (black first, for the
// baseline): black, orange, blue, sky blue, vermillion, bluish green, reddish purple,
// yellow.
var palette = []color.RGBA{
	{0x00, 0x00, 0x00, 0xFF},
	{0xE6, 0x9F, 0x00, 0xFF},
	{0x00, 0x72, 0xB2, 0xFF},
	{0x56, 0xB4, 0xE9, 0xFF},
	{0xD5, 0x5E, 0x00, 0xFF},
	{0x00, 0x9E, 0x73, 0xFF},
	{0xCC, 0x79, 0xA7, 0xFF},
	{0xF0, 0xE4, 0x42, 0xFF},
}

// Marker shapes, in variant order; filled shapes first.
var shapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, triangleGlyph{}, draw.BoxGlyph{}, diamondGlyph{},
	draw.RingGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.SquareGlyph{},
}

// Dash patterns in points at report size, in variant order.
var dashes = [][]vg.Length{
	nil,
	{6, 3},
	{1.5, 2},
	{7, 2.5, 1.5, 2.5},
	{11, 3},
	{5, 2, 1.5, 2, 1.5, 2},
	{3, 2},
	{11, 3, 4, 3},
}

// vstyle is how one variant looks in every chart.
type vstyle struct {
	name  string // as in the run
	label string // as shown
	color color.RGBA
	shape draw.GlyphDrawer
	dash  []vg.Length
}

func variantStyle(i int, name string, th theme) vstyle {
	d := dashes[i%len(dashes)]
	var ds []vg.Length
	for _, x := range d {
		ds = append(ds, x*vg.Length(th.dashScale))
	}
	return vstyle{
		name:  name,
		label: strings.ReplaceAll(name, "_", " "),
		color: palette[i%len(palette)],
		shape: shapes[i%len(shapes)],
		dash:  ds,
	}
}

// tint mixes c with white: a = 1 is c, a = 0 is white. Opaque, so that overlapping
// areas stay readable in greyscale and in every format.
func tint(c color.RGBA, a float64) color.RGBA {
	mix := func(x uint8) uint8 { return uint8(float64(x)*a + 255*(1-a) + 0.5) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 255}
}

// alpha returns c with opacity a.
func alpha(c color.RGBA, a float64) color.NRGBA {
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: uint8(a*255 + 0.5)}
}

// triangleGlyph is a filled triangle with the area of the other filled glyphs.
type triangleGlyph struct{}

func (triangleGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.2
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X - r*0.866, Y: pt.Y - r*0.5})
	p.Line(vg.Point{X: pt.X + r*0.866, Y: pt.Y - r*0.5})
	p.Close()
	c.Fill(p)
}

// diamondGlyph is a filled diamond.
type diamondGlyph struct{}

func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.25
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Close()
	c.Fill(p)
}

// drawMarker draws a variant's marker with a white halo, so that it stands out from
// bars and lines beneath it.
func drawMarker(c *draw.Canvas, v vstyle, pt vg.Point, r vg.Length) {
	halo := r * 0.35
	switch v.shape.(type) {
	case draw.RingGlyph, draw.CrossGlyph, draw.PlusGlyph, draw.SquareGlyph:
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: white, Radius: r + halo, Shape: draw.CircleGlyph{}}, pt)
		// Open glyphs need a thicker stroke to be seen.
		c.SetLineWidth(r * 0.45)
	default:
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: white, Radius: r + halo, Shape: haloOf(v.shape)}, pt)
	}
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: v.color, Radius: r, Shape: v.shape}, pt)
}

// haloOf returns the filled version of a glyph scaled for the halo.
func haloOf(g draw.GlyphDrawer) draw.GlyphDrawer {
	switch g.(type) {
	case draw.BoxGlyph:
		return draw.BoxGlyph{}
	case triangleGlyph:
		return triangleGlyph{}
	case diamondGlyph:
		return diamondGlyph{}
	}
	return draw.CircleGlyph{}
}

// blend composes top over bottom over white, as an opaque colour.
func blend(top, bottom color.NRGBA) color.RGBA {
	ab, at := float64(bottom.A)/255, float64(top.A)/255
	ch := func(t, b uint8) uint8 {
		base := float64(b)*ab + 255*(1-ab)
		return uint8(float64(t)*at + base*(1-at) + 0.5)
	}
	return color.RGBA{ch(top.R, bottom.R), ch(top.G, bottom.G), ch(top.B, bottom.B), 255}
}

// hatchKind is the pattern over a variant's filled areas, so that bars stay apart in
// greyscale beyond the first three variants (whose greys differ clearly): none, "/",
// "\" or both.
func hatchKind(i int) int {
	if i < 3 {
		return 0
	}
	return 1 + (i-3)%3
}

// hatch draws white diagonal lines over r.
func hatch(c *draw.Canvas, r vg.Rectangle, kind int, spacing, width vg.Length) {
	if kind == 0 || spacing <= 0 {
		return
	}
	sty := draw.LineStyle{Color: white, Width: width}
	x0, y0, x1, y1 := r.Min.X, r.Min.Y, r.Max.X, r.Max.Y
	if kind&1 != 0 { // "/": y = x − k
		for k := x0 - y1; k <= x1-y0; k += spacing {
			a, b := max(x0, y0+k), min(x1, y1+k)
			if a < b {
				c.StrokeLine2(sty, a, a-k, b, b-k)
			}
		}
	}
	if kind&2 != 0 { // "\": y = −x + k
		for k := x0 + y0; k <= x1+y1; k += spacing {
			a, b := max(x0, k-y1), min(x1, k-y0)
			if a < b {
				c.StrokeLine2(sty, a, k-a, b, k-b)
			}
		}
	}
}
