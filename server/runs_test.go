package server

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ersim/plots"
	"ersim/scenarios"
	"ersim/study"
)

// uncertain is small.toml with an [uncertainty] section, for PSA and sensitivity runs.
const uncertain = `
[uncertainty.params."behaviour.admin.hours_per_claim"]
dist = "uniform"
min = 0.03
max = 0.08
`

func idOf(loc string) string { return strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/runs/") }

// waitRun polls a run's page until it no longer shows progress and returns the page.
func waitRun(t *testing.T, url string) string {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	for time.Now().Before(deadline) {
		if _, body := get(t, url); !strings.Contains(body, "<progress") {
			return body
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not finish", url)
	return ""
}

// A sensitivity analysis and a sweep run from the browser: each writes its table and
// charts into a run directory of its own, listed with its kind; what cannot run is
// refused before anything starts.
func TestSensitivityAndSweep(t *testing.T) {
	s, ts, ws := newTest(t)
	small, _ := os.ReadFile(filepath.Join(ws, "small.toml"))
	os.WriteFile(filepath.Join(ws, "unc.toml"), append(small, uncertain...), 0o644)
	for _, c := range []struct {
		form url.Values
		file string
	}{
		{url.Values{"name": {"unc.toml"}, "kind": {"sensitivity"}, "reps": {"2"}}, "sensitivity.csv"},
		{url.Values{"name": {"small.toml"}, "kind": {"sweep"}, "reps": {"2"}, "set1": {"behaviour.admin.hours_per_claim=0.03:0.09:3"}}, "sweep.csv"},
	} {
		c.form.Set("token", s.Token())
		c.form.Set("source", "ws")
		code, _, loc := post(t, ts, "/runs", ts.URL, c.form)
		if code != http.StatusSeeOther {
			t.Fatalf("%s: %d", c.form.Get("kind"), code)
		}
		id := idOf(loc)
		if !strings.Contains(id, "-"+c.form.Get("kind")+"-") {
			t.Errorf("the run's name %q does not say its kind", id)
		}
		body := waitRun(t, ts.URL+"/runs/"+id)
		if !strings.Contains(body, `data-status="done">`) || !strings.Contains(body, c.file) || !strings.Contains(body, "<svg") {
			t.Fatalf("%s: the page lacks the status, %s or the charts: %.300q", id, c.file, body)
		}
		if code, csv := get(t, ts.URL+"/runs/"+id+"/files/"+c.file); code != 200 || len(strings.Split(csv, "\n")) < 3 {
			t.Errorf("%s: %d %.80q", c.file, code, csv)
		}
		if _, lib := get(t, ts.URL+"/"); !strings.Contains(lib, id) {
			t.Errorf("the library does not list %s", id)
		}
		// Nothing is left staged.
		if m, _ := filepath.Glob(filepath.Join(ws, "runs", ".stage-*")); len(m) > 0 {
			t.Errorf("staging left behind: %v", m)
		}
	}
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"name": {"small.toml"}, "kind": {"psa"}, "reps": {"2"}}, "[uncertainty]"},
		{url.Values{"name": {"small.toml"}, "kind": {"sensitivity"}, "reps": {"2"}}, "[uncertainty]"},
		{url.Values{"name": {"small.toml"}, "kind": {"sweep"}, "reps": {"2"}}, "KEY=LOW:HIGH:STEPS"},
		{url.Values{"name": {"small.toml"}, "kind": {"sweep"}, "reps": {"2"}, "set1": {"behaviour.admin.hours_per_claim=-1:0.1:3"}}, "hours_per_claim"},
		{url.Values{"name": {"small.toml"}, "kind": {"sweep"}, "reps": {"2"}, "set1": {"behaviour.admin.hours_per_claim=0.01:0.1:11"}, "set2": {"behaviour.quality.effort_cost=100:500:11"}}, "at most 100"},
		{url.Values{"name": {"small.toml"}, "kind": {"sweep"}, "reps": {"10"}, "set1": {"behaviour.admin.hours_per_claim=0.01:0.1:30"}}, "more than this server runs"},
		{url.Values{"name": {"small.toml"}, "kind": {"calibrate"}, "reps": {"2"}}, "no kind of run"},
		{url.Values{"name": {"small.toml"}, "kind": {"run"}, "reps": {"2"}, "seed": {"-1"}}, "seed"},
	} {
		c.form.Set("token", s.Token())
		c.form.Set("source", "ws")
		if code, body, _ := post(t, ts, "/runs", ts.URL, c.form); code != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("%v: %d, want 400 naming %q", c.form, code, c.want)
		}
	}
}

// A seed given in the browser replaces the scenario's and is recorded in the manifest.
func TestRunSeed(t *testing.T) {
	s, ts, _ := newTest(t)
	_, _, loc := post(t, ts, "/runs", ts.URL, url.Values{"token": {s.Token()}, "source": {"ws"}, "name": {"small.toml"}, "reps": {"2"}, "seed": {"991"}})
	id := idOf(loc)
	waitRun(t, ts.URL+"/runs/"+id)
	if _, man := get(t, ts.URL+"/runs/"+id+"/files/manifest.json"); !strings.Contains(man, `"seed": 991`) {
		t.Errorf("manifest.json: %.300q", man)
	}
}

// A run cancelled in the browser keeps its complete replications; the library offers
// to resume it, and the resumed run writes exactly what an uninterrupted run writes.
// Discarding removes the checkpoint.
func TestCancelResumeDiscard(t *testing.T) {
	s, ts, ws := newTest(t)
	s.cfg.MaxReps = 400
	start := func() string {
		form := url.Values{"token": {s.Token()}, "source": {"ws"}, "name": {"small.toml"}, "reps": {"400"}}
		code, _, loc := post(t, ts, "/runs", ts.URL, form)
		if code != http.StatusSeeOther {
			t.Fatalf("start: %d", code)
		}
		id := idOf(loc)
		// Wait until some replications are complete, then cancel.
		for i := 0; i < 600; i++ {
			ru, _ := s.runFor(id)
			if ru.Done >= 6 || !ru.Running {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if code, _, _ := post(t, ts, "/runs/"+id+"/cancel", ts.URL, url.Values{"token": {s.Token()}}); code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", code)
		}
		body := waitRun(t, ts.URL+"/runs/"+id)
		if !strings.Contains(body, "interrupted after") {
			t.Fatalf("after cancel: %.300q", body)
		}
		return id
	}
	id := start()
	if _, err := os.Stat(filepath.Join(ws, "runs", id)); err == nil {
		t.Fatal("a cancelled run left a run directory")
	}
	_, lib := get(t, ts.URL+"/")
	if !strings.Contains(lib, "/runs/"+id+"/resume") || !strings.Contains(lib, "/runs/"+id+"/discard") {
		t.Fatalf("the library does not offer to resume or discard %s", id)
	}
	if code, _, _ := post(t, ts, "/runs/"+id+"/resume", "", url.Values{}); code != http.StatusForbidden {
		t.Errorf("resume without the token: %d", code)
	}
	code, _, loc := post(t, ts, "/runs/"+id+"/resume", ts.URL, url.Values{"token": {s.Token()}})
	if code != http.StatusSeeOther || idOf(loc) != id {
		t.Fatalf("resume: %d %q", code, loc)
	}
	if body := waitRun(t, ts.URL+"/runs/"+id); !strings.Contains(body, `data-status="done">`) {
		t.Fatalf("the resumed run: %.300q", body)
	}
	if _, err := os.Stat(study.CheckpointDir(filepath.Join(ws, "runs", id))); err == nil {
		t.Error("the checkpoint is left after the resumed run finished")
	}
	// The same run, uninterrupted, through the library layer.
	text, _ := os.ReadFile(filepath.Join(ws, "small.toml"))
	f, err := scenarios.Parse("small.toml", text)
	if err != nil {
		t.Fatal(err)
	}
	reps, ref := 400, filepath.Join(t.TempDir(), "ref")
	if _, err := study.Run(context.Background(), f, ref, study.RunOptions{Options: study.Options{Reps: &reps, Workers: 1, NoCharts: true,
		Charts: plots.Options{Lang: "en"}}, ProviderReps: 5}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"summary.csv", "differences.csv", "replications.csv", "providers.csv"} {
		a, _ := os.ReadFile(filepath.Join(ws, "runs", id, name))
		b, _ := os.ReadFile(filepath.Join(ref, name))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s of the resumed run differs from the uninterrupted run's (%d and %d bytes)", name, len(a), len(b))
		}
	}
	// A second interrupted run, discarded.
	id2 := start()
	if code, _, _ := post(t, ts, "/runs/"+id2+"/discard", ts.URL, url.Values{"token": {s.Token()}}); code != http.StatusSeeOther {
		t.Fatalf("discard: %d", code)
	}
	if _, err := os.Stat(study.CheckpointDir(filepath.Join(ws, "runs", id2))); err == nil {
		t.Error("discard left the checkpoint")
	}
	if code, _, _ := post(t, ts, "/runs/"+id2+"/resume", ts.URL, url.Values{"token": {s.Token()}}); code != http.StatusNotFound {
		t.Errorf("resuming a discarded run: %d", code)
	}
	if code, _, _ := post(t, ts, "/runs/..%2F..%2Fx/discard", ts.URL, url.Values{"token": {s.Token()}}); code < 400 {
		t.Errorf("discard by a path: %d", code)
	}
}

// Stopping the server during a run keeps the run's checkpoint, and a new server on the
// same workspace offers to resume it; a staging directory a killed server left is
// removed.
func TestShutdownKeepsCheckpoint(t *testing.T) {
	s, ts, ws := newTest(t)
	s.cfg.MaxReps = 400
	form := url.Values{"token": {s.Token()}, "source": {"ws"}, "name": {"small.toml"}, "reps": {"400"}}
	_, _, loc := post(t, ts, "/runs", ts.URL, form)
	id := idOf(loc)
	for i := 0; i < 600; i++ {
		if ru, _ := s.runFor(id); ru.Done >= 6 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Shutdown()
	if code, _, _ := post(t, ts, "/runs", ts.URL, form); code != http.StatusTooManyRequests {
		t.Errorf("a run started after shutdown: %d", code)
	}
	os.MkdirAll(filepath.Join(ws, "runs", ".stage-small-sweep-2026-01-01_000000"), 0o755)
	s2, err := New(Config{Workspace: ws})
	if err != nil {
		t.Fatal(err)
	}
	runs, stopped := s2.listRuns("en")
	if len(stopped) != 1 || stopped[0].ID != id || stopped[0].Done < 1 || stopped[0].Total != 400 {
		t.Errorf("the new server's interrupted runs: %+v (runs %+v)", stopped, runs)
	}
	if m, _ := filepath.Glob(filepath.Join(ws, "runs", ".stage-*")); len(m) > 0 {
		t.Errorf("staging left behind: %v", m)
	}
}

// A workspace file is renamed, never over another file; the TOML view saves a valid
// scenario and refuses an invalid one with the validator's messages, leaving the file.
func TestRenameAndSaveTOML(t *testing.T) {
	s, ts, ws := newTest(t)
	tok := s.Token()
	code, _, loc := post(t, ts, "/rename", ts.URL, url.Values{"token": {tok}, "name": {"small.toml"}, "to": {"region"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/scenarios/ws/region.toml") {
		t.Fatalf("rename: %d %q", code, loc)
	}
	if _, err := os.Stat(filepath.Join(ws, "small.toml")); err == nil {
		t.Error("the old name is still there")
	}
	if code, _, _ := post(t, ts, "/rename", ts.URL, url.Values{"token": {tok}, "name": {"region.toml"}, "to": {"bad.toml"}}); code != http.StatusConflict {
		t.Errorf("rename over another file: %d", code)
	}
	for _, to := range []string{"../x.toml", "sub/x.toml", ".x.toml"} {
		if code, _, _ := post(t, ts, "/rename", ts.URL, url.Values{"token": {tok}, "name": {"region.toml"}, "to": {to}}); code != http.StatusBadRequest {
			t.Errorf("rename to %q: %d", to, code)
		}
	}
	if code, _, _ := post(t, ts, "/rename", ts.URL, url.Values{"token": {tok}, "name": {"../region.toml"}, "to": {"y"}}); code != http.StatusNotFound {
		t.Errorf("rename from a path: %d", code)
	}
	before, _ := os.ReadFile(filepath.Join(ws, "region.toml"))
	bad := strings.Replace(string(before), "horizon_years = 2", "horizon_years = 99", 1)
	code, body, _ := post(t, ts, "/save/ws/region.toml", ts.URL, url.Values{"token": {tok}, "toml": {bad}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "horizon_years") || !strings.Contains(body, "Not saved") {
		t.Errorf("saving an invalid scenario: %d", code)
	}
	if after, _ := os.ReadFile(filepath.Join(ws, "region.toml")); string(after) != string(before) {
		t.Error("a refused save changed the file")
	}
	good := strings.Replace(string(before), "horizon_years = 2", "horizon_years = 3", 1)
	if code, _, _ := post(t, ts, "/save/ws/region.toml", ts.URL, url.Values{"token": {tok}, "toml": {good}}); code != http.StatusSeeOther {
		t.Errorf("saving a valid scenario: %d", code)
	}
	if after, _ := os.ReadFile(filepath.Join(ws, "region.toml")); string(after) != good {
		t.Error("the saved file is not the text sent")
	}
	if code, _, _ := post(t, ts, "/save/ws/..%2Fx.toml", ts.URL, url.Values{"token": {tok}, "toml": {good}}); code < 400 {
		t.Errorf("saving to a path: %d", code)
	}
	if code, _, _ := post(t, ts, "/save/ws/region.toml", "http://evil.example", url.Values{"token": {tok}, "toml": {good}}); code != http.StatusForbidden {
		t.Errorf("saving from another origin: %d", code)
	}
}

// The form has fields for switches, names from a list and plain texts as well as
// numbers, each with its unit and default from the reference; saving changes those
// values in place.
func TestFormEditorKinds(t *testing.T) {
	s, ts, ws := newTest(t)
	_, form := get(t, ts.URL+"/edit/ws/small.toml")
	for _, want := range []string{
		`<select id="f-cohorts.vc.form" name="cohorts.vc.form"`, // an enumeration
		`name="title" value="Small test region"`,                // a string
		`name="population.residents" value="40000"`,             // a number
		"persons; required",                                     // unit and default from the reference
	} {
		if !strings.Contains(form, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	before, _ := os.ReadFile(filepath.Join(ws, "small.toml"))
	form2 := url.Values{"token": {s.Token()}, "title": {"Liten region"}, "cohorts.vc.form": {"LOU"}, "population.residents": {"40000"}}
	if code, body, _ := post(t, ts, "/edit/ws/small.toml", ts.URL, form2); code != http.StatusSeeOther {
		t.Fatalf("save: %d %.300q", code, body)
	}
	after, _ := os.ReadFile(filepath.Join(ws, "small.toml"))
	want := strings.Replace(strings.Replace(string(before), `title = "Small test region"`, `title = "Liten region"`, 1), `form = "LOV"`, `form = "LOU"`, 1)
	if string(after) != want {
		t.Errorf("the saved file is not the old one with the two values changed:\n%s", after)
	}
	bad := url.Values{"token": {s.Token()}, "cohorts.vc.form": {"LOX"}, "title": {`a "quoted" title`}}
	code, body, _ := post(t, ts, "/edit/ws/small.toml", ts.URL, bad)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-cohorts.vc.form"`) || !strings.Contains(body, `id="e-title"`) {
		t.Errorf("bad values: %d, no messages beside the fields", code)
	}
}

// Behaviour parameters the file does not set are fields at the values in effect; a
// change adds the key to its table (a new table at the end when there is none).
func TestFormEditorUnsetBehaviour(t *testing.T) {
	s, ts, ws := newTest(t)
	_, form := get(t, ts.URL+"/edit/ws/small.toml")
	for _, want := range []string{`name="behaviour.admin.hours_per_claim" value="0.05"`, `<select id="f-behaviour.upcoding.enabled"`} {
		if !strings.Contains(form, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	before, _ := os.ReadFile(filepath.Join(ws, "small.toml"))
	post(t, ts, "/edit/ws/small.toml", ts.URL, url.Values{"token": {s.Token()}, "behaviour.admin.hours_per_claim": {"0.05"}})
	if after, _ := os.ReadFile(filepath.Join(ws, "small.toml")); string(after) != string(before) {
		t.Error("an unchanged value changed the file")
	}
	code, _, _ := post(t, ts, "/edit/ws/small.toml", ts.URL, url.Values{"token": {s.Token()},
		"behaviour.admin.hours_per_claim": {"0.07"}, "behaviour.upcoding.enabled": {"false"}})
	if code != http.StatusSeeOther {
		t.Fatalf("save: %d", code)
	}
	after, _ := os.ReadFile(filepath.Join(ws, "small.toml"))
	f, err := scenarios.Parse("small.toml", after)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(after), string(before[:len(before)-1])) {
		t.Error("the file's own text changed; only new keys were to be added")
	}
	if got := f.Base.Behaviour.Admin.ClaimHours.Value; got != 0.07 {
		t.Errorf("hours_per_claim is %v, want 0.07:\n%s", got, after)
	}
	if f.Base.Behaviour.Upcoding.Enabled == nil || *f.Base.Behaviour.Upcoding.Enabled {
		t.Errorf("upcoding is not switched off:\n%s", after)
	}
	// Now in the file, the value is edited in place.
	_, form = get(t, ts.URL+"/edit/ws/small.toml")
	if !strings.Contains(form, `name="behaviour.admin.hours_per_claim" value="0.07"`) {
		t.Error("the added key is not a field at its new value")
	}
}

// Lists written on one line are fields too: numbers separated by commas, and names
// without their quotes; saving writes them back as TOML arrays.
func TestFormEditorLists(t *testing.T) {
	s, ts, ws := newTest(t)
	post(t, ts, "/duplicate", ts.URL, url.Values{"token": {s.Token()}, "source": {"builtin"}, "name": {"digital-care"}, "to": {"dc"}})
	_, form := get(t, ts.URL+"/edit/ws/dc.toml")
	for _, want := range []string{`name="rules.tariff.fee_schedule" value="1, 0.5, 0.3514, 0.3311, 0.2703"`, `name="cohorts.vc.kinds" value="physical"`} {
		if !strings.Contains(form, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	before, _ := os.ReadFile(filepath.Join(ws, "dc.toml"))
	code, body, _ := post(t, ts, "/edit/ws/dc.toml", ts.URL, url.Values{"token": {s.Token()}, "rules.tariff.fee_schedule": {"1, x"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-rules.tariff.fee_schedule"`) {
		t.Errorf("a list with a word: %d", code)
	}
	code, _, _ = post(t, ts, "/edit/ws/dc.toml", ts.URL, url.Values{"token": {s.Token()},
		"rules.tariff.fee_schedule": {"1, 0.5,0.4, 0.3 , 0.25"}, "cohorts.vc.kinds": {"physical, digital"}})
	if code != http.StatusSeeOther {
		t.Fatalf("save: %d", code)
	}
	after, _ := os.ReadFile(filepath.Join(ws, "dc.toml"))
	want := strings.Replace(string(before), "fee_schedule = [1, 0.5, 0.3514, 0.3311, 0.2703]", "fee_schedule = [1, 0.5, 0.4, 0.3, 0.25]", 1)
	want = strings.Replace(want, `kinds = ["physical"]`, `kinds = ["physical", "digital"]`, 1)
	if string(after) != want {
		t.Errorf("the saved file is not the old one with the two lists changed")
	}
}

// locate finds one-line values and leaves the rest to the TOML view: a multi-line
// string ("""…) is not an empty string field (stockholm's description was shown as one),
// and a key written twice on a line is refused.
func TestLocate(t *testing.T) {
	for _, c := range []struct {
		line, key, kind, value string
		ok                     bool
	}{
		{`fee = 250`, "fee", "number", "250", true},
		{`fee = { value = 250, source = "x" }  # note`, "fee", "number", "250", true},
		{`title = "Region Stockholm"`, "title", "string", "Region Stockholm", true},
		{`x = { value = 1, source = "a, b" }`, "source", "string", "a, b", true},
		{`title = ""`, "title", "string", "", true},
		{`description = """`, "description", "", "", false},
		{`description = """A paragraph \`, "description", "", "", false},
		{`description = """one line"""`, "description", "", "", false},
		{`on = true # yes`, "on", "bool", "true", true},
		{`shares = [0.2, 0.8]`, "shares", "list", "0.2, 0.8", true},
		{`kinds = ["a", "b"]`, "kinds", "names", `"a", "b"`, true},
		{`a = { fee = 1, fee = 2 }`, "fee", "", "", false},
	} {
		kind, a, b, ok := locate(c.line, c.key)
		got := ""
		if ok {
			got = c.line[a:b]
		}
		if ok != c.ok || kind != c.kind || got != c.value {
			t.Errorf("locate(%q, %q) = %q %q %v, want %q %q %v", c.line, c.key, kind, got, ok, c.kind, c.value, c.ok)
		}
	}
}

// The Swedish reference (docs/scenario-reference.sv.tsv) has a unit and a meaning for
// every key the English reference documents, and no key it does not: a key added to the
// reference without a translation fails here.
func TestReferenceSvCoversReference(t *testing.T) {
	en, sv := reference(), referenceSv()
	for k, d := range en {
		s, ok := sv[k]
		if !ok {
			t.Errorf("%s: no Swedish unit and meaning in docs/scenario-reference.sv.tsv", k)
			continue
		}
		if (d.Meaning != "") != (s.Meaning != "") || (d.Unit != "") != (s.Unit != "") {
			t.Errorf("%s: English %q / %q, Swedish %q / %q", k, d.Unit, d.Meaning, s.Unit, s.Meaning)
		}
	}
	for k := range sv {
		if _, ok := en[k]; !ok {
			t.Errorf("%s: in docs/scenario-reference.sv.tsv but not in the reference", k)
		}
	}
}

// The form's units and meanings follow the page's language.
func TestFormEditorSwedish(t *testing.T) {
	s, ts, _ := newTest(t)
	dup := url.Values{"token": {s.Token()}, "source": {"builtin"}, "name": {"stockholm"}, "to": {"mine"}}
	if code, _, _ := post(t, ts, "/duplicate", ts.URL, dup); code != http.StatusSeeOther {
		t.Fatalf("duplicate: %d", code)
	}
	key := "horizon_years"
	en, sv := docForLang(key, "en"), docForLang(key, "sv")
	if en.Meaning == "" || sv.Meaning == "" || en.Meaning == sv.Meaning {
		t.Fatalf("%s: English %q, Swedish %q", key, en.Meaning, sv.Meaning)
	}
	_, pageEn := get(t, ts.URL+"/edit/ws/mine.toml")
	_, pageSv := get(t, ts.URL+"/edit/ws/mine.toml?lang=sv")
	esc := func(s string) string { return html.EscapeString(s) }
	if !strings.Contains(pageEn, esc(en.Meaning)) || strings.Contains(pageEn, esc(sv.Meaning)) {
		t.Errorf("the English form lacks %q", en.Meaning)
	}
	if !strings.Contains(pageSv, esc(sv.Meaning)) || strings.Contains(pageSv, esc(en.Meaning)) {
		t.Errorf("the Swedish form lacks %q or still says %q", sv.Meaning, en.Meaning)
	}
	if !strings.Contains(pageSv, ">år; ") && !strings.Contains(pageSv, ">år<") {
		t.Error("the Swedish form does not give horizon_years' unit as år")
	}
}

// Every "allowed" text the validator gives for a key of a shipped scenario or a template
// has a Swedish form, and the generated bounds read as Swedish too.
func TestAllowedInSwedish(t *testing.T) {
	var files []*scenarios.File
	for _, info := range scenarios.List() {
		f, err := scenarios.LoadEmbedded(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	for _, name := range scenarios.TemplateNames() {
		text, err := scenarios.Template(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := scenarios.Parse(name, text)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	seen := map[string]bool{}
	for _, f := range files {
		for path, text := range f.AllowedAll() {
			if text == "" || seen[text] {
				continue
			}
			seen[text] = true
			if sv := allowedIn(text, "sv"); sv == text {
				t.Errorf("%s: %q has no Swedish form in server/allowed.go", path, text)
			}
			if en := allowedIn(text, "en"); en != text {
				t.Errorf("%q in English became %q", text, en)
			}
		}
	}
	if len(seen) < 20 {
		t.Fatalf("only %d allowed texts seen", len(seen))
	}
	for in, want := range map[string]string{"a number >= 0": "ett tal >= 0", "a number in (0, 4000]": "ett tal i (0, 4000]", "a number > 1": "ett tal > 1",
		"an integer in [1, 50]": "ett heltal i [1, 50]", "an integer >= 0": "ett heltal >= 0"} {
		if got := allowedIn(in, "sv"); got != want {
			t.Errorf("allowedIn(%q) = %q, want %q", in, got, want)
		}
	}
}

// A value out of range is refused with the validator's message beside the field, in
// Swedish on the Swedish form; the English form keeps the validator's words.
func TestFormRefusalSwedish(t *testing.T) {
	s, ts, _ := newTest(t)
	dup := url.Values{"token": {s.Token()}, "source": {"builtin"}, "name": {"vardval"}, "to": {"mine"}}
	if code, _, _ := post(t, ts, "/duplicate", ts.URL, dup); code != http.StatusSeeOther {
		t.Fatalf("duplicate: %d", code)
	}
	const key = "rules.lov_pc_2021.visit_fee.fee"
	for _, c := range []struct{ lang, want string }{
		{"en", "-5 is out of range; allowed: SEK per visit &gt;= 0"},
		{"sv", "-5 ligger utanför det tillåtna; tillåtet: kr per besök &gt;= 0"},
	} {
		code, body, _ := post(t, ts, "/edit/ws/mine.toml", ts.URL, url.Values{"token": {s.Token()}, "lang": {c.lang}, key: {"-5"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
			i := strings.Index(body, `id="e-`+key+`"`)
			t.Errorf("%s: %d, want %q beside the field; got %.200q", c.lang, code, c.want, body[max(0, i):])
		}
	}
	code, body, _ := post(t, ts, "/edit/ws/mine.toml", ts.URL, url.Values{"token": {s.Token()}, "lang": {"sv"}, key: {"tolv"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "&#34;tolv&#34; är inte ett tal") {
		t.Errorf("a word for a number in Swedish: %d", code)
	}
}
