package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"

	"ersim/decision"
	"ersim/results"
	"ersim/study"
)

// The decision view of a --psa run: see study.Decide and package decision.

func cmdDecision(stdout, stderr io.Writer, args []string) int {
	var (
		wtp      string
		groups   stringList
		quiet    bool
		noCharts bool
		cf       chartFlags
	)
	fs := flag.NewFlagSet("decision", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&wtp, "wtp", "", "values per health unit `LOW:HIGH:STEPS` in SEK (default: 0 to twice the scenario's health_unit_value_sek, 41 steps)")
	fs.Var(&groups, "group", "EVPPI for a group of parameters, `NAME=KEY1,KEY2` (repeatable; each uncertain parameter alone is always done)")
	fs.BoolVar(&quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&noCharts, "no-charts", false, "do not draw the charts")
	cf.register(fs, true)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: ersim decision [flags] OUTDIR

Decision view of a finished "ersim run --psa" (OUTDIR is its output directory): for
each value per health unit λ and from the payer's and society's perspective (MODEL.md
§7), every variant's expected net benefit per year, the probability that it is best,
the acceptability curve and frontier, the expected value of perfect information (EVPI,
raw and by regression metamodel, with Monte Carlo errors) and the EVPPI of each
uncertain parameter and of the groups given with --group. Writes decision.csv,
evpi.csv, evppi.csv and the charts, each with its CSV, into OUTDIR/decision.

Flags:
`)
		fs.PrintDefaults()
	}
	dir, chartOpt, code, ok := parseOutdir("decision", fs, &cf, args, stderr)
	if !ok {
		return code
	}
	res, err := study.Decide(results.ResolveRunDir(dir), study.DecisionOptions{WTP: wtp, Groups: groups, NoCharts: noCharts, Charts: chartOpt})
	var de *study.DecisionError
	if errors.As(err, &de) {
		fmt.Fprintf(stderr, "ersim decision: %v\n", err)
		return exitUsage
	}
	if err != nil {
		return fail(stderr, err)
	}
	if res.Warning != "" {
		fmt.Fprintf(stderr, "ersim decision: warning: %s\n", res.Warning)
	}
	if !quiet {
		printDecision(stdout, res.Output, res.Variants, res.Lambdas, res.Value, res.Draws, res.Dir)
	}
	return exitOK
}

// printDecision summarises the view at the λ nearest the scenario's value.
func printDecision(w io.Writer, out *decision.Output, variants []string, lambdas []float64, value float64, n int, dir string) {
	at := lambdas[0]
	for _, l := range lambdas {
		if math.Abs(l-value) < math.Abs(at-value) {
			at = l
		}
	}
	fmt.Fprintf(w, "Decision view of %d PSA replications at %.0f SEK per health unit:\n", n, at)
	for _, per := range study.Perspectives {
		for _, r := range out.Rows {
			if r.Perspective == per && r.Lambda == at && r.OnFrontier {
				fmt.Fprintf(w, "  %-8s best on average: %s (probability best %.2f)", per, r.Variant, r.ProbBest)
			}
		}
		for _, e := range out.EVPI {
			if e.Perspective == per && e.Lambda == at {
				fmt.Fprintf(w, "; EVPI %s MSEK a year (metamodel), %s ± %s (raw)\n", results.Fmt(e.Metamodel/1e6, false), results.Fmt(e.Raw/1e6, false), results.Fmt(e.RawMCSE/1e6, false))
			}
		}
	}
	fmt.Fprintf(w, "Wrote decision.csv, evpi.csv, evppi.csv and charts to %s\n", dir)
}
