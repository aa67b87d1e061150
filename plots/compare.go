package plots

import (
	"fmt"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"ersim/results"
)

// ComparePoint is one headline metric of one variant in "ersim compare": run B's
// difference from run A in percent of A, with its 95 % interval.
type ComparePoint struct {
	Variant, Metric string
	Rel, Lo, Hi     float64
}

// DrawCompare draws compare_runs: per metric and variant, B − A in percent of A with
// its 95 % interval, into dir.
func DrawCompare(pts []ComparePoint, nameA, nameB, dir string, opt Options) ([]Chart, error) {
	opt, formats, err := checkOptions(opt)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	var variants []string
	seen := map[string]bool{}
	for _, p := range pts {
		if !seen[p.Variant] {
			seen[p.Variant] = true
			variants = append(variants, p.Variant)
		}
	}
	e := newEnv(&results.Run{Variants: variants}, opt)
	s := &spec{id: "compare_runs", w: e.th.w, h: e.th.h}
	s.title = e.tr("Run B against run A", "Körning B mot körning A")
	s.subtitle = e.tr("A: "+nameA+"; B: "+nameB+". Difference in percent of A, with its 95 % confidence interval.",
		"A: "+nameA+"; B: "+nameB+". Skillnad i procent av A, med 95-procentigt konfidensintervall.")
	s.caption = e.tr("Each row is a headline metric, one marker per variant: B's mean minus A's, in percent of A's. The bars are the 95 % confidence interval of the difference — paired replication by replication when the runs have the same seed and replications, else from the two runs' standard errors. compare.csv has the values and scenario.diff what differs between the scenarios.",
		"Varje rad är ett huvudmått, en markör per variant: B:s medelvärde minus A:s, i procent av A:s. Strecken är skillnadens 95-procentiga konfidensintervall — parvis replikering för replikering när körningarna har samma slumpfrö och antal replikeringar, annars från de två körningarnas standardfel. compare.csv har värdena och scenario.diff vad som skiljer scenarierna åt.")
	var metrics []string
	mseen := map[string]bool{}
	for _, p := range pts {
		if !mseen[p.Metric] {
			mseen[p.Metric] = true
			metrics = append(metrics, p.Metric)
		}
	}
	xb := newBounds()
	xb.add(0)
	for _, p := range pts {
		xb.add(p.Rel, p.Lo, p.Hi)
	}
	s.header = []string{"metric", "variant", "diff_pct_of_a", "ci_low_pct", "ci_high_pct"}
	for _, p := range pts {
		s.rows = append(s.rows, []string{p.Metric, p.Variant, csvNum(p.Rel), csvNum(p.Lo), csvNum(p.Hi)})
	}
	vi := map[string]int{}
	for i, v := range variants {
		vi[v] = i
	}
	s.body = func(c draw.Canvas) {
		var entries []legendEntry
		for _, v := range e.vs {
			entries = append(entries, legendEntry{v.label, e.lineThumb(v, true)})
		}
		c = e.drawLegend(c, entries)
		p := e.newPlot()
		p.X.Label.Text = e.tr("Difference, B − A (% of A)", "Skillnad, B − A (% av A)")
		p.X.Tick.Marker = ticker{loc: e.loc, max: 8, signed: true}
		p.X.Min, p.X.Max = niceRange(xb.lo, xb.hi, 0.08)
		p.Y.Min, p.Y.Max = -0.5, float64(len(metrics))-0.5
		var ticks []plot.Tick
		for k, m := range metrics {
			ticks = append(ticks, plot.Tick{Value: float64(len(metrics) - 1 - k), Label: e.metricName(m)})
		}
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
		p.Add(e.grid(true, false))
		p.Add(fnPlotter(func(c draw.Canvas, pl *plot.Plot) {
			tx, ty := pl.Transforms(&c)
			c.StrokeLine2(draw.LineStyle{Color: black, Width: e.th.line * 0.6}, tx(0), c.Min.Y, tx(0), c.Max.Y)
			n := float64(len(variants))
			for k, m := range metrics {
				for _, q := range pts {
					if q.Metric != m {
						continue
					}
					v := e.vs[vi[q.Variant]]
					y := ty(float64(len(metrics)-1-k) + 0.3 - (float64(vi[q.Variant])+0.5)*0.6/n)
					c.StrokeLine2(draw.LineStyle{Color: v.color, Width: e.th.line * 0.8}, tx(q.Lo), y, tx(q.Hi), y)
					drawMarker(&c, v, vg.Point{X: tx(q.Rel), Y: y}, e.th.marker)
				}
			}
		}))
		fitTicks(p, c)
		p.Draw(c)
	}
	ch, err := e.write(s, dir, formats)
	if err != nil {
		return nil, err
	}
	return []Chart{ch}, nil
}
