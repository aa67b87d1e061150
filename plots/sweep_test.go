package plots

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestDrawSweep(t *testing.T) {
	dir := t.TempDir()
	xs := []float64{0, 100, 200}
	line := SweepLine{Metric: "visits_per_1000", Key: "rules.lov.visit_fee.fee", X: xs,
		Mean: [][]float64{{2000, 2200, 2400}, {2100, 2100, math.NaN()}},
		P05:  [][]float64{{1900, 2100, 2300}, {2000, 2000, math.NaN()}},
		P95:  [][]float64{{2100, 2300, 2500}, {2200, 2200, math.NaN()}}}
	scatter := line
	scatter.Scatter = true
	grid := SweepGrid{Metric: "admin_share", Keys: [2]string{"behaviour.admin.hours_per_claim", "rules.lov.capitation.per_person_year"},
		X: []float64{0.02, 0.1}, Y: []float64{1000, 2000, 3000}, Variant: "detailed", Baseline: "today",
		Z: [][]float64{{-0.01, 0, 0.01}, {0.02, math.NaN(), 0.03}}}
	for _, lang := range []string{"en", "sv"} {
		charts, err := DrawSweep([]SweepLine{line, scatter}, []SweepGrid{grid}, []string{"today", "detailed"}, 3,
			filepath.Join(dir, lang), Options{Lang: lang, Formats: []string{"svg", "png"}})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"sweep_visits_per_1000": 6, "lhs_visits_per_1000": 6, "heatmap_admin_share_diff_detailed": 6}
		if len(charts) != len(want) {
			t.Fatalf("%d charts, want %d", len(charts), len(want))
		}
		for _, c := range charts {
			n, ok := want[c.ID]
			if !ok {
				t.Errorf("unexpected chart %s", c.ID)
				continue
			}
			fh, err := os.Open(filepath.Join(dir, lang, c.CSV))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(fh).ReadAll()
			fh.Close()
			if err != nil || len(rows)-1 != n {
				t.Errorf("%s: %d data rows (%v), want %d", c.CSV, len(rows)-1, err, n)
			}
			if c.ID == "heatmap_admin_share_diff_detailed" && rows[0][len(rows[0])-1] != "mean_diff_admin_share_pp" {
				t.Errorf("%s: last column %q, want mean_diff_admin_share_pp (a difference in a share is in percentage points)", c.CSV, rows[0][len(rows[0])-1])
			}
			if len(c.Files) != 2 || c.Title == "" || c.Caption == "" {
				t.Errorf("%s: files %v, title %q", c.ID, c.Files, c.Title)
			}
		}
	}
	if _, err := DrawSweep(nil, nil, []string{"a"}, 1, dir, Options{Lang: "fi"}); err == nil {
		t.Error("language fi accepted")
	}
}

func TestRamp(t *testing.T) {
	if ramp(divStops, 0) != divStops[0] || ramp(divStops, 1) != divStops[len(divStops)-1] || ramp(divStops, 0.5) != divStops[2] {
		t.Error("the diverging scale does not run from its first stop through white to its last")
	}
	if ramp(seqStops, -1) != seqStops[0] || ramp(seqStops, 2) != seqStops[len(seqStops)-1] {
		t.Error("values outside the scale are not clamped")
	}
}
