package plots

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words on the charts, in both languages. Numbers inside these strings use a no-break
// space as thousands separator ("1 000") so that they never break across lines.

// unitKind says how a metric's values are scaled for display.
type unitKind int

const (
	unitRaw     unitKind = iota // as computed
	unitSEK                     // SEK → MSEK
	unitShare                   // share → %
	unitHours                   // hours → hours, or thousand hours when large
	unitCount                   // whole numbers
	unitPerYear                 // per-year flows of counts (visits)
)

// mtext describes a metric in words.
type mtext struct {
	kind           unitKind
	nameEn, nameSv string // plain words, for rows and legends
	unitEn, unitSv string // unit for the axis title, after scaling ("" for %)
}

var metricTexts = map[string]mtext{
	"visits":          {unitPerYear, "Visits", "Besök", "visits per year", "besök per år"},
	"visits_per_1000": {unitRaw, "Visits per 1,000 residents and year", "Besök per 1 000 invånare och år", "", ""},
	"overprovision":   {unitPerYear, "Visits beyond patients' need", "Besök utöver patienternas behov", "visits per year", "besök per år"},
	"underprovision":  {unitPerYear, "Needed visits not made", "Behövda besök som uteblir", "visits per year", "besök per år"},
	"true_quality":    {unitRaw, "True quality", "Verklig kvalitet", "index", "index"},
	"measured_quality": {unitShare, "Measured quality (indicator targets met)", "Uppmätt kvalitet (uppnådda indikatormål)",
		"", ""},
	"health_benefit":       {unitRaw, "Health benefit", "Hälsovinst", "health units per year", "hälsoenheter per år"},
	"payments":             {unitSEK, "Payments", "Utbetalningar", "MSEK per year", "MSEK per år"},
	"payments_budget":      {unitSEK, "Payments: fixed budgets", "Utbetalningar: anslag", "MSEK per year", "MSEK per år"},
	"payments_capitation":  {unitSEK, "Payments: capitation", "Utbetalningar: kapitering", "MSEK per year", "MSEK per år"},
	"payments_visit":       {unitSEK, "Payments: visit fees", "Utbetalningar: besöksersättning", "MSEK per year", "MSEK per år"},
	"payments_case":        {unitSEK, "Payments: case payments", "Utbetalningar: ärendeersättning", "MSEK per year", "MSEK per år"},
	"payments_goal":        {unitSEK, "Payments: goal-related", "Utbetalningar: målrelaterad ersättning", "MSEK per year", "MSEK per år"},
	"payments_sanctions":   {unitSEK, "Payments: sanctions", "Utbetalningar: sanktioner", "MSEK per year", "MSEK per år"},
	"provider_admin_hours": {unitHours, "Providers' administrative time", "Vårdgivarnas administrativa tid", "hours per year", "timmar per år"},
	"provider_admin_cost":  {unitSEK, "Providers' administrative cost", "Vårdgivarnas administrationskostnad", "MSEK per year", "MSEK per år"},
	"region_followup_cost": {unitSEK, "Region's follow-up cost", "Regionens uppföljningskostnad", "MSEK per year", "MSEK per år"},
	"admin_share":          {unitShare, "Administrative share of total cost", "Administrativ andel av kostnaden", "", ""},
	"clinician_admin_share": {unitShare, "Clinicians' administrative share of working time", "Klinikernas administrativa andel av arbetstiden",
		"", ""},
	"patient_fees":          {unitSEK, "Patient fees", "Patientavgifter", "MSEK per year", "MSEK per år"},
	"episodes":              {unitPerYear, "Episodes", "Episoder", "episodes per year", "episoder per år"},
	"complications_per_100": {unitRaw, "Complications per 100 episodes", "Komplikationer per 100 episoder", "", ""},
	"reoperations_per_100":  {unitRaw, "Reoperations per 100 episodes", "Reoperationer per 100 episoder", "", ""},
	"episode_cost_region":   {unitRaw, "The region's cost per episode", "Regionens kostnad per episod", "SEK", "kr"},
	"episode_cost_provider": {unitRaw, "Providers' cost per episode", "Vårdgivarnas kostnad per episod", "SEK", "kr"},
	"length_of_stay":        {unitRaw, "Length of stay", "Vårdtid", "days", "dagar"},
	"waiting_months":        {unitRaw, "Waiting time", "Väntetid", "months", "månader"},
	"high_risk_share":       {unitShare, "High-risk patients' share of episodes", "Högriskpatienternas andel av episoderna", "", ""},
	"clinical_hours":        {unitHours, "Clinical time in visits", "Klinisk tid i besök", "hours per year", "timmar per år"},
	"clinician_fte":         {unitCount, "Clinician full-time equivalents", "Kliniska årsarbetare (heltidsekvivalenter)", "FTE", "årsarbetare"},
	"provider_margin":       {unitSEK, "Providers' margin", "Vårdgivarnas marginal", "MSEK per year", "MSEK per år"},
	"providers_active":      {unitCount, "Providers under contract at the end", "Vårdgivare med avtal vid slutet", "providers", "vårdgivare"},
	"entries":               {unitCount, "New providers", "Nya vårdgivare", "providers", "vårdgivare"},
	"exits":                 {unitCount, "Providers that left", "Vårdgivare som lämnat", "providers", "vårdgivare"},
	"upcoding_rate":         {unitShare, "Patients upcoded", "Patienter i för hög vårdtyngdsklass", "", ""},
	"exception_rate":        {unitShare, "Patients excepted from indicators", "Patienter undantagna från indikatorer", "", ""},
	"equity_ratio": {unitRaw, "Equity (benefit relative to need)", "Jämlikhet (nytta i förhållande till behov)",
		"ratio", "kvot"},
	"deficient_detected":  {unitShare, "Deficient providers detected", "Brister hos vårdgivare som upptäcks", "", ""},
	"net_benefit_payer":   {unitSEK, "Net benefit to the payer", "Nettonytta för betalaren", "MSEK per year", "MSEK per år"},
	"net_benefit_society": {unitSEK, "Net benefit to society", "Nettonytta för samhället", "MSEK per year", "MSEK per år"},
	"payments_total":      {unitSEK, "Payments over the horizon", "Utbetalningar under perioden", "MSEK", "MSEK"},
	"payments_total_disc": {unitSEK, "Payments over the horizon, discounted", "Utbetalningar under perioden, diskonterade", "MSEK", "MSEK"},
	"health_benefit_total": {unitRaw, "Health benefit over the horizon", "Hälsovinst under perioden",
		"health units", "hälsoenheter"},
	"health_benefit_total_disc": {unitRaw, "Health benefit over the horizon, discounted", "Hälsovinst under perioden, diskonterad",
		"health units", "hälsoenheter"},
	"admin_cost_total": {unitSEK, "Administrative cost over the horizon", "Administrativa kostnader under perioden", "MSEK", "MSEK"},
	"admin_cost_total_disc": {unitSEK, "Administrative cost over the horizon, discounted", "Administrativa kostnader under perioden, diskonterade",
		"MSEK", "MSEK"},
	"net_benefit_payer_total_disc": {unitSEK, "Net benefit to the payer over the horizon, discounted", "Nettonytta för betalaren under perioden, diskonterad",
		"MSEK", "MSEK"},
	"net_benefit_society_total_disc": {unitSEK, "Net benefit to society over the horizon, discounted", "Nettonytta för samhället under perioden, diskonterad",
		"MSEK", "MSEK"},
}

// metricName returns a metric's name in plain words.
func (e *env) metricName(m string) string {
	t, ok := metricTexts[m]
	if !ok {
		return strings.ReplaceAll(m, "_", " ")
	}
	return e.tr(t.nameEn, t.nameSv)
}

// scaled is how a metric is shown: a factor applied to its values, the axis title and
// the CSV column suffix.
type scaled struct {
	factor float64
	axis   string // axis title with unit
	suffix string // for CSV column names: "", "_msek", "_pct", "_thousand_hours"
	pct    bool   // tick labels with %
}

// diffSuffix is the CSV column suffix of a difference in the metric: a difference in a
// share is in percentage points, "_pp", as the chart shows it.
func (s scaled) diffSuffix() string {
	if s.pct {
		return "_pp"
	}
	return s.suffix
}

// scaleFor returns how to show metric m whose largest absolute value is maxAbs.
func (e *env) scaleFor(m string, maxAbs float64) scaled {
	t, ok := metricTexts[m]
	if !ok {
		return scaled{factor: 1, axis: e.metricName(m)}
	}
	name := e.tr(t.nameEn, t.nameSv)
	unit := e.tr(t.unitEn, t.unitSv)
	s := scaled{factor: 1}
	switch t.kind {
	case unitSEK:
		s.factor, s.suffix = 1e-6, "_msek"
	case unitShare:
		s.factor, s.suffix, s.pct = 100, "_pct", true
	case unitHours:
		if maxAbs >= 1e5 {
			s.factor, s.suffix = 1e-3, "_thousand_hours"
			unit = e.tr("thousand hours per year", "tusen timmar per år")
		}
	}
	s.axis = name
	if unit != "" {
		s.axis += " (" + unit + ")"
	}
	return s
}

// tr picks the chart's language.
func (e *env) tr(en, sv string) string {
	if e.lang == "sv" {
		return sv
	}
	return en
}

// formNames: contract forms keep their Swedish abbreviations in both languages, which
// is how planners know them; "direktavtal" is explained in English.
func (e *env) formName(f string) string {
	switch f {
	case "direktavtal":
		return e.tr("direct agreement", "direktavtal")
	case "all":
		return e.tr("all forms", "alla former")
	}
	return f
}

// lowerFirst lowers the first letter, for a name inside a sentence.
func lowerFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToLower(r)) + s[i+utf8.RuneLen(r):]
	}
	return s
}

// fixPct sets "%" after a number as the language wants: "95 %" in Swedish (with a
// no-break space), "95%" in English.
func (e *env) fixPct(s string) string {
	if e.lang == "sv" {
		return strings.ReplaceAll(s, " %", nbsp+"%")
	}
	return strings.ReplaceAll(s, " %", "%")
}

// reps is the number of replications behind the summary.
func (e *env) reps() int {
	n := 0
	for _, s := range e.run.Summary {
		n = max(n, s.N)
	}
	if n == 0 {
		n = e.run.Manifest.Replications
	}
	return n
}

// repsText is "20 replications" in words of the language.
func (e *env) repsText() string {
	n := e.reps()
	if n == 1 {
		return e.tr("1 replication", "1 replikering")
	}
	return e.tloc.num(float64(n), 0) + e.tr(" replications", " replikeringar")
}

// baselineText names the baseline variant.
func (e *env) baselineText() string {
	return e.tr("“", "”") + e.vs[0].label + "”"
}

// csvUnit is the unit of a metric's values in a chart's CSV, in English.
func csvUnit(m string, sc scaled) string {
	t, ok := metricTexts[m]
	switch {
	case !ok:
		return ""
	case sc.pct:
		return "percent"
	case sc.suffix == "_thousand_hours":
		return "thousand hours per year"
	case m == "visits_per_1000":
		return "visits per 1000 residents and year"
	}
	return t.unitEn
}

func itoa(i int) string { return strconv.Itoa(i) }
