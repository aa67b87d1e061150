// Package decision computes the decision view of a probabilistic sensitivity analysis
// (ersim run --psa): net benefit at a value per health unit λ, the probability that each
// variant is best, the cost-effectiveness acceptability curve and frontier, the
// expected value of perfect information (EVPI) and the expected value of partial
// perfect information (EVPPI) for groups of parameters.
//
// Net benefit of variant d in replication r is NB(λ) = λ·health[d][r] − cost[d][r].
// EVPI = E[max_d NB_d] − max_d E[NB_d]. The raw estimate takes both expectations over
// the replications; because every replication also carries the model's stochastic
// outcome noise (not only the parameter draw), its E[max] is inflated by that noise.
// The metamodel estimate (Strong, Oakley & Brennan 2014) first regresses each
// variant's net-benefit difference from the baseline on the parameter draws and takes
// E[max] over the fitted values, which keeps the part of the variation due to the
// parameters and averages the noise away. EVPPI for a group of parameters is the same
// computation with the regression on that group's draws only.
package decision

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Grid returns steps values of λ evenly spaced from lo to hi (both included).
func Grid(lo, hi float64, steps int) []float64 {
	if steps < 1 {
		return nil
	}
	if steps == 1 {
		return []float64{lo}
	}
	out := make([]float64, steps)
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/float64(steps-1)
	}
	out[steps-1] = hi
	return out
}

// NetBenefit returns NB[d][r] = λ·health[d][r] − cost[d][r].
func NetBenefit(health, cost [][]float64, lambda float64) [][]float64 {
	nb := make([][]float64, len(health))
	for d := range health {
		nb[d] = make([]float64, len(health[d]))
		for r := range health[d] {
			nb[d][r] = lambda*health[d][r] - cost[d][r]
		}
	}
	return nb
}

// Result is the decision analysis of one net-benefit matrix (one λ, one perspective).
type Result struct {
	Mean     []float64 // expected net benefit per variant
	ProbBest []float64 // probability that the variant has the highest net benefit; ties share
	Best     int       // the variant with the highest expected net benefit (on the frontier)
	EVPI     float64   // raw EVPI, clamped at 0
	MCSE     float64   // its Monte Carlo standard error
}

// Analyse computes expected net benefits, probabilities best and the raw EVPI of
// nb[variant][replication]. The EVPI is the mean opportunity loss of choosing the
// variant best on average, L_r = max_d NB_dr − NB_d*r, and its MCSE is sd(L)/√n (the
// choice d* treated as fixed). With one variant best in every replication every L_r is
// 0, and so are EVPI and MCSE.
func Analyse(nb [][]float64) Result {
	D := len(nb)
	res := Result{Mean: make([]float64, D), ProbBest: make([]float64, D)}
	if D == 0 || len(nb[0]) == 0 {
		return res
	}
	n := len(nb[0])
	for d := range nb {
		res.Mean[d] = mean(nb[d])
	}
	res.Best = argmax(res.Mean)
	loss := make([]float64, n)
	ties := make([]int, 0, D)
	for r := 0; r < n; r++ {
		m := math.Inf(-1)
		ties = ties[:0]
		for d := 0; d < D; d++ {
			switch x := nb[d][r]; {
			case x > m:
				m = x
				ties = append(ties[:0], d)
			case x == m:
				ties = append(ties, d)
			}
		}
		for _, d := range ties {
			res.ProbBest[d] += 1 / float64(len(ties))
		}
		loss[r] = m - nb[res.Best][r]
	}
	for d := range res.ProbBest {
		res.ProbBest[d] /= float64(n)
	}
	res.EVPI = math.Max(0, mean(loss))
	if n > 1 {
		res.MCSE = sd(loss) / math.Sqrt(float64(n))
	}
	return res
}

// Projector is the least-squares smoother of a regression metamodel: it maps a
// vector of n responses to its fitted values on a polynomial basis of a group of
// parameter draws.
type Projector struct {
	u     *mat.Dense // orthonormal basis of the design's column space (n × rank)
	n     int
	Terms int    // columns of the design, intercept included
	Basis string // "cubic", "quadratic", "additive quadratic", "linear" or "constant"
}

// NewProjector builds the metamodel smoother for x[replication][parameter]. Each
// parameter is standardised; the basis is the richest of: a full quadratic (squares and
// pairwise interactions) plus cubes, a full quadratic, squares without interactions,
// or linear terms, that has at most n/10 columns (linear terms are used whatever n,
// as long as there are more replications than columns). Parameters that do not vary
// are dropped. Least squares by a thin SVD with rank truncation, so collinear draws
// (Dirichlet shares summing to 1) do no harm.
func NewProjector(x [][]float64) (*Projector, error) {
	n := len(x)
	if n == 0 {
		return nil, fmt.Errorf("decision: no replications")
	}
	k := len(x[0])
	// Standardised columns of the parameters that vary.
	var cols [][]float64
	for j := 0; j < k; j++ {
		c := make([]float64, n)
		for r := range x {
			c[r] = x[r][j]
		}
		m, s := mean(c), sd(c)
		if !(s > 0) || math.IsNaN(s) {
			continue
		}
		for r := range c {
			c[r] = (c[r] - m) / s
		}
		cols = append(cols, c)
	}
	k = len(cols)
	terms := func(kind int) int { // 0 cubic, 1 quadratic, 2 additive quadratic, 3 linear
		switch kind {
		case 0:
			return 1 + 3*k + k*(k-1)/2
		case 1:
			return 1 + 2*k + k*(k-1)/2
		case 2:
			return 1 + 2*k
		}
		return 1 + k
	}
	names := []string{"cubic", "quadratic", "additive quadratic", "linear"}
	kind := 3
	for c := 0; c < 3; c++ {
		if k > 0 && 10*terms(c) <= n {
			kind = c
			break
		}
	}
	p := terms(kind)
	name := names[kind]
	if k == 0 {
		name = "constant"
	}
	if p >= n {
		return nil, fmt.Errorf("decision: %d replications are too few for a metamodel on %d parameters (need more than %d)", n, k, p)
	}
	X := mat.NewDense(n, p, nil)
	for r := 0; r < n; r++ {
		col := 0
		set := func(v float64) { X.Set(r, col, v); col++ }
		set(1)
		for j := 0; j < k; j++ {
			set(cols[j][r])
		}
		if kind <= 2 {
			for j := 0; j < k; j++ {
				set(cols[j][r] * cols[j][r])
			}
		}
		if kind <= 1 {
			for a := 0; a < k; a++ {
				for b := a + 1; b < k; b++ {
					set(cols[a][r] * cols[b][r])
				}
			}
		}
		if kind == 0 {
			for j := 0; j < k; j++ {
				set(cols[j][r] * cols[j][r] * cols[j][r])
			}
		}
	}
	var svd mat.SVD
	if !svd.Factorize(X, mat.SVDThin) {
		return nil, fmt.Errorf("decision: the metamodel's least-squares fit failed")
	}
	rank := svd.Rank(1e-10)
	var u mat.Dense
	svd.UTo(&u)
	ur := mat.DenseCopyOf(u.Slice(0, n, 0, rank))
	return &Projector{u: ur, n: n, Terms: p, Basis: name}, nil
}

// Fit returns the fitted values of y (length n).
func (p *Projector) Fit(y []float64) []float64 {
	yv := mat.NewVecDense(p.n, append([]float64(nil), y...))
	var coef, fit mat.VecDense
	coef.MulVec(p.u.T(), yv)
	fit.MulVec(p.u, &coef)
	out := make([]float64, p.n)
	for i := range out {
		out[i] = fit.AtVec(i)
	}
	return out
}

// Fitted holds, for one group of parameters, the fitted health and cost differences of
// every variant from the baseline (variant 0), so that the fitted net-benefit
// difference at any λ is λ·Health[d] − Cost[d]: the smoother is linear.
type Fitted struct {
	Health, Cost [][]float64 // [variant][replication]; variant 0 is all zeros
}

// FitGroup fits the differences from the baseline of health and cost on the projector.
func FitGroup(p *Projector, health, cost [][]float64) *Fitted {
	f := &Fitted{Health: make([][]float64, len(health)), Cost: make([][]float64, len(cost))}
	for d := range health {
		if d == 0 {
			f.Health[0] = make([]float64, len(health[0]))
			f.Cost[0] = make([]float64, len(cost[0]))
			continue
		}
		dh := make([]float64, len(health[d]))
		dc := make([]float64, len(cost[d]))
		for r := range dh {
			dh[r] = health[d][r] - health[0][r]
			dc[r] = cost[d][r] - cost[0][r]
		}
		f.Health[d], f.Cost[d] = p.Fit(dh), p.Fit(dc)
	}
	return f
}

// Value returns E[max_d fitted NB_d] − max_d E[fitted NB_d] at λ, clamped at 0, and the
// MCSE of the mean opportunity loss on the fitted values (the fit treated as known).
// This is the EVPPI of the group the fit is on, or the metamodel EVPI when the group
// is every parameter.
func (f *Fitted) Value(lambda float64) (value, mcse float64) {
	D := len(f.Health)
	if D == 0 || len(f.Health[0]) == 0 {
		return 0, 0
	}
	nb := make([][]float64, D)
	for d := range nb {
		nb[d] = make([]float64, len(f.Health[d]))
		for r := range nb[d] {
			nb[d][r] = lambda*f.Health[d][r] - f.Cost[d][r]
		}
	}
	res := Analyse(nb)
	return res.EVPI, res.MCSE
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func sd(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := mean(xs)
	s := 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)-1))
}

func argmax(xs []float64) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// Group is a named group of uncertain parameters for EVPPI.
type Group struct {
	Name string
	Keys []string
}

// Input is what the decision view is computed from.
type Input struct {
	Variants     []string               // baseline first
	Health       [][]float64            // [variant][replication] health units
	Costs        map[string][][]float64 // perspective → [variant][replication] cost in SEK
	Perspectives []string               // order of the perspectives in the output
	Params       []string               // uncertain parameters' keys
	Draws        [][]float64            // [replication][parameter]
	Groups       []Group                // EVPPI groups
}

// Row is one variant's line of decision.csv.
type Row struct {
	Lambda      float64
	Perspective string
	Variant     string
	ExpectedNB  float64
	ProbBest    float64
	OnFrontier  bool // the variant with the highest expected net benefit at λ
}

// EVPIRow is one line of evpi.csv.
type EVPIRow struct {
	Lambda                 float64
	Perspective            string
	Raw, RawMCSE           float64
	Metamodel, MetaMCSE    float64
	OneBestInEveryDraw     bool
	MetamodelBasis         string
	MetamodelTerms, Sample int
}

// EVPPIRow is one line of evppi.csv.
type EVPPIRow struct {
	Lambda      float64
	Perspective string
	Group       Group
	Value       float64
	Basis       string
}

// Output is the whole decision view.
type Output struct {
	Rows  []Row
	EVPI  []EVPIRow
	EVPPI []EVPPIRow
}

// Compute evaluates the decision view at every λ. When one variant is best in every
// replication the raw EVPI is exactly 0, and the metamodel EVPI and every EVPPI are set
// to 0 too: no information can change a decision that no draw changes.
func Compute(in Input, lambdas []float64) (*Output, error) {
	if len(in.Variants) == 0 || len(in.Health) != len(in.Variants) {
		return nil, fmt.Errorf("decision: no variants")
	}
	n := len(in.Draws)
	for d := range in.Health {
		if len(in.Health[d]) != n {
			return nil, fmt.Errorf("decision: variant %s has %d replications, the draws %d", in.Variants[d], len(in.Health[d]), n)
		}
	}
	index := map[string]int{}
	for j, k := range in.Params {
		index[k] = j
	}
	sub := func(keys []string) ([][]float64, error) {
		x := make([][]float64, n)
		for r := range x {
			x[r] = make([]float64, len(keys))
		}
		for i, k := range keys {
			j, ok := index[k]
			if !ok {
				return nil, fmt.Errorf("decision: unknown parameter %q", k)
			}
			for r := range x {
				x[r][i] = in.Draws[r][j]
			}
		}
		return x, nil
	}
	all, err := sub(in.Params)
	if err != nil {
		return nil, err
	}
	pAll, err := NewProjector(all)
	if err != nil {
		return nil, err
	}
	projs := make([]*Projector, len(in.Groups))
	for g, gr := range in.Groups {
		x, err := sub(gr.Keys)
		if err != nil {
			return nil, fmt.Errorf("decision: group %s: %w", gr.Name, err)
		}
		if projs[g], err = NewProjector(x); err != nil {
			return nil, fmt.Errorf("decision: group %s: %w", gr.Name, err)
		}
	}
	out := &Output{}
	for _, per := range in.Perspectives {
		cost, ok := in.Costs[per]
		if !ok {
			return nil, fmt.Errorf("decision: no costs for perspective %q", per)
		}
		fAll := FitGroup(pAll, in.Health, cost)
		fg := make([]*Fitted, len(projs))
		for g, p := range projs {
			fg[g] = FitGroup(p, in.Health, cost)
		}
		for _, lam := range lambdas {
			res := Analyse(NetBenefit(in.Health, cost, lam))
			for d, v := range in.Variants {
				out.Rows = append(out.Rows, Row{Lambda: lam, Perspective: per, Variant: v,
					ExpectedNB: res.Mean[d], ProbBest: res.ProbBest[d], OnFrontier: d == res.Best})
			}
			oneBest := res.EVPI == 0
			e := EVPIRow{Lambda: lam, Perspective: per, Raw: res.EVPI, RawMCSE: res.MCSE, OneBestInEveryDraw: oneBest,
				MetamodelBasis: pAll.Basis, MetamodelTerms: pAll.Terms, Sample: n}
			if !oneBest {
				e.Metamodel, e.MetaMCSE = fAll.Value(lam)
			}
			out.EVPI = append(out.EVPI, e)
			for g, f := range fg {
				v := 0.0
				if !oneBest {
					v, _ = f.Value(lam)
				}
				out.EVPPI = append(out.EVPPI, EVPPIRow{Lambda: lam, Perspective: per, Group: in.Groups[g], Value: v, Basis: projs[g].Basis})
			}
		}
	}
	return out, nil
}
