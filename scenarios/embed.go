package scenarios

import (
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

//go:embed *.toml
var embedded embed.FS

// Default is the scenario `ersim run` uses when given none.
const Default = "stockholm"

// Info is an embedded scenario's name and one-line description.
type Info struct {
	Name, Title string
	// TitleSv is the title in Swedish ([labels.sv]), or "" when the file gives none.
	TitleSv string
}

// List returns the embedded scenarios in name order.
func List() []Info {
	entries, err := embedded.ReadDir(".")
	if err != nil {
		panic("scenarios: embedded files unreadable: " + err.Error())
	}
	var out []Info
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".toml")
		text, _ := embedded.ReadFile(e.Name())
		var head struct {
			Title  string `toml:"title"`
			Labels map[string]struct {
				Title string `toml:"title"`
			} `toml:"labels"`
		}
		// A decoding error here is a bug in a shipped file; the tests load every one.
		_, _ = toml.Decode(string(text), &head)
		out = append(out, Info{Name: name, Title: head.Title, TitleSv: head.Labels["sv"].Title})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Text returns the TOML of an embedded scenario.
func Text(name string) ([]byte, error) {
	text, err := embedded.ReadFile(name + ".toml")
	if err != nil {
		var names []string
		for _, i := range List() {
			names = append(names, i.Name)
		}
		return nil, &InputError{File: name, Msg: "no embedded scenario of that name", Allowed: strings.Join(names, ", ")}
	}
	return text, nil
}

// LoadEmbedded loads and validates an embedded scenario.
func LoadEmbedded(name string) (*File, error) {
	text, err := Text(name)
	if err != nil {
		return nil, err
	}
	return Parse(fmt.Sprintf("embedded:%s", name), text)
}
