package study

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"ersim/model"
	"ersim/plots"
	"ersim/report"
	"ersim/results"
	"ersim/scenarios"
)

// writeAssumptions writes assumptions.csv: every parameter of the baseline with its
// value and source or assumption mark, then what each other variant changes.
func writeAssumptions(w io.Writer, f *scenarios.File, pl *model.Plan) error {
	cw := newCSV(w)
	cw.row("variant", "key", "value", "source", "assumption")
	var base map[string]scenarios.ParamInfo
	for i, v := range pl.Variants {
		r := f.Variant(v.Name)
		params := scenarios.Parameters(r.Scenario)
		cur := map[string]scenarios.ParamInfo{}
		for _, p := range params {
			cur[p.Path] = p
			if i > 0 {
				if b, ok := base[p.Path]; ok && b.Value == p.Value && b.Source == p.Source {
					continue
				}
			}
			cw.row(v.Name, p.Path, p.Value, p.Source, fmt.Sprint(p.Assumption))
		}
		if i == 0 {
			base = cur
		}
	}
	return cw.flush()
}

// manifestVariants describes the plan's variants for the manifest; scale, when not nil,
// gives each variant's calibrated price scale (else the plan's own).
func manifestVariants(f *scenarios.File, pl *model.Plan, scale []float64) []results.ManifestVariant {
	var mv []results.ManifestVariant
	for i, v := range pl.Variants {
		r := f.Variant(v.Name)
		ps := v.PriceScale()
		if scale != nil {
			ps = scale[i]
		}
		mv = append(mv, results.ManifestVariant{
			Name: v.Name, Description: v.Description, BudgetNeutral: v.BudgetNeutral,
			PriceScale: ps, SHA256: r.Hash, Resolved: r.Text,
		})
	}
	return mv
}

// writeOutputs stages every output of a run from its collector (whose provider rows
// are already flushed): the tables, assumptions.csv, psa_draws.csv with --psa,
// manifest.json (its end and wall time set here) and the charts. Run and Merge share
// it, so their files are the same.
func writeOutputs(out *results.Output, col *results.Collector, f *scenarios.File, pl *model.Plan, psa bool,
	man *results.Manifest, start time.Time, noCharts bool, chartOpt plots.Options) error {
	for _, w := range []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"summary.csv", col.WriteSummary},
		{"differences.csv", col.WriteDifferences},
		{"timeseries.csv", col.WriteTimeseries},
		{"replications.csv", col.WriteReplications},
		{"costeffectiveness.csv", col.WriteCostEffectiveness},
		{"headline_sv.csv", col.WriteHeadlineSv},
		{"assumptions.csv", func(w io.Writer) error { return writeAssumptions(w, f, pl) }},
	} {
		if err := out.Write(w.name, w.fn); err != nil {
			return err
		}
	}
	if psa {
		if err := out.Write("psa_draws.csv", col.WriteDraws); err != nil {
			return err
		}
	}
	end := time.Now()
	man.Start, man.End = start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339)
	man.WallSeconds = end.Sub(start).Seconds()
	if err := out.Write("manifest.json", func(w io.Writer) error { return results.WriteManifest(w, man) }); err != nil {
		return err
	}
	if !noCharts {
		// The charts are drawn from the files just written, as "ersim plot" would.
		run, err := results.ReadRun(out.Stage())
		if err != nil {
			return err
		}
		if _, err := plots.Draw(run, filepath.Join(out.Stage(), "charts"), chartOpt); err != nil {
			return err
		}
	}
	return nil
}

// ReadRun reads the output directory of a finished run; a directory that is not one
// is a *scenarios.InputError.
func ReadRun(dir string) (*results.Run, error) {
	run, err := results.ReadRun(dir)
	if err != nil {
		return nil, &scenarios.InputError{File: dir, Msg: err.Error(), Allowed: `a directory written by "ersim run"`}
	}
	return run, nil
}

// ReportPaths are the report files WriteReport writes for opt: report.html and
// report.md in the run's own chart language and size, else report-LANG(-SIZE).*.
func ReportPaths(dir string, opt plots.Options) (html, md string) {
	_, suffix := plots.ChartsDir(dir, opt)
	return filepath.Join(dir, "report"+suffix+".html"), filepath.Join(dir, "report"+suffix+".md")
}

// WriteReport draws the charts of a finished run in dir (in opt's language, size and
// formats) and writes dir/report.html and dir/report.md, with a section for each
// analysis found in dir (sensitivity/, sweep/, decision/).
func WriteReport(dir string, opt plots.Options) error {
	run, err := ReadRun(dir)
	if err != nil {
		return err
	}
	// Charts in another language or size than the run's own go beside them, and so
	// does the report (report-sv.html …): nothing of the run is overwritten.
	chartsDir, suffix := plots.ChartsDir(dir, opt)
	charts, err := plots.Draw(run, chartsDir, opt)
	if err != nil {
		return err
	}
	in := &report.Input{Run: run, Charts: charts, ChartsDir: chartsDir, Lang: opt.Lang,
		Title: run.TitleIn(opt.Lang), About: run.DescriptionIn(opt.Lang), Sections: report.FindSections(dir, opt.Lang)}
	if in.Title == "" {
		in.Title = run.Manifest.Scenario
	}
	if err := WriteAtomic(filepath.Join(dir, "report"+suffix+".html"), func(w io.Writer) error { return report.WriteHTML(w, in) }); err != nil {
		return err
	}
	return WriteAtomic(filepath.Join(dir, "report"+suffix+".md"), func(w io.Writer) error {
		return report.WriteMarkdown(w, in, filepath.Base(chartsDir))
	})
}

// withLabels gives charts drawn without a run directory the scenario's names for its
// variants and cohorts in the charts' language ([labels.LANG.names]), unless the caller
// gave its own.
func withLabels(o plots.Options, sc *scenarios.Scenario) plots.Options {
	if o.Labels == nil && sc != nil {
		if l := sc.Labels[o.Lang]; l != nil {
			o.Labels = l.Names
		}
	}
	return o
}
