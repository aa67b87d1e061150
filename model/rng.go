package model

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Randomness. Every draw comes from a PCG stream keyed by (seed, replication, slot,
// period, purpose, index), so a draw never depends on which worker made it, on the order
// providers are visited, or on what other variants contain: variants run on common random
// numbers, and a variant identical to the baseline gives identical results.

// Purposes of random streams; their values are part of the reproducibility contract.
const (
	purposeAttr     = 1  // provider attributes, index = attribute
	purposeVisits   = 2  // realised visits, index = need group
	purposeNoise    = 3  // decision noise, index = need group
	purposeMeasure  = 4  // measured quality at a report
	purposeAudit    = 5  // whether an audit happens and what it finds
	purposeEntry    = 6  // LOV entrants, slot = cohort, index = area
	purposeTransfer = 7  // LOL/LOF transfers and LOU re-tendering
	purposeIndic    = 8  // indicator measurement at year end, index = indicator
	purposeNewEst   = 9  // LOL/LOF new establishments, slot = cohort
	purposeGenAttr  = 10 // attributes of a later holder of a slot, index = generation·64 + attribute
	purposeEpisode  = 11 // episode arrivals (issue 14), slot = the episodes' key, index = risk class
)

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// baseKey hashes (seed, replication, slot, period): the part of a stream's key shared
// by all the draws a provider makes in one period.
func baseKey(seed uint64, rep int, slot uint64, period int) uint64 {
	h := splitmix(seed)
	h = splitmix(h ^ uint64(rep))
	h = splitmix(h ^ slot)
	return splitmix(h ^ uint64(period+1))
}

// streamKey derives the two PCG seed words of one stream from its base key.
func streamKey(base uint64, purpose, index int) (uint64, uint64) {
	h := splitmix(base ^ (uint64(purpose)<<32 | uint64(uint32(index))))
	return h, h ^ 0x5851f42d4c957f2d
}

// stream is a reseedable random source: one per worker, reseeded for every key, so a draw
// costs no allocation.
type stream struct {
	pcg  rand.PCG
	r    *rand.Rand
	seed uint64
	rep  int
	base uint64 // cached baseKey for (slot, period) of the last call to period
}

func newStream(seed uint64, rep int) *stream {
	s := &stream{seed: seed, rep: rep}
	s.r = rand.New(&s.pcg)
	return s
}

// at positions the stream at a key and returns its generator.
func (s *stream) at(slot uint64, period, purpose, index int) *rand.Rand {
	hi, lo := streamKey(baseKey(s.seed, s.rep, slot, period), purpose, index)
	s.pcg.Seed(hi, lo)
	return s.r
}

// period fixes (slot, period) for the draws that follow with sub; a provider's step
// hashes its key once rather than once per draw.
func (s *stream) period(slot uint64, period int) { s.base = baseKey(s.seed, s.rep, slot, period) }

// sub positions the stream at (purpose, index) within the period fixed by period.
func (s *stream) sub(purpose, index int) *rand.Rand {
	hi, lo := streamKey(s.base, purpose, index)
	s.pcg.Seed(hi, lo)
	return s.r
}

// normalPoisson is the mean above which Poisson draws use the corrected normal
// approximation; its error in any quantile is then below one visit in a hundred.
const normalPoisson = 30

// poisson draws a Poisson variate: multiplication for small means, Hörmann's PTRS
// transformed rejection (as in numpy) for moderate ones, the normal approximation for
// large ones.
//
// A NaN mean draws 0: validation keeps means finite, and a NaN that slipped through
// must not turn the rejection loop below into an endless one.
func poisson(r *rand.Rand, lam float64) float64 {
	if !(lam > 0) {
		return 0
	}
	if lam >= normalPoisson {
		// The normal approximation with a Cornish–Fisher correction for the skewness
		// 1/√λ: one draw instead of a rejection loop with logarithms.
		z := r.NormFloat64()
		return maxf(0, math.Round(lam+math.Sqrt(lam)*z+(z*z-1)/6))
	}
	if lam < 10 {
		l := math.Exp(-lam)
		k := 0.0
		p := r.Float64()
		for p > l {
			k++
			p *= r.Float64()
		}
		return k
	}
	slam := math.Sqrt(lam)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lam + 0.43)
		if us >= 0.07 && v <= vr {
			return k
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lam+k*math.Log(lam)-lg {
			return k
		}
	}
}

// noiseTableSize is the resolution of the decision-noise table.
const noiseTableSize = 4096

// lognormalTable holds the quantiles of the multiplicative decision noise
// exp(σ·z − σ²/2), z standard normal, at (i + ½)/size: a draw is one uniform and a table
// lookup instead of a normal draw and an exponential, in the engine's hottest loop. The
// discretisation leaves the mean within 0.1 % of 1 for σ up to 1 and cuts the tails at
// about ±3.5 standard deviations.
type lognormalTable struct {
	q [noiseTableSize]float64
}

func newLognormalTable(sigma float64) *lognormalTable {
	t := &lognormalTable{}
	n := distuv.UnitNormal
	for i := range t.q {
		z := n.Quantile((float64(i) + 0.5) / noiseTableSize)
		t.q[i] = math.Exp(sigma*z - sigma*sigma/2)
	}
	return t
}

// draw maps 64 random bits to a table entry.
func (t *lognormalTable) draw(bits uint64) float64 {
	return t.q[bits>>(64-12)]
}
