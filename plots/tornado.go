package plots

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"ersim/results"
)

// One-way sensitivity analysis (ersim sensitivity): a tornado chart per metric, a bar per
// uncertain parameter from the metric's base value to its value with the parameter at
// its low and at its high value, the widest bar on top.

// TornadoBar is one uncertain parameter's row of a tornado chart.
type TornadoBar struct {
	Key           string  // key path, e.g. behaviour.admin.hours_per_claim
	Low, High     float64 // the parameter's low and high values
	AtLow, AtHigh float64 // the metric's mean with the parameter at Low and at High
}

// Width is the bar's width, |AtHigh − AtLow|; NaN when either end is missing.
func (b TornadoBar) Width() float64 { return math.Abs(b.AtHigh - b.AtLow) }

// Tornado is one tornado chart: a metric's level for one variant (Baseline ""), or a
// variant's paired difference from the baseline.
type Tornado struct {
	Metric   string
	Variant  string
	Baseline string  // "" for a level
	Base     float64 // the metric (or the difference) with every parameter at base
	Bars     []TornadoBar
}

// ID is the chart's file stem: tornado_METRIC, or tornado_METRIC_diff_VARIANT.
func (t *Tornado) ID() string {
	if t.Baseline == "" {
		return "tornado_" + t.Metric
	}
	return "tornado_" + t.Metric + "_diff_" + t.Variant
}

// TornadoOrder returns the indices of bars from the widest to the narrowest (the order
// of the rows from the top); bars of equal width keep the order given, and bars without
// a width (NaN) come last.
func TornadoOrder(bars []TornadoBar) []int {
	idx := make([]int, len(bars))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		wa, wb := bars[idx[a]].Width(), bars[idx[b]].Width()
		if math.IsNaN(wb) {
			return !math.IsNaN(wa)
		}
		return wa > wb
	})
	return idx
}

// DrawTornadoes draws the tornado charts into dir (created if needed): for each, a file
// per format in opt.Formats and a CSV of the plotted data, written atomically. variants
// are the run's variants, baseline first; reps the replications behind every mean.
func DrawTornadoes(ts []Tornado, variants []string, reps int, dir string, opt Options) ([]Chart, error) {
	if len(variants) == 0 {
		return nil, fmt.Errorf("plots: no variants")
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
	var charts []Chart
	for i := range ts {
		s := e.tornado(&ts[i])
		if s == nil {
			continue
		}
		c, err := e.write(s, dir, formats)
		if err != nil {
			return nil, err
		}
		charts = append(charts, c)
	}
	return charts, nil
}

// paramTexts names the shipped scenarios' uncertain parameters in plain words.
var paramTexts = map[string][2]string{
	"behaviour.quality.substitution":                     {"Substitution towards measured quality", "Substitution mot uppmätt kvalitet"},
	"behaviour.quality.weight_measured":                  {"Share of quality the indicators capture", "Andel av kvaliteten som indikatorerna fångar"},
	"behaviour.quality.achievement_response":             {"Indicator achievement per unit of effort", "Måluppfyllelse per insatsenhet"},
	"behaviour.quality.loss_aversion":                    {"Loss aversion (sanctions against bonuses)", "Förlustaversion (viten mot bonus)"},
	"behaviour.admin.hours_per_indicator_report":         {"Administrative hours per indicator report", "Administrativa timmar per indikatorrapport"},
	"behaviour.admin.hours_per_claim":                    {"Administrative hours per claim", "Administrativa timmar per debitering"},
	"behaviour.motivation.kappa":                         {"Motivation crowding out (κ)", "Undanträngning av motivation (κ)"},
	"behaviour.volume.decision_noise":                    {"Noise in volume decisions", "Brus i volymbeslut"},
	"behaviour.volume.wait_elasticity":                   {"Demand response to waiting", "Efterfrågans känslighet för väntan"},
	"behaviour.exceptions.clinical_rate":                 {"Clinical exception rate", "Andel kliniskt undantagna patienter"},
	"behaviour.admin.hours_per_indicator_patient":        {"Reporting hours per indicator, report and patient", "Rapporteringstimmar per indikator, rapport och patient"},
	"behaviour.admin.clinician_share":                    {"Clinicians' share of administrative hours", "Klinikernas andel av de administrativa timmarna"},
	"behaviour.admin.other_clinician_hours_per_fte_year": {"Clinicians' other administration (hours per FTE)", "Klinikernas övriga administration (timmar per årsarbetare)"},
	"behaviour.admin.region_hours_per_contract_year":     {"Region's follow-up hours per contract", "Regionens uppföljningstimmar per avtal"},
}

// paramName returns an uncertain parameter's name in plain words, or its key path.
func (e *env) paramName(key string) string {
	if t, ok := paramTexts[key]; ok {
		return e.tr(t[0], t[1])
	}
	// cohorts.NAME.altruism.a and the like: a parameter of a per-provider distribution.
	parts := strings.Split(key, ".")
	if len(parts) == 4 && parts[0] == "cohorts" {
		what := map[string][2]string{
			"altruism":          {"Altruism", "Altruism"},
			"gaming_propensity": {"Gaming propensity", "Benägenhet att spela systemet"},
		}[parts[2]]
		if what[0] != "" {
			// The cohort by the scenario's label for it in the chart's language.
			who := e.label(parts[1])
			return e.tr(what[0]+" of "+who+" ("+parts[3]+")", what[1]+" hos "+who+" ("+parts[3]+")")
		}
	}
	return key
}

// tornado builds one tornado chart, or nil without bars.
func (e *env) tornado(t *Tornado) *spec {
	order := TornadoOrder(t.Bars)
	var bars []TornadoBar
	for _, i := range order {
		if b := t.Bars[i]; finite(b.AtLow, b.AtHigh) {
			bars = append(bars, b)
		}
	}
	if len(bars) == 0 || !finite(t.Base) {
		return nil
	}
	maxAbs := math.Abs(t.Base)
	for _, b := range bars {
		maxAbs = max(maxAbs, math.Abs(b.AtLow), math.Abs(b.AtHigh))
	}
	sc := e.scaleFor(t.Metric, maxAbs)
	f := sc.factor
	base := t.Base * f
	xb := newBounds()
	xb.add(base)
	for _, b := range bars {
		xb.add(b.AtLow*f, b.AtHigh*f)
	}
	diff := t.Baseline != ""
	// A difference in a share is in percentage points, not in per cent (as in the
	// trade-off and sweep charts and the console).
	pp := diff && sc.pct
	vlabel := e.variantLabel(t.Variant)
	bl := e.tr("“", "”") + e.variantLabel(t.Baseline) + "”"
	vq := e.tr("“", "”") + vlabel + "”"
	mname := e.metricName(t.Metric)

	n := len(bars)
	s := &spec{id: t.ID(), w: e.th.w, h: e.th.h}
	if e.opt.Size != "slide" {
		s.h = max(e.th.h, vg.Length(float64(n)*0.62+4.2)*vg.Centimeter)
	}
	if diff {
		s.title = e.tr("Sensitivity: difference in "+lowerFirst(mname)+", "+vq+" − "+bl,
			"Känslighet: skillnad i "+lowerFirst(mname)+", "+vq+" − "+bl)
	} else {
		s.title = e.tr("Sensitivity: "+mname+" ("+vq+")", "Känslighet: "+mname+" ("+vq+")")
	}
	s.subtitle = e.tr("One uncertain parameter at a time at its low and its high value, the others at base; widest bar on top.",
		"En osäker parameter i taget på sitt låga och sitt höga värde, de andra på basvärdet; bredaste stapeln överst.")
	col := t.Metric + sc.suffix
	if diff {
		col = "diff_" + t.Metric + sc.diffSuffix()
	}
	s.header = []string{"rank", "key", "parameter", "param_low", "param_high", col + "_base", col + "_at_low", col + "_at_high", "swing"}
	for k, b := range bars {
		s.rows = append(s.rows, []string{itoa(k + 1), b.Key, e.paramName(b.Key), csvNum(b.Low), csvNum(b.High),
			csvNum(base), csvNum(b.AtLow * f), csvNum(b.AtHigh * f), csvNum(b.Width() * f)})
	}
	what := e.tr(lowerFirst(mname)+" for "+vq, lowerFirst(mname)+" för "+vq)
	if diff {
		what = e.tr("the paired difference "+vq+" − "+bl+" in "+lowerFirst(mname), "den parade skillnaden "+vq+" − "+bl+" i "+lowerFirst(mname))
	}
	zero := ""
	if diff {
		zero = e.tr(" The dashed line marks no difference.", " Den streckade linjen markerar ingen skillnad.")
	}
	s.caption = e.fixPct(e.tr(
		"Each bar is an uncertain parameter of the scenario's [uncertainty] section: it runs from "+what+" with every parameter at its value in the file (the vertical line) to its value with this parameter alone at its low value (blue) and at its high value (orange), each the mean over "+e.repsText()+" on the same random numbers. Low and high are the range given in the file, or the 5th and 95th percentiles of the parameter's distribution, shown beside its name. The widest bar, on top, is the assumption the result depends on most."+zero,
		"Varje stapel är en osäker parameter i scenariots avsnitt [uncertainty]: den går från "+what+" med alla parametrar på sina värden i filen (den lodräta linjen) till värdet med just denna parameter på sitt låga värde (blått) och på sitt höga värde (orange), vardera medelvärdet över "+e.repsText()+" på samma slumptal. Lågt och högt är spannet som filen anger, eller fördelningens 5:e och 95:e percentil, och står intill namnet. Den bredaste stapeln, överst, är det antagande som resultatet beror mest på."+zero))

	lowC, highC := palette[2], palette[4]
	names := make([]string, n)
	for k, b := range bars {
		names[n-1-k] = e.paramName(b.Key) + "  (" + e.loc.auto(b.Low) + " – " + e.loc.auto(b.High) + ")"
	}
	s.body = func(c draw.Canvas) {
		c = e.drawLegend(c, []legendEntry{
			{e.tr("Parameter at its low value", "Parametern på sitt låga värde"), e.swatchThumb(lowC, nil)},
			{e.tr("Parameter at its high value", "Parametern på sitt höga värde"), e.swatchThumb(highC, nil)},
		})
		p := e.newPlot()
		labelSize := e.th.forestLabel
		if e.opt.Size == "slide" {
			avail := c.Max.Y - c.Min.Y - 3*e.th.label
			labelSize = min(e.th.forestLabel, max(9, avail/vg.Length(n)/1.25))
		}
		p.Y.Tick.Marker = categoryTicks(names)
		p.Y.Tick.Length = 0
		p.Y.Tick.Label.Font = sans(labelSize)
		p.Y.Tick.Label.Color = black
		if diff {
			p.X.Label.Text = e.tr("Difference from "+bl+": ", "Skillnad mot "+bl+": ") + lowerFirst(sc.axis)
		} else {
			p.X.Label.Text = sc.axis
		}
		if pp {
			// On lines of their own: one line this long would narrow the plot.
			p.X.Label.Text = e.tr("Difference from "+bl+":\n", "Skillnad mot "+bl+":\n") + lowerFirst(sc.axis) +
				e.tr("\n(percentage points)", "\n(procentenheter)")
		}
		p.X.Tick.Marker = ticker{loc: e.loc, max: 7, pct: sc.pct && !pp, signed: diff}
		lo, hi := xb.lo, xb.hi
		if hi-lo == 0 {
			d := math.Max(math.Abs(base)*0.05, 1e-9)
			lo, hi = lo-d, hi+d
		}
		span := hi - lo
		p.X.Min, p.X.Max = lo-span*0.06, hi+span*0.06
		p.Y.Min, p.Y.Max = -0.6, float64(n)+0.15 // room above the top bar for the base label
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			_, ty := pl.Transforms(&c)
			for k := 0; k < n; k += 2 {
				y := float64(n - 1 - k)
				c.FillPolygon(zebraGrey, rectPts(vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: ty(y - 0.5)}, Max: vg.Point{X: c.Max.X, Y: ty(y + 0.5)}}))
			}
		}))
		p.Add(e.grid(true, false))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			half := (ty(1) - ty(0)) * 0.32
			bx := tx(base)
			if diff && pl.X.Min < 0 && pl.X.Max > 0 && base != 0 {
				// No difference from the baseline: a dashed line, to show where the sign flips.
				c.StrokeLine2(draw.LineStyle{Color: axisGrey, Width: e.th.thin * 1.5, Dashes: []vg.Length{3 * e.th.thin * 2, 2 * e.th.thin * 2}},
					tx(0), c.Min.Y, tx(0), ty(float64(n)-0.5))
			}
			for k, b := range bars {
				yc := ty(float64(n - 1 - k))
				ends := []struct {
					x   vg.Length
					clr draw.LineStyle
				}{
					{tx(b.AtLow * f), draw.LineStyle{Color: lowC}},
					{tx(b.AtHigh * f), draw.LineStyle{Color: highC}},
				}
				// The longer bar first, so that the shorter one stays visible when both
				// lie on the same side of the base.
				if math.Abs(float64(ends[0].x-bx)) < math.Abs(float64(ends[1].x-bx)) {
					ends[0], ends[1] = ends[1], ends[0]
				}
				for _, en := range ends {
					x0, x1 := min(bx, en.x), max(bx, en.x)
					if x1-x0 < e.th.thin {
						// A result at base: a thin tick, so that the row is not empty.
						x0, x1 = en.x-e.th.thin/2, en.x+e.th.thin/2
					}
					c.FillPolygon(en.clr.Color, rectPts(vg.Rectangle{Min: vg.Point{X: x0, Y: yc - half}, Max: vg.Point{X: x1, Y: yc + half}}))
				}
			}
			// The base line stops below its label.
			c.StrokeLine2(draw.LineStyle{Color: black, Width: e.th.thin * 2}, bx, c.Min.Y, bx, ty(float64(n)-0.5))
			sty := textStyle(sans(e.th.annot), textGrey)
			sty.XAlign = draw.XCenter
			sty.YAlign = draw.YBottom
			label := e.tr("base ", "bas ") + e.loc.auto(base)
			switch {
			case pp:
				label += e.tr(" pp", " procentenheter")
			case sc.pct:
				label = e.tr("base ", "bas ") + e.loc.percent(base, autoDecimals(base, 3))
			}
			c.FillText(sty, vg.Point{X: bx, Y: ty(float64(n)-0.5) + e.th.gap*0.3}, label)
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	return s
}
