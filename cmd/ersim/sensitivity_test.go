package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestSensitivity(t *testing.T) {
	tmp := t.TempDir()
	text, err := os.ReadFile("../../model/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	scen := string(text) + `
[uncertainty.params."behaviour.admin.hours_per_claim"]
dist = "uniform"
min = 0.02
max = 0.2
low = 0.02
high = 0.2
assumption = true

[uncertainty.params."rules.tariff.visit_fee.fee"]
dist = "fixed"
value = 839
`
	path := filepath.Join(tmp, "small.toml")
	os.WriteFile(path, []byte(scen), 0o644)
	dir := filepath.Join(tmp, "out")
	code, out, errOut := runCLI("sensitivity", path, "--reps", "3", "--workers", "2", "--format", "svg,png", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "5 runs") {
		t.Errorf("output does not say 2N+1 = 5 runs:\n%s", out)
	}
	fh, err := os.Open(filepath.Join(dir, "sensitivity.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rows, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	// 2 keys × 5 headline metrics × (2 levels + 1 difference).
	if len(rows)-1 != 2*5*3 {
		t.Errorf("%d rows, want 30", len(rows)-1)
	}
	val := func(r []string, c string) float64 {
		x, err := strconv.ParseFloat(r[col[c]], 64)
		if err != nil {
			t.Fatalf("%s = %q in %v", c, r[col[c]], r)
		}
		return x
	}
	checked := 0
	for _, r := range rows[1:] {
		key, metric, what := r[col["key"]], r[col["metric"]], r[col["what"]]
		switch {
		case key == "rules.tariff.visit_fee.fee":
			// Zero width at the file's value: exactly the base results.
			if r[col["mean_at_low"]] != r[col["base_mean"]] || r[col["mean_at_high"]] != r[col["base_mean"]] || val(r, "swing") != 0 {
				t.Errorf("zero-width parameter moves the result: %v", r)
			}
			checked++
		case metric == "admin_share" && what == "level":
			if !(val(r, "mean_at_high") > val(r, "base_mean") && val(r, "base_mean") > val(r, "mean_at_low")) {
				t.Errorf("more hours per claim should raise the administrative share: %v", r)
			}
			checked++
		}
	}
	if checked != 15+2 {
		t.Errorf("checked %d rows, want 17", checked)
	}
	for _, f := range []string{"tornado_admin_share.svg", "tornado_admin_share.png", "tornado_admin_share.csv",
		"tornado_payments_diff_detailed.svg", "tornado_payments_diff_detailed.csv"} {
		if _, err := os.Stat(filepath.Join(dir, "charts", f)); err != nil {
			t.Error(err)
		}
	}

	// Without [uncertainty]: exit 2, a clear message, nothing written.
	dir2 := filepath.Join(tmp, "none")
	code, _, errOut = runCLI("sensitivity", "../../model/testdata/small.toml", "--out", dir2)
	if code != 2 || !strings.Contains(errOut, "[uncertainty]") {
		t.Errorf("without [uncertainty]: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(dir2); err == nil {
		t.Error("without [uncertainty]: the output directory was created")
	}
	// Help asked for goes to standard output (issue 15).
	if code, out, _ := runCLI("sensitivity", "-h"); code != 0 || !strings.Contains(out, "Usage: ersim sensitivity") {
		t.Errorf("-h: exit %d, %q", code, out)
	}
	if code, _, _ := runCLI("sensitivity", path, "--lang", "fi"); code != 2 {
		t.Errorf("--lang fi: exit %d, want 2", code)
	}
}
