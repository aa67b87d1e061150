// Package server is ersim's local web front end (issue 16): a scenario library (the
// shipped scenarios and the user's files in a workspace directory), validation with the
// same messages as "ersim validate", runs started from the browser with live progress
// and cancel, and results pages with the headline table, the charts inline and every
// file to download. It is built on the library layer (package study), not on the command
// line's internals; templates and styles are embedded, and nothing is fetched at run
// time.
//
// Safety: only the workspace is read or written, names are checked against strict
// patterns (no path traversal), every request that changes state must carry the
// server's token and come from its own origin, replications and concurrent runs are
// limited, and an error is a plain page, never a stack trace.
package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"ersim/model"
	"ersim/plots"
	"ersim/results"
	"ersim/scenarios"
	"ersim/study"
)

//go:embed web/*.html web/*.css
var web embed.FS

// Config is what a server may do.
type Config struct {
	Workspace string // the user's scenarios (*.toml) and, under runs/, the runs started here
	MaxReps   int    // most replications a run may ask for; default 500
	MaxRuns   int    // most runs at once; default 1
}

// Server serves the front end.
type Server struct {
	cfg   Config
	token string
	tmpl  map[string]*template.Template

	mu     sync.Mutex
	runs   map[string]*run
	active int
}

// run is a run started here.
type run struct {
	ID          string
	Dir         string
	Status      string
	Done, Total int
	Running     bool
	cancel      context.CancelFunc
	err         error
}

var (
	scenarioRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	fileRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.toml$`)
	runRE      = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}-\d{4}-\d{2}-\d{2}_\d{6}(-\d+)?$`)
	dataFileRE = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[a-z]+)?$|^charts/[A-Za-z0-9_-]+\.(svg|csv|png|pdf)$`)
)

// New makes a server for cfg; the workspace is created if it does not exist.
func New(cfg Config) (*Server, error) {
	if cfg.MaxReps <= 0 {
		cfg.MaxReps = 500
	}
	if cfg.MaxRuns <= 0 {
		cfg.MaxRuns = 1
	}
	abs, err := filepath.Abs(cfg.Workspace)
	if err != nil {
		return nil, err
	}
	cfg.Workspace = abs
	if err := os.MkdirAll(filepath.Join(abs, "runs"), 0o755); err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, token: hex.EncodeToString(b), runs: map[string]*run{}, tmpl: map[string]*template.Template{}}
	for _, name := range []string{"library", "scenario", "validate", "run", "edit", "compare", "error"} {
		files := []string{"web/page.html"}
		if name != "error" {
			files = append(files, "web/"+name+".html")
		}
		t := template.New(name)
		if name == "error" {
			t = template.Must(t.Parse(`{{define "body"}}<p><a href="/?lang={{.Lang}}">{{.T.Back}}</a></p>{{end}}`))
		}
		t, err := t.ParseFS(web, files...)
		if err != nil {
			return nil, err
		}
		s.tmpl[name] = t
	}
	return s, nil
}

// Token is the token a state-changing request must carry (tests use it).
func (s *Server) Token() string { return s.token }

// Handler is the server's routes, wrapped so that a panic is an error page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.library)
	mux.HandleFunc("GET /static/style.css", func(w http.ResponseWriter, r *http.Request) {
		b, _ := fs.ReadFile(web, "web/style.css")
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Write(b)
	})
	mux.HandleFunc("GET /scenarios/builtin/{name}", s.scenario)
	mux.HandleFunc("GET /scenarios/ws/{name}", s.scenario)
	mux.HandleFunc("POST /validate", s.guard(s.validate))
	mux.HandleFunc("POST /runs", s.guard(s.startRun))
	mux.HandleFunc("GET /runs/{id}", s.showRun)
	mux.HandleFunc("GET /runs/{id}/events", s.events)
	mux.HandleFunc("POST /runs/{id}/cancel", s.guard(s.cancelRun))
	mux.HandleFunc("GET /runs/{id}/files/{file...}", s.file)
	mux.HandleFunc("GET /edit/ws/{name}", s.editForm)
	mux.HandleFunc("POST /edit/ws/{name}", s.guard(s.saveForm))
	mux.HandleFunc("POST /duplicate", s.guard(s.duplicate))
	mux.HandleFunc("POST /new", s.guard(s.newFromTemplate))
	mux.HandleFunc("GET /compare", s.compare)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("ersim serve: %s %s: %v", r.Method, r.URL.Path, v)
				s.fail(w, r, http.StatusInternalServerError, "something went wrong on the server; the log says what")
			}
		}()
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:")
		mux.ServeHTTP(w, r)
	})
}

// guard refuses a state-changing request that does not come from the server's own
// origin or lacks its token.
func (s *Server) guard(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			u, err := url.Parse(o)
			if err != nil || u.Host != r.Host {
				s.fail(w, r, http.StatusForbidden, "refused: the request comes from another site ("+o+")")
				return
			}
		}
		if err := r.ParseForm(); err != nil {
			s.fail(w, r, http.StatusBadRequest, "refused: the form could not be read")
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.PostFormValue("token")), []byte(s.token)) != 1 {
			s.fail(w, r, http.StatusForbidden, "refused: the form has no valid token (reload the page and try again)")
			return
		}
		h(w, r)
	}
}

func lang(r *http.Request) string {
	if r.FormValue("lang") == "sv" {
		return "sv"
	}
	return "en"
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data map[string]any) {
	l := lang(r)
	if data == nil {
		data = map[string]any{}
	}
	data["Lang"], data["Title"], data["T"], data["Token"] = l, title, texts[l], s.token
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.tmpl[name].ExecuteTemplate(w, "page", data); err != nil {
		log.Printf("ersim serve: template %s: %v", name, err)
	}
}

// fail writes an error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", texts[lang(r)].ErrorTitle, map[string]any{"Error": msg})
}

func (s *Server) library(w http.ResponseWriter, r *http.Request) {
	files, _ := filepath.Glob(filepath.Join(s.cfg.Workspace, "*.toml"))
	var names []string
	for _, f := range files {
		if b := filepath.Base(f); fileRE.MatchString(b) {
			names = append(names, b)
		}
	}
	sort.Strings(names)
	s.render(w, r, http.StatusOK, "library", texts[lang(r)].Library, map[string]any{
		"Builtin": scenarios.List(), "Files": names, "Workspace": s.cfg.Workspace, "Runs": s.listRuns(),
		"Templates": scenarios.TemplateNames(),
	})
}

// load reads a scenario by source ("builtin" or "ws") and name, refusing any name that
// is not a plain scenario or file name.
func (s *Server) load(source, name string) (text []byte, label string, err error) {
	switch source {
	case "builtin":
		if !scenarioRE.MatchString(name) {
			return nil, "", errBadName
		}
		t, err := scenarios.Text(name)
		return t, "embedded:" + name, err
	case "ws":
		if !fileRE.MatchString(name) {
			return nil, "", errBadName
		}
		path := filepath.Join(s.cfg.Workspace, name)
		if filepath.Dir(path) != s.cfg.Workspace {
			return nil, "", errBadName
		}
		t, err := os.ReadFile(path)
		return t, name, err
	}
	return nil, "", errBadName
}

var errBadName = errors.New("not a scenario name (letters, digits, _ and -; files end in .toml and stay in the workspace)")

func (s *Server) scenario(w http.ResponseWriter, r *http.Request) {
	source := "builtin"
	if strings.HasPrefix(r.URL.Path, "/scenarios/ws/") {
		source = "ws"
	}
	name := r.PathValue("name")
	text, label, err := s.load(source, name)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no scenario %q: %v", name, err))
		return
	}
	f, perr := scenarios.Parse(label, text)
	data := map[string]any{"Source": source, "Name": name, "Text": string(text), "MaxReps": s.cfg.MaxReps,
		"Problems": problems(perr), "Scenario": map[string]string{}, "Saved": r.URL.Query().Get("saved") != ""}
	if f != nil {
		data["Scenario"] = map[string]string{"Title": f.Base.Title}
		data["DefaultReps"] = min(f.Base.Replications, s.cfg.MaxReps)
	}
	s.render(w, r, http.StatusOK, "scenario", name, data)
}

// problems are the validation messages of err, one per problem, as "ersim validate"
// prints them.
func problems(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(strings.TrimSpace(err.Error()), "\n")
}

func (s *Server) validate(w http.ResponseWriter, r *http.Request) {
	text := r.PostFormValue("toml")
	f, err := scenarios.Parse("scenario.toml", []byte(text))
	data := map[string]any{"Text": text, "Problems": problems(err)}
	if f != nil {
		data["Warnings"] = f.Warnings
	}
	s.render(w, r, http.StatusOK, "validate", texts[lang(r)].Check, data)
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
	s.mu.Lock()
	if s.active >= s.cfg.MaxRuns {
		s.mu.Unlock()
		s.fail(w, r, http.StatusTooManyRequests, fmt.Sprintf("%d run(s) already going; wait for it to finish or cancel it", s.active))
		return
	}
	s.active++
	dir := s.newRunDir(f.Base.Name, time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	ru := &run{ID: filepath.Base(dir), Dir: dir, Status: texts[lang(r)].Running, Running: true, Total: reps * len(f.Variants), cancel: cancel}
	s.runs[ru.ID] = ru
	s.mu.Unlock()
	chartLang := "en"
	if r.PostFormValue("lang") == "sv" {
		chartLang = "sv"
	}
	go s.execute(ctx, ru, f, reps, chartLang)
	http.Redirect(w, r, "/runs/"+ru.ID+"?lang="+lang(r), http.StatusSeeOther)
}

// newRunDir is a new run directory in the workspace, runs/<scenario>-<date>_<time>,
// with -2, -3, … when it is taken; it must be called with s.mu held.
func (s *Server) newRunDir(name string, t time.Time) string {
	base := name + "-" + t.UTC().Format("2006-01-02_150405")
	id := base
	for k := 2; ; k++ {
		_, taken := s.runs[id]
		if _, err := os.Stat(filepath.Join(s.cfg.Workspace, "runs", id)); !taken && os.IsNotExist(err) {
			return filepath.Join(s.cfg.Workspace, "runs", id)
		}
		id = fmt.Sprintf("%s-%d", base, k)
	}
}

// execute runs a scenario into its run directory through the library layer.
func (s *Server) execute(ctx context.Context, ru *run, f *scenarios.File, reps int, chartLang string) {
	opt := study.RunOptions{Options: study.Options{Reps: &reps, Workers: 0,
		Charts: plots.Options{Lang: chartLang, Size: "report", Formats: []string{"svg"}},
		Progress: func(done, total int) {
			s.mu.Lock()
			ru.Done, ru.Total = done, total
			s.mu.Unlock()
		}}, ProviderReps: 5}
	_, err := study.Run(ctx, f, ru.Dir, opt)
	if err == nil {
		err = study.WriteReport(ru.Dir, plots.Options{Lang: chartLang, Size: "report", Formats: []string{"svg"}})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active--
	ru.Running, ru.err = false, err
	switch {
	case err == nil:
		ru.Status = "done"
	case ctx.Err() != nil:
		// A cancelled or interrupted run leaves only its checkpoint, beside the
		// workspace's runs, which "ersim run --resume" continues.
		ru.Status = "cancelled (resumable: ersim run --resume " + ru.Dir + ")"
	default:
		ru.Status = "failed: " + err.Error()
	}
}

// Shutdown cancels the runs going; each leaves its checkpoint (ersim run --resume).
func (s *Server) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ru := range s.runs {
		if ru.Running {
			ru.cancel()
		}
	}
}

type runRow struct{ ID, Status string }

// listRuns lists the finished runs in the workspace and the runs of this server.
func (s *Server) listRuns() []runRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	var out []runRow
	for id, ru := range s.runs {
		out = append(out, runRow{id, ru.Status})
		seen[id] = true
	}
	entries, _ := os.ReadDir(filepath.Join(s.cfg.Workspace, "runs"))
	for _, e := range entries {
		if e.IsDir() && runRE.MatchString(e.Name()) && !seen[e.Name()] {
			if _, err := os.Stat(filepath.Join(s.cfg.Workspace, "runs", e.Name(), "manifest.json")); err == nil {
				out = append(out, runRow{e.Name(), "done"})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out
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
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		return nil, false
	}
	return &run{ID: id, Dir: dir, Status: "done"}, true
}

type headRow struct{ Metric, Variant, Mean, Diff, CI string }

func (s *Server) showRun(w http.ResponseWriter, r *http.Request) {
	ru, ok := s.runFor(r.PathValue("id"))
	if !ok {
		s.fail(w, r, http.StatusNotFound, "no run "+r.PathValue("id"))
		return
	}
	data := map[string]any{"Run": ru}
	if !ru.Running && ru.err == nil {
		if res, err := results.ReadRun(ru.Dir); err == nil {
			l := lang(r)
			var rows []headRow
			for _, m := range model.Headline {
				for vi, v := range res.Variants {
					sr := res.Find(v, m, "all", "all")
					if sr == nil {
						continue
					}
					// Money in MSEK and shares in percent, as the console and the report.
					scale, name := 1.0, m
					switch m {
					case "payments":
						scale, name = 1e-6, m+" (MSEK)"
					case "admin_share":
						scale, name = 100, m+" (%)"
					}
					row := headRow{Metric: name, Variant: res.Label(v, l), Mean: num(sr.Mean*scale, l)}
					if d := res.FindDiff(v, m, "all", "all"); d != nil && vi > 0 {
						row.Diff, row.CI = sign(d.Mean*scale, l), sign(d.CILo*scale, l)+" … "+sign(d.CIHi*scale, l)
					}
					rows = append(rows, row)
				}
			}
			data["Headline"] = rows
			var files []string
			for _, pattern := range []string{"*.csv", "*.json", "report*.html", "report*.md"} {
				m, _ := filepath.Glob(filepath.Join(ru.Dir, pattern))
				for _, f := range m {
					files = append(files, filepath.Base(f))
				}
			}
			sort.Strings(files)
			data["Files"] = files
			var charts []template.HTML
			svgs, _ := filepath.Glob(filepath.Join(ru.Dir, "charts", "*.svg"))
			sort.Strings(svgs)
			for _, f := range svgs {
				b, err := os.ReadFile(f)
				if err == nil {
					// The charts are ersim's own SVG, written by this server's run.
					charts = append(charts, template.HTML(stripXMLDecl(string(b))))
				}
			}
			data["Charts"] = charts
		}
	}
	s.render(w, r, http.StatusOK, "run", ru.ID, data)
}

var xmlDecl = regexp.MustCompile(`(?s)^\s*<\?xml.*?\?>\s*(<!DOCTYPE.*?>\s*)?`)

func stripXMLDecl(s string) string { return xmlDecl.ReplaceAllString(s, "") }

func num(x float64, l string) string {
	s := results.Fmt(x, false)
	if l == "sv" {
		return results.SvNumber(s)
	}
	return s
}

// events streams a run's progress as server-sent events: "done total" messages, then
// an event "done".
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.runFor(r.PathValue("id")); !ok {
		s.fail(w, r, http.StatusNotFound, "no run "+r.PathValue("id"))
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fl, _ := w.(http.Flusher)
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	for {
		ru, _ := s.runFor(r.PathValue("id"))
		fmt.Fprintf(w, "data: %d %d\n\n", ru.Done, ru.Total)
		if !ru.Running {
			fmt.Fprint(w, "event: done\ndata: end\n\n")
			if fl != nil {
				fl.Flush()
			}
			return
		}
		if fl != nil {
			fl.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

func (s *Server) cancelRun(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	ru, ok := s.runs[id]
	if ok && ru.Running {
		ru.cancel()
	}
	s.mu.Unlock()
	if !ok {
		s.fail(w, r, http.StatusNotFound, "no run "+id+" going")
		return
	}
	http.Redirect(w, r, "/runs/"+id+"?lang="+lang(r), http.StatusSeeOther)
}

// file serves a file of a finished run, by a name that cannot leave the run directory.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	ru, ok := s.runFor(r.PathValue("id"))
	name := r.PathValue("file")
	if !ok || ru.Running || !dataFileRE.MatchString(name) || strings.Contains(name, "..") {
		s.fail(w, r, http.StatusNotFound, "no such file")
		return
	}
	path := filepath.Join(ru.Dir, filepath.FromSlash(name))
	if rel, err := filepath.Rel(ru.Dir, path); err != nil || strings.HasPrefix(rel, "..") {
		s.fail(w, r, http.StatusNotFound, "no such file")
		return
	}
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		s.fail(w, r, http.StatusNotFound, "no such file")
		return
	}
	if strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".json") {
		w.Header().Set("Content-Disposition", "attachment; filename="+filepath.Base(name))
	}
	http.ServeFile(w, r, path)
}
