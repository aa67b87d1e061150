package model

import (
	"testing"
	"time"

	"ersim/scenarios"
)

// benchPlan compiles the embedded stockholm scenario's baseline.
func benchPlan(b *testing.B) *Plan {
	f, err := scenarios.LoadEmbedded("stockholm")
	if err != nil {
		b.Fatal(err)
	}
	pl, err := NewPlan(f, nil, 1, 1)
	if err != nil {
		b.Fatal(err)
	}
	pl.ProviderReps = 0
	return pl
}

func providerPeriods(v *Variant) float64 {
	s := newSim(v, 0)
	n := 0
	for _, c := range v.cohorts {
		n += c.count
	}
	_ = s
	return float64(n * v.periods)
}

// BenchmarkReplication simulates whole replications of the stockholm baseline on one
// worker and reports provider-periods per second.
func BenchmarkReplication(b *testing.B) {
	pl := benchPlan(b)
	v := pl.Variants[0]
	pp := providerPeriods(v)
	b.ReportAllocs()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		simulate(pl, 0, i)
	}
	b.ReportMetric(pp*float64(b.N)/time.Since(start).Seconds(), "provider-periods/s")
}
