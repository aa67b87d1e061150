package study

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"ersim/calib"
	"ersim/model"
	"ersim/plots"
	"ersim/scenarios"
	"ersim/validation"
)

// CalibrateOptions are the settings of Calibrate. Of Options it uses Workers (model
// evaluations run in parallel, one replication set each; the result does not depend on
// it) and Seed (the calibration's seed; default the scenario's).
type CalibrateOptions struct {
	Options
	// Particles, MaxGenerations and MaxEvaluations override [calibration] when > 0.
	Particles, MaxGenerations, MaxEvaluations int
	// Generation, when not nil, is called after each complete generation.
	Generation func(calib.Generation)
	// Args is recorded in the checkpoint, to resume with the same settings.
	Args []string
	// Resume, when not nil, continues an interrupted calibration from its checkpoint
	// (ReadCalibrationCheckpoint).
	Resume *CalibrationCheckpoint
}

// CalibrationCheckpoint is what an interrupted calibration keeps beside its output
// directory (CheckpointDir(dir)/calibration.json): the scenario as read, the command's
// arguments and the state after the last complete generation.
type CalibrationCheckpoint struct {
	Format       string       `json:"format"`
	Ersim        string       `json:"ersim_version"`
	File         string       `json:"file"`
	ScenarioText string       `json:"scenario_text"`
	Args         []string     `json:"args"`
	State        *calib.State `json:"state"`
}

const (
	calibrationCheckpointName   = "calibration.json"
	calibrationCheckpointFormat = "ersim-calibration-checkpoint"
)

// ReadCalibrationCheckpoint reads the checkpoint of the interrupted calibration whose
// output directory was dir; a missing or foreign one is a *ResumeError.
func ReadCalibrationCheckpoint(dir string) (*CalibrationCheckpoint, error) {
	path := filepath.Join(CheckpointDir(dir), calibrationCheckpointName)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &ResumeError{Msg: fmt.Sprintf("no checkpoint of an interrupted calibration in %s (looked for %s)", dir, path)}
	}
	var ck CalibrationCheckpoint
	if err := json.Unmarshal(b, &ck); err != nil || ck.Format != calibrationCheckpointFormat || ck.State == nil {
		return nil, &ResumeError{Msg: path + " is not an ersim calibration checkpoint"}
	}
	if ck.Ersim != Version {
		return nil, &ResumeError{Msg: fmt.Sprintf("the checkpoint in %s was written by ersim %s, but this is ersim %s", path, ck.Ersim, Version)}
	}
	return &ck, nil
}

// saveCheckpoint writes the calibration's state after a complete generation, through a
// temporary file and a rename.
func saveCheckpoint(dir string, f *scenarios.File, args []string, st *calib.State) error {
	ck := CalibrationCheckpoint{Format: calibrationCheckpointFormat, Ersim: Version, File: f.Name,
		ScenarioText: f.Text, Args: args, State: st}
	if err := os.MkdirAll(CheckpointDir(dir), 0o755); err != nil {
		return err
	}
	return WriteAtomic(filepath.Join(CheckpointDir(dir), calibrationCheckpointName), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		return enc.Encode(&ck)
	})
}

// CalibrationResult is a finished calibration; its files are in Dir.
type CalibrationResult struct {
	Dir      string
	Scenario *scenarios.Scenario // the baseline as written
	Params   []string
	Targets  []scenarios.Target
	Observed []float64
	*calib.Result
	Wall float64 // seconds
}

// Calibrate fits the parameters named in f's [calibration] section to its targets by
// ABC-SMC (package calib): their [uncertainty] distributions are the priors, each
// particle is a full run of the variants the targets need (calibration.replications
// replications, all variants on common random numbers, each particle on its own
// replications), and prices are calibrated once at base (a budget-neutral variant again
// for every particle). It writes posterior.csv, calibration.csv and generations.csv
// into dir ("" is out/<scenario>/calibration).
func Calibrate(ctx context.Context, f *scenarios.File, dir string, o CalibrateOptions) (*CalibrationResult, error) {
	c := f.Base.Calibration
	if c == nil {
		return nil, &scenarios.InputError{File: f.Name, Path: "calibration",
			Msg:     "calibration needs a [calibration] section naming the parameters and the targets",
			Allowed: "see docs/calibration.md"}
	}
	base := f.Base
	if dir == "" {
		dir = filepath.Join("out", base.Name, "calibration")
	}
	ev, err := newEvaluator(ctx, f)
	if err != nil {
		return nil, err
	}
	p := calib.Problem{Model: ev.eval}
	u := base.Uncertainty
	for _, k := range c.Params {
		lo, hi := u.Support(k)
		p.Priors = append(p.Priors, calib.Prior{Name: k, Lo: lo, Hi: hi,
			Sample:  func(r *rand.Rand) float64 { return u.Quantile(k, r.Float64()) },
			Density: func(x float64) float64 { return u.Density(k, x) }})
	}
	for _, t := range c.Targets {
		lo, hi := t.Bounds() // a point target's are its observed value twice
		p.Observed = append(p.Observed, t.Centre())
		p.Lower, p.Upper = append(p.Lower, lo), append(p.Upper, hi)
		p.Scale = append(p.Scale, t.Scale())
		p.Weight = append(p.Weight, t.W())
	}
	seed := base.Seed
	if o.Seed != nil {
		seed = *o.Seed
	}
	co := calib.Options{Particles: c.Particles, MaxGenerations: c.MaxGenerations, MaxEvaluations: c.MaxEvaluations,
		MinAcceptance: c.MinAcceptance, Seed: seed, Workers: o.workers(), Progress: o.Generation,
		OnGeneration: func(st *calib.State) error { return saveCheckpoint(dir, f, o.Args, st) }}
	if o.Resume != nil {
		co.Resume = o.Resume.State
	}
	for _, x := range []struct{ from, to *int }{{&o.Particles, &co.Particles}, {&o.MaxGenerations, &co.MaxGenerations}, {&o.MaxEvaluations, &co.MaxEvaluations}} {
		if *x.from > 0 {
			*x.to = *x.from
		}
	}
	start := time.Now()
	res, err := calib.Run(ctx, p, co)
	if err != nil {
		if ctx.Err() != nil {
			if _, serr := os.Stat(filepath.Join(CheckpointDir(dir), calibrationCheckpointName)); serr == nil {
				return nil, fmt.Errorf("interrupted; the complete generations are kept: resume with: ersim calibrate --resume %s", dir)
			}
			return nil, fmt.Errorf("interrupted before the first generation was complete; nothing was written to %s", dir)
		}
		if errors.Is(err, calib.ErrProblem) && o.Resume != nil {
			return nil, &ResumeError{Msg: "the checkpoint does not belong to this calibration: " + err.Error()}
		}
		return nil, err
	}
	cr := &CalibrationResult{Dir: dir, Scenario: base, Params: c.Params, Targets: c.Targets, Observed: p.Observed,
		Result: res, Wall: time.Since(start).Seconds()}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, w := range []struct {
		name string
		fn   func(io.Writer) error
	}{{"posterior.csv", cr.writePosterior}, {"posterior.toml", cr.writePosteriorTOML}, {"calibration.csv", cr.writeCalibration}, {"generations.csv", cr.writeGenerations}} {
		if err := WriteAtomic(filepath.Join(dir, w.name), w.fn); err != nil {
			return nil, err
		}
	}
	if !o.NoCharts {
		pc := plots.Calibration{Params: cr.Params, Observed: cr.Observed, Prior: cr.PriorParticles, PriorSims: cr.PriorSims,
			Posterior: cr.Particles, Weights: cr.Weights, PostSims: cr.Sims, Reps: c.Replications}
		for _, t := range cr.Targets {
			lo, hi := t.Bounds()
			pc.Targets = append(pc.Targets, t.Name)
			pc.SE = append(pc.SE, t.Scale())
			pc.Lower, pc.Upper = append(pc.Lower, lo), append(pc.Upper, hi)
		}
		for _, g := range cr.Generations {
			pc.Epsilon, pc.ESS = append(pc.Epsilon, g.Epsilon), append(pc.ESS, g.ESS)
		}
		if _, err := plots.DrawCalibration(pc, filepath.Join(dir, "charts"), o.Charts); err != nil {
			return nil, err
		}
	}
	// Complete: the checkpoint is obsolete.
	os.RemoveAll(CheckpointDir(dir))
	return cr, nil
}

// evaluator runs the model for the calibration: for each scenario the targets are
// computed in (the calibrating file itself, and any other a target names), the plan of
// the variants they need, calibrated at base; and where each target's values are.
type evaluator struct {
	keys    []string
	reps    int
	targets []scenarios.Target
	sites   []*site
	si      []int // the site of each target
	vi, of  []int // its variant in the site's plan, and its "of" variant (−1)
	cell    []int // its Plan.Cells index (−1 for a per-provider target)
	valIdx  []int // the targets computed by a validation study's estimator
	valIDs  []string
	valReps []int // their replications
}

// site is one scenario the targets are computed in.
type site struct {
	name     string // "" for the calibrating file
	f        *scenarios.File
	pl       *model.Plan
	variants []string
	neutral  bool
	years    bool // a per-provider target needs the provider-years
}

// loadSite loads the scenario a target names: a path relative to the calibrating
// file's directory, an embedded scenario's name, or "validation:NAME".
func loadSite(f *scenarios.File, name string) (*scenarios.File, error) {
	if v, ok := strings.CutPrefix(name, "validation:"); ok {
		return validation.LoadScenario(v)
	}
	if !filepath.IsAbs(name) && !strings.HasPrefix(f.Name, "embedded:") {
		if p := filepath.Join(filepath.Dir(f.Name), name); fileExists(p) {
			name = p
		}
	}
	return Load(name)
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func newEvaluator(ctx context.Context, f *scenarios.File) (*evaluator, error) {
	c := f.Base.Calibration
	ev := &evaluator{keys: c.Params, reps: c.Replications, targets: c.Targets}
	index := map[string]int{}
	names := map[string][]string{}
	for i, t := range c.Targets {
		if t.Estimator == "validation" {
			ev.valIdx, ev.valIDs = append(ev.valIdx, i), append(ev.valIDs, t.Target)
			r := t.Replications
			if r == 0 {
				r = c.Replications
			}
			ev.valReps = append(ev.valReps, r)
			continue
		}
		if _, ok := index[t.Scenario]; !ok {
			sf := f
			if t.Scenario != "" {
				var err error
				if sf, err = loadSite(f, t.Scenario); err != nil {
					return nil, scenarios.InputErrors{f.Problem(fmt.Sprintf("calibration.targets[%d].scenario", i),
						fmt.Sprintf("%q cannot be loaded: %v", t.Scenario, err), "a scenario file (relative to this one), an embedded scenario or validation:NAME")}
				}
			}
			index[t.Scenario] = len(ev.sites)
			ev.sites = append(ev.sites, &site{name: t.Scenario, f: sf})
		}
		st := ev.sites[index[t.Scenario]]
		for _, v := range []string{t.Variant, t.Of} {
			if v != "" && v != st.f.Base.Baseline && !slices.Contains(names[t.Scenario], v) {
				names[t.Scenario] = append(names[t.Scenario], v)
			}
		}
	}
	for _, st := range ev.sites {
		if err := st.plan(ctx, f, c, names[st.name]); err != nil {
			return nil, err
		}
	}
	for i, t := range c.Targets {
		if t.Estimator == "validation" {
			ev.si, ev.vi, ev.of, ev.cell = append(ev.si, -1), append(ev.vi, -1), append(ev.of, -1), append(ev.cell, -1)
			continue
		}
		if err := ev.locate(f, i, &t, index[t.Scenario]); err != nil {
			return nil, err
		}
	}
	for _, st := range ev.sites {
		if st.years {
			st.pl.ProviderReps = math.MaxInt // every replication records its provider-years
		}
		if err := model.Calibrate(ctx, st.pl); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

// plan builds the site's plan of the variants named, after checking that every
// calibrated parameter can be set in it.
func (st *site) plan(ctx context.Context, f *scenarios.File, c *scenarios.Calibration, names []string) error {
	for _, v := range names {
		if st.f.Variant(v) == nil {
			return nil // reported with the target by locate
		}
	}
	if st.name != "" {
		for i, k := range c.Params {
			x := f.Base.Uncertainty.Quantile(k, 0.5)
			if err := scenarios.Apply(scenarios.Clone(st.f.Base), []string{k}, []float64{x}); err != nil {
				return scenarios.InputErrors{f.Problem(fmt.Sprintf("calibration.params[%d]", i),
					fmt.Sprintf("%s cannot be set in %s, where a target is computed: %v", k, st.name, err),
					"parameters that every scenario of the targets has")}
			}
		}
	}
	pl, err := model.NewPlan(st.f, names, c.Replications, 1)
	if err != nil {
		return err
	}
	pl.ProviderReps = 0
	st.pl, st.variants = pl, pl.VariantNames()
	for _, v := range pl.Variants[1:] {
		st.neutral = st.neutral || v.BudgetNeutral
	}
	return nil
}

// locate finds target i's variants and cell in its site; a name the site does not have
// is an input error at the target.
func (ev *evaluator) locate(f *scenarios.File, i int, t *scenarios.Target, si int) error {
	path := fmt.Sprintf("calibration.targets[%d]", i)
	st := ev.sites[si]
	bad := func(key, msg, allowed string) error {
		return scenarios.InputErrors{f.Problem(path+"."+key, msg, allowed)}
	}
	vn := t.Variant
	if vn == "" {
		vn = st.f.Base.Baseline
	}
	where := "this scenario"
	if st.name != "" {
		where = st.name
	}
	if st.pl == nil || !slices.Contains(st.variants, vn) {
		return bad("variant", fmt.Sprintf("%q is not a variant of %s", vn, where), "a variant of "+where)
	}
	if t.Of != "" && !slices.Contains(st.variants, t.Of) {
		return bad("of", fmt.Sprintf("%q is not a variant of %s", t.Of, where), "a variant of "+where)
	}
	ev.si = append(ev.si, si)
	ev.vi = append(ev.vi, slices.Index(st.variants, vn))
	ev.of = append(ev.of, slices.Index(st.variants, t.Of))
	if strings.HasPrefix(t.Estimator, "provider_") {
		ev.cell = append(ev.cell, -1)
		st.years = true
		return nil
	}
	form, group := -1, -1
	if t.Form != "" {
		form = slices.Index(scenarios.ContractForms, t.Form)
	}
	if t.Group != "" {
		if group = slices.Index(st.pl.GroupNames, t.Group); group < 0 {
			return bad("group", fmt.Sprintf("%q is not a need group of %s", t.Group, where), "a need group of "+where)
		}
	}
	cell := -1
	for j, cl := range st.pl.Cells {
		if cl.Metric == model.MetricIndex(t.Metric) && cl.Form == form && cl.Group == group {
			cell = j
		}
	}
	if cell < 0 {
		return bad("metric", fmt.Sprintf("the run of %s has no %s for form %q and need group %q", where, t.Metric, t.Form, t.Group),
			"a metric, form and need group of summary.csv (a form with no cohort has no rows)")
	}
	ev.cell = append(ev.cell, cell)
	return nil
}

// eval is the calib.Model: the targets' values at theta, from the replications that
// seed picks (a block of its own, so that particles do not share random numbers).
func (ev *evaluator) eval(ctx context.Context, theta []float64, seed uint64) ([]float64, error) {
	type outcome struct {
		sum   [][]float64
		years [][]model.ProviderYear
	}
	outs := make([]outcome, len(ev.sites))
	for k, st := range ev.sites {
		sum, years, err := st.run(ctx, ev.keys, theta, seed, ev.reps)
		if err != nil {
			return nil, err
		}
		outs[k] = outcome{sum, years}
	}
	out := make([]float64, len(ev.targets))
	// The validation targets, one call per number of replications, in the order of
	// their first target.
	done := make([]bool, len(ev.valIDs))
	for j0 := range ev.valIDs {
		if done[j0] {
			continue
		}
		var ids []string
		var at []int
		for j := j0; j < len(ev.valIDs); j++ {
			if !done[j] && ev.valReps[j] == ev.valReps[j0] {
				ids, at, done[j] = append(ids, ev.valIDs[j]), append(at, ev.valIdx[j]), true
			}
		}
		vals, err := validation.EstimateAt(ctx, ids, ev.keys, theta, ev.valReps[j0], seed)
		if err != nil {
			return nil, err
		}
		for j, i := range at {
			out[i] = vals[j]
		}
	}
	for i, t := range ev.targets {
		if ev.si[i] < 0 {
			continue
		}
		o := outs[ev.si[i]]
		if ev.cell[i] < 0 {
			out[i] = providerEstimate(&t, o.years[ev.vi[i]])
			continue
		}
		x := o.sum[ev.vi[i]][ev.cell[i]] / float64(ev.reps)
		switch t.Estimator {
		case "ratio":
			x /= o.sum[ev.of[i]][ev.cell[i]] / float64(ev.reps)
		case "difference":
			x -= o.sum[ev.of[i]][ev.cell[i]] / float64(ev.reps)
		}
		out[i] = x
	}
	return out, nil
}

// run simulates the site's variants at theta: each cell's sum over the replications,
// and the provider-years, by variant.
func (st *site) run(ctx context.Context, keys []string, theta []float64, seed uint64, reps int) ([][]float64, [][]model.ProviderYear, error) {
	run, err := st.pl.At(st.f, keys, theta)
	if err != nil {
		return nil, nil, err
	}
	if st.neutral {
		if err := model.Calibrate(ctx, run); err != nil {
			return nil, nil, err
		}
	}
	sum := make([][]float64, len(st.variants))
	for v := range sum {
		sum[v] = make([]float64, len(run.Cells))
	}
	var repErr error
	years := make([][]model.ProviderYear, len(st.variants))
	sink := sinkFunc(func(r *model.Rep) {
		if r.Err != nil {
			repErr = r.Err
			return
		}
		for i, x := range r.Values {
			sum[r.Variant][i] += x
		}
		years[r.Variant] = append(years[r.Variant], r.Years...)
	})
	from := int(seed%(1<<20)) * reps
	if err := model.RunReps(ctx, run, from, from+reps, sink, nil); err != nil {
		return nil, nil, err
	}
	return sum, years, repErr
}

// providerEstimate is a per-provider target's value over the provider-years of its
// variant (its form and years only): the quantile of the quantity, or the share of
// provider-years whose quantity is in the band. NaN when no provider-year counts.
func providerEstimate(t *scenarios.Target, ys []model.ProviderYear) float64 {
	var x []float64
	for _, y := range ys {
		if t.Form != "" && y.Form != t.Form || len(t.Years) > 0 && !slices.Contains(t.Years, y.Year) {
			continue
		}
		v := map[string]float64{"visits": y.Visits, "revenue": y.Revenue, "tak1_share": y.Tak1Share,
			"margin": y.Margin, "quality": y.Quality, "admin_hours": y.AdminHours,
			"achievement": y.Achievement, "exception_rate": y.ExceptionRate, "upcoded_share": y.Upcoded}[t.Quantity]
		if !math.IsNaN(v) {
			x = append(x, v)
		}
	}
	if len(x) == 0 {
		return math.NaN()
	}
	if t.Estimator == "provider_share" {
		in := 0
		for _, v := range x {
			if v >= t.Band[0] && v <= t.Band[1] {
				in++
			}
		}
		return float64(in) / float64(len(x))
	}
	slices.Sort(x)
	h := *t.Quantile * float64(len(x)-1)
	k := int(h)
	if k >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[k] + (h-float64(k))*(x[k+1]-x[k])
}

// sinkFunc is a model.Sink.
type sinkFunc func(*model.Rep)

func (f sinkFunc) Add(r *model.Rep) { f(r) }

// CheckTargets checks the metric names of f's [calibration] targets, which package
// scenarios does not know.
func CheckTargets(f *scenarios.File) error {
	if f.Base == nil || f.Base.Calibration == nil {
		return nil
	}
	var errs scenarios.InputErrors
	var ids []string
	for _, vt := range validation.Targets() {
		ids = append(ids, vt.ID)
	}
	for i, t := range f.Base.Calibration.Targets {
		if t.Estimator == "validation" && t.Target != "" && !slices.Contains(ids, t.Target) {
			errs = append(errs, f.Problem(fmt.Sprintf("calibration.targets[%d].target", i),
				fmt.Sprintf("%q is not a validation target", t.Target), "the ID of a target of ersim replicate: "+strings.Join(ids, ", ")))
		}
		if !strings.HasPrefix(t.Estimator, "provider_") && t.Metric != "" && model.MetricIndex(t.Metric) < 0 {
			errs = append(errs, f.Problem(fmt.Sprintf("calibration.targets[%d].metric", i),
				fmt.Sprintf("%q is not a metric", t.Metric), "a metric of summary.csv, such as "+strings.Join(model.Headline, ", ")))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// writePosterior writes posterior.csv: each particle of the final population with its
// weight, distance, parameters and simulated target values.
func (cr *CalibrationResult) writePosterior(w io.Writer) error {
	cw := newCSV(w)
	head := []string{"particle", "weight", "distance"}
	head = append(head, cr.Params...)
	for _, t := range cr.Targets {
		head = append(head, "sim:"+t.Name)
	}
	cw.row(head...)
	for k, th := range cr.Particles {
		row := []string{strconv.Itoa(k + 1), fnum(cr.Weights[k]), fnum(cr.Distances[k])}
		for _, x := range th {
			row = append(row, fnum(x))
		}
		for _, x := range cr.Sims[k] {
			row = append(row, fnum(x))
		}
		cw.row(row...)
	}
	return cw.flush()
}

// writeCalibration writes calibration.csv: per parameter its prior and posterior mean
// and 95 % interval; per target the observed value and the prior and posterior
// predictive mean and 95 % interval.
func (cr *CalibrationResult) writeCalibration(w io.Writer) error {
	cw := newCSV(w)
	cw.row("kind", "name", "observed", "observed_lo", "observed_hi", "se", "discrepancy", "prior_mean", "prior_lo95", "prior_hi95", "posterior_mean", "posterior_lo95", "posterior_hi95", "source")
	equal := make([]float64, len(cr.PriorParticles))
	for i := range equal {
		equal[i] = 1 / float64(len(equal))
	}
	col := func(rows [][]float64, j int) []float64 {
		x := make([]float64, len(rows))
		for i, r := range rows {
			x[i] = r[j]
		}
		return x
	}
	for j, name := range cr.Params {
		pm, plo, phi := weightedSummary(col(cr.PriorParticles, j), equal)
		m, lo, hi := weightedSummary(col(cr.Particles, j), cr.Weights)
		cw.row("parameter", name, "", "", "", "", "", num(pm), num(plo), num(phi), num(m), num(lo), num(hi), "")
	}
	for j, t := range cr.Targets {
		pm, plo, phi := weightedSummary(col(cr.PriorSims, j), equal)
		m, lo, hi := weightedSummary(col(cr.Sims, j), cr.Weights)
		tlo, thi := t.Bounds()
		disc := 0.0
		if t.Discrepancy != nil {
			disc = *t.Discrepancy
		}
		cw.row("target", t.Name, num(t.Centre()), num(tlo), num(thi), num(t.StdErr()), num(disc), num(pm), num(plo), num(phi), num(m), num(lo), num(hi), t.Source)
	}
	return cw.flush()
}

// writeGenerations writes generations.csv: each generation's tolerance, effective
// sample size, acceptance rate, evaluations and time.
func (cr *CalibrationResult) writeGenerations(w io.Writer) error {
	cw := newCSV(w)
	cw.row("generation", "epsilon", "ess", "acceptance", "evaluations", "seconds")
	for _, g := range cr.Generations {
		cw.row(strconv.Itoa(g.Index), num(g.Epsilon), num(g.ESS), num(g.Acceptance), strconv.Itoa(g.Evaluations), strconv.FormatFloat(g.Seconds, 'f', 2, 64))
	}
	return cw.flush()
}

// weightedQuantile is the p-quantile of x with weights w, NaN ignored.
func weightedQuantile(x, w []float64, p float64) float64 {
	type pair struct{ x, w float64 }
	var ps []pair
	sw := 0.0
	for i, v := range x {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			ps = append(ps, pair{v, w[i]})
			sw += w[i]
		}
	}
	if len(ps) == 0 || sw == 0 {
		return math.NaN()
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return cmp.Compare(a.x, b.x) })
	acc := 0.0
	for _, e := range ps {
		acc += e.w / sw
		if acc >= p {
			return e.x
		}
	}
	return ps[len(ps)-1].x
}

// weightedSummary is the weighted mean and 2.5 % and 97.5 % weighted quantiles of x,
// ignoring NaN values.
func weightedSummary(x, w []float64) (mean, lo, hi float64) {
	sw := 0.0
	for i, v := range x {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			mean += v * w[i]
			sw += w[i]
		}
	}
	if sw == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	return mean / sw, weightedQuantile(x, w, 0.025), weightedQuantile(x, w, 0.975)
}

// writePosteriorTOML writes posterior.toml: the posterior as [uncertainty] entries for a
// scenario that adopts the calibration (see PosteriorUncertainty).
func (cr *CalibrationResult) writePosteriorTOML(w io.Writer) error {
	u := cr.Scenario.Uncertainty
	lo, hi := make([]float64, len(cr.Params)), make([]float64, len(cr.Params))
	for j, k := range cr.Params {
		lo[j], hi[j] = u.Support(k)
	}
	var names []string
	for _, t := range cr.Targets {
		names = append(names, t.Name)
	}
	src := fmt.Sprintf("calibrated: ersim calibrate %s, %d particles, ESS %.0f; targets: %s", cr.Scenario.Name,
		len(cr.Particles), cr.ESS(), strings.Join(names, "; "))
	return PosteriorUncertainty(w, cr.Params, lo, hi, cr.Particles, cr.Weights, src)
}

// PosteriorUncertainty writes a weighted posterior sample as TOML a scenario can take in
// place of its priors: the posterior means as values (comments), each parameter in
// [uncertainty.params] a normal distribution with the posterior's weighted mean and
// standard deviation truncated to [lo, hi] (its prior's support; an infinite end is left
// open), and the posterior's weighted Spearman rank correlations as one
// [[uncertainty.correlations]] table, so that a PSA, a tornado or a sweep of the scenario
// carries the evidence and the trade-offs between the parameters that it leaves. The
// normal marginals are an approximation: ersim run --psa --posterior posterior.csv
// draws the particles themselves.
func PosteriorUncertainty(w io.Writer, keys []string, lo, hi []float64, particles [][]float64, weights []float64, source string) error {
	var b strings.Builder
	q := func(s string) string { return strconv.Quote(s) }
	col := func(j int) []float64 {
		x := make([]float64, len(particles))
		for i, p := range particles {
			x[i] = p[j]
		}
		return x
	}
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	fmt.Fprintf(&b, "# The posterior of a calibration as a scenario's uncertainty (%s).\n", source)
	b.WriteString("# Values: the posterior means.\n")
	means, sds := make([]float64, len(keys)), make([]float64, len(keys))
	for j, k := range keys {
		means[j], sds[j] = weightedMeanSD(col(j), weights)
		fmt.Fprintf(&b, "#   %s = %s\n", k, g(means[j]))
	}
	for j, k := range keys {
		fmt.Fprintf(&b, "\n[uncertainty.params.%s]\ndist = \"normal\"\nmean = %s\nsd = %s\n", q(k), g(means[j]), g(max(sds[j], 1e-12)))
		if !math.IsInf(lo[j], 0) {
			fmt.Fprintf(&b, "min = %s\n", strconv.FormatFloat(lo[j], 'g', -1, 64))
		}
		if !math.IsInf(hi[j], 0) {
			fmt.Fprintf(&b, "max = %s\n", strconv.FormatFloat(hi[j], 'g', -1, 64))
		}
		fmt.Fprintf(&b, "source = %s\n", q(source+"; the posterior's mean and standard deviation, truncated to the prior's support"))
	}
	if len(keys) > 1 {
		ranks := make([][]float64, len(keys))
		for j := range keys {
			ranks[j] = midRanks(col(j))
		}
		fmt.Fprintf(&b, "\n[[uncertainty.correlations]]\nparams = [")
		for j, k := range keys {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(q(k))
		}
		b.WriteString("]\nrank = [\n")
		for i := range keys {
			b.WriteString("  [")
			for j := range keys {
				if j > 0 {
					b.WriteString(", ")
				}
				r := 1.0
				if i != j {
					r = weightedCorr(ranks[i], ranks[j], weights)
				}
				b.WriteString(strconv.FormatFloat(r, 'f', 3, 64))
			}
			b.WriteString("],\n")
		}
		fmt.Fprintf(&b, "]\nsource = %s\n", q(source+"; the posterior's weighted Spearman rank correlations"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// weightedMeanSD is the weighted mean and standard deviation of x.
func weightedMeanSD(x, w []float64) (mean, sd float64) {
	sw := 0.0
	for i, v := range x {
		mean += w[i] * v
		sw += w[i]
	}
	mean /= sw
	for i, v := range x {
		sd += w[i] * (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / sw)
}

// midRanks is the rank of each value of x, 1 for the smallest, ties at their mean rank.
func midRanks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}

// weightedCorr is the weighted Pearson correlation of x and y (0 when either is
// constant).
func weightedCorr(x, y, w []float64) float64 {
	mx, sx := weightedMeanSD(x, w)
	my, sy := weightedMeanSD(y, w)
	if sx == 0 || sy == 0 {
		return 0
	}
	c, sw := 0.0, 0.0
	for i := range x {
		c += w[i] * (x[i] - mx) * (y[i] - my)
		sw += w[i]
	}
	return c / sw / (sx * sy)
}
