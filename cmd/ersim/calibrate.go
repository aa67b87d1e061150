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

	"ersim/calib"
	"ersim/study"
)

const calibrateUsage = `Usage: ersim calibrate [flags] SCENARIO

Fits the parameters named in SCENARIO's [calibration] section to its targets by
approximate Bayesian computation with sequential Monte Carlo (ABC-SMC): the
parameters' [uncertainty] distributions are the priors, each particle is a run of
calibration.replications replications of the variants the targets need, and the
tolerance shrinks from generation to generation. Writes posterior.csv (the final
particles, their weights, distances and simulated targets), calibration.csv (prior
and posterior of each parameter, observed and predicted value of each target) and
generations.csv (tolerance, effective sample size, acceptance, evaluations) to
out/<scenario>/calibration. Results do not depend on --workers. See docs/calibration.md.

Flags:
`

func cmdCalibrate(stdout, stderr io.Writer, args []string) int {
	var (
		out                                    string
		workers, particles, generations, evals int
		seed                                   uint64
		quiet                                  bool
	)
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&out, "out", "", "output directory (default out/<scenario name>/calibration)")
	fs.IntVar(&workers, "workers", runtime.NumCPU(), "parallel model evaluations; results do not depend on it")
	fs.IntVar(&particles, "particles", 0, "particles per generation (default: calibration.particles)")
	fs.IntVar(&generations, "generations", 0, "the most generations, the prior sample included (default: calibration.max_generations)")
	fs.IntVar(&evals, "max-evaluations", 0, "the most model evaluations in all (default: calibration.max_evaluations)")
	fs.Uint64Var(&seed, "seed", 0, "the calibration's random seed (default: the scenario's `seed`)")
	fs.BoolVar(&quiet, "quiet", false, "print nothing but errors")
	fs.Usage = func() {
		fmt.Fprint(stderr, calibrateUsage)
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	if workers < 1 || particles < 0 || generations < 0 || evals < 0 || particles == 1 {
		fmt.Fprintln(stderr, "ersim calibrate: --workers must be >= 1, --particles >= 2, --generations and --max-evaluations >= 0")
		return exitUsage
	}
	f, err := study.Load(pos[0])
	if err != nil {
		return fail(stderr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o := study.CalibrateOptions{Options: study.Options{Workers: workers}, Particles: particles,
		MaxGenerations: generations, MaxEvaluations: evals}
	if s, _ := overrides(fs, seed, 0); s != nil {
		o.Seed = s
	}
	if !quiet {
		o.Generation = func(g calib.Generation) {
			fmt.Fprintf(stderr, "generation %d: tolerance %.4g, ESS %.1f, acceptance %.3f, %d evaluations, %.1f s\n",
				g.Index, g.Epsilon, g.ESS, g.Acceptance, g.Evaluations, g.Seconds)
		}
	}
	res, err := study.Calibrate(ctx, f, out, o)
	if err != nil {
		return fail(stderr, err)
	}
	if !quiet {
		printCalibration(stdout, res)
	}
	return exitOK
}

// printCalibration summarises a calibration: each parameter's prior and posterior,
// each target's observed and predicted value.
func printCalibration(w io.Writer, res *study.CalibrationResult) {
	fmt.Fprintf(w, "%s — calibration of %d parameters to %d targets: %d generations, %d evaluations (%.1f a second), stopped: %s; %.1f s\nresults in %s\n\n",
		res.Scenario.Name, len(res.Params), len(res.Targets), len(res.Generations), res.Evaluations,
		float64(res.Evaluations)/res.Wall, res.Stopped, res.Wall, res.Dir)
	fmt.Fprintf(w, "%-48s %12s   %s\n", "parameter", "posterior", "95 % interval")
	for i, name := range res.Params {
		m, lo, hi := res.Summary(i)
		fmt.Fprintf(w, "%-48s %12.4g   %.4g – %.4g\n", name, m, lo, hi)
	}
	fmt.Fprintf(w, "\n%-48s %12s %12s\n", "target", "observed", "posterior")
	for j, t := range res.Targets {
		m := 0.0
		for k, s := range res.Sims {
			m += res.Weights[k] * s[j]
		}
		fmt.Fprintf(w, "%-48s %12.4g %12.4g\n", strings.TrimSpace(t.Name), res.Observed[j], m)
	}
	g := res.Generations[len(res.Generations)-1]
	fmt.Fprintf(w, "\nLast generation: tolerance %.4g, effective sample size %.1f of %d particles.\n", g.Epsilon, g.ESS, len(res.Particles))
}
