package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"ersim/results"
	"ersim/study"
)

func cmdCompare(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory for compare.csv, scenario.diff and the chart (default out/compare/A_vs_B)")
	var cf chartFlags
	cf.register(fs, true)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: ersim compare [flags] RUN_A RUN_B

Compares the headline results of two finished runs (directories written by "ersim run",
or a scenario's directory of kept runs such as out/stockholm for its latest run):
per variant and metric, B − A with its 95 % confidence interval — paired replication
by replication when the runs have the same seed and replications, else from the two
runs' standard errors. It says what differs between their scenarios (the baseline's
resolved scenario, as a diff) and warns when seeds or replications differ. Writes
compare.csv, scenario.diff and charts/compare_runs.svg.

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		fs.Usage()
		return exitUsage
	}
	c, err := study.Compare(pos[0], pos[1])
	if err != nil {
		return fail(stderr, err)
	}
	dir := *out
	if dir == "" {
		name := func(p string) string { return filepath.Base(results.ResolveRunDir(filepath.Clean(p))) }
		dir = filepath.Join("out", "compare", name(pos[0])+"_vs_"+name(pos[1]))
		if name(pos[0]) == name(pos[1]) {
			dir = filepath.Join("out", "compare", "runs")
		}
	}
	fmt.Fprintf(stdout, "A: %s (seed %d, %d replications)\nB: %s (seed %d, %d replications)\n",
		c.A.Dir, c.A.Manifest.Seed, c.A.Manifest.Replications, c.B.Dir, c.B.Manifest.Seed, c.B.Manifest.Replications)
	for _, w := range c.Warnings {
		fmt.Fprintf(stdout, "warning: %s\n", w)
	}
	changed := 0
	for _, l := range c.Diff {
		if strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-") {
			changed++
		}
	}
	if changed == 0 {
		fmt.Fprintln(stdout, "The scenarios are the same (the baseline's resolved scenario).")
	} else {
		fmt.Fprintf(stdout, "What differs in the baseline's scenario (%d lines; all in scenario.diff):\n", changed)
		shown := 0
		for _, l := range c.Diff {
			if shown >= 24 {
				fmt.Fprintln(stdout, "  …")
				break
			}
			fmt.Fprintln(stdout, "  "+l)
			shown++
		}
	}
	fmt.Fprintf(stdout, "\n%-22s %-22s %14s %14s %14s  %s\n", "variant", "metric", "A", "B", "B − A", "95 % CI")
	for _, r := range c.Rows {
		fmt.Fprintf(stdout, "%-22s %-22s %14s %14s %14s  %s to %s\n", r.Variant, r.Metric,
			results.Fmt(r.A, false), results.Fmt(r.B, false), results.Fmt(r.Diff, true), results.Fmt(r.Lo, true), results.Fmt(r.Hi, true))
	}
	chartOpt, err := cf.options()
	if err != nil {
		fmt.Fprintf(stderr, "ersim compare: %v\n", err)
		return exitUsage
	}
	if err := study.WriteCompare(c, dir, chartOpt); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "\nWrote compare.csv, scenario.diff and charts to %s\n", dir)
	return exitOK
}
