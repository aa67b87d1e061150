package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ersim decision on a --psa run writes its tables and charts; a run without --psa and
// bad flags are usage errors.
func TestDecision(t *testing.T) {
	text, err := os.ReadFile("../../model/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	file := filepath.Join(tmp, "psa.toml")
	os.WriteFile(file, append(text, []byte(`
[uncertainty.params."behaviour.quality.substitution"]
dist = "beta"
a = 5
b = 5

[uncertainty.params."behaviour.admin.hours_per_claim"]
dist = "uniform"
min = 0.05
max = 0.5
`)...), 0o644)
	psa := filepath.Join(tmp, "psa")
	if code, _, errOut := runCLI("run", file, "--psa", "--reps", "30", "--no-charts", "--quiet", "--out", psa); code != 0 {
		t.Fatalf("run --psa: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI("decision", psa, "--format", "svg,png", "--lang", "sv",
		"--group", "both=behaviour.quality.substitution,behaviour.admin.hours_per_claim")
	if code != 0 {
		t.Fatalf("decision: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "EVPI") {
		t.Errorf("no EVPI in the summary:\n%s", out)
	}
	dir := filepath.Join(psa, "decision")
	for _, f := range []string{"decision.csv", "evpi.csv", "evppi.csv",
		"decision_ceac_payer.svg", "decision_ceac_payer.png", "decision_ceac_payer.csv",
		"decision_ceac_society.svg", "decision_ceac_society.csv", "decision_evpi.png", "decision_evpi.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	// 41 values × 2 perspectives × 2 variants; EVPI per value and perspective; EVPPI for
	// 2 parameters and 1 group.
	if n := len(read("decision.csv")); n != 1+41*2*2 {
		t.Errorf("decision.csv has %d lines", n)
	}
	if n := len(read("evpi.csv")); n != 1+41*2 {
		t.Errorf("evpi.csv has %d lines", n)
	}
	if n := len(read("evppi.csv")); n != 1+41*2*3 {
		t.Errorf("evppi.csv has %d lines", n)
	}
	for _, rec := range read("evpi.csv")[1:] {
		if strings.HasPrefix(rec[2], "-") || strings.HasPrefix(rec[4], "-") {
			t.Errorf("negative EVPI: %v", rec)
		}
	}

	// A run without --psa: exit 2 and the advice.
	plain := filepath.Join(tmp, "plain")
	if code, _, errOut := runCLI("run", file, "--reps", "3", "--no-charts", "--quiet", "--out", plain); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI("decision", plain); code != 2 || !strings.Contains(errOut, "run it with --psa first") {
		t.Errorf("decision on a run without --psa: exit %d, %q", code, errOut)
	}
	for _, args := range [][]string{
		{"decision", tmp},
		{"decision"},
		{"decision", psa, "--wtp", "5:1:3"},
		{"decision", psa, "--wtp", "x"},
		{"decision", psa, "--group", "g=no.such.key"},
		{"decision", psa, "--lang", "de"},
	} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
