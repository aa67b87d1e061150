package results_test

import (
	"context"
	"path/filepath"
	"testing"

	"ersim/model"
	"ersim/results"
	"ersim/scenarios"
)

// writeRun runs the small test scenario and writes its outputs to dir, as `ersim run`
// does, for the readers and the charts to be tested on.
func writeRun(t *testing.T, dir string) {
	t.Helper()
	f, err := scenarios.Load("../model/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := model.NewPlan(f, nil, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	out, err := results.NewOutput(dir)
	if err != nil {
		t.Fatal(err)
	}
	prov, err := out.Create("providers.csv")
	if err != nil {
		t.Fatal(err)
	}
	col := results.NewCollector(pl, prov)
	if err := model.Run(context.Background(), pl, col, nil); err != nil {
		t.Fatal(err)
	}
	if err := col.Flush(); err != nil {
		t.Fatal(err)
	}
	prov.Close()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(out.Write("summary.csv", col.WriteSummary))
	must(out.Write("differences.csv", col.WriteDifferences))
	must(out.Write("timeseries.csv", col.WriteTimeseries))
	must(out.Write("replications.csv", col.WriteReplications))
	man := &results.Manifest{Scenario: "small", Seed: 7, Replications: 3}
	for _, v := range pl.Variants {
		man.Variants = append(man.Variants, results.ManifestVariant{Name: v.Name})
	}
	f2, err := out.Create("manifest.json")
	must(err)
	must(results.WriteManifest(f2, man))
	f2.Close()
	f3, err := out.Create("assumptions.csv")
	must(err)
	f3.WriteString("variant,key,value,source,assumption\n")
	f3.Close()
	must(out.Commit())
}

func TestReadRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "small")
	writeRun(t, dir)
	r, err := results.ReadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Variants) != 2 || r.Variants[0] != "today" {
		t.Fatalf("variants %v", r.Variants)
	}
	s := r.Find("detailed", "admin_share", "all", "all")
	if s == nil || s.N != 3 || !(s.Mean > 0) {
		t.Fatalf("admin_share row: %+v", s)
	}
	if d := r.FindDiff("detailed", "visits", "LOV", "all"); d == nil || d.Baseline != "today" {
		t.Fatalf("difference row: %+v", d)
	}
	if len(r.Replications["today"]) != 3 || len(r.Providers) == 0 || len(r.Timeseries) == 0 {
		t.Fatalf("%d replications, %d provider rows, %d series rows", len(r.Replications["today"]), len(r.Providers), len(r.Timeseries))
	}
	if _, err := results.ReadRun(t.TempDir()); err == nil {
		t.Error("an empty directory read as a run")
	}
}
