package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func readCSV(t *testing.T, path string) (rows [][]string, col map[string]int) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rows, err = csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col = map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	return rows[1:], col
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return x
}

const small = "../../model/testdata/small.toml"

// A higher visit fee buys more visits: the sweep is monotone.
func TestSweepLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errOut := runCLI("sweep", small, "--set", "rules.lov.visit_fee.fee=0:600:4", "--reps", "2", "--workers", "2", "--format", "svg,png", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	rows, col := readCSV(t, filepath.Join(dir, "sweep.csv"))
	if len(rows) != 4*2*5 {
		t.Errorf("%d rows, want 4 points × 2 variants × 5 metrics", len(rows))
	}
	var visits, fees []float64
	for _, r := range rows {
		if r[col["variant"]] == "today" && r[col["metric"]] == "visits_per_1000" {
			fees = append(fees, num(t, r[col["rules.lov.visit_fee.fee"]]))
			visits = append(visits, num(t, r[col["mean"]]))
			if !(num(t, r[col["p05"]]) <= num(t, r[col["mean"]]) && num(t, r[col["mean"]]) <= num(t, r[col["p95"]])) {
				t.Errorf("mean outside its 90 %% band: %v", r)
			}
		}
		if r[col["variant"]] == "detailed" && r[col["diff_ci_low"]] == "" {
			t.Errorf("no confidence interval for the difference: %v", r)
		}
	}
	if len(visits) != 4 || fees[0] != 0 || fees[3] != 600 {
		t.Fatalf("fees %v, visits %v", fees, visits)
	}
	for i := 1; i < len(visits); i++ {
		if !(visits[i] > visits[i-1]) {
			t.Errorf("visits do not rise with the visit fee: %v at fees %v", visits, fees)
		}
	}
	for _, f := range []string{"sweep_visits_per_1000.svg", "sweep_visits_per_1000.png", "sweep_visits_per_1000.csv", "sweep_admin_share.svg"} {
		if _, err := os.Stat(filepath.Join(dir, "charts", f)); err != nil {
			t.Error(err)
		}
	}
	chart, _ := readCSV(t, filepath.Join(dir, "charts", "sweep_visits_per_1000.csv"))
	if len(chart) != 4*2 {
		t.Errorf("chart CSV: %d rows, want 8", len(chart))
	}
}

func TestSweepGrid(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errOut := runCLI("sweep", small, "--set", "behaviour.admin.hours_per_claim=0.02:0.2:3",
		"--set", "rules.lov.capitation.per_person_year=1000:3000:2", "--reps", "1", "--workers", "2", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	rows, col := readCSV(t, filepath.Join(dir, "sweep.csv"))
	cells := map[string]map[string]bool{}
	for _, r := range rows {
		v := r[col["variant"]]
		if cells[v] == nil {
			cells[v] = map[string]bool{}
		}
		cells[v][r[col["behaviour.admin.hours_per_claim"]]+"|"+r[col["rules.lov.capitation.per_person_year"]]] = true
	}
	for _, v := range []string{"today", "detailed"} {
		if len(cells[v]) != 3*2 {
			t.Errorf("%s: %d cells, want 6", v, len(cells[v]))
		}
	}
	for _, id := range []string{"heatmap_admin_share_today", "heatmap_admin_share_detailed", "heatmap_admin_share_diff_detailed"} {
		chart, _ := readCSV(t, filepath.Join(dir, "charts", id+".csv"))
		if len(chart) != 6 {
			t.Errorf("%s.csv: %d rows, want 6", id, len(chart))
		}
		if _, err := os.Stat(filepath.Join(dir, "charts", id+".svg")); err != nil {
			t.Error(err)
		}
	}
}

func TestSweepLHS(t *testing.T) {
	tmp := t.TempDir()
	const n = 5
	args := func(dir string) []string {
		return []string{"sweep", small, "--set", "behaviour.admin.hours_per_claim=0.02:0.2",
			"--set", "rules.lov.capitation.per_person_year=1000:3000", "--lhs", strconv.Itoa(n),
			"--reps", "1", "--workers", "2", "--no-charts", "--out", dir}
	}
	var first []byte
	for i, d := range []string{"a", "b"} {
		dir := filepath.Join(tmp, d)
		if code, out, errOut := runCLI(args(dir)...); code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		b, err := os.ReadFile(filepath.Join(dir, "sweep.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if string(b) != string(first) {
			t.Error("the sample does not reproduce from the seed")
		}
	}
	rows, col := readCSV(t, filepath.Join(tmp, "a", "sweep.csv"))
	ranges := map[string][2]float64{"behaviour.admin.hours_per_claim": {0.02, 0.2}, "rules.lov.capitation.per_person_year": {1000, 3000}}
	for key, rg := range ranges {
		strata := make([]int, n)
		seen := map[string]bool{}
		for _, r := range rows {
			if seen[r[col["point"]]] {
				continue
			}
			seen[r[col["point"]]] = true
			x := num(t, r[col[key]])
			k := int((x - rg[0]) / (rg[1] - rg[0]) * n)
			if k < 0 || k >= n {
				t.Fatalf("%s = %g outside its range", key, x)
			}
			strata[k]++
		}
		for k, c := range strata {
			if c != 1 {
				t.Errorf("%s: stratum %d holds %d points, want 1 (%v)", key, k, c, strata)
			}
		}
	}
}

func TestSweepBadInput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bad")
	for _, c := range []struct{ set, want string }{
		{"behaviour.admin.hours_per_clam=0:1:3", "hours_per_claim?"},
		{"cohorts.vc.count=1:5:3", "integer"},
		{"behaviour.admin.hours_per_claim=0.2:0.1:3", "below HIGH"},
		{"behaviour.admin.hours_per_claim=0.1:0.2:1", ">= 2"},
		{"behaviour.admin.hours_per_claim=-1:0.2:3", ">= 0"},
		{"behaviour.admin.hours_per_claim=0.1:0.2:x", ">= 2"},
		{"behaviour.admin.hours_per_claim=0.1-0.2", "KEY=LOW:HIGH:STEPS"},
		{"=0:1:3", "KEY=LOW:HIGH:STEPS"},
	} {
		code, _, errOut := runCLI("sweep", small, "--set", c.set, "--out", dir)
		key, _, _ := strings.Cut(c.set, "=")
		if code != 2 || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, key) {
			t.Errorf("--set %s: exit %d, %q; want 2 and a message naming the key and %q", c.set, code, errOut, c.want)
		}
	}
	// The high end is checked too.
	if code, _, errOut := runCLI("sweep", small, "--set", "cohorts.vc.altruism.a=1:-1:3", "--out", dir); code != 2 {
		t.Errorf("LOW > HIGH: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI("sweep", small, "--set", "behaviour.quality.substitution=0:5:3", "--out", dir); code != 2 || !strings.Contains(errOut, "substitution") {
		t.Errorf("out-of-range high end: exit %d, %q", code, errOut)
	}
	if code, _, _ := runCLI("sweep", small, "--out", dir); code != 2 {
		t.Errorf("no --set: exit %d, want 2", code)
	}
	if code, _, errOut := runCLI("sweep", small, "--set", "a=0:1:3", "--set", "b=0:1:3", "--set", "c=0:1:3", "--out", dir); code != 2 || !strings.Contains(errOut, "--lhs") {
		t.Errorf("three --set without --lhs: exit %d, %q", code, errOut)
	}
	if code, _, _ := runCLI("sweep", small, "--set", "behaviour.admin.hours_per_claim=0.1:0.2:3", "--metric", "nonsense", "--out", dir); code != 2 {
		t.Errorf("--metric nonsense: exit %d, want 2", code)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("bad input: the output directory was created")
	}
	// Help asked for goes to standard output (issue 15).
	if code, out, _ := runCLI("sweep", "-h"); code != 0 || !strings.Contains(out, "Usage: ersim sweep") {
		t.Errorf("-h: exit %d, %q", code, out)
	}
}

// A budget-neutral variant stays budget neutral at every point: its calibration is
// redone there. The detailed variant sets the LOV visit fee itself, so only the
// baseline's payments move with the swept fee; the detailed variant's must follow.
func TestSweepBudgetNeutral(t *testing.T) {
	tmp := t.TempDir()
	text, err := os.ReadFile(small)
	if err != nil {
		t.Fatal(err)
	}
	scen := strings.Replace(string(text), `description = "visit-heavy, more indicators"`,
		"description = \"visit-heavy, more indicators\"\nbudget_neutral = true", 1)
	path := filepath.Join(tmp, "bn.toml")
	os.WriteFile(path, []byte(scen), 0o644)
	dir := filepath.Join(tmp, "out")
	code, out, errOut := runCLI("sweep", path, "--set", "rules.lov.visit_fee.fee=0:600:2", "--reps", "2", "--workers", "2", "--no-charts", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "recalibrated at every point") {
		t.Errorf("the output does not say that budget neutrality is recalibrated:\n%s", out)
	}
	rows, col := readCSV(t, filepath.Join(dir, "sweep.csv"))
	var base []float64
	for _, r := range rows {
		if r[col["metric"]] != "payments" {
			continue
		}
		switch r[col["variant"]] {
		case "today":
			base = append(base, num(t, r[col["mean"]]))
		case "detailed":
			if d, b := num(t, r[col["diff_mean"]]), base[len(base)-1]; math.Abs(d) > 0.02*b {
				t.Errorf("at fee %s the budget-neutral variant pays %.4g more than the baseline's %.4g", r[col["rules.lov.visit_fee.fee"]], d, b)
			}
		}
	}
	if len(base) != 2 || base[1] < 1.2*base[0] {
		t.Errorf("the baseline's payments %v should rise clearly with the visit fee", base)
	}
}
