// Package plots draws ersim's charts from a finished run's results (results.Run). It
// never runs the model: data flows scenario → model → results → charts.
package plots

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"ersim/results"
)

// Options choose the language, size and file formats of the charts.
type Options struct {
	Lang    string   // "en" or "sv"
	Size    string   // "report" (a column of an A4 report, 16 cm wide) or "slide" (16:9)
	Formats []string // any of "svg", "png", "pdf"

	// NoTitle leaves the title out of the images, for documents that set it as the
	// figure caption instead. Chart.Title is filled either way.
	NoTitle bool
	// EmbedFonts embeds the font in SVG files (about 500 kB each) for viewers that
	// have neither Liberation Sans nor Arial or Helvetica. PNG and PDF always carry
	// their text.
	EmbedFonts bool
	// Labels names identifiers (variants, cohorts) in Lang, from the scenario's
	// [labels.LANG.names], for the charts drawn without a run directory (decision view,
	// one-way sensitivity, sweeps); a run's own labels come first.
	Labels map[string]string
}

// Chart is one drawn chart: its files (relative to the charts directory), the CSV with
// exactly the data it plots, and its title and caption in the chosen language.
type Chart struct {
	ID      string   // file stem, e.g. "tradeoff_benefit"
	Title   string   // short title
	Caption string   // what it shows and how to read it
	Files   []string // e.g. "tradeoff_benefit.svg", "tradeoff_benefit.png"
	CSV     string   // e.g. "tradeoff_benefit.csv"
}

// spec is a chart before it is written: its texts, data table and drawing.
type spec struct {
	id, title, caption string
	subtitle           string // a reading hint under the title
	w, h               vg.Length
	header             []string
	rows               [][]string
	body               func(c draw.Canvas) // draws everything below the title
}

// env is what every chart builder needs: the run, the language, the sizes and the
// variants' looks.
type env struct {
	run    *results.Run
	opt    Options
	lang   string
	th     theme
	loc    locale // numbers on charts
	tloc   locale // numbers in captions
	vs     []vstyle
	vindex map[string]int
}

func newEnv(run *results.Run, opt Options) *env {
	e := &env{run: run, opt: opt, lang: opt.Lang, th: themeFor(opt.Size),
		loc: chartLocale(opt.Lang), tloc: textLocale(opt.Lang), vindex: map[string]int{}}
	for i, v := range run.Variants {
		vs := variantStyle(i, v, e.th)
		if l := e.label(v); l != v {
			vs.label = l // the scenario's own label in the chart's language (labels.sv)
		}
		e.vs = append(e.vs, vs)
		e.vindex[v] = i
	}
	return e
}

// label is an identifier's label in the chart's language: the run's, else the
// options', else the identifier.
func (e *env) label(id string) string {
	if l := e.run.Label(id, e.lang); l != id {
		return l
	}
	if l := e.opt.Labels[id]; l != "" {
		return l
	}
	return id
}

// variantLabel is a variant's label for running text (titles, captions): its label, or
// its name with spaces for underscores.
func (e *env) variantLabel(v string) string {
	if l := e.label(v); l != v {
		return l
	}
	return strings.ReplaceAll(v, "_", " ")
}

// Draw draws every chart of a run into dir (created if needed): for each chart, a file
// per format in opt.Formats and a CSV of the plotted data. Files are written
// atomically. Charts come back in report order, the trade-off first.
// OptionsFile records, in a charts directory, the language and size its charts were
// drawn in, so that a redraw in another language or size goes beside them (issue 15).
const OptionsFile = ".options"

// ChartsDir is where a run's charts in opt's language and size go: charts/ when they
// are the run's own (or it has none yet), else charts-LANG, charts-SIZE or
// charts-LANG-SIZE beside them; suffix is the same ending for the report's files.
func ChartsDir(runDir string, opt Options) (dir, suffix string) {
	own := filepath.Join(runDir, "charts")
	b, err := os.ReadFile(filepath.Join(own, OptionsFile))
	lang, size := "en", "report"
	if err != nil {
		if _, err := os.Stat(own); os.IsNotExist(err) {
			return own, ""
		}
	} else {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "lang="); ok {
				lang = v
			}
			if v, ok := strings.CutPrefix(l, "size="); ok {
				size = v
			}
		}
	}
	want := opt
	if want.Lang == "" {
		want.Lang = "en"
	}
	if want.Size == "" {
		want.Size = "report"
	}
	if want.Lang == lang && want.Size == size {
		return own, ""
	}
	if want.Lang != lang {
		suffix += "-" + want.Lang
	}
	if want.Size != size {
		suffix += "-" + want.Size
	}
	return own + suffix, suffix
}

func Draw(run *results.Run, dir string, opt Options) ([]Chart, error) {
	if run == nil || len(run.Variants) == 0 {
		return nil, fmt.Errorf("plots: the run has no variants")
	}
	opt, formats, err := checkOptions(opt)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	e := newEnv(run, opt)
	specs := e.specs()
	if err := writeAtomic(dir, OptionsFile, []byte("lang="+opt.Lang+"\nsize="+opt.Size+"\n")); err != nil {
		return nil, err
	}

	charts := make([]Chart, len(specs))
	errs := make([]error, len(specs))
	sem := make(chan struct{}, 4)
	done := make(chan struct{})
	for i, s := range specs {
		go func() {
			sem <- struct{}{}
			defer func() { <-sem; done <- struct{}{} }()
			charts[i], errs[i] = e.write(s, dir, formats)
		}()
	}
	for range specs {
		<-done
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	// A chart this run has no data for (say, the ceiling histogram without ceilings)
	// must not survive from an earlier drawing into the same directory.
	drawn := map[string]bool{}
	for _, c := range charts {
		drawn[c.ID] = true
	}
	for _, id := range append(allIDs, episodeIDs...) {
		if drawn[id] {
			continue
		}
		for _, ext := range []string{".svg", ".png", ".pdf", ".csv"} {
			if err := os.Remove(filepath.Join(dir, id+ext)); err != nil && !os.IsNotExist(err) {
				return nil, fmt.Errorf("plots: %w", err)
			}
		}
	}
	return charts, nil
}

// allIDs lists every chart Draw makes for a scenario of list-based visits, in report
// order.
var allIDs = []string{
	"tradeoff_benefit", "tradeoff_benefit_difference", "tradeoff_quality", "tradeoff_quality_difference",
	"timeseries_visits_per_1000", "timeseries_true_quality", "timeseries_provider_admin_hours", "timeseries_payments",
	"distribution_visits_per_1000", "distribution_true_quality", "distribution_health_benefit", "distribution_payments", "distribution_admin_share",
	"ce_plane", "forms_payments", "forms_admin", "ceiling_histogram", "forest",
}

// episodeIDs are the charts only a scenario with [episodes] gets (issue 14).
var episodeIDs = []string{
	"distribution_episodes", "distribution_complications_per_100", "distribution_episode_cost_region", "distribution_waiting_months",
}

// specs builds every chart the run has data for, in report order.
func (e *env) specs() []*spec {
	var out []*spec
	add := func(s *spec) {
		if s != nil {
			out = append(out, s)
		}
	}
	add(e.tradeoff("tradeoff_benefit", "health_benefit"))
	add(e.tradeoffDiff("tradeoff_benefit_difference", "health_benefit"))
	add(e.tradeoff("tradeoff_quality", "true_quality"))
	add(e.tradeoffDiff("tradeoff_quality_difference", "true_quality"))
	// A scenario of episodes (issue 14) has no list-based visits: its charts show
	// episodes, complications, cost per episode and waits instead.
	episodes := e.run.Find(e.run.Variants[0], "episodes", "all", "all") != nil
	series := []string{"visits_per_1000", "true_quality", "provider_admin_hours", "payments"}
	dists := []string{"visits_per_1000", "true_quality", "health_benefit", "payments", "admin_share"}
	if episodes {
		series = []string{"true_quality", "provider_admin_hours", "payments"}
		dists = []string{"episodes", "complications_per_100", "episode_cost_region", "waiting_months", "health_benefit", "payments", "admin_share"}
	}
	for _, m := range series {
		add(e.timeseries(m))
	}
	for _, m := range dists {
		add(e.distribution(m))
	}
	add(e.cePlane())
	add(e.formsPayments())
	add(e.formsAdmin())
	add(e.ceiling())
	add(e.forest())
	return out
}

// write renders one chart in every format and writes its CSV.
func (e *env) write(s *spec, dir string, formats []string) (Chart, error) {
	c := Chart{ID: s.id, Title: s.title, Caption: s.caption, CSV: s.id + ".csv"}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(s.header)
	cw.WriteAll(s.rows)
	if err := cw.Error(); err != nil {
		return c, fmt.Errorf("plots: %s.csv: %w", s.id, err)
	}
	if err := writeAtomic(dir, c.CSV, buf.Bytes()); err != nil {
		return c, err
	}
	for _, f := range formats {
		data, err := e.render(s, f)
		if err != nil {
			return c, fmt.Errorf("plots: %s.%s: %w", s.id, f, err)
		}
		name := s.id + "." + f
		if err := writeAtomic(dir, name, data); err != nil {
			return c, err
		}
		c.Files = append(c.Files, name)
	}
	return c, nil
}

// writeAtomic writes data to dir/name through a temporary file in dir and a rename, so
// a reader never sees a half-written file.
func writeAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("plots: writing %s: %w", name, err)
	}
	return nil
}

// checkOptions fills in the defaults of opt and checks it.
func checkOptions(opt Options) (Options, []string, error) {
	if opt.Lang == "" {
		opt.Lang = "en"
	}
	if opt.Size == "" {
		opt.Size = "report"
	}
	if opt.Lang != "en" && opt.Lang != "sv" {
		return opt, nil, fmt.Errorf("plots: language %q: want \"en\" or \"sv\"", opt.Lang)
	}
	if opt.Size != "report" && opt.Size != "slide" {
		return opt, nil, fmt.Errorf("plots: size %q: want \"report\" or \"slide\"", opt.Size)
	}
	if len(opt.Formats) == 0 {
		opt.Formats = []string{"svg"}
	}
	var formats []string
	for _, f := range opt.Formats {
		if f != "svg" && f != "png" && f != "pdf" {
			return opt, nil, fmt.Errorf("plots: format %q: want svg, png or pdf", f)
		}
		if !slices.Contains(formats, f) {
			formats = append(formats, f)
		}
	}
	return opt, formats, nil
}
