package study

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"ersim/model"
	"ersim/plots"
	"ersim/scenarios"
)

// Version is ersim's version, recorded in every manifest, shard and checkpoint; a
// shard or checkpoint of another version is refused.
const Version = "0.1.0"

// maxTableBytes bounds the per-replication table kept in memory.
const maxTableBytes = 8 << 30

// Options are the settings every study shares. The zero value runs every variant of
// the scenario with its own seed and replications on all cores, and draws SVG charts.
type Options struct {
	Variants []string // simulate only these variants (the baseline always); nil: all
	Workers  int      // parallel workers (0: all cores); results do not depend on it
	Seed     *uint64  // when not nil, replaces the scenario's seed
	Reps     *int     // when not nil, replaces the scenario's replications
	NoCharts bool     // write the tables only
	Charts   plots.Options
	// Posterior is the posterior.csv of a calibration ("ersim calibrate"), or "". In a
	// PSA run (RunOptions.PSA) the calibrated parameters are drawn jointly from it, one
	// particle per replication, resampled by weight. In Sensitivity and Sweep they are
	// set to their posterior means, and one-way sensitivity takes their ranges from the
	// posterior's 5th and 95th percentiles.
	Posterior string
	// Progress, when not nil, is called with the replications done and the total as
	// they complete, from the workers' goroutines (calls are serialised).
	Progress func(done, total int)
}

func (o *Options) workers() int {
	if o.Workers < 1 {
		return runtime.NumCPU()
	}
	return o.Workers
}

func (o *Options) progress(done, total int) {
	if o.Progress != nil {
		o.Progress(done, total)
	}
}

// Load loads a scenario file, or an embedded scenario by name ("" is the default
// scenario). A bad file is a *scenarios.InputError naming file, line, key and what is
// allowed.
func Load(arg string) (*scenarios.File, error) {
	f, err := load(arg)
	if err != nil {
		return nil, err
	}
	if err := CheckTargets(f); err != nil {
		return nil, err
	}
	return f, nil
}

func load(arg string) (*scenarios.File, error) {
	if arg == "" {
		return scenarios.LoadEmbedded(scenarios.Default)
	}
	if _, err := os.Stat(arg); err != nil && !strings.ContainsAny(arg, `/\.`) {
		for _, info := range scenarios.List() {
			if info.Name == arg {
				return scenarios.LoadEmbedded(arg)
			}
		}
	}
	return scenarios.Load(arg)
}

// Override sets the seed and the replications, when not nil, in every variant's
// resolved scenario, so that what is recorded is what was run.
func Override(f *scenarios.File, seed *uint64, reps *int) {
	for _, r := range f.Variants {
		if seed != nil {
			r.Scenario.Seed = *seed
		}
		if reps != nil {
			r.Scenario.Replications = *reps
		}
		r.Rehash()
	}
}

// plan applies o's seed and replications to f and builds the plan of its variants.
func plan(f *scenarios.File, o *Options) (*model.Plan, *scenarios.Scenario, error) {
	Override(f, o.Seed, o.Reps)
	base := f.Variants[0].Scenario
	pl, err := model.NewPlan(f, o.Variants, base.Replications, o.workers())
	return pl, base, err
}

// pointPlan builds the plan of an analysis that runs the scenario at many points (no
// provider rows), and its output directory: dir, or out/<scenario>/<sub> when "".
func pointPlan(f *scenarios.File, o *Options, dir, sub string) (*model.Plan, *scenarios.Scenario, string, error) {
	pl, base, err := plan(f, o)
	if err != nil {
		return nil, nil, "", err
	}
	pl.ProviderReps = 0
	if dir == "" {
		dir = filepath.Join("out", base.Name, sub)
	}
	return pl, base, dir, nil
}

// Plural writes n and s, with an s for n ≠ 1: "1 shard", "3 shards".
func Plural(n int, s string) string {
	if n == 1 {
		return "1 " + s
	}
	return fmt.Sprintf("%d %ss", n, s)
}

// WriteAtomic writes a file through a temporary file and a rename, so a failure never
// leaves it half-written.
func WriteAtomic(path string, fn func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return err
	}
	// CreateTemp makes the file 0600; the outputs are all 0644.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

type csvWriter struct{ w *csv.Writer }

func newCSV(w io.Writer) *csvWriter       { return &csvWriter{csv.NewWriter(w)} }
func (c *csvWriter) row(fields ...string) { c.w.Write(fields) }
func (c *csvWriter) flush() error {
	c.w.Flush()
	return c.w.Error()
}

// num formats a number for CSV as results does: 10 significant digits, NaN empty.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 10, 64)
}

// headlineCells returns the Plan.Cells index of each metric (all forms, all groups),
// −1 for a metric the plan does not have.
func headlineCells(pl *model.Plan, metrics []string) []int {
	var cells []int
	for _, m := range metrics {
		mi, idx := model.MetricIndex(m), -1
		for i, c := range pl.Cells {
			if c.Metric == mi && c.Form < 0 && c.Group < 0 {
				idx = i
				break
			}
		}
		cells = append(cells, idx)
	}
	return cells
}

// posteriorSummary reads a posterior and returns its keys, weighted means and 5th and
// 95th weighted percentiles.
func posteriorSummary(path string) (keys []string, mean, p05, p95 []float64, err error) {
	keys, particles, weights, err := ReadPosterior(path)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	for j := range keys {
		x := make([]float64, len(particles))
		for k, p := range particles {
			x[k] = p[j]
		}
		m, _, _ := weightedSummary(x, weights)
		mean = append(mean, m)
		p05 = append(p05, weightedQuantile(x, weights, 0.05))
		p95 = append(p95, weightedQuantile(x, weights, 0.95))
	}
	return keys, mean, p05, p95, nil
}

// atPosteriorMeans sets the calibrated parameters of o.Posterior, in every variant that
// does not set them itself, to their posterior means; it returns the posterior's keys
// and 5th and 95th percentiles (nil without a posterior).
func atPosteriorMeans(f *scenarios.File, o *Options) (keys []string, p05, p95 []float64, err error) {
	if o.Posterior == "" {
		return nil, nil, nil, nil
	}
	keys, mean, p05, p95, err := posteriorSummary(o.Posterior)
	if err != nil {
		return nil, nil, nil, err
	}
	for vi, r := range f.Variants {
		for j, k := range keys {
			if vi > 0 && scenarios.Overrides(f.Base.Variants[r.Name], k) {
				continue
			}
			if err := scenarios.Apply(r.Scenario, []string{k}, []float64{mean[j]}); err != nil {
				return nil, nil, nil, &scenarios.InputError{File: o.Posterior, Path: k, Msg: err.Error(),
					Allowed: "the posterior.csv of a calibration of this scenario"}
			}
		}
		r.Rehash()
	}
	return keys, p05, p95, nil
}
