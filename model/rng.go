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

// A stream's base key hashes (seed, replication, slot, period): the part of its key
// shared by all the draws a provider makes in one period. repKey hashes (seed,
// replication), the same for all of a replication's draws, so a stream computes it
// once (issue 17); periodKey adds the slot and period.
func repKey(seed uint64, rep int) uint64 {
	return splitmix(splitmix(seed) ^ uint64(rep))
}

// periodKey finishes the base key from repKey.
func periodKey(h, slot uint64, period int) uint64 {
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
	key  uint64 // repKey(seed, rep)
	base uint64 // cached base key for (slot, period) of the last call to period
}

func newStream(seed uint64, rep int) *stream {
	s := &stream{seed: seed, rep: rep, key: repKey(seed, rep)}
	s.r = rand.New(&s.pcg)
	return s
}

// at positions the stream at a key and returns its generator.
func (s *stream) at(slot uint64, period, purpose, index int) *rand.Rand {
	hi, lo := streamKey(periodKey(s.key, slot, period), purpose, index)
	s.pcg.Seed(hi, lo)
	return s.r
}

// period fixes (slot, period) for the draws that follow with sub; a provider's step
// hashes its key once rather than once per draw.
func (s *stream) period(slot uint64, period int) { s.base = periodKey(s.key, slot, period) }

// sub positions the stream at (purpose, index) within the period fixed by period.
func (s *stream) sub(purpose, index int) *rand.Rand {
	hi, lo := streamKey(s.base, purpose, index)
	s.pcg.Seed(hi, lo)
	return s.r
}

// src positions the stream at (purpose, index) within the period fixed by period, as
// sub does, and returns its PCG itself: poisson draws from it directly (uniform and
// normal below) rather than through rand.Rand's interface call per draw.
func (s *stream) src(purpose, index int) *rand.PCG {
	s.sub(purpose, index)
	return &s.pcg
}

// srcAt is src for a key of its own, as at.
func (s *stream) srcAt(slot uint64, period, purpose, index int) *rand.PCG {
	s.at(slot, period, purpose, index)
	return &s.pcg
}

// uniform is rand.New(src).Float64(): the same bits, the same value.
func uniform(src *rand.PCG) float64 {
	return float64(src.Uint64()<<11>>11) / (1 << 53)
}

// normal is rand.New(src).NormFloat64(), math/rand/v2's ziggurat (Marsaglia and Tsang
// 2000) on the same tables, drawing the same numbers (TestDirectDrawsMatchRand).
func normal(src *rand.PCG) float64 {
	for {
		u := src.Uint64()
		j := int32(u) // possibly negative
		i := u >> 32 & 0x7F
		x := float64(j) * float64(zigW[i])
		aj := uint32(j)
		if j < 0 {
			aj = uint32(-j)
		}
		if aj < zigK[i] {
			return x // more than 99 % of draws
		}
		if i == 0 {
			// The base strip's tail.
			for {
				x = -math.Log(uniform(src)) * (1.0 / zigR)
				y := -math.Log(uniform(src))
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigR + x
			}
			return -zigR - x
		}
		if zigF[i]+float32(uniform(src))*(zigF[i-1]-zigF[i]) < float32(math.Exp(-.5*x*x)) {
			return x
		}
	}
}

// normalPoisson is the mean above which Poisson draws use the corrected normal
// approximation: its total variation distance from Poisson is then at most 0.00078 (at
// λ = 30, less above) and its largest CDF difference 0.00044, computed exactly by
// TestPoissonApproximationError; TestPoissonDrawsFit checks the draws' moments and fit.
const normalPoisson = 30

// lgammaInts holds math.Lgamma(k+1) for k = 0, 1, …: the exact values PTRS's
// rejection test would compute, looked up rather than recomputed (issue 17).
var lgammaInts = func() (t [256]float64) {
	for k := range t {
		t[k], _ = math.Lgamma(float64(k) + 1)
	}
	return t
}()

// poisson draws a Poisson variate from src: multiplication for small means, Hörmann's
// PTRS transformed rejection (as in numpy) for moderate ones, the normal approximation
// for large ones.
//
// A NaN mean draws 0: validation keeps means finite, and a NaN that slipped through
// must not turn the rejection loop below into an endless one.
func poisson(src *rand.PCG, lam float64) float64 {
	if !(lam > 0) {
		return 0
	}
	if lam >= normalPoisson {
		// The normal approximation with a Cornish–Fisher correction for the skewness
		// 1/√λ: one draw instead of a rejection loop with logarithms.
		z := normal(src)
		return maxf(0, math.Round(lam+math.Sqrt(lam)*z+(z*z-1)/6))
	}
	if lam < 10 {
		l := math.Exp(-lam)
		k := 0.0
		p := uniform(src)
		for p > l {
			k++
			p *= uniform(src)
		}
		return k
	}
	slam := math.Sqrt(lam)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	// log(invalpha) and log(λ) are constant over the loop: computed once, when the
	// rejection test is first needed.
	logInvalpha, logLam := 0.0, 0.0
	logs := false
	for {
		u := uniform(src) - 0.5
		v := uniform(src)
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lam + 0.43)
		if us >= 0.07 && v <= vr {
			return k
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		var lg float64
		if k < float64(len(lgammaInts)) {
			lg = lgammaInts[int(k)]
		} else {
			lg, _ = math.Lgamma(k + 1)
		}
		if !logs {
			logInvalpha, logLam, logs = math.Log(invalpha), math.Log(lam), true
		}
		if math.Log(v)+logInvalpha-math.Log(a/(us*us)+b) <= -lam+k*logLam-lg {
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
