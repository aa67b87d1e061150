package plots

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot/vg"

	"ersim/model"
	"ersim/results"
	"ersim/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata")

var (
	runOnce sync.Once
	testRun *results.Run
	runErr  error
)

// smallRun simulates the small test scenario (3 replications) once and reads it back,
// as the report would.
func smallRun(t *testing.T) *results.Run {
	t.Helper()
	runOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ersim-plots-test-")
		if err != nil {
			runErr = err
			return
		}
		dir = filepath.Join(dir, "small")
		if runErr = writeRun(dir); runErr == nil {
			testRun, runErr = results.ReadRun(dir)
		}
	})
	if runErr != nil {
		t.Fatal(runErr)
	}
	return testRun
}

// writeRun runs the small scenario and writes its outputs to dir as `ersim run` does
// (the pattern of results/read_test.go).
func writeRun(dir string) error {
	f, err := scenarios.Load("../model/testdata/small.toml")
	if err != nil {
		return err
	}
	pl, err := model.NewPlan(f, nil, 3, 2)
	if err != nil {
		return err
	}
	out, err := results.NewOutput(dir)
	if err != nil {
		return err
	}
	prov, err := out.Create("providers.csv")
	if err != nil {
		return err
	}
	col := results.NewCollector(pl, prov)
	if err := model.Run(context.Background(), pl, col, nil); err != nil {
		return err
	}
	if err := col.Flush(); err != nil {
		return err
	}
	prov.Close()
	for _, x := range []struct {
		name string
		fn   func(w *os.File) error
	}{
		{"summary.csv", func(w *os.File) error { return col.WriteSummary(w) }},
		{"differences.csv", func(w *os.File) error { return col.WriteDifferences(w) }},
		{"timeseries.csv", func(w *os.File) error { return col.WriteTimeseries(w) }},
		{"replications.csv", func(w *os.File) error { return col.WriteReplications(w) }},
		{"costeffectiveness.csv", func(w *os.File) error { return col.WriteCostEffectiveness(w) }},
	} {
		fl, err := out.Create(x.name)
		if err != nil {
			return err
		}
		if err := x.fn(fl); err != nil {
			return err
		}
		fl.Close()
	}
	man := &results.Manifest{Scenario: "small", Seed: 7, Replications: 3}
	for _, v := range pl.Variants {
		man.Variants = append(man.Variants, results.ManifestVariant{Name: v.Name})
	}
	fm, err := out.Create("manifest.json")
	if err != nil {
		return err
	}
	if err := results.WriteManifest(fm, man); err != nil {
		return err
	}
	fm.Close()
	fa, err := out.Create("assumptions.csv")
	if err != nil {
		return err
	}
	fa.WriteString("variant,key,value,source,assumption\n")
	fa.Close()
	return out.Commit()
}

var wantIDs = allIDs

func ids(charts []Chart) []string {
	var out []string
	for _, c := range charts {
		out = append(out, c.ID)
	}
	return out
}

// TestGolden compares every SVG chart of the small run, in both languages, with
// testdata/<lang>/<id>.golden.svg. Run `go test ./plots -update` after an intended
// change and look at the new files.
func TestGolden(t *testing.T) {
	run := smallRun(t)
	for _, lang := range []string{"en", "sv"} {
		dir := t.TempDir()
		charts, err := Draw(run, dir, Options{Lang: lang, Size: "report", Formats: []string{"svg"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(charts); !slices.Equal(got, wantIDs) {
			t.Fatalf("%s: charts %v, want %v", lang, got, wantIDs)
		}
		for _, c := range charts {
			got, err := os.ReadFile(filepath.Join(dir, c.ID+".svg"))
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", lang, c.ID+".golden.svg")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run with -update if the change is intended)", c.ID, golden)
			}
		}
	}
}

// TestDeterministic draws twice and wants byte-identical SVG and CSV files.
func TestDeterministic(t *testing.T) {
	run := smallRun(t)
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := Draw(run, dir, Options{Lang: "sv", Size: "slide", Formats: []string{"svg"}}); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(a, "*"))
	files = slices.DeleteFunc(files, func(f string) bool { return filepath.Base(f) == OptionsFile })
	if len(files) != 2*len(wantIDs) {
		t.Fatalf("%d files, want %d", len(files), 2*len(wantIDs))
	}
	for _, fa := range files {
		x, _ := os.ReadFile(fa)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(fa)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two draws", filepath.Base(fa))
		}
	}
}

// TestCSV checks each chart's CSV: it exists, has the expected header and as many
// rows as the chart has data, and its numbers are in C locale.
func TestCSV(t *testing.T) {
	run := smallRun(t)
	dir := t.TempDir()
	charts, err := Draw(run, dir, Options{Lang: "sv", Size: "report", Formats: []string{"svg"}})
	if err != nil {
		t.Fatal(err)
	}
	nv := len(run.Variants)
	reps := len(run.Replications[run.Variants[0]])
	periods := 0
	for _, r := range run.Timeseries {
		if r.Variant == run.Variants[0] && r.Metric == "payments" {
			periods++
		}
	}
	forms := map[string]bool{}
	for _, r := range run.Summary {
		if r.Form != "all" {
			forms[r.Form] = true
		}
	}
	ceilVariants := map[string]bool{}
	for _, p := range run.Providers {
		if !math.IsNaN(p.Tak1Share) {
			ceilVariants[p.Variant] = true
		}
	}
	forestRows := 0
	for _, d := range run.Differences {
		if d.Form == "all" && d.Group == "all" && !forestSkip(d.Metric) && d.BaseMean != 0 && !math.IsNaN(d.BaseMean) {
			forestRows++
		}
	}
	ts := []string{"variant", "period", "year", "unit", "p05", "p25", "p50", "p75", "p95"}
	dist := []string{"variant", "replication", "value", "unit", "q1", "median", "q3", "whisker_low", "whisker_high", "outlier"}
	bars := []string{"contract_form", "variant", "unit", "mean", "p025", "p975"}
	want := map[string]struct {
		header []string
		rows   int
	}{
		"tradeoff_benefit": {[]string{"variant", "admin_share_pct_mean", "admin_share_pct_p025", "admin_share_pct_p975",
			"health_benefit_mean", "health_benefit_p025", "health_benefit_p975"}, nv},
		"tradeoff_quality": {[]string{"variant", "admin_share_pct_mean", "admin_share_pct_p025", "admin_share_pct_p975",
			"true_quality_mean", "true_quality_p025", "true_quality_p975"}, nv},
		"tradeoff_benefit_difference": {[]string{"variant", "baseline", "admin_share_pp_diff_mean", "admin_share_pp_diff_ci_low", "admin_share_pp_diff_ci_high",
			"health_benefit_diff_mean", "health_benefit_diff_ci_low", "health_benefit_diff_ci_high", "replications"}, nv - 1},
		"tradeoff_quality_difference": {[]string{"variant", "baseline", "admin_share_pp_diff_mean", "admin_share_pp_diff_ci_low", "admin_share_pp_diff_ci_high",
			"true_quality_diff_mean", "true_quality_diff_ci_low", "true_quality_diff_ci_high", "replications"}, nv - 1},
		"timeseries_visits_per_1000":      {ts, nv * periods},
		"timeseries_true_quality":         {ts, nv * periods},
		"timeseries_provider_admin_hours": {ts, nv * periods},
		"timeseries_payments":             {ts, nv * periods},
		"distribution_visits_per_1000":    {dist, nv * reps},
		"distribution_true_quality":       {dist, nv * reps},
		"distribution_health_benefit":     {dist, nv * reps},
		"distribution_payments":           {dist, nv * reps},
		"distribution_admin_share":        {dist, nv * reps},
		"forms_payments":                  {bars, nv * len(forms)},
		"forms_admin":                     {bars, nv * len(forms)},
		"ceiling_histogram":               {[]string{"variant", "bin_low", "bin_high", "open_ended", "provider_years", "share_pct"}, len(ceilVariants) * 40},
		"forest":                          {[]string{"metric", "variant", "baseline", "relative_diff_pct", "ci_low_pct", "ci_high_pct"}, forestRows},
		"ce_plane": {[]string{"variant", "baseline", "delta_health_mean", "delta_health_ci_low", "delta_health_ci_high",
			"delta_payer_cost_msek_mean", "delta_payer_cost_msek_ci_low", "delta_payer_cost_msek_ci_high", "wtp_sek_per_health_unit", "replications"}, nv - 1},
	}
	for _, c := range charts {
		w, ok := want[c.ID]
		if !ok {
			t.Errorf("unexpected chart %s", c.ID)
			continue
		}
		if c.CSV != c.ID+".csv" || !slices.Equal(c.Files, []string{c.ID + ".svg"}) || c.Title == "" || c.Caption == "" {
			t.Errorf("%s: chart %+v", c.ID, c)
		}
		f, err := os.Open(filepath.Join(dir, c.CSV))
		if err != nil {
			t.Error(err)
			continue
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", c.CSV, err)
			continue
		}
		if len(recs) == 0 || !slices.Equal(recs[0], w.header) {
			t.Errorf("%s: header %v, want %v", c.CSV, recs[0], w.header)
		}
		if got := len(recs) - 1; got != w.rows || got == 0 {
			t.Errorf("%s: %d rows, want %d", c.CSV, got, w.rows)
		}
		for _, rec := range recs[1:] {
			for _, v := range rec {
				if strings.ContainsAny(v, "\u00a0\u202f\u2212") || strings.Contains(v, ",") {
					t.Errorf("%s: %q is not C-locale", c.CSV, v)
				}
			}
		}
	}
}

// TestFormats writes PNG (with its physical size) and PDF, atomically.
func TestFormats(t *testing.T) {
	run := smallRun(t)
	dir := t.TempDir()
	charts, err := Draw(run, dir, Options{Lang: "sv", Size: "report", Formats: []string{"png", "pdf", "png"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		if !slices.Equal(c.Files, []string{c.ID + ".png", c.ID + ".pdf"}) {
			t.Fatalf("%s: files %v", c.ID, c.Files)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "tradeoff_benefit.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != 1890 { // 16 cm at 300 dpi
		t.Errorf("report PNG %d px wide, want 1890", w)
	}
	if !bytes.Contains(b[:64], []byte("pHYs")) {
		t.Error("PNG without its resolution (pHYs)")
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "forest.pdf"))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("forest.pdf: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	left = slices.DeleteFunc(left, func(f string) bool { return filepath.Base(f) == OptionsFile })
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestSlideSize checks the 16:9 slide size.
func TestSlideSize(t *testing.T) {
	run := smallRun(t)
	dir := t.TempDir()
	if _, err := Draw(run, dir, Options{Lang: "en", Size: "slide", Formats: []string{"png"}}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "forest.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1920 || cfg.Height != 1080 {
		t.Errorf("slide %d×%d px, want 1920×1080", cfg.Width, cfg.Height)
	}
}

// TestOptions: no title in the image, embedded fonts.
func TestOptions(t *testing.T) {
	run := smallRun(t)
	dir := t.TempDir()
	charts, err := Draw(run, dir, Options{Lang: "sv", Formats: []string{"svg"}, NoTitle: true, EmbedFonts: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "tradeoff_benefit.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("@font-face")) {
		t.Error("no embedded font")
	}
	if charts[0].Title == "" || bytes.Contains(b, []byte(`">Avvägningen`)) || !bytes.Contains(b, []byte("<title>Avvägningen")) {
		t.Error("title drawn with NoTitle, or missing from the chart list")
	}
}

// TestNoCeiling skips the histogram when no provider has a ceiling.
func TestNoCeiling(t *testing.T) {
	run := *smallRun(t)
	run.Providers = slices.Clone(run.Providers)
	for i := range run.Providers {
		run.Providers[i].Tak1Share = math.NaN()
	}
	dir := t.TempDir()
	// A histogram from an earlier drawing into the same directory goes away.
	if _, err := Draw(smallRun(t), dir, Options{Formats: []string{"svg"}}); err != nil {
		t.Fatal(err)
	}
	charts, err := Draw(&run, dir, Options{Lang: "en", Size: "report", Formats: []string{"svg"}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids(charts), "ceiling_histogram") || len(charts) != len(wantIDs)-1 {
		t.Errorf("charts %v", ids(charts))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "ceiling_histogram.*")); len(left) > 0 {
		t.Errorf("stale files %v", left)
	}
}

func TestBadOptions(t *testing.T) {
	run := smallRun(t)
	for _, o := range []Options{{Lang: "de"}, {Size: "poster"}, {Formats: []string{"gif"}}} {
		if _, err := Draw(run, t.TempDir(), o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if _, err := Draw(&results.Run{}, t.TempDir(), Options{}); err == nil {
		t.Error("empty run accepted")
	}
}

func TestNumbers(t *testing.T) {
	sv, en := chartLocale("sv"), chartLocale("en")
	cases := []struct {
		x        float64
		dec      int
		sv, en   string
		autoSv   string
		autoEnOK bool
	}{
		{1234567, 0, "1\u202f234\u202f567", "1,234,567", "1\u202f234\u202f567", true},
		{0.45, 2, "0,45", "0.45", "0,45", true},
		{-1234.7, 1, "\u22121\u202f234,7", "\u22121,234.7", "\u22121\u202f235", true},
		{999, 0, "999", "999", "999", true},
		{1000, 0, "1\u202f000", "1,000", "1\u202f000", true},
		{-0.001, 1, "0,0", "0.0", "\u22120,001", true},
		{0, 0, "0", "0", "0", true},
	}
	for _, c := range cases {
		if got := sv.num(c.x, c.dec); got != c.sv {
			t.Errorf("sv num(%v, %d) = %q, want %q", c.x, c.dec, got, c.sv)
		}
		if got := en.num(c.x, c.dec); got != c.en {
			t.Errorf("en num(%v, %d) = %q, want %q", c.x, c.dec, got, c.en)
		}
		if got := sv.auto(c.x); got != c.autoSv {
			t.Errorf("sv auto(%v) = %q, want %q", c.x, got, c.autoSv)
		}
	}
	if got := sv.percent(12.5, 1); got != "12,5\u00a0%" {
		t.Errorf("sv percent = %q", got)
	}
	if got := en.signedPercent(12.5, 0); got != "+12%" && got != "+13%" {
		t.Errorf("en signed percent = %q", got)
	}
	if got := textLocale("sv").num(1234567, 0); got != "1\u00a0234\u00a0567" {
		t.Errorf("caption number = %q", got)
	}
	for x, want := range map[float64]string{1234567: "1234567", 0.45: "0.45", 2.32398271e10: "23239827100", 1e-7: "0.0000001", math.NaN(): ""} {
		if got := csvNum(x); got != want {
			t.Errorf("csvNum(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestTicks(t *testing.T) {
	cases := []struct {
		lang     string
		min, max float64
		n        int
		pct      bool
		want     []string
	}{
		{"sv", 0, 2.3e6, 6, false, []string{"0", "500\u202f000", "1\u202f000\u202f000", "1\u202f500\u202f000", "2\u202f000\u202f000"}},
		{"en", 0, 2.3e6, 6, false, []string{"0", "500,000", "1,000,000", "1,500,000", "2,000,000"}},
		{"sv", 0.41, 0.49, 5, false, []string{"0,42", "0,44", "0,46", "0,48"}},
		{"en", 0.41, 0.49, 5, false, []string{"0.42", "0.44", "0.46", "0.48"}},
		{"sv", 3.5, 14.2, 8, true, []string{"4\u00a0%", "6\u00a0%", "8\u00a0%", "10\u00a0%", "12\u00a0%", "14\u00a0%"}},
		{"en", -12, 7, 5, true, []string{"\u221210%", "\u22125%", "0%", "5%"}},
	}
	for _, c := range cases {
		var got []string
		for _, tk := range (ticker{loc: chartLocale(c.lang), max: c.n, pct: c.pct}).Ticks(c.min, c.max) {
			got = append(got, tk.Label)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s ticks(%v, %v) = %q, want %q", c.lang, c.min, c.max, got, c.want)
		}
	}
	// Steps are 1, 2 or 5 × 10^k.
	for _, span := range []float64{0.003, 0.7, 13, 420, 9e9} {
		for n := 2; n < 12; n++ {
			s := tickStep(0, span, n)
			m := s / math.Pow(10, math.Floor(math.Log10(s)+1e-9))
			if math.Abs(m-1) > 1e-9 && math.Abs(m-2) > 1e-9 && math.Abs(m-5) > 1e-9 {
				t.Errorf("step %v for span %v", s, span)
			}
		}
	}
}

func TestPlaceLabel(t *testing.T) {
	P := vg.Point{X: 100, Y: 100}
	area := rect{0, 0, 300, 200}
	// Bars through the point both ways, and another label up and to the right.
	obstacles := []rect{{60, 99, 140, 101}, {99, 40, 101, 160}, {105, 103, 160, 115}}
	b := placeLabel(P, 40, 10, 5, 5, obstacles, area)
	if !b.inside(area) {
		t.Fatalf("label %v outside", b)
	}
	for _, o := range obstacles {
		if b.overlap(o) > 0 {
			t.Errorf("label %v overlaps %v", b, o)
		}
	}
}

// TestBaselineOnly draws a run of the baseline alone: no forest, no incremental planes
// and no cost-effectiveness plane, everything else.
func TestBaselineOnly(t *testing.T) {
	run := *smallRun(t)
	run.Variants = run.Variants[:1]
	charts, err := Draw(&run, t.TempDir(), Options{Lang: "sv", Formats: []string{"svg"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(charts); slices.Contains(got, "forest") || slices.Contains(got, "tradeoff_quality_difference") || slices.Contains(got, "ce_plane") || len(got) != len(wantIDs)-4 {
		t.Errorf("charts %v", got)
	}
}

// The incremental plane plots each variant's paired difference from the baseline: its
// means are those of differences.csv (in percentage points for the administrative
// share), and it has a dot for every replication, each the difference of the two
// variants' values in that replication.
func TestTradeoffDifference(t *testing.T) {
	run := smallRun(t)
	e := newEnv(run, Options{Lang: "en", Formats: []string{"svg"}})
	s := e.tradeoffDiff("tradeoff_quality_difference", "true_quality")
	if s == nil {
		t.Fatal("no chart")
	}
	base := run.Variants[0]
	for _, row := range s.rows {
		v := row[0]
		dx, dy := run.FindDiff(v, "admin_share", "all", "all"), run.FindDiff(v, "true_quality", "all", "all")
		gotX, _ := strconv.ParseFloat(row[2], 64)
		gotY, _ := strconv.ParseFloat(row[5], 64)
		if math.Abs(gotX-100*dx.Mean) > 1e-9*math.Max(1, math.Abs(gotX)) || math.Abs(gotY-dy.Mean) > 1e-9*math.Max(1, math.Abs(gotY)) {
			t.Errorf("%s: plotted (%s, %s), differences.csv (%v pp, %v)", v, row[2], row[5], 100*dx.Mean, dy.Mean)
		}
		if row[1] != base || row[8] != strconv.Itoa(len(run.Replications[v])) {
			t.Errorf("%s: baseline %s, %s dots; want %s and %d", v, row[1], row[8], base, len(run.Replications[v]))
		}
		// The mean of the dots is the mean difference.
		sum := 0.0
		for r, m := range run.Replications[v] {
			sum += m["admin_share"] - run.Replications[base][r]["admin_share"]
		}
		if n := float64(len(run.Replications[v])); math.Abs(sum/n-dx.Mean) > 1e-9 {
			t.Errorf("%s: mean of the dots %v, mean difference %v", v, sum/n, dx.Mean)
		}
	}
}
