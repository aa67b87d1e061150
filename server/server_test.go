package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func newTest(t *testing.T) (*Server, *httptest.Server, string) {
	t.Helper()
	ws := t.TempDir()
	small, err := os.ReadFile("../model/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(ws, "small.toml"), small, 0o644)
	os.WriteFile(filepath.Join(ws, "bad.toml"), []byte("name = \"bad\"\nhorizon_years = 99\n"), 0o644)
	s, err := New(Config{Workspace: ws, MaxReps: 10})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts, ws
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func post(t *testing.T, ts *httptest.Server, path, origin string, form url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header.Get("Location")
}

// Every page answers, in English and Swedish, and names what it shows.
func TestPages(t *testing.T) {
	_, ts, _ := newTest(t)
	for _, c := range []struct{ path, want string }{
		{"/", "Shipped scenarios"}, {"/?lang=sv", "Medföljande scenarier"},
		{"/scenarios/builtin/stockholm", "The scenario is valid."},
		{"/scenarios/ws/small.toml?lang=sv", "Scenariot är giltigt."},
		{"/scenarios/ws/bad.toml", "horizon_years"},
		{"/static/style.css", "font-family"},
	} {
		code, body := get(t, ts.URL+c.path)
		if code != 200 || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want 200 with %q", c.path, code, c.want)
		}
		if strings.Contains(body, "goroutine") || strings.Contains(body, "panic") {
			t.Errorf("%s shows a stack trace", c.path)
		}
	}
}

// What is refused: names that would leave the workspace, requests from another origin
// or without the token, too many replications, an invalid scenario, a second run.
func TestRefusals(t *testing.T) {
	s, ts, ws := newTest(t)
	for _, p := range []string{"/scenarios/ws/..%2F..%2Fetc%2Fpasswd", "/scenarios/ws/%2Fetc%2Fpasswd.toml", "/scenarios/builtin/..",
		"/scenarios/ws/.hidden.toml", "/runs/../x", "/runs/small-2026-12-02_170512/files/..%2F..%2Fsmall.toml"} {
		if code, body := get(t, ts.URL+p); code < 400 || strings.Contains(body, "name = \"small\"") {
			t.Errorf("%s: %d", p, code)
		}
	}
	form := url.Values{"token": {s.Token()}, "source": {"ws"}, "name": {"small.toml"}, "reps": {"2"}}
	if code, _, _ := post(t, ts, "/runs", "http://evil.example", form); code != http.StatusForbidden {
		t.Errorf("another origin: %d", code)
	}
	noToken := url.Values{"source": {"ws"}, "name": {"small.toml"}, "reps": {"2"}}
	if code, _, _ := post(t, ts, "/runs", "", noToken); code != http.StatusForbidden {
		t.Errorf("no token: %d", code)
	}
	bad := url.Values{"token": {s.Token()}, "toml": {"name = \"x\"\nhorizon_years = 99\n"}}
	if code, body, _ := post(t, ts, "/validate", ts.URL, bad); code != 200 || !strings.Contains(body, "horizon_years") {
		t.Errorf("validation of a bad scenario: %d %.200q", code, body)
	}
	many := url.Values{"token": {s.Token()}, "source": {"ws"}, "name": {"small.toml"}, "reps": {"11"}}
	if code, _, _ := post(t, ts, "/runs", ts.URL, many); code != http.StatusBadRequest {
		t.Errorf("too many replications: %d", code)
	}
	invalid := url.Values{"token": {s.Token()}, "source": {"ws"}, "name": {"bad.toml"}, "reps": {"2"}}
	if code, _, _ := post(t, ts, "/runs", ts.URL, invalid); code != http.StatusBadRequest {
		t.Errorf("an invalid scenario: %d", code)
	}
	traversal := url.Values{"token": {s.Token()}, "source": {"ws"}, "name": {"../small.toml"}, "reps": {"2"}}
	if code, _, _ := post(t, ts, "/runs", ts.URL, traversal); code != http.StatusBadRequest {
		t.Errorf("a name leaving the workspace: %d", code)
	}
	entries, _ := os.ReadDir(filepath.Join(ws, "runs"))
	if len(entries) != 0 {
		t.Errorf("refused requests wrote %d entries", len(entries))
	}
}

// A run started in the browser finishes, shows its headline table and charts, and
// serves its files; while it runs, a second one is refused.
func TestRunFromTheBrowser(t *testing.T) {
	s, ts, _ := newTest(t)
	form := url.Values{"token": {s.Token()}, "source": {"ws"}, "name": {"small.toml"}, "reps": {"3"}, "lang": {"sv"}}
	code, _, loc := post(t, ts, "/runs", ts.URL, form)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/runs/small-") {
		t.Fatalf("start: %d %q", code, loc)
	}
	id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/runs/")
	if code, _, _ := post(t, ts, "/runs", ts.URL, form); code != http.StatusTooManyRequests && code != http.StatusSeeOther {
		t.Errorf("a second run while one goes: %d", code)
	}
	deadline := time.Now().Add(60 * time.Second)
	var body string
	for time.Now().Before(deadline) {
		_, body = get(t, ts.URL+"/runs/"+id)
		if !strings.Contains(body, "<progress") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(body, `data-status="done">`) || !strings.Contains(body, "Headline results") || !strings.Contains(body, "<svg") {
		t.Fatalf("the run page: %.400q", body)
	}
	// In Swedish: metric names and cost-effectiveness verdicts in words, numbers that do
	// not break at their thousands.
	_, sv := get(t, ts.URL+"/runs/"+id+"?lang=sv")
	for _, want := range []string{"Besök per 1 000 invånare och år", "Utbetalningar (MSEK per år)"} {
		if !strings.Contains(sv, want) {
			t.Errorf("the Swedish run page lacks %q", want)
		}
	}
	for _, english := range []string{">visits_per_1000<", ">payments (MSEK)<", ">dominated<", ">frontier<", "saves less health", "more health at cost"} {
		if strings.Contains(sv, english) {
			t.Errorf("the Swedish run page says %q", english)
		}
	}
	if regexp.MustCompile(`>[−+]?\d{1,3} \d{3}`).MatchString(sv) || !strings.Contains(sv, "\u00a0") {
		t.Error("a Swedish number is grouped by a breaking space")
	}
	if code, csv := get(t, ts.URL+"/runs/"+id+"/files/summary.csv"); code != 200 || !strings.HasPrefix(csv, "variant,metric") {
		t.Errorf("summary.csv: %d %.60q", code, csv)
	}
	if code, ev := get(t, ts.URL+"/runs/"+id+"/events"); code != 200 || !strings.Contains(ev, "event: done") {
		t.Errorf("events: %d %.60q", code, ev)
	}
}

// The form editor (issue 16): a copy of a shipped scenario in the workspace is edited in
// a form; a bad value is refused with the validator's message beside its field and the
// file unchanged; a good one is saved, changing only that number (comments kept).
func TestFormEditor(t *testing.T) {
	s, ts, ws := newTest(t)
	dup := url.Values{"token": {s.Token()}, "source": {"builtin"}, "name": {"vardval"}, "to": {"mine"}}
	code, _, loc := post(t, ts, "/duplicate", ts.URL, dup)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/edit/ws/mine.toml") {
		t.Fatalf("duplicate: %d %q", code, loc)
	}
	if code, _, _ := post(t, ts, "/duplicate", ts.URL, dup); code != http.StatusConflict {
		t.Errorf("duplicate over an existing file: %d", code)
	}
	before, _ := os.ReadFile(filepath.Join(ws, "mine.toml"))
	const key = "rules.lov_pc_2021.visit_fee.fee"
	code, form := get(t, ts.URL+"/edit/ws/mine.toml")
	if code != 200 || !strings.Contains(form, `name="`+key+`"`) || !strings.Contains(form, "SEK per visit") {
		t.Fatalf("the form: %d, lacks the field %s with what is allowed", code, key)
	}
	code, body, _ := post(t, ts, "/edit/ws/mine.toml", ts.URL, url.Values{"token": {s.Token()}, key: {"-5"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-`+key+`"`) {
		t.Errorf("a bad value: %d, no message beside the field", code)
	}
	if after, _ := os.ReadFile(filepath.Join(ws, "mine.toml")); string(after) != string(before) {
		t.Error("a refused edit changed the file")
	}
	code, _, _ = post(t, ts, "/edit/ws/mine.toml", ts.URL, url.Values{"token": {s.Token()}, key: {"333"}})
	if code != http.StatusSeeOther {
		t.Fatalf("a good value: %d", code)
	}
	after, _ := os.ReadFile(filepath.Join(ws, "mine.toml"))
	a, b := strings.Split(string(before), "\n"), strings.Split(string(after), "\n")
	diff := 0
	for i := range a {
		if i < len(b) && a[i] != b[i] {
			diff++
			if !strings.Contains(b[i], "333") {
				t.Errorf("changed line %q", b[i])
			}
		}
	}
	if len(a) != len(b) || diff != 1 {
		t.Errorf("%d lines changed (want 1), %d lines before and %d after", diff, len(a), len(b))
	}
}

// A new scenario from a template, and two runs compared side by side.
func TestTemplateAndCompare(t *testing.T) {
	s, ts, ws := newTest(t)
	form := url.Values{"token": {s.Token()}, "template": {"national-tariff"}, "to": {"tariff"}}
	if code, _, loc := post(t, ts, "/new", ts.URL, form); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/edit/ws/tariff.toml") {
		t.Fatalf("from a template: %d %q", code, loc)
	}
	if _, err := os.Stat(filepath.Join(ws, "tariff.toml")); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := post(t, ts, "/new", ts.URL, url.Values{"token": {s.Token()}, "template": {"nope"}, "to": {"x"}}); code != http.StatusBadRequest {
		t.Errorf("an unknown template: %d", code)
	}
	var ids []string
	for _, seed := range []string{"3", "4"} {
		run := url.Values{"token": {s.Token()}, "source": {"ws"}, "name": {"small.toml"}, "reps": {seed}}
		code, _, loc := post(t, ts, "/runs", ts.URL, run)
		if code != http.StatusSeeOther {
			t.Fatalf("run: %d", code)
		}
		id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/runs/")
		for i := 0; i < 300; i++ {
			if _, body := get(t, ts.URL+"/runs/"+id); !strings.Contains(body, "<progress") {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		ids = append(ids, id)
	}
	code, body := get(t, ts.URL+"/compare?a="+ids[0]+"&b="+ids[1])
	if code != 200 || !strings.Contains(body, "replications differ") || !strings.Contains(body, "Visits per 1 000 residents and year") {
		t.Errorf("compare: %d %.300q", code, body)
	}
	if _, body := get(t, ts.URL+"/compare?a="+ids[0]+"&b="+ids[1]+"&lang=sv"); !strings.Contains(body, "antalet replikeringar skiljer sig (3 och 4)") || strings.Contains(body, "replications differ") {
		t.Errorf("the Swedish comparison's warning is not in Swedish: %.300q", body)
	}
	if code, _ := get(t, ts.URL+"/compare?a=nope&b="+ids[1]); code != http.StatusNotFound {
		t.Errorf("compare with a run that does not exist: %d", code)
	}
}
