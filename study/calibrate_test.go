package study

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"ersim/calib"
	"ersim/model"
	"ersim/scenarios"
)

// Known truth: targets simulated by the model at known parameter values are fitted from
// broad priors. hours_per_claim moves the admin share, which is a target: its true
// value must lie in its 90 % posterior interval and its posterior spread must be well
// below the prior's. visit_length_elasticity barely moves either target (it is not
// identified by them): its true value must still lie in its 90 % interval.
func TestCalibrateKnownTruth(t *testing.T) {
	f, err := Load("testdata/calib.toml")
	if err != nil {
		t.Fatal(err)
	}
	truth := []float64{0.08, 0.5}
	c := f.Base.Calibration
	c.Replications = 40 // the "data": the model at the truth, precisely
	ev, err := newEvaluator(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := ev.eval(context.Background(), truth, 987654321)
	if err != nil {
		t.Fatal(err)
	}
	c.Replications = 4
	for i := range c.Targets {
		c.Targets[i].Observed = &obs[i]
	}
	res, err := Calibrate(context.Background(), f, filepath.Join(t.TempDir(), "cal"), CalibrateOptions{Options: Options{Workers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	priorSD := []float64{(0.3 - 0.01) / math.Sqrt(12), 1.5 / math.Sqrt(12)}
	for i, name := range res.Params {
		x := make([]float64, len(res.Particles))
		for k, p := range res.Particles {
			x[k] = p[i]
		}
		lo, hi := wquantile(x, res.Weights, 0.05), wquantile(x, res.Weights, 0.95)
		m, sd := wmeanSD(x, res.Weights)
		t.Logf("%s: truth %g, posterior %.4g ± %.3g, 90 %% interval %.4g – %.4g, prior sd %.3g", name, truth[i], m, sd, lo, hi, priorSD[i])
		if truth[i] < lo || truth[i] > hi {
			t.Errorf("%s: the truth %g is outside the 90 %% posterior interval %g – %g", name, truth[i], lo, hi)
		}
		if i == 0 && sd > 0.3*priorSD[i] {
			t.Errorf("%s: posterior sd %g is not well below the prior's %g", name, sd, priorSD[i])
		}
	}
	if g := res.Generations; len(g) < 3 || !(g[len(g)-1].Epsilon < g[1].Epsilon) {
		t.Errorf("the tolerance did not fall: %+v", g)
	}
}

// The calibration's files do not depend on the number of workers.
func TestCalibrateWorkers(t *testing.T) {
	dir := t.TempDir()
	var got []string
	for _, w := range []int{1, 2} {
		f, err := Load("testdata/calib.toml")
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, string(rune('0'+w)))
		if _, err := Calibrate(context.Background(), f, out, CalibrateOptions{Options: Options{Workers: w}, Particles: 40, MaxGenerations: 3}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, "posterior.csv"))
		if err != nil {
			t.Fatal(err)
		}
		c, _ := os.ReadFile(filepath.Join(out, "calibration.csv"))
		got = append(got, string(b)+string(c))
	}
	if got[0] != got[1] {
		t.Errorf("posterior.csv or calibration.csv differ between 1 and 2 workers")
	}
}

func wmeanSD(x, w []float64) (float64, float64) {
	m, sw := 0.0, 0.0
	for i := range x {
		m += w[i] * x[i]
		sw += w[i]
	}
	m /= sw
	v := 0.0
	for i := range x {
		v += w[i] * (x[i] - m) * (x[i] - m)
	}
	return m, math.Sqrt(v / sw)
}

func wquantile(x, w []float64, p float64) float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	sw := 0.0
	for _, v := range w {
		sw += v
	}
	acc := 0.0
	for _, i := range idx {
		acc += w[i] / sw
		if acc >= p {
			return x[i]
		}
	}
	return x[idx[len(idx)-1]]
}

// A target's metric is checked by name when the scenario is loaded, with its line.
func TestCalibrateUnknownMetric(t *testing.T) {
	b, err := os.ReadFile("testdata/calib.toml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(path, []byte(strings.Replace(string(b), `metric = "admin_share"`, `metric = "admin_shar"`, 1)), 0o644)
	_, err = Load(path)
	if err == nil || !scenarios.IsInputError(err) || !strings.Contains(err.Error(), `calibration.targets[0].metric: "admin_shar" is not a metric`) || !strings.Contains(err.Error(), "bad.toml:") {
		t.Errorf("got %v, want an input error naming calibration.targets[0].metric with its line", err)
	}
}

// A calibration cancelled after a generation keeps a checkpoint; resumed, it writes
// the files of an uninterrupted calibration, byte for byte, and removes the checkpoint.
func TestCalibrateResume(t *testing.T) {
	dir := t.TempDir()
	o := CalibrateOptions{Options: Options{Workers: 2}, Particles: 40, MaxGenerations: 4}
	load := func() *scenarios.File {
		f, err := Load("testdata/calib.toml")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	clean := filepath.Join(dir, "clean")
	if _, err := Calibrate(context.Background(), load(), clean, o); err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut")
	ctx, cancel := context.WithCancel(context.Background())
	oc := o
	oc.Generation = func(g calib.Generation) {
		if g.Index == 1 {
			cancel()
		}
	}
	if _, err := Calibrate(ctx, load(), cut, oc); err == nil || !strings.Contains(err.Error(), "resume with") {
		t.Fatalf("cancelled calibration: %v, want a message saying how to resume", err)
	}
	ck, err := ReadCalibrationCheckpoint(cut)
	if err != nil {
		t.Fatal(err)
	}
	if ck.State.Generation < 1 {
		t.Fatalf("the checkpoint holds generation %d", ck.State.Generation)
	}
	o.Resume = ck
	if _, err := Calibrate(context.Background(), load(), cut, o); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"posterior.csv", "calibration.csv"} {
		a, _ := os.ReadFile(filepath.Join(clean, name))
		b, _ := os.ReadFile(filepath.Join(cut, name))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s of the resumed calibration differs", name)
		}
	}
	if _, err := os.Stat(CheckpointDir(cut)); !os.IsNotExist(err) {
		t.Errorf("the checkpoint is still there")
	}
}

// A PSA run with a posterior draws the calibrated parameters jointly: each
// replication's pair of values is one particle of posterior.csv, the same for every
// number of workers.
func TestRunWithPosterior(t *testing.T) {
	dir := t.TempDir()
	f, err := Load("testdata/calib.toml")
	if err != nil {
		t.Fatal(err)
	}
	cal := filepath.Join(dir, "cal")
	if _, err := Calibrate(context.Background(), f, cal, CalibrateOptions{Particles: 40, MaxGenerations: 3}); err != nil {
		t.Fatal(err)
	}
	keys, particles, _, err := ReadPosterior(filepath.Join(cal, "posterior.csv"))
	if err != nil || len(keys) != 2 || len(particles) != 40 {
		t.Fatalf("ReadPosterior: %v, %d keys, %d particles", err, len(keys), len(particles))
	}
	var texts []string
	for _, w := range []int{1, 2} {
		f, _ := Load("testdata/calib.toml")
		reps := 12
		out := filepath.Join(dir, "run", string(rune('0'+w)))
		_, err := Run(context.Background(), f, out, RunOptions{Options: Options{Reps: &reps, Workers: w, NoCharts: true,
			Posterior: filepath.Join(cal, "posterior.csv")}, PSA: true})
		if err != nil {
			t.Fatal(err)
		}
		_, draws, _, err := readDrawsFile(filepath.Join(out, "psa_draws.csv"))
		if err != nil {
			t.Fatal(err)
		}
		for r, d := range draws {
			found := false
			for _, p := range particles {
				found = found || (p[0] == d[0] && p[1] == d[1])
			}
			if !found {
				t.Errorf("replication %d draws %v, which is no particle of the posterior", r+1, d)
			}
		}
		b, _ := os.ReadFile(filepath.Join(out, "psa_draws.csv"))
		texts = append(texts, string(b))
	}
	if texts[0] != texts[1] {
		t.Errorf("the posterior draws depend on the number of workers")
	}
	_, err = Run(context.Background(), f, filepath.Join(dir, "bad"), RunOptions{Options: Options{Posterior: filepath.Join(dir, "nope.csv")}, PSA: true})
	if !scenarios.IsInputError(err) {
		t.Errorf("a missing posterior file: %v, want an input error", err)
	}
}

// readDrawsFile reads psa_draws.csv.
func readDrawsFile(path string) ([]string, [][]float64, int, error) {
	keys, draws, err := readDraws(path)
	return keys, draws, len(draws), err
}

// One-way sensitivity with a posterior puts the calibrated parameters at their
// posterior means and takes their ranges from the posterior's 5th and 95th percentiles.
func TestSensitivityWithPosterior(t *testing.T) {
	dir := t.TempDir()
	f, err := Load("testdata/calib.toml")
	if err != nil {
		t.Fatal(err)
	}
	cal := filepath.Join(dir, "cal")
	if _, err := Calibrate(context.Background(), f, cal, CalibrateOptions{Particles: 40, MaxGenerations: 3}); err != nil {
		t.Fatal(err)
	}
	post := filepath.Join(cal, "posterior.csv")
	keys, _, p05, p95, err := posteriorSummary(post)
	if err != nil {
		t.Fatal(err)
	}
	f, _ = Load("testdata/calib.toml")
	reps := 2
	res, err := Sensitivity(context.Background(), f, filepath.Join(dir, "sens"), Options{Reps: &reps, NoCharts: true, Posterior: post})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range res.Tornadoes[:1] {
		for _, b := range tr.Bars {
			j := slices.Index(keys, b.Key)
			if j < 0 || b.Low != p05[j] || b.High != p95[j] {
				t.Errorf("%s ranges over %g – %g, want the posterior's %v – %v", b.Key, b.Low, b.High, p05, p95)
			}
		}
	}
	if hi := p95[0]; !(hi < 0.2) {
		t.Errorf("the posterior's 95th percentile of hours_per_claim is %g: not narrower than the prior", hi)
	}
}

// The per-provider estimators read the provider-years of every replication: a band
// holding every value has share 1, one above them all share 0, and a median lies
// between the extremes; a form or year with no provider-years gives NaN.
func TestProviderEstimators(t *testing.T) {
	b, err := os.ReadFile("testdata/calib.toml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b) + `
[[calibration.targets]]
name = "all"
estimator = "provider_share"
quantity = "visits"
band = [-1e12, 1e12]
observed = 1
se = 0.1

[[calibration.targets]]
name = "none"
estimator = "provider_share"
quantity = "revenue"
band = [1e15, 2e15]
observed = 0
se = 0.1

[[calibration.targets]]
name = "median LOV visits, year 2"
estimator = "provider_quantile"
quantity = "visits"
quantile = 0.5
form = "LOV"
years = [2]
observed = 1000
se = 100

[[calibration.targets]]
name = "no LOU"
estimator = "provider_quantile"
quantity = "visits"
quantile = 0.9
form = "LOU"
observed = 1
se = 1
`
	path := filepath.Join(t.TempDir(), "prov.toml")
	ev := evaluatorFor(t, path, text)
	out, err := ev.eval(context.Background(), []float64{0.08, 0.5}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if out[2] != 1 || out[3] != 0 || !(out[4] > 0) || !math.IsNaN(out[5]) {
		t.Errorf("provider estimators = %v, want share 1, share 0, a positive median and NaN", out[2:])
	}
	bad := strings.Replace(text, `quantity = "revenue"`, `quantity = "income"`, 1)
	os.WriteFile(path, []byte(bad), 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), `calibration.targets[3].quantity: "income" is not a per-provider quantity`) {
		t.Errorf("bad quantity: %v", err)
	}
}

// A target can be computed in another scenario, with the calibrated parameters set
// there too: calib.toml is small.toml with sections added, so its admin share computed
// in small.toml equals the one computed in calib.toml itself, at the same parameters
// and seed. An unloadable scenario is an input error at the target.
func TestTargetInAnotherScenario(t *testing.T) {
	b, err := os.ReadFile("testdata/calib.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	small, _ := os.ReadFile("../model/testdata/small.toml")
	os.WriteFile(filepath.Join(dir, "small.toml"), small, 0o644)
	text := string(b) + `
[[calibration.targets]]
name = "admin share in small.toml"
scenario = "small.toml"
metric = "admin_share"
observed = 0.05
se = 0.002

[[calibration.targets]]
name = "LOV visits in the Stockholm 2008 validation scenario"
scenario = "validation:stockholm2008"
metric = "visits_per_1000"
observed = 3000
se = 100
`
	path := filepath.Join(dir, "multi.toml")
	ev := evaluatorFor(t, path, text)
	if len(ev.sites) != 3 {
		t.Fatalf("%d scenarios, want 3", len(ev.sites))
	}
	out, err := ev.eval(context.Background(), []float64{0.08, 0.5}, 11)
	if err != nil {
		t.Fatal(err)
	}
	if out[0] != out[2] || !(out[3] > 0) {
		t.Errorf("admin share here %g, in small.toml %g (want equal); Stockholm 2008 visits %g", out[0], out[2], out[3])
	}
	os.WriteFile(path, []byte(strings.Replace(text, `scenario = "small.toml"`, `scenario = "nowhere.toml"`, 1)), 0o644)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newEvaluator(context.Background(), f); err == nil || !scenarios.IsInputError(err) || !strings.Contains(err.Error(), "calibration.targets[2].scenario") {
		t.Errorf("an unloadable scenario: %v, want an input error at calibration.targets[2].scenario", err)
	}
}

// A target can be a validation study's own estimate (ersim replicate's target ID), run
// in its validation scenario with the calibrated parameters set: Casalino's reporting
// hours (9a) grow with the hours per indicator, report and patient. An unknown ID is
// refused.
func TestValidationTarget(t *testing.T) {
	b, err := os.ReadFile("../model/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b) + `
[uncertainty.params."behaviour.admin.hours_per_indicator_patient"]
dist = "uniform"
min = 0.00005
max = 0.001

[calibration]
params = ["behaviour.admin.hours_per_indicator_patient"]
replications = 2

[[calibration.targets]]
name = "Casalino: hours on quality measures per physician-year"
estimator = "validation"
target = "9a"
observed = 785
interval = [589, 981]
`
	path := filepath.Join(t.TempDir(), "val.toml")
	// at is the first target's value in the scenario text at hours per patient h.
	at := func(text string, h float64) float64 {
		v, err := evaluatorFor(t, path, text).eval(context.Background(), []float64{h}, 1)
		if err != nil {
			t.Fatal(err)
		}
		return v[0]
	}
	// 131 measures × 12 reports × (0.5 + h × 10 000 patients) / 5 physicians.
	if lo, hi := at(text, 0.0001), at(text, 0.0002); math.Abs(lo-471.6) > 1e-6 || math.Abs(hi-786) > 1e-6 {
		t.Errorf("9a at 0.0001 and 0.0002 hours per patient: %g and %g, want 471.6 and 786", lo, hi)
	}
	// A target's own replications replace calibration.replications for its study: QOF's
	// median achievement (8a) moves with them, on the same seed.
	qof := strings.Replace(text, `target = "9a"`, "target = \"8a\"\nreplications = 1", 1)
	one, two, three := at(qof, 0.0003), at(strings.Replace(qof, "replications = 1", "", 1), 0.0003), at(strings.Replace(qof, "replications = 1", "replications = 2", 1), 0.0003)
	if one == two || two != three {
		t.Errorf("8a with 1, the section's 2 and 2 replications: %g, %g, %g; want the first apart, the last two equal", one, two, three)
	}
	os.WriteFile(path, []byte(strings.Replace(text, `target = "9a"`, `target = "99z"`, 1)), 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), `calibration.targets[0].target: "99z" is not a validation target`) {
		t.Errorf("an unknown validation target: %v", err)
	}
}

// The posterior as [uncertainty]: weighted means and standard deviations, the prior's
// support as bounds, and rank correlations with the right sign and size, in TOML a
// scenario accepts.
func TestPosteriorUncertainty(t *testing.T) {
	var particles [][]float64
	var weights []float64
	for i := range 50 {
		x := float64(i) / 49
		// y rises with x, z falls with it; the weights favour high x.
		particles = append(particles, []float64{x, 2*x + 0.1, 1 - x*x})
		weights = append(weights, 1+x)
	}
	var b strings.Builder
	keys := []string{"behaviour.admin.hours_per_claim", "behaviour.admin.hours_per_audit", "behaviour.quality.achievement_response"}
	err := PosteriorUncertainty(&b, keys, []float64{0, 0, 0}, []float64{1, math.Inf(1), 2}, particles, weights, "test")
	if err != nil {
		t.Fatal(err)
	}
	base, err := os.ReadFile("../model/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := scenarios.Parse("post.toml", append(base, []byte("\n"+b.String())...))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	u := f.Base.Uncertainty
	x := make([]float64, len(particles))
	for i, p := range particles {
		x[i] = p[0]
	}
	m, sd := wmeanSD(x, weights)
	p := u.Params[keys[0]]
	if p.Dist != "normal" || p.Mean == nil || p.SD == nil || p.Min == nil || p.Max == nil ||
		math.Abs(*p.Mean-m) > 1e-3*m || math.Abs(*p.SD-sd) > 1e-3*sd || *p.Min != 0 || *p.Max != 1 {
		t.Errorf("%s: %+v, want normal(%.4g, %.4g) on [0, 1]", keys[0], p, m, sd)
	}
	if strings.Contains(b.String(), "Inf") || u.Params[keys[1]].Max != nil {
		t.Errorf("an infinite prior end is written: %+v", u.Params[keys[1]])
	}
	r := u.Correlations[0].Rank
	if r[0][1] != 1 || r[0][2] != -1 || r[1][2] != -1 || r[2][2] != 1 {
		t.Errorf("rank correlations %v, want 1 between x and 2x, -1 with 1 - x²", r)
	}
}

// The per-provider estimators read providers.csv's achievement, exception rate and
// upcoded share, skipping provider-years without indicators.
func TestProviderEstimateOutcomes(t *testing.T) {
	nan := math.NaN()
	ys := []model.ProviderYear{
		{Form: "LOV", Year: 1, Achievement: 0.7, ExceptionRate: 0.04, Upcoded: 0.1},
		{Form: "LOV", Year: 1, Achievement: 0.9, ExceptionRate: 0.08, Upcoded: 0.3},
		{Form: "LOL", Year: 1, Achievement: nan, ExceptionRate: nan, Upcoded: 0},
	}
	half := 0.5
	for _, c := range []struct {
		t    scenarios.Target
		want float64
	}{
		{scenarios.Target{Estimator: "provider_quantile", Quantity: "achievement", Quantile: &half}, 0.8},
		{scenarios.Target{Estimator: "provider_quantile", Quantity: "exception_rate", Quantile: &half}, 0.06},
		{scenarios.Target{Estimator: "provider_share", Quantity: "upcoded_share", Band: []float64{0.05, 1}}, 2.0 / 3},
	} {
		if got := providerEstimate(&c.t, ys); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s of %s: %g, want %g", c.t.Estimator, c.t.Quantity, got, c.want)
		}
	}
}

// evaluatorFor writes the scenario text to path and returns its calibration's evaluator.
func evaluatorFor(t *testing.T, path, text string) *evaluator {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := newEvaluator(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}
