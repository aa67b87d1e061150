package study

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"ersim/model"
	"ersim/results"
	"ersim/scenarios"
)

// MergeError is a problem with the shards given to Merge: shards of different runs,
// one missing or given twice, or a damaged shard. It is bad input, not a failure.
type MergeError struct{ msg string }

func (e *MergeError) Error() string { return e.msg }

func mergeErrorf(format string, a ...any) error { return &MergeError{fmt.Sprintf(format, a...)} }

type shardDir struct {
	dir string
	man *ShardManifest
}

func ReadShardManifest(dir string) (*ShardManifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, shardManifestName))
	if err != nil {
		return nil, mergeErrorf("%s is not a shard directory: %v", dir, err)
	}
	var m ShardManifest
	if err := json.Unmarshal(b, &m); err != nil || m.Format != shardFormat {
		return nil, mergeErrorf("%s: %s is not a shard manifest", dir, shardManifestName)
	}
	return &m, nil
}

// checkShards checks that the shards belong to one run and cover its replications
// exactly once, and returns them in replication order.
func checkShards(dirs []string) ([]shardDir, error) {
	var shards []shardDir
	for _, d := range dirs {
		m, err := ReadShardManifest(d)
		if err != nil {
			return nil, err
		}
		shards = append(shards, shardDir{d, m})
	}
	ref := shards[0]
	hashes := func(m *ShardManifest) string {
		var s []string
		for _, v := range m.Variants {
			s = append(s, v.Name+" "+v.SHA256)
		}
		return strings.Join(s, ", ")
	}
	for _, s := range shards {
		m, r := s.man, ref.man
		var diff string
		switch {
		case m.Ersim != Version:
			diff = fmt.Sprintf("ersim version %s, but this is ersim %s", m.Ersim, Version)
		case m.Seed != r.Seed:
			diff = fmt.Sprintf("seed %d, not %d", m.Seed, r.Seed)
		case m.Replications != r.Replications:
			diff = fmt.Sprintf("%d replications, not %d", m.Replications, r.Replications)
		case m.Shards != r.Shards:
			diff = fmt.Sprintf("split in %d shards, not %d", m.Shards, r.Shards)
		case m.Scenario != r.Scenario || hashes(m) != hashes(r):
			diff = fmt.Sprintf("another scenario or variants: %s [%s], not %s [%s]", m.Scenario, hashes(m), r.Scenario, hashes(r))
		case m.PSA != r.PSA || m.ProviderReps != r.ProviderReps:
			diff = fmt.Sprintf("--psa %v --provider-reps %d, not --psa %v --provider-reps %d", m.PSA, m.ProviderReps, r.PSA, r.ProviderReps)
		case m.ScenarioText != r.ScenarioText:
			diff = "another scenario file text"
		}
		if diff == "" {
			for i, v := range m.Variants {
				if v.PriceScale != r.Variants[i].PriceScale {
					diff = fmt.Sprintf("calibrated price scale %g of %s, not %g", v.PriceScale, v.Name, r.Variants[i].PriceScale)
				}
			}
		}
		if diff != "" {
			return nil, mergeErrorf("shard %s is not from the same run as %s: %s", s.dir, ref.dir, diff)
		}
		if first, last := ShardRange(m.Shard, m.Shards, m.Replications); m.Shard < 0 || m.Shard >= m.Shards || m.First != first || m.Last != last {
			return nil, mergeErrorf("shard %s: shard %d/%d with replications [%d, %d) is not a valid shard", s.dir, m.Shard, m.Shards, m.First, m.Last)
		}
	}
	slices.SortStableFunc(shards, func(a, b shardDir) int { return a.man.Shard - b.man.Shard })
	for i := 1; i < len(shards); i++ {
		if a, b := shards[i-1], shards[i]; a.man.Shard == b.man.Shard {
			return nil, mergeErrorf("shard %d/%d is given twice: %s and %s", a.man.Shard, a.man.Shards, a.dir, b.dir)
		}
	}
	n, reps := ref.man.Shards, ref.man.Replications
	var missing []string
	next := 0
	for k := range n {
		if next < len(shards) && shards[next].man.Shard == k {
			next++
			continue
		}
		first, last := ShardRange(k, n, reps)
		missing = append(missing, fmt.Sprintf("shard %d/%d (replications %d–%d)", k, n, first+1, last))
	}
	if len(missing) > 0 {
		return nil, mergeErrorf("missing %s of %d replications: %s", Plural(len(missing), "shard"), reps, strings.Join(missing, ", "))
	}
	return shards, nil
}

// MergeResult describes the outputs written by Merge.
type MergeResult struct {
	Dir          string
	Scenario     string
	Shards       int
	Replications int
	Variants     int
	Seed         uint64
}

// Merge reads the shard directories written by RunShard, checks that they belong to
// one run and cover each of its replications once (else a *MergeError), and writes
// into dir the outputs of that run on one machine, byte for byte; only manifest.json's
// timing and worker fields differ, and it lists the shards. It reads the shards one at
// a time, in replication order. Of o it uses NoCharts and Charts.
func Merge(dir string, dirs []string, o Options) (*MergeResult, error) {
	start := time.Now()
	shards, err := checkShards(dirs)
	if err != nil {
		return nil, err
	}
	ref := shards[0].man
	// The scenario as the shards ran it: the file, with --seed and --reps applied.
	f, err := scenarios.Parse(ref.File, []byte(ref.ScenarioText))
	if err != nil {
		return nil, err
	}
	Override(f, &ref.Seed, &ref.Replications)
	var names []string
	scale := make([]float64, len(ref.Variants))
	for i, v := range ref.Variants {
		names = append(names, v.Name)
		scale[i] = v.PriceScale
		if r := f.Variant(v.Name); r == nil || r.Hash != v.SHA256 {
			return nil, mergeErrorf("shard %s: its scenario does not resolve to the recorded hash of variant %s", shards[0].dir, v.Name)
		}
	}
	pl, err := model.NewPlan(f, names[1:], ref.Replications, 1)
	if err != nil {
		return nil, err
	}
	pl.ProviderReps = ref.ProviderReps
	if ref.PSA {
		if err := pl.EnablePSA(f); err != nil {
			return nil, err
		}
	}
	man := &results.Manifest{
		Ersim: Version, Go: runtime.Version(), Scenario: ref.Scenario, File: ref.File,
		Seed: ref.Seed, Replications: ref.Replications, Workers: ref.Workers,
		Variants: manifestVariants(f, pl, scale),
	}
	err = writeRun(dir, func(out *results.Output, col *results.Collector) error {
		for _, s := range shards {
			if err := readShard(s, pl, col); err != nil {
				return err
			}
			m := s.man
			man.Shards = append(man.Shards, results.ManifestShard{Dir: s.dir, Shard: m.Shard, Of: m.Shards,
				First: m.First, Last: m.Last, Workers: m.Workers, WallSeconds: m.WallSeconds})
		}
		return nil
	}, func(out *results.Output, col *results.Collector) error {
		return writeOutputs(out, col, f, pl, ref.PSA, man, start, o.NoCharts, o.Charts)
	}, pl)
	if err != nil {
		return nil, err
	}
	return &MergeResult{Dir: dir, Scenario: ref.Scenario, Shards: len(shards), Replications: ref.Replications,
		Variants: len(pl.Variants), Seed: ref.Seed}, nil
}

// writeRun stages an output directory: fill feeds the collector (its provider rows
// go to providers.csv as they come), finish writes the other files from it; only
// when both succeed is the directory moved into place.
func writeRun(dir string, fill, finish func(*results.Output, *results.Collector) error, pl *model.Plan) error {
	out, err := results.NewOutput(dir)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			out.Abort()
		}
	}()
	provFile, err := out.Create("providers.csv")
	if err != nil {
		return err
	}
	defer provFile.Close()
	col := results.NewCollector(pl, provFile)
	if err := fill(out, col); err != nil {
		return err
	}
	if err := col.Flush(); err != nil {
		return err
	}
	if err := provFile.Close(); err != nil {
		return err
	}
	if err := finish(out, col); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}
