package study

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"ersim/model"
	"ersim/results"
	"ersim/scenarios"
)

// An interrupted "ersim run" keeps the replications it completed in a checkpoint
// directory beside its output directory, <out>.checkpoint/: checkpoint.json
// (Checkpoint) and shard.csv, in the shard format (see shard.go), holding the
// complete replications [0, done) — every variant of each. "ersim run --resume <out>"
// replays them into the collector and runs the rest, so the outputs are those of an
// uninterrupted run.
const (
	checkpointManifestName = "checkpoint.json"
	checkpointFormat       = "ersim-checkpoint"
	checkpointSuffix       = ".checkpoint"
	// interruptGrace is how long an interrupted run waits for the replications in
	// flight; those not finished by then are abandoned (a resume recomputes them).
	interruptGrace = 2 * time.Second
)

// Checkpoint is a checkpoint's checkpoint.json: what was run and how far it got.
type Checkpoint struct {
	Format       string         `json:"format"`
	Ersim        string         `json:"ersim_version"`
	Scenario     string         `json:"scenario"`
	File         string         `json:"file"`
	ScenarioText string         `json:"scenario_text"` // the scenario file as read
	Seed         uint64         `json:"seed"`
	Replications int            `json:"replications"` // of the whole run
	Done         int            `json:"done"`         // replications [0, done) are in shard.csv
	ProviderReps int            `json:"provider_reps"`
	PSA          bool           `json:"psa"`
	Variants     []ShardVariant `json:"variants"`
	Args         []string       `json:"args"` // the run's command line after "run", for --resume
	Written      string         `json:"written"`
}

// CheckpointDir is the checkpoint directory of the run whose output directory is out.
func CheckpointDir(out string) string { return filepath.Clean(out) + checkpointSuffix }

// InterruptedError is returned by Run when its context was cancelled: Done of Total
// replications were complete, and Kept says whether a checkpoint beside Out holds
// them (not with a precision target).
type InterruptedError struct {
	Done, Total int
	Kept        bool
	Out         string
}

func (e *InterruptedError) Error() string {
	if !e.Kept {
		return fmt.Sprintf("interrupted after %d of %d replications; nothing was kept or written to %s: run the same command again", e.Done, e.Total, e.Out)
	}
	return fmt.Sprintf("interrupted after %d of %d replications; resume with: ersim run --resume %s", e.Done, e.Total, e.Out)
}

// checkpointer is the run's sink: it hands every replication to the collector and, once
// all variants of a replication have come, appends them to the staged checkpoint data,
// so that the staged shard.csv always holds a complete prefix of replications.
type checkpointer struct {
	mu      sync.Mutex
	closed  bool
	col     *results.Collector
	nv      int
	pending []*model.Rep
	done    int // complete replications, including those resumed
	resumed int // replications taken over from the checkpoint resumed
	onRep   func(done int)
	prog    func(done, total int)

	stage string // "" when not checkpointing (--precision)
	file  *os.File
	bw    *bufio.Writer
	sink  *shardSink
}

// newCheckpointer stages checkpoint data beside out; from, when not nil, is the
// checkpoint being resumed, whose data it starts from.
func newCheckpointer(out string, col *results.Collector, nv int, onRep func(int), prog func(int, int), on bool, from *Checkpoint) (*checkpointer, error) {
	ck := &checkpointer{col: col, nv: nv, onRep: onRep, prog: prog}
	if !on {
		return ck, nil
	}
	stage, err := os.MkdirTemp(filepath.Dir(filepath.Clean(out)), ".ersim-checkpoint-")
	if err != nil {
		return nil, fmt.Errorf("cannot stage a checkpoint beside %s: %w", out, err)
	}
	ck.stage = stage
	if err := os.Chmod(stage, 0o755); err != nil {
		os.RemoveAll(stage)
		return nil, err
	}
	f, err := os.Create(filepath.Join(stage, shardDataName))
	if err != nil {
		os.RemoveAll(stage)
		return nil, err
	}
	ck.file, ck.bw = f, bufio.NewWriter(f)
	ck.sink = &shardSink{cw: csv.NewWriter(ck.bw)}
	if from != nil {
		old, err := os.Open(filepath.Join(CheckpointDir(out), shardDataName))
		if err == nil {
			_, err = io.Copy(ck.bw, old)
			old.Close()
		}
		if err != nil {
			ck.discard()
			return nil, fmt.Errorf("reading the checkpoint: %w", err)
		}
		ck.done, ck.resumed = from.Done, from.Done
	} else {
		ck.sink.write([]string{shardFormat, shardVersion})
	}
	return ck, nil
}

// Add implements model.Sink.
func (ck *checkpointer) Add(r *model.Rep) {
	ck.mu.Lock()
	if ck.closed {
		ck.mu.Unlock()
		return
	}
	ck.col.Add(r)
	ck.pending = append(ck.pending, r)
	if len(ck.pending) < ck.nv {
		ck.mu.Unlock()
		return
	}
	if ck.sink != nil {
		for _, p := range ck.pending {
			ck.sink.Add(p)
		}
	}
	ck.pending = ck.pending[:0]
	ck.done++
	done := ck.done
	ck.mu.Unlock()
	if ck.onRep != nil {
		ck.onRep(done)
	}
}

func (ck *checkpointer) progress(done, total int) {
	ck.mu.Lock()
	closed := ck.closed
	ck.mu.Unlock()
	if !closed {
		ck.prog(done, total)
	}
}

// discard stops taking replications and removes the staged data.
func (ck *checkpointer) discard() {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	ck.closed = true
	if ck.file != nil {
		ck.file.Close()
		ck.file = nil
	}
	if ck.stage != "" {
		os.RemoveAll(ck.stage)
		ck.stage = ""
	}
}

// commit stops taking replications and moves the staged data, with man (its Done set
// here), into place as out's checkpoint, replacing any older one. It returns the number
// of replications the checkpoint holds and whether there is one.
func (ck *checkpointer) commit(out string, man *Checkpoint) (int, bool, error) {
	ck.mu.Lock()
	ck.closed = true
	stage, done := ck.stage, ck.done
	ck.mu.Unlock()
	if stage == "" || done == ck.resumed {
		// Nothing new: the checkpoint resumed (if any) stays as it is.
		ck.discard()
		return done, done > 0 && stage != "", nil
	}
	err := func() error {
		ck.sink.cw.Flush()
		if err := ck.sink.cw.Error(); err != nil {
			return err
		}
		if ck.sink.err != nil {
			return ck.sink.err
		}
		if err := ck.bw.Flush(); err != nil {
			return err
		}
		if err := ck.file.Sync(); err != nil {
			return err
		}
		if err := ck.file.Close(); err != nil {
			return err
		}
		ck.file = nil
		man.Done = done
		man.Written = time.Now().UTC().Format(time.RFC3339)
		b, err := json.MarshalIndent(man, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(stage, checkpointManifestName), append(b, '\n'), 0o644); err != nil {
			return err
		}
		final := CheckpointDir(out)
		old := stage + "-old"
		hadOld := false
		if _, err := os.Stat(final); err == nil {
			if err := os.Rename(final, old); err != nil {
				return err
			}
			hadOld = true
		}
		if err := os.Rename(stage, final); err != nil {
			if hadOld {
				os.Rename(old, final)
			}
			return err
		}
		ck.stage = ""
		if hadOld {
			os.RemoveAll(old)
		}
		return nil
	}()
	if err != nil {
		ck.discard()
		return 0, false, fmt.Errorf("writing the checkpoint: %w", err)
	}
	return done, true, nil
}

// ResumeError is a checkpoint that cannot be resumed, or one that does not match
// what was asked: bad input, not a failure.
type ResumeError struct{ Msg string }

func (e *ResumeError) Error() string { return e.Msg }

// ReadCheckpoint reads and checks the checkpoint of the interrupted run whose output
// directory was out.
func ReadCheckpoint(out string) (*Checkpoint, error) {
	dir := CheckpointDir(out)
	b, err := os.ReadFile(filepath.Join(dir, checkpointManifestName))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &ResumeError{fmt.Sprintf("no checkpoint of an interrupted run in %s (looked for %s)", out, dir)}
		}
		return nil, &ResumeError{fmt.Sprintf("cannot read the checkpoint: %v", err)}
	}
	var m Checkpoint
	if err := json.Unmarshal(b, &m); err != nil || m.Format != checkpointFormat {
		return nil, &ResumeError{fmt.Sprintf("%s is not an ersim checkpoint", filepath.Join(dir, checkpointManifestName))}
	}
	if m.Ersim != Version {
		return nil, &ResumeError{fmt.Sprintf("the checkpoint in %s was written by ersim %s, but this is ersim %s: rerun the whole run (or resume with ersim %s)", dir, m.Ersim, Version, m.Ersim)}
	}
	if m.Done < 1 || m.Done > m.Replications {
		return nil, &ResumeError{fmt.Sprintf("the checkpoint in %s holds %d of %d replications: not resumable", dir, m.Done, m.Replications)}
	}
	return &m, nil
}

// checkResumed checks that the scenario rebuilt from the checkpoint resolves to what
// the checkpoint records.
func checkResumed(m *Checkpoint, f *scenarios.File, pl *model.Plan) error {
	if len(pl.Variants) != len(m.Variants) {
		return &ResumeError{fmt.Sprintf("the checkpoint has %d variants, its scenario gives %d", len(m.Variants), len(pl.Variants))}
	}
	base := f.Variants[0].Scenario
	if base.Seed != m.Seed || base.Replications != m.Replications {
		return &ResumeError{fmt.Sprintf("the checkpoint is of seed %d with %d replications, not seed %d with %d", m.Seed, m.Replications, base.Seed, base.Replications)}
	}
	for i, v := range pl.Variants {
		r := f.Variant(v.Name)
		if v.Name != m.Variants[i].Name || r == nil || r.Hash != m.Variants[i].SHA256 {
			return &ResumeError{fmt.Sprintf("the checkpoint's scenario does not resolve to its recorded hash of variant %s", m.Variants[i].Name)}
		}
	}
	return nil
}

// CompareResume checks the scenario as given with --resume (the checkpoint's own, or
// the one named, with the checkpointed run's flags and then --resume's --seed and --reps
// applied) against the checkpoint.
func CompareResume(m *Checkpoint, f *scenarios.File) error {
	base := f.Variants[0].Scenario
	if base.Seed != m.Seed {
		return &ResumeError{fmt.Sprintf("the checkpoint is of seed %d, not %d: resume refused", m.Seed, base.Seed)}
	}
	if base.Replications != m.Replications {
		return &ResumeError{fmt.Sprintf("the checkpoint is of %d replications, not %d: resume refused", m.Replications, base.Replications)}
	}
	var want, got []string
	for _, v := range m.Variants {
		want = append(want, v.Name+" "+v.SHA256)
		r := f.Variant(v.Name)
		if r == nil {
			got = append(got, v.Name+" (missing)")
			continue
		}
		got = append(got, r.Name+" "+r.Hash)
	}
	if strings.Join(want, ", ") != strings.Join(got, ", ") {
		return &ResumeError{fmt.Sprintf("the checkpoint is of another scenario: %s [%s], not %s [%s]: resume refused",
			m.Scenario, strings.Join(want, ", "), base.Name, strings.Join(got, ", "))}
	}
	return nil
}
