package study

import (
	"encoding/csv"
	"errors"
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

// Perspectives are the decision view's perspectives (MODEL.md §7).
var Perspectives = []string{"payer", "society"}

// DecisionOptions are the settings of Decide.
type DecisionOptions struct {
	WTP      string   // values per health unit LOW:HIGH:STEPS in SEK ("": 0 to twice the scenario's, 41 steps)
	Groups   []string // EVPPI groups NAME=KEY1,KEY2 (each uncertain parameter alone is always done)
	NoCharts bool
	Charts   plots.Options
}

// DecisionResult is a finished decision view.
type DecisionResult struct {
	Dir      string // dir/decision, where the files are
	Output   *decision.Output
	Variants []string
	Lambdas  []float64 // the values per health unit, SEK
	Value    float64   // the scenario's value per health unit
	Draws    int       // PSA replications
	Warning  string    // a caveat on the result, or ""
}

// DecisionError is a run directory or an option the decision view cannot use: bad
// input, not a failure.
type DecisionError struct{ msg string }

func (e *DecisionError) Error() string { return e.msg }

// Decide computes the decision view of a finished --psa run in dir: for each value per
// health unit λ and from the payer's and society's perspective, every variant's
// expected net benefit per year, the probability that it is best, the acceptability
// frontier, EVPI and EVPPI (see package decision). It writes decision.csv, evpi.csv,
// evppi.csv and the charts into dir/decision.
func Decide(dir string, o DecisionOptions) (*DecisionResult, error) {
	bad := func(err error) error { return &DecisionError{err.Error()} }
	run, err := results.ReadRun(dir)
	if err != nil {
		return nil, bad(err)
	}
	params, draws, err := readDraws(filepath.Join(dir, "psa_draws.csv"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, &DecisionError{fmt.Sprintf("%s has no psa_draws.csv: the decision view needs parameter draws; run it with --psa first", dir)}
	}
	if err != nil {
		return nil, bad(err)
	}
	value, err := healthValue(run)
	if err != nil {
		return nil, bad(err)
	}
	lambdas := decision.Grid(0, 2*value, 41)
	if o.WTP != "" {
		if lambdas, err = ParseWTP(o.WTP); err != nil {
			return nil, &DecisionError{fmt.Sprintf("--wtp %q: %v", o.WTP, err)}
		}
	}
	in, err := decisionInput(run, params, draws, value)
	if err != nil {
		return nil, bad(err)
	}
	if in.Groups, err = decisionGroups(params, o.Groups); err != nil {
		return nil, err
	}
	out, err := decision.Compute(in, lambdas)
	if err != nil {
		return nil, bad(err)
	}
	dr := &DecisionResult{Dir: filepath.Join(dir, "decision"), Output: out, Variants: run.Variants,
		Lambdas: lambdas, Value: value, Draws: len(draws)}
	if e := out.EVPI; len(e) > 0 && 10*e[0].MetamodelTerms > e[0].Sample {
		dr.Warning = fmt.Sprintf("the metamodel on all %d parameters has %d terms for %d replications (want at most one per 10); its EVPI is noisy — run more replications",
			len(params), e[0].MetamodelTerms, e[0].Sample)
	}
	if err := os.MkdirAll(dr.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := writeDecision(dr.Dir, out); err != nil {
		return nil, err
	}
	if !o.NoCharts {
		co := o.Charts
		if co.Labels == nil {
			co.Labels = run.Labels[co.Lang].Names // the scenario's names in the charts' language
		}
		if _, err := plots.DrawDecision(decisionCurves(out, run.Variants, lambdas, value), run.Variants, len(draws), value, dr.Dir, co); err != nil {
			return nil, err
		}
	}
	return dr, nil
}

// decisionGroups returns the EVPPI groups: each parameter alone, then the groups
// given as NAME=KEY1,KEY2.
func decisionGroups(params, groups []string) ([]decision.Group, error) {
	var gs []decision.Group
	known := map[string]bool{}
	for _, k := range params {
		gs = append(gs, decision.Group{Name: k, Keys: []string{k}})
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
			return nil, &DecisionError{fmt.Sprintf("--group %q: want NAME=KEY1,KEY2", g)}
		}
		for _, k := range keys {
			if !known[k] {
				return nil, &DecisionError{fmt.Sprintf("--group %s: %q is not an uncertain parameter of this run; allowed: %s", name, k, strings.Join(params, ", "))}
			}
		}
		gs = append(gs, decision.Group{Name: name, Keys: keys})
	}
	return gs, nil
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

// ParseWTP parses a range of values per health unit, LOW:HIGH:STEPS in SEK.
func ParseWTP(s string) ([]float64, error) {
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
	in := decision.Input{Variants: run.Variants, Costs: map[string][][]float64{}, Perspectives: Perspectives,
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
		return WriteAtomic(filepath.Join(dir, name), func(w io.Writer) error {
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
func decisionCurves(out *decision.Output, variants []string, lambdas []float64, value float64) []plots.DecisionCurves {
	var cs []plots.DecisionCurves
	vi := map[string]int{}
	for i, v := range variants {
		vi[v] = i
	}
	li := map[float64]int{}
	for i, l := range lambdas {
		li[l] = i
	}
	for _, per := range Perspectives {
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
		// EVPPI at the λ nearest the scenario's value.
		best := math.Inf(1)
		for _, l := range lambdas {
			if d := math.Abs(l - value); d < best {
				best, c.EVPPILambda = d, l
			}
		}
		for _, e := range out.EVPPI {
			if e.Perspective == per && e.Lambda == c.EVPPILambda {
				c.EVPPIGroups = append(c.EVPPIGroups, e.Group.Name)
				c.EVPPI = append(c.EVPPI, e.Value)
			}
		}
		cs = append(cs, c)
	}
	return cs
}
