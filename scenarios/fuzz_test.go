package scenarios

import (
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
