package model_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"ersim/scenarios"
)

var update = flag.Bool("update", false, "rewrite golden files")

func loadSmall(t *testing.T, edit func(string) string) *scenarios.File {
	t.Helper()
	text, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(text)
	if edit != nil {
		s = edit(s)
	}
	f, err := scenarios.Parse("small.toml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func summary(t *testing.T, f *scenarios.File, reps, workers int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := runFile(t, f, reps, workers).WriteSummary(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Results depend on the seed only, not on how replications are spread over workers.
func TestWorkersDoNotChangeResults(t *testing.T) {
	f := loadSmall(t, nil)
	one := summary(t, f, 6, 1)
	two := summary(t, f, 6, 2)
	three := summary(t, f, 6, 3)
	if !bytes.Equal(one, two) || !bytes.Equal(one, three) {
		t.Fatal("summary.csv differs between --workers 1, 2 and 3")
	}
	// Population growth and staffing change lists and staff between periods; they too
	// must not depend on the number of workers.
	g := loadSmall(t, func(s string) string {
		s = strings.Replace(s, "residents = 40000", "residents = 40000\ngrowth_per_year = 0.02", 1)
		return s + "\n[behaviour.staffing]\nspeed = 0.5\n"
	})
	if !bytes.Equal(summary(t, g, 6, 1), summary(t, g, 6, 2)) {
		t.Fatal("with growth and staffing, summary.csv differs between --workers 1 and 2")
	}
	if bytes.Equal(summary(t, g, 6, 1), one) {
		t.Fatal("growth and staffing changed nothing")
	}
}

// A variant identical to the baseline differs from it by exactly zero, everywhere:
// common random numbers, with entry, exit, choice and audits all on.
func TestIdenticalVariantZeroDifference(t *testing.T) {
	f := loadSmall(t, func(s string) string {
		return s + "\n[variants.same]\ndescription = \"the baseline again\"\n[variants.same.set.rules.lov]\nvisit_fee = { fee = 110 }\n"
	})
	col := runFile(t, f, 4, 2)
	same := -1
	for i, v := range col.Plan.Variants {
		if v.Name == "same" {
			same = i
		}
	}
	for ci := range col.Plan.Cells {
		for r, d := range col.Diff(same, ci) {
			if d != 0 && d == d { // NaN cells (undefined rates) are skipped
				t.Fatalf("cell %d replication %d: difference %g, want exactly 0", ci, r, d)
			}
		}
	}
}

// The summary of the small scenario matches its golden file (-update rewrites it).
func TestGoldenSummary(t *testing.T) {
	got := summary(t, loadSmall(t, nil), 4, 2)
	const golden = "testdata/small_summary.golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./model -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Error("summary.csv of testdata/small.toml differs from testdata/small_summary.golden; if the change is intended, run go test ./model -run Golden -update and review the diff")
	}
}
