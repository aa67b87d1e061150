package study

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"ersim/model"
	"ersim/results"
	"ersim/scenarios"
)

// fuzzPlan is the plan of model/testdata/small.toml with 2 replications, one of them
// with provider rows, and PSA off, and the text of a shard of all its replications.
func fuzzPlan(f *testing.F) (*model.Plan, []byte) {
	f.Helper()
	sc, err := Load("../model/testdata/small.toml")
	if err != nil {
		f.Fatal(err)
	}
	reps := 2
	o := RunOptions{Options: Options{Reps: &reps, Workers: 1, NoCharts: true}, ProviderReps: 1}
	dir := filepath.Join(f.TempDir(), "shard")
	if _, err := RunShard(context.Background(), sc, Shard{K: 0, N: 1}, dir, o); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, shardDataName))
	if err != nil {
		f.Fatal(err)
	}
	pl, err := o.plan(sc)
	if err != nil {
		f.Fatal(err)
	}
	return pl, data
}

// FuzzReadShard feeds arbitrary shard data (shards come from other machines) to the
// reader that merge and resume use: it must return an error or take the replications
// in, never panic, and a shard it accepts must hold every replication it names.
func FuzzReadShard(f *testing.F) {
	pl, good := fuzzPlan(f)
	f.Add(good)
	f.Add([]byte("ersim-shard,2\n"))
	f.Add([]byte("ersim-shard,2\nV,0,0,1,2\n"))
	f.Add([]byte("ersim-shard,2\nS,0,0,0,1\n"))
	f.Add([]byte("ersim-shard,2\nV,0,0\nY,0,0,1,a,LOV,1,1,2,3,4,5,6,7,8,9,10,11,12,13\n"))
	f.Add([]byte("not,a,shard\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		col := results.NewCollector(pl, io.Discard)
		err := readShardData(bytes.NewReader(data), shardDir{"fuzz", &ShardManifest{First: 0, Last: 2}}, pl, col)
		if err != nil {
			return
		}
		if err := col.Flush(); err != nil {
			return
		}
		if col.Reps() != 2 {
			t.Fatalf("an accepted shard gave %d replications, want 2", col.Reps())
		}
	})
}

// FuzzReadCheckpoint reads arbitrary checkpoint.json and shard.json files: an error or
// a manifest, never a panic; a checkpoint accepted holds 1 to all of its replications.
func FuzzReadCheckpoint(f *testing.F) {
	f.Add([]byte(`{"format":"ersim-checkpoint","ersim_version":"` + Version + `","replications":10,"done":3}`))
	f.Add([]byte(`{"format":"ersim-checkpoint","ersim_version":"` + Version + `","replications":10,"done":0}`))
	f.Add([]byte(`{"format":"ersim-shard","shard":1,"shards":0}`))
	f.Add([]byte(`{"format":`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		out := filepath.Join(t.TempDir(), "run")
		ck := CheckpointDir(out)
		if err := os.MkdirAll(ck, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(ck, checkpointManifestName), data, 0o644)
		os.WriteFile(filepath.Join(ck, shardManifestName), data, 0o644)
		if m, err := ReadCheckpoint(out); err == nil && (m.Done < 1 || m.Done > m.Replications) {
			t.Fatalf("accepted a checkpoint of %d of %d replications", m.Done, m.Replications)
		}
		ReadShardManifest(ck)
	})
}

// fuzzMaxProviders bounds the scenarios FuzzScenario runs (larger ones are only
// parsed and validated), so that an execution stays short.
const fuzzMaxProviders = 300

// FuzzScenario feeds arbitrary bytes to the scenario decoder and validator: they must
// return an input error (file, line, key and what is allowed) or a valid scenario,
// never panic; a valid scenario of up to fuzzMaxProviders providers must compile and
// run one replication of its baseline with finite headline metrics.
func FuzzScenario(f *testing.F) {
	for _, info := range scenarios.List() {
		if text, err := scenarios.Text(info.Name); err == nil {
			f.Add(text)
		}
	}
	for _, name := range []string{"../model/testdata/small.toml", "../model/testdata/ceilings.toml"} {
		if text, err := os.ReadFile(name); err == nil {
			f.Add(text)
		}
	}
	small, _ := os.ReadFile("../model/testdata/small.toml")
	for _, bad := range []string{"[\"\"]\n", "[\"\"]\nx = 1\n", "count = 1e300", "a = [\n1,\n", ""} {
		f.Add([]byte(bad))
	}
	for _, edit := range [][2]string{{"count = 4", "count = -3"}, {"residents = 40000", "residents = 1e300"},
		{"demand_per_year = 1.5", "demand_per_year = nan"}, {"fte = 5", "fte = { dist = \"normal\", mean = 5, sd = 1e300 }"}} {
		f.Add(bytes.Replace(small, []byte(edit[0]), []byte(edit[1]), 1))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scenarios.Parse("fuzz.toml", data)
		if err != nil {
			if !scenarios.IsInputError(err) {
				t.Fatalf("error is not an input error: %T %v", err, err)
			}
			return
		}
		providers := 0
		for _, c := range sc.Base.Cohorts {
			providers += c.Count + c.MaxEntrants
		}
		if providers > fuzzMaxProviders || sc.Base.HorizonYears*sc.Base.PeriodsPerYear > 120 {
			return
		}
		one := 1
		Override(sc, nil, &one)
		pl, err := model.NewPlan(sc, []string{}, 1, 1)
		if err != nil {
			t.Fatalf("a valid scenario does not compile: %v", err)
		}
		if msg := runMutant(pl, sc, nil, nil); msg != "" {
			t.Fatalf("a valid scenario %s", msg)
		}
	})
}
