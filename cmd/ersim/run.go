package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"ersim/plots"
	"ersim/scenarios"
	"ersim/study"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type runOptions struct {
	reps, workers, providerReps int
	seed                        uint64
	out                         string
	variants                    stringList
	quiet, noCharts             bool
	charts                      chartFlags
	precision, absTol           float64
	maxReps                     int
	psa                         bool
	posterior                   string
	shard                       string
	resume                      string
	args                        []string // the command line after "run", for a checkpoint
}

// runFlags declares the flags of "ersim run" into o.
func runFlags(o *runOptions, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.reps, "reps", 0, "replications (default: the scenario's `replications`)")
	fs.Uint64Var(&o.seed, "seed", 0, "random seed (default: the scenario's `seed`)")
	fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&o.out, "out", "", "output directory (default out/<scenario name>)")
	fs.Var(&o.variants, "variant", "simulate only this variant (repeatable; the baseline is always simulated)")
	fs.BoolVar(&o.quiet, "quiet", false, "print nothing but errors")
	fs.IntVar(&o.providerReps, "provider-reps", 5, "replications whose provider-years go to providers.csv (at most 20)")
	fs.BoolVar(&o.noCharts, "no-charts", false, "do not draw the charts")
	fs.BoolVar(&o.psa, "psa", false, "probabilistic sensitivity analysis: draw the scenario's [uncertainty] parameters once per replication")
	fs.StringVar(&o.posterior, "posterior", "", "with --psa (implied): draw the calibrated parameters jointly from the posterior.csv `FILE` of \"ersim calibrate\"")
	fs.Float64Var(&o.precision, "precision", 0, "add batches of replications until every headline metric's 95 % CI half-width is below this share of its mean (0: off)")
	fs.Float64Var(&o.absTol, "abs-tol", 0, "with --precision: a half-width below this absolute value is also enough (for metrics near zero)")
	fs.IntVar(&o.maxReps, "max-reps", 10000, "with --precision: the most replications to run")
	fs.StringVar(&o.shard, "shard", "", "run only shard `K/N` (0-based K) of the replications, for \"ersim merge\"; \"auto\" takes K and N from Slurm (SLURM_ARRAY_*) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX with auto:N or ERSIM_SHARDS)")
	fs.StringVar(&o.resume, "resume", "", "continue the interrupted run whose output directory was `DIR`, from its checkpoint DIR.checkpoint/")
	o.charts.register(fs, true)
	return fs
}

func cmdRun(stdout, stderr io.Writer, args []string) int {
	var o runOptions
	fs := runFlags(&o, stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), runUsage)
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	o.args = args
	if o.resume != "" {
		return cmdResume(stdout, stderr, &o, fs, pos)
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "ersim run: one scenario at a time, got %d: %s\n", len(pos), strings.Join(pos, " "))
		return exitUsage
	}
	arg := ""
	if len(pos) == 1 {
		arg = pos[0]
	}
	if o.precision < 0 || o.absTol < 0 || o.maxReps < 1 {
		fmt.Fprintln(stderr, "ersim run: --precision and --abs-tol must be >= 0 and --max-reps >= 1")
		return exitUsage
	}
	repsGiven := false
	fs.Visit(func(f *flag.Flag) { repsGiven = repsGiven || f.Name == "reps" })
	if o.reps < 0 || repsGiven && o.reps < 1 || o.workers < 1 || o.providerReps < 0 || o.providerReps > 20 {
		fmt.Fprintln(stderr, "ersim run: --reps must be >= 1, --workers >= 1 and --provider-reps in 0..20")
		return exitUsage
	}
	var sh *study.Shard
	if o.shard != "" {
		s, err := study.ParseShard(o.shard)
		if err == nil && o.precision > 0 {
			err = fmt.Errorf("--shard and --precision cannot be combined")
		}
		if err != nil {
			fmt.Fprintf(stderr, "ersim run: %v\n", err)
			return exitUsage
		}
		sh = &s
	}
	chartOpt, err := o.charts.options()
	if err != nil {
		fmt.Fprintf(stderr, "ersim run: %v\n", err)
		return exitUsage
	}
	f, err := study.Load(arg)
	if err != nil {
		return fail(stderr, err)
	}
	if !o.quiet {
		for _, w := range f.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
	}
	in := newInterrupt()
	defer in.stop()
	if sh != nil {
		err = runShard(stdout, stderr, f, &o, fs, chartOpt, in, *sh)
		if err != nil {
			if sig := in.signal(500 * time.Millisecond); sig != nil {
				fmt.Fprintf(stderr, "ersim: interrupted (%v); the shard was not written: run the same command again to redo shard %d/%d\n", sig, sh.K, sh.N)
				return signalExit(sig)
			}
		}
	} else {
		err = runFile(stdout, stderr, f, &o, fs, chartOpt, in, nil)
	}
	return runExit(stderr, err, in)
}

// runExit reports how a run ended and returns its exit status: 128 + the signal's
// number when a signal interrupted it.
func runExit(stderr io.Writer, err error, in *interrupt) int {
	if err == nil {
		return exitOK
	}
	var ie *study.InterruptedError
	if errors.As(err, &ie) {
		fmt.Fprintf(stderr, "ersim: %v\n", err)
		if sig := in.signal(0); sig != nil {
			return signalExit(sig)
		}
		return exitFail
	}
	var re *study.ResumeError
	if errors.As(err, &re) {
		fmt.Fprintf(stderr, "ersim run --resume: %v\n", err)
		return exitUsage
	}
	return fail(stderr, err)
}

// cmdResume continues the interrupted run whose output directory was o.resume, with
// the flags it was started with; only --workers and --quiet may change, and a scenario,
// --seed or --reps given must be the checkpoint's.
func cmdResume(stdout, stderr io.Writer, o *runOptions, fs *flag.FlagSet, pos []string) int {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for name := range set {
		switch name {
		case "resume", "workers", "quiet", "seed", "reps":
		default:
			fmt.Fprintf(stderr, "ersim run: --resume takes the interrupted run's flags from its checkpoint; --%s cannot be changed (only --workers and --quiet can)\n", name)
			return exitUsage
		}
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "ersim run: one scenario at a time, got %d: %s\n", len(pos), strings.Join(pos, " "))
		return exitUsage
	}
	if o.workers < 1 {
		fmt.Fprintln(stderr, "ersim run: --workers must be >= 1")
		return exitUsage
	}
	m, err := study.ReadCheckpoint(o.resume)
	if err != nil {
		return runExit(stderr, err, nil)
	}
	var ro runOptions
	rfs := runFlags(&ro, io.Discard)
	if _, _, ok := parse(rfs, m.Args); !ok || ro.resume != "" || ro.shard != "" || ro.precision > 0 {
		return runExit(stderr, &study.ResumeError{Msg: fmt.Sprintf("the checkpoint in %s records flags this ersim cannot resume: %s", study.CheckpointDir(o.resume), strings.Join(m.Args, " "))}, nil)
	}
	ro.args = m.Args
	ro.out = o.resume
	if set["workers"] {
		ro.workers = o.workers
	}
	if set["quiet"] {
		ro.quiet = o.quiet
	}
	chartOpt, err := ro.charts.options()
	if err != nil {
		return runExit(stderr, &study.ResumeError{Msg: err.Error()}, nil)
	}
	// What the command line asks for, checked against the checkpoint.
	var given *scenarios.File
	if len(pos) == 1 {
		given, err = study.Load(pos[0])
	} else {
		given, err = scenarios.Parse(m.File, []byte(m.ScenarioText))
	}
	if err != nil {
		return fail(stderr, err)
	}
	seed, reps := overrides(rfs, ro.seed, ro.reps)
	study.Override(given, seed, reps)
	seed, reps = overrides(fs, o.seed, o.reps)
	study.Override(given, seed, reps)
	if err := study.CompareResume(m, given); err != nil {
		return runExit(stderr, err, nil)
	}
	f, err := scenarios.Parse(m.File, []byte(m.ScenarioText))
	if err != nil {
		return fail(stderr, err)
	}
	in := newInterrupt()
	defer in.stop()
	return runExit(stderr, runFile(stdout, stderr, f, &ro, rfs, chartOpt, in, m), in)
}

// overrides returns the --seed and --reps values when fs was given them, for
// study.Override.
func overrides(fs *flag.FlagSet, seed uint64, reps int) (*uint64, *int) {
	var s *uint64
	var r *int
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "seed":
			s = &seed
		case "reps":
			r = &reps
		}
	})
	return s, r
}

// studyOptions are the settings of study.Run that the flags of "run" give.
func (o *runOptions) studyOptions(fs *flag.FlagSet, chartOpt plots.Options, prog *progress) study.RunOptions {
	seed, reps := overrides(fs, o.seed, o.reps)
	return study.RunOptions{
		Options: study.Options{Variants: o.variants, Workers: o.workers, Seed: seed, Reps: reps,
			NoCharts: o.noCharts, Charts: chartOpt, Progress: prog.update, Posterior: o.posterior},
		ProviderReps: o.providerReps, PSA: o.psa || o.posterior != "", Args: o.args,
		Precision: study.Precision{Rel: o.precision, Abs: o.absTol, MaxReps: o.maxReps},
	}
}

// runFile runs a scenario, or with resume the rest of an interrupted run, and prints
// its table; interrupted by in, the run keeps the completed replications in a
// checkpoint (not with --precision) and returns a *study.InterruptedError.
func runFile(stdout, stderr io.Writer, f *scenarios.File, o *runOptions, fs *flag.FlagSet, chartOpt plots.Options, in *interrupt, resume *study.Checkpoint) error {
	prog := newProgress(stderr, o.quiet)
	so := o.studyOptions(fs, chartOpt, prog)
	so.Resume = resume
	so.OnReplication = in.hook
	res, err := study.Run(in.ctx, f, o.out, so)
	prog.done()
	if err != nil || o.quiet {
		return err
	}
	base := res.Scenario
	if l := base.Labels[chartOpt.Lang]; chartOpt.Lang == "sv" {
		title := base.Title
		if l != nil && l.Title != "" {
			title = l.Title
		}
		fmt.Fprintf(stdout, "%s — %s\n%d replikeringar × %d varianter, slumpfrö %d, %d arbetstrådar, %s s; resultat i %s\n\n",
			base.Name, title, res.Replications, len(res.Plan.Variants), base.Seed, o.workers,
			strings.Replace(fmt.Sprintf("%.1f", res.Wall), ".", ",", 1), res.Dir)
	} else {
		fmt.Fprintf(stdout, "%s — %s\n%d replications × %d variants, seed %d, %d workers, %.1f s; results in %s\n\n",
			base.Name, base.Title, res.Replications, len(res.Plan.Variants), base.Seed, o.workers, res.Wall, res.Dir)
	}
	if o.precision > 0 {
		if res.Precise {
			fmt.Fprintf(stdout, "precision %g reached after %d replications\n\n", o.precision, res.Replications)
		} else {
			fmt.Fprintf(stdout, "precision %g NOT reached: stopped at the maximum of %d replications; least precise: %s\n\n", o.precision, res.Replications, res.Worst)
		}
	}
	lang := chartOpt.Lang
	if l := f.Base.Labels[lang]; l != nil {
		res.Collector.Label = func(name string) string {
			if x, ok := l.Names[name]; ok && x != "" {
				return x
			}
			return name
		}
	}
	if err := res.Collector.WriteTableLang(stdout, lang); err != nil {
		return err
	}
	if lang == "sv" {
		fmt.Fprintf(stdout, "\nMedelvärden över replikeringarna; \"95 %% av replikeringarna\" är spannet 2,5–97,5 %% av utfallen;\nskillnaden är parvis (gemensamma slumptal) med 95 %% konfidensintervall för medelvärdet.\n")
	} else {
		fmt.Fprintf(stdout, "\nMeans over replications; \"95 %% of replications\" is the 2.5–97.5 %% range of outcomes;\nthe difference is paired (common random numbers) with the 95 %% confidence interval of its mean.\n")
	}
	if len(res.Collector.Plan.Variants) > 1 {
		if err := res.Collector.WriteCETableLang(stdout, lang); err != nil {
			return err
		}
	}
	return nil
}

// progress prints replications done, rate and time left on stderr when it is a
// terminal, at most five times a second; otherwise nothing.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
	mu    sync.Mutex
	shown bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) update(done, total int) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond && done < total {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(done) / el
	left := float64(total-done) / rate
	fmt.Fprintf(p.w, "\r%d/%d replications (%.0f %%), %.1f/s, %s left   ", done, total,
		100*float64(done)/float64(total), rate, time.Duration(left*float64(time.Second)).Round(time.Second))
	p.shown = true
}

func (p *progress) done() {
	if p.on && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

const runUsage = `Usage: ersim run [flags] [SCENARIO]

Simulates every variant of SCENARIO (a TOML file, or an embedded scenario's name;
default: the embedded "stockholm") and writes summary.csv, differences.csv,
timeseries.csv, replications.csv, providers.csv, assumptions.csv, manifest.json and
the charts (charts/, with a CSV of each chart's data) to the output directory. Flags
may come before or after SCENARIO and override the scenario's values.

Ctrl-C (SIGINT) or SIGTERM stops a run within seconds (exit status 130 or 143) and
keeps the replications completed in DIR.checkpoint/ beside the output directory DIR;
"ersim run --resume DIR" continues it and writes what an uninterrupted run writes.
An interrupted shard is redone by running the same command again.

Flags:
`
