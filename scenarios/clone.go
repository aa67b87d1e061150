package scenarios

import (
	"reflect"
	"sync"
)

// Clone returns a deep copy of sc, sharing only its Uncertainty (which is read-only).
func Clone(sc *Scenario) *Scenario {
	if sc == nil {
		return nil
	}
	return deepCopy(reflect.ValueOf(sc)).Interface().(*Scenario)
}

var uncertaintyType = reflect.TypeFor[*Uncertainty]()

func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || v.Type() == uncertaintyType {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(deepCopy(v.Elem()))
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v) // scalars, unexported fields included
		for _, i := range deepFields(v.Type()) {
			n.Field(i).Set(deepCopy(v.Field(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			n.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(deepCopy(v.Elem()))
		return n
	}
	return v
}

// deepFieldsOf caches deepFields by struct type.
var deepFieldsOf sync.Map // reflect.Type → []int

// deepFields returns the indices of t's exported fields that hold something deepCopy
// copies deeply; the rest (numbers, strings, switches, arrays, and structs of only
// these, such as Param) the struct's own copy has copied. A calibration clones every
// validation scenario at every evaluation; visiting every field of every Param took an
// evaluation from a median of 206 to 217 ms (issue 17).
func deepFields(t reflect.Type) []int {
	if f, ok := deepFieldsOf.Load(t); ok {
		return f.([]int)
	}
	var f []int
	for i := range t.NumField() {
		if sf := t.Field(i); sf.IsExported() && needsDeep(sf.Type) {
			f = append(f, i)
		}
	}
	deepFieldsOf.Store(t, f)
	return f
}

// needsDeep reports whether deepCopy of a value of type t differs from the value itself.
func needsDeep(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer:
		return t != uncertaintyType
	case reflect.Map, reflect.Slice, reflect.Interface:
		return true
	case reflect.Struct:
		return len(deepFields(t)) > 0
	}
	return false
}
