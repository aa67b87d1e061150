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
	"strings"
	"sync"
	"time"

	"ersim/model"
	"ersim/report"
	"ersim/results"
	"ersim/scenarios"
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

	mu      sync.Mutex
	runs    map[string]*run
	active  int
	closing bool
	wg      sync.WaitGroup
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
	// A sensitivity analysis or sweep that a killed server left half-written is
	// discarded: it never became a run.
	if stale, _ := filepath.Glob(filepath.Join(abs, "runs", ".stage-*")); len(stale) > 0 {
		for _, d := range stale {
			os.RemoveAll(d)
		}
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
	mux.HandleFunc("POST /runs/{id}/resume", s.guard(s.resumeRun))
	mux.HandleFunc("POST /runs/{id}/discard", s.guard(s.discardRun))
	mux.HandleFunc("GET /runs/{id}/files/{file...}", s.file)
	mux.HandleFunc("GET /edit/ws/{name}", s.editForm)
	mux.HandleFunc("POST /edit/ws/{name}", s.guard(s.saveForm))
	mux.HandleFunc("POST /duplicate", s.guard(s.duplicate))
	mux.HandleFunc("POST /save/ws/{name}", s.guard(s.saveTOML))
	mux.HandleFunc("POST /rename", s.guard(s.rename))
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
	runs, stopped := s.listRuns(lang(r))
	s.render(w, r, http.StatusOK, "library", texts[lang(r)].Library, map[string]any{
		"Builtin": scenarios.List(), "Files": names, "Workspace": s.cfg.Workspace, "Runs": runs, "Interrupted": stopped,
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
	s.render(w, r, http.StatusOK, "scenario", name, s.scenarioData(source, name, label, text, r.URL.Query().Get("saved") != "", lang(r)))
}

// scenarioData is what the scenario page shows of text: whether it is valid, with the
// validator's messages, and the forms to run, copy, rename and save it.
func (s *Server) scenarioData(source, name, label string, text []byte, saved bool, l string) map[string]any {
	f, perr := scenarios.Parse(label, text)
	data := map[string]any{"Source": source, "Name": name, "Text": string(text), "MaxReps": s.cfg.MaxReps,
		"Problems": problems(perr), "Scenario": map[string]string{}, "Saved": saved}
	if f != nil {
		title := f.Base.Title
		if lb := f.Base.Labels[l]; lb != nil && lb.Title != "" {
			title = lb.Title
		}
		data["Scenario"] = map[string]string{"Title": title}
		data["DefaultReps"] = min(f.Base.Replications, s.cfg.MaxReps)
		data["Seed"] = f.Base.Seed
		data["Warnings"] = f.Warnings
		data["HasUncertainty"] = len(f.Base.Uncertainty.Keys()) > 0
	}
	return data
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

type headRow struct{ Metric, Variant, Mean, Diff, CI string }

// headline is the headline table of a run: each headline metric of each variant, and
// its difference from the baseline with the 95 % interval; money in MSEK and shares in
// percent, as the console and the report show them.
func headline(res *results.Run, l string) []headRow {
	var rows []headRow
	for _, m := range model.Headline {
		for vi, v := range res.Variants {
			sr := res.Find(v, m, "all", "all")
			if sr == nil {
				continue
			}
			scale := report.TableScale(m)
			row := headRow{Metric: report.MetricName(m, l), Variant: res.Label(v, l), Mean: num(sr.Mean*scale, l)}
			if d := res.FindDiff(v, m, "all", "all"); d != nil && vi > 0 {
				row.Diff, row.CI = sign(d.Mean*scale, l), sign(d.CILo*scale, l)+" … "+sign(d.CIHi*scale, l)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

func (s *Server) showRun(w http.ResponseWriter, r *http.Request) {
	ru, ok := s.runFor(r.PathValue("id"))
	if !ok {
		s.fail(w, r, http.StatusNotFound, "no run "+r.PathValue("id"))
		return
	}
	data := map[string]any{"Run": ru, "Status": ru.say(lang(r))}
	if !ru.Running && ru.err == nil {
		l := lang(r)
		if res, err := results.ReadRun(ru.Dir); err == nil && (ru.Kind == kindRun || ru.Kind == kindPSA) {
			data["Headline"] = headline(res, l)
			data["CE"] = ceRows(ru.Dir, res, l)
		}
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
	s.render(w, r, http.StatusOK, "run", ru.ID, data)
}

var xmlDecl = regexp.MustCompile(`(?s)^\s*<\?xml.*?\?>\s*(<!DOCTYPE.*?>\s*)?`)

func stripXMLDecl(s string) string { return xmlDecl.ReplaceAllString(s, "") }

func num(x float64, l string) string {
	s := results.Fmt(x, false)
	if l == "sv" {
		return noBreak(results.SvNumber(s))
	}
	return s
}

// noBreak keeps a Swedish number on one line: its thousands are grouped by a no-break
// space ("−2 929" was broken after "−2" in a narrow table cell).
func noBreak(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }

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
