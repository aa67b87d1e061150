package scenarios

import "testing"

// Every parameter is listed with its source, inherited from a table's [sources] entry,
// or as an assumption.
func TestParametersCarrySources(t *testing.T) {
	f, err := LoadEmbedded("stockholm")
	if err != nil {
		t.Fatal(err)
	}
	params := Parameters(f.Variants[0].Scenario)
	if len(params) < 100 {
		t.Fatalf("only %d parameters listed", len(params))
	}
	byPath := map[string]ParamInfo{}
	for _, p := range params {
		if p.Source == "" && !p.Assumption {
			t.Errorf("%s = %s has neither a source nor the assumption mark", p.Path, p.Value)
		}
		byPath[p.Path] = p
	}
	if p := byPath["behaviour.motivation.kappa"]; p.Source == "" {
		t.Errorf("kappa's default carries no note: %+v", p)
	}
	if got := sourceFor(map[string]string{"rules.x.indicators": "VGR 2016"}, "rules.x.indicators[3].weight"); got != "VGR 2016" {
		t.Errorf("prefix source: got %q", got)
	}
}
