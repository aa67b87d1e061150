package scenarios

import (
	"reflect"
	"testing"
)

// Clone copies everything a variant may change, deeply, and shares only the read-only
// [uncertainty] section.
func TestClone(t *testing.T) {
	f := parseUncertain(t, uncertainText)
	sc := f.Base
	c := Clone(sc)
	if !reflect.DeepEqual(c, sc) {
		t.Fatalf("the clone differs from the scenario")
	}
	if c.Uncertainty != sc.Uncertainty {
		t.Errorf("the clone has its own [uncertainty]")
	}
	before := Encode(sc)
	c.Cohorts["lov_gp"].Altruism.A = 99
	c.Population.NeedGroups[0].Share.Value = 0.123
	c.Rules["lov"].Indicators[0].Weight.Value = 0.456
	if Encode(sc) != before {
		t.Errorf("changing the clone changed the scenario")
	}
	if Clone(nil) != nil {
		t.Errorf("Clone(nil) is not nil")
	}
}
