package model

import (
	"reflect"
	"testing"
)

func TestLatinHypercube(t *testing.T) {
	const n, dims = 17, 3
	a := LatinHypercube(n, dims, 42)
	if !reflect.DeepEqual(a, LatinHypercube(n, dims, 42)) {
		t.Error("the sample does not reproduce from the seed")
	}
	if reflect.DeepEqual(a, LatinHypercube(n, dims, 43)) {
		t.Error("another seed gives the same sample")
	}
	for d := range dims {
		seen := make([]int, n)
		for _, p := range a {
			if p[d] < 0 || p[d] >= 1 {
				t.Fatalf("dimension %d: %g outside [0, 1)", d, p[d])
			}
			seen[int(p[d]*n)]++
		}
		for k, c := range seen {
			if c != 1 {
				t.Errorf("dimension %d: stratum %d holds %d points, want 1", d, k, c)
			}
		}
	}
}
