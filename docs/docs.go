// Package docs holds ersim's documentation. The scenario reference is embedded so that
// the web front end's editor shows each key's unit, default and meaning from the same
// text the reader of docs/scenario-reference.md sees.
package docs

import _ "embed"

// ScenarioReference is docs/scenario-reference.md.
//
//go:embed scenario-reference.md
var ScenarioReference string

// ScenarioReferenceSv is docs/scenario-reference.sv.tsv: the reference's units and
// meanings in Swedish, one key path a line (path, unit, meaning, separated by tabs), for
// the editor's Swedish pages. A test in the server package checks that it covers every
// key of the reference and no other.
//
//go:embed scenario-reference.sv.tsv
var ScenarioReferenceSv string
