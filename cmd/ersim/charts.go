package main

import (
	"ersim/results"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"ersim/plots"
	"ersim/study"
)

// chartFlags are the flags shared by run, plot and report.
type chartFlags struct {
	formats string
	lang    string
	size    string
}

func (c *chartFlags) register(fs *flag.FlagSet, withFormat bool) {
	if withFormat {
		fs.StringVar(&c.formats, "format", "svg", "chart formats, any of svg,png,pdf separated by commas")
	}
	fs.StringVar(&c.lang, "lang", "en", "language of charts and report: en or sv")
	fs.StringVar(&c.size, "size", "report", "chart size: report (16 cm wide, for an A4 column) or slide (16:9)")
}

// options checks the flags; a bad value is a usage error.
func (c *chartFlags) options() (plots.Options, error) {
	opt := plots.Options{Lang: c.lang, Size: c.size}
	if c.lang != "en" && c.lang != "sv" {
		return opt, fmt.Errorf("--lang %q: allowed: en, sv", c.lang)
	}
	if c.size != "report" && c.size != "slide" {
		return opt, fmt.Errorf("--size %q: allowed: report, slide", c.size)
	}
	seen := map[string]bool{}
	for _, f := range strings.Split(c.formats, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch f {
		case "":
		case "svg", "png", "pdf":
			if !seen[f] {
				opt.Formats = append(opt.Formats, f)
				seen[f] = true
			}
		default:
			return opt, fmt.Errorf("--format %q: allowed: svg, png, pdf (comma-separated)", f)
		}
	}
	return opt, nil
}

func withSVG(opt plots.Options) plots.Options {
	for _, f := range opt.Formats {
		if f == "svg" {
			return opt
		}
	}
	opt.Formats = append([]string{"svg"}, opt.Formats...)
	return opt
}

func cmdPlot(stdout, stderr io.Writer, args []string) int {
	var cf chartFlags
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf.register(fs, true)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: ersim plot [flags] OUTDIR

Redraws every chart of a finished run from its saved results (OUTDIR is a directory
written by "ersim run"), without running the model, into OUTDIR/charts — or, in another language or size than
the run's own charts, beside them (OUTDIR/charts-sv, charts-slide, charts-sv-slide). Each chart comes
with a CSV of exactly the data it plots.

Flags:
`)
		fs.PrintDefaults()
	}
	dir, opt, code, ok := parseOutdir("plot", fs, &cf, args, stderr)
	if !ok {
		return code
	}
	run, err := study.ReadRun(dir)
	if err != nil {
		return fail(stderr, err)
	}
	start := time.Now()
	chartsDir, _ := plots.ChartsDir(dir, opt)
	charts, err := plots.Draw(run, chartsDir, opt)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "%d charts (%s, %s, %s) in %s, %.1f s\n", len(charts), strings.Join(opt.Formats, ", "),
		opt.Lang, opt.Size, chartsDir, time.Since(start).Seconds())
	return exitOK
}

func cmdReport(stdout, stderr io.Writer, args []string) int {
	var cf chartFlags
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf.register(fs, true)
	pdf := fs.Bool("pdf", false, "also print the report to PDF (A4) through headless Chromium, when it is installed")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: ersim report [flags] OUTDIR

Writes OUTDIR/report.html (self-contained: charts inline as SVG, no external files or
scripts) and OUTDIR/report.md (for Markdown pipelines, linking the charts in
OUTDIR/charts), from the results of a finished run. The charts are redrawn in the
report's language: in another language or size than the run's own charts they go
beside them (charts-sv/, report-sv.html), so nothing of the run is overwritten.

Flags:
`)
		fs.PrintDefaults()
	}
	dir, opt, code, ok := parseOutdir("report", fs, &cf, args, stderr)
	if !ok {
		return code
	}
	start := time.Now()
	html, md := study.ReportPaths(dir, withSVG(opt))
	if err := study.WriteReport(dir, withSVG(opt)); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "%s and %s written in %.1f s\n", html, md, time.Since(start).Seconds())
	if *pdf {
		out := strings.TrimSuffix(html, ".html") + ".pdf"
		if err := study.PrintPDF(html, out); err != nil {
			fmt.Fprintf(stderr, "ersim report: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(stdout, "%s printed (A4)\n", out)
	}
	return exitOK
}

// parseOutdir parses the arguments of a command that takes one run directory and the
// chart flags; when ok is false the command ends with code.
func parseOutdir(name string, fs *flag.FlagSet, cf *chartFlags, args []string, stderr io.Writer) (string, plots.Options, int, bool) {
	pos, code, ok := parse(fs, args)
	if !ok {
		return "", plots.Options{}, code, false
	}
	if len(pos) != 1 {
		fs.Usage()
		return "", plots.Options{}, exitUsage, false
	}
	opt, err := cf.options()
	if err != nil {
		fmt.Fprintf(stderr, "ersim %s: %v\n", name, err)
		return "", plots.Options{}, exitUsage, false
	}
	return results.ResolveRunDir(pos[0]), opt, 0, true
}
