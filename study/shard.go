package study

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
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

// A shard directory holds shard.json (ShardManifest) and shard.csv: the raw results of
// the shard's replications, in (replication, variant) order, one record per line with
// a variable number of fields; replications and variants are 0-based and every number
// is written with strconv 'g' -1, so it reads back exactly:
//
//	ersim-shard,2                                  format and its version (first line)
//	V,rep,variant,value...                         cell values, in plan order (starts a replication)
//	S,rep,variant,series,value...                  a series metric's value per counted period
//	Y,rep,variant,provider,cohort,form,year,visits,revenue,tak1_share,margin,quality,admin_hours,
//	  achievement,exception_rate,upcoded_share,claim_hours,report_hours,audit_hours,booked
//	P,rep,variant,draw...                          the --psa draws (variant 0)
const (
	shardManifestName = "shard.json"
	shardDataName     = "shard.csv"
	shardFormat       = "ersim-shard"
	shardVersion      = "2" // 2: provider records carry achievement … audit hours (issue 13)
)

// Shard is shard K (0-based) of N.
type Shard struct{ K, N int }

// ParseShard parses the --shard flag's value: "K/N" with 0 <= K < N, or "auto" / "auto:N", which take K (and N)
// from the scheduler's environment (see ShardFromEnv).
func ParseShard(s string) (Shard, error) {
	if s == "auto" || strings.HasPrefix(s, "auto:") {
		return ShardFromEnv(s, os.LookupEnv)
	}
	ks, ns, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return Shard{}, fmt.Errorf("--shard %q: want K/N with N >= 1 and 0 <= K < N (K is 0-based)", s)
	}
	return Shard{k, n}, nil
}

// ShardFromEnv resolves "--shard auto" or "--shard auto:N" with lookup (os.LookupEnv):
//
//   - Slurm job array: K = (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP
//     (the step when set, else 1) and N = SLURM_ARRAY_TASK_COUNT, so the array's indices
//     need not start at 0. An N given as auto:N or ERSIM_SHARDS must agree.
//   - Kubernetes Indexed Job: K = JOB_COMPLETION_INDEX and N from auto:N, else from
//     ERSIM_SHARDS (the Job's completions).
//
// Missing or inconsistent variables are an error naming them.
func ShardFromEnv(s string, lookup func(string) (string, bool)) (Shard, error) {
	explicit := 0 // N from auto:N or ERSIM_SHARDS; 0 when not given
	if rest, ok := strings.CutPrefix(s, "auto:"); ok {
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 {
			return Shard{}, fmt.Errorf("--shard %q: want auto:N with N >= 1", s)
		}
		explicit = n
	} else if v, ok := lookup("ERSIM_SHARDS"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return Shard{}, fmt.Errorf("--shard auto: ERSIM_SHARDS=%q is not a number of shards >= 1", v)
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
				return Shard{}, err
			}
			if !ok {
				return Shard{}, fmt.Errorf("--shard auto: under a Slurm job array, %s are needed but %s is not set (submit with sbatch --array)", strings.Join(vars, ", "), name)
			}
			x[i] = n
		}
		id, lo, n := x[0], x[1], x[2]
		step, ok, err := num("SLURM_ARRAY_TASK_STEP")
		if err != nil {
			return Shard{}, err
		}
		if !ok || step < 1 {
			step = 1
		}
		if n < 1 || id < lo || (id-lo)%step != 0 || (id-lo)/step >= n {
			return Shard{}, fmt.Errorf("--shard auto: inconsistent Slurm array: SLURM_ARRAY_TASK_ID=%d, SLURM_ARRAY_TASK_MIN=%d, SLURM_ARRAY_TASK_STEP=%d, SLURM_ARRAY_TASK_COUNT=%d do not give 0 <= K < N (use a range of indices such as --array=0-%d or 1-%d)", id, lo, step, n, max(n-1, 0), n)
		}
		if explicit != 0 && explicit != n {
			return Shard{}, fmt.Errorf("--shard auto: %d shards asked (auto:N or ERSIM_SHARDS) but SLURM_ARRAY_TASK_COUNT=%d", explicit, n)
		}
		return Shard{(id - lo) / step, n}, nil
	}
	if _, ok := lookup("JOB_COMPLETION_INDEX"); ok {
		k, _, err := num("JOB_COMPLETION_INDEX")
		if err != nil {
			return Shard{}, err
		}
		if explicit == 0 {
			return Shard{}, fmt.Errorf("--shard auto: under a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=%d) the number of shards is needed: use --shard auto:N or set ERSIM_SHARDS to the Job's completions", k)
		}
		if k < 0 || k >= explicit {
			return Shard{}, fmt.Errorf("--shard auto: JOB_COMPLETION_INDEX=%d is not in 0..%d (N = %d from auto:N or ERSIM_SHARDS)", k, explicit-1, explicit)
		}
		return Shard{k, explicit}, nil
	}
	return Shard{}, fmt.Errorf("--shard %s: no scheduler environment: set SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job, with --shard auto:N or ERSIM_SHARDS), or use --shard K/N", s)
}

// ShardRange returns shard k of n's replications [first, last) of reps: contiguous
// blocks whose sizes differ by at most one.
func ShardRange(k, n, reps int) (int, int) {
	return k * reps / n, (k + 1) * reps / n
}

// ShardManifest is a shard directory's shard.json.
type ShardManifest struct {
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
	Variants     []ShardVariant `json:"variants"`
	Workers      int            `json:"workers"`
	Start        string         `json:"start"`
	End          string         `json:"end"`
	WallSeconds  float64        `json:"wall_seconds"`
}

// ShardVariant is a variant as a shard or checkpoint records it.
type ShardVariant struct {
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
			fnum(y.Revenue), fnum(y.Tak1Share), fnum(y.Margin), fnum(y.Quality), fnum(y.AdminHours),
			fnum(y.Achievement), fnum(y.ExceptionRate), fnum(y.Upcoded), fnum(y.ClaimHours), fnum(y.ReportHours), fnum(y.AuditHours),
			fnum(y.Booked)))
	}
	if r.PSA != nil {
		rec = append([]string{"P"}, id...)
		for _, x := range r.PSA {
			rec = append(rec, fnum(x))
		}
		s.write(rec)
	}
}

// ShardResult describes a shard written by RunShard.
type ShardResult struct {
	Dir          string
	Scenario     *scenarios.Scenario // the baseline, as run
	Shard        Shard
	First, Last  int // replications [First, Last) of Replications
	Replications int
	Variants     int
	Wall         float64 // seconds
}

// RunShard runs shard sh of a scenario's replications and writes its shard directory
// (dir "" is out/<scenario>-shard-K-of-N). Calibration is the full run's: it uses the
// first calibration_replications replications whatever the shard. Cancelled, it writes
// nothing. o.Precision and o.Resume are not used.
func RunShard(ctx context.Context, f *scenarios.File, sh Shard, dir string, o RunOptions) (*ShardResult, error) {
	Override(f, o.Seed, o.Reps)
	base := f.Variants[0].Scenario
	reps := base.Replications
	if sh.N > reps {
		return nil, &scenarios.InputError{File: f.Name, Path: "--shard",
			Msg: fmt.Sprintf("%d shards for %d replications", sh.N, reps), Allowed: fmt.Sprintf("at most %d shards", reps)}
	}
	pl, err := o.plan(f)
	if err != nil {
		return nil, err
	}
	first, last := ShardRange(sh.K, sh.N, reps)
	if dir == "" {
		dir = filepath.Join("out", fmt.Sprintf("%s-shard-%d-of-%d", base.Name, sh.K, sh.N))
	}
	out, err := results.NewOutput(dir)
	if err != nil {
		return nil, err
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
		return nil, err
	}
	defer data.Close()
	bw := bufio.NewWriter(data)
	sink := &shardSink{cw: csv.NewWriter(bw)}
	sink.write([]string{shardFormat, shardVersion})
	interrupted := func(err error) error {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted; nothing was written to %s", dir)
		}
		return err
	}
	if err := model.Calibrate(ctx, pl); err != nil {
		return nil, interrupted(err)
	}
	if err := model.RunReps(ctx, pl, first, last, sink, o.progress); err != nil {
		return nil, interrupted(err)
	}
	if err := sink.close(bw); err != nil {
		return nil, err
	}
	if err := data.Close(); err != nil {
		return nil, err
	}
	end := time.Now()
	man := &ShardManifest{
		Format: shardFormat, Ersim: Version, Go: runtime.Version(), Scenario: base.Name, File: f.Name,
		ScenarioText: f.Text, Seed: base.Seed, Replications: reps, Shard: sh.K, Shards: sh.N,
		First: first, Last: last, ProviderReps: pl.ProviderReps, PSA: o.PSA, Workers: o.workers(),
		Start: start.UTC().Format(time.RFC3339), End: end.UTC().Format(time.RFC3339),
		WallSeconds: end.Sub(start).Seconds(), Variants: shardVariants(f, pl),
	}
	if err := out.Write(shardManifestName, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(man)
	}); err != nil {
		return nil, err
	}
	if err := out.Commit(); err != nil {
		return nil, err
	}
	committed = true
	return &ShardResult{Dir: dir, Scenario: base, Shard: sh, First: first, Last: last, Replications: reps,
		Variants: len(pl.Variants), Wall: man.WallSeconds}, nil
}

// shardVariants records the plan's variants: name, resolved hash and price scale.
func shardVariants(f *scenarios.File, pl *model.Plan) []ShardVariant {
	var vs []ShardVariant
	for _, v := range pl.Variants {
		vs = append(vs, ShardVariant{Name: v.Name, SHA256: f.Variant(v.Name).Hash, PriceScale: v.PriceScale()})
	}
	return vs
}

// close flushes the sink's CSV and its buffer, reporting the first error.
func (s *shardSink) close(bw *bufio.Writer) error {
	s.cw.Flush()
	if s.err == nil {
		s.err = s.cw.Error()
	}
	if s.err == nil {
		s.err = bw.Flush()
	}
	if s.err != nil {
		return fmt.Errorf("writing %s: %w", shardDataName, s.err)
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
	return readShardData(bufio.NewReader(file), s, pl, col)
}

// readShardData is readShard's reading of the shard data from r.
func readShardData(r io.Reader, s shardDir, pl *model.Plan, col *results.Collector) error {
	cr := csv.NewReader(r)
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
		if msg := addRecord(cur, rec, pl); msg != "" {
			return bad("%s", msg)
		}
	}
	flush()
	if want != s.man.Last*nv {
		return mergeErrorf("shard %s is incomplete: %s has %d of the %d replication-variants of replications %d–%d", s.dir,
			shardDataName, want-s.man.First*nv, (s.man.Last-s.man.First)*nv, s.man.First+1, s.man.Last)
	}
	return nil
}

// addRecord adds a shard record of type S, Y or P to its replication; it returns what
// is wrong with the record, or "".
func addRecord(cur *model.Rep, rec []string, pl *model.Plan) string {
	switch rec[0] {
	case "S":
		if len(rec) < 4 {
			return "too few fields"
		}
		m, err := strconv.Atoi(rec[3])
		x, err2 := floats(rec[4:])
		if err != nil || err2 != nil || m != len(cur.Series) || m >= len(model.Series) || len(x) > pl.Periods {
			return "bad series record"
		}
		cur.Series = append(cur.Series, x)
	case "Y":
		if len(rec) != 20 {
			return "a provider record needs 20 fields"
		}
		p, err1 := strconv.Atoi(rec[3])
		yr, err2 := strconv.Atoi(rec[6])
		x, err3 := floats(rec[7:])
		if err1 != nil || err2 != nil || err3 != nil {
			return "bad provider record"
		}
		cur.Years = append(cur.Years, model.ProviderYear{Provider: p, Cohort: rec[4], Form: rec[5], Year: yr,
			Visits: x[0], Revenue: x[1], Tak1Share: x[2], Margin: x[3], Quality: x[4], AdminHours: x[5],
			Achievement: x[6], ExceptionRate: x[7], Upcoded: x[8], ClaimHours: x[9], ReportHours: x[10], AuditHours: x[11],
			Booked: x[12]})
	case "P":
		x, err := floats(rec[3:])
		if err != nil {
			return "bad PSA draws"
		}
		cur.PSA = x
	default:
		return fmt.Sprintf("unknown record type %q", rec[0])
	}
	return ""
}

// floats parses fields as numbers.
func floats(fields []string) ([]float64, error) {
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
