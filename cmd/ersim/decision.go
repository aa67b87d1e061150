package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"ersim/decision"
	"ersim/plots"
	"ersim/results"
	"ersim/scenarios"
)

// The decision view of a --psa run: see package decision for the method.

var perspectives = []string{"payer", "society"}

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
		fmt.Fprint(stderr, `Usage: ersim decision [flags] OUTDIR

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
	run, err := results.ReadRun(dir)
	if err != nil {
		fmt.Fprintf(stderr, "ersim decision: %v\n", err)
		return exitUsage
	}
	params, draws, err := readDraws(filepath.Join(dir, "psa_draws.csv"))
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "ersim decision: %s has no psa_draws.csv: the decision view needs parameter draws; run it with --psa first\n", dir)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "ersim decision: %v\n", err)
		return exitUsage
	}
	value, err := healthValue(run)
	if err != nil {
		fmt.Fprintf(stderr, "ersim decision: %v\n", err)
		return exitUsage
	}
	lambdas := decision.Grid(0, 2*value, 41)
	if wtp != "" {
		if lambdas, err = parseWTP(wtp); err != nil {
			fmt.Fprintf(stderr, "ersim decision: --wtp %q: %v\n", wtp, err)
			return exitUsage
		}
	}
	in, err := decisionInput(run, params, draws, value)
	if err != nil {
		fmt.Fprintf(stderr, "ersim decision: %v\n", err)
		return exitUsage
	}
	known := map[string]bool{}
	for _, k := range params {
		in.Groups = append(in.Groups, decision.Group{Name: k, Keys: []string{k}})
		known[k] = true
	}
	for _, g := range groups {
		name, list, ok := strings.Cut(g, "=")
		name = strings.TrimSpace(name)
		var keys []string
		for _, k := range strings.Split(list, ",") {
			if k = strings.TrimSpace(k); k != "" {
				keys = append(keys, k)
			}
		}
		if !ok || name == "" || len(keys) == 0 {
			fmt.Fprintf(stderr, "ersim decision: --group %q: want NAME=KEY1,KEY2\n", g)
			return exitUsage
		}
		for _, k := range keys {
			if !known[k] {
				fmt.Fprintf(stderr, "ersim decision: --group %s: %q is not an uncertain parameter of this run; allowed: %s\n", name, k, strings.Join(params, ", "))
				return exitUsage
			}
		}
		in.Groups = append(in.Groups, decision.Group{Name: name, Keys: keys})
	}
	out, err := decision.Compute(in, lambdas)
	if err != nil {
		fmt.Fprintf(stderr, "ersim decision: %v\n", err)
		return exitUsage
	}
	if e := out.EVPI; len(e) > 0 && 10*e[0].MetamodelTerms > e[0].Sample {
		fmt.Fprintf(stderr, "ersim decision: warning: the metamodel on all %d parameters has %d terms for %d replications (want at most one per 10); its EVPI is noisy — run more replications\n",
			len(params), e[0].MetamodelTerms, e[0].Sample)
	}
	odir := filepath.Join(dir, "decision")
	if err := os.MkdirAll(odir, 0o755); err != nil {
		return fail(stderr, err)
	}
	if err := writeDecision(odir, out); err != nil {
		return fail(stderr, err)
	}
	if !noCharts {
		if _, err := plots.DrawDecision(decisionCurves(out, run.Variants, lambdas), run.Variants, len(draws), value, odir, chartOpt); err != nil {
			return fail(stderr, err)
		}
	}
	if !quiet {
		printDecision(stdout, out, run.Variants, lambdas, value, len(draws), odir)
	}
	return exitOK
}

// readDraws reads psa_draws.csv: the parameters' keys and the draws, by replication.
func readDraws(path string) ([]string, [][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) < 2 || len(recs[0]) < 2 || recs[0][0] != "replication" {
		return nil, nil, fmt.Errorf("%s: no draws", path)
	}
	keys := recs[0][1:]
	type row struct {
		rep int
		x   []float64
	}
	var rows []row
	for _, rec := range recs[1:] {
		rep, err := strconv.Atoi(rec[0])
		if err != nil {
			return nil, nil, fmt.Errorf("%s: replication %q", path, rec[0])
		}
		x := make([]float64, len(keys))
		for j := range keys {
			if x[j], err = strconv.ParseFloat(rec[j+1], 64); err != nil {
				return nil, nil, fmt.Errorf("%s: replication %d, %s: %q", path, rep, keys[j], rec[j+1])
			}
		}
		rows = append(rows, row{rep, x})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].rep < rows[b].rep })
	draws := make([][]float64, len(rows))
	for i, r := range rows {
		draws[i] = r.x
	}
	return keys, draws, nil
}

// healthValue returns the scenario's value per health unit, from the baseline's
// resolved scenario in the manifest.
func healthValue(run *results.Run) (float64, error) {
	if len(run.Manifest.Variants) == 0 {
		return 0, fmt.Errorf("%s: the manifest lists no variants", run.Dir)
	}
	var sc struct {
		Population struct {
			HealthUnitValue scenarios.Param `toml:"health_unit_value_sek"`
		} `toml:"population"`
	}
	if _, err := toml.Decode(run.Manifest.Variants[0].Resolved, &sc); err != nil {
		return 0, fmt.Errorf("%s: the manifest's resolved scenario: %w", run.Dir, err)
	}
	v := sc.Population.HealthUnitValue.Value
	if !(v > 0) {
		return 0, fmt.Errorf("%s: the resolved scenario has no population.health_unit_value_sek", run.Dir)
	}
	return v, nil
}

// parseWTP parses LOW:HIGH:STEPS.
func parseWTP(s string) ([]float64, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return nil, fmt.Errorf("want LOW:HIGH:STEPS")
	}
	lo, err1 := strconv.ParseFloat(parts[0], 64)
	hi, err2 := strconv.ParseFloat(parts[1], 64)
	steps, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0) {
		return nil, fmt.Errorf("want LOW:HIGH:STEPS, numbers in SEK per health unit and a whole number of steps")
	}
	if lo < 0 || hi < lo || steps < 1 || steps > 10000 || (steps > 1 && hi == lo) {
		return nil, fmt.Errorf("want 0 <= LOW < HIGH and 1 <= STEPS <= 10000 (LOW = HIGH with 1 step)")
	}
	return decision.Grid(lo, hi, steps), nil
}

// decisionInput collects per-year health benefit and each perspective's cost from the
// replications. Payer: payments + region's follow-up cost. Society: the value of
// health at the scenario's value minus society's net benefit, which is the clinical
// resource cost plus all administrative cost (MODEL.md §7). When the value per health
// unit is itself an uncertain parameter, each replication's drawn value is used.
func decisionInput(run *results.Run, params []string, draws [][]float64, value float64) (decision.Input, error) {
	in := decision.Input{Variants: run.Variants, Costs: map[string][][]float64{}, Perspectives: perspectives,
		Params: params, Draws: draws}
	vcol := -1
	for j, k := range params {
		if k == "population.health_unit_value_sek" {
			vcol = j
		}
	}
	n := len(draws)
	payer := make([][]float64, len(run.Variants))
	society := make([][]float64, len(run.Variants))
	for d, v := range run.Variants {
		reps := run.Replications[v]
		if len(reps) != n {
			return in, fmt.Errorf("%s: variant %s has %d replications in replications.csv but psa_draws.csv has %d", run.Dir, v, len(reps), n)
		}
		h := make([]float64, n)
		payer[d], society[d] = make([]float64, n), make([]float64, n)
		for r, m := range reps {
			for _, k := range []string{"health_benefit", "payments", "region_followup_cost", "net_benefit_society"} {
				if x, ok := m[k]; !ok || math.IsNaN(x) || math.IsInf(x, 0) {
					return in, fmt.Errorf("%s: replications.csv: variant %s, replication %d has no value of %s", run.Dir, v, r+1, k)
				}
			}
			vr := value
			if vcol >= 0 {
				vr = draws[r][vcol]
			}
			h[r] = m["health_benefit"]
			payer[d][r] = m["payments"] + m["region_followup_cost"]
			society[d][r] = h[r]*vr - m["net_benefit_society"]
		}
		in.Health = append(in.Health, h)
	}
	in.Costs["payer"], in.Costs["society"] = payer, society
	return in, nil
}

func writeDecision(dir string, out *decision.Output) error {
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }
	write := func(name string, header []string, rows [][]string) error {
		return writeAtomic(filepath.Join(dir, name), func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.Write(header)
			cw.WriteAll(rows)
			return cw.Error()
		})
	}
	var rows [][]string
	for _, r := range out.Rows {
		rows = append(rows, []string{num(r.Lambda), r.Perspective, r.Variant, num(r.ExpectedNB), num(r.ProbBest), strconv.FormatBool(r.OnFrontier)})
	}
	if err := write("decision.csv", []string{"wtp_sek_per_health_unit", "perspective", "variant", "expected_net_benefit_sek_per_year", "prob_best", "on_frontier"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, e := range out.EVPI {
		rows = append(rows, []string{num(e.Lambda), e.Perspective, num(e.Raw), num(e.RawMCSE), num(e.Metamodel), num(e.MetaMCSE),
			strconv.FormatBool(e.OneBestInEveryDraw), e.MetamodelBasis, strconv.Itoa(e.MetamodelTerms), strconv.Itoa(e.Sample)})
	}
	if err := write("evpi.csv", []string{"wtp_sek_per_health_unit", "perspective", "evpi_raw_sek_per_year", "mcse_raw",
		"evpi_metamodel_sek_per_year", "mcse_metamodel", "one_variant_best_in_every_draw", "metamodel_basis", "metamodel_terms", "replications"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, e := range out.EVPPI {
		rows = append(rows, []string{num(e.Lambda), e.Perspective, e.Group.Name, strings.Join(e.Group.Keys, " "), num(e.Value), e.Basis})
	}
	return write("evppi.csv", []string{"wtp_sek_per_health_unit", "perspective", "group", "keys", "evppi_sek_per_year", "metamodel_basis"}, rows)
}

// decisionCurves gathers what the charts plot.
func decisionCurves(out *decision.Output, variants []string, lambdas []float64) []plots.DecisionCurves {
	var cs []plots.DecisionCurves
	vi := map[string]int{}
	for i, v := range variants {
		vi[v] = i
	}
	li := map[float64]int{}
	for i, l := range lambdas {
		li[l] = i
	}
	for _, per := range perspectives {
		c := plots.DecisionCurves{Perspective: per, Lambda: lambdas, ProbBest: make([][]float64, len(variants)),
			Frontier: make([]int, len(lambdas)), EVPIRaw: make([]float64, len(lambdas)), EVPIMeta: make([]float64, len(lambdas))}
		for d := range variants {
			c.ProbBest[d] = make([]float64, len(lambdas))
		}
		for _, r := range out.Rows {
			if r.Perspective != per {
				continue
			}
			c.ProbBest[vi[r.Variant]][li[r.Lambda]] = r.ProbBest
			if r.OnFrontier {
				c.Frontier[li[r.Lambda]] = vi[r.Variant]
			}
		}
		for _, e := range out.EVPI {
			if e.Perspective == per {
				c.EVPIRaw[li[e.Lambda]], c.EVPIMeta[li[e.Lambda]] = e.Raw, e.Metamodel
			}
		}
		cs = append(cs, c)
	}
	return cs
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
	for _, per := range perspectives {
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
