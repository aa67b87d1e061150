package calib_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"ersim/calib"
)

// The mean μ of a normal distribution with unit variance, from the mean 1.3 of 25
// draws, under the prior N(0, 2²). The exact posterior is N(1.287, 0.199²).
func Example() {
	p := calib.Problem{
		Priors:   []calib.Prior{calib.Normal("mu", 0, 2, -20, 20)},
		Observed: []float64{1.3},
		Scale:    []float64{0.2}, // the standard error of the mean of 25 draws
		Model: func(_ context.Context, theta []float64, seed uint64) ([]float64, error) {
			r := rand.New(rand.NewPCG(seed, 0))
			s := 0.0
			for range 25 {
				s += theta[0] + r.NormFloat64()
			}
			return []float64{s / 25}, nil
		},
	}
	res, err := calib.Run(context.Background(), p, calib.Options{Particles: 500, MaxGenerations: 20, MinEpsilon: 0.1, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	mean, lo, hi := res.Summary(0)
	fmt.Printf("stopped on %s after %d generations\n", res.Stopped, len(res.Generations))
	fmt.Printf("mu = %.2f (95 %% interval %.1f to %.1f), sd %.1f\n", mean, lo, hi, res.SD(0))
	// Output:
	// stopped on min epsilon after 9 generations
	// mu = 1.29 (95 % interval 0.8 to 1.7), sd 0.2
}
