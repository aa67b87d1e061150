package model

import (
	"context"
	"fmt"
	"math"
	"sync"
)

// Calibration passes (MODEL.md §7). Both run the variant on the first
// calibration_replications replications — the same random numbers the run itself uses —
// and adjust prices until the pilot's payments hit their targets:
//
//   - a rule with a [mix] gets the prices that make each component's revenue per listed
//     person-year equal its share of revenue_per_person_year, given the visits providers
//     actually make at those prices;
//   - a budget-neutral variant gets one scale factor on all its prices so that its
//     expected payments equal the baseline's.

const (
	mixIterations     = 8
	neutralIterations = 8
	calibrationTol    = 1e-4 // mix prices: relative change of a price
	neutralTol        = 5e-4 // budget neutrality: relative gap in payments
)

// pilot is the summed rule accounts and total payments of a variant's pilot replications.
type pilot struct {
	rules    []ruleAcc
	payments float64
	provYrs  []float64 // provider-years per rule
}

// runPilot runs the pilot replications of v. scratch holds a finished sim per worker
// whose buffers the next pilot of the same variant reuses (newSimFrom), so that a
// calibration's repeated pilots do not allocate a region's providers each time (issue
// 17); its length is the number of workers runPilot uses, pilotWorkers.
func runPilot(ctx context.Context, v *Variant, reps, workers int, scratch []*sim) (*pilot, error) {
	type out struct {
		rules    []ruleAcc
		payments float64
		provYrs  []float64
	}
	outs := make([]out, reps)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := range pilotWorkers(workers, reps) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := range next {
				s := newSimFrom(v, rep, scratch[w])
				scratch[w] = s
				prov := make([]float64, len(v.rules))
				for t := range v.periods {
					for i := range s.providers {
						if p := &s.providers[i]; p.active {
							s.step(p, t)
							prov[v.cohorts[p.cohort].rule] += 1 / float64(v.periodsPerYr)
						}
					}
					s.region(t)
				}
				total := 0.0
				for f := range s.forms {
					total += s.forms[f].payments()
				}
				outs[rep] = out{s.rules, total, prov}
			}
		}()
	}
	for rep := range reps {
		if ctx.Err() != nil {
			break
		}
		next <- rep
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pi := &pilot{rules: make([]ruleAcc, len(v.rules)), provYrs: make([]float64, len(v.rules))}
	for _, o := range outs { // in replication order, so sums do not depend on scheduling
		for r := range o.rules {
			for c := range nComps {
				pi.rules[r].pay[c] += o.rules[r].pay[c]
			}
			pi.rules[r].personYears += o.rules[r].personYears
			pi.rules[r].gross += o.rules[r].gross
			pi.provYrs[r] += o.provYrs[r]
		}
		pi.payments += o.payments
	}
	pi.payments /= float64(reps)
	return pi, nil
}

// pilotWorkers is the number of workers runPilot uses.
func pilotWorkers(workers, reps int) int { return max(1, min(workers, reps)) }

// Calibrate sets prices derived from revenue shares and scales budget-neutral variants.
func Calibrate(ctx context.Context, pl *Plan) error {
	reps := max(1, pl.Variants[0].calibReps)
	cache := map[string]ruleAcc{}
	for _, v := range pl.Variants {
		for r := range v.rules {
			if v.rules[r].mix != nil && v.usesRule(r) {
				if err := calibrateMix(ctx, v, r, reps, pl.Workers, cache); err != nil {
					return err
				}
			}
		}
	}
	if !anyNeutral(pl) {
		return nil
	}
	base := pl.Variants[0]
	pi, err := runPilot(ctx, base, reps, pl.Workers, make([]*sim, pilotWorkers(pl.Workers, reps)))
	if err != nil {
		return err
	}
	for _, v := range pl.Variants[1:] {
		if v.BudgetNeutral {
			if err := calibrateNeutral(ctx, v, changedRules(base, v), pi.payments, reps, pl.Workers); err != nil {
				return err
			}
		}
	}
	return nil
}

func anyNeutral(pl *Plan) bool {
	for _, v := range pl.Variants[1:] {
		if v.BudgetNeutral {
			return true
		}
	}
	return false
}

func (v *Variant) usesRule(r int) bool {
	for _, c := range v.cohorts {
		if c.rule == r && c.count > 0 {
			return true
		}
	}
	return false
}

// only returns a copy of the variant with only the cohorts using rule r: a rule's
// prices depend on its own providers, so its calibration need not simulate the rest.
// Providers keep their identities, and with them their random draws.
func (v *Variant) only(r int) *Variant {
	sub := *v
	sub.cohorts = nil
	for _, c := range v.cohorts {
		if c.rule == r {
			sub.cohorts = append(sub.cohorts, c)
		}
	}
	return &sub
}

// fingerprint identifies everything a rule's calibration depends on, so that a rule
// shared by several variants is calibrated once. The visit kinds and episodes are part of
// it: a variant that changes only a kind's cost changes the volume its prices must pay
// for (TestMixPricesFollowVisitKinds).
func (v *Variant) fingerprint(r int) string {
	ru := v.rules[r]
	mix := *ru.mix
	ru.mix = nil
	var regimes []regime
	for _, c := range v.cohorts {
		if c.rule == r {
			regimes = append(regimes, v.regimes[c.regime])
		}
	}
	var ep episodeSpec
	if v.ep != nil {
		ep = *v.ep
	}
	return fmt.Sprintf("%+v|%+v|%+v|%+v|%+v|%+v|%+v|%d|%d|%d|%d|%g|%g|%g|%g|%+v|%t|%t|%t|%+v", ru, mix, v.cohorts, regimes,
		v.beh, v.groups, v.areas, v.seed, v.periodsPerYr, v.burnIn, v.years, v.residents, v.growth, v.healthValue, v.discountRate,
		v.kinds, v.hasKinds, v.substitutes, v.ep != nil, ep)
}

func calibrateMix(ctx context.Context, v *Variant, r, reps, workers int, cache map[string]ruleAcc) error {
	ru := &v.rules[r]
	sub := v.only(r)
	key := sub.fingerprint(r)
	if done, ok := cache[key]; ok {
		ru.fee, ru.casePrice, ru.budget = done.prices.fee, done.prices.casePrice, done.prices.budget
		return nil
	}
	m := ru.mix
	rev := m.RevenuePerPersonYear.Value
	scratch := make([]*sim, pilotWorkers(workers, reps))
	var feeStep, caseStep secantStep
	for range mixIterations {
		pi, err := runPilot(ctx, sub, reps, workers, scratch)
		if err != nil {
			return err
		}
		ra := &pi.rules[r]
		if ra.personYears == 0 {
			break
		}
		worst := 0.0
		factor := func(share, paid float64) float64 {
			if share <= 0 || paid <= 0 {
				return 1
			}
			f := share * rev * ra.personYears / paid
			worst = math.Max(worst, math.Abs(f-1))
			return f
		}
		ru.fee *= feeStep.next(factor(m.Visit.Value, ra.pay[compVisit]))
		f := caseStep.next(factor(m.Case.Value, ra.pay[compCase]))
		for g := range ru.casePrice {
			ru.casePrice[g] *= f
		}
		if m.Budget.Value > 0 && pi.provYrs[r] > 0 {
			want := m.Budget.Value * rev * ra.personYears / pi.provYrs[r]
			if ru.budget > 0 {
				worst = math.Max(worst, math.Abs(want/ru.budget-1))
			} else {
				worst = 1
			}
			ru.budget = want
		}
		if worst < calibrationTol {
			break
		}
	}
	cache[key] = ruleAcc{prices: rulePrices{fee: ru.fee, casePrice: ru.casePrice, budget: ru.budget}}
	return nil
}

// changedRules returns the rules a variant uses that the baseline does not use in the
// same way: a cohort moved to another rule, or a rule whose terms differ. Only these are
// scaled for budget neutrality — the national tariff, for one, is not the region's to
// scale. If the variant changes no rule (only follow-up), all its rules are scaled.
func changedRules(base, v *Variant) []int {
	baseRule := map[string]*rule{}
	for _, c := range base.cohorts {
		baseRule[c.name] = &base.rules[c.rule]
	}
	seen := map[int]bool{}
	var out []int
	for _, c := range v.cohorts {
		b, ok := baseRule[c.name]
		ru := &v.rules[c.rule]
		if !seen[c.rule] && (!ok || b.name != ru.name || b.text != ru.text) {
			seen[c.rule] = true
			out = append(out, c.rule)
		}
	}
	if len(out) == 0 {
		for r := range v.rules {
			out = append(out, r)
		}
	}
	return out
}

// calibrateNeutral finds the scale on the changed rules' prices that gives the target
// payments, by the secant method on the pilot replications.
func calibrateNeutral(ctx context.Context, v *Variant, rules []int, target float64, reps, workers int) error {
	scratch := make([]*sim, pilotWorkers(workers, reps))
	eval := func(k float64) (float64, error) {
		v.priceScale = k
		for _, r := range rules {
			v.rules[r].scale = k
		}
		pi, err := runPilot(ctx, v, reps, workers, scratch)
		if err != nil {
			return 0, err
		}
		return pi.payments - target, nil
	}
	k0 := 1.0
	f0, err := eval(k0)
	if err != nil {
		return err
	}
	if target == 0 || math.Abs(f0) <= neutralTol*math.Abs(target) {
		return nil
	}
	// First step: as if the changed rules' payments were proportional to their prices.
	k1 := 1 - f0/target
	for range neutralIterations {
		f1, err := eval(k1)
		if err != nil {
			return err
		}
		if math.Abs(f1) <= neutralTol*math.Abs(target) || f1 == f0 {
			return nil
		}
		k0, k1, f0 = k1, k1-f1*(k1-k0)/(f1-f0), f1
		if k1 <= 0 {
			k1 = k0 / 2
		}
	}
	_, err = eval(k1)
	return err
}

// secantStep accelerates a price's fixed-point iteration. The plain step multiplies the
// price by f = target / paid, which converges only as fast as the payments are
// proportional to the price: where volume answers the price with elasticity e, payments
// go as price^(1+e) and the error is multiplied by −e a step (0.19 for stockholm's
// hospitals; −0.4, overshooting, for its detailed LOV fee, which did not converge in 8
// steps). The
// secant step divides log f by the slope d log paid / d log price estimated from the
// last two steps, when that slope is plausible (0.2 to 5); otherwise it takes the plain
// step.
type secantStep struct {
	r, dx float64 // log f at the last step and the log price's change it made
	have  bool
}

// next returns the factor to multiply the price by, given the plain step's factor f.
func (s *secantStep) next(f float64) float64 {
	if f == 1 {
		return 1
	}
	r := math.Log(f)
	step := r
	if s.have && s.r != r {
		// The last step moved the log price by s.dx, and r = log f fell by slope × s.dx.
		if slope := (s.r - r) / s.dx; slope >= 0.2 && slope <= 5 {
			step = r / slope
		}
	}
	s.r, s.dx, s.have = r, step, true
	if step == r {
		return f
	}
	return math.Exp(step)
}
