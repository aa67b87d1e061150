package main

import (
	"bytes"
	"encoding/json"
	"ersim/study"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var resumeFiles = []string{"summary.csv", "differences.csv", "timeseries.csv", "replications.csv", "providers.csv", "assumptions.csv"}

// runInterrupted runs the CLI with a hook that interrupts it by sig once k replications
// are complete.
func runInterrupted(k int, sig os.Signal, args ...string) (int, string, string) {
	interruptHook = func(done int) os.Signal {
		if done >= k {
			return sig
		}
		return nil
	}
	defer func() { interruptHook = nil }()
	return runCLI(args...)
}

// noLeftovers fails if a staging directory is left in dir.
func noLeftovers(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".ersim-") {
			t.Errorf("temporary %s left behind in %s", e.Name(), dir)
		}
	}
}

func sameFiles(t *testing.T, what, want, got string, files []string) {
	t.Helper()
	for _, name := range files {
		a, err1 := os.ReadFile(filepath.Join(want, name))
		b, err2 := os.ReadFile(filepath.Join(got, name))
		if err1 != nil || err2 != nil || len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: %s differs from the uninterrupted run (%v, %v)", what, name, err1, err2)
		}
	}
}

func readCheckpointManifest(t *testing.T, out string) *study.Checkpoint {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(study.CheckpointDir(out), "checkpoint.json"))
	if err != nil {
		t.Fatalf("no checkpoint: %v", err)
	}
	var m study.Checkpoint
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// interrupt runs args interrupted after k replications and checks what it leaves.
func interruptRun(t *testing.T, what string, k int, sig os.Signal, wantCode int, out string, args ...string) *study.Checkpoint {
	t.Helper()
	code, _, errOut := runInterrupted(k, sig, args...)
	if code != wantCode {
		t.Fatalf("%s: exit %d, want %d: %s", what, code, wantCode, errOut)
	}
	if !strings.Contains(errOut, "resume with: ersim run --resume "+out) {
		t.Errorf("%s: no resume hint in %q", what, errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s: the output directory %s exists after an interruption (%v)", what, out, err)
	}
	noLeftovers(t, filepath.Dir(out))
	m := readCheckpointManifest(t, out)
	if m.Done < k || m.Done > m.Replications {
		t.Errorf("%s: checkpoint holds %d replications, want %d..%d", what, m.Done, k, m.Replications)
	}
	return m
}

func resumeRun(t *testing.T, what, out string, extra ...string) {
	t.Helper()
	args := append([]string{"run", "--resume", out, "--quiet"}, extra...)
	if code, _, errOut := runCLI(args...); code != 0 {
		t.Fatalf("%s: resume exit %d: %s", what, code, errOut)
	}
	if _, err := os.Stat(study.CheckpointDir(out)); !os.IsNotExist(err) {
		t.Errorf("%s: checkpoint not removed after a successful resume (%v)", what, err)
	}
	noLeftovers(t, filepath.Dir(out))
}

// Resuming after an interruption at several points gives the uninterrupted run's files.
func TestResumeEqualsUninterrupted(t *testing.T) {
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
	const reps = 12
	for _, c := range []struct {
		name, scenario string
		extra          []string
		files          []string
		points         []int
	}{
		{"plain", smallScenario, []string{"--provider-reps", "3"}, resumeFiles, []int{1, 3, reps - 1}},
		{"psa", psaFile, []string{"--psa"}, append(resumeFiles, "psa_draws.csv"), []int{2}},
	} {
		common := append([]string{"--reps", "12", "--seed", "5", "--no-charts", "--quiet"}, c.extra...)
		single := filepath.Join(t.TempDir(), "single")
		args := append([]string{"run", c.scenario, "--workers", "3", "--out", single}, common...)
		if code, _, errOut := runCLI(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		for _, k := range c.points {
			what := c.name + " at " + string(rune('0'+k/10)) + string(rune('0'+k%10))
			out := filepath.Join(t.TempDir(), "run")
			args := append([]string{"run", c.scenario, "--workers", "3", "--out", out}, common...)
			interruptRun(t, what, k, syscall.SIGINT, 130, out, args...)
			resumeRun(t, what, out, "--workers", "2")
			sameFiles(t, what, single, out, c.files)
		}
	}
}

// A resumed run interrupted again keeps a growing checkpoint and resumes again.
func TestResumeTwice(t *testing.T) {
	const reps = 24
	common := []string{"--reps", strconv.Itoa(reps), "--seed", "3", "--no-charts", "--quiet", "--workers", "2"}
	single := filepath.Join(t.TempDir(), "single")
	if code, _, errOut := runCLI(append([]string{"run", smallScenario, "--out", single}, common...)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	out := filepath.Join(t.TempDir(), "run")
	m1 := interruptRun(t, "first", 2, syscall.SIGTERM, 143, out, append([]string{"run", smallScenario, "--out", out}, common...)...)
	// Replications already finished when the signal arrives are kept, so on a loaded
	// machine the first checkpoint can hold nearly all of them; the second interruption
	// needs some left to interrupt.
	if m1.Done+3 < reps {
		m2 := interruptRun(t, "second", m1.Done+3, syscall.SIGINT, 130, out, "run", "--resume", out, "--workers", "1")
		if m2.Done < m1.Done+3 {
			t.Errorf("checkpoint did not grow: %d then %d", m1.Done, m2.Done)
		}
	} else {
		t.Logf("the first interruption kept %d of %d replications: no second interruption", m1.Done, reps)
	}
	resumeRun(t, "twice", out)
	sameFiles(t, "twice", single, out, resumeFiles)
}

// Resume refuses checkpoints of another version, scenario or seed, with exit status 2.
func TestResumeRefused(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "run")
	interruptRun(t, "refused", 2, syscall.SIGINT, 130, out, "run", smallScenario, "--reps", "8", "--no-charts", "--quiet", "--out", out)
	text, _ := os.ReadFile(smallScenario)
	other := filepath.Join(tmp, "other.toml")
	os.WriteFile(other, bytes.Replace(text, []byte("residents = 40000"), []byte("residents = 41000"), 1), 0o644)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--seed", "99"}, "seed"},
		{[]string{"--reps", "9"}, "replications"},
		{[]string{other}, "another scenario"},
		{[]string{"--variant", "x"}, "--variant"},
	} {
		args := append([]string{"run", "--resume", out}, c.args...)
		code, _, errOut := runCLI(args...)
		if code != 2 || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, want 2 and a message naming %q: %s", args, code, c.msg, errOut)
		}
	}
	if code, _, errOut := runCLI("run", "--resume", filepath.Join(tmp, "none")); code != 2 || !strings.Contains(errOut, "no checkpoint") {
		t.Errorf("resume without a checkpoint: exit %d: %s", code, errOut)
	}
	// Another ersim version.
	path := filepath.Join(study.CheckpointDir(out), "checkpoint.json")
	orig, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(orig, []byte(`"ersim_version": "`+study.Version+`"`), []byte(`"ersim_version": "0.0.1"`), 1), 0o644)
	if code, _, errOut := runCLI("run", "--resume", out); code != 2 || !strings.Contains(errOut, "ersim 0.0.1") {
		t.Errorf("another version: exit %d: %s", code, errOut)
	}
	// A checkpoint whose scenario text was changed no longer matches its hashes.
	var m study.Checkpoint
	json.Unmarshal(orig, &m)
	m.ScenarioText = strings.Replace(m.ScenarioText, "residents = 40000", "residents = 41000", 1)
	b, _ := json.Marshal(&m)
	os.WriteFile(path, b, 0o644)
	if code, _, errOut := runCLI("run", "--resume", out); code != 2 || !strings.Contains(errOut, "scenario") {
		t.Errorf("tampered scenario: exit %d: %s", code, errOut)
	}
	// Refusals leave the checkpoint usable.
	os.WriteFile(path, orig, 0o644)
	resumeRun(t, "after refusals", out, "--seed", "7", "--reps", "8", smallScenario)
	noLeftovers(t, tmp)
}

func TestSignalExit(t *testing.T) {
	if got := signalExit(syscall.SIGINT); got != 130 {
		t.Errorf("SIGINT: exit %d, want 130", got)
	}
	if got := signalExit(syscall.SIGTERM); got != 143 {
		t.Errorf("SIGTERM: exit %d, want 143", got)
	}
}

// A shard killed and started again with the same command into the same directory, over
// what the killed one left, is the same shard.
func TestShardRestart(t *testing.T) {
	tmp := t.TempDir()
	args := func(out string) []string {
		return []string{"run", smallScenario, "--reps", "9", "--seed", "4", "--shard", "1/3", "--quiet", "--out", out}
	}
	clean := filepath.Join(tmp, "clean")
	if code, _, errOut := runCLI(args(clean)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	again := filepath.Join(tmp, "again")
	// What a killed process may leave: a staging directory, a staged checkpoint, a
	// stale checkpoint and an older shard.
	for _, d := range []string{".ersim-stage-123", ".ersim-checkpoint-456", "again.checkpoint", "again"} {
		os.MkdirAll(filepath.Join(tmp, d), 0o755)
		os.WriteFile(filepath.Join(tmp, d, "shard.csv"), []byte("ersim-shard,1\nV,3,0,1"), 0o644)
	}
	if code, _, errOut := runCLI(args(again)...); code != 0 {
		t.Fatalf("restart: exit %d: %s", code, errOut)
	}
	a, _ := os.ReadFile(filepath.Join(clean, "shard.csv"))
	b, _ := os.ReadFile(filepath.Join(again, "shard.csv"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("restarted shard's %s differs", "shard.csv")
	}
	ma, _ := study.ReadShardManifest(clean)
	mb, _ := study.ReadShardManifest(again)
	if ma == nil || mb == nil {
		t.Fatal("no shard manifest")
	}
	ma.Start, ma.End, ma.WallSeconds, mb.Start, mb.End, mb.WallSeconds = "", "", 0, "", "", 0
	ja, _ := json.Marshal(ma)
	jb, _ := json.Marshal(mb)
	if !bytes.Equal(ja, jb) {
		t.Errorf("restarted shard's manifest differs:\n%s\n%s", ja, jb)
	}
	// And it merges.
	if code, _, errOut := runCLI("merge", "--quiet", "--no-charts", "--out", filepath.Join(tmp, "m"), again); code != 2 || !strings.Contains(errOut, "missing") {
		t.Errorf("merge of one of three shards: exit %d: %s", code, errOut)
	}
}

// A real SIGINT to the built binary stops it with exit status 130 and a checkpoint.
func TestRealSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "ersim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Skipf("cannot build: %v: %s", err, out)
	}
	out := filepath.Join(tmp, "run")
	cmd := exec.Command(bin, "run", smallScenario, "--reps", "100000", "--workers", "2", "--no-charts", "--out", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until replications are being checkpointed.
	deadline := time.Now().Add(30 * time.Second)
	for {
		ms, _ := filepath.Glob(filepath.Join(tmp, ".ersim-checkpoint-*", "shard.csv"))
		if len(ms) == 1 {
			if st, err := os.Stat(ms[0]); err == nil && st.Size() > 4096 {
				break
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Skip("the run did not start checkpointing in time")
		}
		time.Sleep(20 * time.Millisecond)
	}
	sent := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if took := time.Since(sent); took > 5*time.Second {
		t.Errorf("took %v to stop", took)
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit %d (%v), want 130: %s", code, err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "resume with: ersim run --resume "+out) {
		t.Errorf("no resume hint: %s", stderr.String())
	}
	m := readCheckpointManifest(t, out)
	if m.Done < 1 || m.Replications != 100000 {
		t.Errorf("checkpoint: %d of %d replications", m.Done, m.Replications)
	}
	noLeftovers(t, tmp)
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output directory created: %v", err)
	}
}
