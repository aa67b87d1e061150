package dist

import (
	"math"
	"testing"
)

func TestCheckRank(t *testing.T) {
	for _, c := range []struct {
		r    [][]float64
		want string
	}{
		{[][]float64{{1, 0.5}, {0.5, 1}}, ""},
		{[][]float64{{1, 1}, {1, 1}}, ""},
		{[][]float64{{1, 0.5}, {0.5}}, "not square"},
		{[][]float64{{1, 2}, {2, 1}}, "entries outside [−1, 1]"},
		{[][]float64{{1, math.NaN()}, {0, 1}}, "entries outside [−1, 1]"},
		{[][]float64{{0.9, 0}, {0, 1}}, "diagonal not 1"},
		{[][]float64{{1, 0.5}, {0.4, 1}}, "not symmetric"},
		{[][]float64{{1, 0.9, -0.9}, {0.9, 1, 0.9}, {-0.9, 0.9, 1}}, "not positive semi-definite"},
	} {
		if got := CheckRank(c.r); got != c.want {
			t.Errorf("CheckRank(%v) = %q, want %q", c.r, got, c.want)
		}
	}
	if m := MinEigen([][]float64{{2, 1}, {1, 2}}); math.Abs(m-1) > 1e-12 {
		t.Errorf("smallest eigenvalue %g, want 1", m)
	}
	if m := MinEigen(nil); m != 1 {
		t.Errorf("smallest eigenvalue of an empty matrix %g", m)
	}
}

// A·Aᵀ is the normal correlation matrix 2·sin(π·ρ_s/6), for a definite matrix (Cholesky)
// and a semi-definite one (eigenvalue root).
func TestCopulaFactor(t *testing.T) {
	for _, rank := range [][][]float64{
		{{1, 0.5, -0.3}, {0.5, 1, 0.2}, {-0.3, 0.2, 1}},
		{{1, 1, 0.2}, {1, 1, 0.2}, {0.2, 0.2, 1}},
	} {
		a, err := CopulaFactor(rank)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rank {
			for j := range rank {
				s := 0.0
				for k := range rank {
					s += a[i][k] * a[j][k]
				}
				want := 1.0
				if i != j {
					want = 2 * math.Sin(math.Pi*rank[i][j]/6)
				}
				if math.Abs(s-want) > 1e-6 {
					t.Errorf("%v: (A·Aᵀ)[%d][%d] = %g, want %g", rank, i, j, s, want)
				}
			}
		}
	}
}
