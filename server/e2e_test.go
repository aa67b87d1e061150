package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds the browser the end-to-end test drives, or "".
func chromium() string {
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// The front end in a real headless Chromium, driven over the DevTools protocol
// (chromedp): open the app, pick stockholm, copy it to the workspace, change a fee in
// the form to a bad value and see the validator's message beside it, save a good value,
// start a small run, and see its results with the charts.
func TestInBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("chromium is not installed: this end-to-end test drives Debian's chromium package (.ci/run installs it)")
	}
	s, err := New(Config{Workspace: t.TempDir(), MaxReps: 10})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first action starts the browser; it must run on a context without a
	// deadline (the deadline would end the browser). Later steps get one.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatal(err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 3*time.Minute)
	defer tcancel()
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	const fee = `input[name="rules.lov_pc_2021.visit_fee.fee"]`
	const msg = `[id="e-rules.lov_pc_2021.visit_fee.fee"]`
	if library := text("main"); !strings.Contains(library, "stockholm") {
		t.Errorf("the library lacks stockholm: %.200q", library)
	}
	do(chromedp.Click(chromedp.CSS(`a[href^="/scenarios/builtin/stockholm"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="to"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="to"]`), "mine"),
		chromedp.Click(chromedp.CSS(`form[action="/duplicate"] button`)),
		chromedp.WaitVisible(chromedp.CSS(fee)),
		chromedp.SetValue(chromedp.CSS(fee), "-5"),
		chromedp.Click(chromedp.CSS(`form[action^="/edit/"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(msg)))
	if problem := text(msg); !strings.Contains(problem, "SEK per visit") {
		t.Errorf("the bad fee's message: %q", problem)
	}
	do(chromedp.SetValue(chromedp.CSS(fee), "120"),
		chromedp.Click(chromedp.CSS(`form[action^="/edit/"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.ok`)))
	if saved := text(`p.ok`); !strings.Contains(saved, "Saved") {
		t.Errorf("after saving: %q", saved)
	}
	do(chromedp.SetValue(chromedp.CSS(`#reps`), "2"),
		chromedp.Click(chromedp.CSS(`form[action="/runs"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#status`)))
	// The run page follows progress over server-sent events and reloads when done.
	status := ""
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		// The page reloads itself when the run ends: a read during the reload fails,
		// and is tried again.
		sctx, scancel := context.WithTimeout(tctx, 5*time.Second)
		v, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(`#status`)))
		scancel()
		if err == nil {
			if status = v; status == "done" {
				break
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	do(chromedp.WaitVisible(chromedp.CSS(`a[href$="/files/summary.csv"]`)))
	page, err := chromedp.Run(tctx, chromedp.OuterHTML(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if status != "done" || !strings.Contains(page, "Headline results") || !strings.Contains(page, "<svg") {
		t.Errorf("the run ended %q; its page: %.300q", status, page)
	}
	// The trade-off chart is on the page, and summary.csv downloads from its link.
	if !strings.Contains(page, "The trade-off: administration against health benefit") {
		t.Error("the results page has no trade-off chart")
	}
	href, err := chromedp.Run(tctx, chromedp.AttributeValue(chromedp.CSS(`a[href$="/files/summary.csv"]`), "href"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(ts.URL + href.Value)
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(string(csv), "variant,metric,contract_form,need_group") ||
		!strings.Contains(string(csv), "today,admin_share,all,all") {
		t.Errorf("summary.csv: %d %.120q", res.StatusCode, csv)
	}
	// Screenshots of the library, the form and the results, kept where ERSIM_SCREENSHOTS
	// says (the README's is docs/img/serve_results.png), else in the test's directory.
	dir := os.Getenv("ERSIM_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	do(chromedp.EmulateViewport(1280, 1000))
	for _, shot := range [][2]string{{"serve_results.png", ""}, {"serve_form.png", "/edit/ws/mine.toml"}, {"serve_library.png", "/"}} {
		name, path := shot[0], shot[1]
		if path != "" {
			do(chromedp.Navigate(ts.URL + path))
		}
		png, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if len(png) < 1000 || !strings.HasPrefix(string(png), "\x89PNG") {
			t.Errorf("%s: %d bytes", name, len(png))
		}
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// At 200 % zoom (a 1280-pixel window is then 640 CSS pixels wide) no page scrolls
	// sideways: wide tables scroll inside their own box.
	do(chromedp.EmulateViewport(640, 900, chromedp.EmulateScale(2)))
	for _, shot := range [][2]string{{"serve_zoom_results.png", strings.TrimPrefix(href.Value, "")}, {"serve_zoom_form.png", "/edit/ws/mine.toml"},
		{"serve_zoom_scenario.png", "/scenarios/ws/mine.toml"}, {"serve_zoom_library.png", "/?lang=sv"}} {
		path := shot[1]
		if strings.Contains(path, "/files/") {
			path = path[:strings.Index(path, "/files/")]
		}
		do(chromedp.Navigate(ts.URL + path))
		wide, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`))
		if err != nil {
			t.Fatal(err)
		}
		if wide {
			t.Errorf("%s scrolls sideways at 200 %% zoom", path)
		}
		png, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, shot[0]), png, 0o644)
	}
	// Keyboard: the first Tab reaches the skip link, and following it puts the
	// content next.
	do(chromedp.EmulateViewport(1280, 1000), chromedp.Navigate(ts.URL+"/"), chromedp.KeyEvent("\t"))
	focused, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.activeElement.className + " " + document.activeElement.getAttribute("href")`))
	if err != nil || focused != "skip #main" {
		t.Errorf("the first Tab focuses %q (%v), not the skip link", focused, err)
	}
	if entries, _ := os.ReadDir(s.cfg.Workspace + "/runs"); len(entries) == 0 {
		t.Error("no run directory in the workspace")
	}
}
