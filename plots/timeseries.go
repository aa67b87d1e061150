package plots

import (
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"ersim/results"
)

// timeseries: a metric over the simulated years, per variant the median line with the
// 50 % band (p25–p75) and the 90 % band (p05–p95) across replications.
func (e *env) timeseries(m string) *spec {
	byV := make([][]results.SeriesRow, len(e.run.Variants))
	found := false
	for _, r := range e.run.Timeseries {
		if r.Metric != m || len(r.Q) < 7 {
			continue
		}
		i, ok := e.vindex[r.Variant]
		if !ok {
			continue
		}
		byV[i] = append(byV[i], r)
		found = true
	}
	if !found {
		return nil
	}
	// Periods per year, from the period midpoints: year = (period − ½) / per.
	per := 1.0
	for _, rows := range byV {
		if len(rows) > 0 && rows[0].Year > 0 {
			per = math.Round((float64(rows[0].Period) - 0.5) / rows[0].Year)
			break
		}
	}
	if per < 1 {
		per = 1
	}
	// Flows (totals per period) are shown per period: as yearly rates, payments made
	// once a year would read as absurd annual amounts.
	flow := false
	for _, rows := range byV {
		if len(rows) > 0 && strings.HasSuffix(rows[0].Unit, "per period") {
			flow = true
		}
	}
	mag := newBounds()
	for _, rows := range byV {
		for _, r := range rows {
			mag.add(math.Abs(r.Q[5]), math.Abs(r.Q[1]))
		}
	}
	sc := e.scaleFor(m, mag.hi)
	f := sc.factor
	unit := csvUnit(m, sc)
	perEn, perSv := periodWords(per)
	if flow {
		sc.axis = strings.Replace(sc.axis, e.tr("per year", "per år"), e.tr("per "+perEn, "per "+perSv), 1)
		unit = strings.Replace(unit, "per year", "per "+perEn, 1)
	}

	s := &spec{id: "timeseries_" + m, w: e.th.w, h: e.th.h}
	switch perEn {
	case "month", "quarter", "week":
		s.title = e.metricName(m) + e.tr(", "+perEn+" by "+perEn, ", "+perSv+" för "+perSv)
	default:
		s.title = e.metricName(m) + e.tr(" over time", " över tid")
	}
	s.header = []string{"variant", "period", "year", "unit", "p05", "p25", "p50", "p75", "p95"}
	xb, yb := newBounds(), newBounds()
	xb.add(0)
	for i, rows := range byV {
		for _, r := range rows {
			s.rows = append(s.rows, []string{e.run.Variants[i], itoa(r.Period), csvNum(r.Year), unit,
				csvNum(r.Q[1] * f), csvNum(r.Q[2] * f), csvNum(r.Q[3] * f), csvNum(r.Q[4] * f), csvNum(r.Q[5] * f)})
			xb.add(float64(r.Period) / per)
			yb.add(r.Q[1]*f, r.Q[5]*f)
		}
	}
	perYear := ""
	if flow {
		perYear = e.tr(" Values are totals per "+perEn+", so what happens once a year or once a quarter shows as peaks.",
			" Värdena är summor per "+perSv+", så det som sker en gång om året eller i kvartalet syns som toppar.")
	}
	s.caption = e.fixPct(e.tr(
		"The line is the median over "+e.repsText()+" in each period, the darker band holds the middle 50 % of replications and the lighter band 90 %; where bands of variants do not overlap, the difference is larger than the chance variation between replications."+perYear,
		"Linjen är medianen över "+e.repsText()+" i varje period, det mörkare bandet rymmer de mittersta 50 % av replikeringarna och det ljusare 90 %; där varianternas band inte överlappar är skillnaden större än slumpvariationen mellan replikeringar."+perYear))

	s.body = func(c draw.Canvas) {
		var entries []legendEntry
		for i, rows := range byV {
			if len(rows) > 0 {
				entries = append(entries, legendEntry{e.vs[i].label, e.lineThumb(e.vs[i], false)})
			}
		}
		grey := e.vs[0].color
		entries = append(entries,
			legendEntry{e.fixPct(e.tr("50 % of replications", "50 % av replikeringarna")), e.swatchThumb(blend(alpha(grey, band50), alpha(grey, band90)), nil)},
			legendEntry{e.fixPct(e.tr("90 % of replications", "90 % av replikeringarna")), e.swatchThumb(alpha(grey, band90), nil)})
		c = e.drawLegend(c, entries)

		p := e.newPlot()
		p.X.Label.Text = e.tr("Years from start", "År från start")
		p.Y.Label.Text = sc.axis
		p.X.Tick.Marker = ticker{loc: e.loc, max: 11, integer: true}
		p.Y.Tick.Marker = ticker{loc: e.loc, max: 8, pct: sc.pct}
		p.X.Min, p.X.Max = 0, math.Ceil(xb.hi-1e-9)
		p.Y.Min, p.Y.Max = niceRange(yb.lo, yb.hi, 0.05)
		p.Add(e.grid(true, true))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			band := func(rows []results.SeriesRow, lo, hi int) []vg.Point {
				var pts []vg.Point
				for _, r := range rows {
					if finite(r.Q[lo]) {
						pts = append(pts, vg.Point{X: tx(r.Year), Y: ty(r.Q[lo] * f)})
					}
				}
				for k := len(rows) - 1; k >= 0; k-- {
					if r := rows[k]; finite(r.Q[hi]) {
						pts = append(pts, vg.Point{X: tx(r.Year), Y: ty(r.Q[hi] * f)})
					}
				}
				return pts
			}
			for _, q := range [][2]int{{1, 5}, {2, 4}} {
				for i, rows := range byV {
					a := band90
					if q[0] == 2 {
						a = band50
					}
					if pts := band(rows, q[0], q[1]); len(pts) > 2 {
						c.FillPolygon(alpha(e.vs[i].color, a), c.ClipPolygonXY(pts))
					}
				}
			}
			for i, rows := range byV {
				var line []vg.Point
				for _, r := range rows {
					if finite(r.Q[3]) {
						line = append(line, vg.Point{X: tx(r.Year), Y: ty(r.Q[3] * f)})
					}
				}
				if len(line) > 1 {
					v := e.vs[i]
					c.StrokeLines(draw.LineStyle{Color: v.color, Width: e.th.line, Dashes: v.dash}, c.ClipLinesXY(line)...)
				}
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// Opacity of the bands; the 50 % band lies on the 90 % band.
const band90, band50 = 0.13, 0.15

// periodWords names a period of the given length in both languages.
func periodWords(perYear float64) (en, sv string) {
	switch perYear {
	case 1:
		return "year", "år"
	case 2:
		return "half-year", "halvår"
	case 4:
		return "quarter", "kvartal"
	case 12:
		return "month", "månad"
	case 52:
		return "week", "vecka"
	}
	return "period", "period"
}
