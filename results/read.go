package results

import (
	"ersim/decision"

	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Run is a finished run read back from its output directory: what the charts and the
// report are drawn from, so they never need the model.
type Run struct {
	Dir          string
	Manifest     Manifest
	Variants     []string // baseline first, in run order
	Summary      []SummaryRow
	Differences  []DiffRow
	Timeseries   []SeriesRow
	Replications map[string][]map[string]float64 // variant → replication → metric → value
	Providers    []ProviderRow
	Assumptions  [][]string // rows of assumptions.csv without the header
	// Title and Description of the scenario, from the baseline's resolved scenario.
	Title, Description string
	// Labels are the scenario's words by language (labels.sv), from the baseline's
	// resolved scenario.
	Labels map[string]Labels
	// CE is costeffectiveness.csv (empty for a run written before it existed).
	CE []decision.CERow
	// Kinds are the scenario's visit kinds (none without population.visit_kinds): the
	// visits rows whose need_group is a kind's name.
	Kinds []string
}

// SummaryRow is one row of summary.csv.
type SummaryRow struct {
	Variant, Metric, Form, Group, Unit string
	N                                  int
	Mean, SD, MCSE, CILo, CIHi         float64
	Q                                  []float64 // p025, p05, p25, p50, p75, p95, p975
}

// DiffRow is one row of differences.csv.
type DiffRow struct {
	Variant, Baseline, Metric, Form, Group, Unit string
	N                                            int
	Mean, MCSE, CILo, CIHi, BaseMean, Relative   float64
}

// SeriesRow is one row of timeseries.csv.
type SeriesRow struct {
	Variant, Metric string
	Period          int
	Year            float64
	Unit            string
	Mean            float64
	Q               []float64
}

// ProviderRow is one row of providers.csv.
type ProviderRow struct {
	Variant, Cohort, Form                                   string
	Replication, Provider, Year                             int
	Visits, Revenue, Tak1Share, Margin, Quality, AdminHours float64
	// Columns added with issue 13; NaN when a file written before has none.
	Achievement, ExceptionRate, Upcoded float64
	ClaimHours, ReportHours, AuditHours float64
	Booked                              float64
}

// Labels are a scenario's words in one language (scenarios.Labels).
type Labels struct {
	Title        string            `toml:"title"`
	Description  string            `toml:"description"`
	Names        map[string]string `toml:"names"`
	Descriptions map[string]string `toml:"descriptions"`
}

// Label is name's label in lang, or name itself.
func (r *Run) Label(name, lang string) string {
	if l, ok := r.Labels[lang].Names[name]; ok && l != "" {
		return l
	}
	return name
}

// TitleIn is the scenario's title in lang, or its own.
func (r *Run) TitleIn(lang string) string {
	if t := r.Labels[lang].Title; t != "" {
		return t
	}
	return r.Title
}

// DescriptionIn is the scenario's description in lang, or its own.
func (r *Run) DescriptionIn(lang string) string {
	if t := strings.TrimSpace(r.Labels[lang].Description); t != "" {
		return t
	}
	return r.Description
}

// VariantDescription is variant v's description in lang, or its own.
func (r *Run) VariantDescription(v, lang string) string {
	if t := r.Labels[lang].Descriptions[v]; t != "" {
		return t
	}
	for _, mv := range r.Manifest.Variants {
		if mv.Name == v {
			return mv.Description
		}
	}
	return ""
}

// ResolveRunDir returns dir, or, for a scenario's directory of kept runs
// (out/<scenario>, which has no manifest.json of its own), its latest run.
func ResolveRunDir(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); os.IsNotExist(err) {
		if _, err := os.Stat(filepath.Join(dir, Latest, "manifest.json")); err == nil {
			return filepath.Join(dir, Latest)
		}
	}
	return dir
}

// Latest names the link, in a scenario's directory of kept runs, to the newest run.
const Latest = "latest"

// ReadRun reads a run directory written by `ersim run`.
func ReadRun(dir string) (*Run, error) {
	dir = ResolveRunDir(dir)
	r := &Run{Dir: dir, Replications: map[string][]map[string]float64{}}
	mf, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("results: %s is not a run directory (no manifest.json): %w", dir, err)
	}
	if err := json.Unmarshal(mf, &r.Manifest); err != nil {
		return nil, fmt.Errorf("results: %s/manifest.json: %w", dir, err)
	}
	for _, v := range r.Manifest.Variants {
		r.Variants = append(r.Variants, v.Name)
	}
	if len(r.Manifest.Variants) > 0 {
		var head struct {
			Title       string `toml:"title"`
			Description string `toml:"description"`
			Population  struct {
				VisitKinds []struct {
					Name string `toml:"name"`
				} `toml:"visit_kinds"`
			} `toml:"population"`
			Labels map[string]Labels `toml:"labels"`
		}
		// The resolved scenario was written by ersim itself; a decoding problem only
		// leaves the title empty.
		_, _ = toml.Decode(r.Manifest.Variants[0].Resolved, &head)
		r.Title, r.Description = head.Title, strings.TrimSpace(head.Description)
		for _, k := range head.Population.VisitKinds {
			r.Kinds = append(r.Kinds, k.Name)
		}
		r.Labels = head.Labels
	}
	err = readCSV(dir, "summary.csv", func(h map[string]int, rec []string) error {
		row := SummaryRow{Variant: rec[h["variant"]], Metric: rec[h["metric"]], Form: rec[h["contract_form"]],
			Group: rec[h["need_group"]], Unit: rec[h["unit"]]}
		row.N, _ = strconv.Atoi(rec[h["n"]])
		row.Mean, row.SD, row.MCSE = f(rec[h["mean"]]), f(rec[h["sd"]]), f(rec[h["mcse"]])
		row.CILo, row.CIHi = f(rec[h["ci_low"]]), f(rec[h["ci_high"]])
		for _, q := range QuantileNames {
			row.Q = append(row.Q, f(rec[h[q]]))
		}
		r.Summary = append(r.Summary, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "costeffectiveness.csv")); err == nil {
		err = readCSV(dir, "costeffectiveness.csv", func(h map[string]int, rec []string) error {
			r.CE = append(r.CE, decision.CERow{Perspective: rec[h["perspective"]], Variant: rec[h["variant"]],
				Cost: f(rec[h["cost_sek_per_year"]]), Health: f(rec[h["health_units_per_year"]]),
				DCost: f(rec[h["delta_cost"]]), DCostLo: f(rec[h["delta_cost_ci_low"]]), DCostHi: f(rec[h["delta_cost_ci_high"]]),
				DHealth: f(rec[h["delta_health"]]), DHealthLo: f(rec[h["delta_health_ci_low"]]), DHealthHi: f(rec[h["delta_health_ci_high"]]),
				ICER: f(rec[h["icer_vs_baseline"]]), VsBaseline: rec[h["vs_baseline"]], Lambda: f(rec[h["wtp_sek_per_health_unit"]]),
				NMB: f(rec[h["nmb_vs_baseline"]]), NMBLo: f(rec[h["nmb_ci_low"]]), NMBHi: f(rec[h["nmb_ci_high"]]),
				Status: rec[h["frontier_status"]], IncICER: f(rec[h["incremental_icer"]]), Comparator: rec[h["incremental_comparator"]]})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	err = readCSV(dir, "differences.csv", func(h map[string]int, rec []string) error {
		row := DiffRow{Variant: rec[h["variant"]], Baseline: rec[h["baseline"]], Metric: rec[h["metric"]],
			Form: rec[h["contract_form"]], Group: rec[h["need_group"]], Unit: rec[h["unit"]]}
		row.N, _ = strconv.Atoi(rec[h["n"]])
		row.Mean, row.MCSE = f(rec[h["mean_diff"]]), f(rec[h["mcse"]])
		row.CILo, row.CIHi = f(rec[h["ci_low"]]), f(rec[h["ci_high"]])
		row.BaseMean, row.Relative = f(rec[h["baseline_mean"]]), f(rec[h["relative_diff"]])
		r.Differences = append(r.Differences, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(dir, "timeseries.csv", func(h map[string]int, rec []string) error {
		row := SeriesRow{Variant: rec[h["variant"]], Metric: rec[h["metric"]], Unit: rec[h["unit"]]}
		row.Period, _ = strconv.Atoi(rec[h["period"]])
		row.Year, row.Mean = f(rec[h["year"]]), f(rec[h["mean"]])
		for _, q := range QuantileNames {
			row.Q = append(row.Q, f(rec[h[q]]))
		}
		r.Timeseries = append(r.Timeseries, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(dir, "replications.csv", func(h map[string]int, rec []string) error {
		v := rec[h["variant"]]
		m := map[string]float64{}
		for name, i := range h {
			if name != "variant" && name != "replication" {
				m[name] = f(rec[i])
			}
		}
		r.Replications[v] = append(r.Replications[v], m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(dir, "providers.csv", func(h map[string]int, rec []string) error {
		row := ProviderRow{Variant: rec[h["variant"]], Cohort: rec[h["cohort"]], Form: rec[h["contract_form"]]}
		row.Replication, _ = strconv.Atoi(rec[h["replication"]])
		row.Provider, _ = strconv.Atoi(rec[h["provider"]])
		row.Year, _ = strconv.Atoi(rec[h["year"]])
		row.Visits, row.Revenue, row.Tak1Share = f(rec[h["visits"]]), f(rec[h["revenue"]]), f(rec[h["tak1_share"]])
		row.Margin, row.Quality, row.AdminHours = f(rec[h["margin"]]), f(rec[h["true_quality"]]), f(rec[h["admin_hours"]])
		opt := func(name string) float64 {
			if i, ok := h[name]; ok && i < len(rec) {
				return f(rec[i])
			}
			return math.NaN()
		}
		row.Achievement, row.ExceptionRate, row.Upcoded = opt("achievement"), opt("exception_rate"), opt("upcoded_share")
		row.ClaimHours, row.ReportHours, row.AuditHours = opt("claim_hours"), opt("report_hours"), opt("audit_hours")
		row.Booked = opt("booked_visits")
		r.Providers = append(r.Providers, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(dir, "assumptions.csv", func(h map[string]int, rec []string) error {
		r.Assumptions = append(r.Assumptions, rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Find returns the summary row of a metric for a variant, form and group ("all"), or nil.
func (r *Run) Find(variant, metric, form, group string) *SummaryRow {
	for i := range r.Summary {
		s := &r.Summary[i]
		if s.Variant == variant && s.Metric == metric && s.Form == form && s.Group == group {
			return s
		}
	}
	return nil
}

// FindDiff returns the difference row of a metric for a variant, form and group, or nil.
func (r *Run) FindDiff(variant, metric, form, group string) *DiffRow {
	for i := range r.Differences {
		d := &r.Differences[i]
		if d.Variant == variant && d.Metric == metric && d.Form == form && d.Group == group {
			return d
		}
	}
	return nil
}

func f(s string) float64 {
	if s == "" {
		return nan
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nan
	}
	return x
}

var nan = math.NaN()

func readCSV(dir, name string, row func(h map[string]int, rec []string) error) error {
	file, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	defer file.Close()
	cr := csv.NewReader(file)
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("results: %s/%s: %w", dir, name, err)
	}
	h := map[string]int{}
	for i, c := range header {
		h[c] = i
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("results: %s/%s: %w", dir, name, err)
		}
		if err := row(h, rec); err != nil {
			return err
		}
	}
}
