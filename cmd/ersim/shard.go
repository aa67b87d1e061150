package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ersim/model"
	"ersim/plots"
	"ersim/results"
	"ersim/scenarios"
)

// A shard directory holds shard.json (shardManifest) and shard.csv: the raw results of
// the shard's replications, in (replication, variant) order, one record per line with
// a variable number of fields; replications and variants are 0-based and every number
// is written with strconv 'g' -1, so it reads back exactly:
//
//	ersim-shard,1                                  format and its version (first line)
//	V,rep,variant,value...                         cell values, in plan order (starts a replication)
//	S,rep,variant,series,value...                  a series metric's value per counted period
//	Y,rep,variant,provider,cohort,form,year,visits,revenue,tak1_share,margin,quality,admin_hours
//	P,rep,variant,draw...                          the --psa draws (variant 0)
const (
	shardManifestName = "shard.json"
	shardDataName     = "shard.csv"
	shardFormat       = "ersim-shard"
	shardVersion      = "1"
)

type shardSpec struct{ K, N int }

// parseShard parses "K/N" with 0 <= K < N, or "auto" / "auto:N", which take K (and N)
// from the scheduler's environment (see shardFromEnv).
func parseShard(s string) (shardSpec, error) {
	if s == "auto" || strings.HasPrefix(s, "auto:") {
		return shardFromEnv(s, os.LookupEnv)
	}
	ks, ns, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return shardSpec{}, fmt.Errorf("--shard %q: want K/N with N >= 1 and 0 <= K < N (K is 0-based)", s)
	}
	return shardSpec{k, n}, nil
}

// shardFromEnv resolves "--shard auto" or "--shard auto:N" with lookup (os.LookupEnv):
//
//   - Slurm job array: K = (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP
//     (the step when set, else 1) and N = SLURM_ARRAY_TASK_COUNT, so the array's indices
//     need not start at 0. An N given as auto:N or ERSIM_SHARDS must agree.
//   - Kubernetes Indexed Job: K = JOB_COMPLETION_INDEX and N from auto:N, else from
//     ERSIM_SHARDS (the Job's completions).
//
// Missing or inconsistent variables are an error naming them.
func shardFromEnv(s string, lookup func(string) (string, bool)) (shardSpec, error) {
	explicit := 0 // N from auto:N or ERSIM_SHARDS; 0 when not given
	if rest, ok := strings.CutPrefix(s, "auto:"); ok {
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 {
			return shardSpec{}, fmt.Errorf("--shard %q: want auto:N with N >= 1", s)
		}
		explicit = n
	} else if v, ok := lookup("ERSIM_SHARDS"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return shardSpec{}, fmt.Errorf("--shard auto: ERSIM_SHARDS=%q is not a number of shards >= 1", v)
		}
		explicit = n
	}
	num := func(name string) (int, bool, error) {
		v, ok := lookup(name)
		if !ok || v == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, true, fmt.Errorf("--shard auto: %s=%q is not an integer", name, v)
		}
		return n, true, nil
	}
	if _, ok := lookup("SLURM_ARRAY_TASK_ID"); ok {
		vars := []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"}
		var x [3]int
		for i, name := range vars {
			n, ok, err := num(name)
			if err != nil {
				return shardSpec{}, err
			}
			if !ok {
				return shardSpec{}, fmt.Errorf("--shard auto: under a Slurm job array, %s are needed but %s is not set (submit with sbatch --array)", strings.Join(vars, ", "), name)
			}
			x[i] = n
		}
		id, lo, n := x[0], x[1], x[2]
		step, ok, err := num("SLURM_ARRAY_TASK_STEP")
		if err != nil {
			return shardSpec{}, err
		}
		if !ok || step < 1 {
			step = 1
		}
		if n < 1 || id < lo || (id-lo)%step != 0 || (id-lo)/step >= n {
			return shardSpec{}, fmt.Errorf("--shard auto: inconsistent Slurm array: SLURM_ARRAY_TASK_ID=%d, SLURM_ARRAY_TASK_MIN=%d, SLURM_ARRAY_TASK_STEP=%d, SLURM_ARRAY_TASK_COUNT=%d do not give 0 <= K < N (use a range of indices such as --array=0-%d or 1-%d)", id, lo, step, n, max(n-1, 0), n)
		}
		if explicit != 0 && explicit != n {
			return shardSpec{}, fmt.Errorf("--shard auto: %d shards asked (auto:N or ERSIM_SHARDS) but SLURM_ARRAY_TASK_COUNT=%d", explicit, n)
		}
		return shardSpec{(id - lo) / step, n}, nil
	}
	if _, ok := lookup("JOB_COMPLETION_INDEX"); ok {
		k, _, err := num("JOB_COMPLETION_INDEX")
		if err != nil {
			return shardSpec{}, err
		}
		if explicit == 0 {
			return shardSpec{}, fmt.Errorf("--shard auto: under a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=%d) the number of shards is needed: use --shard auto:N or set ERSIM_SHARDS to the Job's completions", k)
		}
		if k < 0 || k >= explicit {
			return shardSpec{}, fmt.Errorf("--shard auto: JOB_COMPLETION_INDEX=%d is not in 0..%d (N = %d from auto:N or ERSIM_SHARDS)", k, explicit-1, explicit)
		}
		return shardSpec{k, explicit}, nil
	}
	return shardSpec{}, fmt.Errorf("--shard %s: no scheduler environment: set SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job, with --shard auto:N or ERSIM_SHARDS), or use --shard K/N", s)
}

// shardRange returns shard k of n's replications [first, last) of reps: contiguous
// blocks whose sizes differ by at most one.
func shardRange(k, n, reps int) (int, int) {
	return k * reps / n, (k + 1) * reps / n
}

// shardManifest is shard.json.
type shardManifest struct {
	Format       string         `json:"format"`
	Ersim        string         `json:"ersim_version"`
	Go           string         `json:"go_version"`
	Scenario     string         `json:"scenario"`
	File         string         `json:"file"`
	ScenarioText string         `json:"scenario_text"` // the scenario file as read
	Seed         uint64         `json:"seed"`
	Replications int            `json:"replications"` // of the whole run
	Shard        int            `json:"shard"`        // K, 0-based
	Shards       int            `json:"shards"`       // N
	First        int            `json:"first"`        // 0-based
	Last         int            `json:"last"`         // excluded
	ProviderReps int            `json:"provider_reps"`
	PSA          bool           `json:"psa"`
	Variants     []shardVariant `json:"variants"`
	Workers      int            `json:"workers"`
	Start        string         `json:"start"`
	End          string         `json:"end"`
	WallSeconds  float64        `json:"wall_seconds"`
}

type shardVariant struct {
	Name       string  `json:"name"`
	SHA256     string  `json:"sha256"`
	PriceScale float64 `json:"price_scale"`
}

// shardSink writes replications to shard.csv as they come.
type shardSink struct {
	cw  *csv.Writer
	err error
}

func fnum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func (s *shardSink) write(rec []string) {
	if s.err == nil {
		s.err = s.cw.Write(rec)
	}
}

func (s *shardSink) Add(r *model.Rep) {
	id := []string{strconv.Itoa(r.Rep), strconv.Itoa(r.Variant)}
	rec := append([]string{"V"}, id...)
	for _, x := range r.Values {
		rec = append(rec, fnum(x))
	}
	s.write(rec)
	for m, ser := range r.Series {
		rec = append([]string{"S"}, id...)
		rec = append(rec, strconv.Itoa(m))
		for _, x := range ser {
			rec = append(rec, fnum(x))
		}
		s.write(rec)
	}
	for _, y := range r.Years {
		rec = append([]string{"Y"}, id...)
		s.write(append(rec, strconv.Itoa(y.Provider), y.Cohort, y.Form, strconv.Itoa(y.Year), fnum(y.Visits),
			fnum(y.Revenue), fnum(y.Tak1Share), fnum(y.Margin), fnum(y.Quality), fnum(y.AdminHours)))
	}
	if r.PSA != nil {
		rec = append([]string{"P"}, id...)
		for _, x := range r.PSA {
			rec = append(rec, fnum(x))
		}
		s.write(rec)
	}
}

// runShard runs shard K of N of a scenario's replications and writes its shard
// directory. Calibration is the full run's: it uses the first calibration_replications
// replications whatever the shard.
func runShard(stdout, stderr io.Writer, f *scenarios.File, o *runOptions, fs *flag.FlagSet, sh shardSpec) error {
	overrideRun(f, fs, o.seed, o.reps)
	base := f.Variants[0].Scenario
	reps := base.Replications
	if sh.N > reps {
		return &scenarios.InputError{File: f.Name, Path: "--shard",
			Msg: fmt.Sprintf("%d shards for %d replications", sh.N, reps), Allowed: fmt.Sprintf("at most %d shards", reps)}
	}
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
	first, last := shardRange(sh.K, sh.N, reps)
	dir := o.out
	if dir == "" {
		dir = filepath.Join("out", fmt.Sprintf("%s-shard-%d-of-%d", base.Name, sh.K, sh.N))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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
	data, err := out.Create(shardDataName)
	if err != nil {
		return err
	}
	defer data.Close()
	bw := bufio.NewWriter(data)
	sink := &shardSink{cw: csv.NewWriter(bw)}
	sink.write([]string{shardFormat, shardVersion})
	prog := newProgress(stderr, o.quiet)
	interrupted := func(err error) error {
		prog.done()
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted; nothing was written to %s", dir)
		}
		return err
	}
	if err := model.Calibrate(ctx, pl); err != nil {
		return interrupted(err)
	}
	if err := model.RunReps(ctx, pl, first, last, sink, prog.update); err != nil {
		return interrupted(err)
	}
	prog.done()
	sink.cw.Flush()
	if sink.err == nil {
		sink.err = sink.cw.Error()
	}
	if sink.err == nil {
		sink.err = bw.Flush()
	}
	if sink.err != nil {
		return fmt.Errorf("writing %s: %w", shardDataName, sink.err)
	}
	if err := data.Close(); err != nil {
		return err
	}
	end := time.Now()
	man := &shardManifest{
		Format: shardFormat, Ersim: Version, Go: runtime.Version(), Scenario: base.Name, File: f.Name,
		ScenarioText: f.Text, Seed: base.Seed, Replications: reps, Shard: sh.K, Shards: sh.N,
		First: first, Last: last, ProviderReps: pl.ProviderReps, PSA: o.psa, Workers: o.workers,
		Start: start.UTC().Format(time.RFC3339), End: end.UTC().Format(time.RFC3339),
		WallSeconds: end.Sub(start).Seconds(),
	}
	for _, v := range pl.Variants {
		man.Variants = append(man.Variants, shardVariant{Name: v.Name, SHA256: f.Variant(v.Name).Hash, PriceScale: v.PriceScale()})
	}
	if err := out.Write(shardManifestName, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(man)
	}); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	committed = true
	if !o.quiet {
		fmt.Fprintf(stdout, "%s — shard %d/%d: replications %d–%d of %d × %d variants, seed %d, %.1f s; shard in %s\n",
			base.Name, sh.K, sh.N, first+1, last, reps, len(pl.Variants), base.Seed, man.WallSeconds, dir)
	}
	return nil
}

// mergeError is a problem with the shards given to merge (exit status 2).
type mergeError struct{ msg string }

func (e *mergeError) Error() string { return e.msg }

func mergeErrorf(format string, a ...any) error { return &mergeError{fmt.Sprintf(format, a...)} }

func cmdMerge(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "output directory (required)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	noCharts := fs.Bool("no-charts", false, "do not draw the charts")
	var charts chartFlags
	charts.register(fs, true)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: ersim merge --out DIR SHARD_DIR...

Merges the shard directories written by "ersim run --shard K/N" into the outputs the
same run on one machine writes (summary.csv, timeseries.csv, replications.csv, ...,
byte for byte; only manifest.json's timing and worker fields differ, and it lists the
shards). The shards must all belong to one run and cover every replication once.

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if *out == "" || len(pos) == 0 {
		fmt.Fprintln(stderr, "ersim merge: --out DIR and at least one SHARD_DIR are required")
		return exitUsage
	}
	chartOpt, err := charts.options()
	if err != nil {
		fmt.Fprintf(stderr, "ersim merge: %v\n", err)
		return exitUsage
	}
	if err := merge(stdout, stderr, *out, pos, *quiet, *noCharts, chartOpt); err != nil {
		var me *mergeError
		if errors.As(err, &me) {
			fmt.Fprintf(stderr, "ersim merge: %v\n", err)
			return exitUsage
		}
		return fail(stderr, err)
	}
	return exitOK
}

type shardDir struct {
	dir string
	man *shardManifest
}

func readShardManifest(dir string) (*shardManifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, shardManifestName))
	if err != nil {
		return nil, mergeErrorf("%s is not a shard directory: %v", dir, err)
	}
	var m shardManifest
	if err := json.Unmarshal(b, &m); err != nil || m.Format != shardFormat {
		return nil, mergeErrorf("%s: %s is not a shard manifest", dir, shardManifestName)
	}
	return &m, nil
}

// checkShards checks that the shards belong to one run and cover its replications
// exactly once, and returns them in replication order.
func checkShards(dirs []string) ([]shardDir, error) {
	var shards []shardDir
	for _, d := range dirs {
		m, err := readShardManifest(d)
		if err != nil {
			return nil, err
		}
		shards = append(shards, shardDir{d, m})
	}
	ref := shards[0]
	hashes := func(m *shardManifest) string {
		var s []string
		for _, v := range m.Variants {
			s = append(s, v.Name+" "+v.SHA256)
		}
		return strings.Join(s, ", ")
	}
	for _, s := range shards {
		m, r := s.man, ref.man
		var diff string
		switch {
		case m.Ersim != Version:
			diff = fmt.Sprintf("ersim version %s, but this is ersim %s", m.Ersim, Version)
		case m.Seed != r.Seed:
			diff = fmt.Sprintf("seed %d, not %d", m.Seed, r.Seed)
		case m.Replications != r.Replications:
			diff = fmt.Sprintf("%d replications, not %d", m.Replications, r.Replications)
		case m.Shards != r.Shards:
			diff = fmt.Sprintf("split in %d shards, not %d", m.Shards, r.Shards)
		case m.Scenario != r.Scenario || hashes(m) != hashes(r):
			diff = fmt.Sprintf("another scenario or variants: %s [%s], not %s [%s]", m.Scenario, hashes(m), r.Scenario, hashes(r))
		case m.PSA != r.PSA || m.ProviderReps != r.ProviderReps:
			diff = fmt.Sprintf("--psa %v --provider-reps %d, not --psa %v --provider-reps %d", m.PSA, m.ProviderReps, r.PSA, r.ProviderReps)
		case m.ScenarioText != r.ScenarioText:
			diff = "another scenario file text"
		}
		if diff == "" {
			for i, v := range m.Variants {
				if v.PriceScale != r.Variants[i].PriceScale {
					diff = fmt.Sprintf("calibrated price scale %g of %s, not %g", v.PriceScale, v.Name, r.Variants[i].PriceScale)
				}
			}
		}
		if diff != "" {
			return nil, mergeErrorf("shard %s is not from the same run as %s: %s", s.dir, ref.dir, diff)
		}
		if first, last := shardRange(m.Shard, m.Shards, m.Replications); m.Shard < 0 || m.Shard >= m.Shards || m.First != first || m.Last != last {
			return nil, mergeErrorf("shard %s: shard %d/%d with replications [%d, %d) is not a valid shard", s.dir, m.Shard, m.Shards, m.First, m.Last)
		}
	}
	slices.SortStableFunc(shards, func(a, b shardDir) int { return a.man.Shard - b.man.Shard })
	for i := 1; i < len(shards); i++ {
		if a, b := shards[i-1], shards[i]; a.man.Shard == b.man.Shard {
			return nil, mergeErrorf("shard %d/%d is given twice: %s and %s", a.man.Shard, a.man.Shards, a.dir, b.dir)
		}
	}
	n, reps := ref.man.Shards, ref.man.Replications
	var missing []string
	next := 0
	for k := range n {
		if next < len(shards) && shards[next].man.Shard == k {
			next++
			continue
		}
		first, last := shardRange(k, n, reps)
		missing = append(missing, fmt.Sprintf("shard %d/%d (replications %d–%d)", k, n, first+1, last))
	}
	if len(missing) > 0 {
		return nil, mergeErrorf("missing %s of %d replications: %s", plural(len(missing), "shard"), reps, strings.Join(missing, ", "))
	}
	return shards, nil
}

func plural(n int, s string) string {
	if n == 1 {
		return "1 " + s
	}
	return fmt.Sprintf("%d %ss", n, s)
}

func merge(stdout, stderr io.Writer, dir string, dirs []string, quiet, noCharts bool, chartOpt plots.Options) error {
	start := time.Now()
	shards, err := checkShards(dirs)
	if err != nil {
		return err
	}
	ref := shards[0].man
	// The scenario as the shards ran it: the file, with --seed and --reps applied.
	f, err := scenarios.Parse(ref.File, []byte(ref.ScenarioText))
	if err != nil {
		return err
	}
	for _, r := range f.Variants {
		r.Scenario.Seed = ref.Seed
		r.Scenario.Replications = ref.Replications
		r.Rehash()
	}
	var names []string
	scale := make([]float64, len(ref.Variants))
	for i, v := range ref.Variants {
		names = append(names, v.Name)
		scale[i] = v.PriceScale
		if r := f.Variant(v.Name); r == nil || r.Hash != v.SHA256 {
			return mergeErrorf("shard %s: its scenario does not resolve to the recorded hash of variant %s", shards[0].dir, v.Name)
		}
	}
	pl, err := model.NewPlan(f, names[1:], ref.Replications, 1)
	if err != nil {
		return err
	}
	pl.ProviderReps = ref.ProviderReps
	if ref.PSA {
		if err := pl.EnablePSA(f); err != nil {
			return err
		}
	}
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
	provFile, err := out.Create("providers.csv")
	if err != nil {
		return err
	}
	defer provFile.Close()
	col := results.NewCollector(pl, provFile)
	man := &results.Manifest{
		Ersim: Version, Go: runtime.Version(), Scenario: ref.Scenario, File: ref.File,
		Seed: ref.Seed, Replications: ref.Replications, Workers: ref.Workers,
		Variants: manifestVariants(f, pl, scale),
	}
	for _, s := range shards {
		if err := readShard(s, pl, col); err != nil {
			return err
		}
		m := s.man
		man.Shards = append(man.Shards, results.ManifestShard{Dir: s.dir, Shard: m.Shard, Of: m.Shards,
			First: m.First, Last: m.Last, Workers: m.Workers, WallSeconds: m.WallSeconds})
	}
	if err := col.Flush(); err != nil {
		return err
	}
	if err := provFile.Close(); err != nil {
		return err
	}
	if err := writeOutputs(out, col, f, pl, ref.PSA, man, start, noCharts, chartOpt); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	committed = true
	if !quiet {
		fmt.Fprintf(stdout, "%s: merged %s, %d replications × %d variants, seed %d; results in %s\n",
			ref.Scenario, plural(len(shards), "shard"), ref.Replications, len(pl.Variants), ref.Seed, dir)
	}
	return nil
}

// readShard feeds a shard's replications to the collector, in order, checking that it
// holds exactly the replications its manifest names.
func readShard(s shardDir, pl *model.Plan, col *results.Collector) error {
	file, err := os.Open(filepath.Join(s.dir, shardDataName))
	if err != nil {
		return mergeErrorf("shard %s: %v", s.dir, err)
	}
	defer file.Close()
	cr := csv.NewReader(bufio.NewReader(file))
	cr.FieldsPerRecord = -1
	bad := func(format string, a ...any) error {
		line, _ := cr.FieldPos(0)
		return mergeErrorf("shard %s: %s line %d: %s", s.dir, shardDataName, line, fmt.Sprintf(format, a...))
	}
	head, err := cr.Read()
	if err != nil || len(head) != 2 || head[0] != shardFormat || head[1] != shardVersion {
		return mergeErrorf("shard %s: %s is not a shard data file of format %s %s", s.dir, shardDataName, shardFormat, shardVersion)
	}
	nv := len(pl.Variants)
	want := s.man.First * nv // the next (replication, variant) expected, as rep·nv + variant
	var cur *model.Rep
	flush := func() {
		if cur != nil {
			col.Add(cur)
			cur = nil
		}
	}
	floats := func(fields []string) ([]float64, error) {
		x := make([]float64, len(fields))
		for i, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return nil, err
			}
			x[i] = v
		}
		return x, nil
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return mergeErrorf("shard %s: %v", s.dir, err)
		}
		if len(rec) < 3 {
			return bad("too few fields")
		}
		rep, err1 := strconv.Atoi(rec[1])
		vi, err2 := strconv.Atoi(rec[2])
		if err1 != nil || err2 != nil {
			return bad("bad replication or variant")
		}
		if rec[0] == "V" {
			flush()
			if rep*nv+vi != want || vi < 0 || vi >= nv {
				return bad("replication %d of variant %d where replication %d of variant %d was expected", rep+1, vi, want/nv+1, want%nv)
			}
			want++
			x, err := floats(rec[3:])
			if err != nil || len(x) != len(pl.Cells) {
				return bad("bad cell values")
			}
			cur = &model.Rep{Variant: vi, Rep: rep, Values: x}
			continue
		}
		if cur == nil || cur.Rep != rep || cur.Variant != vi {
			return bad("a %s record outside its replication", rec[0])
		}
		switch rec[0] {
		case "S":
			if len(rec) < 4 {
				return bad("too few fields")
			}
			m, err := strconv.Atoi(rec[3])
			x, err2 := floats(rec[4:])
			if err != nil || err2 != nil || m != len(cur.Series) || m >= len(model.Series) || len(x) > pl.Periods {
				return bad("bad series record")
			}
			cur.Series = append(cur.Series, x)
		case "Y":
			if len(rec) != 13 {
				return bad("a provider record needs 13 fields")
			}
			p, err1 := strconv.Atoi(rec[3])
			yr, err2 := strconv.Atoi(rec[6])
			x, err3 := floats(rec[7:])
			if err1 != nil || err2 != nil || err3 != nil {
				return bad("bad provider record")
			}
			cur.Years = append(cur.Years, model.ProviderYear{Provider: p, Cohort: rec[4], Form: rec[5], Year: yr,
				Visits: x[0], Revenue: x[1], Tak1Share: x[2], Margin: x[3], Quality: x[4], AdminHours: x[5]})
		case "P":
			x, err := floats(rec[3:])
			if err != nil {
				return bad("bad PSA draws")
			}
			cur.PSA = x
		default:
			return bad("unknown record type %q", rec[0])
		}
	}
	flush()
	if want != s.man.Last*nv {
		return mergeErrorf("shard %s is incomplete: %s has %d of the %d replication-variants of replications %d–%d", s.dir,
			shardDataName, want-s.man.First*nv, (s.man.Last-s.man.First)*nv, s.man.First+1, s.man.Last)
	}
	return nil
}
