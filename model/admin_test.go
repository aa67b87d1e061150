package model_test

import (
	"math"
	"strings"
	"testing"
)

// More indicators give more administrative hours, on both sides.
func TestMoreIndicatorsMoreAdmin(t *testing.T) {
	prev, prevRegion := 0.0, 0.0
	for _, k := range []int{0, 5, 20} {
		f := loadSmall(t, func(s string) string {
			return strings.Replace(s, "[regimes.standard]", "[regimes.standard]\nreported_indicators = "+itoa(k), 1)
		})
		col := runFile(t, f, 2, 2)
		h := col.Column(0, col.CellIndex("provider_admin_hours", -1, -1))
		r := col.Column(0, col.CellIndex("region_followup_cost", -1, -1))
		if h[0] <= prev || r[0] <= prevRegion {
			t.Errorf("%d reported indicators: %g admin hours and %g follow-up cost, not above %g and %g", k, h[0], r[0], prev, prevRegion)
		}
		prev, prevRegion = h[0], r[0]
	}
}

// A regime's own follow-up hours per contract replace the behaviour's, and an unset one
// takes the behaviour's value.
func TestRegimeRegionHours(t *testing.T) {
	cost := func(regime, admin string) float64 {
		text := single("0.5", "100", "capitation = { per_person_year = 3000 }", "")
		text = strings.Replace(text, "[regimes.none]", "[regimes.none]\n"+regime, 1)
		text = strings.Replace(text, "hours_per_claim = 0", "hours_per_claim = 0\n"+admin, 1)
		col := runText(t, text, 1, 1)
		return col.Column(0, col.CellIndex("region_followup_cost", -1, -1))[0]
	}
	base := cost("", "")
	own := cost("region_hours_per_contract_year = 335", "")
	viaBehaviour := cost("", "region_hours_per_contract_year = 335")
	over := cost("region_hours_per_contract_year = 335", "region_hours_per_contract_year = 1000")
	if math.Abs(own-viaBehaviour) > 1e-9 || math.Abs(own-over) > 1e-9 {
		t.Errorf("335 hours: regime %v, behaviour %v, regime over behaviour %v; want equal", own, viaBehaviour, over)
	}
	// One contract-year, nothing else followed up: the cost is hours × the region's
	// hourly cost, so 335 hours cost 335/20 of the default 20.
	if base <= 0 || math.Abs(own/base-335.0/20) > 1e-9 {
		t.Errorf("cost %v at 335 hours and %v at the default 20: ratio %v, want %v", own, base, own/base, 335.0/20)
	}
}

// Indicator reports cost a fixed part per indicator and report plus a part per listed
// patient (§5), and clinicians' other administration is in their admin share, not in
// the payment model's admin hours.
func TestReportHoursFixedPlusPerPatient(t *testing.T) {
	run := func(list, other string) (hours, share float64) {
		text := single("0.5", "100", "capitation = { per_person_year = 3000 }", "")
		text = strings.Replace(text, "[regimes.none]", "[regimes.none]\nreported_indicators = 10", 1)
		text = strings.Replace(text, "list_size = 1000", "list_size = "+list, 1)
		text = strings.Replace(text, "hours_per_claim = 0", "hours_per_claim = 0\nclinician_share = 0.17\nhours_per_indicator_report = 1\nhours_per_indicator_patient = 0.002\nother_clinician_hours_per_fte_year = "+other, 1)
		col := runText(t, text, 1, 1)
		return col.Column(0, col.CellIndex("provider_admin_hours", -1, -1))[0],
			col.Column(0, col.CellIndex("clinician_admin_share", -1, -1))[0]
	}
	// 40 base hours + 10 indicators × 4 reports × (1 + 0.002 × list).
	h1, s1 := run("1000", "0")
	h2, _ := run("2000", "0")
	if math.Abs(h1-160) > 1e-9 || math.Abs(h2-240) > 1e-9 {
		t.Errorf("admin hours %v at 1 000 listed and %v at 2 000, want 160 and 240", h1, h2)
	}
	// 100 FTE × 1 600 h: clinicians bear 0.17 of 160 h, plus 320 h per FTE when set.
	h3, s3 := run("1000", "320")
	if math.Abs(h3-h1) > 1e-9 {
		t.Errorf("other clinician hours moved provider_admin_hours from %v to %v", h1, h3)
	}
	if want := 0.17 * 160 / 160000; math.Abs(s1-want) > 1e-12 {
		t.Errorf("clinician admin share %v, want %v", s1, want)
	}
	if want := (0.17*160 + 32000) / 160000; math.Abs(s3-want) > 1e-12 {
		t.Errorf("clinician admin share with other hours %v, want %v", s3, want)
	}
}

// Claim review (issue 13): a sample of claims reviewed each period lowers upcoding — the
// expected loss deters it and what is found is recovered — and costs both sides hours.
func TestClaimReviewLowersUpcoding(t *testing.T) {
	run := func(review string) (up, hours, region, sanctions float64) {
		f := loadSmall(t, func(s string) string {
			return strings.Replace(s, "[regimes.standard]", "[regimes.standard]\n"+review, 1)
		})
		col := runFile(t, f, 4, 2)
		m := func(name string) float64 { return col.Column(0, col.CellIndex(name, -1, -1))[0] }
		return m("upcoding_rate"), m("provider_admin_hours"), m("region_followup_cost"), m("payments_sanctions")
	}
	up0, h0, r0, s0 := run("")
	up1, h1, r1, s1 := run("claim_review_share = 0.05\nreview_penalty = 3")
	if !(up0 > 0) || !(up1 < up0) {
		t.Errorf("upcoding rate %g without review and %g with it; want it lower with review", up0, up1)
	}
	if !(h1 > h0) || !(r1 > r0) {
		t.Errorf("provider hours %g → %g, region cost %g → %g with review; want both higher", h0, h1, r0, r1)
	}
	if !(s1 < s0) {
		t.Errorf("sanctions %g without review and %g with it; want recoveries (more negative)", s0, s1)
	}
}
