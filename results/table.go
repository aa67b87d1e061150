package results

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"ersim/model"
)

// headlineScale shows money in MSEK on the terminal.
func headlineScale(metric string) (scale float64, unit string) {
	m := model.Metrics[model.MetricIndex(metric)]
	if strings.HasPrefix(m.Unit, "SEK") {
		return 1e-6, "M" + m.Unit
	}
	return 1, m.Unit
}

// WriteTable writes the planner's table: per headline metric and variant, the mean and
// the range of 95 % of replications, and each variant's paired difference from the
// baseline with the 95 % confidence interval of the mean difference.
func (c *Collector) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	base := c.Plan.Variants[0].Name
	fmt.Fprintf(tw, "metric\tvariant\tmean\t95 %% of replications\tdifference from %s [95 %% CI]\t\n", base)
	for _, name := range model.Headline {
		ci := c.CellIndex(name, -1, -1)
		scale, unit := headlineScale(name)
		for vi, v := range c.Plan.Variants {
			st := Summarise(c.Column(vi, ci))
			label := ""
			if vi == 0 {
				label = fmt.Sprintf("%s (%s)", name, unit)
			}
			diff := "—"
			if vi > 0 {
				d := Summarise(c.Diff(vi, ci))
				diff = fmt.Sprintf("%s [%s, %s]", Fmt(d.Mean*scale, true), Fmt(d.CILo*scale, true), Fmt(d.CIHi*scale, true))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s – %s\t%s\t\n", label, v.Name, Fmt(st.Mean*scale, false),
				Fmt(st.Q[0]*scale, false), Fmt(st.Q[len(st.Q)-1]*scale, false), diff)
		}
	}
	return tw.Flush()
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
