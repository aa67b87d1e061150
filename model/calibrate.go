package model

import (
	"context"
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
	mixIterations     = 6
	neutralIterations = 8
	calibrationTol    = 1e-4
)

// pilot is the summed rule accounts and total payments of a variant's pilot replications.
type pilot struct {
	rules    []ruleAcc
	payments float64
	provYrs  []float64 // provider-years per rule
}

func runPilot(ctx context.Context, v *Variant, reps, workers int) (*pilot, error) {
	type out struct {
		rules    []ruleAcc
		payments float64
		provYrs  []float64
	}
	outs := make([]out, reps)
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, min(workers, reps)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := range next {
				s := newSim(v, rep)
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

// Calibrate sets prices derived from revenue shares and scales budget-neutral variants.
func Calibrate(ctx context.Context, pl *Plan) error {
	reps := calibrationReps(pl)
	for _, v := range pl.Variants {
		if err := calibrateMix(ctx, v, reps, pl.Workers); err != nil {
			return err
		}
	}
	var target float64
	for i, v := range pl.Variants {
		if i == 0 {
			if !anyNeutral(pl) {
				return nil
			}
			pi, err := runPilot(ctx, v, reps, pl.Workers)
			if err != nil {
				return err
			}
			target = pi.payments
			continue
		}
		if v.BudgetNeutral {
			if err := calibrateNeutral(ctx, v, target, reps, pl.Workers); err != nil {
				return err
			}
		}
	}
	return nil
}

func calibrationReps(pl *Plan) int {
	return max(1, pl.Variants[0].calibReps)
}

func anyNeutral(pl *Plan) bool {
	for _, v := range pl.Variants[1:] {
		if v.BudgetNeutral {
			return true
		}
	}
	return false
}

func calibrateMix(ctx context.Context, v *Variant, reps, workers int) error {
	hasMix := false
	for i := range v.rules {
		hasMix = hasMix || v.rules[i].mix != nil
	}
	if !hasMix {
		return nil
	}
	for range mixIterations {
		pi, err := runPilot(ctx, v, reps, workers)
		if err != nil {
			return err
		}
		worst := 0.0
		for r := range v.rules {
			ru := &v.rules[r]
			m := ru.mix
			ra := &pi.rules[r]
			if m == nil || ra.personYears == 0 {
				continue
			}
			rev := m.RevenuePerPersonYear.Value
			adjust := func(price *float64, share float64, paid float64) {
				if share <= 0 || paid <= 0 {
					return
				}
				want := share * rev * ra.personYears
				f := want / paid
				worst = math.Max(worst, math.Abs(f-1))
				*price *= f
			}
			adjust(&ru.fee, m.Visit.Value, ra.pay[compVisit])
			if ru.hasCase {
				f := 1.0
				if paid := ra.pay[compCase]; paid > 0 && m.Case.Value > 0 {
					f = m.Case.Value * rev * ra.personYears / paid
					worst = math.Max(worst, math.Abs(f-1))
				}
				for g := range ru.casePrice {
					ru.casePrice[g] *= f
				}
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
		}
		if worst < calibrationTol {
			break
		}
	}
	return nil
}

// calibrateNeutral finds the price scale that gives the target payments by the secant
// method on the pilot replications.
func calibrateNeutral(ctx context.Context, v *Variant, target float64, reps, workers int) error {
	eval := func(k float64) (float64, error) {
		v.priceScale = k
		pi, err := runPilot(ctx, v, reps, workers)
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
	if target == 0 || f0 == 0 {
		return nil
	}
	k1 := target / (f0 + target)
	for range neutralIterations {
		f1, err := eval(k1)
		if err != nil {
			return err
		}
		if math.Abs(f1) <= calibrationTol*math.Abs(target) || f1 == f0 {
			break
		}
		k0, k1, f0 = k1, k1-f1*(k1-k0)/(f1-f0), f1
		if k1 <= 0 {
			k1 = k0 / 2
		}
	}
	v.priceScale = k1
	return nil
}
