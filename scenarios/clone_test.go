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

// A clone of every shipped scenario equals it and shares no pointer, map or slice with
// it but the [uncertainty] section: deepCopy skips only what holds none (deepFields).
func TestCloneSharesNothing(t *testing.T) {
	for _, info := range List() {
		name := info.Name
		f, err := LoadEmbedded(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range f.Variants {
			c := Clone(r.Scenario)
			if !reflect.DeepEqual(c, r.Scenario) {
				t.Fatalf("%s/%s: the clone differs", name, r.Name)
			}
			if p := shared(reflect.ValueOf(c), reflect.ValueOf(r.Scenario), "scenario"); p != "" {
				t.Errorf("%s/%s: the clone shares %s", name, r.Name, p)
			}
		}
	}
}

// shared returns the path of the first pointer, map or slice a and b share, or "".
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if a.IsNil() {
			return ""
		}
		if a.Type() == uncertaintyType {
			return ""
		}
		if a.Kind() != reflect.Slice || a.Len() > 0 {
			if a.Pointer() == b.Pointer() {
				return path
			}
		}
		switch a.Kind() {
		case reflect.Pointer:
			return shared(a.Elem(), b.Elem(), path)
		case reflect.Slice:
			for i := range a.Len() {
				if p := shared(a.Index(i), b.Index(i), path+"[]"); p != "" {
					return p
				}
			}
		case reflect.Map:
			it := a.MapRange()
			for it.Next() {
				if p := shared(it.Value(), b.MapIndex(it.Key()), path+"."+it.Key().String()); p != "" {
					return p
				}
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
					return p
				}
			}
		}
	case reflect.Interface:
		if !a.IsNil() {
			return shared(a.Elem(), b.Elem(), path)
		}
	}
	return ""
}
