package model_test

import (
	"strings"
	"testing"
)

// A budget-neutral variant's prices are scaled so that its payments equal the
// baseline's, within Monte Carlo error.
func TestBudgetNeutrality(t *testing.T) {
	f := loadSmall(t, func(s string) string {
		return strings.Replace(s, `description = "visit-heavy, more indicators"`,
			"description = \"visit-heavy, more indicators\"\nbudget_neutral = true", 1)
	})
	col := runFile(t, f, 16, 2)
	pay := col.CellIndex("payments", -1, -1)
	d := col.Diff(1, pay)
	mean, sd := 0.0, 0.0
	for _, x := range d {
		mean += x
	}
	mean /= float64(len(d))
	for _, x := range d {
		sd += (x - mean) * (x - mean)
	}
	sd = (sd / float64(len(d)-1))
	mcse := sqrt(sd / float64(len(d)))
	base := 0.0
	for _, x := range col.Column(0, pay) {
		base += x / float64(len(d))
	}
	if abs(mean) > 3*mcse+1e-3*base {
		t.Errorf("budget-neutral variant pays %.4g more than the baseline (mcse %.3g, baseline %.4g)", mean, mcse, base)
	}
	if s := col.Plan.Variants[1].PriceScale(); s >= 1 {
		t.Errorf("price scale %g: a visit-heavier variant should need lower prices to be neutral", s)
	}
}
