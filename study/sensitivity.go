package study

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"ersim/model"
	"ersim/plots"
	"ersim/scenarios"
)

// sensPoint is one run of the analysis: every parameter at base (key −1), or one at its
// low or high value.
type sensPoint struct {
	key  int
	high bool
}

// sensResult holds, per variant and headline metric, the mean level and the mean paired
// difference from the baseline.
type sensResult struct {
	level, diff [][]float64 // [variant][headline metric]
}

// SensitivityResult is a finished one-way sensitivity analysis: Tornadoes holds, for
// each headline metric, the baseline's level and then each other variant's difference
// from the baseline, at each parameter's low and high value.
type SensitivityResult struct {
	Dir       string
	Scenario  *scenarios.Scenario // the baseline, as run
	Keys      []string            // the uncertain parameters, in [uncertainty] order
	Runs      int                 // 2 × len(Keys) + 1
	Reps      int                 // replications per run
	Variants  []string
	Tornadoes []plots.Tornado
	Charts    int // charts drawn
	Wall      float64
}

// Sensitivity runs a one-way sensitivity analysis of f: each parameter of its
// [uncertainty] section at its low and at its high value (the range given, or the 5th
// and 95th percentiles of its distribution), every other at its value in the file,
// and once at base, all on the same random numbers; prices are calibrated once, at
// base. It writes sensitivity.csv and a tornado chart per headline metric and
// difference into dir ("" is out/<scenario>/sensitivity). Cancelled, it writes nothing.
func Sensitivity(ctx context.Context, f *scenarios.File, dir string, o Options) (*SensitivityResult, error) {
	Override(f, o.Seed, o.Reps)
	base := f.Variants[0].Scenario
	u := base.Uncertainty
	keys := u.Keys()
	if len(keys) == 0 {
		return nil, &scenarios.InputError{File: f.Name, Path: "uncertainty",
			Msg:     "one-way sensitivity needs an [uncertainty] section naming the uncertain parameters",
			Allowed: "see docs/scenario-reference.md, [uncertainty]"}
	}
	pkeys, p05, p95, err := atPosteriorMeans(f, &o)
	if err != nil {
		return nil, err
	}
	pl, _, dir, err := pointPlan(f, &o, dir, "sensitivity")
	if err != nil {
		return nil, err
	}
	reps := base.Replications
	lows, highs := make([]float64, len(keys)), make([]float64, len(keys))
	for i, k := range keys {
		lows[i], highs[i] = u.Range(k)
		if j := slices.Index(pkeys, k); j >= 0 {
			// A calibrated parameter: its range is the posterior's.
			lows[i], highs[i] = p05[j], p95[j]
		}
	}
	start := time.Now()
	points := []sensPoint{{key: -1}}
	for i := range keys {
		points = append(points, sensPoint{i, false}, sensPoint{i, true})
	}
	perRun := reps * len(pl.Variants)
	total := perRun * len(points)
	// Set up once: calibrate at base; every point carries the calibrated prices over.
	if err := model.Calibrate(ctx, pl); err != nil {
		return nil, err
	}
	res := make([]sensResult, len(points))
	for pi, pt := range points {
		run := pl
		if pt.key >= 0 {
			x := lows[pt.key]
			if pt.high {
				x = highs[pt.key]
			}
			if run, err = pl.At(f, keys[pt.key:pt.key+1], []float64{x}); err != nil {
				return nil, err
			}
		}
		sink := newSensSink(pl)
		if err := runPoint(ctx, run, reps, sink, &o, pi*perRun, total, dir); err != nil {
			return nil, err
		}
		res[pi] = sink.result()
	}
	sr := &SensitivityResult{Dir: dir, Scenario: base, Keys: keys, Runs: len(points), Reps: reps,
		Variants: pl.VariantNames(), Wall: time.Since(start).Seconds()}
	sr.Tornadoes = tornadoes(res, sr.Variants, keys, lows, highs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	err = WriteAtomic(filepath.Join(dir, "sensitivity.csv"), func(w io.Writer) error {
		return writeSensitivity(w, res, sr.Variants, keys, lows, highs)
	})
	if err != nil {
		return nil, err
	}
	if !o.NoCharts {
		charts, err := plots.DrawTornadoes(sr.Tornadoes, sr.Variants, reps, filepath.Join(dir, "charts"), withLabels(o.Charts, f.Base))
		if err != nil {
			return nil, err
		}
		sr.Charts = len(charts)
	}
	return sr, nil
}

// tornadoes gathers each headline metric's baseline level, then each variant's
// difference from the baseline.
func tornadoes(res []sensResult, names, keys []string, lows, highs []float64) []plots.Tornado {
	var ts []plots.Tornado
	tornado := func(m, v int, diff bool) plots.Tornado {
		val := func(p int) float64 {
			if diff {
				return res[p].diff[v][m]
			}
			return res[p].level[v][m]
		}
		t := plots.Tornado{Metric: model.Headline[m], Variant: names[v], Base: val(0)}
		if diff {
			t.Baseline = names[0]
		}
		for i, k := range keys {
			t.Bars = append(t.Bars, plots.TornadoBar{Key: k, Low: lows[i], High: highs[i], AtLow: val(1 + 2*i), AtHigh: val(2 + 2*i)})
		}
		return t
	}
	for m := range model.Headline {
		ts = append(ts, tornado(m, 0, false))
	}
	for v := 1; v < len(names); v++ {
		for m := range model.Headline {
			ts = append(ts, tornado(m, v, true))
		}
	}
	return ts
}

// writeSensitivity writes sensitivity.csv.
func writeSensitivity(w io.Writer, res []sensResult, names, keys []string, lows, highs []float64) error {
	cw := newCSV(w)
	cw.row("key", "low", "high", "metric", "variant", "what", "baseline", "base_mean", "mean_at_low", "mean_at_high", "swing")
	for i, k := range keys {
		for m, mn := range model.Headline {
			for v, vn := range names {
				for _, diff := range []bool{false, true} {
					if diff && v == 0 {
						continue
					}
					what, bl, get := "level", "", func(r sensResult) float64 { return r.level[v][m] }
					if diff {
						what, bl, get = "difference", names[0], func(r sensResult) float64 { return r.diff[v][m] }
					}
					lo, hi := get(res[1+2*i]), get(res[2+2*i])
					cw.row(k, num(lows[i]), num(highs[i]), mn, vn, what, bl, num(get(res[0])), num(lo), num(hi), num(math.Abs(hi-lo)))
				}
			}
		}
	}
	return cw.flush()
}

// sensSink keeps the running sums of the headline metrics of one point's replications.
type sensSink struct {
	cells      []int       // Plan.Cells index of each headline metric (all forms, all groups)
	sum, dsum  [][]float64 // [variant][metric]
	n, dn      [][]int
	baseValues []float64 // the current replication's baseline values
}

func newSensSink(pl *model.Plan) *sensSink {
	s := &sensSink{cells: headlineCells(pl, model.Headline)}
	nv, nm := len(pl.Variants), len(model.Headline)
	for range nv {
		s.sum, s.dsum = append(s.sum, make([]float64, nm)), append(s.dsum, make([]float64, nm))
		s.n, s.dn = append(s.n, make([]int, nm)), append(s.dn, make([]int, nm))
	}
	return s
}

// Add implements model.Sink: replications come in (replication, variant) order, the
// baseline first, so each variant's difference is paired with the same replication.
func (s *sensSink) Add(r *model.Rep) {
	vals := make([]float64, len(s.cells))
	for m, c := range s.cells {
		vals[m] = math.NaN()
		if c >= 0 {
			vals[m] = r.Values[c]
		}
	}
	if r.Variant == 0 {
		s.baseValues = vals
	}
	for m, x := range vals {
		if !math.IsNaN(x) {
			s.sum[r.Variant][m] += x
			s.n[r.Variant][m]++
		}
		if r.Variant > 0 && s.baseValues != nil {
			if d := x - s.baseValues[m]; !math.IsNaN(d) {
				s.dsum[r.Variant][m] += d
				s.dn[r.Variant][m]++
			}
		}
	}
}

func (s *sensSink) result() sensResult {
	var out sensResult
	mean := func(sum float64, n int) float64 {
		if n == 0 {
			return math.NaN()
		}
		return sum / float64(n)
	}
	for v := range s.sum {
		lv, dv := make([]float64, len(s.cells)), make([]float64, len(s.cells))
		for m := range s.cells {
			lv[m] = mean(s.sum[v][m], s.n[v][m])
			dv[m] = math.NaN()
			if v > 0 {
				dv[m] = mean(s.dsum[v][m], s.dn[v][m])
			}
		}
		out.level, out.diff = append(out.level, lv), append(out.diff, dv)
	}
	return out
}

// runPoint simulates one point of a sensitivity analysis or sweep: every replication of
// run into sink, with progress counted from done of total.
func runPoint(ctx context.Context, run *model.Plan, reps int, sink model.Sink, o *Options, done, total int, dir string) error {
	if err := model.RunReps(ctx, run, 0, reps, sink, func(d, _ int) { o.progress(done+d, total) }); err != nil {
		return pointError(ctx, err, dir)
	}
	return nil
}

// pointError says whether the analysis was interrupted.
func pointError(ctx context.Context, err error, dir string) error {
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted; nothing was written to %s", dir)
	}
	return err
}
