package scenarios

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every plausible maximum is at least ten times the largest value of its key in every
// variant of the shipped, validation and test scenarios (for a distribution, its upper tail), so that the
// bounds refuse typing mistakes, not scenarios.
func TestPlausibleBoundsLeaveRoom(t *testing.T) {
	var files []*File
	for _, info := range List() {
		f, err := LoadEmbedded(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	paths, _ := filepath.Glob("../validation/scenarios/*.toml")
	paths = append(paths, "../model/testdata/small.toml", "../model/testdata/ceilings.toml")
	for _, p := range paths {
		f, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < 10 {
		t.Fatalf("only %d scenarios found", len(files))
	}
	for _, f := range files {
		for _, r := range f.Variants {
			for _, p := range Parameters(r.Scenario) {
				m := plausible(p.Path)
				if math.IsInf(m, 1) {
					continue
				}
				x, err := strconv.ParseFloat(p.Value, 64)
				if err != nil {
					tg, err := findParam(r.Scenario, p.Path)
					if err != nil || tg.sub != "" {
						continue
					}
					x = upperTail(*tg.param)
				}
				if 10*x > m {
					t.Errorf("%s, variant %s: %s = %s is within a factor 10 of its plausible maximum %s", f.Name, r.Name, p.Path, p.Value, fmtNum(m))
				}
			}
		}
	}
}

// Values a few orders of magnitude too large are refused with a message naming the
// key, its bound and where the bounds are documented.
func TestImplausibleValuesRefused(t *testing.T) {
	cases := []struct{ from, to, path string }{
		{"optimal_visits_per_year = 2.5", "optimal_visits_per_year = 1e300", "optimal_visits_per_year"},
		{"fte = 4", "fte = { dist = \"normal\", mean = 5, sd = 1e300, min = 0.5 }", "fte"},
		{"fee = 300", "fee = 3e12", "visit_fee.fee"},
		{"residents = 10000", "residents = 1e12", "population.residents"},
	}
	for _, c := range cases {
		if !strings.Contains(validText, c.from) {
			t.Fatalf("validText has no %q", c.from)
		}
		_, err := Parse("big.toml", []byte(strings.Replace(validText, c.from, c.to, 1)))
		if err == nil || !IsInputError(err) {
			t.Errorf("%s: %v, want an input error", c.to, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, c.path) || !strings.Contains(msg, "implausibly large") || !strings.Contains(msg, "plausibility bound") {
			t.Errorf("%s: %q, want the key, 'implausibly large' and the bound", c.to, msg)
		}
	}
}
