package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"ersim/model"
	"ersim/study"
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
	posterior       string
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
	fs.StringVar(&o.posterior, "posterior", "", "the posterior.csv `FILE` of \"ersim calibrate\": the calibrated parameters that are not swept at their posterior means")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), sweepUsage)
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
	axes, err := study.ParseSets(o.sets, o.lhs)
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
	f, err := study.Load(arg)
	if err != nil {
		return fail(stderr, err)
	}
	if err := study.CheckAxes(f, axes); err != nil {
		return fail(stderr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newProgress(stderr, o.quiet)
	seed, reps := overrides(fs, o.seed, o.reps)
	res, err := study.Sweep(ctx, f, axes, o.out, study.SweepOptions{
		Options: study.Options{Variants: o.variants, Workers: o.workers, Seed: seed, Reps: reps,
			NoCharts: o.noCharts, Charts: chartOpt, Progress: prog.update, Posterior: o.posterior},
		LHS: o.lhs, Metric: o.metric})
	prog.done()
	if err != nil {
		return fail(stderr, err)
	}
	if !o.quiet {
		printSweep(stdout, res, o.workers)
	}
	return exitOK
}

// printSweep says what was swept and where the results are.
func printSweep(stdout io.Writer, res *study.SweepResult, workers int) {
	what := map[string]string{"line": "one-dimensional sweep", "grid": "two-dimensional grid", "lhs": "Latin hypercube sample"}[res.Mode]
	calib := "calibrated once at base"
	if res.Neutral {
		calib = "budget neutrality recalibrated at every point"
	}
	fmt.Fprintf(stdout, "%s — %s of %s: %d points × %d replications × %d variants, seed %d, %d workers, %s, %.1f s\nresults in %s (sweep.csv, %d charts)\n",
		res.Scenario.Name, what, strings.Join(res.Keys, " × "), res.Points, res.Reps, len(res.Variants), res.Scenario.Seed, workers, calib, res.Wall, res.Dir, res.Charts)
	if len(res.Own) > 0 {
		fmt.Fprintf(stdout, "kept at the variant's own value: %s\n", strings.Join(res.Own, "; "))
	}
}

const sweepUsage = `Usage: ersim sweep [flags] [SCENARIO] --set KEY=LOW:HIGH:STEPS [--set KEY2=LOW:HIGH:STEPS] [--lhs N] [--metric NAME]

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
`
