package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const smallScenario = "../../model/testdata/small.toml"

// runShards runs every shard of n of a scenario into tmp and returns their directories.
func runShards(t *testing.T, tmp, scenario string, n int, extra ...string) []string {
	t.Helper()
	var dirs []string
	for k := range n {
		dir := filepath.Join(tmp, fmt.Sprintf("shard-%d-of-%d", k, n))
		args := append([]string{"run", scenario, "--shard", fmt.Sprintf("%d/%d", k, n), "--quiet", "--out", dir}, extra...)
		if code, _, errOut := runCLI(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		dirs = append(dirs, dir)
	}
	return dirs
}

func noStaging(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".ersim-stage-") {
			t.Errorf("staging directory %s left behind in %s", e.Name(), dir)
		}
	}
}

// A merge of N shards writes exactly the files of the same run on one machine.
func TestMergeEqualsSingle(t *testing.T) {
	text, err := os.ReadFile(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	psaFile := filepath.Join(t.TempDir(), "psa.toml")
	os.WriteFile(psaFile, append(text, []byte(`
[uncertainty.params."behaviour.quality.substitution"]
dist = "beta"
a = 5
b = 5
`)...), 0o644)
	files := []string{"summary.csv", "differences.csv", "timeseries.csv", "replications.csv", "providers.csv", "assumptions.csv"}
	for _, c := range []struct {
		name, scenario string
		extra          []string
		files          []string
	}{
		{"plain", smallScenario, []string{"--provider-reps", "3"}, files},
		{"psa", psaFile, []string{"--psa"}, append(files, "psa_draws.csv")},
	} {
		common := append([]string{"--reps", "7", "--seed", "11", "--no-charts"}, c.extra...)
		single := filepath.Join(t.TempDir(), "single")
		args := append([]string{"run", c.scenario, "--workers", "3", "--quiet", "--out", single}, common...)
		if code, _, errOut := runCLI(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		for _, n := range []int{1, 2, 3, 7} {
			tmp := t.TempDir()
			dirs := runShards(t, tmp, c.scenario, n, append(common, "--workers", "2")...)
			merged := filepath.Join(tmp, "merged")
			args := append([]string{"merge", "--quiet", "--no-charts", "--out", merged}, dirs...)
			if code, _, errOut := runCLI(args...); code != 0 {
				t.Fatalf("%s, %d shards: merge exit %d: %s", c.name, n, code, errOut)
			}
			for _, name := range c.files {
				a, err1 := os.ReadFile(filepath.Join(single, name))
				b, err2 := os.ReadFile(filepath.Join(merged, name))
				if err1 != nil || err2 != nil || len(a) == 0 || !bytes.Equal(a, b) {
					t.Errorf("%s, %d shards: %s differs from the single run (%v, %v)", c.name, n, name, err1, err2)
				}
			}
			man, _ := os.ReadFile(filepath.Join(merged, "manifest.json"))
			if strings.Count(string(man), `"dir"`) != n {
				t.Errorf("%s, %d shards: manifest does not list the shards:\n%s", c.name, n, man)
			}
			noStaging(t, tmp)
		}
	}
}

// Shards that are missing, duplicated or from another run are refused with exit 2 and
// a message naming the problem, and nothing is written.
func TestMergeRefuses(t *testing.T) {
	text, err := os.ReadFile(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	other := filepath.Join(tmp, "other.toml")
	os.WriteFile(other, []byte(strings.Replace(string(text), "count = 4", "count = 3", 1)), 0o644)
	common := []string{"--reps", "7", "--no-charts"}
	dirs := runShards(t, filepath.Join(tmp, "a"), smallScenario, 3, common...)
	seed := runShards(t, filepath.Join(tmp, "seed"), smallScenario, 3, append(common, "--seed", "99")...)
	scen := runShards(t, filepath.Join(tmp, "scen"), other, 3, common...)
	for _, c := range []struct {
		name  string
		dirs  []string
		wants []string
	}{
		{"missing", []string{dirs[0], dirs[2]}, []string{"missing", "shard 1/3", "replications 3–4"}},
		{"duplicated", []string{dirs[0], dirs[1], dirs[1], dirs[2]}, []string{"shard 1/3 is given twice"}},
		{"seed", []string{dirs[0], seed[1], dirs[2]}, []string{"not from the same run", "seed 99"}},
		{"scenario", []string{dirs[0], dirs[1], scen[2]}, []string{"not from the same run", "another scenario"}},
		{"not a shard", []string{dirs[0], tmp}, []string{"not a shard directory"}},
	} {
		out := filepath.Join(tmp, "merged-"+c.name)
		code, _, errOut := runCLI(append([]string{"merge", "--out", out}, c.dirs...)...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2: %s", c.name, code, errOut)
		}
		for _, w := range c.wants {
			if !strings.Contains(errOut, w) {
				t.Errorf("%s: message %q lacks %q", c.name, errOut, w)
			}
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: output written", c.name)
		}
	}
	noStaging(t, tmp)
	for _, bad := range []string{"3/3", "-1/2", "1", "a/b", "0/0"} {
		if code, _, _ := runCLI("run", smallScenario, "--shard", bad, "--out", filepath.Join(tmp, "x")); code != 2 {
			t.Errorf("--shard %s: exit %d, want 2", bad, code)
		}
	}
	if code, _, _ := runCLI("merge", dirs[0]); code != 2 {
		t.Error("merge without --out accepted")
	}
}
