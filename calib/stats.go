package calib

import (
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Randomness. Proposal k of generation t draws everything (ancestor, perturbation or
// prior sample) from its own PCG stream keyed by (Seed, t, k), and the model evaluates
// it with its own seed, another hash of (Seed, t, k). Nothing therefore depends on which
// worker handles a proposal or when. The purposes' values are part of the
// reproducibility contract.
const (
	purposeProposal = 1
	purposeModel    = 2
)

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func key(seed uint64, gen, k int, purpose uint64) uint64 {
	h := splitmix(seed ^ 0x63616c6962414243) // "calibABC"
	h = splitmix(h ^ uint64(gen))
	h = splitmix(h ^ uint64(k))
	return splitmix(h ^ purpose)
}

// proposalRand is proposal k's random source in generation gen.
func proposalRand(seed uint64, gen, k int) *rand.Rand {
	h := key(seed, gen, k, purposeProposal)
	return rand.New(rand.NewPCG(h, splitmix(h)))
}

// modelSeed is the seed the model gets for proposal k of generation gen.
func modelSeed(seed uint64, gen, k int) uint64 { return key(seed, gen, k, purposeModel) }

// weightedQuantile is the smallest x[k] whose cumulative weight, in increasing x,
// reaches p of the total. NaNs sort last.
func weightedQuantile(x, w []float64, p float64) float64 {
	idx := make([]int, len(x))
	for k := range idx {
		idx[k] = k
	}
	sort.SliceStable(idx, func(a, b int) bool { return less(x[idx[a]], x[idx[b]]) })
	total := 0.0
	for _, v := range w {
		total += v
	}
	cum := 0.0
	for _, k := range idx {
		cum += w[k]
		if cum >= p*total {
			return x[k]
		}
	}
	return x[idx[len(idx)-1]]
}

func less(a, b float64) bool { return a < b || (!math.IsNaN(a) && math.IsNaN(b)) }

// kernel is the multivariate normal perturbation kernel N(0, Σ) with Σ = 2 × the
// weighted covariance of a population (Beaumont et al. 2009), held as its lower
// Cholesky factor L (Σ = L Lᵀ).
type kernel struct {
	d int
	l []float64 // row-major d×d lower triangle
}

// newKernel builds the kernel of population theta with normalised weights w. A
// singular covariance (a collapsed population, or parameters perfectly correlated) is
// regularised by adding a growing multiple of the identity until it factorises.
func newKernel(theta [][]float64, w []float64) kernel {
	d := len(theta[0])
	mean := make([]float64, d)
	for k, th := range theta {
		for i, x := range th {
			mean[i] += w[k] * x
		}
	}
	cov := mat.NewSymDense(d, nil)
	for k, th := range theta {
		for i := 0; i < d; i++ {
			di := th[i] - mean[i]
			for j := i; j < d; j++ {
				cov.SetSym(i, j, cov.At(i, j)+2*w[k]*di*(th[j]-mean[j]))
			}
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		scale := 0.0
		for i := 0; i < d; i++ {
			scale = math.Max(scale, cov.At(i, i))
		}
		if !(scale > 0) || math.IsInf(scale, 0) {
			scale = 1
			for _, m := range mean {
				scale = math.Max(scale, m*m)
			}
		}
		jitter := 1e-12 * scale
		for {
			reg := mat.NewSymDense(d, nil)
			reg.CopySym(cov)
			for i := 0; i < d; i++ {
				reg.SetSym(i, i, reg.At(i, i)+jitter)
			}
			if ch.Factorize(reg) {
				break
			}
			jitter *= 10
		}
	}
	var lt mat.TriDense
	ch.LTo(&lt)
	kn := kernel{d: d, l: make([]float64, d*d)}
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			kn.l[i*d+j] = lt.At(i, j)
		}
	}
	return kn
}

// perturb writes θ + L z into dst, z standard normal from r.
func (kn kernel) perturb(dst, theta []float64, r *rand.Rand) {
	z := make([]float64, kn.d)
	for i := range z {
		z[i] = r.NormFloat64()
	}
	for i := 0; i < kn.d; i++ {
		s := theta[i]
		for j := 0; j <= i; j++ {
			s += kn.l[i*kn.d+j] * z[j]
		}
		dst[i] = s
	}
}

// whiten writes L⁻¹ x into dst, so that the kernel's Mahalanobis distance between x
// and y is the Euclidean distance between their whitened images.
func (kn kernel) whiten(dst, x []float64) {
	for i := 0; i < kn.d; i++ {
		s := x[i]
		for j := 0; j < i; j++ {
			s -= kn.l[i*kn.d+j] * dst[j]
		}
		dst[i] = s / kn.l[i*kn.d+i]
	}
}
