package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"ersim/plots"
	"ersim/scenarios"
	"ersim/study"
)

// runShard runs shard sh of a scenario's replications (see study.RunShard) and says
// where it went.
func runShard(stdout, stderr io.Writer, f *scenarios.File, o *runOptions, fs *flag.FlagSet, chartOpt plots.Options, in *interrupt, sh study.Shard) error {
	prog := newProgress(stderr, o.quiet)
	res, err := study.RunShard(in.ctx, f, sh, o.out, o.studyOptions(fs, chartOpt, prog))
	prog.done()
	if err != nil || o.quiet {
		return err
	}
	base := res.Scenario
	fmt.Fprintf(stdout, "%s — shard %d/%d: replications %d–%d of %d × %d variants, seed %d, %.1f s; shard in %s\n",
		base.Name, sh.K, sh.N, res.First+1, res.Last, res.Replications, res.Variants, base.Seed, res.Wall, res.Dir)
	return nil
}

func cmdMerge(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "output directory (required)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	noCharts := fs.Bool("no-charts", false, "do not draw the charts")
	var charts chartFlags
	charts.register(fs, true)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: ersim merge --out DIR SHARD_DIR...

Merges the shard directories written by "ersim run --shard K/N" into the outputs the
same run on one machine writes (summary.csv, timeseries.csv, replications.csv, ...,
byte for byte; only manifest.json's timing and worker fields differ, and it lists the
shards). The shards must all belong to one run and cover every replication once.

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if *out == "" || len(pos) == 0 {
		fmt.Fprintln(stderr, "ersim merge: --out DIR and at least one SHARD_DIR are required")
		return exitUsage
	}
	chartOpt, err := charts.options()
	if err != nil {
		fmt.Fprintf(stderr, "ersim merge: %v\n", err)
		return exitUsage
	}
	res, err := study.Merge(*out, pos, study.Options{NoCharts: *noCharts, Charts: chartOpt})
	if err != nil {
		var me *study.MergeError
		if errors.As(err, &me) {
			fmt.Fprintf(stderr, "ersim merge: %v\n", err)
			return exitUsage
		}
		return fail(stderr, err)
	}
	if !*quiet {
		fmt.Fprintf(stdout, "%s: merged %s, %d replications × %d variants, seed %d; results in %s\n",
			res.Scenario, study.Plural(res.Shards, "shard"), res.Replications, res.Variants, res.Seed, res.Dir)
	}
	return exitOK
}
