package decision

import (
	"math"
	"math/rand/v2"
	"testing"
)

// synthetic returns health and cost for two variants, the draws of a parameter theta
// that drives the decision and of psi that does not enter net benefit, with stochastic
// noise of the given size in variant 1's cost.
func synthetic(n int, noise float64) (health, cost [][]float64, draws [][]float64) {
	rng := rand.New(rand.NewPCG(1, 2))
	health = [][]float64{make([]float64, n), make([]float64, n)}
	cost = [][]float64{make([]float64, n), make([]float64, n)}
	for r := 0; r < n; r++ {
		theta, psi := rng.Float64(), rng.Float64()
		draws = append(draws, []float64{theta, psi})
		health[0][r], cost[0][r] = 1, 0
		// NB_1 − NB_0 = 10·(θ − ½) + ε at λ = 1.
		health[1][r] = 1
		cost[1][r] = -10*(theta-0.5) + noise*rng.NormFloat64()
	}
	return
}

func TestEVPIZeroWhenOneDominates(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 200
	nb := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	for r := 0; r < n; r++ {
		base := rng.NormFloat64() * 100
		nb[0][r] = base
		nb[1][r] = base + 1 + rng.Float64() // always best
		nb[2][r] = base - rng.Float64()
	}
	res := Analyse(nb)
	if res.EVPI != 0 || res.MCSE != 0 {
		t.Errorf("EVPI %g ± %g with one variant best in every draw, want 0", res.EVPI, res.MCSE)
	}
	if res.Best != 1 || res.ProbBest[1] != 1 {
		t.Errorf("best %d with probability %g, want variant 1 with 1", res.Best, res.ProbBest[1])
	}
	// Through Compute, the metamodel EVPI and EVPPI are 0 too.
	health := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	draws := make([][]float64, n)
	for r := range draws {
		draws[r] = []float64{rng.Float64()}
	}
	out, err := Compute(Input{Variants: []string{"a", "b", "c"}, Health: health,
		Costs:        map[string][][]float64{"payer": {neg(nb[0]), neg(nb[1]), neg(nb[2])}},
		Perspectives: []string{"payer"}, Params: []string{"x"}, Draws: draws,
		Groups: []Group{{"x", []string{"x"}}}}, []float64{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range out.EVPI {
		if e.Raw != 0 || e.Metamodel != 0 {
			t.Errorf("λ %g: EVPI raw %g, metamodel %g, want 0", e.Lambda, e.Raw, e.Metamodel)
		}
	}
	for _, e := range out.EVPPI {
		if e.Value != 0 {
			t.Errorf("λ %g: EVPPI %g, want 0", e.Lambda, e.Value)
		}
	}
}

func neg(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = -x
	}
	return out
}

func TestNeverNegativeAndProbabilitiesSumToOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 50; trial++ {
		n, D := 5+rng.IntN(60), 2+rng.IntN(4)
		health := make([][]float64, D)
		cost := make([][]float64, D)
		for d := range health {
			health[d], cost[d] = make([]float64, n), make([]float64, n)
			for r := range health[d] {
				health[d][r] = rng.NormFloat64()
				cost[d][r] = rng.NormFloat64()
				if rng.IntN(5) == 0 { // ties
					health[d][r], cost[d][r] = 0, 0
				}
			}
		}
		for _, lam := range Grid(-2, 2, 9) {
			res := Analyse(NetBenefit(health, cost, lam))
			if res.EVPI < 0 || math.IsNaN(res.EVPI) {
				t.Fatalf("EVPI %g", res.EVPI)
			}
			s := 0.0
			for _, p := range res.ProbBest {
				s += p
			}
			if math.Abs(s-1) > 1e-12 {
				t.Fatalf("probabilities best sum to %g", s)
			}
		}
	}
}

func TestMetamodelEVPPI(t *testing.T) {
	health, cost, draws := synthetic(4000, 3)
	out, err := Compute(Input{Variants: []string{"base", "new"}, Health: health,
		Costs: map[string][][]float64{"payer": cost}, Perspectives: []string{"payer"},
		Params: []string{"theta", "psi"}, Draws: draws,
		Groups: []Group{{"theta", []string{"theta"}}, {"psi", []string{"psi"}}}}, []float64{1})
	if err != nil {
		t.Fatal(err)
	}
	// The true EVPI is 10·E[(θ − ½)⁺] = 1.25: the noise is not information.
	e := out.EVPI[0]
	if math.Abs(e.Metamodel-1.25) > 0.1 {
		t.Errorf("metamodel EVPI %g, want 1.25", e.Metamodel)
	}
	if e.Raw < e.Metamodel+0.2 {
		t.Errorf("raw EVPI %g not inflated by the noise above the metamodel's %g", e.Raw, e.Metamodel)
	}
	theta, psi := out.EVPPI[0].Value, out.EVPPI[1].Value
	if math.Abs(theta-e.Metamodel) > 0.05 {
		t.Errorf("EVPPI(θ) %g, want the metamodel EVPI %g", theta, e.Metamodel)
	}
	if psi > 0.05 {
		t.Errorf("EVPPI(ψ) %g for a parameter that does not enter net benefit, want ≈ 0", psi)
	}
}

func TestProjectorSmallSamples(t *testing.T) {
	x := [][]float64{{1, 2}, {2, 2}, {3, 2}, {4, 2}}
	p, err := NewProjector(x) // the constant column is dropped
	if err != nil || p.Basis != "linear" || p.Terms != 2 {
		t.Fatalf("projector %+v, %v", p, err)
	}
	if _, err := NewProjector([][]float64{{1, 2}, {2, 3}}); err == nil {
		t.Error("a metamodel on 2 replications and 2 parameters accepted")
	}
	fit := p.Fit([]float64{1, 2, 3, 4})
	for i, f := range fit {
		if math.Abs(f-float64(i+1)) > 1e-9 {
			t.Errorf("fit %v of a straight line", fit)
		}
	}
}
