package calib

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// maxDraws bounds the draws one proposal makes to land inside the prior's support. The
// ancestor is redrawn with the perturbation, so the proposal density is the kernel
// mixture restricted to the support, up to a constant that cancels in the normalised
// weights. A proposal that fails maxDraws times is lost: not simulated, not counted.
const maxDraws = 1000

type runner struct {
	p Problem
	o Options
	d int // parameters
}

// proposal is one proposal's outcome.
type proposal struct {
	theta     []float64
	sims      []float64
	dist      float64
	simulated bool // false: no draw landed in the prior's support
	err       error
}

// drawFunc fills theta from r and reports whether it lies in the prior's support.
type drawFunc func(r *rand.Rand, theta []float64) bool

// Run calibrates p's parameters by ABC-SMC and returns the final population. It returns
// an error wrapping ErrProblem for an invalid p or o, the first model error met (in
// proposal order) among the proposals it needed, the error of OnGeneration, or ctx's
// error if ctx ends before the run does; in those cases the result is nil, and the last
// complete generation is the last State handed to OnGeneration.
func Run(ctx context.Context, p Problem, o Options) (*Result, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &runner{p: p, o: o, d: len(p.Priors)}
	var st *State
	if o.Resume != nil {
		if err := o.Resume.check(r); err != nil {
			return nil, err
		}
		st = o.Resume.clone()
	} else {
		st, err = r.first(ctx)
		if err != nil {
			return nil, err
		}
		if err := r.report(st); err != nil {
			return nil, err
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if stop := r.stopAfter(st); stop != "" {
			return r.result(st, stop, st.Evaluations), nil
		}
		next, stop, evals, err := r.next(ctx, st)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return r.result(st, stop, st.Evaluations+evals), nil
		}
		st = next
		if err := r.report(st); err != nil {
			return nil, err
		}
	}
}

// stopAfter is why the run stops after st's generation, or "".
func (r *runner) stopAfter(st *State) string {
	switch {
	case st.Generation+1 >= r.o.MaxGenerations:
		return StopMaxGenerations
	case r.o.MinEpsilon > 0 && st.Generations[st.Generation].Epsilon <= r.o.MinEpsilon:
		return StopMinEpsilon
	case r.o.MaxEvaluations > 0 && st.Evaluations >= r.o.MaxEvaluations:
		return StopMaxEvaluations
	}
	return ""
}

func (r *runner) report(st *State) error {
	if r.o.Progress != nil {
		r.o.Progress(st.Generations[st.Generation])
	}
	if r.o.OnGeneration != nil {
		return r.o.OnGeneration(st.clone())
	}
	return nil
}

func (r *runner) result(st *State, stop string, evals int) *Result {
	names := make([]string, r.d)
	for i, pr := range r.p.Priors {
		names[i] = pr.Name
	}
	return &Result{
		Names:          names,
		Particles:      st.Particles,
		Weights:        st.Weights,
		Distances:      st.Distances,
		Sims:           st.Sims,
		Generations:    st.Generations,
		Evaluations:    evals,
		Stopped:        stop,
		PriorSims:      st.PriorSims,
		PriorParticles: st.PriorParticles,
	}
}

// first is generation 0: Particles draws from the prior, all accepted.
func (r *runner) first(ctx context.Context) (*State, error) {
	start := time.Now()
	draw := func(rng *rand.Rand, theta []float64) bool {
		for range maxDraws {
			for i, pr := range r.p.Priors {
				theta[i] = pr.Sample(rng)
			}
			if !math.IsInf(r.logPrior(theta), -1) {
				return true
			}
		}
		return false
	}
	acc, _, evals, _, err := r.sample(ctx, 0, math.Inf(1), draw, r.o.MaxEvaluations)
	if err != nil {
		return nil, err
	}
	n := r.o.Particles
	st := &State{
		Seed: r.o.Seed, Parameters: r.d, Targets: len(r.p.Observed),
		Particles: make([][]float64, n), Weights: make([]float64, n),
		Distances: make([]float64, n), Sims: make([][]float64, n),
		Evaluations: evals,
	}
	for k, pr := range acc {
		st.Particles[k], st.Distances[k], st.Sims[k] = pr.theta, pr.dist, pr.sims
		st.Weights[k] = 1 / float64(n)
	}
	st.PriorParticles, st.PriorSims = st.Particles, st.Sims
	st.Generations = []Generation{{
		Index: 0, Epsilon: math.Inf(1), ESS: float64(n), Acceptance: 1,
		Evaluations: evals, Seconds: time.Since(start).Seconds(),
	}}
	return st, nil
}

// next runs the generation after st's. It returns the new state, or nil, the reason
// and the evaluations spent if the generation was abandoned.
func (r *runner) next(ctx context.Context, st *State) (*State, string, int, error) {
	start := time.Now()
	gen := st.Generation + 1
	eps := math.Max(weightedQuantile(st.Distances, st.Weights, r.o.Quantile), r.o.MinEpsilon)
	kn := newKernel(st.Particles, st.Weights)
	cum := make([]float64, len(st.Weights))
	total := 0.0
	for k, w := range st.Weights {
		total += w
		cum[k] = total
	}
	draw := func(rng *rand.Rand, theta []float64) bool {
		for range maxDraws {
			j := sort.SearchFloat64s(cum, rng.Float64()*total)
			if j == len(cum) {
				j--
			}
			kn.perturb(theta, st.Particles[j], rng)
			if !math.IsInf(r.logPrior(theta), -1) {
				return true
			}
		}
		return false
	}
	budget := 0
	if r.o.MaxEvaluations > 0 {
		budget = r.o.MaxEvaluations - st.Evaluations
	}
	acc, seen, evals, stop, err := r.sample(ctx, gen, eps, draw, budget)
	if err != nil || stop != "" {
		return nil, stop, evals, err
	}
	n := r.o.Particles
	next := &State{
		Seed: st.Seed, Parameters: st.Parameters, Targets: st.Targets, Generation: gen,
		Particles: make([][]float64, n), Distances: make([]float64, n), Sims: make([][]float64, n),
		PriorParticles: st.PriorParticles, PriorSims: st.PriorSims,
		Evaluations: st.Evaluations + evals,
		Generations: append(st.Generations[:len(st.Generations):len(st.Generations)], Generation{}),
	}
	for k, pr := range acc {
		next.Particles[k], next.Distances[k], next.Sims[k] = pr.theta, pr.dist, pr.sims
	}
	next.Weights = r.weights(next.Particles, st, kn)
	ess := 0.0
	for _, w := range next.Weights {
		ess += w * w
	}
	next.Generations[gen] = Generation{
		Index: gen, Epsilon: eps, ESS: 1 / ess, Acceptance: float64(n) / float64(seen),
		Evaluations: evals, Seconds: time.Since(start).Seconds(),
	}
	return next, "", evals, nil
}

// sample simulates generation gen's proposals in batches, in increasing proposal
// index, and accepts them in that order until Particles are accepted. After generation
// 0 a proposal is accepted if its distance is finite and at most eps. budget (0: none)
// bounds the evaluations; so does Particles/MinAcceptance after generation 0. If a bound
// stops the generation, stop says which. seen counts the proposals simulated up to the
// last one accepted; evals all the proposals simulated.
func (r *runner) sample(ctx context.Context, gen int, eps float64, draw drawFunc, budget int) (acc []proposal, seen, evals int, stop string, err error) {
	n := r.o.Particles
	limit, limitStop := math.MaxInt, ""
	if budget > 0 {
		limit, limitStop = budget, StopMaxEvaluations
	}
	if gen > 0 && r.o.MinAcceptance > 0 {
		if c := int(math.Ceil(float64(n) / r.o.MinAcceptance)); c < limit {
			limit, limitStop = c, StopMinAcceptance
		}
	}
	acc = make([]proposal, 0, n)
	batch := make([]proposal, r.o.BatchSize)
	for k0 := 0; ; k0 += len(batch) {
		size := min(r.o.BatchSize, limit-evals)
		if size <= 0 {
			return nil, 0, evals, limitStop, nil
		}
		batch = batch[:size]
		r.batch(ctx, gen, k0, batch, draw)
		if err := ctx.Err(); err != nil {
			return nil, 0, evals, "", err
		}
		for j := range batch {
			if batch[j].simulated {
				evals++
			}
		}
		for j, pr := range batch {
			if pr.err != nil {
				return nil, 0, evals, "", fmt.Errorf("calib: generation %d, proposal %d: %w", gen, k0+j, pr.err)
			}
			if !pr.simulated {
				if gen == 0 {
					return nil, 0, evals, "", fmt.Errorf("calib: %d prior samples in a row outside the support or at density 0", maxDraws)
				}
				continue
			}
			seen++
			if gen == 0 || (pr.dist <= eps && !math.IsInf(pr.dist, 1)) {
				acc = append(acc, pr)
				if len(acc) == n {
					return acc, seen, evals, "", nil
				}
			}
		}
	}
}

// batch fills out with the outcomes of generation gen's proposals k0, k0+1, …,
// concurrently.
func (r *runner) batch(ctx context.Context, gen, k0 int, out []proposal, draw drawFunc) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(r.o.Workers, len(out)) {
		wg.Go(func() {
			for {
				j := int(next.Add(1)) - 1
				if j >= len(out) || ctx.Err() != nil {
					return
				}
				out[j] = r.propose(ctx, gen, k0+j, draw)
			}
		})
	}
	wg.Wait()
}

func (r *runner) propose(ctx context.Context, gen, k int, draw drawFunc) proposal {
	theta := make([]float64, r.d)
	if !draw(proposalRand(r.o.Seed, gen, k), theta) {
		return proposal{theta: theta}
	}
	pr := proposal{theta: theta, simulated: true}
	sims, err := r.p.Model(ctx, append([]float64(nil), theta...), modelSeed(r.o.Seed, gen, k))
	if err != nil {
		pr.err = err
		return pr
	}
	if len(sims) != len(r.p.Observed) {
		pr.err = fmt.Errorf("model returned %d values for %d targets", len(sims), len(r.p.Observed))
		return pr
	}
	pr.sims, pr.dist = sims, r.distance(sims)
	return pr
}

// distance is sqrt(Σ w_i ((sim_i − obs_i)/scale_i)²), +Inf if that is NaN.
func (r *runner) distance(sims []float64) float64 {
	s := 0.0
	for i, x := range sims {
		ref := r.p.Observed[i]
		if r.p.Lower != nil {
			switch lo, hi := r.p.Lower[i], r.p.Upper[i]; {
			case x < lo:
				ref = lo
			case x > hi:
				ref = hi
			case lo < hi:
				ref = x
			}
		}
		z := (x - ref) / r.p.Scale[i]
		w := 1.0
		if r.p.Weight != nil {
			w = r.p.Weight[i]
		}
		if w != 0 {
			s += w * z * z
		}
	}
	if math.IsNaN(s) {
		return math.Inf(1)
	}
	return math.Sqrt(s)
}

// logPrior is the log joint prior density, −Inf outside the support.
func (r *runner) logPrior(theta []float64) float64 {
	lp := 0.0
	for i, pr := range r.p.Priors {
		x := theta[i]
		if !(x >= pr.Lo && x <= pr.Hi) {
			return math.Inf(-1)
		}
		d := pr.Density(x)
		if !(d > 0) {
			return math.Inf(-1)
		}
		lp += math.Log(d)
	}
	return lp
}

// weights are the normalised importance weights of the accepted particles theta,
// proposed from prev through kernel kn: prior(θ) / Σ_j w_j K(θ | θ_j). The kernel's
// normalising constant is the same for every term and cancels.
func (r *runner) weights(theta [][]float64, prev *State, kn kernel) []float64 {
	m := len(prev.Particles)
	white := make([]float64, m*r.d)
	logw := make([]float64, m)
	for j, th := range prev.Particles {
		kn.whiten(white[j*r.d:(j+1)*r.d], th)
		logw[j] = math.Log(prev.Weights[j])
	}
	out := make([]float64, len(theta))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(r.o.Workers, len(theta)) {
		wg.Go(func() {
			x := make([]float64, r.d)
			terms := make([]float64, m)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(theta) {
					return
				}
				kn.whiten(x, theta[i])
				hi := math.Inf(-1)
				for j := range m {
					q := 0.0
					for a, v := range white[j*r.d : (j+1)*r.d] {
						dv := x[a] - v
						q += dv * dv
					}
					terms[j] = logw[j] - q/2
					hi = math.Max(hi, terms[j])
				}
				s := 0.0
				for _, t := range terms {
					s += math.Exp(t - hi)
				}
				out[i] = r.logPrior(theta[i]) - (hi + math.Log(s))
			}
		})
	}
	wg.Wait()
	hi := math.Inf(-1)
	for _, lw := range out {
		hi = math.Max(hi, lw)
	}
	total := 0.0
	for i, lw := range out {
		out[i] = math.Exp(lw - hi)
		total += out[i]
	}
	for i := range out {
		out[i] /= total
	}
	return out
}
