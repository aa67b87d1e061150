package validation

import (
	"bytes"
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"ersim/scenarios"
)

var update = flag.Bool("update", false, "run the full validation (MinReplications replications) and rewrite ../VALIDATION.md and ../VALIDATION.csv")

// testReps keeps `go test ./validation` to a few seconds on 2 cores.
const testReps = 50

const recordedCSV = "../VALIDATION.csv"

// Every study has its scenario file and every file a study; each file parses, says what
// it reproduces, where its setting comes from and what was calibrated, and asks for at
// least MinReplications replications.
func TestScenarios(t *testing.T) {
	files := map[string]bool{}
	for _, n := range ScenarioNames() {
		files[n] = true
	}
	for _, s := range studies {
		if s.shipped {
			if _, err := scenarios.LoadEmbedded(s.scenario); err != nil {
				t.Errorf("study %s: %v", s.scenario, err)
			}
			continue
		}
		if !files[s.scenario] {
			t.Errorf("study %s has no scenario file", s.scenario)
		}
		delete(files, s.scenario)
	}
	for n := range files {
		t.Errorf("scenario file %s.toml belongs to no study", n)
	}
	for _, n := range ScenarioNames() {
		f, err := LoadScenario(n)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if f.Base.Name != n {
			t.Errorf("%s.toml: name = %q", n, f.Base.Name)
		}
		if f.Base.Replications < MinReplications {
			t.Errorf("%s: replications = %d, want at least %d", n, f.Base.Replications, MinReplications)
		}
		head := f.Text[:strings.Index(f.Text, "\nname =")]
		for _, want := range []string{"# Reproduces", "# From the study's setting", "# Calibrated"} {
			if !strings.Contains(head, want) {
				t.Errorf("%s.toml: the header has no %q section", n, want)
			}
		}
	}
}

// The behavioural parameters are one set, shared by every validation scenario.
func TestSharedSet(t *testing.T) {
	for _, n := range ScenarioNames() {
		f, err := LoadScenario(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range CheckShared(n, f) {
			t.Error(bad)
		}
	}
}

// The shipped scenarios use the shared set too (issue 4), but for the departures
// VALIDATION.md lists.
func TestShippedUseSharedSet(t *testing.T) {
	for _, info := range scenarios.List() {
		f, err := scenarios.LoadEmbedded(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range CheckShipped(info.Name, f) {
			t.Errorf("shipped %s", bad)
		}
	}
}

// Held-out, verification and directional targets have nothing calibrated against them;
// calibration checks say what was.
func TestCalibrationDeclared(t *testing.T) {
	for _, tg := range Targets() {
		switch {
		case tg.Kind == Calibration || InSample(tg.ID):
			if tg.Calibrated == "" || tg.Calibrated == none {
				t.Errorf("target %s: a calibration check or an in-sample target must name what was calibrated", tg.ID)
			}
		default:
			if tg.Calibrated != none {
				t.Errorf("target %s (%s, out of sample): calibrated %q, want none", tg.ID, tg.Kind, tg.Calibrated)
			}
		}
		if tg.Kind == Calibration && !InSample(tg.ID) {
			t.Errorf("target %s: a calibration check is in sample", tg.ID)
		}
		if tg.Band == nil && tg.Kind != HeldOut {
			t.Errorf("target %s: only an accompanying held-out statistic may go unjudged", tg.ID)
		}
	}
}

func TestBandAndVerdict(t *testing.T) {
	for _, b := range []Band{Closed(1.15, 1.45), Positive, Negative, {Lo: 4.5, Hi: 9}, Closed(-0.02, 0.02), Closed(0, 1e-6)} {
		got, err := ParseBand(b.String())
		if err != nil || got != b {
			t.Errorf("%v: read back as %v (%v)", b, got, err)
		}
	}
	for _, tc := range []struct {
		b      *Band
		lo, hi float64
		want   string
	}{
		{band(Closed(1.15, 1.45)), 1.2, 1.4, Pass},
		{band(Closed(1.15, 1.45)), 1.1, 1.4, Fail},
		{band(Closed(1.15, 1.45)), 1.15, 1.45, Pass},
		{band(Positive), 0, 1, Fail},
		{band(Positive), 1e-9, 1, Pass},
		{band(Negative), -1, -0.1, Pass},
		{band(Positive), math.NaN(), 1, Fail},
		{nil, 0, 1, NotJudged},
	} {
		if got := Decide(tc.b, tc.lo, tc.hi); got != tc.want {
			t.Errorf("Decide(%v, %g, %g) = %s, want %s", tc.b, tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestSelect(t *testing.T) {
	sel, only, err := selected([]string{"3"})
	if err != nil || len(sel) != 1 || sel[0].scenario != "hennig_schmidt2011" || len(only) != 5 {
		t.Errorf(`"3": %d studies, %d targets, %v`, len(sel), len(only), err)
	}
	sel, only, err = selected([]string{"8c", "hickson1987"})
	if err != nil || len(sel) != 2 || !only["8c"] || only["8a"] || !only["6"] {
		t.Errorf(`"8c", "hickson1987": %d studies, %v, %v`, len(sel), only, err)
	}
	if _, _, err := selected([]string{"nonesuch"}); err == nil || !strings.Contains(err.Error(), "hickson1987") {
		t.Errorf("unknown name: %v", err)
	}
}

// Issue 4's honesty rules for the recorded run: it used at least MinReplications
// replications, each recorded verdict follows from its recorded interval, and a run
// with fewer replications (the same seeds) agrees with each recorded estimate within
// four Monte Carlo standard errors.
func TestAgainstRecorded(t *testing.T) {
	if *update {
		t.Skip("-update: TestUpdate rewrites the record")
	}
	f, err := os.Open(recordedCSV)
	if err != nil {
		t.Fatalf("the recorded run: %v (write it with go test ./validation -run TestUpdate -update)", err)
	}
	rec, err := ReadCSV(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Row{}
	for _, r := range rec {
		byID[r.ID] = r
		if r.Replications < MinReplications {
			t.Errorf("target %s: recorded with %d replications, want at least %d", r.ID, r.Replications, MinReplications)
		}
		if want := Decide(r.Band, r.CILo, r.CIHi); r.Verdict != want {
			t.Errorf("target %s: recorded verdict %q, but its interval [%g, %g] and band %v give %q", r.ID, r.Verdict, r.CILo, r.CIHi, r.Band, want)
		}
	}
	if len(rec) != len(Targets()) {
		t.Errorf("%d recorded rows, %d targets", len(rec), len(Targets()))
	}

	rs, err := Run(context.Background(), nil, testReps, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		full, ok := byID[r.ID]
		if !ok {
			t.Errorf("target %s: not in %s", r.ID, recordedCSV)
			continue
		}
		tol := 4*r.MCSE + 1e-9*math.Max(1, math.Abs(full.Estimate))
		if d := math.Abs(r.Estimate - full.Estimate); !(d <= tol) {
			t.Errorf("target %s: %d replications give %g (MCSE %g), the recorded run %g: %.1f MCSE apart",
				r.ID, testReps, r.Estimate, r.MCSE, full.Estimate, d/r.MCSE)
		}
	}

	// The writers: the CSV reads back, the Markdown has a row per target.
	var csvBuf, md bytes.Buffer
	if err := WriteCSV(&csvBuf, rs); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV(&csvBuf)
	if err != nil || len(back) != len(rs) {
		t.Fatalf("CSV read back: %d rows, %v", len(back), err)
	}
	for i, r := range back {
		if r.ID != rs[i].ID || r.Verdict != rs[i].Verdict || math.Abs(r.Estimate-rs[i].Estimate) > 1e-9*math.Max(1, math.Abs(rs[i].Estimate)) {
			t.Errorf("CSV row %d read back as %+v", i, r)
		}
	}
	var table bytes.Buffer
	if err := WriteTable(&table, rs); err != nil || strings.Count(table.String(), "\n") != len(rs)+1 {
		t.Errorf("terminal table: %v\n%s", err, table.String())
	}
	if err := WriteMarkdown(&md, rs, Meta{Replications: testReps, Workers: 2, Command: "go test"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if !strings.Contains(md.String(), "\n| "+r.ID+" | ") {
			t.Errorf("VALIDATION.md has no row for target %s", r.ID)
		}
	}
}

// TestUpdate runs the full validation and rewrites VALIDATION.md and VALIDATION.csv:
//
//	go test ./validation -run TestUpdate -update -timeout 30m
func TestUpdate(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the recorded validation")
	}
	workers := runtime.NumCPU()
	start := time.Now()
	rs, err := Run(context.Background(), nil, MinReplications, workers, func(s string) {
		t.Logf("%6.1fs %s", time.Since(start).Seconds(), s)
	})
	if err != nil {
		t.Fatal(err)
	}
	m := Meta{Replications: MinReplications, Workers: workers, Started: start, Wall: time.Since(start),
		GoVersion: runtime.Version(), Command: "go test ./validation -run TestUpdate -update"}
	dir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFiles(dir, rs, m); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		t.Logf("%-3s %-10s %.5g [%.5g, %.5g] MCSE %.3g", r.ID, r.Verdict, r.Estimate, r.CILo, r.CIHi, r.MCSE)
	}
}
