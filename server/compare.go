package server

import (
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"ersim/report"
	"ersim/results"
	"ersim/study"
)

type cmpRow struct{ Variant, Metric, A, B, Diff, CI string }

// compare shows two runs side by side (study.Compare): each headline metric, B − A with
// its interval, what differs between the scenarios, and the warnings.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	a, okA := s.runFor(r.FormValue("a"))
	b, okB := s.runFor(r.FormValue("b"))
	if !okA || !okB || a.Running || b.Running {
		s.fail(w, r, http.StatusNotFound, "choose two finished runs")
		return
	}
	c, err := study.Compare(a.Dir, b.Dir)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	l := lang(r)
	var rows []cmpRow
	for _, x := range c.Rows {
		// In the units of the run pages' headline table (MSEK, per cent).
		f := report.TableScale(x.Metric)
		rows = append(rows, cmpRow{Variant: c.A.Label(x.Variant, l), Metric: report.MetricName(x.Metric, l), A: num(x.A*f, l), B: num(x.B*f, l),
			Diff: sign(x.Diff*f, l), CI: sign(x.Lo*f, l) + " … " + sign(x.Hi*f, l)})
	}
	warnings := c.Warnings
	if l == "sv" {
		warnings = c.WarningsSv
	}
	s.render(w, r, http.StatusOK, "compare", a.ID+" · "+b.ID, map[string]any{"A": a.ID, "B": b.ID, "Rows": rows,
		"Warnings": warnings, "Diff": c.Diff})
}

func sign(x float64, l string) string {
	s := results.Fmt(x, true)
	if l == "sv" {
		return noBreak(results.SvNumber(s))
	}
	return s
}

// ceRow is a row of the cost-effectiveness view: one variant against the baseline,
// from the payer's perspective, as costeffectiveness.csv has it.
type ceRow struct {
	Variant, DCost, DCostCI, DHealth, DHealthCI, ICER, Status, NMB, NMBCI, Frontier string
}

// ceRows reads the payer's rows of a run's costeffectiveness.csv: differences in
// MSEK a year and health units a year, with their 95 % intervals.
func ceRows(dir string, res *results.Run, l string) []ceRow {
	fh, err := os.Open(filepath.Join(dir, "costeffectiveness.csv"))
	if err != nil {
		return nil
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil || len(recs) < 2 {
		return nil
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	get := func(rec []string, k string) string {
		if i, ok := col[k]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	msek := func(rec []string, k string, signed bool) string {
		x, err := strconv.ParseFloat(get(rec, k), 64)
		if err != nil {
			return ""
		}
		if signed {
			return sign(x/1e6, l)
		}
		return num(x/1e6, l)
	}
	units := func(rec []string, k string) string {
		x, err := strconv.ParseFloat(get(rec, k), 64)
		if err != nil {
			return ""
		}
		return sign(x, l)
	}
	var out []ceRow
	for _, rec := range recs[1:] {
		if get(rec, "perspective") != "payer" || get(rec, "vs_baseline") == "baseline" {
			continue
		}
		row := ceRow{Variant: res.Label(get(rec, "variant"), l),
			DCost: msek(rec, "delta_cost", true), DCostCI: msek(rec, "delta_cost_ci_low", true) + " … " + msek(rec, "delta_cost_ci_high", true),
			DHealth: units(rec, "delta_health"), DHealthCI: units(rec, "delta_health_ci_low") + " … " + units(rec, "delta_health_ci_high"),
			Status: report.CEWord(get(rec, "vs_baseline"), l),
			NMB:    msek(rec, "nmb_vs_baseline", true), NMBCI: msek(rec, "nmb_ci_low", true) + " … " + msek(rec, "nmb_ci_high", true),
			Frontier: report.CEWord(get(rec, "frontier_status"), l)}
		if x, err := strconv.ParseFloat(get(rec, "icer_vs_baseline"), 64); err == nil {
			row.ICER = num(x, l)
		}
		out = append(out, row)
	}
	return out
}
