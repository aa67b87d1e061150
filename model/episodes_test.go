package model_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// episodeScenario is a small region with episodes: a LOV cohort of private clinics
// under rule "clinic" and a public hospital under DRG that takes every patient. rule is
// the clinics' [rules.clinic] body; extra is appended.
func episodeScenario(rule, extra string) string {
	return fmt.Sprintf(`
name = "episodes"
title = "episodes"
horizon_years = 3
burn_in_periods = 12
replications = 1
seed = 5
baseline = "base"
[population]
residents = 500000
health_unit_value_sek = 500000
[[population.need_groups]]
name = "all"
share = 1
demand_per_year = 0
optimal_visits_per_year = 1
benefit_per_visit = 0.001
cost_weight = 1
[episodes]
incidence_per_1000 = 3
reoperation_share = 0.3
reoperation_cost = 120000
health_gain = 1
complication_loss = 0.2
effort_cost = 15000
[[episodes.risk_classes]]
name = "low"
share = 0.8
complication_rate = 0.07
length_of_stay = 4
[[episodes.risk_classes]]
name = "high"
share = 0.2
complication_rate = 0.14
length_of_stay = 6
[cohorts.clinic]
form = "LOV"
episodes = true
rule = "clinic"
regime = "none"
count = 4
max_entrants = 4
operations_per_year = 250
fte = 2
marginal_cost = 25000
altruism = 0.3
gaming_propensity = 0
[cohorts.hospital]
form = "direktavtal"
episodes = true
rule = "drg"
regime = "none"
count = 1
operations_per_year = 800
fte = 8
marginal_cost = 30000
altruism = 0.3
[rules.clinic]
%s
[rules.drg]
episode = { per_admission = 75000 }
[regimes.none]
%s
`, rule, extra)
}

func episodeRun(t *testing.T, text string, reps int) func(metric, form string) float64 {
	t.Helper()
	col := runText(t, text, reps, 2)
	return func(metric, form string) float64 {
		f := -1
		switch form {
		case "LOV":
			f = 2
		case "direktavtal":
			f = 0
		}
		xs := col.Column(0, col.CellIndex(metric, f, -1))
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
}

// A warranty (the provider bears reoperations) lowers complications against a case
// payment per admission that pays a reoperation again: quality effort answers what a
// complication costs the provider.
func TestWarrantyLowersComplications(t *testing.T) {
	drg := episodeRun(t, episodeScenario("episode = { per_admission = 75000 }", ""), 2)
	warranty := episodeRun(t, episodeScenario("episode = { bundle_price = 75000, warranty = true }", ""), 2)
	noWarranty := episodeRun(t, episodeScenario("episode = { bundle_price = 75000, reoperation_price = 75000 }", ""), 2)
	c0, c1, c2 := drg("complications_per_100", "LOV"), warranty("complications_per_100", "LOV"), noWarranty("complications_per_100", "LOV")
	t.Logf("clinics' complications per 100 episodes: DRG %.3f, bundle without warranty %.3f, bundle with warranty %.3f", c0, c2, c1)
	if !(c1 < c0) || !(c1 < c2) {
		t.Errorf("complications per 100: DRG %g, bundle without warranty %g, with warranty %g; want the warranty lowest", c0, c2, c1)
	}
	if r0, r1 := drg("reoperations_per_100", "LOV"), warranty("reoperations_per_100", "LOV"); math.Abs(r1-0.3*c1) > 1e-9 || math.Abs(r0-0.3*c0) > 1e-9 {
		t.Errorf("reoperations per 100 %g and %g, want 0.3 × complications", r0, r1)
	}
}

// A bundle limited to low-risk patients shifts the high-risk ones to the provider
// outside it: the clinics treat none, the hospital more than before.
func TestEligibilityShiftsHighRisk(t *testing.T) {
	all := episodeRun(t, episodeScenario("episode = { bundle_price = 75000, warranty = true }", ""), 2)
	low := episodeRun(t, episodeScenario("episode = { bundle_price = 75000, warranty = true, covers = [\"low\"] }", ""), 2)
	h0, h1 := all("high_risk_share", "direktavtal"), low("high_risk_share", "direktavtal")
	l0, l1 := all("high_risk_share", "LOV"), low("high_risk_share", "LOV")
	t.Logf("high-risk share: clinics %.3f → %.3f, hospital %.3f → %.3f when the bundle covers only low risk", l0, l1, h0, h1)
	if !(l0 > 0) || l1 != 0 || !(h1 > h0) {
		t.Errorf("high-risk share: clinics %g → %g, hospital %g → %g; want the clinics to 0 and the hospital up", l0, l1, h0, h1)
	}
}

// A provider free to choose turns away patients it loses money on: with gaming, the
// clinics take fewer high-risk patients under a bundle priced for the average.
func TestSelectionAgainstHighRisk(t *testing.T) {
	rule := "episode = { bundle_price = 57000, warranty = true }"
	honest := episodeRun(t, episodeScenario(rule, ""), 2)
	gaming := episodeRun(t, strings.Replace(episodeScenario(rule, ""), "gaming_propensity = 0", "gaming_propensity = 1", 1), 2)
	s0, s1 := honest("high_risk_share", "LOV"), gaming("high_risk_share", "LOV")
	t.Logf("clinics' high-risk share: %.3f without gaming, %.3f with", s0, s1)
	if !(s1 < s0) {
		t.Errorf("clinics' high-risk share %g without gaming and %g with; want lower with", s0, s1)
	}
}

// A price below cost drives the clinics out under LOV; a price above it does not.
func TestEpisodePriceBelowCostDrivesExit(t *testing.T) {
	above := episodeRun(t, episodeScenario("episode = { bundle_price = 90000, warranty = true }", ""), 2)
	below := episodeRun(t, episodeScenario("episode = { bundle_price = 40000, warranty = true }", ""), 2)
	x0, x1 := above("exits", "LOV"), below("exits", "LOV")
	t.Logf("clinic exits over 3 years: %.1f at 90 000 SEK, %.1f at 40 000 SEK", x0, x1)
	if x0 != 0 || !(x1 > 0) {
		t.Errorf("clinic exits %g at a price above cost and %g below it; want none and some", x0, x1)
	}
	if e1 := below("episodes", "LOV"); !(e1 < above("episodes", "LOV")) {
		t.Errorf("clinics' episodes %g below cost, not fewer than %g above it", e1, above("episodes", "LOV"))
	}
}

// Episode results do not depend on the number of workers.
func TestEpisodesWorkersDoNotChangeResults(t *testing.T) {
	text := episodeScenario("episode = { bundle_price = 70000, warranty = true, covers = [\"low\"] }", "")
	a, b := runText(t, text, 3, 1), runText(t, text, 3, 2)
	for _, m := range []string{"episodes", "complications_per_100", "waiting_months", "payments", "exits"} {
		ca, cb := a.Column(0, a.CellIndex(m, -1, -1)), b.Column(0, b.CellIndex(m, -1, -1))
		for r := range ca {
			if ca[r] != cb[r] {
				t.Errorf("%s replication %d: %v with 1 worker, %v with 2", m, r, ca[r], cb[r])
			}
		}
	}
}
