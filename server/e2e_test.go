package server

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
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
		if status = text(`#status`); status == "done" {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	page, err := chromedp.Run(tctx, chromedp.OuterHTML(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if status != "done" || !strings.Contains(page, "Headline results") || !strings.Contains(page, "<svg") {
		t.Errorf("the run ended %q; its page: %.300q", status, page)
	}
	if entries, _ := os.ReadDir(s.cfg.Workspace + "/runs"); len(entries) == 0 {
		t.Error("no run directory in the workspace")
	}
}
