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
	f.Add([]byte("ersim-shard,1\n"))
	f.Add([]byte("ersim-shard,1\nV,0,0,1,2\n"))
	f.Add([]byte("ersim-shard,1\nS,0,0,0,1\n"))
	f.Add([]byte("ersim-shard,1\nV,0,0\nY,0,0,1,a,LOV,1,1,2,3,4,5,6\n"))
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
