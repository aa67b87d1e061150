package model

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ersim/scenarios"
)

// benchPlan compiles the embedded stockholm scenario's baseline.
func benchPlan(b *testing.B, reps, workers int) *Plan {
	f, err := scenarios.LoadEmbedded("stockholm")
	if err != nil {
		b.Fatal(err)
	}
	pl, err := NewPlan(f, nil, reps, workers)
	if err != nil {
		b.Fatal(err)
	}
	pl.Variants = pl.Variants[:1]
	pl.ProviderReps = 0
	return pl
}

// providerPeriods counts a replication's provider-periods: one provider, one period.
func providerPeriods(v *Variant) float64 {
	n := 0
	for _, c := range v.cohorts {
		n += c.count
	}
	return float64(n * v.periods)
}

type discard struct{}

func (discard) Add(*Rep) {}

// BenchmarkStockholm runs replications of the stockholm baseline through the engine on
// 1 and 2 workers and reports provider-periods per second (the start-of-run provider
// count times the periods; entrants and exits roughly balance).
func BenchmarkStockholm(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			const reps = 8
			pl := benchPlan(b, reps, workers)
			pp := providerPeriods(pl.Variants[0]) * reps
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				if err := Run(context.Background(), pl, discard{}, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(pp*float64(b.N)/time.Since(start).Seconds(), "provider-periods/s")
		})
	}
}

// BenchmarkStep steps every provider of a stockholm replication through one period, the
// engine's inner loop, without the region's events.
func BenchmarkStep(b *testing.B) {
	pl := benchPlan(b, 1, 1)
	v := pl.Variants[0]
	s := newSim(v, 0)
	n := 0
	b.ReportAllocs()
	start := time.Now()
	t := 0
	for b.Loop() {
		for i := range s.providers {
			if p := &s.providers[i]; p.active {
				s.step(p, t%v.periods)
				n++
			}
		}
		t++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "provider-periods/s")
}

// BenchmarkCeiling is the machine's own scaling ceiling for issue 17's target: a pure
// arithmetic loop (a PCG draw and a few multiply-adds per step, no memory traffic)
// split over 1 and 2 goroutines; steps/s on 2 over steps/s on 1 is what two workers
// can gain at best. Run it beside BenchmarkStockholm and compare the ratios.
func BenchmarkCeiling(b *testing.B) {
	const steps = 1 << 24
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			sink := make([]float64, workers)
			start := time.Now()
			for b.Loop() {
				done := make(chan struct{})
				for w := range workers {
					go func() {
						r := newStream(uint64(w+1), 0).at(1, 0, 0, w)
						x := 0.0
						for i := 0; i < steps/workers; i++ {
							x = x*0.999999 + float64(r.Uint64()>>11)*0x1p-53
						}
						sink[w] = x
						done <- struct{}{}
					}()
				}
				for range workers {
					<-done
				}
			}
			b.ReportMetric(float64(steps)*float64(b.N)/time.Since(start).Seconds(), "steps/s")
		})
	}
}

// BenchmarkStepCeiling is the engine's own scaling ceiling: BenchmarkStep's inner loop
// (every provider of a stockholm replication stepped through a period, no region events)
// on 1 and 2 goroutines, each with a sim of its own and nothing shared, splitting a
// fixed number of periods between them. Its 2-on-1 ratio is what two workers can gain on
// this machine for this kind of work (memory traffic and all, unlike BenchmarkCeiling's
// register-only loop); BenchmarkStockholm's ratio beside it shows what partitioning
// replications across workers loses (issue 17).
func BenchmarkStepCeiling(b *testing.B) {
	const periods = 24
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			pl := benchPlan(b, 1, 1)
			v := pl.Variants[0]
			sims := make([]*sim, workers)
			for w := range sims {
				sims[w] = newSim(v, w)
			}
			n := 0
			for i := range sims[0].providers {
				if sims[0].providers[i].active {
					n++
				}
			}
			start := time.Now()
			for b.Loop() {
				done := make(chan struct{})
				for w := range workers {
					go func() {
						s := sims[w]
						for t := range periods / workers {
							for i := range s.providers {
								if p := &s.providers[i]; p.active {
									s.step(p, t%v.periods)
								}
							}
						}
						done <- struct{}{}
					}()
				}
				for range workers {
					<-done
				}
			}
			b.ReportMetric(float64(n*periods)*float64(b.N)/time.Since(start).Seconds(), "provider-periods/s")
		})
	}
}

// BenchmarkMarkets runs the LOV market events that can repeat on the same state — the
// markets' member lists, cream-skimming and patients' choice — over a stockholm
// replication stepped through its first year (exit and entry change the state for good
// and are left out).
func BenchmarkMarkets(b *testing.B) {
	s := afterFirstYear(benchPlan(b, 1, 1).Variants[0])
	for b.Loop() {
		s.buildMarkets()
		s.skim()
		s.choose()
	}
}

// afterFirstYear is a replication of v stepped through its first year, region events
// included.
func afterFirstYear(v *Variant) *sim {
	s := newSim(v, 0)
	for t := range v.periodsPerYr {
		for i := range s.providers {
			if p := &s.providers[i]; p.active {
				s.step(p, t)
			}
		}
		s.region(t)
	}
	return s
}

// scaledPlan is benchPlan with the region k times as large: k times the residents and k
// times the providers of every cohort, so lists, markets and every region event grow k-fold
// while each provider's own work stays what it was.
func scaledPlan(b *testing.B, k, reps int) *Plan {
	f, err := scenarios.LoadEmbedded("stockholm")
	if err != nil {
		b.Fatal(err)
	}
	f.Variants = f.Variants[:1]
	sc := f.Variants[0].Scenario
	sc.Population.Residents.Value *= float64(k)
	for _, c := range sc.Cohorts {
		c.Count *= k
	}
	pl, err := NewPlan(f, nil, reps, 1)
	if err != nil {
		b.Fatal(err)
	}
	pl.ProviderReps = 0
	return pl
}

// BenchmarkScale is issue 17's check that the engine is linear in the size of the region:
// stockholm's baseline at 1, 2 and 4 times its residents and providers, one replication on
// one worker (region events included: entry, exit, choice, skimming, redistribution).
// Linear work keeps ns/provider-period constant across the sizes; work quadratic in the
// market would double it at each doubling. BenchmarkScale/markets does the same for the
// LOV market passes alone (BenchmarkMarkets' events), per provider.
func BenchmarkScale(b *testing.B) {
	for _, k := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("run/x%d", k), func(b *testing.B) {
			pl := scaledPlan(b, k, 1)
			pp := providerPeriods(pl.Variants[0])
			for b.Loop() {
				if err := Run(context.Background(), pl, discard{}, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/(pp*float64(b.N)), "ns/provider-period")
		})
	}
	for _, k := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("markets/x%d", k), func(b *testing.B) {
			s := afterFirstYear(scaledPlan(b, k, 1).Variants[0])
			for b.Loop() {
				s.buildMarkets()
				s.skim()
				s.choose()
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/(float64(len(s.providers))*float64(b.N)), "ns/provider")
		})
	}
}
