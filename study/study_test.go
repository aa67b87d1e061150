package study

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ersim/scenarios"
)

// A cancelled run keeps its complete replications in a checkpoint, and resuming it
// gives the summary of an uninterrupted run, byte for byte.
func TestRunInterruptedAndResumed(t *testing.T) {
	dir := t.TempDir()
	reps := 6
	opts := func() RunOptions {
		return RunOptions{Options: Options{Reps: &reps, Workers: 1, NoCharts: true}}
	}
	load := func() *scenarios.File {
		f, err := Load("../model/testdata/small.toml")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	clean := filepath.Join(dir, "clean")
	if _, err := Run(context.Background(), load(), clean, opts()); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "cut")
	ctx, cancel := context.WithCancel(context.Background())
	o := opts()
	o.OnReplication = func(done int) {
		if done == 2 {
			cancel()
		}
	}
	_, err := Run(ctx, load(), out, o)
	var ie *InterruptedError
	if !errors.As(err, &ie) || !ie.Kept || ie.Done < 2 || ie.Done >= reps {
		t.Fatalf("interrupted run: %v (%+v), want an InterruptedError keeping 2..5 of 6", err, ie)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("the interrupted run created %s", out)
	}
	ck, err := ReadCheckpoint(out)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Done != ie.Done {
		t.Fatalf("checkpoint holds %d replications, the error said %d", ck.Done, ie.Done)
	}
	o = opts()
	o.Resume = ck
	if _, err := Run(context.Background(), load(), out, o); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"summary.csv", "replications.csv", "providers.csv"} {
		a, _ := os.ReadFile(filepath.Join(clean, name))
		b, _ := os.ReadFile(filepath.Join(out, name))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s of the resumed run differs from the uninterrupted run's", name)
		}
	}
	if _, err := os.Stat(CheckpointDir(out)); !os.IsNotExist(err) {
		t.Errorf("the checkpoint is still there after the resumed run completed")
	}
}

// Shards merged give the files of the single run.
func TestShardsMergeToTheSingleRun(t *testing.T) {
	dir := t.TempDir()
	reps := 5
	o := RunOptions{Options: Options{Reps: &reps, Workers: 2, NoCharts: true}, ProviderReps: 2}
	load := func() *scenarios.File {
		f, err := Load("../model/testdata/small.toml")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	single := filepath.Join(dir, "single")
	if _, err := Run(context.Background(), load(), single, o); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for k := 2; k >= 0; k-- { // out of order: Merge sorts them
		sd := filepath.Join(dir, "shard", string(rune('0'+k)))
		res, err := RunShard(context.Background(), load(), Shard{K: k, N: 3}, sd, o)
		if err != nil {
			t.Fatal(err)
		}
		if first, last := ShardRange(k, 3, reps); res.First != first || res.Last != last {
			t.Fatalf("shard %d ran [%d, %d), want [%d, %d)", k, res.First, res.Last, first, last)
		}
		dirs = append(dirs, sd)
	}
	merged := filepath.Join(dir, "merged")
	if _, err := Merge(merged, dirs, Options{NoCharts: true}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"summary.csv", "differences.csv", "timeseries.csv", "replications.csv", "providers.csv", "assumptions.csv"} {
		a, _ := os.ReadFile(filepath.Join(single, name))
		b, _ := os.ReadFile(filepath.Join(merged, name))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s of the merged shards differs from the single run's", name)
		}
	}
	var me *MergeError
	if _, err := Merge(filepath.Join(dir, "m2"), dirs[:2], Options{NoCharts: true}); !errors.As(err, &me) {
		t.Errorf("merging 2 of 3 shards: %v, want a MergeError", err)
	}
}

// Kept runs get a directory named by the start time, with a suffix when it is taken.
func TestNewRunDir(t *testing.T) {
	parent := t.TempDir()
	now := time.Date(2026, 12, 2, 17, 5, 12, 0, time.UTC)
	d1 := NewRunDir(parent, now)
	if filepath.Base(d1) != "2026-12-02_170512" {
		t.Fatalf("first: %s", d1)
	}
	os.MkdirAll(d1, 0o755)
	if d2 := NewRunDir(parent, now); filepath.Base(d2) != "2026-12-02_170512-2" {
		t.Errorf("second in the same second: %s", d2)
	}
	if err := pointLatest(d1); err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(filepath.Join(parent, "latest")); err != nil || target != "2026-12-02_170512" {
		t.Errorf("latest -> %q, %v", target, err)
	}
}
