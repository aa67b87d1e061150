package scenarios

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// Every template parses and validates, without warnings (issue 15: ersim init).
func TestTemplatesValidate(t *testing.T) {
	names := TemplateNames()
	if len(names) < 3 {
		t.Fatalf("templates %v", names)
	}
	for _, n := range names {
		text, err := Template(n)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(n+".toml", text)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if len(f.Warnings) > 0 {
			t.Errorf("%s: warnings %q", n, f.Warnings)
		}
		if !strings.HasPrefix(string(text), "#") {
			t.Errorf("%s: does not start with a comment saying what it is", n)
		}
	}
	if _, err := Template("nope"); err == nil || !IsInputError(err) {
		t.Errorf("an unknown template: %v", err)
	}
}

// Every shipped scenario, template and validation scenario passes the JSON Schema, and
// the schema catches an unknown key, a wrong type and a value out of bounds.
func TestSchema(t *testing.T) {
	b, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	check := func(name string, text []byte) []string {
		var doc map[string]any
		if _, err := toml.Decode(string(text), &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return CheckSchema(schema, doc)
	}
	var files []string
	for _, i := range List() {
		files = append(files, i.Name+".toml")
	}
	val, _ := filepath.Glob("../validation/scenarios/*.toml")
	for _, p := range append(files, val...) {
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if probs := check(p, text); len(probs) > 0 {
			t.Errorf("%s: %q", p, probs)
		}
	}
	for _, n := range TemplateNames() {
		text, _ := Template(n)
		if probs := check(n, text); len(probs) > 0 {
			t.Errorf("template %s: %q", n, probs)
		}
	}
	base, _ := Template("lov-primary-care")
	for _, c := range []struct{ old, new, want string }{
		{"horizon_years = 3", "horizon_years = 3\nhorizn = 2", `unknown key "horizn"`},
		{"count = 30", `count = "thirty"`, "cohorts.vc.count: want a whole number"},
		{`form = "LOV"`, `form = "LOW"`, `"LOW" is not one of`},
		{"audit_rate = { value = 0.2", "audit_rate = { value = 20", "regimes.standard.audit_rate"},
	} {
		probs := check("bad", []byte(strings.Replace(string(base), c.old, c.new, 1)))
		if !strings.Contains(strings.Join(probs, "\n"), c.want) {
			t.Errorf("%s → %s: %q, want %q", c.old, c.new, probs, c.want)
		}
	}
}
