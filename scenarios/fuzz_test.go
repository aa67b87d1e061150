package scenarios

import (
	"math"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text to Parse: it must never panic, and every error must be
// an input error (exit status 2), never an internal failure.
func FuzzParse(f *testing.F) {
	seeds := []string{
		validText,
		strings.Replace(validText, "count = 10", "count = -3", 1),
		strings.Replace(validText, "share = 0.6", "share = nan", 1),
		strings.Replace(validText, `dist = "beta"`, `dist = "normal"`, 1),
		strings.Replace(validText, "fee = 300", "fee = { dist = \"gamma\", mean = 1, sd = 1 }", 1),
		strings.Replace(validText, "[variants.more_fee.set.rules.lov.visit_fee]", "[[variants.more_fee.set.population.need_groups]]", 1),
		strings.Replace(validText, "[[population.need_groups]]", "[population.need_groups]", 1),
		strings.Replace(validText, "[cohorts.lov_gp]", "[cohorts.\"a.b c\"]", 1),
		validText[:len(validText)/2],
		"",
		"a = [\n1,\n",
		"x = \"\"\"\n[a]\n\"\"\"\n[[b]]\nc = { d = [ {e = 1} ] }",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	for _, info := range List() {
		if text, err := Text(info.Name); err == nil {
			f.Add(text)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("fuzz.toml", data)
		if err != nil && !IsInputError(err) {
			t.Fatalf("error is not an input error: %T %v", err, err)
		}
		l := newLocator(string(data))
		l.line(string(data))
		l.has(string(data))
	})
}

// FuzzUncertaintyDraws adds an arbitrary [uncertainty] distribution for one of the keys of
// validText to it: the section must be refused with an input error, or every draw of
// it must be finite and keep every variant of the scenario valid.
func FuzzUncertaintyDraws(f *testing.F) {
	keys := []string{"behaviour.admin.hours_per_claim", "cohorts.lov_gp.altruism.a", "rules.lov.visit_fee.fee",
		"population.need_groups[0].share", "behaviour.quality.substitution", "cohorts.lov_gp.fte"}
	for i, body := range []string{
		"dist = \"uniform\"\nmin = 0.05\nmax = 0.3",
		"dist = \"gamma\"\nmean = 2\nsd = 0.5",
		"dist = \"lognormal\"\nmean = 300\nsd = 60",
		"dist = \"beta\"\na = 6\nb = 4",
		"dist = \"normal\"\nmean = 0.5\nsd = 0.1\nmin = 0\nmax = 1",
		"dist = \"triangular\"\nmin = 2\nmode = 4\nmax = 9",
		"dist = \"uniform\"\nmin = nan\nmax = 0.3",
		"dist = \"gamma\"\nshape = 0.001\nscale = 1e300",
	} {
		f.Add(uint8(i), body)
	}
	f.Fuzz(func(t *testing.T, k uint8, body string) {
		key := keys[int(k)%len(keys)]
		text := validText + "\n[uncertainty.params.\"" + key + "\"]\n" + body + "\n"
		file, err := Parse("fuzz.toml", []byte(text))
		if err != nil {
			if !IsInputError(err) {
				t.Fatalf("error is not an input error: %T %v", err, err)
			}
			return
		}
		u := file.Base.Uncertainty
		for rep := range 20 {
			draws := u.Sample(1, rep)
			for i, x := range draws {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("replication %d draws %s = %g", rep, u.Keys()[i], x)
				}
			}
			for _, r := range file.Variants {
				if _, err := file.ApplyDraws(r.Name, u.Keys(), draws); err != nil {
					t.Fatalf("replication %d: the draws %v make variant %s invalid: %v", rep, draws, r.Name, err)
				}
			}
		}
	})
}
