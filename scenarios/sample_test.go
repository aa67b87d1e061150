package scenarios

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"ersim/dist"
)

// sampleAll draws n replications and returns the draws of each key by column.
func sampleAll(u *Uncertainty, seed uint64, n int) map[string][]float64 {
	keys := u.Keys()
	cols := map[string][]float64{}
	for rep := range n {
		for i, v := range u.Sample(seed, rep) {
			cols[keys[i]] = append(cols[keys[i]], v)
		}
	}
	return cols
}

func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

func ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	r := make([]float64, len(xs))
	for k, i := range idx {
		r[i] = float64(k)
	}
	return r
}

func spearman(x, y []float64) float64 {
	rx, ry := ranks(x), ranks(y)
	mx, sx := meanSD(rx)
	my, sy := meanSD(ry)
	c := 0.0
	for i := range rx {
		c += (rx[i] - mx) * (ry[i] - my)
	}
	return c / float64(len(rx)-1) / (sx * sy)
}

const psaReps = 20000

// Draws match their distributions' means and standard deviations, the rank correlations
// their specification, and Dirichlet shares sum to 1 with the right means.
func TestSampleMoments(t *testing.T) {
	u := parseUncertain(t, uncertainText).Base.Uncertainty
	cols := sampleAll(u, 20190101, psaReps)

	// The normal for loss aversion is truncated at 1 (α = −2 standard deviations).
	phi := func(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }
	alpha := -2.0
	z := 1 - dist.NormalCDF(alpha)
	lam := phi(alpha) / z
	tnMean, tnSD := 2+0.5*lam, 0.5*math.Sqrt(1+alpha*lam-lam*lam)
	tri := func(a, c, b float64) (float64, float64) {
		return (a + b + c) / 3, math.Sqrt((a*a + b*b + c*c - a*b - a*c - b*c) / 18)
	}
	triMean, triSD := tri(1, 3, 5)
	want := map[string][2]float64{
		"behaviour.quality.substitution":   {0.5, math.Sqrt(25.0 / (100 * 11))},
		"behaviour.admin.hours_per_claim":  {0.05, 0.02},
		"behaviour.admin.hourly_cost_sek":  {600, 100},
		"behaviour.quality.loss_aversion":  {tnMean, tnSD},
		"behaviour.choice.theta":           {triMean, triSD},
		"behaviour.volume.wait_elasticity": {0.5, 0.6 / math.Sqrt(12)},
		"cohorts.lov_gp.altruism.a":        {2, 1 / math.Sqrt(12)},
		"rules.lov.indicators[0].weight":   {0.02, 0.005},
		"population.need_groups[0].share":  {0.6, math.Sqrt(0.6 * 0.4 / 101)},
		"population.need_groups[1].share":  {0.4, math.Sqrt(0.6 * 0.4 / 101)},
	}
	for key, w := range want {
		mean, sd := meanSD(cols[key])
		if tol := 4 * w[1] / math.Sqrt(psaReps); math.Abs(mean-w[0]) > tol {
			t.Errorf("%s: mean %.6g, want %.6g ± %.2g", key, mean, w[0], tol)
		}
		if math.Abs(sd/w[1]-1) > 0.03 {
			t.Errorf("%s: sd %.6g, want %.6g ± 3 %%", key, sd, w[1])
		}
	}
	for _, x := range cols["behaviour.quality.loss_aversion"] {
		if x < 1 {
			t.Fatalf("truncated normal drew %g < 1", x)
		}
	}
	for i := range psaReps {
		if s := cols["population.need_groups[0].share"][i] + cols["population.need_groups[1].share"][i]; math.Abs(s-1) > 1e-12 {
			t.Fatalf("rep %d: Dirichlet shares sum to %.17g", i, s)
		}
	}
	pairs := []struct {
		a, b string
		rho  float64
	}{
		{"behaviour.admin.hours_per_claim", "behaviour.admin.hourly_cost_sek", 0.5},
		{"behaviour.admin.hours_per_claim", "behaviour.choice.theta", -0.3},
		{"behaviour.admin.hourly_cost_sek", "behaviour.choice.theta", 0.2},
		{"behaviour.admin.hours_per_claim", "behaviour.quality.substitution", 0},
		{"behaviour.choice.theta", "cohorts.lov_gp.altruism.a", 0},
	}
	for _, p := range pairs {
		if got := spearman(cols[p.a], cols[p.b]); math.Abs(got-p.rho) > 0.03 {
			t.Errorf("rank correlation of %s and %s: %.4f, want %.2f ± 0.03", p.a, p.b, got, p.rho)
		}
	}
}

// A correlation matrix that is only semi-definite (two keys perfectly correlated) is
// still imposed.
func TestSemidefiniteCorrelation(t *testing.T) {
	text := strings.Replace(uncertainText, "[[1, 0.5, -0.3], [0.5, 1, 0.2], [-0.3, 0.2, 1]]", "[[1, 1, 0.2], [1, 1, 0.2], [0.2, 0.2, 1]]", 1)
	u := parseUncertain(t, text).Base.Uncertainty
	cols := sampleAll(u, 5, 4000)
	if got := spearman(cols["behaviour.admin.hours_per_claim"], cols["behaviour.admin.hourly_cost_sek"]); got < 0.999 {
		t.Errorf("perfect rank correlation drawn as %.4f", got)
	}
	if got := spearman(cols["behaviour.admin.hours_per_claim"], cols["behaviour.choice.theta"]); math.Abs(got-0.2) > 0.05 {
		t.Errorf("rank correlation %.4f, want 0.2", got)
	}
}

// Draws depend only on (seed, replication): the same every time, in any goroutine,
// different across replications and seeds, and a key's draws do not change when an
// unrelated key is added or removed.
func TestSampleReproducible(t *testing.T) {
	u := parseUncertain(t, uncertainText).Base.Uncertainty
	a := u.Sample(42, 7)
	if b := u.Sample(42, 7); !slices.Equal(a, b) {
		t.Fatalf("same (seed, rep), different draws:\n%v\n%v", a, b)
	}
	for i, x := range u.Sample(42, 8) {
		if x == a[i] {
			t.Errorf("%s: same draw in replications 7 and 8", u.Keys()[i])
		}
	}
	for i, x := range u.Sample(43, 7) {
		if x == a[i] {
			t.Errorf("%s: same draw under seeds 42 and 43", u.Keys()[i])
		}
	}
	var wg sync.WaitGroup
	got := make([][]float64, 8)
	for w := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[w] = u.Sample(42, 7)
		}()
	}
	wg.Wait()
	for _, g := range got {
		if !slices.Equal(g, a) {
			t.Fatalf("concurrent draws differ")
		}
	}
	// Drop an independent key: the others keep their draws.
	fewer := strings.Replace(uncertainText, "[uncertainty.params.\"behaviour.volume.wait_elasticity\"]\ndist = \"uniform\"\nmin = 0.2\nmax = 0.8\n", "", 1)
	v := parseUncertain(t, fewer).Base.Uncertainty
	b := v.Sample(42, 7)
	for i, k := range v.Keys() {
		if j := slices.Index(u.Keys(), k); b[i] != a[j] {
			t.Errorf("%s drawn %g, was %g before an unrelated key was removed", k, b[i], a[j])
		}
	}
}
