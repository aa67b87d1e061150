package scenarios

import (
	"math"
	"strings"
	"testing"
)

const calibPrior = `
[uncertainty.params."behaviour.admin.hours_per_claim"]
dist = "uniform"
min = 0.01
max = 0.3
`

const calibOK = `
[calibration]
params = ["behaviour.admin.hours_per_claim"]

[[calibration.targets]]
name = "admin"
metric = "admin_share"
observed = 0.05
se = 0.002
`

// A valid [calibration] section gets its defaults; each kind of mistake is refused with
// the key that is wrong.
func TestCalibrationSection(t *testing.T) {
	f, err := Parse("cal.toml", []byte(validText+calibPrior+calibOK))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Base.Calibration
	if c.Replications != 10 || c.Particles != 200 || c.MaxGenerations != 8 || c.Targets[0].Estimator != "mean" || c.Targets[0].StdErr() != 0.002 {
		t.Errorf("defaults: %+v", c)
	}
	for _, r := range f.Variants {
		if r.Scenario.Calibration != nil || strings.Contains(r.Text, "[calibration") {
			t.Errorf("variant %s carries the calibration section; it belongs to the file", r.Name)
		}
	}
	cases := []struct{ name, text, path, msg string }{
		{"no prior", calibOK, "calibration.params[0]", "has no prior"},
		{"unknown estimator", calibPrior + strings.Replace(calibOK, `metric = "admin_share"`, "metric = \"admin_share\"\nestimator = \"median\"", 1), "calibration.targets[0].estimator", "not an estimator"},
		{"ratio without of", calibPrior + strings.Replace(calibOK, `metric = "admin_share"`, "metric = \"admin_share\"\nestimator = \"ratio\"", 1), "calibration.targets[0].of", "is missing"},
		{"no se", calibPrior + strings.Replace(calibOK, "se = 0.002", "", 1), "calibration.targets[0].se", "uncertainty is missing"},
		{"bad interval", calibPrior + strings.Replace(calibOK, "se = 0.002", "interval = [0.06, 0.04]", 1), "calibration.targets[0].interval", "not an interval"},
		{"unknown variant", calibPrior + strings.Replace(calibOK, `metric = "admin_share"`, "metric = \"admin_share\"\nvariant = \"tomorrow\"", 1), "calibration.targets[0].variant", "not a variant"},
		{"unknown group", calibPrior + strings.Replace(calibOK, `metric = "admin_share"`, "metric = \"admin_share\"\ngroup = \"old\"", 1), "calibration.targets[0].group", "not a need group"},
		{"no observed", calibPrior + strings.Replace(calibOK, "observed = 0.05", "", 1), "calibration.targets[0].observed", "missing"},
		{"range and observed", calibPrior + strings.Replace(calibOK, "se = 0.002", "range = [0.04, 0.06]", 1), "calibration.targets[0].range", "both observed and range"},
		{"range and interval", calibPrior + strings.Replace(strings.Replace(calibOK, "observed = 0.05", "range = [0.04, 0.06]", 1), "se = 0.002", "interval = [0.04, 0.06]", 1), "calibration.targets[0].interval", "both range and interval"},
		{"empty range", calibPrior + strings.Replace(calibOK, "observed = 0.05", "range = [0.06, 0.04]", 1), "calibration.targets[0].range", "not a range"},
		{"half-open range without se", calibPrior + strings.Replace(strings.Replace(calibOK, "observed = 0.05", "range = [0, inf]", 1), "se = 0.002", "", 1), "calibration.targets[0].se", "missing"},
		{"replications without validation", calibPrior + strings.Replace(calibOK, "observed = 0.05", "observed = 0.05\nreplications = 3", 1), "calibration.targets[0].replications", "does not take replications"},
		{"too few particles", calibPrior + strings.Replace(calibOK, "[calibration]", "[calibration]\nparticles = 3", 1), "calibration.particles", "out of range"},
	}
	// A model discrepancy adds to the standard error in quadrature; a negative one is refused.
	if f, err := Parse("cal.toml", []byte(validText+calibPrior+strings.Replace(calibOK, "se = 0.002", "se = 0.002\ndiscrepancy = 0.0015", 1))); err != nil {
		t.Errorf("discrepancy: %v", err)
	} else if sc := f.Base.Calibration.Targets[0].Scale(); math.Abs(sc-0.0025) > 1e-15 {
		t.Errorf("scale with discrepancy %g, want 0.0025", sc)
	}
	if _, err := Parse("cal.toml", []byte(validText+calibPrior+strings.Replace(calibOK, "se = 0.002", "se = 0.002\ndiscrepancy = -1", 1))); err == nil || !strings.Contains(err.Error(), "calibration.targets[0].discrepancy") {
		t.Errorf("a negative discrepancy: %v", err)
	}
	// A range, finite or half-open with se, is a target too.
	for _, r := range []struct {
		text           string
		lo, hi, centre float64
		se             float64
	}{
		{strings.Replace(strings.Replace(calibOK, "observed = 0.05", "range = [0.04, 0.06]", 1), "se = 0.002", "", 1), 0.04, 0.06, 0.05, 0.02 / 3.92},
		{strings.Replace(calibOK, "observed = 0.05", "range = [0, inf]", 1), 0, math.Inf(1), 0, 0.002},
	} {
		f, err := Parse("cal.toml", []byte(validText+calibPrior+r.text))
		if err != nil {
			t.Errorf("range target: %v", err)
			continue
		}
		tg := &f.Base.Calibration.Targets[0]
		if lo, hi := tg.Bounds(); lo != r.lo || hi != r.hi || tg.Centre() != r.centre || math.Abs(tg.StdErr()-r.se) > 1e-15 {
			t.Errorf("range target: bounds [%g, %g], centre %g, se %g; want [%g, %g], %g, %g", lo, hi, tg.Centre(), tg.StdErr(), r.lo, r.hi, r.centre, r.se)
		}
	}
	for _, tc := range cases {
		_, err := Parse("cal.toml", []byte(validText+tc.text))
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.path+": ") || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), "cal.toml:") {
			t.Errorf("%s: %v, want %s: … %s with its line", tc.name, err, tc.path, tc.msg)
		}
	}
}
