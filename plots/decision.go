package plots

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"ersim/results"
)

// Decision view (ersim decision): the cost-effectiveness acceptability curves with
// their frontier, one chart per perspective, and the EVPI against the value per health
// unit.

// DecisionCurves is one perspective's curves over the values per health unit.
type DecisionCurves struct {
	Perspective       string      // "payer" or "society"
	Lambda            []float64   // SEK per health unit
	ProbBest          [][]float64 // [variant][λ], 0–1
	Frontier          []int       // per λ, the variant with the highest expected net benefit
	EVPIRaw, EVPIMeta []float64   // SEK per year
	// EVPPI per parameter group at the λ nearest the scenario's value (issue 15): what
	// knowing that group alone would be worth a year. Empty without groups.
	EVPPIGroups []string
	EVPPI       []float64 // SEK per year, per group
	EVPPILambda float64
}

// DrawDecision draws the acceptability curves (decision_ceac_PERSPECTIVE) and the EVPI
// chart (decision_evpi) into dir, each with the CSV of its data, written atomically.
// variants are the run's variants, baseline first; reps the PSA replications; value
// the scenario's value per health unit, marked on every chart.
func DrawDecision(cs []DecisionCurves, variants []string, reps int, value float64, dir string, opt Options) ([]Chart, error) {
	if len(variants) == 0 || len(cs) == 0 {
		return nil, fmt.Errorf("plots: nothing to draw")
	}
	opt, formats, err := checkOptions(opt)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	run := &results.Run{Variants: variants, Manifest: results.Manifest{Replications: reps}}
	e := newEnv(run, opt)
	var specs []*spec
	for i := range cs {
		specs = append(specs, e.ceac(&cs[i], value))
	}
	specs = append(specs, e.evpi(cs, value))
	if len(cs[0].EVPPIGroups) > 0 {
		specs = append(specs, e.evppi(cs))
	}
	var charts []Chart
	for _, s := range specs {
		c, err := e.write(s, dir, formats)
		if err != nil {
			return nil, err
		}
		charts = append(charts, c)
	}
	return charts, nil
}

func (e *env) perspectiveName(p string) string {
	switch p {
	case "payer":
		return e.tr("the payer", "betalaren")
	case "society":
		return e.tr("society", "samhället")
	}
	return p
}

// perspectiveTitle is the perspective's name as a legend label.
func (e *env) perspectiveTitle(p string) string {
	switch p {
	case "payer":
		return e.tr("Payer", "Betalaren")
	case "society":
		return e.tr("Society", "Samhället")
	}
	return p
}

// lambdaAxis is the x axis of the decision charts: λ in thousand SEK.
func (e *env) lambdaAxis(p *plot.Plot, lam []float64) {
	p.X.Label.Text = e.tr("Value per health unit (thousand SEK)", "Värde per hälsoenhet (tusen kronor)")
	p.X.Tick.Marker = ticker{loc: e.loc, max: 9}
	p.X.Min, p.X.Max = lam[0]/1e3, lam[len(lam)-1]/1e3
	if p.X.Max == p.X.Min {
		p.X.Max = p.X.Min + 1
	}
}

// valueLine marks the scenario's value per health unit.
func (e *env) valueLine(value float64) plot.Plotter {
	return fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
		x := value / 1e3
		if x < pl.X.Min || x > pl.X.Max {
			return
		}
		tx, _ := pl.Transforms(&c)
		c.StrokeLine2(draw.LineStyle{Color: axisGrey, Width: e.th.thin * 1.5, Dashes: []vg.Length{3 * e.th.thin * 2, 2 * e.th.thin * 2}},
			tx(x), c.Min.Y, tx(x), c.Max.Y)
		sty := textStyle(sans(e.th.annot), textGrey)
		sty.XAlign = draw.XLeft
		sty.YAlign = draw.YTop
		label := e.tr("scenario's value", "scenariots värde")
		at := vg.Point{X: tx(x) + e.th.gap*0.5, Y: c.Max.Y - e.th.gap*0.2}
		if at.X+textWidth(sty.Font, label) > c.Max.X { // no room on the right: left of the line
			sty.XAlign = draw.XRight
			at.X = tx(x) - e.th.gap*0.5
		}
		c.FillText(sty, at, label)
	})
}

// ceac is one perspective's acceptability curves with the frontier.
func (e *env) ceac(d *DecisionCurves, value float64) *spec {
	per := e.perspectiveName(d.Perspective)
	s := &spec{id: "decision_ceac_" + d.Perspective, w: e.th.w, h: e.th.h}
	s.title = e.tr("Probability that each variant is best, for "+per, "Sannolikhet att varje variant är bäst, för "+per)
	s.subtitle = e.tr("Acceptability curves; the wide pale band follows the variant with the highest expected net benefit (the frontier).",
		"Acceptanskurvor; det breda ljusa bandet följer varianten med högst förväntad nettonytta (fronten).")
	s.header = []string{"wtp_sek_per_health_unit", "variant", "prob_best_pct", "on_frontier"}
	for i, v := range e.run.Variants {
		for k, l := range d.Lambda {
			s.rows = append(s.rows, []string{csvNum(l), v, csvNum(d.ProbBest[i][k] * 100), fmt.Sprint(d.Frontier[k] == i)})
		}
	}
	cost := e.tr("payments and the region's follow-up cost", "utbetalningar och regionens uppföljningskostnad")
	if d.Perspective == "society" {
		cost = e.tr("clinical resource cost and all administrative cost", "kliniska resurskostnader och alla administrativa kostnader")
	}
	s.caption = e.fixPct(e.tr(
		"For each value of a health unit, the share of "+e.repsText()+" of the probabilistic sensitivity analysis in which the variant has the highest net benefit (value of health benefit minus "+cost+"). The frontier marks the variant a decision maker should choose at that value: the one with the highest expected net benefit, which need not be the one most often best. The dashed line is the value in the scenario file.",
		"För varje värde på en hälsoenhet, andelen av "+e.repsText()+" i den probabilistiska känslighetsanalysen där varianten har högst nettonytta (värdet av hälsovinsten minus "+cost+"). Fronten markerar den variant en beslutsfattare bör välja vid det värdet: den med högst förväntad nettonytta, som inte behöver vara den som oftast är bäst. Den streckade linjen är värdet i scenariofilen."))
	s.body = func(c draw.Canvas) {
		var entries []legendEntry
		for i := range e.run.Variants {
			entries = append(entries, legendEntry{e.vs[i].label, e.lineThumb(e.vs[i], false)})
		}
		entries = append(entries, legendEntry{e.tr("Frontier", "Front"), func(c *draw.Canvas, r vg.Rectangle) {
			y := (r.Min.Y + r.Max.Y) / 2
			c.StrokeLine2(draw.LineStyle{Color: gridGrey, Width: e.th.line * 5}, r.Min.X, y, r.Max.X, y)
		}})
		c = e.drawLegend(c, entries)
		p := e.newPlot()
		e.lambdaAxis(p, d.Lambda)
		p.Y.Label.Text = e.fixPct(e.tr("Probability best (%)", "Sannolikhet bäst (%)"))
		p.Y.Tick.Marker = ticker{loc: e.loc, max: 6, pct: true, limit: &[2]float64{0, 100}}
		p.Y.Min, p.Y.Max = -2, 112 // the strip above 100 % holds the scenario value's label
		p.Add(e.grid(true, true))
		p.Add(e.valueLine(value))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			pt := func(i, k int) vg.Point { return vg.Point{X: tx(d.Lambda[k] / 1e3), Y: ty(d.ProbBest[i][k] * 100)} }
			// Frontier: a wide pale band along the chosen variant, joined across switches.
			var seg []vg.Point
			for k := range d.Lambda {
				i := d.Frontier[k]
				if k > 0 && d.Frontier[k-1] != i {
					seg = append(seg, pt(i, k))
					c.StrokeLines(draw.LineStyle{Color: gridGrey, Width: e.th.line * 5}, c.ClipLinesXY(seg)...)
					seg = nil
				}
				seg = append(seg, pt(i, k))
			}
			if len(seg) == 1 {
				seg = append(seg, seg[0])
			}
			c.StrokeLines(draw.LineStyle{Color: gridGrey, Width: e.th.line * 5}, c.ClipLinesXY(seg)...)
			for i := range e.run.Variants {
				var line []vg.Point
				for k := range d.Lambda {
					line = append(line, pt(i, k))
				}
				v := e.vs[i]
				if len(line) == 1 {
					drawMarker(&c, v, line[0], e.th.marker)
					continue
				}
				c.StrokeLines(draw.LineStyle{Color: v.color, Width: e.th.line, Dashes: v.dash}, c.ClipLinesXY(line)...)
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// evpi is the EVPI against λ, both perspectives, metamodel (solid) and raw (dashed).
func (e *env) evpi(cs []DecisionCurves, value float64) *spec {
	s := &spec{id: "decision_evpi", w: e.th.w, h: e.th.h}
	s.title = e.tr("Expected value of perfect information", "Förväntat värde av perfekt information")
	s.subtitle = e.tr("Solid: metamodel estimate, the one to read; dashed: raw, inflated by replication noise.",
		"Heldragen: metamodellens skattning, den att läsa; streckad: rå, uppblåst av slumpbrus.")
	mag := 0.0
	for _, d := range cs {
		for k := range d.Lambda {
			mag = max(mag, math.Abs(d.EVPIRaw[k]), math.Abs(d.EVPIMeta[k]))
		}
	}
	f, unit, unitSv, suffix := 1e-6, "MSEK per year", "MSEK per år", "_msek_per_year"
	if mag < 1e5 {
		f, unit, unitSv, suffix = 1e-3, "thousand SEK per year", "tusen kronor per år", "_thousand_sek_per_year"
	}
	s.header = []string{"wtp_sek_per_health_unit", "perspective", "evpi_metamodel" + suffix, "evpi_raw" + suffix}
	for _, d := range cs {
		for k, l := range d.Lambda {
			s.rows = append(s.rows, []string{csvNum(l), d.Perspective, csvNum(d.EVPIMeta[k] * f), csvNum(d.EVPIRaw[k] * f)})
		}
	}
	s.caption = e.tr(
		"What it would be worth per year to know every uncertain parameter before choosing a variant, for each value of a health unit, over "+e.repsText()+" of the probabilistic sensitivity analysis. The raw estimate takes the best variant in each replication, so the chance variation between replications counts as information; the metamodel estimate first regresses each variant's net benefit on the parameter draws, which keeps only what the parameters explain. Zero where one variant is best in every draw. The dashed vertical line is the value in the scenario file.",
		"Vad det vore värt per år att känna alla osäkra parametrar innan en variant väljs, för varje värde på en hälsoenhet, över "+e.repsText()+" i den probabilistiska känslighetsanalysen. Den råa skattningen tar den bästa varianten i varje replikering, så att slumpvariationen mellan replikeringar räknas som information; metamodellskattningen regresserar först varje variants nettonytta på parameterdragningarna och behåller bara det som parametrarna förklarar. Noll där en variant är bäst i varje dragning. Den streckade lodräta linjen är värdet i scenariofilen.")
	colors := []vstyle{
		{color: palette[2], dash: nil},
		{color: palette[4], dash: nil},
	}
	s.body = func(c draw.Canvas) {
		var entries []legendEntry
		for i, d := range cs {
			v := colors[i%len(colors)]
			name := e.perspectiveTitle(d.Perspective)
			entries = append(entries, legendEntry{name + e.tr(", metamodel", ", metamodell"), e.lineThumb(v, false)})
			raw := v
			raw.dash = []vg.Length{4 * vg.Length(e.th.dashScale), 2.5 * vg.Length(e.th.dashScale)}
			entries = append(entries, legendEntry{name + e.tr(", raw", ", rå"), e.lineThumb(raw, false)})
		}
		c = e.drawLegend(c, entries)
		p := e.newPlot()
		e.lambdaAxis(p, cs[0].Lambda)
		p.Y.Label.Text = e.tr("EVPI ("+unit+")", "EVPI ("+unitSv+")")
		hi := mag * f
		if hi <= 0 {
			hi = 1
		}
		_, top := niceRange(0, hi, 0.05)
		p.Y.Tick.Marker = ticker{loc: e.loc, max: 7, limit: &[2]float64{0, top}}
		p.Y.Min, p.Y.Max = 0, top*1.1 // the strip above the top tick holds the scenario value's label
		p.Add(e.grid(true, true))
		p.Add(e.valueLine(value))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			for i, d := range cs {
				v := colors[i%len(colors)]
				for _, raw := range []bool{true, false} {
					var line []vg.Point
					for k, l := range d.Lambda {
						y := d.EVPIMeta[k]
						if raw {
							y = d.EVPIRaw[k]
						}
						line = append(line, vg.Point{X: tx(l / 1e3), Y: ty(y * f)})
					}
					sty := draw.LineStyle{Color: v.color, Width: e.th.line}
					if raw {
						sty.Width = e.th.line * 0.7
						sty.Dashes = []vg.Length{4 * vg.Length(e.th.dashScale), 2.5 * vg.Length(e.th.dashScale)}
					}
					if len(line) > 1 {
						c.StrokeLines(sty, c.ClipLinesXY(line)...)
					}
				}
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}

// evppi is the expected value of partial perfect information per parameter group, at
// the scenario's value of a health unit, as horizontal bars, one panel per perspective.
func (e *env) evppi(cs []DecisionCurves) *spec {
	s := &spec{id: "decision_evppi", w: e.th.w, h: e.th.h}
	lam := e.tloc.num(cs[0].EVPPILambda, 0)
	s.title = e.tr("Expected value of partial perfect information", "Förväntat värde av partiell perfekt information")
	s.subtitle = e.tr("What knowing each group of parameters before choosing would be worth a year, at "+lam+" SEK per health unit.",
		"Vad det vore värt per år att känna varje grupp av parametrar innan valet, vid "+lam+" kr per hälsoenhet.")
	mag := 0.0
	for _, d := range cs {
		for _, x := range d.EVPPI {
			mag = max(mag, math.Abs(x))
		}
	}
	f, unit, unitSv := 1e-6, "MSEK per year", "MSEK per år"
	if mag < 1e5 {
		f, unit, unitSv = 1e-3, "thousand SEK per year", "tusen kronor per år"
	}
	s.header = []string{"wtp_sek_per_health_unit", "perspective", "group", "evppi_sek_per_year"}
	for _, d := range cs {
		for k, g := range d.EVPPIGroups {
			s.rows = append(s.rows, []string{csvNum(d.EVPPILambda), d.Perspective, g, csvNum(d.EVPPI[k])})
		}
	}
	s.caption = e.tr(
		"Each bar is a group of uncertain parameters (ersim decision --groups, or each parameter alone): the metamodel estimate of what it would be worth per year to know that group's values before choosing a variant, over "+e.repsText()+". A long bar is where further research pays; bars near zero are parameters the choice does not hang on. decision/evppi.csv has every value of a health unit.",
		"Varje stapel är en grupp osäkra parametrar (ersim decision --groups, eller varje parameter för sig): metamodellens skattning av vad det vore värt per år att känna gruppens värden innan en variant väljs, över "+e.repsText()+". En lång stapel visar var mer forskning lönar sig; staplar nära noll är parametrar som valet inte hänger på. decision/evppi.csv har alla värden på en hälsoenhet.")
	colors := []color.RGBA{palette[2], palette[4]}
	s.body = func(c draw.Canvas) {
		var entries []legendEntry
		for i, d := range cs {
			entries = append(entries, legendEntry{e.perspectiveTitle(d.Perspective), e.lineThumb(vstyle{color: colors[i%2]}, false)})
		}
		c = e.drawLegend(c, entries)
		p := e.newPlot()
		p.X.Label.Text = e.tr("EVPPI ("+unit+")", "EVPPI ("+unitSv+")")
		groups := cs[0].EVPPIGroups
		// The bars largest first (the larger of the perspectives), as in a tornado; ties
		// keep the order of the groups.
		order := make([]int, len(groups))
		for k := range order {
			order[k] = k
		}
		most := func(k int) float64 {
			m := 0.0
			for _, d := range cs {
				m = max(m, d.EVPPI[k])
			}
			return m
		}
		sort.SliceStable(order, func(a, b int) bool { return most(order[a]) > most(order[b]) })
		row := make([]float64, len(groups)) // a group's row, 0 at the top
		for r, k := range order {
			row[k] = float64(r)
		}
		hi := mag * f
		if hi <= 0 {
			hi = 1
		}
		_, top := niceRange(0, hi, 0.05)
		// The axis ends at a tick, so that the longest bar is read against a label.
		for range 4 {
			step := tickStep(0, top, 8)
			next := math.Ceil(top/step-1e-9) * step
			if next == top {
				break
			}
			top = next
		}
		p.X.Min, p.X.Max = 0, top
		p.X.Tick.Marker = ticker{loc: e.loc, max: 8}
		p.Y.Min, p.Y.Max = -0.5, float64(len(groups))-0.5
		p.Y.Tick.Marker = plot.ConstantTicks(func() []plot.Tick {
			var ts []plot.Tick
			for k, g := range groups {
				// A parameter alone by its name in plain words (as in the tornado), a
				// --group by the name given to it.
				ts = append(ts, plot.Tick{Value: float64(len(groups)-1) - row[k], Label: e.paramName(g)})
			}
			return ts
		}())
		p.Add(e.grid(true, false))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			n := float64(len(cs))
			for i, d := range cs {
				for k := range groups {
					y := float64(len(groups)-1) - row[k] + 0.35 - (float64(i)+0.5)*0.7/n
					h := 0.7 / n * 0.45
					bar := []vg.Point{{X: tx(0), Y: ty(y - h)}, {X: tx(d.EVPPI[k] * f), Y: ty(y - h)}, {X: tx(d.EVPPI[k] * f), Y: ty(y + h)}, {X: tx(0), Y: ty(y + h)}}
					c.FillPolygon(colors[i%2], bar)
				}
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}
