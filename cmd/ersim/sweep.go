package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ersim/model"
	"ersim/plots"
	"ersim/scenarios"
)

type sweepOptions struct {
	reps, workers   int
	seed            uint64
	out             string
	variants        stringList
	sets            stringList
	lhs             int
	metric          string
	quiet, noCharts bool
	charts          chartFlags
}

// sweepAxis is one --set: a key path and its range.
type sweepAxis struct {
	key       string
	low, high float64
	steps     int // 0 when not given (--lhs)
}

func (a sweepAxis) values() []float64 {
	out := make([]float64, a.steps)
	for i := range out {
		out[i] = a.low + (a.high-a.low)*float64(i)/float64(a.steps-1)
	}
	out[a.steps-1] = a.high
	return out
}

func cmdSweep(stdout, stderr io.Writer, args []string) int {
	var o sweepOptions
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(&o.sets, "set", "a swept parameter, KEY=LOW:HIGH:STEPS (repeatable: one for a line, two for a grid; with --lhs, KEY=LOW:HIGH)")
	fs.IntVar(&o.lhs, "lhs", 0, "instead of a grid, a Latin hypercube sample of `N` points over the --set ranges")
	fs.StringVar(&o.metric, "metric", "admin_share", "the metric of the heat maps of a two-parameter grid")
	fs.IntVar(&o.reps, "reps", 0, "replications per point (default: the scenario's `replications`)")
	fs.Uint64Var(&o.seed, "seed", 0, "random seed (default: the scenario's `seed`); it also fixes the --lhs sample")
	fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&o.out, "out", "", "output directory (default out/<scenario name>/sweep)")
	fs.Var(&o.variants, "variant", "sweep only this variant (repeatable; the baseline is always simulated)")
	fs.BoolVar(&o.quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&o.noCharts, "no-charts", false, "write sweep.csv only")
	o.charts.register(fs, true)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: ersim sweep [flags] [SCENARIO] --set KEY=LOW:HIGH:STEPS [--set KEY2=LOW:HIGH:STEPS] [--lhs N] [--metric NAME]

Parameter sweep of SCENARIO (a TOML file, or an embedded scenario's name; default: the
embedded "stockholm"). KEY is the key path of a number in the scenario, as in its
[uncertainty] section (for example behaviour.admin.hours_per_claim or
rules.lov.visit_fee.fee); the other parameters stay at their values in the file. A
variant that sets KEY itself keeps its own value.

  one --set     STEPS evenly spaced values from LOW to HIGH: a line chart per headline
                metric, one line per variant with its 90 % band across replications
  two --set     the grid STEPS1 × STEPS2: a heat map of --metric per variant and of
                each variant's difference from the baseline
  --lhs N       a Latin hypercube sample of N points over the ranges of one or more
                --set KEY=LOW:HIGH (STEPS may be left out), fixed by the seed: a
                scatter chart per headline metric against the first key

Every point is a full run with the scenario's replications (--reps to change), all on
the same random numbers. Prices are calibrated once, at base, and carried to every
point; but when a variant is budget_neutral its calibration is redone at every point,
so that it stays budget neutral there (this costs the calibration's pilot runs again
at each point). Writes sweep.csv (every point, variant and headline metric: mean, 5th
and 95th percentile, and each variant's paired difference from the baseline with its
95 % confidence interval) and the charts, each with its CSV, in charts/.

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "ersim sweep: one scenario at a time, got %d: %s\n", len(pos), strings.Join(pos, " "))
		return exitUsage
	}
	if o.reps < 0 || o.workers < 1 || o.lhs < 0 {
		fmt.Fprintln(stderr, "ersim sweep: --reps and --workers must be >= 1, and --lhs >= 2")
		return exitUsage
	}
	chartOpt, err := o.charts.options()
	if err != nil {
		fmt.Fprintf(stderr, "ersim sweep: %v\n", err)
		return exitUsage
	}
	axes, err := parseSets(o.sets, o.lhs)
	if err != nil {
		fmt.Fprintf(stderr, "ersim sweep: %v\n", err)
		return exitUsage
	}
	if model.MetricIndex(o.metric) < 0 {
		fmt.Fprintf(stderr, "ersim sweep: --metric %q: no such metric; allowed: a metric of results.csv, such as %s\n", o.metric, strings.Join(model.Headline, ", "))
		return exitUsage
	}
	arg := ""
	if len(pos) == 1 {
		arg = pos[0]
	}
	f, err := loadScenario(arg)
	if err != nil {
		return fail(stderr, err)
	}
	if err := checkAxes(f, axes); err != nil {
		return fail(stderr, err)
	}
	if err := sweepFile(stdout, stderr, f, axes, &o, fs, chartOpt); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// parseSets reads the --set flags.
func parseSets(sets []string, lhs int) ([]sweepAxis, error) {
	const form = "KEY=LOW:HIGH:STEPS, e.g. --set behaviour.admin.hours_per_claim=0.05:0.2:6"
	switch {
	case len(sets) == 0:
		return nil, fmt.Errorf("no --set: name the parameter to sweep as %s", form)
	case lhs == 0 && len(sets) > 2:
		return nil, fmt.Errorf("%d --set flags: a sweep takes one (a line) or two (a grid); more need --lhs N", len(sets))
	case lhs == 1:
		return nil, fmt.Errorf("--lhs 1: a Latin hypercube sample needs N >= 2 points")
	}
	var axes []sweepAxis
	for _, s := range sets {
		key, rng, ok := strings.Cut(s, "=")
		key = strings.TrimSpace(key)
		parts := strings.Split(rng, ":")
		if !ok || key == "" || len(parts) < 2 || len(parts) > 3 || lhs == 0 && len(parts) != 3 {
			return nil, fmt.Errorf("--set %q: write %s", s, form)
		}
		a := sweepAxis{key: key}
		var err error
		if a.low, err = strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err != nil || math.IsInf(a.low, 0) || math.IsNaN(a.low) {
			return nil, fmt.Errorf("--set %q: LOW %q is not a number; write %s", s, parts[0], form)
		}
		if a.high, err = strconv.ParseFloat(strings.TrimSpace(parts[1]), 64); err != nil || math.IsInf(a.high, 0) || math.IsNaN(a.high) {
			return nil, fmt.Errorf("--set %q: HIGH %q is not a number; write %s", s, parts[1], form)
		}
		if a.low >= a.high {
			return nil, fmt.Errorf("--set %s: LOW %s must be below HIGH %s", key, parts[0], parts[1])
		}
		if len(parts) == 3 {
			if a.steps, err = strconv.Atoi(strings.TrimSpace(parts[2])); err != nil || a.steps < 2 {
				return nil, fmt.Errorf("--set %s: STEPS %q must be a whole number >= 2", key, parts[2])
			}
		}
		for _, b := range axes {
			if b.key == key {
				return nil, fmt.Errorf("--set %s is given twice; allowed: different keys", key)
			}
		}
		axes = append(axes, a)
	}
	return axes, nil
}

// checkAxes checks each key path and both ends of its range against the scenario's
// validation, for every variant that does not set the key itself.
func checkAxes(f *scenarios.File, axes []sweepAxis) error {
	for _, a := range axes {
		for vi, r := range f.Variants {
			if vi > 0 && scenarios.Overrides(f.Base.Variants[r.Name], a.key) {
				continue
			}
			for _, x := range []float64{a.low, a.high} {
				if err := scenarios.CheckValue(r.Scenario, a.key, x); err != nil {
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

func sweepFile(stdout, stderr io.Writer, f *scenarios.File, axes []sweepAxis, o *sweepOptions, fs *flag.FlagSet, chartOpt plots.Options) error {
	overrideRun(f, fs, o.seed, o.reps)
	base := f.Variants[0].Scenario
	reps := base.Replications
	pl, err := model.NewPlan(f, o.variants, reps, o.workers)
	if err != nil {
		return err
	}
	pl.ProviderReps = 0
	dir := o.out
	if dir == "" {
		dir = filepath.Join("out", base.Name, "sweep")
	}
	keys := make([]string, len(axes))
	for i, a := range axes {
		keys[i] = a.key
	}
	// The points.
	var points [][]float64
	mode := "line"
	switch {
	case o.lhs > 0:
		mode = "lhs"
		for _, u := range model.LatinHypercube(o.lhs, len(axes), base.Seed) {
			pt := make([]float64, len(axes))
			for d, a := range axes {
				pt[d] = a.low + (a.high-a.low)*u[d]
			}
			points = append(points, pt)
		}
	case len(axes) == 1:
		for _, x := range axes[0].values() {
			points = append(points, []float64{x})
		}
	default:
		mode = "grid"
		for _, x := range axes[0].values() {
			for _, y := range axes[1].values() {
				points = append(points, []float64{x, y})
			}
		}
	}
	metrics := slices.Clone(model.Headline)
	if mode == "grid" && !slices.Contains(metrics, o.metric) {
		metrics = append(metrics, o.metric)
	}
	neutral := false
	for _, v := range pl.Variants[1:] {
		neutral = neutral || v.BudgetNeutral
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	prog := newProgress(stderr, o.quiet)
	perRun := reps * len(pl.Variants)
	total := perRun * len(points)
	if err := model.Calibrate(ctx, pl); err != nil {
		return err
	}
	res := make([][][]sweepStats, len(points)) // [point][variant][metric]
	for pi, pt := range points {
		run, err := pl.At(f, keys, pt)
		if err != nil {
			return err
		}
		if neutral {
			// Budget neutrality is a property of the variant at every point: recalibrate.
			if err := model.Calibrate(ctx, run); err != nil {
				return pointError(ctx, prog, err, dir)
			}
		}
		sink := newSweepSink(pl, metrics)
		done := pi * perRun
		if err := runPoint(ctx, run, reps, sink, prog, done, total, dir); err != nil {
			return err
		}
		res[pi] = sink.stats()
	}
	prog.done()
	wall := time.Since(start).Seconds()

	names := pl.VariantNames()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	err = writeAtomic(filepath.Join(dir, "sweep.csv"), func(w io.Writer) error {
		cw := newCSV(w)
		head := append([]string{"point"}, keys...)
		cw.row(append(head, "variant", "metric", "mean", "p05", "p95", "baseline", "diff_mean", "diff_ci_low", "diff_ci_high")...)
		for pi, pt := range points {
			for v, vn := range names {
				for m, mn := range metrics {
					st := res[pi][v][m]
					row := []string{strconv.Itoa(pi + 1)}
					for _, x := range pt {
						row = append(row, sensNum(x))
					}
					bl := ""
					if v > 0 {
						bl = names[0]
					}
					row = append(row, vn, mn, sensNum(st.mean), sensNum(st.p05), sensNum(st.p95), bl, sensNum(st.diff), sensNum(st.diffLo), sensNum(st.diffHi))
					cw.row(row...)
				}
			}
		}
		return cw.flush()
	})
	if err != nil {
		return err
	}

	var charts []plots.Chart
	if !o.noCharts {
		var lines []plots.SweepLine
		var grids []plots.SweepGrid
		if mode == "grid" {
			m := slices.Index(metrics, o.metric)
			xs, ys := axes[0].values(), axes[1].values()
			grid := func(v int, diff bool) plots.SweepGrid {
				g := plots.SweepGrid{Metric: o.metric, Keys: [2]string{keys[0], keys[1]}, X: xs, Y: ys, Variant: names[v]}
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
		} else {
			// Points in order of the first key (a sample's are not).
			order := make([]int, len(points))
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(a, b int) bool { return points[order[a]][0] < points[order[b]][0] })
			for m, mn := range model.Headline {
				l := plots.SweepLine{Metric: mn, Key: keys[0], Scatter: mode == "lhs"}
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
		}
		if charts, err = plots.DrawSweep(lines, grids, names, reps, filepath.Join(dir, "charts"), chartOpt); err != nil {
			return err
		}
	}
	if !o.quiet {
		what := map[string]string{"line": "one-dimensional sweep", "grid": "two-dimensional grid", "lhs": "Latin hypercube sample"}[mode]
		calib := "calibrated once at base"
		if neutral {
			calib = "budget neutrality recalibrated at every point"
		}
		fmt.Fprintf(stdout, "%s — %s of %s: %d points × %d replications × %d variants, seed %d, %d workers, %s, %.1f s\nresults in %s (sweep.csv, %d charts)\n",
			base.Name, what, strings.Join(keys, " × "), len(points), reps, len(names), base.Seed, o.workers, calib, wall, dir, len(charts))
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
		if len(own) > 0 {
			fmt.Fprintf(stdout, "kept at the variant's own value: %s\n", strings.Join(own, "; "))
		}
	}
	return nil
}

// sweepSink keeps every replication's value of the metrics, per variant, and the
// paired differences from the baseline.
type sweepSink struct {
	cells      []int
	vals, diff [][][]float64 // [variant][metric][replication]
	baseValues []float64
}

func newSweepSink(pl *model.Plan, metrics []string) *sweepSink {
	s := &sweepSink{}
	for _, m := range metrics {
		mi, idx := model.MetricIndex(m), -1
		for i, c := range pl.Cells {
			if c.Metric == mi && c.Form < 0 && c.Group < 0 {
				idx = i
				break
			}
		}
		s.cells = append(s.cells, idx)
	}
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
