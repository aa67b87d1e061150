package validation

// staticNotes closes VALIDATION.md: what was constructed, what the engine could not do
// directly and how each scenario works around it, and the engine changes that would
// remove the workarounds.
const staticNotes = `## Constructed values (targets 3 and 4)

The benefit and profit tables of Hennig-Schmidt, Selten & Wiesen (2011) and Brosig-Koch
et al. (2017) are not available to the project (literature.md §2.1 marks them [U]). The
two laboratory scenarios therefore rest on constructed numbers, each marked
"constructed" in the files:

- patient-optimal quantities q* per type: illness A 2 / 5 / 8, B 3 / 6 / 9, C 1 / 4 / 7
  (severities x / y / z);
- benefit: the engine's quadratic β·(q − q²/(2q*)) with every type peaking at 10
  currency units (β = 20/q*); it turns negative beyond 2q*, which the lab's tables (as
  far as is known) did not;
- profit: a fee of 2 per unit (FFS), a lump sum of 10 per patient (CAP), a constant
  marginal cost of 1 per unit — the mean marginal cost of c(q) = 0.1·q² over 0–10, the
  cost function of a public oTree instruction page in this design's style, which is not
  HSW's — and, for Brosig-Koch et al., a mixed system of half of each (so its margin is
  exactly zero);
- 40 subjects per HSW session (the paper's number is not transcribed); 213 for
  Brosig-Koch et al. (from its abstract). Subjects face every system on common random
  numbers (HSW was between-subjects);
- continuous quantities (the lab's were integers 0–10).

What is taken from the studies: quantities bounded to 0–10, 9 patient types, one choice
per type, profit rising with q under FFS and falling under CAP, real benefits to
patients (altruism). The directional claims rest on the bounds and the signs of the
margins, not on the constructed magnitudes; the magnitudes in the tables above should
not be quoted as reproductions.

## What the engine could not do directly, and the workarounds

Every workaround is inside the scenario files or the estimators; nothing in model/ or
scenarios/ was changed.

- **Nine patient types.** The engine allows at most 8 need groups (model/variant.go,
  maxGroups; scenarios/validate.go), so the 9 HSW types run as 3 illnesses of 3 need
  groups each, in variants (ffs_a … cap_c). Same subjects, same random numbers: nothing
  is lost.
- **Quantities bounded per type.** max_visits_per_year exists per need group; 10 is set
  for every type, and demand 0 removes the duty floor.
- **Medians and quartiles across practices (QOF).** Provider-years record visits,
  revenue, margin, true quality and admin hours, but not reported achievement or
  exception rates. Since QOF practices do not interact in the model, each replication
  simulates one practice, and the distribution across replications is the distribution
  across practices.
- **Unincentivised indicators (QOF).** The engine reports one mean of measured
  achievement over paid and follow-up-only indicators. The unpaid indicators' mean is
  recovered from two variants on common random numbers: (84 × mean of all − 65 × mean of
  the paid ones) / 19. Their measurement noise differs between the two (noise / √K), but
  it cancels in the difference with and without QOF.
- **Quality-reporting hours (Casalino).** The engine reports total provider
  administrative hours; reporting hours are the difference from a variant that reports
  nothing, under a fixed budget so that no claims are made.
- **Year-4 visits (Stockholm).** Read from the per-period series of each replication
  (model.Rep.Series); by need group only totals over the horizon exist, so target 7b uses
  the four years together.

## Proposed engine changes

These would remove the workarounds above; none is needed for the current verdicts.

1. model/variant.go: raise maxGroups from 8 to 16 (and the 1–8 limit on
   population.need_groups in scenarios/validate.go and docs/scenario-reference.md), so a
   laboratory design with 9 patient types fits in one variant.
2. model/engine.go, ProviderYear: add the year-end reported achievement and exception
   rate (p.measured, p.exceptions), recorded in recordYears and written to
   providers.csv, so distributions across providers need not be one provider per
   replication.
3. model/metrics.go and model/indicators.go (achievement): split measured_quality into
   measured_paid and measured_followup (two more pairs of sums in acc and the time
   series), so incentivised and unincentivised indicators can be read directly.
4. model/metrics.go and model/admin.go: a metric provider_report_hours (indicator
   reporting hours, b.indHours·fte·K·reports/P), and per clinician FTE, so Casalino's
   quantity is read without a second variant.
5. For target 7: population growth (population.growth_per_year) and capacity that
   follows revenue (hiring) — model changes that need their own design and sources, not
   validation fixes.
`
