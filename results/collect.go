package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"ersim/model"
)

// Collector receives replications from the engine, in order, and keeps what the outputs
// need: the per-replication table of every cell, streaming estimators for the time series
// (constant memory per period, whatever the number of replications), and the provider
// rows, which go straight to their CSV.
type Collector struct {
	// Label, when set, gives a variant's name in the console's language (labels.sv).
	Label  func(name string) string
	Plan   *model.Plan
	values [][]float64 // [variant][rep·cells + cell]
	series [][][]seriesCell
	prov   *csv.Writer
	err    error
	psa    [][]float64 // per replication: the drawn parameters, with --psa
}

type seriesCell struct {
	sum float64
	n   int
	q   []p2
}

// NewCollector prepares a collector; provider rows are written to providers (nil: none).
func NewCollector(pl *model.Plan, providers io.Writer) *Collector {
	c := &Collector{Plan: pl}
	nv := len(pl.Variants)
	c.values = make([][]float64, nv)
	c.series = make([][][]seriesCell, nv)
	for v := range nv {
		c.values[v] = make([]float64, 0, pl.Replications*len(pl.Cells))
		c.series[v] = make([][]seriesCell, len(model.Series))
		for m := range model.Series {
			c.series[v][m] = make([]seriesCell, pl.Periods)
			for t := range pl.Periods {
				qs := make([]p2, len(Quantiles))
				for i, q := range Quantiles {
					qs[i] = newP2(q)
				}
				c.series[v][m][t].q = qs
			}
		}
	}
	if providers != nil {
		c.prov = csv.NewWriter(providers)
		c.err = c.prov.Write([]string{"variant", "replication", "provider", "cohort", "contract_form", "year",
			"visits", "revenue", "tak1_share", "margin", "true_quality", "admin_hours",
			"achievement", "exception_rate", "upcoded_share", "claim_hours", "report_hours", "audit_hours", "booked_visits"})
	}
	return c
}

// Add implements model.Sink.
func (c *Collector) Add(r *model.Rep) {
	c.values[r.Variant] = append(c.values[r.Variant], r.Values...)
	if r.PSA != nil {
		c.psa = append(c.psa, r.PSA)
	}
	for m, ser := range r.Series {
		for t, x := range ser {
			sc := &c.series[r.Variant][m][t]
			if math.IsNaN(x) {
				continue
			}
			sc.sum += x
			sc.n++
			for i := range sc.q {
				sc.q[i].add(x)
			}
		}
	}
	if c.prov == nil || c.err != nil {
		return
	}
	name := c.Plan.Variants[r.Variant].Name
	rep := strconv.Itoa(r.Rep + 1)
	for _, y := range r.Years {
		c.err = c.prov.Write([]string{name, rep, strconv.Itoa(y.Provider), y.Cohort, y.Form,
			strconv.Itoa(y.Year), num(y.Visits), num(y.Revenue), num(y.Tak1Share), num(y.Margin),
			num(y.Quality), num(y.AdminHours), num(y.Achievement), num(y.ExceptionRate), num(y.Upcoded),
			num(y.ClaimHours), num(y.ReportHours), num(y.AuditHours), num(y.Booked)})
		if c.err != nil {
			return
		}
	}
}

// Flush finishes the provider rows.
func (c *Collector) Flush() error {
	if c.prov != nil {
		c.prov.Flush()
		if c.err == nil {
			c.err = c.prov.Error()
		}
	}
	return c.err
}

// Reps returns how many replications of each variant were collected.
func (c *Collector) Reps() int {
	if len(c.values) == 0 || len(c.Plan.Cells) == 0 {
		return 0
	}
	return len(c.values[0]) / len(c.Plan.Cells)
}

// Column returns a cell's values over the replications of variant v.
func (c *Collector) Column(v, cell int) []float64 {
	nc := len(c.Plan.Cells)
	reps := len(c.values[v]) / nc
	out := make([]float64, reps)
	for r := range reps {
		out[r] = c.values[v][r*nc+cell]
	}
	return out
}

// Diff returns the paired differences variant − baseline of a cell.
func (c *Collector) Diff(v, cell int) []float64 {
	x := c.Column(v, cell)
	b := c.Column(0, cell)
	for i := range x {
		x[i] -= b[i]
	}
	return x
}

// CellIndex returns the index of a metric's cell for a form (−1 all) and group (−1
// all), or −1.
func (c *Collector) CellIndex(metric string, form, group int) int {
	mi := model.MetricIndex(metric)
	for i, cl := range c.Plan.Cells {
		if cl.Metric == mi && cl.Form == form && cl.Group == group {
			return i
		}
	}
	return -1
}

// num formats a number for CSV to 10 significant digits; NaN (not defined, e.g. a rate
// with no providers it applies to) is an empty field.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 10, 64)
}

// Precise reports whether every headline metric of every variant is known precisely
// enough: the half-width of the 95 % confidence interval of its mean is at most
// rel·|mean|, or at most abs (for metrics near zero). If not, it names the worst.
func (c *Collector) Precise(rel, abs float64) (bool, string) {
	worst, ok := "", true
	worstRatio := 0.0
	for _, name := range model.Headline {
		ci := c.CellIndex(name, -1, -1)
		for vi, v := range c.Plan.Variants {
			st := Summarise(c.Column(vi, ci))
			half := (st.CIHi - st.CILo) / 2
			if math.IsNaN(half) {
				continue
			}
			limit := math.Max(rel*math.Abs(st.Mean), abs)
			if half > limit {
				ok = false
				r := math.Inf(1)
				if limit > 0 {
					r = half / limit
				}
				if r > worstRatio {
					worstRatio = r
					worst = fmt.Sprintf("%s of %s: ±%.3g around %.4g", name, v.Name, half, st.Mean)
				}
			}
		}
	}
	return ok, worst
}

// label is a variant's name for the console.
func (c *Collector) label(name string) string {
	if c.Label != nil {
		return c.Label(name)
	}
	return name
}
