package study_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"ersim/study"
)

// Example runs a small scenario end to end from Go: load it, run 8 replications of
// each variant on common random numbers, and read the results from the collector
// (summary.csv and the other files are in the output directory).
func Example() {
	dir, err := os.MkdirTemp("", "ersim-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	f, err := study.Load("../model/testdata/small.toml")
	if err != nil {
		log.Fatal(err) // a *scenarios.InputError names file, line, key and what is allowed
	}
	reps := 8
	res, err := study.Run(context.Background(), f, filepath.Join(dir, "small"), study.RunOptions{
		Options: study.Options{Reps: &reps, Workers: 2, NoCharts: true},
	})
	if err != nil {
		log.Fatal(err)
	}
	col := res.Collector
	visits := col.CellIndex("visits_per_1000", -1, -1)
	admin := col.CellIndex("admin_share", -1, -1)
	fmt.Printf("%s: %d replications\n", res.Scenario.Name, res.Replications)
	for v, name := range res.Plan.VariantNames() {
		fmt.Printf("%-9s visits per 1000 %6.0f, admin share %.3f", name, mean(col.Column(v, visits)), mean(col.Column(v, admin)))
		if v > 0 {
			fmt.Printf(", difference %+.4f", mean(col.Diff(v, admin)))
		}
		fmt.Println()
	}
	// Output:
	// small: 8 replications
	// today     visits per 1000   2069, admin share 0.032
	// detailed  visits per 1000   2452, admin share 0.034, difference +0.0015
}

func mean(x []float64) float64 {
	s := 0.0
	for _, y := range x {
		s += y
	}
	return s / float64(len(x))
}
