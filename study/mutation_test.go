package study

import (
	"context"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ersim/model"
	"ersim/scenarios"
)

// TestMutants mutates every numeric parameter of every shipped scenario, one at a
// time: negative, zero, NaN, infinite and huge. Each mutant must either be refused
// with an input error that names the key, or run a replication of the baseline to
// completion with finite headline metrics. (Wrong types and deleted keys are the text
// mutants of TestTextMutants.) It takes every 10th key (ERSIM_MUTANTS=all: every key,
// about six minutes on two cores).
func TestMutants(t *testing.T) {
	values := []float64{-1, 0, math.NaN(), math.Inf(1), 1e300}
	step := mutantStep(10)
	for _, info := range scenarios.List() {
		f, err := Load(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		one := 1
		Override(f, nil, &one)
		pl, err := model.NewPlan(f, []string{}, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		refused, ran, fixed := 0, 0, 0
		params := scenarios.Parameters(f.Base)
		for i := 0; i < len(params); i += step {
			key := params[i].Path
			if scenarios.CheckValue(f.Base, key, 1) != nil && scenarios.CheckValue(f.Base, key, 0.5) != nil {
				// Not a number that can be set alone (a count, a switch, a run
				// setting, a share of a group that must sum to 1): the text mutants
				// cover it.
				fixed++
				continue
			}
			for _, v := range values {
				err := scenarios.CheckValue(f.Base, key, v)
				if err != nil {
					refused++
					if !scenarios.IsInputError(err) || !strings.Contains(err.Error(), lastName(key)) {
						t.Errorf("%s: %s = %g: %v, want an input error naming the key", info.Name, key, v, err)
					}
					continue
				}
				ran++
				if msg := runMutant(pl, f, []string{key}, []float64{v}); msg != "" {
					t.Errorf("%s: %s = %g was accepted but %s", info.Name, key, v, msg)
				}
			}
		}
		t.Logf("%s: %d parameters, %d mutants refused, %d ran, %d keys not settable alone", info.Name, len(params), refused, ran, fixed)
	}
}

// lastName is the last name of a key path, without an index.
func lastName(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	if i := strings.IndexByte(key, '['); i >= 0 {
		key = key[:i]
	}
	return key
}

// runMutant runs one replication of the baseline with keys set to values (none: as it
// is); it returns what went wrong, or "".
func runMutant(pl *model.Plan, f *scenarios.File, keys []string, values []float64) string {
	run := pl
	if len(keys) > 0 {
		var err error
		if run, err = pl.At(f, keys, values); err != nil {
			return "does not compile: " + err.Error()
		}
	}
	cells := headlineCells(run, model.Headline)
	var bad []string
	sink := sinkFunc(func(r *model.Rep) {
		if r.Err != nil {
			bad = append(bad, r.Err.Error())
			return
		}
		for m, c := range cells {
			if c >= 0 && (math.IsNaN(r.Values[c]) || math.IsInf(r.Values[c], 0)) {
				bad = append(bad, fmt.Sprintf("%s = %g", model.Headline[m], r.Values[c]))
			}
		}
	})
	if err := model.RunReps(context.Background(), run, 0, 1, sink, nil); err != nil {
		return "does not run: " + err.Error()
	}
	if len(bad) > 0 {
		return "gives " + strings.Join(bad, ", ")
	}
	return ""
}

// mutantStep is the step between the keys mutated: every step-th, or every one with
// ERSIM_MUTANTS=all.
func mutantStep(step int) int {
	if os.Getenv("ERSIM_MUTANTS") == "all" {
		return 1
	}
	return step
}

// keyLine matches a line that sets a key: `name = value`.
var keyLine = regexp.MustCompile(`^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$`)

// TestTextMutants edits the text of each shipped scenario one key at a time: the value
// replaced by one of the wrong type, or the line deleted. Each mutant must be refused
// with an input error naming the key, or run a replication of the baseline with finite
// headline metrics. It takes every 12th line that sets a key (ERSIM_MUTANTS=all: every
// one).
func TestTextMutants(t *testing.T) {
	step := mutantStep(12)
	for _, info := range scenarios.List() {
		text, err := scenarios.Text(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(text), "\n")
		var at []int
		for i, l := range lines {
			// Not a line that opens a multi-line array or string: its value goes on below.
			if m := keyLine.FindStringSubmatch(l); m != nil && !strings.HasSuffix(m[3], "[") && !strings.HasPrefix(m[3], `"""`) && !strings.HasPrefix(m[3], "'''") {
				at = append(at, i)
			}
		}
		refused, ran := 0, 0
		for j := 0; j < len(at); j += step {
			i := at[j]
			m := keyLine.FindStringSubmatch(lines[i])
			wrong := `"x"`
			if strings.HasPrefix(m[3], `"`) {
				wrong = "1"
			}
			for _, mut := range []struct{ what, line string }{
				{"of the wrong type", m[1] + m[2] + " = " + wrong},
				{"deleted", ""},
			} {
				edited := slices.Clone(lines)
				edited[i] = mut.line
				f, err := scenarios.Parse(info.Name+".toml", []byte(strings.Join(edited, "\n")))
				if err != nil {
					refused++
					if !scenarios.IsInputError(err) || !strings.Contains(err.Error(), m[2]) {
						t.Errorf("%s line %d, %s %s: %v, want an input error naming %s", info.Name, i+1, m[2], mut.what, err, m[2])
					}
					continue
				}
				ran++
				one := 1
				Override(f, nil, &one)
				pl, err := model.NewPlan(f, []string{}, 1, 1)
				if err != nil {
					t.Errorf("%s line %d, %s %s: accepted but does not compile: %v", info.Name, i+1, m[2], mut.what, err)
					continue
				}
				if msg := runMutant(pl, f, nil, nil); msg != "" {
					t.Errorf("%s line %d, %s %s: accepted but %s", info.Name, i+1, m[2], mut.what, msg)
				}
			}
		}
		t.Logf("%s: %d lines set a key, %d mutants refused, %d ran", info.Name, len(at), refused, ran)
	}
}
