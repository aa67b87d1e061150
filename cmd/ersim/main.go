package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"ersim/scenarios"
	"ersim/study"
)

func main() { os.Exit(run(os.Stdout, os.Stderr, os.Args[1:])) }

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // the run itself failed or was interrupted
	exitUsage = 2 // bad usage or bad input
)

const usage = `ersim simulates Swedish health-care payment models (ersättningsmodeller).

Usage:
  ersim run [flags] [SCENARIO]       simulate a scenario (default: the embedded "stockholm")
  ersim merge --out DIR SHARD...    merge the shard directories of "ersim run --shard K/N"
  ersim sensitivity [SCENARIO]       one-way sensitivity: each uncertain parameter low, then high
  ersim sweep [SCENARIO] --set ...   sweep parameters: a line, a grid or a Latin hypercube sample
  ersim decision [flags] OUTDIR      decision view of a --psa run: acceptability, EVPI, EVPPI
  ersim calibrate [flags] SCENARIO   fit parameters to the [calibration] targets (ABC-SMC)
  ersim validate SCENARIO            check a scenario file without running it
  ersim plot OUTDIR                  redraw the charts of a finished run
  ersim report OUTDIR                write report.html and report.md for a finished run
  ersim compare RUN_A RUN_B          compare the headline results of two runs
  ersim replicate [NAME...]          run the validation against published studies
  ersim init [--template T] FILE     write a small, commented, valid scenario to start from
  ersim schema                       print the JSON Schema of scenario files, for editors
  ersim serve [--addr A]             the local web front end (loopback only by default)
  ersim scenarios                    list the embedded scenarios
  ersim scenarios show NAME          print an embedded scenario, to copy and edit
  ersim version                      print the version

SCENARIO is a TOML file or the name of an embedded scenario.
Run "ersim COMMAND -h" for a command's flags.
`

// helpOut is where a command's help goes when asked for (-h, "ersim help CMD"):
// standard output, so that it can be paged or piped. run sets it.
var helpOut io.Writer = os.Stdout

// commands are the subcommands, for "did you mean".
var commands = []string{"run", "merge", "sensitivity", "sweep", "decision", "calibrate", "validate",
	"plot", "report", "replicate", "scenarios", "version", "help", "compare", "init", "schema", "serve"}

func run(stdout, stderr io.Writer, args []string) int {
	helpOut = stdout
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	if args[0] == "help" && len(args) > 1 {
		if args[1] == "help" {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		if !slices.Contains(commands, args[1]) {
			return unknownCommand(stderr, args[1])
		}
		return run(stdout, stderr, []string{args[1], "-h"})
	}
	switch args[0] {
	case "run":
		return cmdRun(stdout, stderr, args[1:])
	case "merge":
		return cmdMerge(stdout, stderr, args[1:])
	case "sensitivity":
		return cmdSensitivity(stdout, stderr, args[1:])
	case "sweep":
		return cmdSweep(stdout, stderr, args[1:])
	case "decision":
		return cmdDecision(stdout, stderr, args[1:])
	case "calibrate":
		return cmdCalibrate(stdout, stderr, args[1:])
	case "validate":
		return cmdValidate(stdout, stderr, args[1:])
	case "compare":
		return cmdCompare(stdout, stderr, args[1:])
	case "init":
		return cmdInit(stdout, stderr, args[1:])
	case "serve":
		return cmdServe(stdout, stderr, args[1:])
	case "schema":
		return cmdSchema(stdout, stderr, args[1:])
	case "plot":
		return cmdPlot(stdout, stderr, args[1:])
	case "report":
		return cmdReport(stdout, stderr, args[1:])
	case "replicate":
		return cmdReplicate(stdout, stderr, args[1:])
	case "scenarios":
		return cmdScenarios(stdout, stderr, args[1:])
	case "version":
		fmt.Fprintf(stdout, "ersim %s\n", study.Version)
		return exitOK
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	return unknownCommand(stderr, args[0])
}

func unknownCommand(stderr io.Writer, cmd string) int {
	hint := ""
	if near := scenarios.Nearest(cmd, commands); len(near) > 0 {
		hint = "; did you mean " + strings.Join(near, " or ") + "?"
	}
	fmt.Fprintf(stderr, "ersim: unknown command %q%s\n\n%s", cmd, hint, usage)
	return exitUsage
}

// parse parses flags that may come before or after the positional arguments
// ("ersim run my.toml --reps 50"). It returns the positional arguments, or an exit
// status if parsing ended the command (help or an error).
func parse(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			// Help asked for goes to standard output, and is not an error.
			fs.SetOutput(helpOut)
			fs.Usage()
			return nil, exitOK, false
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
				var names []string
				fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
				if near := scenarios.Nearest(strings.TrimLeft(name, "-"), names); len(near) > 0 {
					fmt.Fprintf(fs.Output(), "ersim %s: did you mean --%s?\n", fs.Name(), strings.Join(near, " or --"))
				}
			}
			return nil, exitUsage, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// fail prints an error and returns the exit status it calls for.
func fail(stderr io.Writer, err error) int {
	if scenarios.IsInputError(err) {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "ersim: %v\n", err)
	return exitFail
}

func cmdValidate(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: ersim validate SCENARIO\n\nChecks a scenario file (or an embedded scenario's name) and every variant in it,\nwithout running anything. Exit status 0 if it is valid, 2 if not.\n")
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	f, err := study.Load(pos[0])
	if err != nil {
		return fail(stderr, err)
	}
	providers := 0
	for _, c := range f.Base.Cohorts {
		providers += c.Count
	}
	var names []string
	for _, v := range f.Variants {
		names = append(names, v.Name)
	}
	cal := ""
	if c := f.Base.Calibration; c != nil {
		cal = fmt.Sprintf("; [calibration] of %d parameters to %d targets", len(c.Params), len(c.Targets))
	}
	fmt.Fprintf(stdout, "%s: valid — scenario %q, %d cohorts, %d providers, variants %s (baseline %s)%s\n",
		f.Name, f.Base.Name, len(f.Base.Cohorts), providers, strings.Join(names, ", "), f.Base.Baseline, cal)
	for _, w := range f.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	return exitOK
}

func cmdScenarios(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("scenarios", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage:\n  ersim scenarios              list the embedded scenarios\n  ersim scenarios show NAME    print one as TOML (redirect it to a file to edit it)\n")
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	switch {
	case len(pos) == 0:
		for _, s := range scenarios.List() {
			def := ""
			if s.Name == scenarios.Default {
				def = " (default)"
			}
			fmt.Fprintf(stdout, "%-18s %s%s\n", s.Name, s.Title, def)
		}
		return exitOK
	case len(pos) == 2 && pos[0] == "show":
		text, err := scenarios.Text(pos[1])
		if err != nil {
			return fail(stderr, err)
		}
		stdout.Write(text)
		return exitOK
	}
	fs.Usage()
	return exitUsage
}
