package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"ersim/scenarios"
)

// The decision brief (issue 15): the report opens with a one-page summary written from
// the numbers, a table of contents and a method note; the assumptions become a compact
// appendix. Print CSS lays it out on A4.

// printCSS lays the report out on A4: margins, page numbers in the footer where the
// browser supports page margin boxes (Chromium does), no chart or table row split
// across pages, and charts small enough for three to a page.
const printCSS = `
@page { size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-right { content: counter(page) " / " counter(pages); font: 9pt "Liberation Sans", Arial, sans-serif; color: #555; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; line-height: 1.35; }
  h2 { break-after: avoid; margin-top: 1.2rem; }
  h3 { break-after: avoid; }
  section.summary { break-after: page; }
  nav.toc { break-after: avoid; }
  table, tr, figure.chart { break-inside: avoid; }
  figure.chart { margin: .4rem 0 .8rem; }
  figure.chart svg { width: auto; max-width: 100%; max-height: 88mm; margin: 0 auto; }
  figcaption { font-size: 8pt; }
  a { color: inherit; text-decoration: none; }
}
section.summary { border: 1px solid #ccc; padding: .4rem 1rem .8rem; margin: 1rem 0; }
section.summary ul { padding-left: 1.2rem; }
section.summary li { margin: .3rem 0; }
nav.toc ol { columns: 2; font-size: .9rem; }
`

// briefText is the brief's wording in one language.
type briefText struct {
	summary, question, compared, hangs, hangsNone, toc, method, methodText     string
	appendix, appendixNote, variantChanges, fullTable, offDefaults, defaultCol string
	clearly, unsure, nmbBetter, nmbWorse, nmbUnsure                            string
	payments, health, admin, quality, msekYear, unitsYear, pp                  string
}

var briefTexts = map[string]briefText{
	"en": {
		summary: "Summary", question: "The question", compared: "Compared with %s (%s), over %d years and %d replications:",
		hangs:     "What the result hangs on (the one-way sensitivity analysis beside the run): ",
		hangsNone: "No sensitivity analysis was run beside this run: \"ersim sensitivity\" shows which assumptions the result hangs on.",
		toc:       "Contents", method: "Method",
		methodText: "ersim simulates every provider month by month, with its patients aggregated by need group, under each variant's payment rules and follow-up: how much care it gives, its quality effort, its administrative work and the region's follow-up, entry and exit, and what the region pays (docs/MODEL.md). " +
			"Each of the %d replications draws the providers and events anew from seed %d; the variants share the random numbers of a replication, so their differences are paired. Ranges are where 95 %% of the replications fall; intervals are 95 %% confidence intervals of the mean. " +
			"Of the %d parameters, %d are marked as assumptions, with their sources in assumptions.csv.",
		appendix:       "Appendix: assumptions",
		appendixNote:   "What each variant changes from the baseline. Every parameter with its value and source is in assumptions.csv beside this report (%d parameters, %d marked as assumptions).",
		variantChanges: "What the variants change", fullTable: "assumptions.csv",
		offDefaults: "Behavioural values that differ from the engine's defaults", defaultCol: "Default",
		clearly: "clear", unsure: "not distinguishable from zero",
		nmbBetter: "At %s SEK per health unit its net monetary benefit for the payer is %s MSEK a year (95 %% CI %s to %s): better than %s.",
		nmbWorse:  "At %s SEK per health unit its net monetary benefit for the payer is %s MSEK a year (95 %% CI %s to %s): worse than %s.",
		nmbUnsure: "At %s SEK per health unit its net monetary benefit for the payer is %s MSEK a year (95 %% CI %s to %s): not distinguishable from %s.",
		payments:  "payments", health: "health benefit", admin: "administrative share", quality: "true quality",
		msekYear: "MSEK a year", unitsYear: "health units a year", pp: "percentage points",
	},
	"sv": {
		summary: "Sammanfattning", question: "Frågan", compared: "Jämfört med %s (%s), över %d år och %d replikeringar:",
		hangs:     "Vad resultatet hänger på (den envägs känslighetsanalysen bredvid körningen): ",
		hangsNone: "Ingen känslighetsanalys gjordes bredvid den här körningen: \"ersim sensitivity\" visar vilka antaganden resultatet hänger på.",
		toc:       "Innehåll", method: "Metod",
		methodText: "ersim simulerar varje vårdgivare månad för månad, med patienterna sammanförda efter behovsgrupp, under varje variants ersättningsregler och uppföljning: hur mycket vård den ger, dess kvalitetsansträngning, dess administration och regionens uppföljning, etablering och avveckling, och vad regionen betalar (docs/MODEL.md). " +
			"Var och en av de %d replikeringarna drar vårdgivare och händelser på nytt från slumpfrö %d; varianterna delar en replikerings slumptal, så skillnaderna är parvisa. Spann är där 95 %% av replikeringarna hamnar; intervall är 95-procentiga konfidensintervall för medelvärdet. " +
			"Av de %d parametrarna är %d markerade som antaganden, med källor i assumptions.csv.",
		appendix:       "Bilaga: antaganden",
		appendixNote:   "Vad varje variant ändrar jämfört med basalternativet. Alla parametrar med värde och källa finns i assumptions.csv bredvid rapporten (%d parametrar, %d markerade som antaganden).",
		variantChanges: "Vad varianterna ändrar", fullTable: "assumptions.csv",
		offDefaults: "Beteendevärden som skiljer sig från motorns standardvärden", defaultCol: "Standardvärde",
		clearly: "tydlig", unsure: "inte skild från noll",
		nmbBetter: "Vid %s kr per hälsoenhet är dess nettonytta för betalaren %s MSEK per år (95 %% KI %s till %s): bättre än %s.",
		nmbWorse:  "Vid %s kr per hälsoenhet är dess nettonytta för betalaren %s MSEK per år (95 %% KI %s till %s): sämre än %s.",
		nmbUnsure: "Vid %s kr per hälsoenhet är dess nettonytta för betalaren %s MSEK per år (95 %% KI %s till %s): inte skild från %s.",
		payments:  "utbetalningar", health: "hälsovinst", admin: "administrativ andel", quality: "verklig kvalitet",
		msekYear: "MSEK per år", unitsYear: "hälsoenheter per år", pp: "procentenheter",
	},
}

func (in *Input) brief() briefText {
	if t, ok := briefTexts[in.Lang]; ok {
		return t
	}
	return briefTexts["en"]
}

// horizon reads the horizon in years from the baseline's resolved scenario.
func (in *Input) horizon() int {
	var head struct {
		Horizon int `toml:"horizon_years"`
	}
	if len(in.Run.Manifest.Variants) > 0 {
		_, _ = toml.Decode(in.Run.Manifest.Variants[0].Resolved, &head)
	}
	return head.Horizon
}

// summaryItems are the summary's sentences: one per variant against the baseline.
func (in *Input) summaryItems() []string {
	bt := in.brief()
	r := in.Run
	base := r.Variants[0]
	var out []string
	desc := map[string]string{}
	for _, v := range r.Variants {
		desc[v] = r.VariantDescription(v, in.Lang)
	}
	diff := func(v, m string, scale float64, unit string) string {
		d := r.FindDiff(v, m, "all", "all")
		if d == nil {
			return ""
		}
		sure := bt.unsure
		if d.CILo > 0 || d.CIHi < 0 {
			sure = bt.clearly
		}
		ci := map[bool]string{false: "95 % CI", true: "95 % KI"}[in.Lang == "sv"]
		return fmt.Sprintf("%s %s (%s %s … %s; %s)", Number(d.Mean*scale, in.Lang, true), unit, ci,
			Number(d.CILo*scale, in.Lang, true), Number(d.CIHi*scale, in.Lang, true), sure)
	}
	for _, v := range r.Variants[1:] {
		var parts []string
		add := func(name, s string) {
			if s != "" {
				parts = append(parts, name+" "+strings.Replace(s, "  (", " (", 1))
			}
		}
		add(bt.payments, diff(v, "payments", 1e-6, bt.msekYear))
		add(bt.health, diff(v, "health_benefit", 1, bt.unitsYear))
		add(bt.admin, diff(v, "admin_share", 100, bt.pp))
		if r.Find(base, "episodes", "all", "all") == nil {
			add(bt.quality, diff(v, "true_quality", 1, ""))
		}
		s := fmt.Sprintf("<strong>%s</strong> (%s): %s.", html.EscapeString(r.Label(v, in.Lang)), html.EscapeString(desc[v]), html.EscapeString(strings.Join(parts, "; ")))
		for _, c := range r.CE {
			if c.Perspective != "payer" || c.Variant != v {
				continue
			}
			f := bt.nmbUnsure
			switch {
			case c.NMBLo > 0:
				f = bt.nmbBetter
			case c.NMBHi < 0:
				f = bt.nmbWorse
			}
			s += " " + html.EscapeString(fmt.Sprintf(f, Number(c.Lambda, in.Lang, false), Number(c.NMB/1e6, in.Lang, true),
				Number(c.NMBLo/1e6, in.Lang, true), Number(c.NMBHi/1e6, in.Lang, true), r.Label(base, in.Lang)))
		}
		out = append(out, s)
	}
	return out
}

// hangsOn names the parameters the one-way sensitivity analysis beside the run found
// the variants' differences from the baseline most sensitive to: the three largest
// swings relative to the difference's own size, or "" without one.
func (in *Input) hangsOn() string {
	f, err := os.Open(filepath.Join(AnalysisDir(in.Run.Dir, "sensitivity"), "sensitivity.csv"))
	if err != nil {
		return ""
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 2 {
		return ""
	}
	h := map[string]int{}
	for i, k := range recs[0] {
		h[k] = i
	}
	best := map[string]float64{}
	metric := map[string]string{}
	for _, rec := range recs[1:] {
		if rec[h["what"]] != "difference" {
			continue
		}
		sw, _ := strconv.ParseFloat(rec[h["swing"]], 64)
		bm, _ := strconv.ParseFloat(rec[h["base_mean"]], 64)
		if bm == 0 || math.IsNaN(sw) {
			continue
		}
		rel := math.Abs(sw / bm)
		k := rec[h["key"]]
		if rel > best[k] {
			best[k], metric[k] = rel, rec[h["metric"]]+" ("+rec[h["variant"]]+")"
		}
	}
	keys := make([]string, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return best[keys[i]] > best[keys[j]] || best[keys[i]] == best[keys[j]] && keys[i] < keys[j]
	})
	var parts []string
	for _, k := range keys[:min(3, len(keys))] {
		parts = append(parts, fmt.Sprintf("%s — %s", k, metric[k]))
	}
	return strings.Join(parts, "; ")
}

// assumptionCounts are the number of baseline parameters and of those marked as
// assumptions.
func (in *Input) assumptionCounts() (all, assumed int) {
	base := in.Run.Variants[0]
	for _, a := range in.Run.Assumptions {
		if len(a) >= 5 && a[0] == base {
			all++
			if a[4] == "true" {
				assumed++
			}
		}
	}
	return all, assumed
}

// writeSummaryHTML writes the summary, the contents and the method note.
func (in *Input) writeSummaryHTML(b *bytes.Buffer, toc [][2]string) {
	e := html.EscapeString
	bt := in.brief()
	r := in.Run
	base := r.Variants[0]
	baseDesc := r.VariantDescription(base, in.Lang)
	fmt.Fprintf(b, "<section class=\"summary\" id=\"summary\">\n<h2>%s</h2>\n", e(bt.summary))
	fmt.Fprintf(b, "<p><strong>%s.</strong> %s</p>\n", e(bt.question), e(in.About))
	if len(r.Variants) > 1 {
		fmt.Fprintf(b, "<p>%s</p>\n<ul>\n", e(fmt.Sprintf(bt.compared, r.Label(base, in.Lang), baseDesc, in.horizon(), r.Manifest.Replications)))
		for _, s := range in.summaryItems() {
			fmt.Fprintf(b, "<li>%s</li>\n", s)
		}
		b.WriteString("</ul>\n")
	}
	if h := in.hangsOn(); h != "" {
		fmt.Fprintf(b, "<p>%s%s.</p>\n", e(bt.hangs), e(h))
	} else {
		fmt.Fprintf(b, "<p class=\"note\">%s</p>\n", e(bt.hangsNone))
	}
	all, assumed := in.assumptionCounts()
	fmt.Fprintf(b, "<p class=\"note\"><strong>%s.</strong> %s</p>\n</section>\n", e(bt.method),
		e(fmt.Sprintf(bt.methodText, r.Manifest.Replications, r.Manifest.Seed, all, assumed)))
	fmt.Fprintf(b, "<nav class=\"toc\"><h2>%s</h2>\n<ol>\n", e(bt.toc))
	for _, t := range toc {
		fmt.Fprintf(b, "<li><a href=\"#%s\">%s</a></li>\n", e(t[0]), e(t[1]))
	}
	b.WriteString("</ol></nav>\n")
}

// writeSummaryMarkdown is writeSummaryHTML for report.md.
func (in *Input) writeSummaryMarkdown(b *bytes.Buffer) {
	bt := in.brief()
	r := in.Run
	base := r.Variants[0]
	baseDesc := r.VariantDescription(base, in.Lang)
	fmt.Fprintf(b, "## %s\n\n**%s.** %s\n\n", bt.summary, bt.question, in.About)
	if len(r.Variants) > 1 {
		fmt.Fprintf(b, "%s\n\n", fmt.Sprintf(bt.compared, r.Label(base, in.Lang), baseDesc, in.horizon(), r.Manifest.Replications))
		for _, s := range in.summaryItems() {
			s = strings.NewReplacer("<strong>", "**", "</strong>", "**").Replace(s)
			fmt.Fprintf(b, "- %s\n", html.UnescapeString(s))
		}
		b.WriteString("\n")
	}
	if h := in.hangsOn(); h != "" {
		fmt.Fprintf(b, "%s%s.\n\n", bt.hangs, h)
	} else {
		fmt.Fprintf(b, "%s\n\n", bt.hangsNone)
	}
	all, assumed := in.assumptionCounts()
	fmt.Fprintf(b, "**%s.** %s\n\n", bt.method, fmt.Sprintf(bt.methodText, r.Manifest.Replications, r.Manifest.Seed, all, assumed))
}

// offDefaults are the baseline's behavioural parameters whose value differs from the
// engine's default (scenarios.DefaultValues): key, value, default, source.
func (in *Input) offDefaults() [][4]string {
	defs := scenarios.DefaultValues()
	base := in.Run.Variants[0]
	var out [][4]string
	for _, a := range in.Run.Assumptions {
		if len(a) < 5 || a[0] != base {
			continue
		}
		if d, ok := defs[a[1]]; ok && d != a[2] {
			out = append(out, [4]string{a[1], a[2], d, a[3]})
		}
	}
	return out
}

// variantAssumptions are the rows of assumptions.csv for the variants other than the
// baseline: what each changes.
func (in *Input) variantAssumptions() [][]string {
	base := in.Run.Variants[0]
	var out [][]string
	for _, a := range in.Run.Assumptions {
		if len(a) >= 5 && a[0] != base {
			out = append(out, a)
		}
	}
	return out
}
