// Package docs holds ersim's documentation. The scenario reference is embedded so that
// the web front end's editor shows each key's unit, default and meaning from the same
// text the reader of docs/scenario-reference.md sees.
package docs

import _ "embed"

// ScenarioReference is docs/scenario-reference.md.
//
//go:embed scenario-reference.md
var ScenarioReference string
