package plots

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTornadoOrder(t *testing.T) {
	bars := []TornadoBar{
		{Key: "narrow", AtLow: 10, AtHigh: 11},        // 1
		{Key: "nan", AtLow: math.NaN(), AtHigh: 3},    // NaN: last
		{Key: "wide", AtLow: 20, AtHigh: 5},           // 15
		{Key: "zero", AtLow: 7, AtHigh: 7},            // 0
		{Key: "middle", AtLow: -2, AtHigh: 2},         // 4
		{Key: "middle-tie", AtLow: 4, AtHigh: 0},      // 4, after "middle" (stable)
		{Key: "same-side", AtLow: 100, AtHigh: 100.5}, // 0.5
	}
	var got []string
	for _, i := range TornadoOrder(bars) {
		got = append(got, bars[i].Key)
	}
	want := []string{"wide", "middle", "middle-tie", "narrow", "same-side", "zero", "nan"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestDrawTornadoes(t *testing.T) {
	dir := t.TempDir()
	ts := []Tornado{
		{Metric: "admin_share", Variant: "today", Base: 0.05, Bars: []TornadoBar{
			{Key: "behaviour.admin.hours_per_claim", Low: 0.02, High: 0.09, AtLow: 0.04, AtHigh: 0.07},
			{Key: "behaviour.motivation.kappa", Low: 0, High: 0.3, AtLow: 0.05, AtHigh: 0.05},
			{Key: "cohorts.vc.altruism.a", Low: 1, High: 3, AtLow: 0.049, AtHigh: 0.052},
		}},
		{Metric: "payments", Variant: "detailed", Baseline: "today", Base: 2e6, Bars: []TornadoBar{
			{Key: "rules.lov.visit_fee.fee", Low: 50, High: 200, AtLow: 1e6, AtHigh: 3e6},
		}},
	}
	for _, lang := range []string{"en", "sv"} {
		charts, err := DrawTornadoes(ts, []string{"today", "detailed"}, 20, dir, Options{Lang: lang, Formats: []string{"svg", "png"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(charts) != 2 || charts[0].ID != "tornado_admin_share" || charts[1].ID != "tornado_payments_diff_detailed" {
			t.Fatalf("charts %+v", charts)
		}
		for _, c := range charts {
			for _, f := range append(c.Files, c.CSV) {
				if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
					t.Errorf("%s: %v", f, err)
				}
			}
		}
		csv, _ := os.ReadFile(filepath.Join(dir, "tornado_admin_share.csv"))
		lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
		if len(lines) != 4 || !strings.Contains(lines[1], "hours_per_claim") || !strings.Contains(lines[3], "kappa") {
			t.Errorf("%s: rows not widest first:\n%s", lang, csv)
		}
	}
}

// A tornado of a difference in a share is in percentage points, and names the variants
// by their labels.
func TestTornadoShareDifferenceInPoints(t *testing.T) {
	dir := t.TempDir()
	ts := []Tornado{{Metric: "admin_share", Variant: "trust", Baseline: "control", Base: -0.028, Bars: []TornadoBar{
		{Key: "behaviour.admin.hours_per_claim", Low: 0.02, High: 0.09, AtLow: -0.027, AtHigh: -0.029},
	}}}
	for _, c := range []struct{ lang, unit, base, label string }{
		{"en", "(percentage points)", "base −2.8 pp", "“trust”"},
		{"sv", "(procentenheter)", "bas −2,8 procentenheter", "”tillit”"},
	} {
		opt := Options{Lang: c.lang, Formats: []string{"svg"}}
		if c.lang == "sv" {
			opt.Labels = map[string]string{"trust": "tillit", "control": "kontroll"}
		}
		charts, err := DrawTornadoes(ts, []string{"control", "trust"}, 10, dir, opt)
		if err != nil || len(charts) != 1 {
			t.Fatalf("%s: %v %v", c.lang, charts, err)
		}
		svg, _ := os.ReadFile(filepath.Join(dir, charts[0].Files[0]))
		s := strings.ReplaceAll(string(svg), "\u00a0", " ")
		for _, want := range []string{c.unit, c.base, c.label} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: the chart lacks %q", c.lang, want)
			}
		}
		if strings.Contains(s, "%<") {
			t.Errorf("%s: a tick label in per cent on a difference in a share", c.lang)
		}
		// The table says what the chart says: percentage points.
		data, _ := os.ReadFile(filepath.Join(dir, charts[0].CSV))
		if head, _, _ := strings.Cut(string(data), "\n"); !strings.Contains(head, "diff_admin_share_pp_base") || strings.Contains(head, "_pct") {
			t.Errorf("%s: CSV header %q, want columns in percentage points (_pp)", c.lang, head)
		}
	}
}
