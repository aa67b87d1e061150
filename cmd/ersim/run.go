package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"ersim/model"
	"ersim/plots"
	"ersim/results"
	"ersim/scenarios"
)

// maxTableBytes bounds the per-replication table kept in memory.
const maxTableBytes = 8 << 30

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
		fmt.Fprint(stderr, `Usage: ersim run [flags] [SCENARIO]

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
`)
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
	if o.reps < 0 || o.workers < 1 || o.providerReps < 0 || o.providerReps > 20 {
		fmt.Fprintln(stderr, "ersim run: --reps must be >= 1, --workers >= 1 and --provider-reps in 0..20")
		return exitUsage
	}
	var sh *shardSpec
	if o.shard != "" {
		s, err := parseShard(o.shard)
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
	f, err := loadScenario(arg)
	if err != nil {
		return fail(stderr, err)
	}
	in := newInterrupt()
	defer in.stop()
	if sh != nil {
		err = runShard(stdout, stderr, f, &o, fs, *sh)
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
	var ie *interruptedError
	if errors.As(err, &ie) {
		fmt.Fprintf(stderr, "ersim: %v\n", err)
		if sig := in.signal(0); sig != nil {
			return signalExit(sig)
		}
		return exitFail
	}
	var re *resumeError
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
	m, err := readCheckpoint(o.resume)
	if err != nil {
		return runExit(stderr, err, nil)
	}
	var ro runOptions
	rfs := runFlags(&ro, io.Discard)
	if _, _, ok := parse(rfs, m.Args); !ok || ro.resume != "" || ro.shard != "" || ro.precision > 0 {
		return runExit(stderr, &resumeError{fmt.Sprintf("the checkpoint in %s records flags this ersim cannot resume: %s", checkpointDir(o.resume), strings.Join(m.Args, " "))}, nil)
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
		return runExit(stderr, &resumeError{err.Error()}, nil)
	}
	// What the command line asks for, checked against the checkpoint.
	var given *scenarios.File
	if len(pos) == 1 {
		given, err = loadScenario(pos[0])
	} else {
		given, err = scenarios.Parse(m.File, []byte(m.ScenarioText))
	}
	if err != nil {
		return fail(stderr, err)
	}
	overrideRun(given, rfs, ro.seed, ro.reps)
	overrideRun(given, fs, o.seed, o.reps)
	if err := compareResume(m, given); err != nil {
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

// runFile runs a scenario, or with resume the rest of an interrupted run, and writes
// its outputs; interrupted by in, it keeps the completed replications in a checkpoint
// (not with --precision) and returns an *interruptedError.
func runFile(stdout, stderr io.Writer, f *scenarios.File, o *runOptions, fs *flag.FlagSet, chartOpt plots.Options, in *interrupt, resume *checkpointManifest) error {
	overrideRun(f, fs, o.seed, o.reps)
	base := f.Variants[0].Scenario
	reps := base.Replications
	pl, err := model.NewPlan(f, o.variants, reps, o.workers)
	if err != nil {
		return err
	}
	pl.ProviderReps = min(reps, o.providerReps)
	if o.psa {
		if err := pl.EnablePSA(f); err != nil {
			return err
		}
	}
	if size := float64(reps) * float64(len(pl.Variants)) * float64(len(pl.Cells)) * 8; size > maxTableBytes {
		return &scenarios.InputError{File: f.Name, Path: "replications",
			Msg:     fmt.Sprintf("%d replications need about %.1f GiB for the per-replication table", reps, size/(1<<30)),
			Allowed: fmt.Sprintf("at most %.0f GiB: fewer replications or variants", float64(maxTableBytes)/(1<<30))}
	}
	dir := o.out
	if dir == "" {
		dir = filepath.Join("out", base.Name)
	}

	if resume != nil {
		if err := checkResumed(resume, f, pl); err != nil {
			return err
		}
	}
	ctx := in.ctx
	out, err := results.NewOutput(dir)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			out.Abort()
		}
	}()
	start := time.Now()
	provFile, err := out.Create("providers.csv")
	if err != nil {
		return err
	}
	defer provFile.Close()
	col := results.NewCollector(pl, provFile)
	prog := newProgress(stderr, o.quiet)
	ck, err := newCheckpointer(dir, col, len(pl.Variants), in, prog.update, o.precision == 0, resume)
	if err != nil {
		return err
	}
	defer ck.discard()
	from := 0
	if resume != nil {
		from = resume.Done
		if err := readShard(shardDir{checkpointDir(dir), &shardManifest{First: 0, Last: from}}, pl, col); err != nil {
			return err
		}
	}
	interrupted := func(err error) error {
		prog.done()
		if ctx.Err() == nil {
			return err
		}
		man := &checkpointManifest{
			Format: checkpointFormat, Ersim: Version, Scenario: base.Name, File: f.Name, ScenarioText: f.Text,
			Seed: base.Seed, Replications: reps, ProviderReps: pl.ProviderReps, PSA: o.psa, Args: o.args,
		}
		for _, v := range pl.Variants {
			man.Variants = append(man.Variants, shardVariant{Name: v.Name, SHA256: f.Variant(v.Name).Hash, PriceScale: v.PriceScale()})
		}
		done, kept, cerr := ck.commit(dir, man)
		if cerr != nil {
			return fmt.Errorf("interrupted, and %w", cerr)
		}
		return &interruptedError{done: done, total: reps, kept: kept, out: dir}
	}
	// runReps runs replications [a, b); interrupted, it waits for those in flight at most
	// interruptGrace and abandons the rest.
	runReps := func(a, b int) error {
		errc := make(chan error, 1)
		go func() { errc <- model.RunReps(ctx, pl, a, b, ck, ck.progress) }()
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
			select {
			case err := <-errc:
				return err
			case <-time.After(interruptGrace):
				return ctx.Err()
			}
		}
	}
	if err := model.Calibrate(ctx, pl); err != nil {
		return interrupted(err)
	}
	if resume != nil {
		for i, v := range pl.Variants {
			if ps := v.PriceScale(); ps != resume.Variants[i].PriceScale {
				return &resumeError{fmt.Sprintf("variant %s calibrates to price scale %g, the checkpoint recorded %g", v.Name, ps, resume.Variants[i].PriceScale)}
			}
		}
	}
	if err := runReps(from, reps); err != nil {
		return interrupted(err)
	}
	convergence := ""
	if o.precision > 0 {
		// Batches of the first run's size, until precise or at the maximum; the stopping
		// point depends only on the results, so it is the same on every run.
		batch := reps
		for {
			ok, worst := col.Precise(o.precision, o.absTol)
			if ok {
				convergence = fmt.Sprintf("precision %g reached after %d replications", o.precision, reps)
				break
			}
			if reps >= o.maxReps {
				convergence = fmt.Sprintf("precision %g NOT reached: stopped at the maximum of %d replications; least precise: %s", o.precision, reps, worst)
				break
			}
			next := min(reps+batch, o.maxReps)
			if err := runReps(reps, next); err != nil {
				return interrupted(err)
			}
			reps = next
		}
		for _, r := range f.Variants {
			r.Scenario.Replications = reps
			r.Rehash()
		}
	}
	prog.done()
	if err := col.Flush(); err != nil {
		return err
	}
	if err := provFile.Close(); err != nil {
		return err
	}
	man := &results.Manifest{
		Ersim: Version, Go: runtime.Version(), Scenario: base.Name, File: f.Name,
		Seed: base.Seed, Replications: reps, Workers: o.workers,
		Variants: manifestVariants(f, pl, nil),
	}
	if err := writeOutputs(out, col, f, pl, o.psa, man, start, o.noCharts, chartOpt); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	committed = true
	// The run is complete: a checkpoint of it (resumed, or left by an earlier
	// interrupted run into the same directory) is obsolete.
	if _, err := os.Stat(filepath.Join(checkpointDir(dir), checkpointManifestName)); err == nil {
		os.RemoveAll(checkpointDir(dir))
	}
	if !o.quiet {
		fmt.Fprintf(stdout, "%s — %s\n%d replications × %d variants, seed %d, %d workers, %.1f s; results in %s\n\n",
			base.Name, base.Title, reps, len(pl.Variants), base.Seed, o.workers, man.WallSeconds, dir)
		if convergence != "" {
			fmt.Fprintf(stdout, "%s\n\n", convergence)
		}
		if err := col.WriteTable(stdout); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nMeans over replications; \"95 %% of replications\" is the 2.5–97.5 %% range of outcomes;\nthe difference is paired (common random numbers) with the 95 %% confidence interval of its mean.\n")
	}
	return nil
}

// writeAssumptions writes assumptions.csv: every parameter of the baseline with its
// value and source or assumption mark, then what each other variant changes.
func writeAssumptions(w io.Writer, f *scenarios.File, pl *model.Plan) error {
	cw := newCSV(w)
	cw.row("variant", "key", "value", "source", "assumption")
	var base map[string]scenarios.ParamInfo
	for i, v := range pl.Variants {
		r := f.Variant(v.Name)
		params := scenarios.Parameters(r.Scenario)
		cur := map[string]scenarios.ParamInfo{}
		for _, p := range params {
			cur[p.Path] = p
			if i > 0 {
				if b, ok := base[p.Path]; ok && b.Value == p.Value && b.Source == p.Source {
					continue
				}
			}
			cw.row(v.Name, p.Path, p.Value, p.Source, fmt.Sprint(p.Assumption))
		}
		if i == 0 {
			base = cur
		}
	}
	return cw.flush()
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

type csvWriter struct{ w *csv.Writer }

func newCSV(w io.Writer) *csvWriter       { return &csvWriter{csv.NewWriter(w)} }
func (c *csvWriter) row(fields ...string) { c.w.Write(fields) }
func (c *csvWriter) flush() error {
	c.w.Flush()
	return c.w.Error()
}

// overrideRun applies the --seed and --reps flags, when given, to every variant's
// resolved scenario, so that what is recorded is what was run.
func overrideRun(f *scenarios.File, fs *flag.FlagSet, seed uint64, reps int) {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for _, r := range f.Variants {
		if set["seed"] {
			r.Scenario.Seed = seed
		}
		if set["reps"] {
			r.Scenario.Replications = reps
		}
		r.Rehash()
	}
}

// manifestVariants describes the plan's variants for the manifest; scale, when not nil,
// gives each variant's calibrated price scale (else the plan's own).
func manifestVariants(f *scenarios.File, pl *model.Plan, scale []float64) []results.ManifestVariant {
	var mv []results.ManifestVariant
	for i, v := range pl.Variants {
		r := f.Variant(v.Name)
		ps := v.PriceScale()
		if scale != nil {
			ps = scale[i]
		}
		mv = append(mv, results.ManifestVariant{
			Name: v.Name, Description: v.Description, BudgetNeutral: v.BudgetNeutral,
			PriceScale: ps, SHA256: r.Hash, Resolved: r.Text,
		})
	}
	return mv
}

// writeOutputs stages every output of a run from its collector (whose provider rows
// are already flushed): the tables, assumptions.csv, psa_draws.csv with --psa,
// manifest.json (its end and wall time set here) and the charts. "run" and "merge"
// share it, so their files are the same.
func writeOutputs(out *results.Output, col *results.Collector, f *scenarios.File, pl *model.Plan, psa bool,
	man *results.Manifest, start time.Time, noCharts bool, chartOpt plots.Options) error {
	for _, w := range []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"summary.csv", col.WriteSummary},
		{"differences.csv", col.WriteDifferences},
		{"timeseries.csv", col.WriteTimeseries},
		{"replications.csv", col.WriteReplications},
		{"assumptions.csv", func(w io.Writer) error { return writeAssumptions(w, f, pl) }},
	} {
		if err := out.Write(w.name, w.fn); err != nil {
			return err
		}
	}
	if psa {
		if err := out.Write("psa_draws.csv", col.WriteDraws); err != nil {
			return err
		}
	}
	end := time.Now()
	man.Start, man.End = start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339)
	man.WallSeconds = end.Sub(start).Seconds()
	if err := out.Write("manifest.json", func(w io.Writer) error { return results.WriteManifest(w, man) }); err != nil {
		return err
	}
	if !noCharts {
		// The charts are drawn from the files just written, as "ersim plot" would.
		run, err := results.ReadRun(out.Stage())
		if err != nil {
			return err
		}
		if _, err := plots.Draw(run, filepath.Join(out.Stage(), "charts"), chartOpt); err != nil {
			return err
		}
	}
	return nil
}
