package server

import (
	"regexp"
	"strings"
)

// What the validator allows, as the editor's "Allowed" column shows it: the validator's
// own words (scenarios' bounds), in Swedish on the Swedish pages. Ranges and key names
// stay as written, with decimal points, since they are what a field takes.
var allowedSvWords = map[string]string{
	"SEK >= 0":                                                          "kr >= 0",
	"SEK per admission > 0":                                             "kr per vårdtillfälle > 0",
	"SEK per case >= 0":                                                 "kr per fall >= 0",
	"SEK per day >= 0":                                                  "kr per dag >= 0",
	"SEK per detected breach >= 0":                                      "kr per upptäckt avtalsbrott >= 0",
	"SEK per effort unit² and episode > 0":                              "kr per insatsenhet² och episod > 0",
	"SEK per episode > 0":                                               "kr per episod > 0",
	"SEK per health unit > 0":                                           "kr per hälsoenhet > 0",
	"SEK per person-year > 0":                                           "kr per personår > 0",
	"SEK per person-year >= 0":                                          "kr per personår >= 0",
	"SEK per provider and year >= 0":                                    "kr per vårdgivare och år >= 0",
	"SEK per provider and year > 0":                                     "kr per vårdgivare och år > 0",
	"SEK per provider and year >= tak1":                                 "kr per vårdgivare och år >= tak1",
	"SEK per listed person and year > 0":                                "kr per listad person och år > 0",
	"SEK per listed person and year >= tak1":                            "kr per listad person och år >= tak1",
	"SEK per reoperation >= 0":                                          "kr per reoperation >= 0",
	"SEK per visit >= 0":                                                "kr per besök >= 0",
	"SEK per visit in [0, 5000]":                                        "kr per besök i [0, 5000]",
	"SEK per visit of the kind >= 0":                                    "kr per besök av typen >= 0",
	"a cost relative to the average person, > 0":                        "en kostnad i förhållande till genomsnittspersonens, > 0",
	"a factor on benefit_per_visit in [0, 5]":                           "en faktor på benefit_per_visit i [0, 5]",
	"a factor on marginal_cost in [0, 20]":                              "en faktor på marginal_cost i [0, 20]",
	"a factor on minutes_per_visit in (0, 20]":                          "en faktor på minutes_per_visit i (0, 20]",
	"a factor on the rule's claim work in [0, 20]":                      "en faktor på regelns arbete med ersättningsanspråk i [0, 20]",
	"a finite number":                                                   "ett ändligt tal",
	"a number >= 0 (not used: the cohort does episodes)":                "ett tal >= 0 (används inte: kohorten utför episoder)",
	"a number of persons > 0":                                           "ett antal personer > 0",
	"a probability in [0, 1]":                                           "en sannolikhet i [0, 1]",
	"a rate per year in [0, 0.2]":                                       "en räntesats per år i [0, 0.2]",
	"a relative change per year in [-0.1, 0.2] (0.015 = +1.5 % a year)": "en relativ förändring per år i [-0.1, 0.2] (0.015 = +1,5 % per år)",
	"a relative change per year in [0, 1]":                              "en relativ förändring per år i [0, 1]",
	"a relative fall in demand per 100 SEK in [0, 5]":                   "en relativ minskning av efterfrågan per 100 kr i [0, 5]",
	"a share in [0, 1]":                                                 "en andel i [0, 1]",
	"a share of booked visits in [0, 1)":                                "en andel av de bokade besöken i [0, 1)",
	"a share of revenue in [0, 0.5]":                                    "en andel av intäkterna i [0, 0.5]",
	"a share of the gap closed per year in [0, 1]":                      "en andel av gapet som sluts per år i [0, 1]",
	"an achievement in [0, 1]":                                          "en måluppfyllelse i [0, 1]",
	"an achievement in [0, 1], above lower":                             "en måluppfyllelse i [0, 1], över lower",
	"audits per provider and year in [0, 12]":                           "granskningar per vårdgivare och år i [0, 12]",
	"days in [0, 365]":                                                  "dagar i [0, 365]",
	"episodes a year > 0":                                               "episoder per år > 0",
	"episodes per 1 000 residents and year > 0":                         "episoder per 1 000 invånare och år > 0",
	"health units per complication >= 0":                                "hälsoenheter per komplikation >= 0",
	"health units per episode > 0":                                      "hälsoenheter per episod > 0",
	"health units per visit > 0":                                        "hälsoenheter per besök > 0",
	"hours >= 0":                                                        "timmar >= 0",
	"minutes per episode in [0, 6000]":                                  "minuter per episod i [0, 6000]",
	"minutes per operation in (0, 6000]":                                "minuter per operation i (0, 6000]",
	"visits of this kind per visit of the need group, >= 0":             "besök av denna typ per besök i behovsgruppen, >= 0",
	"visits per person-year > 0":                                        "besök per personår > 0",
	"visits per person-year >= 0":                                       "besök per personår >= 0",
	"visits per person-year >= optimal_visits_per_year":                 "besök per personår >= optimal_visits_per_year",
}

// The validator's generated bounds: "a number >= 0", "a number in (0, 4000]", "an
// integer in [1, 50]", "an integer >= 1".
var allowedNumberRE = regexp.MustCompile(`^(a number|an integer) (in |[<>]=? )`)

// allowedIn is the validator's text of what a key allows, in the page's language; a text
// without a Swedish form stays as the validator wrote it.
func allowedIn(text, l string) string {
	if l != "sv" || text == "" {
		return text
	}
	if sv, ok := allowedSvWords[text]; ok {
		return sv
	}
	if m := allowedNumberRE.FindStringSubmatch(text); m != nil {
		what := "ett tal "
		if m[1] == "an integer" {
			what = "ett heltal "
		}
		return what + strings.Replace(m[2], "in ", "i ", 1) + text[len(m[0]):]
	}
	return text
}

// say picks the English or the Swedish of a message.
func say(l, en, sv string) string {
	if l == "sv" {
		return sv
	}
	return en
}

// The validator's commonest messages beside a field, in Swedish; others stay as written.
var problemSv = []struct {
	re *regexp.Regexp
	sv string
}{
	{regexp.MustCompile(`^(.+) is out of range$`), "$1 ligger utanför det tillåtna"},
	{regexp.MustCompile(`^(.+) is not a finite number$`), "$1 är inte ett ändligt tal"},
	{regexp.MustCompile(`^is missing$`), "saknas"},
}

// problemIn is a validator's message and what it allows, as the form shows them beside
// the field, in the page's language.
func problemIn(msg, allowed, l string) string {
	if l != "sv" {
		return msg + "; allowed: " + allowed
	}
	for _, p := range problemSv {
		if p.re.MatchString(msg) {
			msg = p.re.ReplaceAllString(msg, p.sv)
			break
		}
	}
	return msg + "; tillåtet: " + allowedIn(allowed, l)
}
