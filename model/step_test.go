package model

import (
	"testing"

	"ersim/scenarios"
)

// A provider-period allocates nothing: the hot loop runs on fixed-size per-provider state
// and reseeded random streams.
func TestStepDoesNotAllocate(t *testing.T) {
	f, err := scenarios.Load("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Variants {
		v, err := Compile(r)
		if err != nil {
			t.Fatal(err)
		}
		s := newSim(v, 0)
		t0 := 0
		allocs := testing.AllocsPerRun(20, func() {
			for i := range s.providers {
				if p := &s.providers[i]; p.active {
					s.step(p, t0%v.periods)
				}
			}
			t0++
		})
		if allocs != 0 {
			t.Errorf("variant %s: %g allocations per period of provider steps, want 0", r.Name, allocs)
		}
	}
}
