package results

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"ersim/model"
)

// headlineScale shows money in MSEK on the terminal.
func headlineScale(metric string) (scale float64, unit string) {
	m := model.Metrics[model.MetricIndex(metric)]
	if strings.HasPrefix(m.Unit, "SEK") && !strings.HasPrefix(m.Unit, "SEK per episode") {
		return 1e-6, "M" + m.Unit
	}
	return 1, m.Unit
}

// WriteTable writes the planner's table: per headline metric and variant, the mean and
// the range of 95 % of replications, and each variant's paired difference from the
// baseline with the 95 % confidence interval of the mean difference.
func (c *Collector) WriteTable(w io.Writer) error {
	base := c.Plan.Variants[0].Name
	header := []string{"", "mean", "95 % of replications", "difference from " + base, "95 % CI"}
	type block struct {
		title string
		rows  [][]string
	}
	var blocks []block
	type item struct {
		metric, title string
		group         int
	}
	var items []item
	for _, name := range model.Headline {
		if c.Plan.Episodes() && (name == "visits_per_1000" || name == "true_quality") {
			continue // an episode scenario has no list-based visits; its quality is in complications
		}
		items = append(items, item{name, name, -1})
	}
	if c.Plan.Episodes() {
		for _, name := range []string{"episodes", "complications_per_100", "episode_cost_region", "waiting_months"} {
			items = append(items, item{name, name, -1})
		}
	}
	// With visit kinds: visits of each kind and the patient fees (issue 13).
	G := len(c.Plan.GroupNames) - c.Plan.Kinds()
	for k := range c.Plan.Kinds() {
		items = append(items, item{"visits", "visits: " + c.Plan.GroupNames[G+k], G + k})
	}
	if c.Plan.Kinds() > 0 {
		items = append(items, item{"patient_fees", "patient_fees", -1})
	}
	for _, it := range items {
		name := it.metric
		ci := c.CellIndex(name, -1, it.group)
		scale, unit := headlineScale(name)
		b := block{title: fmt.Sprintf("%s (%s)", it.title, unit)}
		for vi, v := range c.Plan.Variants {
			st := Summarise(c.Column(vi, ci))
			row := []string{v.Name, Fmt(st.Mean*scale, false),
				Fmt(st.Q[0]*scale, false) + " – " + Fmt(st.Q[len(st.Q)-1]*scale, false), "", ""}
			if vi > 0 {
				d := Summarise(c.Diff(vi, ci))
				row[3] = Fmt(d.Mean*scale, true)
				row[4] = Fmt(d.CILo*scale, true) + " to " + Fmt(d.CIHi*scale, true)
			}
			b.rows = append(b.rows, row)
		}
		blocks = append(blocks, b)
	}
	width := make([]int, len(header))
	for k, h := range header {
		width[k] = utf8.RuneCountInString(h)
	}
	for _, b := range blocks {
		for _, r := range b.rows {
			for k, cell := range r {
				width[k] = max(width[k], utf8.RuneCountInString(cell))
			}
		}
	}
	line := func(cells []string) string {
		var sb strings.Builder
		sb.WriteString("  ")
		for k, cell := range cells {
			pad := strings.Repeat(" ", width[k]-utf8.RuneCountInString(cell))
			if k == 0 {
				sb.WriteString(cell + pad)
			} else {
				sb.WriteString("   " + pad + cell)
			}
		}
		return strings.TrimRight(sb.String(), " ") + "\n"
	}
	var out strings.Builder
	for k, b := range blocks {
		if k > 0 {
			out.WriteString("\n")
		}
		out.WriteString(b.title + "\n")
		out.WriteString(line(header))
		for _, r := range b.rows {
			out.WriteString(line(r))
		}
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// Fmt formats a number with four significant digits and thousands separators (English
// style), with an explicit sign if asked.
func Fmt(x float64, sign bool) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	if x == 0 {
		if sign {
			return "±0"
		}
		return "0"
	}
	ax := math.Abs(x)
	digits := 4 - int(math.Floor(math.Log10(ax))) - 1
	if digits < 0 {
		digits = 0
	}
	s := fmt.Sprintf("%.*f", digits, ax)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	switch {
	case x < 0:
		out = "−" + out
	case sign:
		out = "+" + out
	}
	return out
}
