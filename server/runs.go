package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"ersim/plots"
	"ersim/scenarios"
	"ersim/study"
)

// Runs started in the browser (issue 16): a run (optionally a PSA), a one-way
// sensitivity analysis or a sweep of one or two parameters, each into its own
// directory under the workspace's runs/, named <scenario>-<kind>-<date>_<time>. A
// run's directory appears only when it is complete: study.Run stages its files, and a
// sensitivity analysis or sweep runs into a hidden staging directory that is renamed
// when done or removed when not. A run cancelled, or interrupted by stopping the
// server, keeps its complete replications in a checkpoint beside its directory
// (study.CheckpointDir), which the library page offers to resume or discard; the same
// checkpoint is what "ersim run --resume DIR" continues.

// Kinds of run.
const (
	kindRun         = "run"
	kindPSA         = "psa"
	kindSensitivity = "sensitivity"
	kindSweep       = "sweep"
)

// Limits of a run started in the browser besides Config.MaxReps: the points of a
// sweep, and the replications of all points together, as a multiple of MaxReps.
const (
	maxSweepPoints = 100
	maxRepsFactor  = 20
)

// run is a run started here.
type run struct {
	ID, Kind    string
	Dir         string
	Status      string // running, done, interrupted, cancelled or failed; say words it
	Detail      string // what failed, or "done of total" replications kept
	Done, Total int
	Running     bool
	cancel      context.CancelFunc
	err         error
}

// runJob is what a run is to do.
type runJob struct {
	kind      string
	f         *scenarios.File
	reps      int
	seed      *uint64 // replaces the scenario's seed when not nil
	axes      []study.Axis
	chartLang string
	resume    *study.Checkpoint // a checkpoint to continue, into dir
	dir       string
}

func (s *Server) startRun(w http.ResponseWriter, r *http.Request) {
	source, name := r.PostFormValue("source"), r.PostFormValue("name")
	text, label, err := s.load(source, name)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("no scenario %q: %v", name, err))
		return
	}
	reps, err := strconv.Atoi(r.PostFormValue("reps"))
	if err != nil || reps < 1 || reps > s.cfg.MaxReps {
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("replications must be a whole number from 1 to %d", s.cfg.MaxReps))
		return
	}
	f, err := scenarios.Parse(label, text)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "the scenario is not valid: "+err.Error())
		return
	}
	job := &runJob{kind: r.PostFormValue("kind"), f: f, reps: reps, chartLang: "en"}
	if v := strings.TrimSpace(r.PostFormValue("seed")); v != "" {
		seed, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("seed %q: a whole number from 0 to 18446744073709551615, or empty for the scenario's own", v))
			return
		}
		job.seed = &seed
	}
	if r.PostFormValue("lang") == "sv" {
		job.chartLang = "sv"
	}
	points := 1
	switch job.kind {
	case "", kindRun:
		job.kind = kindRun
	case kindPSA, kindSensitivity:
		if len(f.Base.Uncertainty.Keys()) == 0 {
			s.fail(w, r, http.StatusBadRequest, "a PSA or a sensitivity analysis needs an [uncertainty] section in the scenario, naming the uncertain parameters and their ranges")
			return
		}
		if job.kind == kindSensitivity {
			points = 1 + 2*len(f.Base.Uncertainty.Keys())
		}
	case kindSweep:
		var sets []string
		for _, k := range []string{"set1", "set2"} {
			if v := strings.TrimSpace(r.PostFormValue(k)); v != "" {
				sets = append(sets, v)
			}
		}
		axes, err := study.ParseSets(sets, 0)
		if err == nil {
			err = study.CheckAxes(f, axes)
		}
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, "the sweep cannot run: "+strings.ReplaceAll(err.Error(), "--set ", ""))
			return
		}
		job.axes = axes
		for _, a := range axes {
			points *= a.Steps
		}
		if points > maxSweepPoints {
			s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("the sweep has %d points; at most %d (for example 10 × 10)", points, maxSweepPoints))
			return
		}
	default:
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("no kind of run %q; allowed: run, psa, sensitivity, sweep", job.kind))
		return
	}
	if points*reps > maxRepsFactor*s.cfg.MaxReps {
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("%d points × %d replications is more than this server runs at once (%d); use fewer replications", points, reps, maxRepsFactor*s.cfg.MaxReps))
		return
	}
	id, err := s.launch(job, lang(r))
	if err != nil {
		s.fail(w, r, http.StatusTooManyRequests, err.Error())
		return
	}
	http.Redirect(w, r, "/runs/"+id+"?lang="+lang(r), http.StatusSeeOther)
}

var errBusy = errors.New("a run is already going (the most this server runs at once); wait for it to finish or cancel it")

// launch starts job in the background and returns its run's id.
func (s *Server) launch(job *runJob, l string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active >= s.cfg.MaxRuns || s.closing {
		return "", errBusy
	}
	s.active++
	var dir string
	if job.resume != nil {
		dir = job.dir
	} else {
		kind := ""
		if job.kind != kindRun {
			kind = job.kind + "-"
		}
		dir = s.newRunDir(job.f.Base.Name+"-"+kind, time.Now())
	}
	ctx, cancel := context.WithCancel(context.Background())
	ru := &run{ID: filepath.Base(dir), Kind: job.kind, Dir: dir, Status: "running", Running: true,
		Total: job.reps * len(job.f.Variants), cancel: cancel}
	s.runs[ru.ID] = ru
	s.wg.Add(1)
	go s.execute(ctx, ru, job)
	return ru.ID, nil
}

// newRunDir is a new run directory in the workspace, runs/<prefix><date>_<time>, with
// -2, -3, … when it is taken (by a run, a checkpoint or a staging directory); it must
// be called with s.mu held.
func (s *Server) newRunDir(prefix string, t time.Time) string {
	base := prefix + t.UTC().Format("2006-01-02_150405")
	id := base
	for k := 2; ; k++ {
		_, taken := s.runs[id]
		p := filepath.Join(s.cfg.Workspace, "runs", id)
		if !taken && !exists(p) && !exists(study.CheckpointDir(p)) && !exists(stageDir(p)) {
			return p
		}
		id = fmt.Sprintf("%s-%d", base, k)
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// stageDir is where a sensitivity analysis or sweep is written before it is renamed
// to dir; the name starts with a dot, so it is never listed as a run.
func stageDir(dir string) string {
	return filepath.Join(filepath.Dir(dir), ".stage-"+filepath.Base(dir))
}

// execute runs a job into its run directory through the library layer.
func (s *Server) execute(ctx context.Context, ru *run, job *runJob) {
	defer s.wg.Done()
	charts := plots.Options{Lang: job.chartLang, Size: "report", Formats: []string{"svg"}}
	opt := study.Options{Reps: &job.reps, Seed: job.seed, Workers: 0, Charts: charts,
		Progress: func(done, total int) {
			s.mu.Lock()
			ru.Done, ru.Total = done, total
			s.mu.Unlock()
		}}
	var err error
	switch job.kind {
	case kindRun, kindPSA:
		// The checkpoint records the flags of the same run on the command line, so that
		// "ersim run --resume DIR" continues it as the browser would.
		args := []string{"--reps", strconv.Itoa(job.reps), "--lang", job.chartLang, "--provider-reps", "5"}
		if job.kind == kindPSA {
			args = append(args, "--psa")
		}
		if job.seed != nil {
			args = append(args, "--seed", strconv.FormatUint(*job.seed, 10))
		}
		if job.resume != nil {
			args = job.resume.Args
		}
		_, err = study.Run(ctx, job.f, ru.Dir, study.RunOptions{Options: opt, ProviderReps: 5,
			PSA: job.kind == kindPSA, Args: args, Resume: job.resume})
		if err == nil {
			err = study.WriteReport(ru.Dir, charts)
		}
	case kindSensitivity, kindSweep:
		stage := stageDir(ru.Dir)
		if job.kind == kindSensitivity {
			_, err = study.Sensitivity(ctx, job.f, stage, opt)
		} else {
			_, err = study.Sweep(ctx, job.f, job.axes, stage, study.SweepOptions{Options: opt})
		}
		if err == nil {
			err = os.Rename(stage, ru.Dir)
		}
		if err != nil {
			os.RemoveAll(stage)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active--
	ru.Running, ru.err = false, err
	var ie *study.InterruptedError
	switch {
	case err == nil:
		ru.Status = "done"
	case errors.As(err, &ie) && ie.Kept:
		ru.Status, ru.Detail = "interrupted", fmt.Sprintf("%d / %d", ie.Done, ie.Total)
	case ctx.Err() != nil:
		ru.Status = "cancelled"
	default:
		ru.Status, ru.Detail = "failed", err.Error()
	}
}

// say is a run's status in words of language l.
func (ru *run) say(l string) string {
	w := texts[l]
	switch ru.Status {
	case "running":
		return w.Running
	case "done":
		return w.Done
	case "interrupted":
		return fmt.Sprintf(w.InterruptedAfter, ru.Detail)
	case "cancelled":
		return w.Cancelled
	case "failed":
		return w.Failed + ": " + ru.Detail
	}
	return ru.Status
}

// Shutdown cancels the runs going and waits for them to keep their checkpoints (at
// most a few seconds: study.Run abandons replications still in flight after two). It
// returns the ids of the runs it stopped.
func (s *Server) Shutdown() []string {
	s.mu.Lock()
	s.closing = true
	var stopped []string
	for id, ru := range s.runs {
		if ru.Running {
			ru.cancel()
			stopped = append(stopped, id)
		}
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
	}
	sort.Strings(stopped)
	return stopped
}

type runRow struct{ ID, Kind, Status string }

// interrupted is a run whose checkpoint is in the workspace.
type interrupted struct {
	ID          string
	Done, Total int
}

// kindOf tells a finished run's kind by the files it has.
func kindOf(dir string) string {
	switch {
	case exists(filepath.Join(dir, "manifest.json")):
		if exists(filepath.Join(dir, "psa_draws.csv")) {
			return kindPSA
		}
		return kindRun
	case exists(filepath.Join(dir, "sensitivity.csv")):
		return kindSensitivity
	case exists(filepath.Join(dir, "sweep.csv")):
		return kindSweep
	}
	return ""
}

// listRuns lists the runs of this server and the finished runs in the workspace, and
// the interrupted runs whose checkpoints can be resumed.
func (s *Server) listRuns(l string) ([]runRow, []interrupted) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	var out []runRow
	for id, ru := range s.runs {
		out = append(out, runRow{id, ru.Kind, ru.say(l)})
		seen[id] = true
	}
	var stopped []interrupted
	entries, _ := os.ReadDir(filepath.Join(s.cfg.Workspace, "runs"))
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(s.cfg.Workspace, "runs", name)
		if id, ok := strings.CutSuffix(name, ".checkpoint"); ok && runRE.MatchString(id) {
			if ru, going := s.runs[id]; going && ru.Running {
				continue
			}
			if m, err := study.ReadCheckpoint(filepath.Join(s.cfg.Workspace, "runs", id)); err == nil {
				stopped = append(stopped, interrupted{id, m.Done, m.Replications})
			}
			continue
		}
		if runRE.MatchString(name) && !seen[name] {
			if k := kindOf(dir); k != "" {
				out = append(out, runRow{name, k, texts[l].Done})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	sort.Slice(stopped, func(i, j int) bool { return stopped[i].ID > stopped[j].ID })
	return out, stopped
}

// runFor finds a run by id: one of this server's, or a finished one in the workspace.
func (s *Server) runFor(id string) (*run, bool) {
	if !runRE.MatchString(id) {
		return nil, false
	}
	s.mu.Lock()
	ru, ok := s.runs[id]
	if ok {
		c := *ru
		s.mu.Unlock()
		return &c, true
	}
	s.mu.Unlock()
	dir := filepath.Join(s.cfg.Workspace, "runs", id)
	k := kindOf(dir)
	if k == "" {
		return nil, false
	}
	return &run{ID: id, Kind: k, Dir: dir, Status: "done"}, true
}

// checkpointFor reads the checkpoint of the interrupted run id, refusing any other name.
func (s *Server) checkpointFor(id string) (*study.Checkpoint, string, error) {
	if !runRE.MatchString(id) {
		return nil, "", errBadName
	}
	dir := filepath.Join(s.cfg.Workspace, "runs", id)
	s.mu.Lock()
	ru, going := s.runs[id]
	s.mu.Unlock()
	if going && ru.Running {
		return nil, "", errors.New("the run is still going")
	}
	m, err := study.ReadCheckpoint(dir)
	return m, dir, err
}

// resumeRun continues an interrupted run from its checkpoint, with the settings it was
// started with; its outputs are those of an uninterrupted run.
func (s *Server) resumeRun(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	m, dir, err := s.checkpointFor(id)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "cannot resume "+id+": "+err.Error())
		return
	}
	f, err := scenarios.Parse(m.File, []byte(m.ScenarioText))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "the checkpoint's scenario is not valid with this ersim: "+err.Error())
		return
	}
	job := &runJob{kind: kindRun, f: f, reps: m.Replications, chartLang: "en", resume: m, dir: dir}
	if m.PSA {
		job.kind = kindPSA
	}
	for i, a := range m.Args {
		if a == "--lang" && i+1 < len(m.Args) && m.Args[i+1] == "sv" {
			job.chartLang = "sv"
		}
	}
	job.seed = &m.Seed
	study.Override(f, &m.Seed, &m.Replications)
	if _, err := s.launch(job, lang(r)); err != nil {
		s.fail(w, r, http.StatusTooManyRequests, err.Error())
		return
	}
	http.Redirect(w, r, "/runs/"+id+"?lang="+lang(r), http.StatusSeeOther)
}

// discardRun removes an interrupted run's checkpoint.
func (s *Server) discardRun(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, dir, err := s.checkpointFor(id)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "cannot discard "+id+": "+err.Error())
		return
	}
	if err := os.RemoveAll(study.CheckpointDir(dir)); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not remove the checkpoint: "+err.Error())
		return
	}
	s.mu.Lock()
	if ru, ok := s.runs[id]; ok && !ru.Running {
		delete(s.runs, id)
	}
	s.mu.Unlock()
	http.Redirect(w, r, "/?lang="+lang(r), http.StatusSeeOther)
}
