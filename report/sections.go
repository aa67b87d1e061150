package report

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Section is an analysis run on top of the main run — one-way sensitivity, sweeps, the
// decision view — found beside it and added to the report with its charts.
type Section struct {
	ID     string
	Title  string
	Intro  string
	Charts []SectionChart
}

// SectionChart is one chart file of a section.
type SectionChart struct {
	Title   string
	Caption string
	SVG     string // path of the SVG file
	Rel     string // the same, relative to the run directory
}

// analysis describes one kind of analysis: where `ersim` writes it by default (a
// directory inside the run's) and what to say about its charts.
type analysis struct {
	dir          string
	title, intro map[string]string
	captions     []caption
}

type caption struct {
	prefix string
	text   map[string]string
}

var analyses = []analysis{
	{
		dir:   "sensitivity",
		title: map[string]string{"en": "One-way sensitivity", "sv": "Envägs känslighetsanalys"},
		intro: map[string]string{
			"en": "Each uncertain parameter of the scenario's [uncertainty] section was set to its low and to its high value in turn, the others at their values in the file, on the same random numbers (ersim sensitivity). Data: sensitivity/sensitivity.csv.",
			"sv": "Varje osäker parameter i scenariots [uncertainty] sattes i tur och ordning till sitt låga och sitt höga värde, övriga på sina värden i filen, med samma slumptal (ersim sensitivity). Data: sensitivity/sensitivity.csv.",
		},
		captions: []caption{
			{"tornado_", map[string]string{
				"en": "Each bar shows how far the result moves when one parameter goes from its low to its high value, the others at base. The widest bar, on top, is the assumption the answer depends on most.",
				"sv": "Varje stapel visar hur mycket resultatet flyttar sig när en parameter går från sitt låga till sitt höga värde, övriga på basvärdet. Den bredaste stapeln, överst, är det antagande svaret hänger mest på.",
			}},
		},
	},
	{
		dir:   "sweep",
		title: map[string]string{"en": "Sweeps", "sv": "Parametersvep"},
		intro: map[string]string{
			"en": "The scenario run at a range of values of one or two parameters, the others at their values in the file, on the same random numbers (ersim sweep). Data: sweep/sweep.csv.",
			"sv": "Scenariot kört för en rad värden på en eller två parametrar, övriga på sina värden i filen, med samma slumptal (ersim sweep). Data: sweep/sweep.csv.",
		},
		captions: []caption{
			{"heatmap_", map[string]string{
				"en": "Each cell is the mean over replications at one combination of the two parameters; the colour scale is above the map.",
				"sv": "Varje ruta är medelvärdet över replikeringarna för en kombination av de två parametrarna; färgskalan står ovanför kartan.",
			}},
			{"", map[string]string{
				"en": "The result across the swept values, one line per variant; bands show where 90 % of replications fall.",
				"sv": "Resultatet över de svepta värdena, en linje per variant; banden visar var 90 % av replikeringarna hamnar.",
			}},
		},
	},
	{
		dir:   "decision",
		title: map[string]string{"en": "Decision view", "sv": "Beslutsunderlag"},
		intro: map[string]string{
			"en": "From the run's probabilistic sensitivity analysis (--psa): net benefit of each variant for a range of values of a health unit, from the payer's and from society's perspective (ersim decision). Data: decision/*.csv.",
			"sv": "Från körningens probabilistiska känslighetsanalys (--psa): varje variants nettonytta för en rad värden på en hälsoenhet, ur betalarens och samhällets perspektiv (ersim decision). Data: decision/*.csv.",
		},
		captions: []caption{
			{"decision_evpi", map[string]string{
				"en": "The expected value of perfect information: what removing all parameter uncertainty would be worth a year. Where it is near zero, more research would not change the choice.",
				"sv": "Det förväntade värdet av perfekt information: vad det vore värt per år att bli av med all parameterosäkerhet. Där det är nära noll skulle mer forskning inte ändra valet.",
			}},
			{"decision_evppi", map[string]string{
				"en": "The expected value of partial perfect information: what knowing each group of parameters would be worth a year, at the scenario's value of a health unit. The longest bar is where research pays most.",
				"sv": "Det förväntade värdet av partiell perfekt information: vad det vore värt per år att känna varje grupp av parametrar, vid scenariots värde på en hälsoenhet. Den längsta stapeln visar var forskning lönar sig mest.",
			}},
			{"decision_ceac", map[string]string{
				"en": "The probability that each variant has the highest net benefit, against the value put on a unit of health (acceptability curves); the pale band follows the variant with the highest expected net benefit.",
				"sv": "Sannolikheten att varje variant har högst nettonytta, mot värdet av en hälsoenhet (acceptanskurvor); det ljusa bandet följer varianten med högst förväntad nettonytta.",
			}},
		},
	},
	{
		dir:   "calibration",
		title: map[string]string{"en": "Calibration", "sv": "Kalibrering"},
		intro: map[string]string{
			"en": "The scenario's [calibration] targets and the parameters fitted to them by approximate Bayesian computation (ersim calibrate; docs/calibration.md). Data: calibration/posterior.csv, calibration.csv, generations.csv.",
			"sv": "Scenariots kalibreringsmål ([calibration]) och parametrarna som anpassats till dem med approximativ bayesiansk beräkning (ersim calibrate; docs/calibration.md). Data: calibration/posterior.csv, calibration.csv, generations.csv.",
		},
		captions: []caption{
			{"calibration_fit", map[string]string{
				"en": "Each target's simulated range before (grey) and after calibration (blue), in standard errors from the observed value; a blue bar reaching the shaded band is a target the calibrated model reproduces.",
				"sv": "Varje måls simulerade spann före (grått) och efter kalibreringen (blått), i standardfel från det observerade värdet; en blå stapel som når det skuggade bandet är ett mål som den kalibrerade modellen återger.",
			}},
			{"calibration_marginal", map[string]string{
				"en": "A fitted parameter's prior and posterior: a posterior as wide as the prior is a parameter the targets do not identify.",
				"sv": "En anpassad parameters a priori- och a posteriori-fördelning: en a posteriori-fördelning lika bred som a priori är en parameter som målen inte identifierar.",
			}},
			{"calibration_pair", map[string]string{
				"en": "Two fitted parameters in the posterior, one dot per particle: a ridge means only a combination of the two is identified.",
				"sv": "Två anpassade parametrar a posteriori, en punkt per partikel: en ås betyder att bara en kombination av de två identifieras.",
			}},
			{"calibration_generations", map[string]string{
				"en": "The tolerance per generation, with the effective sample size: it should fall and level off.",
				"sv": "Toleransen per generation, med den effektiva urvalsstorleken: den bör falla och plana ut.",
			}},
		},
	},
}

var svgTitle = regexp.MustCompile(`<title>([^<]*)</title>`)

// AnalysisDir is where an analysis of a run is: runDir/name, or, for a kept run
// (out/<scenario>/<time>, whose parent has the link "latest"), the scenario's
// out/<scenario>/name, where "ersim sensitivity" and "ersim sweep" write by default.
func AnalysisDir(runDir, name string) string {
	dir := filepath.Join(runDir, name)
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	parent := filepath.Dir(filepath.Clean(runDir))
	if filepath.Base(filepath.Clean(runDir)) == "latest" || fileExists(filepath.Join(parent, "latest")) {
		if alt := filepath.Join(parent, name); fileExists(alt) {
			return alt
		}
	}
	return dir
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// FindSections looks in a run directory for the analyses ersim writes beside a run.
func FindSections(runDir, lang string) []Section {
	if lang != "sv" {
		lang = "en"
	}
	var out []Section
	for _, a := range analyses {
		dir := AnalysisDir(runDir, a.dir)
		var files []string
		for _, pattern := range []string{"*.svg", "charts/*.svg"} {
			m, _ := filepath.Glob(filepath.Join(dir, pattern))
			files = append(files, m...)
		}
		if len(files) == 0 {
			continue
		}
		sort.Strings(files)
		s := Section{ID: a.dir, Title: a.title[lang], Intro: a.intro[lang]}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			base := filepath.Base(f)
			title := strings.TrimSuffix(base, ".svg")
			if m := svgTitle.FindSubmatch(b); m != nil {
				title = html.UnescapeString(string(m[1]))
			}
			text := ""
			for _, c := range a.captions {
				if strings.HasPrefix(base, c.prefix) {
					text = c.text[lang]
					break
				}
			}
			rel, _ := filepath.Rel(runDir, f)
			s.Charts = append(s.Charts, SectionChart{Title: title, Caption: text, SVG: f, Rel: filepath.ToSlash(rel)})
		}
		out = append(out, s)
	}
	return out
}

func (in *Input) sectionsHTML(b *bytes.Buffer, figure string, next int) (int, error) {
	e := html.EscapeString
	for _, s := range in.Sections {
		fmt.Fprintf(b, "<h2 id=\"%s\">%s</h2>\n<p class=\"note\">%s</p>\n", e(s.ID), e(s.Title), e(s.Intro))
		for _, c := range s.Charts {
			raw, err := os.ReadFile(c.SVG)
			if err != nil {
				return next, fmt.Errorf("report: %w", err)
			}
			svg := svgDoctype.ReplaceAllString(xmlDecl.ReplaceAllString(string(raw), ""), "")
			fmt.Fprintf(b, "<figure class=\"chart\" id=\"%s-%d\">\n%s\n<figcaption><strong>%s %d.</strong> %s</figcaption>\n</figure>\n",
				e(s.ID), next, svg, e(figure), next, e(c.Caption))
			next++
		}
	}
	return next, nil
}

func (in *Input) sectionsMarkdown(b *bytes.Buffer, figure string, next int) int {
	for _, s := range in.Sections {
		fmt.Fprintf(b, "## %s\n\n%s\n\n", s.Title, s.Intro)
		for _, c := range s.Charts {
			fmt.Fprintf(b, "### %s %d. %s\n\n![%s](%s)\n\n%s\n\n", figure, next, c.Title, c.Title, c.Rel, c.Caption)
			next++
		}
	}
	return next
}
