package results

import (
	"io"
	"strings"

	"ersim/decision"
)

// CostEffectiveness is the cost-effectiveness table of the run (issue 15) for the
// payer's and society's perspectives, at the baseline's value of a health unit: costs
// and health per year. Payer: payments + the region's follow-up cost. Society: the
// value of health minus society's net benefit, i.e. clinical resources and all
// administration (MODEL.md §7).
func (c *Collector) CostEffectiveness() []decision.CERow {
	lambda := c.Plan.Variants[0].HealthValue()
	col := func(vi int, m string) []float64 { return c.Column(vi, c.CellIndex(m, -1, -1)) }
	var names []string
	var payer, society, health [][]float64
	for vi, v := range c.Plan.Variants {
		names = append(names, v.Name)
		h, pay, reg, nbs := col(vi, "health_benefit"), col(vi, "payments"), col(vi, "region_followup_cost"), col(vi, "net_benefit_society")
		p, s := make([]float64, len(h)), make([]float64, len(h))
		for r := range h {
			p[r] = pay[r] + reg[r]
			s[r] = h[r]*v.HealthValue() - nbs[r]
		}
		payer, society, health = append(payer, p), append(society, s), append(health, h)
	}
	rows := decision.CostEffectiveness("payer", names, payer, health, lambda)
	return append(rows, decision.CostEffectiveness("society", names, society, health, lambda)...)
}

// CEHeader is the header of costeffectiveness.csv.
var CEHeader = []string{"perspective", "variant", "cost_sek_per_year", "health_units_per_year",
	"delta_cost", "delta_cost_ci_low", "delta_cost_ci_high", "delta_health", "delta_health_ci_low", "delta_health_ci_high",
	"icer_vs_baseline", "vs_baseline", "wtp_sek_per_health_unit", "nmb_vs_baseline", "nmb_ci_low", "nmb_ci_high",
	"frontier_status", "incremental_icer", "incremental_comparator"}

// WriteCostEffectiveness writes costeffectiveness.csv.
func (c *Collector) WriteCostEffectiveness(w io.Writer) error {
	rows := c.CostEffectiveness()
	return writeCSV(w, CEHeader, func(emit func([]string) error) error {
		for _, r := range rows {
			if err := emit([]string{r.Perspective, r.Variant, num(r.Cost), num(r.Health),
				num(r.DCost), num(r.DCostLo), num(r.DCostHi), num(r.DHealth), num(r.DHealthLo), num(r.DHealthHi),
				num(r.ICER), r.VsBaseline, num(r.Lambda), num(r.NMB), num(r.NMBLo), num(r.NMBHi),
				r.Status, num(r.IncICER), r.Comparator}); err != nil {
				return err
			}
		}
		return nil
	})
}

// WriteCETable writes the payer's cost-effectiveness table for the terminal: per
// variant the difference from the baseline in cost (MSEK a year) and health, the ICER
// or dominance, and the net monetary benefit with its 95 % interval.
func (c *Collector) WriteCETable(w io.Writer) error {
	rows := c.CostEffectiveness()
	var lines [][]string
	lines = append(lines, []string{"", "Δ cost (MSEK/yr)", "Δ health (units/yr)", "ICER (SEK/unit)", "against " + c.Plan.Variants[0].Name, "net monetary benefit (MSEK/yr), 95 % CI", "frontier"})
	lambda := 0.0
	for _, r := range rows {
		if r.Perspective != "payer" {
			continue
		}
		lambda = r.Lambda
		icer := ""
		if !isNaN(r.ICER) {
			icer = Fmt(r.ICER, false)
		}
		nmb := Fmt(r.NMB/1e6, true) + " (" + Fmt(r.NMBLo/1e6, true) + " to " + Fmt(r.NMBHi/1e6, true) + ")"
		if r.VsBaseline == "baseline" {
			lines = append(lines, []string{r.Variant, "", "", "", "baseline", "", r.Status})
			continue
		}
		lines = append(lines, []string{r.Variant, Fmt(r.DCost/1e6, true), Fmt(r.DHealth, true), icer, r.VsBaseline, nmb, r.Status})
	}
	width := make([]int, len(lines[0]))
	for _, l := range lines {
		for k, cell := range l {
			width[k] = max(width[k], runeLen(cell))
		}
	}
	out := "\ncost-effectiveness, payer's perspective (payments + follow-up), at " + Fmt(lambda, false) + " SEK per health unit\n"
	for _, l := range lines {
		line := " "
		for k, cell := range l {
			pad := width[k] - runeLen(cell)
			if k == 0 || k == 4 || k == 6 {
				line += " " + cell + spaces(pad) + " "
			} else {
				line += " " + spaces(pad) + cell + " "
			}
		}
		out += strings.TrimRight(line, " ") + "\n"
	}
	out += "costeffectiveness.csv has society's perspective too, and the incremental ICERs along the frontier.\n"
	_, err := io.WriteString(w, out)
	return err
}

func isNaN(x float64) bool { return x != x }

func runeLen(s string) int { return len([]rune(s)) }

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	return string(b)
}
