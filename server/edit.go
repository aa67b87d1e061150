package server

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"ersim/scenarios"
)

// The form editor (issue 16): every key of a workspace scenario whose value is written
// on its own line as a number, a boolean, a plain string or a one-line list (key = 12,
// key = true, key = "text", key = [1, 2], key = ["a"], or key = { value = 12, … }) is a
// field, with its unit, default and meaning from the scenario reference, what the
// validator allows, and its source; the behaviour parameters the file does not set are
// fields at the values in effect. The fields are grouped as the reference groups them.
// Saving changes only those values in the file (a behaviour parameter not yet in it is
// added to its table), so its comments and layout are kept; the file is written only
// when the whole scenario is valid, and otherwise each field shows the validator's
// message. Lists over several lines and lines holding the same key twice are edited in
// the TOML view.

type field struct {
	Path, Value, Kind                                string // Kind: number, bool, string or enum
	Options                                          []string
	Unit, Default, Meaning, Allowed, Source, Problem string
	Assumption                                       bool
	Unset                                            bool   // not in the file: Value is the one in effect
	line                                             int    // 1-based line of the value
	key                                              string // the key written on it
}

type group struct {
	Name   string
	Fields []field
}

var (
	numberRE  = `(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)`
	numOnlyRE = regexp.MustCompile(`^` + numberRE + `$`)
)

// locate finds, on line, the value written for key: its kind and byte range (inside
// the quotes for a string). A line that holds key more than once is refused.
func locate(line, key string) (kind string, a, b int, ok bool) {
	if strings.ContainsAny(key, `[]"`) {
		return "", 0, 0, false
	}
	k := `(?:^|[\s{,])` + regexp.QuoteMeta(key) + `\s*=\s*`
	if len(regexp.MustCompile(k).FindAllStringIndex(line, 2)) != 1 {
		return "", 0, 0, false
	}
	for _, c := range []struct{ kind, re string }{
		{"number", k + `(?:\{\s*value\s*=\s*)?` + numberRE + `\s*(?:$|[,}#])`},
		{"bool", k + `(true|false)\s*(?:$|[,}#])`},
		// Closed like the others, so that the first two quotes of a multi-line """
		// string are not taken for an empty string.
		{"string", k + `"([^"\\]*)"\s*(?:$|[,}#])`},
		{"list", k + `\[([-+0-9.eE,\s]*)\]\s*(?:$|[,}#])`},
		{"names", k + `\[((?:\s*"[^"\\]*"\s*,?)*\s*)\]\s*(?:$|[,}#])`},
	} {
		if m := regexp.MustCompile(c.re).FindStringSubmatchIndex(line); m != nil {
			return c.kind, m[2], m[3], true
		}
	}
	return "", 0, 0, false
}

// groupOrder is the reference's order of the scenario's parts; "scenario" is the
// top-level keys.
var groupOrder = []string{"scenario", "population", "episodes", "cohorts", "rules", "regimes", "behaviour",
	"variants", "uncertainty", "calibration", "labels", "sources"}

// editable lists the editable values of f, grouped by the first key of their path, in
// the order of the file's lines within a group.
func editable(f *scenarios.File, problems map[string]string) []group {
	lines := strings.Split(f.Text, "\n")
	allowed := f.AllowedAll()
	params := map[string]scenarios.ParamInfo{}
	for _, p := range scenarios.Parameters(f.Base) {
		params[p.Path] = p
	}
	type spot struct{ line, a int }
	taken := map[spot]bool{}
	byGroup := map[string][]field{}
	for _, path := range f.Written() {
		ln := f.Line(path)
		if ln < 1 || ln > len(lines) {
			continue
		}
		parent, key, _ := cutLast(path)
		if parent == "" && !strings.Contains(path, ".") {
			key = path
		}
		kind, a, b, ok := locate(lines[ln-1], key)
		if !ok || taken[spot{ln, a}] {
			continue
		}
		taken[spot{ln, a}] = true
		// A number written as { value = … } is the number's field.
		show := path
		if key == "value" && parent != "" {
			show = parent
		}
		fl := field{Path: show, Value: shown(kind, lines[ln-1][a:b]), Kind: kind, Problem: problems[show], line: ln, key: key}
		base := show
		if rest, ok := strings.CutPrefix(show, "variants."); ok {
			if _, after, ok := strings.Cut(rest, ".set."); ok {
				base = after
			}
		}
		d := docFor(show)
		fl.Meaning = d.Meaning
		if d.Unit != "—" {
			fl.Unit = d.Unit
		}
		if d.Default != "" && d.Default != "none" {
			fl.Default = d.Default
		}
		fl.Allowed = allowed[base]
		if p, ok := params[show]; ok {
			// The source says "assumption: …" itself where it is one; mark only the others.
			fl.Source, fl.Assumption = p.Source, p.Assumption && !strings.HasPrefix(p.Source, "assumption")
		}
		switch kind {
		case "bool":
			fl.Options = []string{"true", "false"}
		case "string":
			if e := scenarios.Enum(base); e != nil {
				fl.Kind, fl.Options = "enum", e
			}
		}
		g := "scenario"
		if i := strings.IndexAny(show, ".["); i > 0 {
			g = show[:i]
		}
		byGroup[g] = append(byGroup[g], fl)
	}
	// The behaviour parameters the file does not set, at the values in effect: a value
	// changed here is written into its [behaviour.…] table.
	written := map[string]bool{}
	for _, p := range f.Written() {
		written[p] = true
	}
	for _, p := range scenarios.Parameters(f.Base) {
		if !strings.HasPrefix(p.Path, "behaviour.") || written[p.Path] || strings.Count(p.Path, ".") != 2 {
			continue
		}
		d := docFor(p.Path)
		fl := field{Path: p.Path, Value: p.Value, Kind: "number", Unset: true, Meaning: d.Meaning, Unit: d.Unit,
			Default: d.Default, Allowed: allowed[p.Path], Source: p.Source, Problem: problems[p.Path]}
		if fl.Unit == "—" {
			fl.Unit = ""
		}
		byGroup["behaviour"] = append(byGroup["behaviour"], fl)
	}
	var switches []string
	for path, d := range reference() {
		if strings.HasPrefix(path, "behaviour.") && strings.Count(path, ".") == 2 && !written[path] && (d.Default == "true" || d.Default == "false") {
			switches = append(switches, path)
		}
	}
	sort.Strings(switches)
	for _, path := range switches {
		d := docFor(path)
		byGroup["behaviour"] = append(byGroup["behaviour"], field{Path: path, Value: d.Default, Kind: "bool", Options: []string{"true", "false"},
			Unset: true, Meaning: d.Meaning, Default: d.Default, Problem: problems[path]})
	}
	var out []group
	for _, g := range groupOrder {
		if fs := byGroup[g]; len(fs) > 0 {
			out = append(out, group{g, fs})
		}
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
	s.render(w, r, http.StatusOK, "edit", name, map[string]any{"Name": name, "Groups": localise(editable(f, nil), lang(r))})
}

// saveForm applies the submitted values to the file's text and writes it when the
// scenario stays valid.
func (s *Server) saveForm(w http.ResponseWriter, r *http.Request) {
	name, l := r.PathValue("name"), lang(r)
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
	problems := map[string]string{}
	changed := 0
	var inserts [][2]string // keys the file does not set yet, and their values
	for _, g := range editable(f, nil) {
		for _, fl := range g.Fields {
			v := strings.TrimSpace(r.PostFormValue(fl.Path))
			if fl.Kind == "string" {
				v = r.PostFormValue(fl.Path) // spaces are part of a string
			}
			if _, sent := r.PostForm[fl.Path]; !sent || v == fl.Value || v == "" && fl.Kind != "string" {
				continue
			}
			switch fl.Kind {
			case "number":
				if !numOnlyRE.MatchString(v) {
					problems[fl.Path] = say(l, fmt.Sprintf("%q is not a number", v), fmt.Sprintf("%q är inte ett tal", v))
					continue
				}
			case "bool", "enum":
				if !slices.Contains(fl.Options, v) {
					problems[fl.Path] = say(l, fmt.Sprintf("%q is not one of %s", v, strings.Join(fl.Options, ", ")),
						fmt.Sprintf("%q är inte något av %s", v, strings.Join(fl.Options, ", ")))
					continue
				}
			case "string":
				if strings.ContainsAny(v, "\"\\\n\r") {
					problems[fl.Path] = say(l, "quotes, backslashes and line breaks are written in the TOML view",
						"citattecken, bakstreck och radbrytningar skrivs i TOML-vyn")
					continue
				}
			case "list", "names":
				w, err := written(fl.Kind, v)
				if err != "" {
					problems[fl.Path] = err
					continue
				}
				v = w
			}
			if fl.Unset {
				inserts = append(inserts, [2]string{fl.Path, v})
				changed++
				continue
			}
			_, a, b, ok := locate(lines[fl.line-1], fl.key)
			if !ok {
				continue
			}
			lines[fl.line-1] = lines[fl.line-1][:a] + v + lines[fl.line-1][b:]
			changed++
		}
	}
	for _, in := range inserts {
		lines = insertKey(lines, in[0], in[1])
	}
	newText := strings.Join(lines, "\n")
	_, verr := scenarios.Parse(label, []byte(newText))
	if verr != nil || len(problems) > 0 {
		var general []string
		if ies, ok := verr.(scenarios.InputErrors); ok {
			for _, e := range ies {
				if _, known := problems[e.Path]; !known {
					problems[e.Path] = problemIn(e.Msg, e.Allowed, l)
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
		s.render(w, r, http.StatusUnprocessableEntity, "edit", name, map[string]any{"Name": name, "Groups": localise(groups, l),
			"Error": texts[l].NotSaved + " " + strings.Join(general, " ")})
		return
	}
	if err := writeFile(filepath.Join(s.cfg.Workspace, name), []byte(newText)); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not write "+name+": "+err.Error())
		return
	}
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

// writeFile replaces a workspace file whole: the new text goes to a temporary file
// beside it, which is then renamed over it, so a reader never sees half a file.
func writeFile(path string, text []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ersim-save-")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(text)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}

// saveTOML writes the TOML view's text to a workspace file when it is a valid
// scenario; otherwise the page shows the validator's messages and the text as sent,
// and the file is left as it was.
func (s *Server) saveTOML(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if _, _, err := s.load("ws", name); err != nil {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no scenario %q in the workspace: %v", name, err))
		return
	}
	text := []byte(strings.ReplaceAll(r.PostFormValue("toml"), "\r\n", "\n"))
	if _, err := scenarios.Parse(name, text); err != nil {
		data := s.scenarioData("ws", name, name, text, false, lang(r))
		data["Error"] = texts[lang(r)].NotSavedTOML
		s.render(w, r, http.StatusUnprocessableEntity, "scenario", name, data)
		return
	}
	if err := writeFile(filepath.Join(s.cfg.Workspace, name), text); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not write "+name+": "+err.Error())
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/scenarios/ws/%s?lang=%s&saved=1", name, lang(r)), http.StatusSeeOther)
}

// rename renames a workspace file; it never replaces another.
func (s *Server) rename(w http.ResponseWriter, r *http.Request) {
	name, to := r.PostFormValue("name"), r.PostFormValue("to")
	if _, _, err := s.load("ws", name); err != nil {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no scenario %q in the workspace: %v", name, err))
		return
	}
	if !strings.HasSuffix(to, ".toml") {
		to += ".toml"
	}
	if !fileRE.MatchString(to) {
		s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("%q is not a file name (letters, digits, _, - and ., ending in .toml)", to))
		return
	}
	src, dst := filepath.Join(s.cfg.Workspace, name), filepath.Join(s.cfg.Workspace, to)
	// A hard link cannot replace an existing file, unlike a rename.
	if err := os.Link(src, dst); err != nil {
		if errors.Is(err, fs.ErrExist) {
			s.fail(w, r, http.StatusConflict, fmt.Sprintf("%s exists in the workspace; choose another name", to))
			return
		}
		s.fail(w, r, http.StatusInternalServerError, "could not rename "+name+": "+err.Error())
		return
	}
	if err := os.Remove(src); err != nil {
		os.Remove(dst)
		s.fail(w, r, http.StatusInternalServerError, "could not rename "+name+": "+err.Error())
		return
	}
	http.Redirect(w, r, "/scenarios/ws/"+to+"?lang="+lang(r), http.StatusSeeOther)
}

// insertKey writes "key = value" for path (table.key) into its table: on the line after
// the table's header, or in a new table at the end of the file.
func insertKey(lines []string, path, value string) []string {
	table, key, _ := cutLast(path)
	head := regexp.MustCompile(`^\s*\[\s*` + regexp.QuoteMeta(table) + `\s*\]\s*(#.*)?$`)
	for i, l := range lines {
		if head.MatchString(l) {
			return slices.Insert(lines, i+1, key+" = "+value)
		}
	}
	end := len(lines)
	for end > 0 && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	return append(lines[:end:end], "", "["+table+"]", key+" = "+value, "")
}

// shown is a list's text as a field shows it: numbers as written, names without their
// quotes, separated by commas.
func shown(kind, raw string) string {
	switch kind {
	case "list":
		return strings.Join(splitList(raw), ", ")
	case "names":
		var out []string
		for _, x := range splitList(raw) {
			out = append(out, strings.Trim(x, `"`))
		}
		return strings.Join(out, ", ")
	}
	return raw
}

func splitList(raw string) []string {
	var out []string
	for _, x := range strings.Split(raw, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// written is a list field's value as TOML writes it between the brackets, or why it
// cannot be.
func written(kind, v string) (string, string) {
	items := splitList(v)
	for i, x := range items {
		switch {
		case kind == "list" && !numOnlyRE.MatchString(x):
			return "", fmt.Sprintf("%q is not a number; write numbers separated by commas", x)
		case kind == "names" && strings.ContainsAny(x, "\"\\\n\r[]"):
			return "", fmt.Sprintf("%q: names separated by commas, without quotes or brackets", x)
		case kind == "names":
			items[i] = `"` + x + `"`
		}
	}
	return strings.Join(items, ", "), ""
}
