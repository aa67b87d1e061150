package plots

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"html"
	"image/color"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// render draws a chart in one format and returns the file's bytes.
func (e *env) render(s *spec, format string) (data []byte, err error) {
	defer func() {
		// gonum/plot panics on impossible geometry; report it as an error.
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing failed: %v", r)
		}
	}()
	var buf bytes.Buffer
	switch format {
	case "svg":
		c := vgsvg.NewWith(vgsvg.UseWH(s.w, s.h), vgsvg.EmbedFonts(e.opt.EmbedFonts))
		e.frame(s, draw.New(c))
		if _, err := c.WriteTo(&buf); err != nil {
			return nil, err
		}
		return e.fixSVG(buf.Bytes(), s.title), nil
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(s.w, s.h), vgimg.UseDPI(e.th.dpi), vgimg.UseBackgroundColor(color.White))
		e.frame(s, draw.New(c))
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
			return nil, err
		}
		return withDPI(buf.Bytes(), e.th.dpi), nil
	case "pdf":
		c := vgpdf.New(s.w, s.h)
		e.frame(s, draw.New(pdfCanvas{c}))
		if _, err := c.WriteTo(&buf); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("unknown format %q", format)
}

// frame paints the background and the title, then the chart's body below it.
func (e *env) frame(s *spec, c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, e.th.margin, -e.th.margin, e.th.margin, -e.th.margin)
	if !e.opt.NoTitle && s.title != "" {
		sty := textStyle(sansBold(e.th.title), black)
		lines := wrap(sty.Font, s.title, c.Max.X-c.Min.X)
		sty.YAlign = draw.YTop
		h := e.lineHeight(sty.Font) * vg.Length(len(lines))
		c.FillText(sty, vg.Point{X: c.Min.X, Y: c.Max.Y}, strings.Join(lines, "\n"))
		c.Max.Y -= h
		if s.subtitle != "" {
			sub := textStyle(sans(e.th.legend), textGrey)
			sub.YAlign = draw.YTop
			lines := wrap(sub.Font, s.subtitle, c.Max.X-c.Min.X)
			c.Max.Y -= e.th.gap * 0.3
			c.FillText(sub, vg.Point{X: c.Min.X, Y: c.Max.Y}, strings.Join(lines, "\n"))
			c.Max.Y -= e.lineHeight(sub.Font) * vg.Length(len(lines))
		}
		c.Max.Y -= e.th.gap * 1.5
	}
	s.body(c)
}

// lineHeight is the height of a line of text in font f.
func (e *env) lineHeight(f font.Font) vg.Length {
	return textStyle(f, black).FontExtents().Height
}

// textWidth is the width of txt in font f.
func textWidth(f font.Font, txt string) vg.Length {
	return textStyle(f, black).Width(txt)
}

// wrap breaks txt into lines no wider than w (a word longer than w gets a line of its
// own).
func wrap(f font.Font, txt string, w vg.Length) []string {
	var lines []string
	for _, para := range strings.Split(txt, "\n") {
		cur := ""
		for _, word := range strings.Fields(para) {
			try := word
			if cur != "" {
				try = cur + " " + word
			}
			if cur != "" && textWidth(f, try) > w {
				lines = append(lines, cur)
				cur = word
				continue
			}
			cur = try
		}
		lines = append(lines, cur)
	}
	return lines
}

// fixSVG names fallback fonts (Liberation Sans is metrically identical to Arial and
// Helvetica, so text keeps its size and place where Liberation is missing) and gives
// the drawing a title for screen readers.
func (e *env) fixSVG(b []byte, title string) []byte {
	if !e.opt.EmbedFonts {
		b = bytes.ReplaceAll(b, []byte("font-family:Liberation Sans;"),
			[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	}
	if title != "" {
		tag := []byte(`xmlns:xlink="http://www.w3.org/1999/xlink">` + "\n")
		b = bytes.Replace(b, tag, append(tag, []byte("<title>"+html.EscapeString(title)+"</title>\n")...), 1)
	}
	return b
}

// withDPI adds a pHYs chunk to a PNG so that word processors place it at its intended
// physical size (16 cm for a report chart) instead of assuming 96 dpi.
func withDPI(png []byte, dpi int) []byte {
	const sigLen, ihdrLen = 8, 8 + 13 + 4 // signature; IHDR length+type, data, CRC
	if len(png) < sigLen+ihdrLen || string(png[12:16]) != "IHDR" {
		return png
	}
	ppm := uint32(float64(dpi)/0.0254 + 0.5)
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = append(chunk, 1) // unit: metre
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	at := sigLen + ihdrLen
	out := make([]byte, 0, len(png)+len(chunk))
	out = append(out, png[:at]...)
	out = append(out, chunk...)
	return append(out, png[at:]...)
}

// pdfCanvas maps the characters that code page 1252 (the PDF writer's encoding) lacks
// to their nearest equivalents.
type pdfCanvas struct{ *vgpdf.Canvas }

var pdfReplacer = strings.NewReplacer(nnbsp, nbsp, "\u2009", nbsp, minus, "\u2013", "≥", ">=", "≤", "<=")

func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfont.WeightNormal {
		// vgpdf embeds every font of a document under the same file name, so a bold
		// face would show the regular glyphs with bold spacing; set it regular.
		reg := f.Font
		reg.Weight = xfont.WeightNormal
		f = plot.DefaultTextHandler.Cache().Lookup(reg, f.Font.Size)
	}
	c.Canvas.FillString(f, pt, cp1252(pdfReplacer.Replace(s)))
}

// cp1252 encodes s in code page 1252, the encoding vgpdf's fonts are set up for (it
// passes strings through unchanged); characters outside it become "?".
func cp1252(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			b = append(b, byte(r))
		default:
			if c, ok := cp1252High[r]; ok {
				b = append(b, c)
			} else {
				b = append(b, '?')
			}
		}
	}
	return string(b)
}

var cp1252High = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93,
	'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B,
	'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}
