package model

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"

	"ersim/scenarios"
)

// Cell is one row of the summary: a metric for a contract form (−1: all) and a need
// group (−1: all).
type Cell struct {
	Metric int
	Form   int
	Group  int
}

// FormName returns the contract form's name, or "all".
func FormName(f int) string {
	if f < 0 {
		return "all"
	}
	return scenarios.ContractForms[f]
}

// Rep is the outcome of one replication of one variant.
type Rep struct {
	Variant int
	Rep     int
	Values  []float64   // by cell, in Plan.Cells order
	Series  [][]float64 // [series metric][counted period]
	// KindVisits are the visits of each visit kind per counted period, [period][kind],
	// for scenarios with visit kinds (nil otherwise). They are for library callers
	// (validation); shards and checkpoints do not carry them.
	KindVisits [][]float64
	Years      []ProviderYear // for the first replications only
	PSA        []float64      // the replication's drawn parameters (variant 0 only), in Plan.PSAKeys order
	Err        error          // a replication that could not be set up
}

// ProviderYear is one provider's year, for providers.csv.
type ProviderYear struct {
	Provider   int // slot index
	Cohort     string
	Form       string
	Year       int
	Visits     float64
	Revenue    float64
	Tak1Share  float64 // ceiling revenue paid relative to tak 1; NaN without a ceiling
	Margin     float64
	Quality    float64
	AdminHours float64
	// Achievement and ExceptionRate are the mean measured achievement and exception
	// rate over the year's periods with indicators (NaN without indicators); Upcoded the
	// mean share of patients reported in a higher-paid class than their own.
	Achievement, ExceptionRate, Upcoded float64
	// ClaimHours, ReportHours and AuditHours split AdminHours by kind of work; the rest
	// is the base hours.
	ClaimHours, ReportHours, AuditHours float64
	// Booked is the year's visits booked: Visits (attended) plus no-shows.
	Booked float64
}

// Plan is what a run simulates.
type Plan struct {
	Variants     []*Variant
	Replications int
	Workers      int
	// ProviderReps is how many of the first replications record provider-years.
	ProviderReps int
	Cells        []Cell
	GroupNames   []string // need groups, then visit kinds (Kinds of them)
	nKinds       int
	episodes     bool
	PeriodsPerYr int
	Periods      int // counted periods

	psa *psa // nil unless EnablePSA
}

// NewPlan compiles the variants of a scenario file. Forms that have no cohort in any
// variant get no rows.
func NewPlan(f *scenarios.File, names []string, reps, workers int) (*Plan, error) {
	pl := &Plan{Replications: reps, Workers: workers, ProviderReps: min(reps, 20)}
	if pl.Workers <= 0 {
		pl.Workers = runtime.NumCPU()
	}
	keep := map[string]bool{}
	for _, n := range names {
		keep[n] = true
	}
	var compiled []*scenarios.Resolved
	for i, r := range f.Variants {
		if i > 0 && len(names) > 0 && !keep[r.Name] {
			continue
		}
		v, err := Compile(r)
		if err != nil {
			return nil, err
		}
		pl.Variants = append(pl.Variants, v)
		compiled = append(compiled, r)
	}
	if anyNeutral(pl) {
		// changedRules compares the rules as written.
		for i, v := range pl.Variants {
			for j := range v.rules {
				v.rules[j].text = encodeRule(compiled[i].Scenario.Rules[v.rules[j].name])
			}
		}
	}
	for _, n := range names {
		if f.Variant(n) == nil {
			var all []string
			for _, r := range f.Variants {
				all = append(all, r.Name)
			}
			return nil, &scenarios.InputError{File: f.Name, Path: "--variant", Msg: fmt.Sprintf("no variant %q", n), Allowed: fmt.Sprint(all)}
		}
	}
	base := pl.Variants[0]
	pl.PeriodsPerYr = base.periodsPerYr
	pl.Periods = base.years * base.periodsPerYr
	for _, g := range base.groups {
		pl.GroupNames = append(pl.GroupNames, g.name)
	}
	// With visit kinds, rows by kind follow the rows by need group: group index G + k.
	G := len(base.groups)
	hasKinds, hasEpisodes := false, false
	for _, v := range pl.Variants {
		hasKinds = hasKinds || v.hasKinds
		hasEpisodes = hasEpisodes || v.ep != nil
		if !sameKinds(v, base) {
			return nil, &scenarios.InputError{File: f.Name, Path: "variants." + v.Name + ".set.population.visit_kinds",
				Msg: "a variant changes the visit kinds' names or number", Allowed: "the baseline's kinds (" + kindNames(base) + "), with other values"}
		}
	}
	if hasKinds {
		for _, k := range base.kinds {
			pl.GroupNames = append(pl.GroupNames, k.name)
		}
		pl.nKinds = len(base.kinds)
	}
	var present [nForms]bool
	for _, v := range pl.Variants {
		for _, c := range v.cohorts {
			present[c.form] = true
		}
	}
	for mi, m := range Metrics {
		pl.episodes = hasEpisodes
		if kindsOnly[m.Name] && !hasKinds || episodesOnly[m.Name] && !hasEpisodes {
			continue
		}
		for f := -1; f < nForms; f++ {
			if f >= 0 && !present[f] {
				continue
			}
			pl.Cells = append(pl.Cells, Cell{mi, f, -1})
			if m.ByGroup {
				for g := range base.groups {
					pl.Cells = append(pl.Cells, Cell{mi, f, g})
				}
			}
			if hasKinds && kindMetrics[m.Name] != nil {
				for k := range base.kinds {
					pl.Cells = append(pl.Cells, Cell{mi, f, G + k})
				}
			}
		}
	}
	return pl, nil
}

// Sink receives replications in (replication, variant) order, whatever the number of
// workers, so that streaming statistics are reproducible.
type Sink interface {
	Add(r *Rep)
}

// Progress is told after each replication is handed to the sink.
type Progress func(done, total int)

// Run simulates every variant for every replication on pl.Workers workers and hands the
// results to sink in order. Budget-neutral variants are calibrated first.
func Run(ctx context.Context, pl *Plan, sink Sink, progress Progress) error {
	if err := Calibrate(ctx, pl); err != nil {
		return err
	}
	return RunReps(ctx, pl, 0, pl.Replications, sink, progress)
}

// RunReps simulates replications [from, to) of every variant, after Calibrate, and
// hands them to sink in order. Running [0, a) then [a, b) gives exactly what [0, b)
// gives: a run can grow in batches (convergence) without changing its results.
func RunReps(ctx context.Context, pl *Plan, from, to int, sink Sink, progress Progress) error {
	nv := len(pl.Variants)
	total := (to - from) * nv
	jobs := make(chan int)
	results := make(chan *Rep, pl.Workers*2)
	var wg sync.WaitGroup
	for range pl.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			scratch := make([]*sim, nv)
			for j := range jobs {
				if ctx.Err() != nil {
					continue // interrupted: drain without simulating
				}
				rep, vi := from+j/nv, j%nv
				results <- simulateReusing(pl, vi, rep, scratch)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for j := range total {
			// Check first: when both cases are ready, select picks at random, and an
			// interrupted run should stop handing out work at once.
			if ctx.Err() != nil {
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	// Reorder: hand results to the sink strictly in job order.
	var firstErr error
	pending := map[int]*Rep{}
	next := 0
	for r := range results {
		pending[(r.Rep-from)*nv+r.Variant] = r
		for {
			x, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if x.Err != nil && firstErr == nil {
				firstErr = x.Err
			}
			if firstErr != nil {
				next++
				continue
			}
			sink.Add(x)
			next++
			if progress != nil {
				progress(next, total)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if firstErr != nil {
		return firstErr
	}
	if next != total {
		return fmt.Errorf("model: %d of %d replications finished", next, total)
	}
	return nil
}

// simulate runs one replication of variant vi.
func simulate(pl *Plan, vi, rep int) *Rep { return simulateReusing(pl, vi, rep, nil) }

// simulateReusing is simulate with a worker's scratch: the sim it last used for
// variant vi, whose large buffers (providers, time series) the new replication reuses
// instead of allocating them again (issue 17). The results do not depend on it.
func simulateReusing(pl *Plan, vi, rep int, scratch []*sim) *Rep {
	v := pl.Variants[vi]
	var draws []float64
	if pl.psa != nil {
		var err error
		if v, draws, err = pl.variantAt(vi, rep); err != nil {
			return &Rep{Variant: vi, Rep: rep, Err: err}
		}
		if vi > 0 {
			draws = nil
		}
	}
	var old *sim
	if scratch != nil {
		old = scratch[vi]
	}
	s := newSimFrom(v, rep, old)
	if scratch != nil {
		scratch[vi] = s
	}
	recordYears := rep < pl.ProviderReps
	var years []ProviderYear
	for t := range v.periods {
		if v.ep != nil {
			s.episodeArrivals(t)
		}
		for i := range s.providers {
			if p := &s.providers[i]; p.active {
				if v.cohorts[p.cohort].episodes {
					s.stepEpisodes(p, t)
				} else {
					s.step(p, t)
				}
			}
		}
		if recordYears && t%v.periodsPerYr == v.periodsPerYr-1 && t >= v.burnIn {
			years = s.recordYears(years, (t-v.burnIn)/v.periodsPerYr+1)
		}
		s.region(t)
	}
	for i := range s.providers {
		if p := &s.providers[i]; p.active {
			s.forms[p.form].active++
		}
	}
	return &Rep{Variant: vi, Rep: rep, Values: s.values(pl), Series: s.series(), Years: years, PSA: draws, KindVisits: s.kindSeries()}
}

func (s *sim) values(pl *Plan) []float64 {
	var all acc
	for f := range s.forms {
		all.add(&s.forms[f])
	}
	out := make([]float64, len(pl.Cells))
	for i, c := range pl.Cells {
		a := &all
		if c.Form >= 0 {
			a = &s.forms[c.Form]
		}
		if G := len(s.v.groups); c.Group >= G {
			out[i] = kindMetrics[Metrics[c.Metric].Name](a, &s.cx, c.Group-G)
			continue
		}
		out[i] = Metrics[c.Metric].value(a, &s.cx, c.Group)
	}
	return out
}

func (s *sim) kindSeries() [][]float64 {
	if s.tsKinds == nil {
		return nil
	}
	out := make([][]float64, len(s.tsKinds))
	for t := range s.tsKinds {
		out[t] = append([]float64(nil), s.tsKinds[t][:len(s.v.kinds)]...)
	}
	return out
}

func (s *sim) series() [][]float64 {
	out := make([][]float64, len(Series))
	per := float64(s.v.periodsPerYr)
	for m, sm := range Series {
		out[m] = make([]float64, len(s.ts))
		for t := range s.ts {
			out[m][t] = sm.value(&s.ts[t], &s.cx, per)
		}
	}
	return out
}

// recordYears appends every active provider's year and resets its year sums.
func (s *sim) recordYears(rows []ProviderYear, year int) []ProviderYear {
	v := s.v
	for i := range s.providers {
		p := &s.providers[i]
		if !p.active {
			continue
		}
		c := &v.cohorts[p.cohort]
		ru := &v.rules[c.rule]
		share := math.NaN()
		if ru.hasCeiling {
			share = p.cumGross / s.kinkOf(p, ru).tak1
		}
		q := math.NaN()
		if p.periodsYear > 0 {
			q = p.qualYear / p.periodsYear
		}
		ach, ex, up := math.NaN(), math.NaN(), math.NaN()
		if p.yr.measPeriods > 0 {
			ach, ex = p.yr.meas/p.yr.measPeriods, p.yr.ex/p.yr.measPeriods
		}
		if p.periodsYear > 0 {
			up = p.yr.up / p.periodsYear
		}
		rows = append(rows, ProviderYear{
			Provider: i, Cohort: c.name, Form: scenarios.ContractForms[p.form], Year: year,
			Visits: p.visitsYear, Revenue: p.revenueYear, Tak1Share: share, Margin: p.marginYear,
			Quality: q, AdminHours: p.adminYear,
			Achievement: ach, ExceptionRate: ex, Upcoded: up,
			ClaimHours: p.yr.claimH, ReportHours: p.yr.reportH, AuditHours: p.yr.auditH,
			Booked: p.yr.booked,
		})
	}
	return rows
}

func sameKinds(a, b *Variant) bool {
	if len(a.kinds) != len(b.kinds) {
		return false
	}
	for k := range a.kinds {
		if a.kinds[k].name != b.kinds[k].name {
			return false
		}
	}
	return true
}

func kindNames(v *Variant) string {
	var names []string
	for _, k := range v.kinds {
		names = append(names, k.name)
	}
	return strings.Join(names, ", ")
}

// Episodes reports whether the scenario has [episodes] (issue 14).
func (pl *Plan) Episodes() bool { return pl.episodes }

// Kinds is the number of visit kinds whose rows follow the need groups' in GroupNames:
// 0 for a scenario without population.visit_kinds.
func (pl *Plan) Kinds() int { return pl.nKinds }

// VariantNames returns the names of the plan's variants, baseline first.
func (pl *Plan) VariantNames() []string {
	names := make([]string, len(pl.Variants))
	for i, v := range pl.Variants {
		names[i] = v.Name
	}
	return names
}
