package server

import (
	"regexp"
	"strings"
	"sync"

	"ersim/docs"
)

// keyDoc is what docs/scenario-reference.md says of a key: its unit, default and
// meaning, as the reader of the reference sees them.
type keyDoc struct{ Unit, Default, Meaning string }

var (
	refOnce sync.Once
	refDocs map[string]keyDoc
	// A section heading of the reference: "## [population]", "### [[rules.NAME.indicators]]".
	refHeadRE = regexp.MustCompile(`^#{2,3} \[{1,2}([^\]]+)\]{1,2}\s*$`)
	refKeyRE  = regexp.MustCompile("^`([a-z0-9_]+)`")
	idxRE     = regexp.MustCompile(`\[\d+\]`)
	// Markdown's code ticks and bold marks; a lone * is text (s*, the patient optimum).
	mdRE = regexp.MustCompile("`|\\*\\*")
)

// reference parses the reference's key tables into a map from a general key path
// (names of cohorts, rules, regimes and variants as *, list indices as []) to its doc.
func reference() map[string]keyDoc {
	refOnce.Do(func() {
		refDocs = map[string]keyDoc{}
		prefix, inTable := "", false
		for _, line := range strings.Split(docs.ScenarioReference, "\n") {
			switch {
			case strings.HasPrefix(line, "## Top level"):
				prefix, inTable = "", false
			case strings.HasPrefix(line, "#"):
				inTable = false
				if m := refHeadRE.FindStringSubmatch(line); m != nil {
					p := m[1]
					for _, name := range []string{".NAME", `."KEY.PATH"`} {
						p = strings.ReplaceAll(p, name, ".*")
					}
					if strings.HasPrefix(line, "## [[") || strings.HasPrefix(line, "### [[") {
						p += "[]"
					}
					prefix = p
				} else {
					prefix = "?"
				}
			case strings.HasPrefix(line, "| key | unit | default |"):
				inTable = true
			case inTable && strings.HasPrefix(line, "| `") && prefix != "?":
				cells := strings.Split(strings.Trim(line, "| "), " | ")
				m := refKeyRE.FindStringSubmatch(cells[0])
				if m == nil || len(cells) < 5 {
					continue
				}
				path := m[1]
				if prefix != "" {
					path = prefix + "." + path
				}
				clean := func(s string) string { return strings.TrimSpace(mdRE.ReplaceAllString(s, "")) }
				refDocs[path] = keyDoc{Unit: clean(cells[1]), Default: clean(cells[2]), Meaning: clean(strings.Join(cells[4:], " | "))}
			}
		}
	})
	return refDocs
}

var (
	refSvOnce sync.Once
	refSvDocs map[string]keyDoc
)

// referenceSv parses docs/scenario-reference.sv.tsv: the Swedish unit and meaning of
// each general key path of reference().
func referenceSv() map[string]keyDoc {
	refSvOnce.Do(func() {
		refSvDocs = map[string]keyDoc{}
		for i, line := range strings.Split(docs.ScenarioReferenceSv, "\n") {
			cells := strings.Split(strings.TrimSuffix(line, "\r"), "\t")
			if i == 0 || len(cells) != 3 {
				continue
			}
			refSvDocs[cells[0]] = keyDoc{Unit: cells[1], Meaning: cells[2]}
		}
	})
	return refSvDocs
}

// docForLang is docFor with the unit and meaning in the page's language: the Swedish
// translation where there is one, else the reference's English.
func docForLang(path, l string) keyDoc {
	d := docFor(path)
	if l == "sv" {
		if sv, ok := referenceSv()[refKey(path)]; ok {
			d.Unit, d.Meaning = sv.Unit, sv.Meaning
		}
	}
	return d
}

// localise puts the form's units, meanings and what the validator allows into the
// page's language.
func localise(groups []group, l string) []group {
	if l != "sv" {
		return groups
	}
	for gi := range groups {
		for fi := range groups[gi].Fields {
			f := &groups[gi].Fields[fi]
			d := docForLang(f.Path, l)
			if f.Unit != "" && d.Unit != "" && d.Unit != "—" {
				f.Unit = d.Unit
			}
			if f.Meaning != "" && d.Meaning != "" {
				f.Meaning = d.Meaning
			}
			f.Allowed = allowedIn(f.Allowed, l)
		}
	}
	return groups
}

// docFor finds the reference's doc of a concrete key path: a variant's override is
// documented where the key it sets is, and an [uncertainty] entry under its own table.
func docFor(path string) keyDoc {
	if k := refKey(path); k != "" {
		return reference()[k]
	}
	return keyDoc{}
}

// refKey is the general key path under which the reference documents a concrete one,
// or "" when it does not.
func refKey(path string) string {
	if rest, ok := strings.CutPrefix(path, "variants."); ok {
		if _, after, ok := strings.Cut(rest, ".set."); ok {
			path = after
		}
	}
	p := idxRE.ReplaceAllString(path, "[]")
	parts := strings.SplitN(p, ".", 3)
	if len(parts) >= 2 {
		switch parts[0] {
		case "cohorts", "rules", "regimes", "variants":
			parts[1] = "*"
		}
	}
	p = strings.Join(parts, ".")
	ref := reference()
	if _, ok := ref[p]; ok {
		return p
	}
	// A number written as { value = …, source = … } is documented as the number.
	if base, last, ok := cutLast(p); ok && (last == "value") {
		if _, ok := ref[base]; ok {
			return base
		}
	}
	return ""
}

func cutLast(p string) (string, string, bool) {
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return "", p, false
	}
	return p[:i], p[i+1:], true
}
