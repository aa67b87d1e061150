package main

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"ersim/plots"
	"ersim/study"
)

// BenchmarkMerge merges the same 400 replications of the small scenario cut into 10 and
// into 100 shards. Merge reads one shard at a time, so its time and peak heap follow the
// number of replications, not of shards: compare the two sub-benchmarks' figures (the
// README gives the figure for 100 stockholm shards at 1 000 replications, measured with
// the ersim binary).
func BenchmarkMerge(b *testing.B) {
	const reps = 400
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("shards=%d", n), func(b *testing.B) {
			root := b.TempDir()
			var dirs []string
			for k := range n {
				dir := filepath.Join(root, "s"+strconv.Itoa(k))
				code, _, errOut := runCLI("run", "../../model/testdata/small.toml", "--reps", strconv.Itoa(reps),
					"--shard", fmt.Sprintf("%d/%d", k, n), "--no-charts", "--quiet", "--out", dir)
				if code != 0 {
					b.Fatalf("shard %d: %s", k, errOut)
				}
				dirs = append(dirs, dir)
			}
			var heap uint64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				out := filepath.Join(root, "merged"+strconv.Itoa(i))
				if _, err := study.Merge(out, dirs, study.Options{NoCharts: true, Charts: plots.Options{Lang: "en", Size: "report"}}); err != nil {
					b.Fatal(err)
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = max(heap, ms.HeapAlloc)
			}
			b.ReportMetric(float64(heap)/(1<<20), "MiB-heap-after")
		})
	}
}
