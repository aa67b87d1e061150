package main

import (
	"bytes"
	"encoding/json"
	"ersim/study"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func fakeEnv(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestShardFromEnv(t *testing.T) {
	slurm := func(id, lo, n string, more ...string) []string {
		return append([]string{"SLURM_ARRAY_TASK_ID", id, "SLURM_ARRAY_TASK_MIN", lo, "SLURM_ARRAY_TASK_COUNT", n}, more...)
	}
	for _, c := range []struct {
		name, arg string
		env       []string
		want      study.Shard
	}{
		{"slurm from 0", "auto", slurm("2", "0", "4"), study.Shard{K: 2, N: 4}},
		{"slurm from 1", "auto", slurm("1", "1", "4"), study.Shard{K: 0, N: 4}},
		{"slurm from 5, last", "auto", slurm("8", "5", "4"), study.Shard{K: 3, N: 4}},
		{"slurm with step", "auto", slurm("14", "10", "3", "SLURM_ARRAY_TASK_STEP", "2"), study.Shard{K: 2, N: 3}},
		{"slurm with agreeing auto:N", "auto:4", slurm("3", "0", "4"), study.Shard{K: 3, N: 4}},
		{"slurm wins over the k8s index", "auto", slurm("1", "0", "2", "JOB_COMPLETION_INDEX", "5"), study.Shard{K: 1, N: 2}},
		{"k8s auto:N", "auto:7", []string{"JOB_COMPLETION_INDEX", "6"}, study.Shard{K: 6, N: 7}},
		{"k8s ERSIM_SHARDS", "auto", []string{"JOB_COMPLETION_INDEX", "0", "ERSIM_SHARDS", "3"}, study.Shard{K: 0, N: 3}},
		{"k8s auto:N over ERSIM_SHARDS", "auto:2", []string{"JOB_COMPLETION_INDEX", "1", "ERSIM_SHARDS", "3"}, study.Shard{K: 1, N: 2}},
	} {
		got, err := study.ShardFromEnv(c.arg, fakeEnv(c.env...))
		if err != nil || got != c.want {
			t.Errorf("%s: %s with %v = %v, %v; want %v", c.name, c.arg, c.env, got, err, c.want)
		}
	}
	for _, c := range []struct {
		name, arg string
		env       []string
		names     []string // what the message must name
	}{
		{"nothing", "auto", nil, []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "JOB_COMPLETION_INDEX", "ERSIM_SHARDS"}},
		{"slurm without count", "auto", []string{"SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_MIN", "0"}, []string{"SLURM_ARRAY_TASK_COUNT"}},
		{"slurm without min", "auto", []string{"SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4"}, []string{"SLURM_ARRAY_TASK_MIN"}},
		{"slurm id below min", "auto", slurm("0", "1", "4"), []string{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=1"}},
		{"slurm id beyond count", "auto", slurm("4", "0", "4"), []string{"SLURM_ARRAY_TASK_COUNT=4"}},
		{"slurm sparse", "auto", slurm("3", "0", "2", "SLURM_ARRAY_TASK_STEP", "2"), []string{"SLURM_ARRAY_TASK_STEP=2"}},
		{"slurm not a number", "auto", slurm("x", "0", "4"), []string{"SLURM_ARRAY_TASK_ID"}},
		{"slurm disagreeing N", "auto:3", slurm("0", "0", "4"), []string{"SLURM_ARRAY_TASK_COUNT=4"}},
		{"k8s without N", "auto", []string{"JOB_COMPLETION_INDEX", "1"}, []string{"JOB_COMPLETION_INDEX", "ERSIM_SHARDS", "auto:N"}},
		{"k8s index too big", "auto:2", []string{"JOB_COMPLETION_INDEX", "2"}, []string{"JOB_COMPLETION_INDEX=2"}},
		{"k8s bad ERSIM_SHARDS", "auto", []string{"JOB_COMPLETION_INDEX", "0", "ERSIM_SHARDS", "zero"}, []string{"ERSIM_SHARDS"}},
		{"bad auto:N", "auto:0", []string{"JOB_COMPLETION_INDEX", "0"}, []string{"auto:N"}},
	} {
		got, err := study.ShardFromEnv(c.arg, fakeEnv(c.env...))
		if err == nil {
			t.Errorf("%s: %s with %v = %v, want an error", c.name, c.arg, c.env, got)
			continue
		}
		for _, n := range c.names {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("%s: error %q does not name %s", c.name, err, n)
			}
		}
	}
}

// "ersim run --shard auto" under a (fake) Slurm array writes the shard K/N would, into
// the default directory, and a missing environment is a usage error.
func TestRunShardAuto(t *testing.T) {
	for _, k := range []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT",
		"SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX", "ERSIM_SHARDS"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	tmp := t.TempDir()
	code, _, errOut := runCLI("run", smallScenario, "--shard", "auto", "--quiet", "--out", filepath.Join(tmp, "x"))
	if code != exitUsage || !strings.Contains(errOut, "SLURM_ARRAY_TASK_ID") || !strings.Contains(errOut, "JOB_COMPLETION_INDEX") {
		t.Errorf("--shard auto without a scheduler: exit %d, %q; want %d naming the variables", code, errOut, exitUsage)
	}
	want := runShards(t, tmp, smallScenario, 2)[1]
	scenario, err := filepath.Abs(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "4") // --array=3-4: task 4 is shard 1 of 2
	t.Setenv("SLURM_ARRAY_TASK_MIN", "3")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "2")
	t.Chdir(tmp)
	if code, _, errOut := runCLI("run", scenario, "--shard", "auto", "--quiet"); code != 0 {
		t.Fatalf("--shard auto under Slurm: exit %d: %s", code, errOut)
	}
	got := filepath.Join(tmp, "out", "small-shard-1-of-2")
	for _, f := range []string{"shard.csv"} {
		a, err1 := os.ReadFile(filepath.Join(want, f))
		b, err2 := os.ReadFile(filepath.Join(got, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s of --shard auto differs from --shard 1/2's (%v, %v)", f, err1, err2)
		}
	}
	m, err := study.ReadShardManifest(got)
	if err != nil || m.Shard != 1 || m.Shards != 2 {
		t.Errorf("manifest of --shard auto: %+v, %v; want shard 1 of 2", m, err)
	}
}

// yamlDocs parses a YAML file into JSON-like values with python3's yaml module, or
// returns false when it is not available.
func yamlDocs(t *testing.T, path string) ([]map[string]any, bool) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil || exec.Command(py, "-c", "import yaml").Run() != nil {
		return nil, false
	}
	cmd := exec.Command(py, "-c", `import sys, json, yaml
json.dump(list(yaml.safe_load_all(open(sys.argv[1]))), sys.stdout)`, path)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s is not well-formed YAML: %v\n%s", path, err, errb.String())
	}
	var docs []map[string]any
	if err := json.Unmarshal(out, &docs); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return docs, true
}

// get follows a path of map keys and list indices through a parsed document.
func get(v any, path ...any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[p]
		case int:
			l, ok := v.([]any)
			if !ok || p >= len(l) {
				return nil
			}
			v = l[p]
		}
	}
	return v
}

func strs(v any) []string {
	var s []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			if x, ok := x.(string); ok {
				s = append(s, x)
			}
		}
	}
	return s
}

// The deploy/ files: Kubernetes manifests well-formed and wired together, Slurm
// scripts valid bash that use --shard auto and the merge.
func TestDeployFiles(t *testing.T) {
	root := filepath.Join("..", "..", "deploy")
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// Always: a structural check that needs nothing but Go.
	for _, f := range []string{"k8s/pvc.yaml", "k8s/ersim-shards.yaml", "k8s/ersim-merge.yaml"} {
		text := read(f)
		for i, line := range strings.Split(text, "\n") {
			if strings.Contains(line, "\t") {
				t.Errorf("%s:%d: a tab (YAML indents with spaces)", f, i+1)
			}
			if ind := len(line) - len(strings.TrimLeft(line, " ")); ind%2 != 0 {
				t.Errorf("%s:%d: odd indentation %d", f, i+1, ind)
			}
		}
		for _, key := range []string{"apiVersion: ", "kind: ", "metadata:", "spec:"} {
			if !strings.Contains(text, "\n"+key) {
				t.Errorf("%s: no top-level %q", f, key)
			}
		}
	}
	shards, merge := read("k8s/ersim-shards.yaml"), read("k8s/ersim-merge.yaml")
	for _, s := range []string{"completionMode: Indexed", "- --shard\n", "- auto\n", "$(JOB_COMPLETION_INDEX)", "ERSIM_SHARDS", "claimName: ersim-data"} {
		if !strings.Contains(shards, s) {
			t.Errorf("k8s/ersim-shards.yaml does not contain %q", s)
		}
	}
	for _, s := range []string{"ersim merge --out", "/data/shards/shard-*", "claimName: ersim-data"} {
		if !strings.Contains(merge, s) {
			t.Errorf("k8s/ersim-merge.yaml does not contain %q", s)
		}
	}
	// With python3's yaml: a full parse and the structure.
	pvc, ok := yamlDocs(t, filepath.Join(root, "k8s/pvc.yaml"))
	if !ok {
		t.Log("python3 with yaml not available: the manifests were checked structurally only")
	} else {
		job, _ := yamlDocs(t, filepath.Join(root, "k8s/ersim-shards.yaml"))
		mj, _ := yamlDocs(t, filepath.Join(root, "k8s/ersim-merge.yaml"))
		if len(pvc) != 1 || len(job) != 1 || len(mj) != 1 {
			t.Fatalf("want one document per manifest: %d, %d, %d", len(pvc), len(job), len(mj))
		}
		claim := get(pvc[0], "metadata", "name")
		if get(pvc[0], "kind") != "PersistentVolumeClaim" || claim == nil {
			t.Errorf("pvc.yaml: kind %v, name %v", get(pvc[0], "kind"), claim)
		}
		for name, d := range map[string]map[string]any{"ersim-shards.yaml": job[0], "ersim-merge.yaml": mj[0]} {
			if get(d, "apiVersion") != "batch/v1" || get(d, "kind") != "Job" {
				t.Errorf("%s: not a batch/v1 Job", name)
			}
			if got := get(d, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName"); got != claim {
				t.Errorf("%s: volume claim %v, want %v", name, got, claim)
			}
			if get(d, "spec", "template", "spec", "containers", 0, "volumeMounts", 0, "name") != get(d, "spec", "template", "spec", "volumes", 0, "name") {
				t.Errorf("%s: the container does not mount the volume", name)
			}
			if get(d, "spec", "template", "spec", "restartPolicy") != "Never" {
				t.Errorf("%s: restartPolicy must be Never", name)
			}
		}
		spec := job[0]["spec"]
		n := get(spec, "completions")
		if get(spec, "completionMode") != "Indexed" || n == nil || get(spec, "parallelism") == nil {
			t.Errorf("ersim-shards.yaml: completionMode %v, completions %v", get(spec, "completionMode"), n)
		}
		c := get(spec, "template", "spec", "containers", 0)
		cmd := strs(get(c, "command"))
		if i := slices.Index(cmd, "--shard"); i < 0 || i+1 >= len(cmd) || cmd[i+1] != "auto" || !slices.Contains(cmd, "run") {
			t.Errorf("ersim-shards.yaml: command %q does not run --shard auto", cmd)
		}
		if get(c, "env", 0, "name") != "ERSIM_SHARDS" || get(c, "env", 0, "value") != jsonNum(n) {
			t.Errorf("ersim-shards.yaml: ERSIM_SHARDS %v must equal completions %v", get(c, "env", 0, "value"), n)
		}
		if m := strings.Join(strs(get(mj[0], "spec", "template", "spec", "containers", 0, "command")), " "); !strings.Contains(m, "ersim merge") {
			t.Errorf("ersim-merge.yaml: command %q does not merge", m)
		}
	}
	// Slurm.
	for f, want := range map[string][]string{
		"slurm/ersim-array.sbatch": {"--shard auto", "SLURM_ARRAY_TASK_ID", "run"},
		"slurm/ersim-merge.sbatch": {" merge --out"},
		"slurm/submit.sh":          {"--array=", "--dependency=\"afterok:$arrayjob\"", "ersim-array.sbatch", "ersim-merge.sbatch"},
	} {
		text := read(f)
		for _, s := range want {
			if !strings.Contains(text, s) {
				t.Errorf("%s does not contain %q", f, s)
			}
		}
		if bash, err := exec.LookPath("bash"); err == nil {
			if out, err := exec.Command(bash, "-n", filepath.Join(root, f)).CombinedOutput(); err != nil {
				t.Errorf("%s: bash -n: %v\n%s", f, err, out)
			}
		}
	}
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
