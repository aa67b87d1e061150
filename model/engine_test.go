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

// A run's manifest records each variant's resolved scenario so that what was run can be
// run again: the baseline's resolved text, parsed as a scenario file, gives the same
// results as the file it came from, for every shipped scenario. (A regime without its own
// region_hours_per_contract_year was written as 0, so a re-run charged no follow-up hours
// where the behaviour's 345 applied.)
func TestResolvedScenarioRunsTheSame(t *testing.T) {
	for _, info := range scenarios.List() {
		t.Run(info.Name, func(t *testing.T) {
			f, err := scenarios.LoadEmbedded(info.Name)
			if err != nil {
				t.Fatal(err)
			}
			g, err := scenarios.Parse("resolved.toml", []byte(f.Variants[0].Text))
			if err != nil {
				t.Fatalf("the resolved baseline does not parse: %v", err)
			}
			f.Variants, g.Variants = f.Variants[:1], g.Variants[:1]
			if a, b := summary(t, f, 2, 2), summary(t, g, 2, 2); !bytes.Equal(a, b) {
				al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
				for i := range min(len(al), len(bl)) {
					if al[i] != bl[i] {
						t.Fatalf("summary.csv differs, first at line %d:\n  file:     %s\n  resolved: %s", i+1, al[i], bl[i])
					}
				}
				t.Fatalf("summary.csv differs in length: %d and %d lines", len(al), len(bl))
			}
		})
	}
}
