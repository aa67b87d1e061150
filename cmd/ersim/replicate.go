package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"ersim/scenarios"
	"ersim/validation"
)

func cmdReplicate(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("replicate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reps := fs.Int("reps", validation.MinReplications, "replications per validation scenario")
	workers := fs.Int("workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	out := fs.String("out", "", `directory for VALIDATION.md and VALIDATION.csv (default: "." for the full set, out/validation for a selection)`)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `Usage: ersim replicate [flags] [NAME...]

Runs the validation scenarios (validation/scenarios/*.toml, embedded) and writes
VALIDATION.md and VALIDATION.csv: one row per published target with its kind, study,
published value and acceptance band, the simulated estimate with its 95 %% interval and
Monte Carlo standard error, what was calibrated against it, and pass or fail.
NAME selects a scenario, a target number or a target ID (all when none):
  %s

Flags:
`, strings.Join(validation.Names(), " "))
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if *reps < 1 || *workers < 1 {
		fmt.Fprintln(stderr, "ersim replicate: --reps and --workers must be at least 1")
		return exitUsage
	}
	dir := *out
	if dir == "" {
		dir = "."
		if len(pos) > 0 {
			// A selection must not overwrite the full record.
			dir = "out/validation"
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	rs, err := validation.Run(ctx, pos, *reps, *workers, func(s string) {
		fmt.Fprintf(stderr, "validation: %s\n", s)
	})
	if err != nil {
		if ctx.Err() != nil {
			return fail(stderr, fmt.Errorf("interrupted; nothing was written"))
		}
		if strings.Contains(err.Error(), "unknown") || strings.Contains(err.Error(), "no target") {
			return fail(stderr, &scenarios.InputError{File: "ersim replicate", Msg: strings.TrimPrefix(err.Error(), "validation: ")})
		}
		return fail(stderr, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(stderr, err)
	}
	meta := validation.Meta{Replications: *reps, Workers: *workers, Started: start.UTC(),
		Wall: time.Since(start), GoVersion: runtime.Version(), Command: "ersim replicate " + strings.Join(args, " ")}
	if err := validation.WriteFiles(dir, rs, meta); err != nil {
		return fail(stderr, err)
	}
	if err := validation.WriteTable(stdout, rs); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "\nVALIDATION.md and VALIDATION.csv written to %s (%.0f s)\n", dir, time.Since(start).Seconds())
	return exitOK
}
