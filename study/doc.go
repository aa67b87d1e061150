// Package study runs ersim's studies from Go: everything between a loaded scenario and
// a finished set of results. It is what the ersim command calls; it prints nothing,
// parses no flags and never exits, so a program can run 40 scenario variants, a
// calibration loop or a server on it.
//
// A run, end to end:
//
//	f, err := study.Load("my-region.toml")          // or an embedded scenario's name
//	res, err := study.Run(ctx, f, "out/my-region", study.RunOptions{})
//	// res.Collector holds every replication; the files are in res.Dir
//
// What is here:
//
//   - Load and Override: a scenario file or embedded scenario, with the seed and the
//     number of replications replaced (study.go).
//   - Run: plan, calibration of prices and budget neutrality (model.Calibrate),
//     replications on workers into a results.Collector with a progress callback, the
//     precision loop (RunOptions.Precision), and the outputs, staged and moved into
//     place only when complete (run.go, outputs.go).
//   - Checkpoints: a cancelled Run keeps its complete replications beside its output
//     directory and returns an *InterruptedError; ReadCheckpoint and
//     RunOptions.Resume continue it to the uninterrupted run's outputs (checkpoint.go).
//   - Shards: RunShard runs a contiguous block of the replications (ShardRange) into
//     a shard directory; Merge checks a set of shards and writes the single run's
//     outputs byte for byte (shard.go, merge.go). ParseShard and ShardFromEnv read
//     "K/N" and the Slurm and Kubernetes environments.
//   - Sensitivity: one-way sensitivity over the [uncertainty] parameters, with tornado
//     charts (sensitivity.go). PSA is RunOptions.PSA.
//   - Sweep: a line, a grid or a Latin hypercube sample over Axis values (sweep.go).
//   - Decide: the decision view of a PSA run: net benefit, acceptability, EVPI and
//     EVPPI (decision.go), and WriteReport, the HTML and Markdown report (outputs.go).
//
// Errors that are the input's fault — a bad scenario (*scenarios.InputError), shards
// that do not belong together (*MergeError), a checkpoint that does not match
// (*ResumeError), a run directory the decision view cannot use (*DecisionError) — are
// typed, so a caller can tell them from failures. Every result depends only on the
// scenario and its seed, never on Options.Workers.
package study
