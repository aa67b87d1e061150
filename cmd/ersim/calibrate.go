package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"ersim/calib"
	"ersim/scenarios"
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
generations.csv (tolerance, effective sample size, acceptance, evaluations) and
the charts (charts/: fit per target, posterior against prior per parameter, pairs of
parameters, tolerance by generation) to out/<scenario>/calibration. Results do not
depend on --workers. Ctrl-C keeps the complete generations; --resume DIR continues.
See docs/calibration.md; validation/calibration.toml fits the shared behavioural set
to the in-sample published targets.

Flags:
`

type calibrateFlags struct {
	out, resume                            string
	workers, particles, generations, evals int
	seed                                   uint64
	quiet, noCharts                        bool
	charts                                 chartFlags
}

func (c *calibrateFlags) register(stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.out, "out", "", "output directory (default out/<scenario name>/calibration)")
	fs.IntVar(&c.workers, "workers", runtime.NumCPU(), "parallel model evaluations; results do not depend on it")
	fs.IntVar(&c.particles, "particles", 0, "particles per generation (default: calibration.particles)")
	fs.IntVar(&c.generations, "generations", 0, "the most generations, the prior sample included (default: calibration.max_generations)")
	fs.IntVar(&c.evals, "max-evaluations", 0, "the most model evaluations in all (default: calibration.max_evaluations)")
	fs.Uint64Var(&c.seed, "seed", 0, "the calibration's random seed (default: the scenario's `seed`)")
	fs.BoolVar(&c.quiet, "quiet", false, "print nothing but errors")
	fs.StringVar(&c.resume, "resume", "", "continue the interrupted calibration whose output directory was `DIR`")
	fs.BoolVar(&c.noCharts, "no-charts", false, "write the tables only")
	c.charts.register(fs, true)
	return fs
}

func cmdCalibrate(stdout, stderr io.Writer, args []string) int {
	var c calibrateFlags
	fs := c.register(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), calibrateUsage)
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	// 0 is the flags' "the scenario's value"; given explicitly, --particles 0 is refused
	// (it used to start a calibration of the scenario's 200 particles).
	setParticles := false
	fs.Visit(func(f *flag.Flag) { setParticles = setParticles || f.Name == "particles" })
	if c.workers < 1 || c.particles < 0 || c.generations < 0 || c.evals < 0 || setParticles && c.particles < 2 {
		fmt.Fprintln(stderr, "ersim calibrate: --workers must be >= 1, --particles >= 2, --generations and --max-evaluations >= 0")
		return exitUsage
	}
	var (
		f      *scenarios.File
		err    error
		resume *study.CalibrationCheckpoint
	)
	if c.resume != "" {
		if len(pos) != 0 {
			fmt.Fprintln(stderr, "ersim calibrate: --resume DIR takes the scenario and the flags from the checkpoint; give no SCENARIO")
			return exitUsage
		}
		if resume, err = study.ReadCalibrationCheckpoint(c.resume); err != nil {
			fmt.Fprintf(stderr, "ersim calibrate --resume: %v\n", err)
			return exitUsage
		}
		var rc calibrateFlags
		if _, _, ok := parse(rc.register(io.Discard), resume.Args); !ok {
			fmt.Fprintf(stderr, "ersim calibrate --resume: the checkpoint records flags this ersim cannot read: %s\n", strings.Join(resume.Args, " "))
			return exitUsage
		}
		rc.workers, rc.quiet, rc.out = c.workers, c.quiet, c.resume
		c = rc
		f, err = scenarios.Parse(resume.File, []byte(resume.ScenarioText))
		if err == nil {
			err = study.CheckTargets(f)
		}
	} else {
		if len(pos) != 1 {
			fs.Usage()
			return exitUsage
		}
		f, err = study.Load(pos[0])
	}
	if err != nil {
		return fail(stderr, err)
	}
	chartOpt, err := c.charts.options()
	if err != nil {
		fmt.Fprintf(stderr, "ersim calibrate: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o := study.CalibrateOptions{Options: study.Options{Workers: c.workers, NoCharts: c.noCharts, Charts: chartOpt}, Particles: c.particles,
		MaxGenerations: c.generations, MaxEvaluations: c.evals, Resume: resume, Args: args}
	if resume != nil {
		o.Args = resume.Args
	}
	if c.seed != 0 {
		o.Seed = &c.seed
	}
	if !c.quiet {
		o.Generation = func(g calib.Generation) {
			fmt.Fprintf(stderr, "generation %d: tolerance %.4g, ESS %.1f, acceptance %.3f, %d evaluations, %.1f s\n",
				g.Index, g.Epsilon, g.ESS, g.Acceptance, g.Evaluations, g.Seconds)
		}
	}
	res, err := study.Calibrate(ctx, f, c.out, o)
	var re *study.ResumeError
	if errors.As(err, &re) {
		fmt.Fprintf(stderr, "ersim calibrate --resume: %v\n", err)
		return exitUsage
	}
	if err != nil {
		code := fail(stderr, err)
		if ctx.Err() != nil {
			return 130
		}
		return code
	}
	if !c.quiet {
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
	width := 20
	for _, n := range res.Params {
		width = max(width, len(n))
	}
	for _, t := range res.Targets {
		width = max(width, len([]rune(t.Name)))
	}
	fmt.Fprintf(w, "%-*s %12s   %s\n", width, "parameter", "posterior", "95 % interval")
	for i, name := range res.Params {
		m, lo, hi := res.Summary(i)
		fmt.Fprintf(w, "%-*s %12.4g   %.4g – %.4g\n", width, name, m, lo, hi)
	}
	fmt.Fprintf(w, "\n%-*s %12s %12s\n", width, "target", "observed", "posterior")
	for j, t := range res.Targets {
		m := 0.0
		for k, s := range res.Sims {
			m += res.Weights[k] * s[j]
		}
		name := strings.TrimSpace(t.Name)
		fmt.Fprintf(w, "%s%s %12.4g %12.4g\n", name, strings.Repeat(" ", width-len([]rune(name))), res.Observed[j], m)
	}
	g := res.Generations[len(res.Generations)-1]
	fmt.Fprintf(w, "\nLast generation: tolerance %.4g, effective sample size %.1f of %d particles.\n", g.Epsilon, g.ESS, len(res.Particles))
}
