// Package model is the simulation of ersim: it compiles a scenario's variants and runs
// replications of them, provider by provider and period by period, as MODEL.md §4
// describes. It reads no files, takes no flags and prints nothing; every random draw
// comes from streams keyed by seed, replication, provider slot, period and purpose
// (rng.go), so results do not depend on the number of workers and variants share common
// random numbers.
//
// # Running a scenario from Go
//
// Package ersim/study runs a scenario end to end as the ersim command does (outputs,
// charts, checkpoints, shards, sweeps, sensitivity); this package is the layer below it.
// Load a scenario, compile its variants into a Plan and run it into a Sink; package
// results has a Sink that collects the replications and writes the summary:
//
//	f, err := scenarios.LoadEmbedded("stockholm") // or scenarios.Load(path)
//	if err != nil { ... }
//	pl, err := model.NewPlan(f, nil, 100, 0) // all variants, 100 replications, one worker per CPU
//	if err != nil { ... }
//	col := results.NewCollector(pl, nil)
//	if err := model.Run(ctx, pl, col, nil); err != nil { ... }
//	err = col.WriteSummary(os.Stdout)
//
// Run calibrates budget-neutral variants first (Calibrate) and then hands each
// replication (a Rep: one value per Plan.Cells entry, the time series and, for the first
// replications, provider-years) to the sink in (replication, variant) order. RunReps runs
// a range of replications, so a run can grow in batches. Plan.EnablePSA draws the
// uncertain parameters per replication; Plan.At sets parameters for one-way sensitivity;
// Metrics, Series and Headline name what is measured.
//
// # Code map
//
// One provider-period is step (step.go): the schedule of MODEL.md §4.6, each mechanism a
// method in a file named after it, listed here in the order of MODEL.md §4. The
// region's events after each period are region (region.go).
//
//	mechanism (MODEL.md)                             file
//	4.1 volume: intensity, decision noise, visits    volume.go
//	4.1 clinical hours and capacity                  capacity.go
//	4.1 annual ceilings (tak 1, tak 2), year plan    ceilings.go
//	4.2 quality effort (multitasking)                effort.go
//	4.2 indicators and achievement                   indicators.go
//	4.3 upcoding                                     upcoding.go
//	4.3 exception reporting                          exceptions.go
//	4.3 cream-skimming                               creamskimming.go
//	4.4 motivation and trust, control intensity      motivation.go
//	4.5 entry: LOV entrants, new LOL/LOF units       entry.go
//	4.5 exit under LOV                               exit.go
//	4.5 transfers (LOL/LOF), LOU re-tendering        turnover.go
//	4.5 patients' choice under LOV                   choice.go
//	4.6 order of events: one provider-period         step.go
//	4.6 order of events: the region's events         region.go
//	3   payment, component by component              payment.go
//	5   administrative hours                         admin.go
//	6   follow-up: audits, detection, sanctions      followup.go
//	    margin and the provider's year sums          margin.go
//	    recording a period                           record.go
//	    staffing at the year's end                   staffing.go
//	    population growth                            growth.go
//
// Around them: compile.go, variant.go, rules.go and behaviour.go turn a resolved
// scenario into a Variant; provider.go holds the provider and replication state;
// engine.go runs replications on workers; calibrate.go sets prices (mix and budget
// neutrality); metrics.go defines what is measured; psa.go, sensitivity.go and sweep.go
// vary parameters; rng.go has the random streams.
package model
