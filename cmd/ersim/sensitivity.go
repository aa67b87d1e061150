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
	"strconv"
	"strings"
	"syscall"
	"time"

	"ersim/model"
	"ersim/plots"
	"ersim/scenarios"
)

type sensOptions struct {
	reps, workers   int
	seed            uint64
	out             string
	variants        stringList
	quiet, noCharts bool
	charts          chartFlags
}

func cmdSensitivity(stdout, stderr io.Writer, args []string) int {
	var o sensOptions
	fs := flag.NewFlagSet("sensitivity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.reps, "reps", 0, "replications per point (default: the scenario's `replications`)")
	fs.Uint64Var(&o.seed, "seed", 0, "random seed (default: the scenario's `seed`)")
	fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&o.out, "out", "", "output directory (default out/<scenario name>/sensitivity)")
	fs.Var(&o.variants, "variant", "analyse only this variant (repeatable; the baseline is always simulated)")
	fs.BoolVar(&o.quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&o.noCharts, "no-charts", false, "do not draw the tornado charts")
	o.charts.register(fs, true)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: ersim sensitivity [flags] [SCENARIO]

One-way sensitivity analysis of SCENARIO (a TOML file, or an embedded scenario's name;
default: the embedded "stockholm"). Each uncertain parameter of its [uncertainty]
section is set to its low and to its high value (the range given in the file, or the
5th and 95th percentiles of its distribution) with every other parameter at its value
in the file, and the scenario is run there and once at base: 2N + 1 runs for N
parameters, all on the same random numbers. Writes sensitivity.csv (every headline
metric, each variant's level and each variant's difference from the baseline) and a
tornado chart per headline metric and difference, with its CSV, in charts/.

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "ersim sensitivity: one scenario at a time, got %d: %s\n", len(pos), strings.Join(pos, " "))
		return exitUsage
	}
	if o.reps < 0 || o.workers < 1 {
		fmt.Fprintln(stderr, "ersim sensitivity: --reps must be >= 1 and --workers >= 1")
		return exitUsage
	}
	chartOpt, err := o.charts.options()
	if err != nil {
		fmt.Fprintf(stderr, "ersim sensitivity: %v\n", err)
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
	if err := sensitivityFile(stdout, stderr, f, &o, fs, chartOpt); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// sensPoint is one run of the analysis: every parameter at base (key −1), or one at its
// low or high value.
type sensPoint struct {
	key  int
	high bool
}

// sensResult holds, per variant and headline metric, the mean level and the mean paired
// difference from the baseline.
type sensResult struct {
	level, diff [][]float64 // [variant][headline metric]
}

func sensitivityFile(stdout, stderr io.Writer, f *scenarios.File, o *sensOptions, fs *flag.FlagSet, chartOpt plots.Options) error {
	overrideRun(f, fs, o.seed, o.reps)
	base := f.Variants[0].Scenario
	u := base.Uncertainty
	keys := u.Keys()
	if len(keys) == 0 {
		return &scenarios.InputError{File: f.Name, Path: "uncertainty",
			Msg:     "one-way sensitivity needs an [uncertainty] section naming the uncertain parameters",
			Allowed: "see docs/scenario-reference.md, [uncertainty]"}
	}
	reps := base.Replications
	pl, err := model.NewPlan(f, o.variants, reps, o.workers)
	if err != nil {
		return err
	}
	pl.ProviderReps = 0
	dir := o.out
	if dir == "" {
		dir = filepath.Join("out", base.Name, "sensitivity")
	}
	lows, highs := make([]float64, len(keys)), make([]float64, len(keys))
	for i, k := range keys {
		lows[i], highs[i] = u.Range(k)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	points := []sensPoint{{key: -1}}
	for i := range keys {
		points = append(points, sensPoint{i, false}, sensPoint{i, true})
	}
	prog := newProgress(stderr, o.quiet)
	perRun := reps * len(pl.Variants)
	total := perRun * len(points)
	// Set up once: calibrate at base; every point carries the calibrated prices over.
	if err := model.Calibrate(ctx, pl); err != nil {
		return err
	}
	res := make([]sensResult, len(points))
	for pi, pt := range points {
		run := pl
		if pt.key >= 0 {
			x := lows[pt.key]
			if pt.high {
				x = highs[pt.key]
			}
			if run, err = pl.At(f, keys[pt.key:pt.key+1], []float64{x}); err != nil {
				return err
			}
		}
		sink := newSensSink(pl)
		done := pi * perRun
		if err := runPoint(ctx, run, reps, sink, prog, done, total, dir); err != nil {
			return err
		}
		res[pi] = sink.result()
	}
	prog.done()
	wall := time.Since(start).Seconds()

	names := pl.VariantNames()
	// The tornadoes: each headline metric's baseline level, then each variant's
	// difference from the baseline.
	var ts []plots.Tornado
	tornado := func(m, v int, diff bool) plots.Tornado {
		val := func(p int) float64 {
			if diff {
				return res[p].diff[v][m]
			}
			return res[p].level[v][m]
		}
		t := plots.Tornado{Metric: model.Headline[m], Variant: names[v], Base: val(0)}
		if diff {
			t.Baseline = names[0]
		}
		for i, k := range keys {
			t.Bars = append(t.Bars, plots.TornadoBar{Key: k, Low: lows[i], High: highs[i], AtLow: val(1 + 2*i), AtHigh: val(2 + 2*i)})
		}
		return t
	}
	for m := range model.Headline {
		ts = append(ts, tornado(m, 0, false))
	}
	for v := 1; v < len(names); v++ {
		for m := range model.Headline {
			ts = append(ts, tornado(m, v, true))
		}
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	err = writeAtomic(filepath.Join(dir, "sensitivity.csv"), func(w io.Writer) error {
		cw := newCSV(w)
		cw.row("key", "low", "high", "metric", "variant", "what", "baseline", "base_mean", "mean_at_low", "mean_at_high", "swing")
		for i, k := range keys {
			for m, mn := range model.Headline {
				for v, vn := range names {
					for _, diff := range []bool{false, true} {
						if diff && v == 0 {
							continue
						}
						what, bl, get := "level", "", func(r sensResult) float64 { return r.level[v][m] }
						if diff {
							what, bl, get = "difference", names[0], func(r sensResult) float64 { return r.diff[v][m] }
						}
						lo, hi := get(res[1+2*i]), get(res[2+2*i])
						cw.row(k, sensNum(lows[i]), sensNum(highs[i]), mn, vn, what, bl, sensNum(get(res[0])), sensNum(lo), sensNum(hi), sensNum(math.Abs(hi-lo)))
					}
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
		if charts, err = plots.DrawTornadoes(ts, names, reps, filepath.Join(dir, "charts"), chartOpt); err != nil {
			return err
		}
	}
	if !o.quiet {
		fmt.Fprintf(stdout, "%s — one-way sensitivity of %d parameters: %d runs × %d replications × %d variants, seed %d, %d workers, %.1f s\nresults in %s (sensitivity.csv, %d charts)\n\n",
			base.Name, len(keys), len(points), reps, len(names), base.Seed, o.workers, wall, dir, len(charts))
		fmt.Fprintf(stdout, "Widest swing for %s:\n", names[0])
		for _, t := range ts[:len(model.Headline)] {
			top := plots.TornadoOrder(t.Bars)[0]
			b := t.Bars[top]
			fmt.Fprintf(stdout, "  %-16s %-44s %.4g at low, %.4g at high (base %.4g)\n", t.Metric, b.Key, b.AtLow, b.AtHigh, t.Base)
		}
	}
	return nil
}

// sensSink keeps the running sums of the headline metrics of one point's replications.
type sensSink struct {
	cells      []int       // Plan.Cells index of each headline metric (all forms, all groups)
	sum, dsum  [][]float64 // [variant][metric]
	n, dn      [][]int
	baseValues []float64 // the current replication's baseline values
}

func newSensSink(pl *model.Plan) *sensSink {
	s := &sensSink{}
	for _, m := range model.Headline {
		mi, idx := model.MetricIndex(m), -1
		for i, c := range pl.Cells {
			if c.Metric == mi && c.Form < 0 && c.Group < 0 {
				idx = i
				break
			}
		}
		s.cells = append(s.cells, idx)
	}
	nv, nm := len(pl.Variants), len(model.Headline)
	for range nv {
		s.sum, s.dsum = append(s.sum, make([]float64, nm)), append(s.dsum, make([]float64, nm))
		s.n, s.dn = append(s.n, make([]int, nm)), append(s.dn, make([]int, nm))
	}
	return s
}

// Add implements model.Sink: replications come in (replication, variant) order, the
// baseline first, so each variant's difference is paired with the same replication.
func (s *sensSink) Add(r *model.Rep) {
	vals := make([]float64, len(s.cells))
	for m, c := range s.cells {
		vals[m] = math.NaN()
		if c >= 0 {
			vals[m] = r.Values[c]
		}
	}
	if r.Variant == 0 {
		s.baseValues = vals
	}
	for m, x := range vals {
		if !math.IsNaN(x) {
			s.sum[r.Variant][m] += x
			s.n[r.Variant][m]++
		}
		if r.Variant > 0 && s.baseValues != nil {
			if d := x - s.baseValues[m]; !math.IsNaN(d) {
				s.dsum[r.Variant][m] += d
				s.dn[r.Variant][m]++
			}
		}
	}
}

func (s *sensSink) result() sensResult {
	var out sensResult
	mean := func(sum float64, n int) float64 {
		if n == 0 {
			return math.NaN()
		}
		return sum / float64(n)
	}
	for v := range s.sum {
		lv, dv := make([]float64, len(s.cells)), make([]float64, len(s.cells))
		for m := range s.cells {
			lv[m] = mean(s.sum[v][m], s.n[v][m])
			dv[m] = math.NaN()
			if v > 0 {
				dv[m] = mean(s.dsum[v][m], s.dn[v][m])
			}
		}
		out.level, out.diff = append(out.level, lv), append(out.diff, dv)
	}
	return out
}

// sensNum formats a number for CSV as results does: 10 significant digits, NaN empty.
func sensNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 10, 64)
}

// runPoint simulates one point of a sensitivity analysis or sweep: every replication of
// run into sink, with progress counted from done of total.
func runPoint(ctx context.Context, run *model.Plan, reps int, sink model.Sink, prog *progress, done, total int, dir string) error {
	if err := model.RunReps(ctx, run, 0, reps, sink, func(d, _ int) { prog.update(done+d, total) }); err != nil {
		return pointError(ctx, prog, err, dir)
	}
	return nil
}

// pointError ends the progress line and says whether the analysis was interrupted.
func pointError(ctx context.Context, prog *progress, err error, dir string) error {
	prog.done()
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted; nothing was written to %s", dir)
	}
	return err
}
