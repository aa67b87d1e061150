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
	mdRE      = regexp.MustCompile("[`*]")
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

// docFor finds the reference's doc of a concrete key path: a variant's override is
// documented where the key it sets is, and an [uncertainty] entry under its own table.
func docFor(path string) keyDoc {
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
	if d, ok := ref[p]; ok {
		return d
	}
	// A number written as { value = …, source = … } is documented as the number.
	if base, last, ok := cutLast(p); ok && (last == "value") {
		return ref[base]
	}
	return keyDoc{}
}

func cutLast(p string) (string, string, bool) {
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return "", p, false
	}
	return p[:i], p[i+1:], true
}
