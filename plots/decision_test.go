package plots

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The decision charts name variants by the scenario's labels in the chart's language,
// the EVPPI bars name parameters in plain words, largest first, and a --group by its own
// name; the CSV keeps the key paths.
func TestDecisionChartsLabels(t *testing.T) {
	groups := []string{"behaviour.admin.hours_per_claim", "behaviour.quality.weight_measured", "admin", "cohorts.vc.altruism.a"}
	curves := func(p string, scale float64) DecisionCurves {
		return DecisionCurves{Perspective: p, Lambda: []float64{0, 5e5, 1e6},
			ProbBest: [][]float64{{0.5, 0.3, 0.2}, {0.5, 0.7, 0.8}}, Frontier: []int{0, 1, 1},
			EVPIRaw: []float64{0, 2e7, 3e7}, EVPIMeta: []float64{0, 1e7, 2e7},
			EVPPIGroups: groups, EVPPI: []float64{1e6 * scale, 5e7 * scale, 2e7 * scale, 0}, EVPPILambda: 5e5}
	}
	cs := []DecisionCurves{curves("payer", 1), curves("society", 0.9)}
	dir := t.TempDir()
	opt := Options{Lang: "sv", Formats: []string{"svg"}, Labels: map[string]string{"detailed": "detaljerad", "vc": "vårdcentraler"}}
	if _, err := DrawDecision(cs, []string{"today", "detailed"}, 100, 5e5, dir, opt); err != nil {
		t.Fatal(err)
	}
	ceac, _ := os.ReadFile(filepath.Join(dir, "decision_ceac_payer.svg"))
	if !strings.Contains(string(ceac), ">detaljerad<") || strings.Contains(string(ceac), ">detailed<") {
		t.Error("the acceptability curve's legend does not use the label detaljerad")
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "decision_evppi.svg"))
	// Each label's vertical position: the largest EVPPI at the top (smallest y).
	ys := map[string]float64{}
	for _, want := range []string{
		"Andel av kvaliteten som indikatorerna fångar", // 5e7
		"admin",                                // 2e7
		"Administrativa timmar per debitering", // 1e6
		"Altruism hos vårdcentraler (a)",       // 0
	} {
		m := regexp.MustCompile(`y="([-0-9.]+)"[^>]*>` + regexp.QuoteMeta(want) + `<`).FindSubmatch(svg)
		if m == nil {
			t.Fatalf("the EVPPI chart lacks the label %q", want)
		}
		ys[want], _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if !(ys["Andel av kvaliteten som indikatorerna fångar"] < ys["admin"] && ys["admin"] < ys["Administrativa timmar per debitering"] &&
		ys["Administrativa timmar per debitering"] < ys["Altruism hos vårdcentraler (a)"]) {
		t.Errorf("EVPPI bars not largest first: %v", ys)
	}
	// The axis ends at a tick: the largest EVPPI, 50 MSEK, padded by 5 % ends at 60.
	if !strings.Contains(string(svg), ">60<") || strings.Contains(string(svg), ">70<") {
		t.Error("the EVPPI axis does not end at its tick 60")
	}
	if strings.Contains(string(svg), ">behaviour.") {
		t.Error("the EVPPI chart shows a key path")
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "decision_evppi.csv"))
	if !strings.Contains(string(csv), "behaviour.quality.weight_measured") {
		t.Errorf("decision_evppi.csv lost the key paths:\n%s", csv)
	}
}
