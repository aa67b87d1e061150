package model

import (
	"strings"

	"github.com/BurntSushi/toml"

	"ersim/scenarios"
)

type indicator struct {
	weight, lower, upper, noise, gameable, baseline, trend float64
	vite                                                   bool
}

type rule struct {
	name        string
	budget      float64 // SEK per provider-year
	hasCap      bool
	capitation  float64 // SEK per person-year before risk weights
	capAccuracy float64
	riskAdj     bool
	hasFee      bool
	fee         float64
	categories  int
	hasCase     bool
	casePrice   [maxGroups]float64
	indicators  []indicator
	hasCeiling  bool
	tak1, tak2  float64
	reduced     float64
	clawback    float64
	vite        float64
	reports     float64 // per year
	doc         float64
	mix         *scenarios.Mix
	// refRevenue is revenue per listed person-year used to size indicator stakes.
	refRevenue float64
	// scale multiplies the rule's prices: budget-neutral calibration sets it on the rules
	// a variant changes.
	scale float64
	// text is the rule as written (TOML), to tell which rules a variant changes: set by
	// NewPlan only for a plan with a budget-neutral variant, the one user of it, as
	// encoding every rule of every compilation cost a calibration 4.5 % (issue 17).
	text string
	// feeYear multiplies fee and case prices by year of the horizon (fee_schedule).
	feeYear []float64
	// kindFee is the visit fee of the kinds visit_fee.by_kind names (kindSet); the
	// others are paid fee.
	kindFee [maxKinds]float64
	kindSet [maxKinds]bool
	// perPerson: the ceiling's tak 1 and tak 2 are per listed person and year.
	perPerson bool
	// ep pays for episodes (issue 14); nil without an [episode] component.
	ep *epPay
}

type regime struct {
	name      string
	reported  int
	reports   float64 // 0: the rule's frequency
	audit     float64 // per provider-year
	risk      bool
	focus     float64
	sensitive float64
	// Purchaser's follow-up hours per contract and year.
	regContract float64
	// Sanctions of the regime, replacing the rule's when hasSanctions.
	hasSanctions   bool
	clawback, vite float64
	// Claim review: the share of claims reviewed a period and the penalty multiplier.
	review, penalty float64
}

func (v *Variant) compileRule(name string, r *scenarios.Rule, kindIdx map[string]int) rule {
	ru := rule{
		name: name, budget: r.FixedBudget.Value, reports: r.ReportsPerYear.Value,
		doc: r.DocumentationPerClaim.Value, mix: r.Mix, scale: 1,
		feeYear: r.FeeSchedule,
	}
	if c := r.Capitation; c != nil {
		ru.hasCap, ru.capitation, ru.riskAdj, ru.capAccuracy = true, c.PerPersonYear.Value, c.RiskAdjusted, c.Accuracy.Value
	}
	if f := r.VisitFee; f != nil {
		ru.hasFee, ru.fee, ru.categories = true, f.Fee.Value, f.Categories
	}
	byKind := map[int]float64{}
	if f := r.VisitFee; f != nil {
		for name, fee := range f.ByKind {
			byKind[kindIdx[name]] = fee.Value
		}
	}
	if c := r.CasePayment; c != nil {
		ru.hasCase = true
		for g := range c.Prices {
			ru.casePrice[g] = c.Prices[g].Value
		}
	}
	for _, in := range r.Indicators {
		ru.indicators = append(ru.indicators, indicator{
			weight: in.Weight.Value, lower: in.Lower.Value, upper: in.Upper.Value,
			noise: in.Noise.Value, gameable: in.Gameable.Value, baseline: in.Baseline.Value,
			trend: in.Trend.Value, vite: in.Framing == "vite",
		})
	}
	if c := r.Ceiling; c != nil {
		ru.hasCeiling, ru.tak1, ru.tak2, ru.reduced = true, c.Tak1.Value, c.Tak2.Value, c.ReducedShare.Value
	}
	ru.clawback = 1 // overpayment found by an audit is recovered unless the rule says otherwise
	if s := r.Sanctions; s != nil {
		ru.clawback, ru.vite = s.Clawback.Value, s.Vite.Value
	}
	if m := r.Mix; m != nil {
		v.applyMix(&ru, m)
	}
	for k, fee := range byKind {
		ru.kindFee[k], ru.kindSet[k] = fee, true
	}
	if c := r.Ceiling; c != nil {
		ru.perPerson = c.PerListedPerson
	}
	ru.ep = compileEpisodePay(r.Episode, v.ep)
	return ru
}

// applyMix sets first-guess prices from revenue shares: capitation and budget exactly,
// visit and case prices from patient-optimal visits. Calibrate then corrects them for the
// visits the providers actually make.
func (v *Variant) applyMix(ru *rule, m *scenarios.Mix) {
	rev := m.RevenuePerPersonYear.Value
	optVisits := 0.0
	for _, g := range v.groups {
		optVisits += g.share * g.sstar
	}
	if ru.hasCap {
		ru.capitation = m.Capitation.Value * rev
	}
	if ru.hasFee && optVisits > 0 {
		ru.fee = m.Visit.Value * rev / optVisits
	}
	if ru.hasCase && optVisits > 0 {
		// Keep the relative prices of the classes; scale their visit-weighted mean.
		mean := 0.0
		for g, gr := range v.groups {
			mean += gr.share * gr.sstar * ru.casePrice[g] / optVisits
		}
		if mean > 0 {
			for g := range v.groups {
				ru.casePrice[g] *= m.Case.Value * rev / optVisits / mean
			}
		}
	}
	// The budget share is per listed person; it is converted to a per-provider sum by
	// calibration, which knows the list sizes.
	ru.budget = 0
	sumW := 0.0
	for _, in := range ru.indicators {
		sumW += in.weight
	}
	if sumW > 0 {
		for i := range ru.indicators {
			ru.indicators[i].weight *= m.Goal.Value / sumW
		}
	}
}

// referenceRevenue is a rule's revenue per listed person-year at patient-optimal
// visits: the base for the stakes of its indicators.
func (v *Variant) referenceRevenue(ru *rule) float64 {
	if ru.mix != nil {
		return ru.mix.RevenuePerPersonYear.Value
	}
	rev := 0.0
	for g, gr := range v.groups {
		if ru.hasCap {
			rev += gr.share * ru.capitation
		}
		if ru.hasFee {
			rev += gr.share * gr.sstar * ru.fee
		}
		if ru.hasCase {
			rev += gr.share * gr.sstar * ru.casePrice[g]
		}
	}
	return rev
}

func encodeRule(r *scenarios.Rule) string {
	var b strings.Builder
	if err := toml.NewEncoder(&b).Encode(r); err != nil {
		panic("model: cannot encode a decoded rule: " + err.Error())
	}
	return b.String()
}

// compileRegime turns a follow-up regime into numbers. b is the scenario's behaviour,
// whose region hours apply where the regime sets none.
func compileRegime(name string, g *scenarios.Regime, b *scenarios.Behaviour) regime {
	rg := regime{
		name: name, reported: g.ReportedIndicators, reports: g.ReportsPerYear.Value,
		audit: g.AuditRate.Value, risk: g.Targeting == "risk", focus: g.RiskFocus.Value,
		sensitive: g.Sensitivity.Value, regContract: b.Admin.ContractHours.Value,
		review: g.ClaimReview.Value, penalty: g.ReviewPenalty.Value,
	}
	// Unset, the behaviour's value applies (read here, not defaulted at load, so
	// that an uncertain or swept behaviour value reaches every regime).
	if g.RegionHours.IsSet() {
		rg.regContract = g.RegionHours.Value
	}
	if s := g.Sanctions; s != nil {
		rg.hasSanctions, rg.clawback, rg.vite = true, s.Clawback.Value, s.Vite.Value
	}
	return rg
}

// feeOf is the rule's visit fee for a visit of kind k, before fee_schedule and the
// provider's price multiplier.
func (ru *rule) feeOf(k int) float64 {
	if ru.kindSet[k] {
		return ru.kindFee[k]
	}
	return ru.fee
}

// feeMult is the rule's fee_schedule multiplier in year index y (0 = the first year).
func (ru *rule) feeMult(y int) float64 {
	if len(ru.feeYear) == 0 {
		return 1
	}
	return ru.feeYear[min(max(y, 0), len(ru.feeYear)-1)]
}
