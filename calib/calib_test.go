package calib

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// meanModel is the summary of n draws of N(μ, σ²): their mean.
func meanModel(n int, sigma float64) Model {
	return func(_ context.Context, theta []float64, seed uint64) ([]float64, error) {
		r := rand.New(rand.NewPCG(seed, 0))
		s := 0.0
		for range n {
			s += theta[0] + sigma*r.NormFloat64()
		}
		return []float64{s / float64(n)}, nil
	}
}

// TestNormalMean checks the posterior of a normal mean against the exact conjugate
// posterior: prior μ ~ N(0, τ²), data the mean of n draws of N(μ, σ²), observed mean
// x̄; posterior N(m, s²) with s² = 1/(1/τ² + n/σ²) and m = s² n x̄/σ². The final
// tolerance is 0.05 standard errors of x̄, so ABC's own broadening of the likelihood
// (a uniform of half-width ε convolved with it: variance ε²/3 against 1) is negligible.
func TestNormalMean(t *testing.T) {
	const (
		tau2  = 4.0
		n     = 25
		sigma = 1.0
		obs   = 1.3
	)
	se := sigma / math.Sqrt(n)
	s2 := 1 / (1/tau2 + n/(sigma*sigma))
	m, s := s2*n*obs/(sigma*sigma), math.Sqrt(s2)

	p := Problem{
		Priors:   []Prior{Normal("mu", 0, math.Sqrt(tau2), -20, 20)},
		Observed: []float64{obs},
		Scale:    []float64{se},
		Model:    meanModel(n, sigma),
	}
	start := time.Now()
	res, err := Run(context.Background(), p, Options{
		Particles: 1000, MaxGenerations: 30, MinEpsilon: 0.05, Seed: 2024,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != StopMinEpsilon {
		t.Fatalf("stopped on %q, want %q", res.Stopped, StopMinEpsilon)
	}
	for _, g := range res.Generations {
		t.Logf("generation %d: ε=%.4g ESS=%.0f acceptance=%.3f evaluations=%d", g.Index, g.Epsilon, g.ESS, g.Acceptance, g.Evaluations)
	}
	mean, sd, ess := res.Mean(0), res.SD(0), res.ESS()
	mcse := s / math.Sqrt(ess)
	t.Logf("exact mean %.4f sd %.4f; ABC mean %.4f (MC s.e. %.4f) sd %.4f; ESS %.0f, %d evaluations, %v",
		m, s, mean, mcse, sd, ess, res.Evaluations, time.Since(start).Round(time.Millisecond))
	if math.Abs(mean-m) > 3*mcse {
		t.Errorf("posterior mean %.4f, exact %.4f: off by %.1f Monte Carlo standard errors", mean, m, math.Abs(mean-m)/mcse)
	}
	if math.Abs(sd/s-1) > 0.10 {
		t.Errorf("posterior sd %.4f, exact %.4f: off by %.0f %%", sd, s, 100*math.Abs(sd/s-1))
	}
	if len(res.PriorSims) != 1000 || len(res.Sims) != 1000 {
		t.Errorf("%d prior sims and %d sims, want 1000", len(res.PriorSims), len(res.Sims))
	}
}

// lineX are the covariate values of the linear known-truth problem.
var lineX = []float64{0, 1, 2, 3, 4}

const lineNoise = 0.5

// lineModel simulates y = a + b·x + N(0, 0.5²) at lineX.
func lineModel(_ context.Context, theta []float64, seed uint64) ([]float64, error) {
	r := rand.New(rand.NewPCG(seed, 1))
	y := make([]float64, len(lineX))
	for i, x := range lineX {
		y[i] = theta[0] + theta[1]*x + lineNoise*r.NormFloat64()
	}
	return y, nil
}

// lineProblem observes one draw of lineModel at a = 1, b = 2.
func lineProblem() Problem {
	obs, _ := lineModel(context.Background(), []float64{1, 2}, 99)
	scale := make([]float64, len(obs))
	for i := range scale {
		scale[i] = lineNoise
	}
	return Problem{
		Priors:   []Prior{Uniform("a", -5, 5), Uniform("b", -5, 5)},
		Observed: obs,
		Scale:    scale,
		Model:    lineModel,
	}
}

func TestKnownTruth(t *testing.T) {
	start := time.Now()
	res, err := Run(context.Background(), lineProblem(), Options{
		Particles: 500, MaxGenerations: 12, MinEpsilon: 2, Seed: 7,
	})
	if err != nil {
		t.Fatal(err)
	}
	priorSD := 10 / math.Sqrt(12)
	last := res.Generations[len(res.Generations)-1]
	t.Logf("stopped on %q after %d generations, ε=%.3g, %d evaluations, %v",
		res.Stopped, len(res.Generations), last.Epsilon, res.Evaluations, time.Since(start).Round(time.Millisecond))
	for i, truth := range []float64{1, 2} {
		lo, hi := res.Quantile(i, 0.05), res.Quantile(i, 0.95)
		sd := res.SD(i)
		t.Logf("%s: truth %g, mean %.3f, 90 %% interval [%.3f, %.3f], sd %.3f (prior %.3f)",
			res.Names[i], truth, res.Mean(i), lo, hi, sd, priorSD)
		if truth < lo || truth > hi {
			t.Errorf("%s: truth %g outside the 90 %% interval [%.3f, %.3f]", res.Names[i], truth, lo, hi)
		}
		if sd > priorSD/4 {
			t.Errorf("%s: posterior sd %.3f not well below the prior's %.3f", res.Names[i], sd, priorSD)
		}
	}
}

// sameResult fails t unless a and b agree bit for bit (Generation.Seconds apart).
func sameResult(t *testing.T, what string, a, b *Result) {
	t.Helper()
	eq := func(x, y []float64) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	}
	eq2 := func(x, y [][]float64) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !eq(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	switch {
	case !eq2(a.Particles, b.Particles):
		t.Errorf("%s: particles differ", what)
	case !eq(a.Weights, b.Weights):
		t.Errorf("%s: weights differ", what)
	case !eq(a.Distances, b.Distances):
		t.Errorf("%s: distances differ", what)
	case !eq2(a.Sims, b.Sims) || !eq2(a.PriorSims, b.PriorSims) || !eq2(a.PriorParticles, b.PriorParticles):
		t.Errorf("%s: simulations differ", what)
	case a.Evaluations != b.Evaluations || a.Stopped != b.Stopped:
		t.Errorf("%s: %d evaluations, stopped on %q; want %d, %q", what, b.Evaluations, b.Stopped, a.Evaluations, a.Stopped)
	case len(a.Generations) != len(b.Generations):
		t.Errorf("%s: %d generations, want %d", what, len(b.Generations), len(a.Generations))
	default:
		for i, g := range a.Generations {
			h := b.Generations[i]
			g.Seconds, h.Seconds = 0, 0
			if g != h {
				t.Errorf("%s: generation %d is %+v, want %+v", what, i, h, g)
			}
		}
	}
}

func TestWorkersDoNotMatter(t *testing.T) {
	o := Options{Particles: 200, MaxGenerations: 6, Seed: 3, BatchSize: 64}
	var ref *Result
	for _, w := range []int{1, 2, 4} {
		o.Workers = w
		res, err := Run(context.Background(), lineProblem(), o)
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = res
			continue
		}
		sameResult(t, "workers", ref, res)
	}
	if len(ref.Generations) != 6 || ref.Stopped != StopMaxGenerations {
		t.Errorf("%d generations, stopped on %q; want 6, %q", len(ref.Generations), ref.Stopped, StopMaxGenerations)
	}
}

// TestResume interrupts a run after generation 2 by cancelling its context, saves the
// state as JSON, resumes from it, and compares with an uninterrupted run.
func TestResume(t *testing.T) {
	o := Options{Particles: 200, MaxGenerations: 6, Seed: 11, BatchSize: 50, Workers: 2}
	whole, err := Run(context.Background(), lineProblem(), o)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var saved []byte
	o.OnGeneration = func(s *State) error {
		var err error
		saved, err = json.Marshal(s)
		if s.Generation == 2 {
			cancel()
		}
		return err
	}
	if _, err := Run(ctx, lineProblem(), o); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: error %v, want context.Canceled", err)
	}
	var st State
	if err := json.Unmarshal(saved, &st); err != nil {
		t.Fatal(err)
	}
	if st.Generation != 2 || !math.IsInf(st.Generations[0].Epsilon, 1) {
		t.Fatalf("saved generation %d with ε_0 = %g; want 2, +Inf", st.Generation, st.Generations[0].Epsilon)
	}
	o.OnGeneration, o.Resume, o.Workers = nil, &st, 1
	resumed, err := Run(context.Background(), lineProblem(), o)
	if err != nil {
		t.Fatal(err)
	}
	sameResult(t, "resumed", whole, resumed)

	o.Seed++
	if _, err := Run(context.Background(), lineProblem(), o); !errors.Is(err, ErrProblem) {
		t.Errorf("resume with another seed: error %v, want ErrProblem", err)
	}
}

func TestMaxEvaluations(t *testing.T) {
	res, err := Run(context.Background(), lineProblem(), Options{
		Particles: 100, MaxGenerations: 20, MaxEvaluations: 1500, Seed: 5, BatchSize: 40,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != StopMaxEvaluations {
		t.Errorf("stopped on %q, want %q", res.Stopped, StopMaxEvaluations)
	}
	if res.Evaluations > 1500 {
		t.Errorf("%d evaluations, bound 1500", res.Evaluations)
	}
	sum := 0
	for _, g := range res.Generations {
		sum += g.Evaluations
	}
	if sum > res.Evaluations {
		t.Errorf("generations' evaluations add to %d, more than the run's %d", sum, res.Evaluations)
	}
	t.Logf("%d generations, %d evaluations (%d in complete generations)", len(res.Generations), res.Evaluations, sum)
}

func TestMinAcceptance(t *testing.T) {
	// A tolerance impossible to meet: the noise alone keeps the distance above 0.01.
	res, err := Run(context.Background(), lineProblem(), Options{
		Particles: 50, MaxGenerations: 50, MinEpsilon: 0.001, MinAcceptance: 0.05, Seed: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != StopMinAcceptance {
		t.Errorf("stopped on %q, want %q", res.Stopped, StopMinAcceptance)
	}
	for _, g := range res.Generations {
		if g.Acceptance < 0.05 {
			t.Errorf("generation %d kept with acceptance %.3f < 0.05", g.Index, g.Acceptance)
		}
	}
}

func TestModelError(t *testing.T) {
	p := lineProblem()
	boom := errors.New("boom")
	p.Model = func(ctx context.Context, theta []float64, seed uint64) ([]float64, error) {
		if theta[0] > 4 {
			return nil, boom
		}
		return lineModel(ctx, theta, seed)
	}
	if _, err := Run(context.Background(), p, Options{Particles: 50, Seed: 1}); !errors.Is(err, boom) {
		t.Errorf("error %v, want the model's", err)
	}
	p.Model = func(context.Context, []float64, uint64) ([]float64, error) { return []float64{1}, nil }
	if _, err := Run(context.Background(), p, Options{Particles: 50, Seed: 1}); err == nil {
		t.Error("a model returning too few values: no error")
	}
}

func TestBadProblem(t *testing.T) {
	good := lineProblem
	cases := map[string]func(p *Problem, o *Options){
		"no priors":          func(p *Problem, o *Options) { p.Priors = nil },
		"prior no sampler":   func(p *Problem, o *Options) { p.Priors[0].Sample = nil },
		"empty support":      func(p *Problem, o *Options) { p.Priors[1].Lo, p.Priors[1].Hi = 1, 1 },
		"no observed":        func(p *Problem, o *Options) { p.Observed, p.Scale = nil, nil },
		"scale length":       func(p *Problem, o *Options) { p.Scale = p.Scale[:2] },
		"zero scale":         func(p *Problem, o *Options) { p.Scale[3] = 0 },
		"negative scale":     func(p *Problem, o *Options) { p.Scale[0] = -1 },
		"NaN scale":          func(p *Problem, o *Options) { p.Scale[0] = math.NaN() },
		"weight length":      func(p *Problem, o *Options) { p.Weight = []float64{1} },
		"negative weight":    func(p *Problem, o *Options) { p.Weight = []float64{1, 1, -1, 1, 1} },
		"NaN observed":       func(p *Problem, o *Options) { p.Observed[0] = math.NaN() },
		"no model":           func(p *Problem, o *Options) { p.Model = nil },
		"one particle":       func(p *Problem, o *Options) { o.Particles = 1 },
		"quantile > 1":       func(p *Problem, o *Options) { o.Quantile = 1.5 },
		"budget < particles": func(p *Problem, o *Options) { o.MaxEvaluations = 10 },
		"negative workers":   func(p *Problem, o *Options) { o.Workers = -1 },
		"negative epsilon":   func(p *Problem, o *Options) { o.MinEpsilon = -1 },
		"resume mismatch": func(p *Problem, o *Options) {
			o.Resume = &State{Seed: o.Seed, Parameters: 3, Targets: len(p.Observed)}
		},
	}
	for name, spoil := range cases {
		p, o := good(), Options{Particles: 20, MaxGenerations: 2}
		spoil(&p, &o)
		if _, err := Run(context.Background(), p, o); !errors.Is(err, ErrProblem) {
			t.Errorf("%s: error %v, want ErrProblem", name, err)
		}
	}
}

func TestStateJSONExact(t *testing.T) {
	s := &State{
		Seed: math.MaxUint64, Parameters: 1, Targets: 1, Generation: 0,
		Particles: [][]float64{{0.1}, {math.Nextafter(1, 2)}}, Weights: []float64{1.0 / 3, 2.0 / 3},
		Distances: []float64{math.Inf(1), 5e-324}, Sims: [][]float64{{math.NaN()}, {-math.MaxFloat64}},
		Generations: []Generation{{Epsilon: math.Inf(1), ESS: 1.8}},
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var c State
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if c.Seed != s.Seed || c.Particles[1][0] != s.Particles[1][0] || c.Weights[0] != s.Weights[0] ||
		!math.IsInf(c.Distances[0], 1) || c.Distances[1] != 5e-324 || !math.IsNaN(c.Sims[0][0]) ||
		c.Sims[1][0] != -math.MaxFloat64 || !math.IsInf(c.Generations[0].Epsilon, 1) {
		t.Errorf("round trip changed the state:\n%s\n%+v", b, c)
	}
}

func BenchmarkRun(b *testing.B) {
	// A model that costs next to nothing, so the time is the algorithm's overhead:
	// drawing, the kernel, the O(N²) weights and the scheduling.
	p := lineProblem()
	p.Model = func(_ context.Context, theta []float64, seed uint64) ([]float64, error) {
		y := make([]float64, len(lineX))
		e := float64(seed>>11)/(1<<53) - 0.5
		for i, x := range lineX {
			y[i] = theta[0] + theta[1]*x + e
		}
		return y, nil
	}
	evals := 0
	b.ResetTimer()
	for i := range b.N {
		res, err := Run(context.Background(), p, Options{Particles: 500, MaxGenerations: 6, Seed: uint64(i)})
		if err != nil {
			b.Fatal(err)
		}
		evals += res.Evaluations
	}
	b.ReportMetric(float64(evals)/b.Elapsed().Seconds(), "evals/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(evals), "ns/eval")
}

// A range target fits exactly anywhere inside its range and misses by the distance to
// the nearer end outside it; a point target (Lower = Upper) is as without a range.
func TestRangeDistance(t *testing.T) {
	r := &runner{p: Problem{Observed: []float64{0, 5}, Scale: []float64{2, 1},
		Lower: []float64{0, 5}, Upper: []float64{math.Inf(1), 5}}}
	for _, c := range []struct{ sims []float64 }{{[]float64{3, 5}}, {[]float64{-4, 5}}, {[]float64{10, 6}}, {[]float64{-4, 2}}} {
		want := math.Hypot(min(c.sims[0], 0)/2, c.sims[1]-5)
		if got := r.distance(c.sims); math.Abs(got-want) > 1e-15 {
			t.Errorf("distance(%v) = %g, want %g", c.sims, got, want)
		}
	}
	p := lineProblem()
	p.Lower, p.Upper = []float64{1}, []float64{0}
	if err := p.validate(); err == nil {
		t.Error("Lower and Upper of the wrong length: accepted")
	}
}
