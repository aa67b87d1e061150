package study

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"ersim/model"
	"ersim/plots"
	"ersim/scenarios"
)

// Axis is one swept parameter: a key path (as in [uncertainty], e.g.
// behaviour.admin.hours_per_claim) and its range.
type Axis struct {
	Key       string
	Low, High float64
	Steps     int // 0 when not given (a Latin hypercube sample)
}

// Values returns Steps evenly spaced values from Low to High.
func (a Axis) Values() []float64 {
	out := make([]float64, a.Steps)
	for i := range out {
		out[i] = a.Low + (a.High-a.Low)*float64(i)/float64(a.Steps-1)
	}
	out[a.Steps-1] = a.High
	return out
}

// ParseSets reads the --set flags of a sweep, KEY=LOW:HIGH:STEPS (KEY=LOW:HIGH with
// a Latin hypercube sample of lhs points).
func ParseSets(sets []string, lhs int) ([]Axis, error) {
	const form = "KEY=LOW:HIGH:STEPS, e.g. --set behaviour.admin.hours_per_claim=0.05:0.2:6"
	switch {
	case len(sets) == 0:
		return nil, fmt.Errorf("no --set: name the parameter to sweep as %s", form)
	case lhs == 0 && len(sets) > 2:
		return nil, fmt.Errorf("%d --set flags: a sweep takes one (a line) or two (a grid); more need --lhs N", len(sets))
	case lhs == 1:
		return nil, fmt.Errorf("--lhs 1: a Latin hypercube sample needs N >= 2 points")
	}
	var axes []Axis
	for _, s := range sets {
		key, rng, ok := strings.Cut(s, "=")
		key = strings.TrimSpace(key)
		parts := strings.Split(rng, ":")
		if !ok || key == "" || len(parts) < 2 || len(parts) > 3 || lhs == 0 && len(parts) != 3 {
			return nil, fmt.Errorf("--set %q: write %s", s, form)
		}
		a := Axis{Key: key}
		var err error
		if a.Low, err = strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err != nil || math.IsInf(a.Low, 0) || math.IsNaN(a.Low) {
			return nil, fmt.Errorf("--set %q: LOW %q is not a number; write %s", s, parts[0], form)
		}
		if a.High, err = strconv.ParseFloat(strings.TrimSpace(parts[1]), 64); err != nil || math.IsInf(a.High, 0) || math.IsNaN(a.High) {
			return nil, fmt.Errorf("--set %q: HIGH %q is not a number; write %s", s, parts[1], form)
		}
		if a.Low >= a.High {
			return nil, fmt.Errorf("--set %s: LOW %s must be below HIGH %s", key, parts[0], parts[1])
		}
		if len(parts) == 3 {
			if a.Steps, err = strconv.Atoi(strings.TrimSpace(parts[2])); err != nil || a.Steps < 2 {
				return nil, fmt.Errorf("--set %s: STEPS %q must be a whole number >= 2", key, parts[2])
			}
		}
		for _, b := range axes {
			if b.Key == key {
				return nil, fmt.Errorf("--set %s is given twice; allowed: different keys", key)
			}
		}
		axes = append(axes, a)
	}
	return axes, nil
}

// CheckAxes checks each key path and both ends of its range against the scenario's
// validation, for every variant that does not set the key itself.
func CheckAxes(f *scenarios.File, axes []Axis) error {
	for _, a := range axes {
		for vi, r := range f.Variants {
			if vi > 0 && scenarios.Overrides(f.Base.Variants[r.Name], a.Key) {
				continue
			}
			for _, x := range []float64{a.Low, a.High} {
				if err := scenarios.CheckValue(r.Scenario, a.Key, x); err != nil {
					if ie, ok := err.(*scenarios.InputError); ok {
						ie.File = f.Name
						ie.Path = "--set " + ie.Path
						if vi > 0 {
							ie.Msg += " (in variant " + r.Name + ")"
						}
					}
					return err
				}
			}
		}
	}
	return nil
}

// sweepStats is what a point keeps of each variant and metric: every replication's
// value and its paired difference from the baseline.
type sweepStats struct {
	mean, p05, p95       float64
	diff, diffLo, diffHi float64 // NaN for the baseline
}

// SweepOptions are the settings of Sweep.
type SweepOptions struct {
	Options
	LHS    int    // a Latin hypercube sample of LHS points instead of a line or grid (0: off)
	Metric string // the metric of a two-parameter grid's heat maps ("" is admin_share)
}

// SweepResult is a finished sweep.
type SweepResult struct {
	Dir      string
	Scenario *scenarios.Scenario // the baseline, as run
	Mode     string              // "line", "grid" or "lhs"
	Keys     []string
	Points   int
	Reps     int // replications per point
	Variants []string
	Neutral  bool     // a budget-neutral variant was recalibrated at every point
	Own      []string // "variant sets key itself": kept at the variant's own value
	Charts   int
	Wall     float64
}

// Sweep runs f at every point of a line (one axis), a grid (two) or a Latin hypercube
// sample (o.LHS, fixed by the seed) over the axes, each point a full run on the same
// random numbers, and writes sweep.csv and the charts into dir ("" is
// out/<scenario>/sweep). Prices are calibrated once, at base; a budget-neutral variant
// is recalibrated at every point. Check the axes first with CheckAxes. Cancelled, it
// writes nothing.
func Sweep(ctx context.Context, f *scenarios.File, axes []Axis, dir string, o SweepOptions) (*SweepResult, error) {
	if o.Metric == "" {
		o.Metric = "admin_share"
	}
	if _, _, _, err := atPosteriorMeans(f, &o.Options); err != nil {
		return nil, err
	}
	pl, base, dir, err := pointPlan(f, &o.Options, dir, "sweep")
	if err != nil {
		return nil, err
	}
	reps := base.Replications
	sr := &SweepResult{Dir: dir, Scenario: base, Reps: reps, Variants: pl.VariantNames()}
	for _, a := range axes {
		sr.Keys = append(sr.Keys, a.Key)
	}
	var points [][]float64
	points, sr.Mode = sweepPoints(axes, o.LHS, base.Seed)
	sr.Points = len(points)
	metrics := slices.Clone(model.Headline)
	if sr.Mode == "grid" && !slices.Contains(metrics, o.Metric) {
		metrics = append(metrics, o.Metric)
	}
	for _, v := range pl.Variants[1:] {
		sr.Neutral = sr.Neutral || v.BudgetNeutral
	}
	start := time.Now()
	perRun := reps * len(pl.Variants)
	total := perRun * len(points)
	if err := model.Calibrate(ctx, pl); err != nil {
		return nil, err
	}
	res := make([][][]sweepStats, len(points)) // [point][variant][metric]
	for pi, pt := range points {
		run, err := pl.At(f, sr.Keys, pt)
		if err != nil {
			return nil, err
		}
		if sr.Neutral {
			// Budget neutrality is a property of the variant at every point: recalibrate.
			if err := model.Calibrate(ctx, run); err != nil {
				return nil, pointError(ctx, err, dir)
			}
		}
		sink := newSweepSink(pl, metrics)
		if err := runPoint(ctx, run, reps, sink, &o.Options, pi*perRun, total, dir); err != nil {
			return nil, err
		}
		res[pi] = sink.stats()
	}
	sr.Wall = time.Since(start).Seconds()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	err = WriteAtomic(filepath.Join(dir, "sweep.csv"), func(w io.Writer) error {
		return writeSweep(w, sr, points, metrics, res)
	})
	if err != nil {
		return nil, err
	}
	if !o.NoCharts {
		lines, grids := sweepCharts(sr, axes, points, metrics, o.Metric, res)
		charts, err := plots.DrawSweep(lines, grids, sr.Variants, reps, filepath.Join(dir, "charts"), withLabels(o.Charts, f.Base))
		if err != nil {
			return nil, err
		}
		sr.Charts = len(charts)
	}
	sr.Own = ownValues(f, sr.Variants, sr.Keys)
	return sr, nil
}

// ownValues lists the swept keys that a variant among names sets itself, and so keeps
// at its own value: "variant sets key itself".
func ownValues(f *scenarios.File, names, keys []string) []string {
	var own []string
	for _, r := range f.Variants[1:] {
		if !slices.Contains(names, r.Name) {
			continue
		}
		for _, k := range keys {
			if scenarios.Overrides(f.Base.Variants[r.Name], k) {
				own = append(own, r.Name+" sets "+k+" itself")
			}
		}
	}
	return own
}

// sweepPoints returns the points of a sweep and its mode: a Latin hypercube sample of
// lhs points, fixed by seed, when lhs > 0, else a line (one axis) or a grid (two).
func sweepPoints(axes []Axis, lhs int, seed uint64) ([][]float64, string) {
	var points [][]float64
	switch {
	case lhs > 0:
		for _, u := range model.LatinHypercube(lhs, len(axes), seed) {
			pt := make([]float64, len(axes))
			for d, a := range axes {
				pt[d] = a.Low + (a.High-a.Low)*u[d]
			}
			points = append(points, pt)
		}
		return points, "lhs"
	case len(axes) == 1:
		for _, x := range axes[0].Values() {
			points = append(points, []float64{x})
		}
		return points, "line"
	}
	for _, x := range axes[0].Values() {
		for _, y := range axes[1].Values() {
			points = append(points, []float64{x, y})
		}
	}
	return points, "grid"
}

// writeSweep writes sweep.csv.
func writeSweep(w io.Writer, sr *SweepResult, points [][]float64, metrics []string, res [][][]sweepStats) error {
	names := sr.Variants
	cw := newCSV(w)
	head := append([]string{"point"}, sr.Keys...)
	cw.row(append(head, "variant", "metric", "mean", "p05", "p95", "baseline", "diff_mean", "diff_ci_low", "diff_ci_high")...)
	for pi, pt := range points {
		for v, vn := range names {
			for m, mn := range metrics {
				st := res[pi][v][m]
				row := []string{strconv.Itoa(pi + 1)}
				for _, x := range pt {
					row = append(row, num(x))
				}
				bl := ""
				if v > 0 {
					bl = names[0]
				}
				row = append(row, vn, mn, num(st.mean), num(st.p05), num(st.p95), bl, num(st.diff), num(st.diffLo), num(st.diffHi))
				cw.row(row...)
			}
		}
	}
	return cw.flush()
}

// sweepCharts gathers what the charts plot: a heat map of metric per variant and of
// each variant's difference for a grid, else a line (or scatter) per headline metric.
func sweepCharts(sr *SweepResult, axes []Axis, points [][]float64, metrics []string, metric string, res [][][]sweepStats) ([]plots.SweepLine, []plots.SweepGrid) {
	names, keys := sr.Variants, sr.Keys
	var lines []plots.SweepLine
	var grids []plots.SweepGrid
	if sr.Mode == "grid" {
		m := slices.Index(metrics, metric)
		xs, ys := axes[0].Values(), axes[1].Values()
		grid := func(v int, diff bool) plots.SweepGrid {
			g := plots.SweepGrid{Metric: metric, Keys: [2]string{keys[0], keys[1]}, X: xs, Y: ys, Variant: names[v]}
			if diff {
				g.Baseline = names[0]
			}
			g.Z = make([][]float64, len(xs))
			for i := range xs {
				g.Z[i] = make([]float64, len(ys))
				for j := range ys {
					st := res[i*len(ys)+j][v][m]
					g.Z[i][j] = st.mean
					if diff {
						g.Z[i][j] = st.diff
					}
				}
			}
			return g
		}
		for v := range names {
			grids = append(grids, grid(v, false))
		}
		for v := 1; v < len(names); v++ {
			grids = append(grids, grid(v, true))
		}
		return nil, grids
	}
	// Points in order of the first key (a sample's are not).
	order := make([]int, len(points))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return points[order[a]][0] < points[order[b]][0] })
	for m, mn := range model.Headline {
		l := plots.SweepLine{Metric: mn, Key: keys[0], Scatter: sr.Mode == "lhs"}
		for _, pi := range order {
			l.X = append(l.X, points[pi][0])
		}
		for v := range names {
			var mean, p05, p95 []float64
			for _, pi := range order {
				st := res[pi][v][m]
				mean, p05, p95 = append(mean, st.mean), append(p05, st.p05), append(p95, st.p95)
			}
			l.Mean, l.P05, l.P95 = append(l.Mean, mean), append(l.P05, p05), append(l.P95, p95)
		}
		lines = append(lines, l)
	}
	return lines, nil
}

// sweepSink keeps every replication's value of the metrics, per variant, and the
// paired differences from the baseline.
type sweepSink struct {
	cells      []int
	vals, diff [][][]float64 // [variant][metric][replication]
	baseValues []float64
}

func newSweepSink(pl *model.Plan, metrics []string) *sweepSink {
	s := &sweepSink{cells: headlineCells(pl, metrics)}
	for range pl.Variants {
		s.vals = append(s.vals, make([][]float64, len(metrics)))
		s.diff = append(s.diff, make([][]float64, len(metrics)))
	}
	return s
}

// Add implements model.Sink; the baseline of a replication comes before its variants.
func (s *sweepSink) Add(r *model.Rep) {
	vals := make([]float64, len(s.cells))
	for m, c := range s.cells {
		vals[m] = math.NaN()
		if c >= 0 && r.Values != nil {
			vals[m] = r.Values[c]
		}
	}
	if r.Variant == 0 {
		s.baseValues = vals
	}
	for m, x := range vals {
		if !math.IsNaN(x) {
			s.vals[r.Variant][m] = append(s.vals[r.Variant][m], x)
		}
		if r.Variant > 0 && s.baseValues != nil {
			if d := x - s.baseValues[m]; !math.IsNaN(d) {
				s.diff[r.Variant][m] = append(s.diff[r.Variant][m], d)
			}
		}
	}
}

func (s *sweepSink) stats() [][]sweepStats {
	out := make([][]sweepStats, len(s.vals))
	for v := range s.vals {
		out[v] = make([]sweepStats, len(s.cells))
		for m := range s.cells {
			x := slices.Clone(s.vals[v][m])
			sort.Float64s(x)
			st := sweepStats{mean: meanOf(x), p05: quantileOf(x, 0.05), p95: quantileOf(x, 0.95),
				diff: math.NaN(), diffLo: math.NaN(), diffHi: math.NaN()}
			if d := s.diff[v][m]; v > 0 && len(d) > 0 {
				st.diff = meanOf(d)
				if n := len(d); n > 1 {
					ss := 0.0
					for _, y := range d {
						ss += (y - st.diff) * (y - st.diff)
					}
					h := 1.96 * math.Sqrt(ss/float64(n-1)/float64(n))
					st.diffLo, st.diffHi = st.diff-h, st.diff+h
				}
			}
			out[v][m] = st
		}
	}
	return out
}

func meanOf(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, y := range x {
		s += y
	}
	return s / float64(len(x))
}

// quantileOf is the p-quantile of sorted x, interpolated linearly between order
// statistics (type 7).
func quantileOf(x []float64, p float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	h := p * float64(len(x)-1)
	i := int(math.Floor(h))
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[i] + (h-float64(i))*(x[i+1]-x[i])
}
