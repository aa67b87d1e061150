package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// smallRun runs the small test scenario into a temporary directory and returns it.
func smallRun(t *testing.T, extra ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "small")
	args := append([]string{"run", "../../model/testdata/small.toml", "--reps", "3", "--out", dir, "--quiet"}, extra...)
	if code, _, errOut := runCLI(args...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	return dir
}

func TestRunDrawsCharts(t *testing.T) {
	dir := smallRun(t)
	svgs, _ := filepath.Glob(filepath.Join(dir, "charts", "*.svg"))
	csvs, _ := filepath.Glob(filepath.Join(dir, "charts", "*.csv"))
	if len(svgs) < 10 || len(svgs) != len(csvs) {
		t.Fatalf("%d SVG charts and %d CSV files in charts/", len(svgs), len(csvs))
	}
	if code, _, _ := runCLI("run", "../../model/testdata/small.toml", "--reps", "2", "--no-charts", "--out", filepath.Join(t.TempDir(), "x"), "--quiet"); code != 0 {
		t.Fatal("--no-charts run failed")
	}
	if code, _, _ := runCLI("run", "--format", "gif", "../../model/testdata/small.toml"); code != 2 {
		t.Error("--format gif accepted")
	}
}

func TestPlotRedrawsInSwedishPNG(t *testing.T) {
	dir := smallRun(t, "--no-charts")
	code, out, errOut := runCLI("plot", dir, "--lang", "sv", "--format", "png,svg", "--size", "slide")
	if code != 0 {
		t.Fatalf("plot: exit %d: %s", code, errOut)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "charts", "*.png"))
	if len(pngs) < 10 || !strings.Contains(out, "charts") {
		t.Fatalf("%d PNG charts; output %q", len(pngs), out)
	}
	if code, _, _ := runCLI("plot", t.TempDir()); code != 2 {
		t.Error("plot of a directory that is not a run: want exit 2")
	}
	if code, _, _ := runCLI("plot", dir, "--lang", "de"); code != 2 {
		t.Error("--lang de accepted")
	}
}

var externalRef = regexp.MustCompile(`(?i)\b(src|href)\s*=\s*["']?([^"'\s>]*)`)

// report.html is self-contained: no scripts, no reference to another file, every chart
// inline as SVG with its caption. report.md links the chart files beside it. In Swedish,
// for a run whose charts are in English, they are report-sv.* and charts-sv/ (issue 15).
func TestReportSelfContained(t *testing.T) {
	dir := smallRun(t)
	if code, _, errOut := runCLI("report", dir, "--lang", "sv"); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report-sv.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if strings.Contains(strings.ToLower(page), "<script") {
		t.Error("report.html contains a script")
	}
	for _, m := range externalRef.FindAllStringSubmatch(page, -1) {
		// Links within the page, and the one link to the full table of assumptions
		// beside it (a data file, not something the page needs to render).
		if !strings.HasPrefix(m[2], "#") && m[2] != "assumptions.csv" {
			t.Errorf("report.html refers to %q", m[0])
		}
	}
	figures := strings.Count(page, `<figure class="chart"`)
	if figures < 10 || strings.Count(page, "<svg") < figures {
		t.Errorf("%d chart figures, %d inline SVGs", figures, strings.Count(page, "<svg"))
	}
	for _, want := range []string{"Sammanfattning", "Innehåll", "Huvudresultat", "Bilaga: antaganden", "Ursprung", "SHA-256", "Skillnad mot today"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "report-sv.md"))
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`!\[[^\]]*\]\(([^)]+)\)`).FindAllStringSubmatch(string(md), -1)
	if len(links) != figures {
		t.Errorf("report.md links %d charts, report.html shows %d", len(links), figures)
	}
	for _, l := range links {
		if _, err := os.Stat(filepath.Join(dir, l[1])); err != nil {
			t.Errorf("report.md links a missing file: %v", err)
		}
	}
}

func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func chromium(t *testing.T, bin string, args ...string) (stdout, stderr string) {
	t.Helper()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.Command(bin, append(base, args...)...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, e.String())
	}
	return o.String(), e.String()
}

// The HTML report opened in a real headless browser: it loads with no console errors,
// and every chart is visible in a screenshot of the page.
func TestReportInBrowser(t *testing.T) {
	bin := chromiumPath()
	if bin == "" {
		t.Skip("chromium is not installed: this test of report.html in a real browser needs Debian's chromium package (.ci/run installs it)")
	}
	dir := smallRun(t)
	if code, _, errOut := runCLI("report", dir); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	page, err := filepath.Abs(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	const width = 1280
	// A wrapper page (the test's, not the report's) measures where each chart lands.
	wrapper := filepath.Join(dir, "measure.html")
	os.WriteFile(wrapper, []byte(`<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="report.html" style="width:1280px;height:900px;border:0"></iframe><pre id="out">pending</pre>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument, rs = [];
  d.querySelectorAll('figure.chart svg').forEach(function (s) {
    var r = s.getBoundingClientRect(); rs.push([r.left, r.top, r.width, r.height]);
  });
  document.getElementById('out').textContent = JSON.stringify({height: d.documentElement.scrollHeight, rects: rs});
});
</script></body></html>`), 0o644)
	dom, _ := chromium(t, bin, "--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", "file://"+wrapper)
	m := regexp.MustCompile(`<pre id="out">([^<]*)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("measuring page gave no result:\n%.500s", dom)
	}
	var layout struct {
		Height int
		Rects  [][4]float64
	}
	if err := json.Unmarshal([]byte(m[1]), &layout); err != nil {
		t.Fatalf("layout %q: %v", m[1], err)
	}
	if len(layout.Rects) < 10 {
		t.Fatalf("%d charts laid out", len(layout.Rects))
	}
	bottom := 0.0
	for _, r := range layout.Rects {
		if r[2] < 300 || r[3] < 150 {
			t.Errorf("a chart is laid out at %.0f×%.0f px: too small to read", r[2], r[3])
		}
		bottom = max(bottom, r[1]+r[3])
	}
	shot := filepath.Join(dir, "shot.png")
	_, logs := chromium(t, bin, "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
		"--screenshot="+shot, "--window-size="+strconv.Itoa(width)+","+strconv.Itoa(int(bottom)+40), "file://"+page)
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, ":CONSOLE") {
			t.Errorf("browser console: %s", line)
		}
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range layout.Rects {
		ink, colour := inked(img, image.Rect(int(r[0]), int(r[1]), int(r[0]+r[2]), int(r[1]+r[3])))
		if ink < 0.01 || colour < 50 {
			t.Errorf("chart %d is not visible in the screenshot: %.1f %% of its area drawn, %d coloured pixels", i+1, 100*ink, colour)
		}
	}
}

// inked returns the share of non-white pixels in r and the number of coloured ones.
func inked(img image.Image, r image.Rectangle) (float64, int) {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return 0, 0
	}
	ink, colour, total := 0, 0, 0
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			R, G, B := cr>>8, cg>>8, cb>>8
			total++
			if R < 235 || G < 235 || B < 235 {
				ink++
			}
			if max(R, G, B)-min(R, G, B) > 60 {
				colour++
			}
		}
	}
	return float64(ink) / float64(total), colour
}

// Analyses written beside a run (here one-way sensitivity) get their own report section.
func TestReportIncludesAnalyses(t *testing.T) {
	text, err := os.ReadFile("../../model/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "u.toml")
	os.WriteFile(file, append(text, []byte(`
[uncertainty.params."behaviour.admin.hours_per_claim"]
dist = "uniform"
min = 0.02
max = 0.08
`)...), 0o644)
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, errOut := runCLI("run", file, "--reps", "3", "--quiet", "--out", dir); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runCLI("sensitivity", file, "--reps", "2", "--quiet", "--out", filepath.Join(dir, "sensitivity")); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runCLI("report", dir); code != 0 {
		t.Fatal(errOut)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if !strings.Contains(string(page), `<h2 id="sensitivity">One-way sensitivity</h2>`) || !strings.Contains(string(md), "sensitivity/charts/tornado_admin_share.svg") {
		t.Error("the report has no section for the one-way sensitivity analysis beside the run")
	}
	// The brief's summary names what the result hangs on, from that analysis.
	if !strings.Contains(string(page), "What the result hangs on (the one-way sensitivity analysis beside the run): ") {
		t.Error("the summary does not say what the result hangs on")
	}
	if n := strings.Count(string(page), `<figure class="chart" id="sensitivity-`); n < 5 {
		t.Errorf("%d tornado charts in the report, want one per headline metric at least", n)
	}
}

// The stockholm brief printed to PDF in Chromium (issue 15): it starts with the summary
// and the contents, and it fits in about 12 A4 pages.
func TestBriefPrintsToPDF(t *testing.T) {
	if chromiumPath() == "" {
		t.Skip("chromium is not installed: this test prints the report to PDF with Debian's chromium package (.ci/run installs it)")
	}
	dir := filepath.Join(t.TempDir(), "stockholm")
	if code, _, errOut := runCLI("run", "stockholm", "--reps", "4", "--quiet", "--out", dir); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	for _, lang := range []string{"en", "sv"} {
		code, out, errOut := runCLI("report", dir, "--lang", lang, "--pdf")
		if code != 0 {
			t.Fatalf("report --pdf (%s): exit %d: %s %s", lang, code, out, errOut)
		}
		name := map[string]string{"en": "report", "sv": "report-sv"}[lang]
		pdf, err := os.ReadFile(filepath.Join(dir, name+".pdf"))
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("%s.pdf: %v", name, err)
		}
		pages := regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)
		if len(pages) == 0 || len(pages) > 12 {
			t.Errorf("%s.pdf has %d pages, want 1 to 12", name, len(pages))
		}
		page, _ := os.ReadFile(filepath.Join(dir, name+".html"))
		s := string(page)
		if lang == "sv" {
			// The scenario labels its variants in Swedish: no English identifier is left.
			for _, id := range []string{">today<", ">simple<", ">detailed<", "— today", "Skillnad mot today"} {
				if strings.Contains(s, id) {
					t.Errorf("%s.html still shows %q", name, id)
				}
			}
			if !strings.Contains(s, "Skillnad mot i dag") {
				t.Errorf("%s.html does not use the Swedish label of the baseline", name)
			}
		}
		sum, toc, head := strings.Index(s, `id="summary"`), strings.Index(s, `class="toc"`), strings.Index(s, `id="headline"`)
		if sum < 0 || toc < sum || head < toc {
			t.Errorf("%s.html does not open with the summary, then the contents, then the results: %d %d %d", name, sum, toc, head)
		}
	}
}
