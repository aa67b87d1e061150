package calib

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// State is a run after one complete generation: what Options.Resume needs to go on as
// if the run had never stopped. It marshals to JSON (with "+Inf", "-Inf" and "NaN" as
// strings, and every float64 exactly), so it can be saved by OnGeneration and loaded
// later.
type State struct {
	// Seed, Parameters and Targets identify the run; Resume checks them.
	Seed       uint64
	Parameters int
	Targets    int
	// Generation is the index of the last complete generation.
	Generation int
	// The population of generation Generation.
	Particles [][]float64
	Weights   []float64
	Distances []float64
	Sims      [][]float64
	// Generation 0's population, for Result.PriorParticles and Result.PriorSims.
	PriorParticles [][]float64
	PriorSims      [][]float64
	// Evaluations is the number of model evaluations so far.
	Evaluations int
	// Generations are the statistics of generations 0 to Generation; their Epsilon
	// fields are the tolerance history.
	Generations []Generation
}

// check reports whether s can resume a run of r.
func (s *State) check(r *runner) error {
	n := r.o.Particles
	switch {
	case s.Seed != r.o.Seed:
		return problemErr("Resume: state of seed %d, options seed %d", s.Seed, r.o.Seed)
	case s.Parameters != r.d || s.Targets != len(r.p.Observed):
		return problemErr("Resume: state of %d parameters and %d targets, problem of %d and %d",
			s.Parameters, s.Targets, r.d, len(r.p.Observed))
	case s.Generation < 0 || len(s.Generations) != s.Generation+1:
		return problemErr("Resume: generation %d with %d generations' statistics", s.Generation, len(s.Generations))
	case len(s.Particles) != n || len(s.Weights) != n || len(s.Distances) != n || len(s.Sims) != n ||
		len(s.PriorParticles) != n || len(s.PriorSims) != n:
		return problemErr("Resume: population sizes differ from Particles (%d)", n)
	}
	for k := range n {
		if len(s.Particles[k]) != r.d || len(s.PriorParticles[k]) != r.d {
			return problemErr("Resume: particle %d has the wrong number of parameters", k)
		}
		if w := s.Weights[k]; !(w >= 0) || math.IsInf(w, 0) {
			return problemErr("Resume: weight %d is %g", k, w)
		}
	}
	return nil
}

// clone is a deep copy of s.
func (s *State) clone() *State {
	c := *s
	c.Particles = clone2(s.Particles)
	c.Weights = append([]float64(nil), s.Weights...)
	c.Distances = append([]float64(nil), s.Distances...)
	c.Sims = clone2(s.Sims)
	c.PriorParticles = clone2(s.PriorParticles)
	c.PriorSims = clone2(s.PriorSims)
	c.Generations = append([]Generation(nil), s.Generations...)
	return &c
}

func clone2(x [][]float64) [][]float64 {
	c := make([][]float64, len(x))
	for i, v := range x {
		c[i] = append([]float64(nil), v...)
	}
	return c
}

// jfloat is a float64 that survives JSON: non-finite values become strings, and
// finite ones are written in the shortest form that reads back exactly.
type jfloat float64

func (f jfloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return []byte(`"NaN"`), nil
	case math.IsInf(x, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(x, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

func (f *jfloat) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("calib: %w", err)
	}
	*f = jfloat(x)
	return nil
}

func toJ(x []float64) []jfloat {
	if x == nil {
		return nil
	}
	c := make([]jfloat, len(x))
	for i, v := range x {
		c[i] = jfloat(v)
	}
	return c
}

func fromJ(x []jfloat) []float64 {
	if x == nil {
		return nil
	}
	c := make([]float64, len(x))
	for i, v := range x {
		c[i] = float64(v)
	}
	return c
}

func toJ2(x [][]float64) [][]jfloat {
	c := make([][]jfloat, len(x))
	for i, v := range x {
		c[i] = toJ(v)
	}
	return c
}

func fromJ2(x [][]jfloat) [][]float64 {
	c := make([][]float64, len(x))
	for i, v := range x {
		c[i] = fromJ(v)
	}
	return c
}

type stateJSON struct {
	Seed           uint64
	Parameters     int
	Targets        int
	Generation     int
	Particles      [][]jfloat
	Weights        []jfloat
	Distances      []jfloat
	Sims           [][]jfloat
	PriorParticles [][]jfloat
	PriorSims      [][]jfloat
	Evaluations    int
	Generations    []Generation
}

// MarshalJSON writes s with non-finite values as strings.
func (s *State) MarshalJSON() ([]byte, error) {
	return json.Marshal(stateJSON{
		Seed: s.Seed, Parameters: s.Parameters, Targets: s.Targets, Generation: s.Generation,
		Particles: toJ2(s.Particles), Weights: toJ(s.Weights), Distances: toJ(s.Distances),
		Sims: toJ2(s.Sims), PriorParticles: toJ2(s.PriorParticles), PriorSims: toJ2(s.PriorSims),
		Evaluations: s.Evaluations, Generations: s.Generations,
	})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (s *State) UnmarshalJSON(b []byte) error {
	var j stateJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = State{
		Seed: j.Seed, Parameters: j.Parameters, Targets: j.Targets, Generation: j.Generation,
		Particles: fromJ2(j.Particles), Weights: fromJ(j.Weights), Distances: fromJ(j.Distances),
		Sims: fromJ2(j.Sims), PriorParticles: fromJ2(j.PriorParticles), PriorSims: fromJ2(j.PriorSims),
		Evaluations: j.Evaluations, Generations: j.Generations,
	}
	return nil
}

type generationJSON struct {
	Index       int
	Epsilon     jfloat
	ESS         jfloat
	Acceptance  jfloat
	Evaluations int
	Seconds     jfloat
}

// MarshalJSON writes g with an infinite Epsilon as the string "+Inf".
func (g Generation) MarshalJSON() ([]byte, error) {
	return json.Marshal(generationJSON{g.Index, jfloat(g.Epsilon), jfloat(g.ESS), jfloat(g.Acceptance), g.Evaluations, jfloat(g.Seconds)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (g *Generation) UnmarshalJSON(b []byte) error {
	var j generationJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*g = Generation{j.Index, float64(j.Epsilon), float64(j.ESS), float64(j.Acceptance), j.Evaluations, float64(j.Seconds)}
	return nil
}
