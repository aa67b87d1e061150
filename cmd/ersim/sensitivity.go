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
	"ersim/plots"
	"ersim/study"
)

type sensOptions struct {
	reps, workers   int
	seed            uint64
	out             string
	variants        stringList
	quiet, noCharts bool
	charts          chartFlags
	posterior       string
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
	fs.StringVar(&o.posterior, "posterior", "", "the posterior.csv `FILE` of \"ersim calibrate\": calibrated parameters at their posterior means (and, in one-way sensitivity, ranging over its 5th–95th percentiles)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: ersim sensitivity [flags] [SCENARIO]

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
	f, err := study.Load(arg)
	if err != nil {
		return fail(stderr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newProgress(stderr, o.quiet)
	seed, reps := overrides(fs, o.seed, o.reps)
	res, err := study.Sensitivity(ctx, f, o.out, study.Options{Variants: o.variants, Workers: o.workers,
		Seed: seed, Reps: reps, NoCharts: o.noCharts, Charts: chartOpt, Progress: prog.update, Posterior: o.posterior})
	prog.done()
	if err != nil {
		return fail(stderr, err)
	}
	if !o.quiet {
		printSensitivity(stdout, res, o.workers)
	}
	return exitOK
}

// printSensitivity says what was run, where the results are, and the widest swing of
// each headline metric.
func printSensitivity(stdout io.Writer, res *study.SensitivityResult, workers int) {
	names := res.Variants
	fmt.Fprintf(stdout, "%s — one-way sensitivity of %d parameters: %d runs × %d replications × %d variants, seed %d, %d workers, %.1f s\nresults in %s (sensitivity.csv, %d charts)\n\n",
		res.Scenario.Name, len(res.Keys), res.Runs, res.Reps, len(names), res.Scenario.Seed, workers, res.Wall, res.Dir, res.Charts)
	fmt.Fprintf(stdout, "Widest swing for %s:\n", names[0])
	for _, t := range res.Tornadoes[:len(model.Headline)] {
		top := plots.TornadoOrder(t.Bars)[0]
		b := t.Bars[top]
		fmt.Fprintf(stdout, "  %-16s %-44s %.4g at low, %.4g at high (base %.4g)\n", t.Metric, b.Key, b.AtLow, b.AtHigh, t.Base)
	}
}
