package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"ersim/model"
	"ersim/results"
	"ersim/scenarios"
)

// An interrupted "ersim run" keeps the replications it completed in a checkpoint
// directory beside its output directory, <out>.checkpoint/: checkpoint.json
// (checkpointManifest) and shard.csv, in the shard format (see shard.go), holding the
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

// checkpointManifest is checkpoint.json.
type checkpointManifest struct {
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
	Variants     []shardVariant `json:"variants"`
	Args         []string       `json:"args"` // the run's command line after "run", for --resume
	Written      string         `json:"written"`
}

func checkpointDir(out string) string { return filepath.Clean(out) + checkpointSuffix }

// interruptHook, when set (by tests), is called after each complete replication with the
// number done; a signal it returns interrupts the run as if it had arrived.
var interruptHook func(done int) os.Signal

// interrupt cancels a context on SIGINT or SIGTERM and remembers which arrived.
type interrupt struct {
	ctx    context.Context
	cancel context.CancelFunc
	c      chan os.Signal
	quit   chan struct{}
	fired  chan struct{}
	once   sync.Once
	mu     sync.Mutex
	sig    os.Signal
}

func newInterrupt() *interrupt {
	in := &interrupt{c: make(chan os.Signal, 2), quit: make(chan struct{}), fired: make(chan struct{})}
	in.ctx, in.cancel = context.WithCancel(context.Background())
	signal.Notify(in.c, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-in.c:
			in.trigger(s)
		case <-in.quit:
		}
	}()
	return in
}

func (in *interrupt) trigger(s os.Signal) {
	in.once.Do(func() {
		in.mu.Lock()
		in.sig = s
		in.mu.Unlock()
		in.cancel()
		close(in.fired)
	})
}

// signal returns the signal that interrupted the run, or nil; wait is how long to
// wait for one (another handler may have seen it first).
func (in *interrupt) signal(wait time.Duration) os.Signal {
	select {
	case <-in.fired:
	case <-time.After(wait):
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.sig
}

func (in *interrupt) stop() {
	signal.Stop(in.c)
	close(in.quit)
	in.cancel()
}

// signalExit is the shell's exit status for a process ended by s: 128 + its number
// (130 for SIGINT, 143 for SIGTERM).
func signalExit(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitFail
}

// interruptedError is returned by runFile when a signal stopped it.
type interruptedError struct {
	done, total int
	kept        bool // a checkpoint holds the done replications
	out         string
}

func (e *interruptedError) Error() string {
	if !e.kept {
		return fmt.Sprintf("interrupted after %d of %d replications; nothing was kept or written to %s: run the same command again", e.done, e.total, e.out)
	}
	return fmt.Sprintf("interrupted after %d of %d replications; resume with: ersim run --resume %s", e.done, e.total, e.out)
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
	in      *interrupt
	prog    func(done, total int)

	stage string // "" when not checkpointing (--precision)
	file  *os.File
	bw    *bufio.Writer
	sink  *shardSink
}

// newCheckpointer stages checkpoint data beside out; from, when not nil, is the
// checkpoint being resumed, whose data it starts from.
func newCheckpointer(out string, col *results.Collector, nv int, in *interrupt, prog func(int, int), on bool, from *checkpointManifest) (*checkpointer, error) {
	ck := &checkpointer{col: col, nv: nv, in: in, prog: prog}
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
		old, err := os.Open(filepath.Join(checkpointDir(out), shardDataName))
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
	if interruptHook != nil {
		if s := interruptHook(done); s != nil {
			ck.in.trigger(s)
		}
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
func (ck *checkpointer) commit(out string, man *checkpointManifest) (int, bool, error) {
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
		final := checkpointDir(out)
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

// resumeError is a checkpoint that cannot be resumed (exit status 2).
type resumeError struct{ msg string }

func (e *resumeError) Error() string { return e.msg }

// readCheckpoint reads and checks out's checkpoint manifest.
func readCheckpoint(out string) (*checkpointManifest, error) {
	dir := checkpointDir(out)
	b, err := os.ReadFile(filepath.Join(dir, checkpointManifestName))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &resumeError{fmt.Sprintf("no checkpoint of an interrupted run in %s (looked for %s)", out, dir)}
		}
		return nil, &resumeError{fmt.Sprintf("cannot read the checkpoint: %v", err)}
	}
	var m checkpointManifest
	if err := json.Unmarshal(b, &m); err != nil || m.Format != checkpointFormat {
		return nil, &resumeError{fmt.Sprintf("%s is not an ersim checkpoint", filepath.Join(dir, checkpointManifestName))}
	}
	if m.Ersim != Version {
		return nil, &resumeError{fmt.Sprintf("the checkpoint in %s was written by ersim %s, but this is ersim %s: rerun the whole run (or resume with ersim %s)", dir, m.Ersim, Version, m.Ersim)}
	}
	if m.Done < 1 || m.Done > m.Replications {
		return nil, &resumeError{fmt.Sprintf("the checkpoint in %s holds %d of %d replications: not resumable", dir, m.Done, m.Replications)}
	}
	return &m, nil
}

// checkResumed checks that the scenario rebuilt from the checkpoint resolves to what
// the checkpoint records.
func checkResumed(m *checkpointManifest, f *scenarios.File, pl *model.Plan) error {
	if len(pl.Variants) != len(m.Variants) {
		return &resumeError{fmt.Sprintf("the checkpoint has %d variants, its scenario gives %d", len(m.Variants), len(pl.Variants))}
	}
	base := f.Variants[0].Scenario
	if base.Seed != m.Seed || base.Replications != m.Replications {
		return &resumeError{fmt.Sprintf("the checkpoint is of seed %d with %d replications, not seed %d with %d", m.Seed, m.Replications, base.Seed, base.Replications)}
	}
	for i, v := range pl.Variants {
		r := f.Variant(v.Name)
		if v.Name != m.Variants[i].Name || r == nil || r.Hash != m.Variants[i].SHA256 {
			return &resumeError{fmt.Sprintf("the checkpoint's scenario does not resolve to its recorded hash of variant %s", m.Variants[i].Name)}
		}
	}
	return nil
}

// compareResume checks the scenario as given with --resume (the checkpoint's own, or
// the one named, with the checkpointed run's flags and then --resume's --seed and --reps
// applied) against the checkpoint.
func compareResume(m *checkpointManifest, f *scenarios.File) error {
	base := f.Variants[0].Scenario
	if base.Seed != m.Seed {
		return &resumeError{fmt.Sprintf("the checkpoint is of seed %d, not %d: resume refused", m.Seed, base.Seed)}
	}
	if base.Replications != m.Replications {
		return &resumeError{fmt.Sprintf("the checkpoint is of %d replications, not %d: resume refused", m.Replications, base.Replications)}
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
		return &resumeError{fmt.Sprintf("the checkpoint is of another scenario: %s [%s], not %s [%s]: resume refused",
			m.Scenario, strings.Join(want, ", "), base.Name, strings.Join(got, ", "))}
	}
	return nil
}
