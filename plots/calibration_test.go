package plots

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// DrawCalibration draws the fit, one marginal per parameter, each pair and the
// generations, each with its CSV, in both languages; the marginal CSV's densities
// integrate to 1.
func TestDrawCalibration(t *testing.T) {
	cal := Calibration{
		Params: []string{"behaviour.admin.hours_per_claim", "a", "b"}, Targets: []string{"admin", "visits"},
		Observed: []float64{0.05, 1.2}, SE: []float64{0.002, 0.03}, Reps: 4,
		Epsilon: []float64{math.Inf(1), 9, 4}, ESS: []float64{50, 45, 40},
	}
	for k := range 50 {
		x := float64(k) / 50
		cal.Prior = append(cal.Prior, []float64{x, 1 - x, x * x})
		cal.PriorSims = append(cal.PriorSims, []float64{0.03 + 0.04*x, 1 + 0.4*x})
		cal.Posterior = append(cal.Posterior, []float64{0.4 + 0.2*x, 0.5, x})
		cal.PostSims = append(cal.PostSims, []float64{0.049 + 0.002*x, 1.19 + 0.02*x})
		cal.Weights = append(cal.Weights, 1.0/50)
	}
	for _, lang := range []string{"en", "sv"} {
		dir := filepath.Join(t.TempDir(), lang)
		charts, err := DrawCalibration(cal, dir, Options{Lang: lang, Size: "report", Formats: []string{"svg"}})
		if err != nil {
			t.Fatal(err)
		}
		// fit, 3 marginals, 3 pairs, generations
		if len(charts) != 8 {
			t.Fatalf("%s: %d charts, want 8", lang, len(charts))
		}
		svg, _ := os.ReadFile(filepath.Join(dir, "calibration_fit.svg"))
		want := map[string]string{"en": "fit to each target", "sv": "anpassning till varje mål"}[lang]
		if !strings.Contains(string(svg), want) {
			t.Errorf("%s: the fit chart's title lacks %q", lang, want)
		}
	}
	dir := t.TempDir()
	if _, err := DrawCalibration(cal, dir, Options{Lang: "en", Size: "report", Formats: []string{"svg"}}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "calibration_marginal_1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
	var prior, post float64
	for _, l := range lines {
		var lo, hi, p, q float64
		f := strings.Split(l, ",")
		for i, dst := range []*float64{&lo, &hi, &p, &q} {
			*dst = parseF(f[i])
		}
		prior += p * (hi - lo)
		post += q * (hi - lo)
	}
	if math.Abs(prior-1) > 1e-6 || math.Abs(post-1) > 1e-6 {
		t.Errorf("densities integrate to %g (prior) and %g (posterior), want 1", prior, post)
	}
}

func parseF(s string) float64 {
	var x float64
	_, err := fmt.Sscan(s, &x)
	if err != nil {
		return math.NaN()
	}
	return x
}

// The pair charts show the most strongly correlated pairs of the posterior.
func TestStrongestPairs(t *testing.T) {
	var post [][]float64
	var w []float64
	for k := range 40 {
		x := float64(k)
		// 0 and 2 move together, 1 and 3 are unrelated wiggles.
		post = append(post, []float64{x, float64(k % 3), 5 - 2*x + 0.1*float64(k%2), float64((k * 7) % 5)})
		w = append(w, 1)
	}
	cal := &Calibration{Params: []string{"a", "b", "c", "d"}, Posterior: post, Weights: w}
	if got := strongestPairs(cal, 1); len(got) != 1 || got[0] != [2]int{0, 2} {
		t.Errorf("strongest pair %v, want [0 2]", got)
	}
	if got := strongestPairs(cal, 10); len(got) != 6 || got[0] != [2]int{0, 1} || got[5] != [2]int{2, 3} {
		t.Errorf("all pairs %v, want the 6 in order", got)
	}
}
