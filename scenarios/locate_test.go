package scenarios

import "testing"

const locatorText = `# comment [not.a.table]
title = "x # not a comment" # a comment
"quoted.key" = 1
a.b . c = 2 # dotted

[population]
residents = 1
[[population.need_groups]]
name = "low"
[[population.need_groups]]
name = "high"
share = 0.5

[rules.x]
capitation = { per_person_year = 2500, extra = { z = 2 } }
prices = [
  1, # one
  [2, 3],
  "]", # a bracket in a string
]
notes = """
key = 1
[fake.table]
"""
after = 'literal # not a comment'
lit = '''
[[fake.array]]
'''
indicators = [ { name = "a", weight = 0.1 },
  { name = "b", weight = 0.2 } ]

[[rules.x.more]]
name = "i0"
[[rules.x.more]]
name = "i1"
[[rules.x.more]]
name = "i2"
weight = 0.3

[[arr]]
[[arr.sub]]
k = 1
[[arr]]
[[arr.sub]]
k = 2
[arr.sub.deep]
z = 3

[ spaced . "header" ]
v = 1
`

func TestLocatorLines(t *testing.T) {
	l := newLocator(locatorText)
	cases := []struct {
		path string
		line int
	}{
		{"title", 2},
		{`"quoted.key"`, 3},
		{"quoted.key", 0}, // a quoted key with a dot is one key, not two
		{"a", 4},
		{"a.b", 4},
		{"a.b.c", 4},
		{"a.b.c.d", 4}, // longest written prefix
		{"population", 6},
		{"population.residents", 7},
		{"population.need_groups", 8},
		{"population.need_groups[0]", 8},
		{"population.need_groups[0].name", 9},
		{"population.need_groups[1]", 10},
		{"population.need_groups[1].name", 11},
		{"population.need_groups[1].share", 12},
		{"population.need_groups[1].cost_weight", 10},
		{"population.need_groups[7].share", 8},
		{"population.need_groups.share", 12}, // BurntSushi's keys have no indices
		{"rules.x", 14},
		{"rules", 14},
		{"rules.x.capitation", 15},
		{"rules.x.capitation.per_person_year", 15},
		{"rules.x.capitation.extra.z", 15},
		{"rules.x.prices", 16},
		{"rules.x.prices[0]", 17},
		{"rules.x.prices[1]", 18},
		{"rules.x.prices[2]", 19},
		{"rules.x.notes", 21},
		{"fake", 0},
		{"fake.table", 0},
		{"key", 0},
		{"rules.x.after", 25},
		{"rules.x.lit", 26},
		{"rules.x.indicators[0].weight", 29},
		{"rules.x.indicators[1].name", 30},
		{"rules.x.indicators[1]", 30},
		{"rules.x.more[0]", 32},
		{"rules.x.more[2].name", 37},
		{"rules.x.more[2].weight", 38},
		{"rules.x.more[2].upper", 36},
		{"arr[0]", 40},
		{"arr[0].sub[0].k", 42},
		{"arr[1].sub[0]", 44},
		{"arr[1].sub[0].k", 45},
		{"arr[1].sub[0].deep.z", 47},
		{`spaced.header.v`, 50},
		{`spaced."header"`, 49},
		{"nowhere.at.all", 0},
		{"", 0},
	}
	for _, tc := range cases {
		if got := l.line(tc.path); got != tc.line {
			t.Errorf("line(%q) = %d, want %d", tc.path, got, tc.line)
		}
	}
}

func TestLocatorHas(t *testing.T) {
	l := newLocator(locatorText)
	for path, want := range map[string]bool{
		"title":                            true,
		"population.need_groups":           true,
		"population.need_groups[1].share":  true,
		"population.need_groups[1].weight": false,
		"rules.x.capitation.extra":         true,
		"rules.x.indicators[1].weight":     true,
		"rules.x.indicators[2]":            false,
		"rules.x.more[2]":                  true,
		"a.b":                              true,
		"a.b.c.d":                          false,
		"fake.table":                       false,
		"quoted.key":                       false,
		`"quoted.key"`:                     true,
	} {
		if got := l.has(path); got != want {
			t.Errorf("has(%q) = %v, want %v", path, got, want)
		}
	}
}

// An explicit header is located at its own line even when a longer key implied the table
// before.
func TestLocatorExplicitWins(t *testing.T) {
	l := newLocator("[a.b]\nx = 1\n[a]\ny = 2\n")
	if got := l.line("a"); got != 3 {
		t.Errorf("line(a) = %d, want 3", got)
	}
	if got := l.line("a.b.x"); got != 2 {
		t.Errorf("line(a.b.x) = %d, want 2", got)
	}
}

func TestLocatorOddInput(t *testing.T) {
	for _, text := range []string{
		"", "\n", "[", "[[", "[a", "[[a]", "a", "a =", "a = {", "a = [", `a = "`, `a = """`, "a = '''",
		"a = { b = [ { c = 1 }", "=\n=", "\ufeffa = 1", "a.\"b\\", "[a]]\n[[a]]]",
		"a = [" + string(make([]byte, 100)) + "]",
	} {
		l := newLocator(text)
		l.line("a.b[0].c")
		l.has("a")
	}
	l := newLocator("\ufeffa = 1\r\nb = 2\r\n")
	if l.line("a") != 1 || l.line("b") != 2 {
		t.Errorf("BOM and CRLF: line(a) = %d, line(b) = %d", l.line("a"), l.line("b"))
	}
	// Deep nesting is cut off, not recursed into.
	deep := "a = " + repeat("[", 100000) + "\nb = 1\n"
	if got := newLocator(deep).line("b"); got != 2 {
		t.Errorf("after deep nesting: line(b) = %d, want 2", got)
	}
}

func repeat(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}

func TestSplitPath(t *testing.T) {
	for path, want := range map[string]string{
		"a.b[1].c":        "a|b|[1]|c",
		`a."b.c".d`:       `a|"b.c"|d`,
		`a.'b.c'`:         `a|"b.c"`,
		`a."plain"`:       "a|plain",
		"a[x].b":          `a|"[x]"|b`,
		"cohorts.a b.fte": `cohorts|"a b"|fte`,
		`sources."x\"y"`:  `sources|"x\"y"`,
		"":                "",
		`a."unterminated`: `a|unterminated`,
		"need_groups[12]": "need_groups|[12]",
	} {
		got := ""
		for i, s := range splitPath(path) {
			if i > 0 {
				got += "|"
			}
			got += s
		}
		if got != want {
			t.Errorf("splitPath(%q) = %s, want %s", path, got, want)
		}
	}
}
