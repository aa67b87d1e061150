package server

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"ersim/scenarios"
)

// The form editor (issue 16): every numeric value of a workspace scenario that is
// written as a plain number on its line (key = 12, or key = { value = 12, … }) is a
// field, with its source, whether it is an assumption, and what the validator allows,
// grouped as the reference groups them. Saving changes only those numbers in the file,
// so its comments and layout are kept; the file is written only when the whole scenario
// is valid, and otherwise each field shows the validator's message.

type field struct {
	Path, Value, Source, Allowed, Problem string
	Assumption                            bool
}

type group struct {
	Name   string
	Fields []field
}

var numberRE = `(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)`

// locateNumber finds, on the scenario's line for path, the number written for its last
// key; it returns the line index and the byte range of the number, or ok = false.
func locateNumber(f *scenarios.File, lines []string, path string) (int, int, int, bool) {
	ln := f.Line(path)
	if ln < 1 || ln > len(lines) {
		return 0, 0, 0, false
	}
	segs := strings.Split(path, ".")
	key := segs[len(segs)-1]
	if strings.Contains(key, "[") || strings.Contains(key, "\"") {
		return 0, 0, 0, false
	}
	re := regexp.MustCompile(`(?:^|[\s{,])` + regexp.QuoteMeta(key) + `\s*=\s*(?:\{\s*value\s*=\s*)?` + numberRE)
	m := re.FindStringSubmatchIndex(lines[ln-1])
	if m == nil {
		return 0, 0, 0, false
	}
	return ln - 1, m[2], m[3], true
}

// fields lists the editable values of f, grouped by the first key of their path.
func editable(f *scenarios.File, problems map[string]string) []group {
	lines := strings.Split(f.Text, "\n")
	allowed := f.AllowedAll()
	byGroup := map[string][]field{}
	for _, p := range scenarios.Parameters(f.Base) {
		if strings.HasPrefix(p.Path, "variants.") || strings.HasPrefix(p.Path, "uncertainty.") || strings.HasPrefix(p.Path, "calibration.") {
			continue
		}
		li, a, b, ok := locateNumber(f, lines, p.Path)
		if !ok {
			continue
		}
		g := strings.SplitN(p.Path, ".", 2)[0]
		// The source says "assumption: …" itself where it is one; mark only the others.
		mark := p.Assumption && !strings.HasPrefix(p.Source, "assumption")
		byGroup[g] = append(byGroup[g], field{Path: p.Path, Value: lines[li][a:b], Source: p.Source,
			Assumption: mark, Allowed: allowed[p.Path], Problem: problems[p.Path]})
	}
	order := []string{"population", "episodes", "cohorts", "rules", "regimes", "behaviour"}
	var out []group
	for _, g := range order {
		if fs := byGroup[g]; len(fs) > 0 {
			sort.SliceStable(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
			out = append(out, group{g, fs})
			delete(byGroup, g)
		}
	}
	for g, fs := range byGroup {
		out = append(out, group{g, fs})
	}
	return out
}

func (s *Server) editForm(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	text, label, err := s.load("ws", name)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no scenario %q in the workspace: %v", name, err))
		return
	}
	f, perr := scenarios.Parse(label, text)
	if perr != nil {
		s.fail(w, r, http.StatusBadRequest, "the file is not valid, so the form cannot be built; fix it in the TOML view: "+perr.Error())
		return
	}
	s.render(w, r, http.StatusOK, "edit", name, map[string]any{"Name": name, "Groups": editable(f, nil)})
}

// saveForm applies the submitted values to the file's text and writes it when the
// scenario stays valid.
func (s *Server) saveForm(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	text, label, err := s.load("ws", name)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no scenario %q in the workspace: %v", name, err))
		return
	}
	f, perr := scenarios.Parse(label, text)
	if perr != nil {
		s.fail(w, r, http.StatusBadRequest, "the file is not valid: "+perr.Error())
		return
	}
	lines := strings.Split(f.Text, "\n")
	num := regexp.MustCompile(`^` + numberRE + `$`)
	problems := map[string]string{}
	changed := 0
	for _, g := range editable(f, nil) {
		for _, fl := range g.Fields {
			v := strings.TrimSpace(r.PostFormValue(fl.Path))
			if v == "" || v == fl.Value {
				continue
			}
			if !num.MatchString(v) {
				problems[fl.Path] = fmt.Sprintf("%q is not a number", v)
				continue
			}
			li, a, b, ok := locateNumber(f, lines, fl.Path)
			if !ok {
				continue
			}
			lines[li] = lines[li][:a] + v + lines[li][b:]
			changed++
		}
	}
	newText := strings.Join(lines, "\n")
	nf, verr := scenarios.Parse(label, []byte(newText))
	if verr != nil || len(problems) > 0 {
		var general []string
		if ies, ok := verr.(scenarios.InputErrors); ok {
			for _, e := range ies {
				if _, known := problems[e.Path]; !known {
					problems[e.Path] = e.Msg + "; allowed: " + e.Allowed
				}
			}
		} else if verr != nil {
			general = append(general, verr.Error())
		}
		// Show the form with the submitted values and the messages beside them.
		groups := editable(f, problems)
		for gi := range groups {
			for fi := range groups[gi].Fields {
				if v := r.PostFormValue(groups[gi].Fields[fi].Path); v != "" {
					groups[gi].Fields[fi].Value = v
				}
			}
		}
		s.render(w, r, http.StatusUnprocessableEntity, "edit", name, map[string]any{"Name": name, "Groups": groups,
			"Error": texts[lang(r)].NotSaved + " " + strings.Join(general, " ")})
		return
	}
	path := filepath.Join(s.cfg.Workspace, name)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(newText), 0o644); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	_ = nf
	http.Redirect(w, r, fmt.Sprintf("/scenarios/ws/%s?lang=%s&saved=%d", name, lang(r), changed), http.StatusSeeOther)
}

// duplicate copies a shipped or workspace scenario to a new workspace file.
func (s *Server) duplicate(w http.ResponseWriter, r *http.Request) {
	source, name, to := r.PostFormValue("source"), r.PostFormValue("name"), r.PostFormValue("to")
	text, _, err := s.load(source, name)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("no scenario %q: %v", name, err))
		return
	}
	if !strings.HasSuffix(to, ".toml") {
		to += ".toml"
	}
	if !fileRE.MatchString(to) {
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("%q is not a file name (letters, digits, _, - and ., ending in .toml)", to))
		return
	}
	dst := filepath.Join(s.cfg.Workspace, to)
	fh, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		s.fail(w, r, http.StatusConflict, fmt.Sprintf("%s exists in the workspace; choose another name", to))
		return
	}
	_, werr := fh.Write(text)
	if cerr := fh.Close(); werr != nil || cerr != nil {
		os.Remove(dst)
		s.fail(w, r, http.StatusInternalServerError, "could not write "+to)
		return
	}
	http.Redirect(w, r, "/edit/ws/"+to+"?lang="+lang(r), http.StatusSeeOther)
}

// newFromTemplate writes one of "ersim init"'s templates into the workspace.
func (s *Server) newFromTemplate(w http.ResponseWriter, r *http.Request) {
	tmpl, to := r.PostFormValue("template"), r.PostFormValue("to")
	text, err := scenarios.Template(tmpl)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if !strings.HasSuffix(to, ".toml") {
		to += ".toml"
	}
	if !fileRE.MatchString(to) {
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("%q is not a file name (letters, digits, _, - and ., ending in .toml)", to))
		return
	}
	dst := filepath.Join(s.cfg.Workspace, to)
	fh, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		s.fail(w, r, http.StatusConflict, fmt.Sprintf("%s exists in the workspace; choose another name", to))
		return
	}
	_, werr := fh.Write(text)
	if cerr := fh.Close(); werr != nil || cerr != nil {
		os.Remove(dst)
		s.fail(w, r, http.StatusInternalServerError, "could not write "+to)
		return
	}
	http.Redirect(w, r, "/edit/ws/"+to+"?lang="+lang(r), http.StatusSeeOther)
}
