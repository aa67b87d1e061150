package scenarios

import (
	"embed"
	"sort"
	"strings"
)

//go:embed templates/*.toml
var templates embed.FS

// TemplateNames lists the templates of "ersim init" (issue 15), in name order.
func TemplateNames() []string {
	entries, err := templates.ReadDir("templates")
	if err != nil {
		panic("scenarios: embedded templates unreadable: " + err.Error())
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	sort.Strings(out)
	return out
}

// Template returns a template's TOML.
func Template(name string) ([]byte, error) {
	b, err := templates.ReadFile("templates/" + name + ".toml")
	if err != nil {
		return nil, &InputError{File: name, Path: "--template", Msg: "no template of that name", Allowed: strings.Join(TemplateNames(), ", ")}
	}
	return b, nil
}
