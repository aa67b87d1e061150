package study

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"ersim/model"
	"ersim/results"
	"ersim/scenarios"
)

// RunOptions are the settings of Run and RunShard.
type RunOptions struct {
	Options
	ProviderReps int  // replications whose provider-years go to providers.csv (at most 20; the command's default is 5)
	PSA          bool // draw the [uncertainty] parameters once per replication; writes psa_draws.csv
	Precision    Precision
	// Args is recorded in the checkpoint of an interrupted run, so that it can be
	// resumed with the same settings: the command line after "run".
	Args []string
	// Resume, when not nil, is the checkpoint of an interrupted run of the same
	// scenario (ReadCheckpoint): its replications are replayed, the rest are run.
	Resume *Checkpoint
	// OnReplication, when not nil, is called after each complete replication (every
	// variant of it) with the number complete.
	OnReplication func(done int)
}

// Precision is a convergence target: after the first replications, batches of the same
// size are added until every headline metric's 95 % CI half-width is at most Rel ×
// |mean| (or Abs, for metrics near zero), up to MaxReps. Rel 0 is off.
type Precision struct {
	Rel, Abs float64
	MaxReps  int
}

// Result is a finished run. Its outputs are in Dir.
type Result struct {
	Dir          string
	Scenario     *scenarios.Scenario // the baseline, as run
	Plan         *model.Plan         // calibrated
	Collector    *results.Collector  // every replication's results
	Replications int
	Wall         float64 // seconds, as in manifest.json
	// With a precision target: whether it was reached, and when not, the least
	// precise metric.
	Precise bool
	Worst   string
}

func (o *RunOptions) plan(f *scenarios.File) (*model.Plan, error) {
	pl, base, err := plan(f, &o.Options)
	if err != nil {
		return nil, err
	}
	pl.ProviderReps = min(base.Replications, o.ProviderReps)
	if o.PSA {
		if err := pl.EnablePSA(f); err != nil {
			return nil, err
		}
	}
	if o.Posterior != "" {
		if !o.PSA {
			return nil, &scenarios.InputError{File: o.Posterior, Msg: "a posterior is drawn from only in a PSA run", Allowed: "--posterior with --psa"}
		}
		keys, particles, weights, err := ReadPosterior(o.Posterior)
		if err != nil {
			return nil, err
		}
		if err := pl.UsePosterior(keys, particles, weights); err != nil {
			return nil, &scenarios.InputError{File: o.Posterior, Msg: strings.TrimPrefix(err.Error(), "model: "),
				Allowed: "the posterior.csv of a calibration of this scenario, whose parameters are in its [uncertainty]"}
		}
	}
	return pl, nil
}

// ReadPosterior reads a calibration's posterior.csv: the calibrated parameters' keys and
// each particle's values and weight. A file that is not one is a *scenarios.InputError.
func ReadPosterior(path string) (keys []string, particles [][]float64, weights []float64, err error) {
	bad := func(msg string) error {
		return &scenarios.InputError{File: path, Msg: msg, Allowed: `the posterior.csv written by "ersim calibrate"`}
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, bad(err.Error())
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		return nil, nil, nil, bad(err.Error())
	}
	if len(recs) < 2 || len(recs[0]) < 4 || recs[0][0] != "particle" || recs[0][1] != "weight" || recs[0][2] != "distance" {
		return nil, nil, nil, bad("no particles, or not the header particle,weight,distance,…")
	}
	for _, h := range recs[0][3:] {
		if strings.HasPrefix(h, "sim:") {
			break
		}
		keys = append(keys, h)
	}
	for i, rec := range recs[1:] {
		x := make([]float64, len(keys))
		w, err := strconv.ParseFloat(rec[1], 64)
		for j := range keys {
			if err == nil {
				x[j], err = strconv.ParseFloat(rec[3+j], 64)
			}
		}
		if err != nil {
			return nil, nil, nil, bad(fmt.Sprintf("line %d: %v", i+2, err))
		}
		particles, weights = append(particles, x), append(weights, w)
	}
	return keys, particles, weights, nil
}

// Run simulates every variant of f (o.Variants: a selection), calibrates prices and
// budget neutrality, runs the replications on o.Workers workers and writes summary.csv,
// differences.csv, timeseries.csv, replications.csv, providers.csv, assumptions.csv,
// manifest.json, psa_draws.csv (o.PSA) and the charts into dir ("" is out/<scenario>).
// The files are staged and moved into place only when all are complete.
//
// When ctx is cancelled, Run waits for the replications in flight at most two
// seconds, keeps the complete ones in a checkpoint beside dir (CheckpointDir; not
// with a precision target) and returns an *InterruptedError; o.Resume continues it.
func Run(ctx context.Context, f *scenarios.File, dir string, o RunOptions) (*Result, error) {
	pl, err := o.plan(f)
	if err != nil {
		return nil, err
	}
	base := f.Variants[0].Scenario
	reps := base.Replications
	if size := float64(reps) * float64(len(pl.Variants)) * float64(len(pl.Cells)) * 8; size > maxTableBytes {
		return nil, &scenarios.InputError{File: f.Name, Path: "replications",
			Msg:     fmt.Sprintf("%d replications need about %.1f GiB for the per-replication table", reps, size/(1<<30)),
			Allowed: fmt.Sprintf("at most %.0f GiB: fewer replications or variants", float64(maxTableBytes)/(1<<30))}
	}
	keep := dir == ""
	if keep {
		dir = NewRunDir(filepath.Join("out", base.Name), time.Now())
	}
	if o.Resume != nil {
		if err := checkResumed(o.Resume, f, pl); err != nil {
			return nil, err
		}
	}
	res := &Result{Dir: dir, Scenario: base, Plan: pl}
	start := time.Now()
	err = writeRun(dir, func(out *results.Output, col *results.Collector) error {
		res.Collector = col
		return simulate(ctx, f, dir, &o, pl, col, res)
	}, func(out *results.Output, col *results.Collector) error {
		man := &results.Manifest{
			Ersim: Version, Go: runtime.Version(), Scenario: base.Name, File: f.Name,
			Seed: base.Seed, Replications: res.Replications, Workers: o.workers(),
			Variants: manifestVariants(f, pl, nil),
		}
		err := writeOutputs(out, col, f, pl, o.PSA, man, start, o.NoCharts, o.Charts)
		res.Wall = man.WallSeconds
		return err
	}, pl)
	if err != nil {
		return nil, err
	}
	// The run is complete: a checkpoint of it (resumed, or left by an earlier
	// interrupted run into the same directory) is obsolete.
	if _, err := os.Stat(filepath.Join(CheckpointDir(dir), checkpointManifestName)); err == nil {
		os.RemoveAll(CheckpointDir(dir))
	}
	if keep {
		if err := pointLatest(dir); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// NewRunDir is a new directory for a kept run under parent (out/<scenario>), named by
// the time it starts, e.g. out/stockholm/2026-12-02_170512; a second run in the same
// second gets -2, -3, … (issue 15: runs no longer overwrite each other).
func NewRunDir(parent string, t time.Time) string {
	name := t.UTC().Format("2006-01-02_150405")
	dir := filepath.Join(parent, name)
	for k := 2; ; k++ {
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			if _, err := os.Stat(CheckpointDir(dir)); os.IsNotExist(err) {
				return dir
			}
		}
		dir = filepath.Join(parent, fmt.Sprintf("%s-%d", name, k))
	}
}

// pointLatest makes parent/latest a link to the run dir, replacing the previous link
// atomically.
func pointLatest(dir string) error {
	parent := filepath.Dir(dir)
	tmp := filepath.Join(parent, fmt.Sprintf(".latest-%d", os.Getpid()))
	os.Remove(tmp)
	if err := os.Symlink(filepath.Base(dir), tmp); err != nil {
		return fmt.Errorf("study: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(parent, results.Latest)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("study: %w", err)
	}
	return nil
}

// simulate calibrates the plan and runs its replications into col, through a
// checkpointer; with a precision target it adds batches until the target is met. It
// sets res.Replications, Precise and Worst.
func simulate(ctx context.Context, f *scenarios.File, dir string, o *RunOptions, pl *model.Plan, col *results.Collector, res *Result) error {
	base := f.Variants[0].Scenario
	reps := base.Replications
	prec := o.Precision
	ck, err := newCheckpointer(dir, col, len(pl.Variants), o.OnReplication, o.progress, prec.Rel == 0, o.Resume)
	if err != nil {
		return err
	}
	defer ck.discard()
	from := 0
	if o.Resume != nil {
		from = o.Resume.Done
		if err := readShard(shardDir{CheckpointDir(dir), &ShardManifest{First: 0, Last: from}}, pl, col); err != nil {
			return err
		}
	}
	interrupted := func(err error) error {
		if ctx.Err() == nil {
			return err
		}
		man := &Checkpoint{
			Format: checkpointFormat, Ersim: Version, Scenario: base.Name, File: f.Name, ScenarioText: f.Text,
			Seed: base.Seed, Replications: reps, ProviderReps: pl.ProviderReps, PSA: o.PSA, Args: o.Args,
			Variants: shardVariants(f, pl),
		}
		done, kept, cerr := ck.commit(dir, man)
		if cerr != nil {
			return fmt.Errorf("interrupted, and %w", cerr)
		}
		return &InterruptedError{Done: done, Total: reps, Kept: kept, Out: dir}
	}
	if err := model.Calibrate(ctx, pl); err != nil {
		return interrupted(err)
	}
	if r := o.Resume; r != nil {
		for i, v := range pl.Variants {
			if ps := v.PriceScale(); ps != r.Variants[i].PriceScale {
				return &ResumeError{fmt.Sprintf("variant %s calibrates to price scale %g, the checkpoint recorded %g", v.Name, ps, r.Variants[i].PriceScale)}
			}
		}
	}
	if err := runReps(ctx, pl, from, reps, ck); err != nil {
		return interrupted(err)
	}
	res.Replications = reps
	if prec.Rel == 0 {
		return nil
	}
	// Batches of the first run's size, until precise or at the maximum; the stopping
	// point depends only on the results, so it is the same on every run.
	batch := reps
	for {
		if res.Precise, res.Worst = col.Precise(prec.Rel, prec.Abs); res.Precise || reps >= prec.MaxReps {
			break
		}
		next := min(reps+batch, prec.MaxReps)
		if err := runReps(ctx, pl, reps, next, ck); err != nil {
			return interrupted(err)
		}
		reps = next
	}
	res.Replications = reps
	for _, r := range f.Variants {
		r.Scenario.Replications = reps
		r.Rehash()
	}
	return nil
}

// runReps runs replications [a, b) into ck; cancelled, it waits for those in flight
// at most interruptGrace and abandons the rest.
func runReps(ctx context.Context, pl *model.Plan, a, b int, ck *checkpointer) error {
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
