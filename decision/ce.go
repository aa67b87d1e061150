package decision

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Cost-effectiveness (issue 15): every variant against the baseline, and incrementally
// along the efficient frontier, from paired replications of cost and health.

// Frontier statuses.
const (
	OnFrontier         = "frontier"
	StronglyDominated  = "dominated"
	ExtendedlyDominate = "extendedly dominated"
)

// CERow is one variant's cost-effectiveness for one perspective.
type CERow struct {
	Perspective, Variant string
	Cost, Health         float64 // means over replications (per year)
	// Against the baseline (variant 0), paired: mean and 95 % CI of the mean difference.
	DCost, DCostLo, DCostHi       float64
	DHealth, DHealthLo, DHealthHi float64
	// ICER against the baseline, Δcost/Δhealth; NaN where it is not meaningful (the
	// variant dominates or is dominated by the baseline, or Δhealth = 0): VsBaseline
	// says which.
	ICER       float64
	VsBaseline string
	// Net monetary benefit against the baseline at Lambda: λ·Δhealth − Δcost, with the
	// 95 % CI of its mean.
	Lambda, NMB, NMBLo, NMBHi float64
	// Along the frontier (all variants, the baseline included, ordered by cost): the
	// status, and for a frontier variant its incremental ICER against the previous
	// frontier variant (NaN for the cheapest).
	Status     string
	IncICER    float64
	Comparator string
}

// Against-the-baseline verdicts.
const (
	Baseline       = "baseline"
	Dominates      = "dominates"           // cheaper, more health
	Dominated      = "dominated"           // dearer, less health
	ICERMoreHealth = "more_health_at_cost" // the ICER is SEK per health unit gained
	ICERSavesMoney = "saves_less_health"   // the ICER is SEK saved per health unit lost
	SameHealth     = "same_health"
)

// CostEffectiveness computes the table for one perspective: cost[d][r] and
// health[d][r] per variant d (0 = the baseline) and replication r, paired across
// variants (common random numbers), at a value of health lambda (SEK per health unit).
func CostEffectiveness(perspective string, variants []string, cost, health [][]float64, lambda float64) []CERow {
	D := len(variants)
	rows := make([]CERow, D)
	for d := range variants {
		r := &rows[d]
		r.Perspective, r.Variant, r.Lambda = perspective, variants[d], lambda
		r.Cost, r.Health = mean(cost[d]), mean(health[d])
		dc, dh, nmb := diff(cost[d], cost[0]), diff(health[d], health[0]), make([]float64, len(cost[d]))
		for i := range nmb {
			nmb[i] = lambda*dh[i] - dc[i]
		}
		r.DCost, r.DCostLo, r.DCostHi = meanCI(dc)
		r.DHealth, r.DHealthLo, r.DHealthHi = meanCI(dh)
		r.NMB, r.NMBLo, r.NMBHi = meanCI(nmb)
		r.ICER, r.VsBaseline = math.NaN(), Baseline
		if d > 0 {
			r.ICER, r.VsBaseline = icer(r.DCost, r.DHealth)
		}
		r.IncICER = math.NaN()
	}
	frontier(rows)
	return rows
}

// icer classifies a difference in cost and health and gives the ICER where it means
// something: for more health at a cost, or less health for a saving.
func icer(dc, dh float64) (float64, string) {
	switch {
	case dh == 0:
		return math.NaN(), SameHealth
	case dh > 0 && dc <= 0:
		return math.NaN(), Dominates
	case dh < 0 && dc >= 0:
		return math.NaN(), Dominated
	case dh > 0:
		return dc / dh, ICERMoreHealth
	}
	return dc / dh, ICERSavesMoney
}

// frontier marks the strongly and extendedly dominated variants and gives each frontier
// variant its incremental ICER against the previous one (Drummond et al., Methods for the
// Economic Evaluation of Health Care Programmes, ch. 4).
func frontier(rows []CERow) {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	// By cost, and for equal cost the more effective first.
	sort.SliceStable(idx, func(a, b int) bool {
		ra, rb := rows[idx[a]], rows[idx[b]]
		if ra.Cost != rb.Cost {
			return ra.Cost < rb.Cost
		}
		return ra.Health > rb.Health
	})
	// Strong dominance: a variant no more effective than a cheaper (or as cheap) one.
	var keep []int
	best := math.Inf(-1)
	for _, i := range idx {
		if rows[i].Health <= best {
			rows[i].Status = StronglyDominated
			continue
		}
		best = rows[i].Health
		keep = append(keep, i)
	}
	// Extended dominance: remove a variant whose ICER against the previous exceeds the
	// next one's against it, until the ICERs rise along the frontier.
	for changed := true; changed; {
		changed = false
		for k := 1; k+1 < len(keep); k++ {
			a, b, c := rows[keep[k-1]], rows[keep[k]], rows[keep[k+1]]
			if (b.Cost-a.Cost)/(b.Health-a.Health) > (c.Cost-b.Cost)/(c.Health-b.Health) {
				rows[keep[k]].Status = ExtendedlyDominate
				keep = append(keep[:k], keep[k+1:]...)
				changed = true
				break
			}
		}
	}
	for k, i := range keep {
		rows[i].Status = OnFrontier
		if k > 0 {
			p := rows[keep[k-1]]
			rows[i].IncICER = (rows[i].Cost - p.Cost) / (rows[i].Health - p.Health)
			rows[i].Comparator = p.Variant
		}
	}
}

func diff(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// meanCI is the mean and the Student-t 95 % interval of the mean.
func meanCI(xs []float64) (m, lo, hi float64) {
	m = mean(xs)
	n := len(xs)
	if n < 2 {
		return m, m, m
	}
	half := tQuantile975(n-1) * sd(xs) / math.Sqrt(float64(n))
	return m, m - half, m + half
}

// tQuantile975 is the 97.5 % quantile of Student's t with df degrees of freedom, as
// the summary's intervals use.
func tQuantile975(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}
