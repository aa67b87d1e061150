package results

import (
	"io"
	"strconv"
	"strings"

	"ersim/model"

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
func (c *Collector) WriteCETable(w io.Writer) error { return c.WriteCETableLang(w, "en") }

// WriteCETableLang is WriteCETable in English ("en") or Swedish ("sv").
func (c *Collector) WriteCETableLang(w io.Writer, lang string) error {
	sv := lang == "sv"
	fmtN := Fmt
	if sv {
		fmtN = func(x float64, sign bool) string { return SvNumber(Fmt(x, sign)) }
	}
	rows := c.CostEffectiveness()
	var lines [][]string
	if sv {
		lines = append(lines, []string{"", "Δ kostnad (MSEK/år)", "Δ hälsa (enheter/år)", "ICER (kr/enhet)", "mot " + c.label(c.Plan.Variants[0].Name), "nettonytta (MSEK/år), 95 % KI", "front"})
	} else {
		lines = append(lines, []string{"", "Δ cost (MSEK/yr)", "Δ health (units/yr)", "ICER (SEK/unit)", "against " + c.label(c.Plan.Variants[0].Name), "net monetary benefit (MSEK/yr), 95 % CI", "frontier"})
	}
	lambda := 0.0
	for _, r := range rows {
		if r.Perspective != "payer" {
			continue
		}
		lambda = r.Lambda
		if sv {
			r.VsBaseline, r.Status = svCE[r.VsBaseline], svCE[r.Status]
		}
		icer := ""
		if !isNaN(r.ICER) {
			icer = fmtN(r.ICER, false)
		}
		nmb := fmtN(r.NMB/1e6, true) + " (" + fmtN(r.NMBLo/1e6, true) + map[bool]string{false: " to ", true: " till "}[sv] + fmtN(r.NMBHi/1e6, true) + ")"
		if r.VsBaseline == "baseline" || r.VsBaseline == "basalternativ" {
			lines = append(lines, []string{c.label(r.Variant), "", "", "", r.VsBaseline, "", r.Status})
			continue
		}
		lines = append(lines, []string{c.label(r.Variant), fmtN(r.DCost/1e6, true), fmtN(r.DHealth, true), icer, r.VsBaseline, nmb, r.Status})
	}
	width := make([]int, len(lines[0]))
	for _, l := range lines {
		for k, cell := range l {
			width[k] = max(width[k], runeLen(cell))
		}
	}
	out := "\ncost-effectiveness, payer's perspective (payments + follow-up), at " + fmtN(lambda, false) + " SEK per health unit\n"
	if sv {
		out = "\nkostnadseffektivitet, betalarens perspektiv (utbetalningar + uppföljning), vid " + fmtN(lambda, false) + " kr per hälsoenhet\n"
	}
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
	if sv {
		out += "costeffectiveness.csv har också samhällets perspektiv och de inkrementella ICER-värdena längs fronten.\n"
	} else {
		out += "costeffectiveness.csv has society's perspective too, and the incremental ICERs along the frontier.\n"
	}
	_, err := io.WriteString(w, out)
	return err
}

// svCE are the cost-effectiveness verdicts in Swedish.
var svCE = map[string]string{"baseline": "basalternativ", "dominates": "dominerar", "dominated": "dominerad",
	"more_health_at_cost": "mer hälsa, högre kostnad", "saves_less_health": "sparar, mindre hälsa", "same_health": "samma hälsa",
	"frontier": "fronten", "extendedly dominated": "utvidgat dominerad"}

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

// WriteHeadlineSv writes headline_sv.csv (issue 15): the headline table and the
// cost-effectiveness table for a spreadsheet in a Swedish locale — semicolons between
// fields, decimal commas, no thousands separator, and a UTF-8 byte-order mark so that
// å, ä and ö survive. A semicolon CSV rather than xlsx: Excel and LibreOffice in a
// Swedish locale open it directly, and it needs no library beyond the standard one.
func (c *Collector) WriteHeadlineSv(w io.Writer) error {
	n := func(x float64) string {
		if isNaN(x) || x > 1e308 || x < -1e308 {
			return ""
		}
		return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", ",", 1)
	}
	var b strings.Builder
	b.WriteString("\ufeff")
	row := func(fields ...string) {
		for i, f := range fields {
			if i > 0 {
				b.WriteByte(';')
			}
			if strings.ContainsAny(f, ";\"\n") {
				f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
			}
			b.WriteString(f)
		}
		b.WriteString("\r\n")
	}
	base := c.Plan.Variants[0].Name
	row("mått", "enhet", "variant", "medelvärde", "2,5 %", "97,5 %", "skillnad mot "+base, "95 % KI låg", "95 % KI hög")
	metrics := append([]string{}, model.Headline...)
	if c.Plan.Episodes() {
		metrics = append(metrics, "episodes", "complications_per_100", "episode_cost_region", "waiting_months")
	}
	for _, m := range metrics {
		ci := c.CellIndex(m, -1, -1)
		if ci < 0 {
			continue
		}
		name, unit := m, model.Metrics[model.MetricIndex(m)].Unit
		if t, ok := svTitles[m]; ok {
			name = t
		}
		if u, ok := svUnits[unit]; ok {
			unit = u
		}
		for vi, v := range c.Plan.Variants {
			st := Summarise(c.Column(vi, ci))
			fields := []string{name, unit, v.Name, n(st.Mean), n(st.Q[0]), n(st.Q[len(st.Q)-1]), "", "", ""}
			if vi > 0 {
				d := Summarise(c.Diff(vi, ci))
				fields[6], fields[7], fields[8] = n(d.Mean), n(d.CILo), n(d.CIHi)
			}
			row(fields...)
		}
	}
	b.WriteString("\r\n")
	row("perspektiv", "variant", "Δ kostnad (kr/år)", "Δ hälsa (enheter/år)", "ICER (kr/enhet)", "mot "+base, "nettonytta (kr/år)", "95 % KI låg", "95 % KI hög", "front", "inkrementell ICER", "jämfört med")
	for _, r := range c.CostEffectiveness() {
		per := map[string]string{"payer": "betalaren", "society": "samhället"}[r.Perspective]
		row(per, r.Variant, n(r.DCost), n(r.DHealth), n(r.ICER), svCE[r.VsBaseline], n(r.NMB), n(r.NMBLo), n(r.NMBHi), svCE[r.Status], n(r.IncICER), r.Comparator)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
