package main

import (
	"bytes"
	"ersim/scenarios"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(&o, &e, args)
	return code, o.String(), e.String()
}

func TestHelpAndUsage(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"run", "-h"}, {"validate", "-h"}, {"scenarios", "-h"}} {
		if code, _, _ := runCLI(args...); code != 0 {
			t.Errorf("%v: exit %d, want 0", args, code)
		}
	}
	for _, args := range [][]string{{}, {"frobnicate"}, {"run", "--no-such-flag"}, {"run", "--reps", "x"}, {"validate"}} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestScenariosListAndShow(t *testing.T) {
	code, out, _ := runCLI("scenarios")
	if code != 0 || !strings.Contains(out, "stockholm") || !strings.Contains(out, "(default)") {
		t.Fatalf("scenarios: exit %d, output:\n%s", code, out)
	}
	code, out, _ = runCLI("scenarios", "show", "vardval")
	if code != 0 || !strings.Contains(out, `name = "vardval"`) {
		t.Fatalf("scenarios show vardval: exit %d", code)
	}
	if code, _, errOut := runCLI("scenarios", "show", "nope"); code != 2 || !strings.Contains(errOut, "stockholm") {
		t.Errorf("unknown scenario: exit %d, message %q should list the embedded ones", code, errOut)
	}
}

// Every embedded scenario is valid.
func TestEmbeddedScenariosValidate(t *testing.T) {
	_, out, _ := runCLI("scenarios")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name := strings.Fields(line)[0]
		if code, _, errOut := runCLI("validate", name); code != 0 {
			t.Errorf("validate %s: exit %d\n%s", name, code, errOut)
		}
	}
}

// Flags may come after the scenario; a run writes every output file.
func TestRunWritesOutputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errOut := runCLI("run", "../../model/testdata/small.toml", "--reps", "3", "--workers", "2", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range []string{"summary.csv", "differences.csv", "timeseries.csv", "replications.csv",
		"providers.csv", "assumptions.csv", "manifest.json", "costeffectiveness.csv", "headline_sv.csv"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", name, err)
			continue
		}
		// Every output file has the same mode (issue 15: report files were once 0600).
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s has mode %v, want 0644", name, st.Mode().Perm())
		}
	}
	// headline_sv.csv opens in a Swedish-locale spreadsheet: a UTF-8 byte-order mark,
	// semicolons, decimal commas and no decimal points.
	sv, _ := os.ReadFile(filepath.Join(dir, "headline_sv.csv"))
	lines := strings.Split(strings.TrimPrefix(string(sv), "\ufeff"), "\r\n")
	if !strings.HasPrefix(string(sv), "\ufeff") || len(lines) < 4 || !strings.Contains(lines[1], ";") ||
		!strings.Contains(lines[1], ",") || strings.Contains(lines[1], ".") {
		t.Errorf("headline_sv.csv: %.200q", sv)
	}
	if !strings.Contains(out, "cost-effectiveness, payer's perspective") {
		t.Errorf("stdout lacks the cost-effectiveness table:\n%s", out)
	}
	for _, want := range []string{"admin_share", "difference from today", "detailed"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".ersim-stage-") {
			t.Errorf("staging directory %s left behind", e.Name())
		}
	}
}

// Bad input: exit 2, a message naming file, line and key, and nothing written.
func TestBadInputWritesNothing(t *testing.T) {
	tmp := t.TempDir()
	text, err := os.ReadFile("../../model/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(text), "count = 4", "count = -4", 1)
	path := filepath.Join(tmp, "bad.toml")
	os.WriteFile(path, []byte(bad), 0o644)
	dir := filepath.Join(tmp, "out")
	code, _, errOut := runCLI("run", path, "--out", dir)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut, "bad.toml:") || !strings.Contains(errOut, "cohorts.vc.count") {
		t.Errorf("message does not name the file and key: %q", errOut)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("output directory created for bad input")
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 1 {
		t.Errorf("%d entries in the scenario's directory, want only bad.toml: nothing may be staged for bad input", len(entries))
	}
	if code, _, _ := runCLI("validate", path); code != 2 {
		t.Errorf("validate: exit %d, want 2", code)
	}
}

// replicate runs a validation scenario and writes the record; a name it does not know is
// bad input.
func TestReplicate(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI("replicate", "hickson1987", "--reps", "20", "--out", dir)
	if code != 0 || !strings.Contains(out, "1.15, 1.45") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, f := range []string{"VALIDATION.md", "VALIDATION.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if code, _, _ := runCLI("replicate", "nosuch", "--out", dir); code != 2 {
		t.Errorf("unknown validation name: exit %d, want 2", code)
	}
}

// --precision stops at the same replication count on every run, and its results are
// those of a plain run with that many replications.
func TestPrecisionIsDeterministic(t *testing.T) {
	var counts []string
	var summaries [][]byte
	for i := range 2 {
		dir := filepath.Join(t.TempDir(), "p")
		code, out, errOut := runCLI("run", "../../model/testdata/small.toml", "--reps", "4", "--precision", "0.03",
			"--workers", strconv.Itoa(i+1), "--no-charts", "--out", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		m := regexp.MustCompile(`reached after (\d+) replications`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no convergence line in:\n%s", out)
		}
		counts = append(counts, m[1])
		b, _ := os.ReadFile(filepath.Join(dir, "summary.csv"))
		summaries = append(summaries, b)
	}
	if counts[0] != counts[1] || !bytes.Equal(summaries[0], summaries[1]) {
		t.Fatalf("runs stopped at %v replications, or their summaries differ", counts)
	}
	dir := filepath.Join(t.TempDir(), "plain")
	if code, _, errOut := runCLI("run", "../../model/testdata/small.toml", "--reps", counts[0], "--no-charts", "--out", dir); code != 0 {
		t.Fatal(errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "summary.csv")); !bytes.Equal(b, summaries[0]) {
		t.Error("a run grown in batches differs from a plain run with as many replications")
	}
	if code, _, _ := runCLI("run", "../../model/testdata/small.toml", "--precision", "-1"); code != 2 {
		t.Error("negative --precision accepted")
	}
}

// --psa with a zero-width uncertainty reproduces the base run exactly; draws do not
// depend on the number of workers and are saved in psa_draws.csv.
func TestPSA(t *testing.T) {
	text, err := os.ReadFile("../../model/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	fixed := filepath.Join(tmp, "fixed.toml")
	os.WriteFile(fixed, append(text, []byte(`
[uncertainty.params."behaviour.quality.substitution"]
dist = "fixed"
value = 0.5
`)...), 0o644)
	wide := filepath.Join(tmp, "wide.toml")
	os.WriteFile(wide, append(text, []byte(`
[uncertainty.params."behaviour.quality.substitution"]
dist = "beta"
a = 5
b = 5
`)...), 0o644)
	summary := func(file string, workers int, extra ...string) ([]byte, []byte) {
		dir := filepath.Join(t.TempDir(), "o")
		args := append([]string{"run", file, "--reps", "4", "--workers", strconv.Itoa(workers), "--no-charts", "--quiet", "--out", dir}, extra...)
		if code, _, errOut := runCLI(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		s, _ := os.ReadFile(filepath.Join(dir, "summary.csv"))
		d, _ := os.ReadFile(filepath.Join(dir, "psa_draws.csv"))
		return s, d
	}
	base, _ := summary(fixed, 2)
	zero, draws := summary(fixed, 2, "--psa")
	if !bytes.Equal(base, zero) {
		t.Error("--psa with a zero-width distribution changed the results")
	}
	if lines := strings.Count(string(draws), "\n"); lines != 5 {
		t.Errorf("psa_draws.csv has %d lines, want a header and 4 replications", lines)
	}
	one, d1 := summary(wide, 1, "--psa")
	two, d2 := summary(wide, 2, "--psa")
	if !bytes.Equal(one, two) || !bytes.Equal(d1, d2) {
		t.Error("--psa results depend on the number of workers")
	}
	if plain, _ := summary(wide, 2); bytes.Equal(plain, one) {
		t.Error("--psa with a real distribution gave the base results")
	}
}

// Help is on standard output with exit 0, for "CMD -h" and "help CMD"; a mistyped
// command or flag gets "did you mean"; --reps 0 is refused (issue 15).
func TestHelpAndDidYouMean(t *testing.T) {
	for _, args := range [][]string{{"run", "-h"}, {"help", "run"}, {"report", "--help"}, {"help", "validate"}} {
		code, out, errOut := runCLI(args...)
		if code != 0 || !strings.Contains(out, "Usage: ersim "+args[len(args)-1]) && !strings.Contains(out, "Usage: ersim "+args[0]) || errOut != "" {
			t.Errorf("%v: exit %d, stdout %.60q, stderr %.60q", args, code, out, errOut)
		}
	}
	if code, _, errOut := runCLI("rnu"); code != 2 || !strings.Contains(errOut, "did you mean run?") {
		t.Errorf("rnu: exit %d, %.80q", code, errOut)
	}
	if code, _, errOut := runCLI("run", "--repz", "3"); code != 2 || !strings.Contains(errOut, "did you mean --reps?") {
		t.Errorf("--repz: exit %d, %.200q", code, errOut)
	}
	if code, _, errOut := runCLI("run", "--reps", "0", "--no-charts", "--out", t.TempDir()+"/x"); code != 2 || !strings.Contains(errOut, "--reps must be >= 1") {
		t.Errorf("--reps 0: exit %d, %.80q", code, errOut)
	}
	for _, n := range []string{"0", "1"} {
		if code, _, errOut := runCLI("calibrate", "--particles", n, "--no-charts", "--out", t.TempDir()+"/c", "../../validation/calibration.toml"); code != 2 || !strings.Contains(errOut, "--particles >= 2") {
			t.Errorf("calibrate --particles %s: exit %d, %.80q", n, code, errOut)
		}
	}
}

// Runs are kept and compared (issue 15): a rerun into a run's directory replaces it
// whole, a directory holding anything else is refused untouched, and "ersim compare"
// compares two runs, warning when their seeds differ.
func TestRunsKeptAndCompared(t *testing.T) {
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	if code, _, errOut := runCLI("run", "../../model/testdata/small.toml", "--reps", "3", "--out", a); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(a, "charts")); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("run", "../../model/testdata/small.toml", "--reps", "3", "--no-charts", "--out", a); code != 0 {
		t.Fatalf("rerun: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(a, "charts")); !os.IsNotExist(err) {
		t.Errorf("the rerun without charts left the earlier run's charts: %v", err)
	}
	mine := filepath.Join(tmp, "mine")
	os.MkdirAll(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("keep me"), 0o644)
	code, _, errOut := runCLI("run", "../../model/testdata/small.toml", "--reps", "2", "--out", mine)
	if code != 2 || !strings.Contains(errOut, "notes.txt") {
		t.Errorf("--out a directory of other files: exit %d, %q", code, errOut)
	}
	if got, _ := os.ReadFile(filepath.Join(mine, "notes.txt")); string(got) != "keep me" {
		t.Errorf("the directory was changed: %q", got)
	}
	if entries, _ := os.ReadDir(mine); len(entries) != 1 {
		t.Errorf("the directory has %d entries, want only notes.txt", len(entries))
	}
	if code, _, errOut := runCLI("run", "../../model/testdata/small.toml", "--reps", "3", "--seed", "99", "--no-charts", "--out", b); code != 0 {
		t.Fatalf("run b: exit %d: %s", code, errOut)
	}
	cmp := filepath.Join(tmp, "cmp")
	code, out, errOut := runCLI("compare", a, b, "--out", cmp)
	if code != 0 || !strings.Contains(out, "warning: the seeds differ") || !strings.Contains(out, "seed = 99") {
		t.Errorf("compare: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, f := range []string{"compare.csv", "scenario.diff", "charts/compare_runs.svg"} {
		if _, err := os.Stat(filepath.Join(cmp, f)); err != nil {
			t.Error(err)
		}
	}
}

// "ersim init" writes a valid scenario from each template and never overwrites a file;
// "ersim schema" prints JSON (issue 15).
func TestInitAndSchema(t *testing.T) {
	tmp := t.TempDir()
	for _, tmpl := range scenarios.TemplateNames() {
		path := filepath.Join(tmp, tmpl+".toml")
		if code, _, errOut := runCLI("init", "--template", tmpl, path); code != 0 {
			t.Fatalf("init %s: exit %d: %s", tmpl, code, errOut)
		}
		if code, _, errOut := runCLI("validate", path); code != 0 || errOut != "" {
			t.Errorf("validate %s: exit %d, %q", tmpl, code, errOut)
		}
		if code, _, errOut := runCLI("init", path); code != 2 || !strings.Contains(errOut, "exists") {
			t.Errorf("init over an existing file: exit %d, %q", code, errOut)
		}
	}
	if code, _, errOut := runCLI("init", "--template", "nope", filepath.Join(tmp, "x.toml")); code != 2 || !strings.Contains(errOut, "lov-primary-care") {
		t.Errorf("an unknown template: exit %d, %q", code, errOut)
	}
	code, out, _ := runCLI("schema")
	if code != 0 || !strings.HasPrefix(out, "{") || !strings.Contains(out, `"cohorts"`) {
		t.Errorf("schema: exit %d, %.80q", code, out)
	}
}
