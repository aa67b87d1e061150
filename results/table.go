package results

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"ersim/model"
)

// headlineScale shows money in MSEK and shares in percent on the terminal, as the
// charts and the report do (issue 15: one format per quantity everywhere).
func headlineScale(metric string) (scale float64, unit string) {
	m := model.Metrics[model.MetricIndex(metric)]
	if strings.HasPrefix(m.Unit, "SEK") && !strings.HasPrefix(m.Unit, "SEK per episode") {
		return 1e-6, "M" + m.Unit
	}
	if m.Unit == "share" || strings.HasPrefix(m.Unit, "share of") {
		return 100, "%; differences in percentage points"
	}
	return 1, m.Unit
}

// WriteTable writes the planner's table: per headline metric and variant, the mean and
// the range of 95 % of replications, and each variant's paired difference from the
// baseline with the 95 % confidence interval of the mean difference.
func (c *Collector) WriteTable(w io.Writer) error { return c.WriteTableLang(w, "en") }

// svTitles are the console table's metric names in Swedish.
var svTitles = map[string]string{
	"visits_per_1000": "besök per 1 000 invånare", "true_quality": "verklig kvalitet", "health_benefit": "hälsovinst",
	"payments": "utbetalningar", "admin_share": "administrativ andel", "episodes": "episoder",
	"complications_per_100": "komplikationer per 100 episoder", "episode_cost_region": "regionens kostnad per episod",
	"waiting_months": "väntetid", "patient_fees": "patientavgifter", "visits": "besök",
}

// svUnits are the units of the console table in Swedish.
var svUnits = map[string]string{
	"visits per 1 000 residents and year": "besök per 1 000 invånare och år", "index (1 = reference provider)": "index (1 = referensvårdgivare)",
	"health units per year": "hälsoenheter per år", "MSEK per year": "MSEK per år", "share": "andel",
	"episodes per year": "episoder per år", "per 100 episodes": "per 100 episoder", "SEK per episode": "kr per episod",
	"months": "månader", "visits per year": "besök per år",
	"%; differences in percentage points": "%; skillnader i procentenheter",
}

// SvNumber rewrites a number formatted by Fmt in Swedish style: a space between
// thousands and a decimal comma.
func SvNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ',':
			b.WriteRune(' ')
		case '.':
			b.WriteRune(',')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// WriteTableLang is WriteTable in English ("en") or Swedish ("sv").
func (c *Collector) WriteTableLang(w io.Writer, lang string) error {
	sv := lang == "sv"
	base := c.label(c.Plan.Variants[0].Name)
	header := []string{"", "mean", "95 % of replications", "difference from " + base, "95 % CI"}
	if sv {
		header = []string{"", "medelvärde", "95 % av replikeringarna", "skillnad mot " + base, "95 % KI"}
	}
	fmtN := Fmt
	if sv {
		fmtN = func(x float64, sign bool) string { return SvNumber(Fmt(x, sign)) }
	}
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
		title := it.title
		if sv {
			if t, ok := svTitles[it.metric]; ok {
				title = t
				if it.group >= 0 {
					title += ": " + c.Plan.GroupNames[it.group]
				}
			}
			if u, ok := svUnits[unit]; ok {
				unit = u
			}
		}
		b := block{title: fmt.Sprintf("%s (%s)", title, unit)}
		for vi, v := range c.Plan.Variants {
			st := Summarise(c.Column(vi, ci))
			row := []string{c.label(v.Name), fmtN(st.Mean*scale, false),
				fmtN(st.Q[0]*scale, false) + " – " + fmtN(st.Q[len(st.Q)-1]*scale, false), "", ""}
			if vi > 0 {
				d := Summarise(c.Diff(vi, ci))
				row[3] = fmtN(d.Mean*scale, true)
				row[4] = fmtN(d.CILo*scale, true) + map[bool]string{false: " to ", true: " till "}[sv] + fmtN(d.CIHi*scale, true)
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
