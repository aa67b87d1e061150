package decision

import (
	"math"
	"testing"
)

// A hand-computed case (Drummond et al.'s textbook pattern): A is the baseline
// (cost 0, health 0), B costs 100 for 1, C 300 for 1.5, D 250 for 0.9 (dearer and less
// effective than B: strongly dominated), E 150 for 1.05 (its ICER against B, 50/0.05 =
// 1 000, exceeds C's against it, 150/0.45 = 333: extendedly dominated). The frontier is
// A, B, C with incremental ICERs 100 and 400 (C against B: 200/0.5).
func TestCostEffectivenessHandCase(t *testing.T) {
	names := []string{"A", "B", "C", "D", "E"}
	means := [][2]float64{{0, 0}, {100, 1}, {300, 1.5}, {250, 0.9}, {150, 1.05}}
	// Two replications per variant, symmetric around the mean, with the same noise for
	// every variant (paired), so the differences have no spread.
	cost, health := make([][]float64, 5), make([][]float64, 5)
	for d, m := range means {
		cost[d] = []float64{m[0] - 10, m[0] + 10}
		health[d] = []float64{m[1] - 0.1, m[1] + 0.1}
	}
	rows := CostEffectiveness("payer", names, cost, health, 200)
	want := map[string]struct {
		status     string
		inc        float64
		comparator string
		vsBase     string
		icer, nmb  float64
	}{
		"A": {OnFrontier, math.NaN(), "", Baseline, math.NaN(), 0},
		"B": {OnFrontier, 100, "A", ICERMoreHealth, 100, 200*1 - 100},
		"C": {OnFrontier, 400, "B", ICERMoreHealth, 200, 200*1.5 - 300},
		"D": {StronglyDominated, math.NaN(), "", ICERMoreHealth, 250 / 0.9, 200*0.9 - 250},
		"E": {ExtendedlyDominate, math.NaN(), "", ICERMoreHealth, 150 / 1.05, 200*1.05 - 150},
	}
	same := func(a, b float64) bool { return math.IsNaN(a) && math.IsNaN(b) || math.Abs(a-b) < 1e-9 }
	for _, r := range rows {
		w := want[r.Variant]
		if r.Status != w.status || !same(r.IncICER, w.inc) || r.Comparator != w.comparator || r.VsBaseline != w.vsBase ||
			!same(r.ICER, w.icer) || !same(r.NMB, w.nmb) {
			t.Errorf("%s: status %q, incremental ICER %v against %q, %q, ICER %v, NMB %v; want %+v", r.Variant, r.Status, r.IncICER, r.Comparator, r.VsBaseline, r.ICER, r.NMB, w)
		}
		if r.NMBLo != r.NMB || r.NMBHi != r.NMB {
			t.Errorf("%s: paired differences without spread have an NMB interval [%v, %v], want the point %v", r.Variant, r.NMBLo, r.NMBHi, r.NMB)
		}
	}
}

// Dominance against the baseline: cheaper and better dominates; dearer and worse is
// dominated; a saving with less health has an ICER (SEK saved per health unit lost).
func TestCostEffectivenessVsBaseline(t *testing.T) {
	cost := [][]float64{{100, 100}, {90, 90}, {110, 110}, {50, 50}}
	health := [][]float64{{1, 1}, {1.2, 1.2}, {0.8, 0.8}, {0.5, 0.5}}
	rows := CostEffectiveness("society", []string{"base", "better", "worse", "cheap"}, cost, health, 100)
	if rows[1].VsBaseline != Dominates || rows[2].VsBaseline != Dominated || rows[3].VsBaseline != ICERSavesMoney {
		t.Errorf("verdicts %q, %q, %q", rows[1].VsBaseline, rows[2].VsBaseline, rows[3].VsBaseline)
	}
	if math.Abs(rows[3].ICER-100) > 1e-9 {
		t.Errorf("ICER of the cheap variant %v, want 100 (50 saved for 0.5 lost)", rows[3].ICER)
	}
	if rows[2].Status != StronglyDominated || rows[1].Status != OnFrontier {
		t.Errorf("frontier: worse %q, better %q", rows[2].Status, rows[1].Status)
	}
}
