package results

import (
	"ersim/scenarios"

	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"ersim/model"
)

// Output writes a run's files into a staging directory beside the output directory and
// moves them into place only when all of them are complete, so a failed or interrupted
// run leaves no half-written file.
type Output struct {
	Dir   string
	stage string
}

// Marker is the file every output directory ersim writes carries, so that a later run
// knows the directory is ersim's to replace (issue 15).
const Marker = ".ersim-output"

// CheckOutputDir reports whether dir may receive ersim's output: it does not exist, is
// empty, or was written by ersim (it has the marker, a manifest.json or a shard's
// data). Anything else is refused, so that --out never replaces a user's files.
func CheckOutputDir(dir string) error {
	st, err := os.Stat(dir)
	if os.IsNotExist(err) {
		return nil
	}
	bad := func(msg string) error {
		return &scenarios.InputError{File: dir, Path: "--out", Msg: msg,
			Allowed: "a new or empty directory, or one an earlier ersim run wrote (it is then replaced whole)"}
	}
	if err != nil {
		return bad(err.Error())
	}
	if !st.IsDir() {
		return bad("is a file, not a directory")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return bad(err.Error())
	}
	if len(entries) == 0 {
		return nil
	}
	for _, name := range []string{Marker, "manifest.json", "shard.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return nil
		}
	}
	more := ""
	if len(entries) > 1 {
		more = fmt.Sprintf(" and %d more", len(entries)-1)
	}
	return bad(fmt.Sprintf("holds %s%s, which no ersim run wrote; nothing was changed", entries[0].Name(), more))
}

// NewOutput prepares staging for dir. Nothing is created inside dir until Commit; a
// dir that holds anything but an earlier ersim output is refused (CheckOutputDir).
func NewOutput(dir string) (*Output, error) {
	if err := CheckOutputDir(dir); err != nil {
		return nil, err
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("results: cannot create %s: %w", parent, err)
	}
	stage, err := os.MkdirTemp(parent, ".ersim-stage-")
	if err != nil {
		return nil, fmt.Errorf("results: cannot stage output beside %s: %w", dir, err)
	}
	return &Output{Dir: dir, stage: stage}, nil
}

// Create opens a staged file; name may contain a subdirectory.
func (o *Output) Create(name string) (*os.File, error) {
	path := filepath.Join(o.stage, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	return f, nil
}

// Write stages a file written by fn.
func (o *Output) Write(name string, fn func(w io.Writer) error) error {
	f, err := o.Create(name)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("results: writing %s: %w", name, err)
	}
	return f.Close()
}

// Stage is the staging directory, for stages that write their files themselves (the
// charts); Commit moves whatever is in it.
func (o *Output) Stage() string { return o.stage }

// Commit puts the staged files, including those written straight into Stage(), in
// place of the output directory: an earlier output there is replaced whole, so no file
// of it is left beside the new one (issue 15).
func (o *Output) Commit() error {
	defer os.RemoveAll(o.stage)
	if err := os.WriteFile(filepath.Join(o.stage, Marker), []byte("written by ersim; a rerun into this directory replaces it whole\n"), 0o644); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if err := CheckOutputDir(o.Dir); err != nil {
		return err
	}
	if err := os.Chmod(o.stage, 0o755); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	old := ""
	if _, err := os.Stat(o.Dir); err == nil {
		old = o.stage + "-old"
		if err := os.Rename(o.Dir, old); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	if err := os.Rename(o.stage, o.Dir); err != nil {
		if old != "" {
			os.Rename(old, o.Dir)
		}
		return fmt.Errorf("results: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// Abort discards the staged files.
func (o *Output) Abort() { os.RemoveAll(o.stage) }

func writeCSV(w io.Writer, header []string, rows func(emit func([]string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := rows(cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func (c *Collector) groupName(g int) string {
	if g < 0 {
		return "all"
	}
	return c.Plan.GroupNames[g]
}

// WriteSummary writes summary.csv: a row per (variant, metric, contract_form,
// need_group) with the mean, its Monte Carlo error and 95 % confidence interval, and
// quantiles across replications.
func (c *Collector) WriteSummary(w io.Writer) error {
	header := append([]string{"variant", "metric", "contract_form", "need_group", "unit", "n",
		"mean", "sd", "mcse", "ci_low", "ci_high"}, QuantileNames...)
	return writeCSV(w, header, func(emit func([]string) error) error {
		for vi, v := range c.Plan.Variants {
			for ci, cell := range c.Plan.Cells {
				st := Summarise(c.Column(vi, ci))
				if st.N == 0 {
					continue // not defined here (e.g. measured quality where no rule has indicators)
				}
				m := model.Metrics[cell.Metric]
				row := []string{v.Name, m.Name, model.FormName(cell.Form), c.groupName(cell.Group), m.Unit,
					strconv.Itoa(st.N), num(st.Mean), num(st.SD), num(st.MCSE), num(st.CILo), num(st.CIHi)}
				for _, q := range st.Q {
					row = append(row, num(q))
				}
				if err := emit(row); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// WriteDifferences writes differences.csv: every variant's paired difference from the
// baseline (common random numbers), per cell.
func (c *Collector) WriteDifferences(w io.Writer) error {
	header := []string{"variant", "baseline", "metric", "contract_form", "need_group", "unit", "n",
		"mean_diff", "mcse", "ci_low", "ci_high", "baseline_mean", "relative_diff"}
	base := c.Plan.Variants[0].Name
	return writeCSV(w, header, func(emit func([]string) error) error {
		for vi := 1; vi < len(c.Plan.Variants); vi++ {
			for ci, cell := range c.Plan.Cells {
				d := Summarise(c.Diff(vi, ci))
				if d.N == 0 {
					continue
				}
				b := Summarise(c.Column(0, ci))
				m := model.Metrics[cell.Metric]
				rel := math.NaN()
				if b.Mean != 0 {
					rel = d.Mean / math.Abs(b.Mean)
				}
				if err := emit([]string{c.Plan.Variants[vi].Name, base, m.Name, model.FormName(cell.Form),
					c.groupName(cell.Group), m.Unit, strconv.Itoa(d.N), num(d.Mean), num(d.MCSE),
					num(d.CILo), num(d.CIHi), num(b.Mean), num(rel)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// WriteTimeseries writes timeseries.csv: a row per (variant, metric, period) with the
// mean and streaming quantiles across replications.
func (c *Collector) WriteTimeseries(w io.Writer) error {
	header := append([]string{"variant", "metric", "period", "year", "unit", "mean"}, QuantileNames...)
	per := c.Plan.PeriodsPerYr
	return writeCSV(w, header, func(emit func([]string) error) error {
		for vi, v := range c.Plan.Variants {
			for m, sm := range model.Series {
				for t, sc := range c.series[vi][m] {
					if sc.n == 0 {
						continue
					}
					row := []string{v.Name, sm.Name, strconv.Itoa(t + 1),
						strconv.FormatFloat(float64(t)/float64(per)+0.5/float64(per), 'f', 4, 64),
						sm.Unit, num(sc.sum / float64(sc.n))}
					for i := range sc.q {
						row = append(row, num(sc.q[i].value()))
					}
					if err := emit(row); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// WriteReplications writes replications.csv: a row per (variant, replication) with the
// all-forms, all-groups value of every metric, for paired comparisons elsewhere.
func (c *Collector) WriteReplications(w io.Writer) error {
	var cols []int
	header := []string{"variant", "replication"}
	for ci, cell := range c.Plan.Cells {
		if cell.Form == -1 && cell.Group == -1 {
			cols = append(cols, ci)
			header = append(header, model.Metrics[cell.Metric].Name)
		}
	}
	return writeCSV(w, header, func(emit func([]string) error) error {
		nc := len(c.Plan.Cells)
		for vi, v := range c.Plan.Variants {
			reps := len(c.values[vi]) / nc
			for r := range reps {
				row := []string{v.Name, strconv.Itoa(r + 1)}
				for _, ci := range cols {
					row = append(row, num(c.values[vi][r*nc+ci]))
				}
				if err := emit(row); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Manifest is the provenance of a run.
type Manifest struct {
	Ersim        string            `json:"ersim_version"`
	Go           string            `json:"go_version"`
	Scenario     string            `json:"scenario"`
	File         string            `json:"file"`
	Seed         uint64            `json:"seed"`
	Replications int               `json:"replications"`
	Workers      int               `json:"workers"`
	Variants     []ManifestVariant `json:"variants"`
	Start        string            `json:"start"`
	End          string            `json:"end"`
	WallSeconds  float64           `json:"wall_seconds"`
	Shards       []ManifestShard   `json:"shards,omitempty"` // a merged run's shards
}

// ManifestShard records one shard of a merged run: its directory, its index K of N
// (0-based) and its replications [First, Last) (0-based, Last excluded).
type ManifestShard struct {
	Dir         string  `json:"dir"`
	Shard       int     `json:"shard"`
	Of          int     `json:"of"`
	First       int     `json:"first"`
	Last        int     `json:"last"`
	Workers     int     `json:"workers"`
	WallSeconds float64 `json:"wall_seconds"`
}

// ManifestVariant records one variant's resolved scenario and its hash.
type ManifestVariant struct {
	Name          string  `json:"name"`
	Description   string  `json:"description"`
	BudgetNeutral bool    `json:"budget_neutral"`
	PriceScale    float64 `json:"price_scale"`
	SHA256        string  `json:"sha256"`
	Resolved      string  `json:"resolved_scenario"`
}

// WriteManifest writes manifest.json.
func WriteManifest(w io.Writer, m *Manifest) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// WriteDraws writes psa_draws.csv: per replication, the value drawn for every uncertain
// parameter, so that the analysis can be redone elsewhere.
func (c *Collector) WriteDraws(w io.Writer) error {
	keys := c.Plan.PSAKeys()
	return writeCSV(w, append([]string{"replication"}, keys...), func(emit func([]string) error) error {
		for r, draws := range c.psa {
			row := []string{strconv.Itoa(r + 1)}
			for _, x := range draws {
				row = append(row, strconv.FormatFloat(x, 'g', -1, 64))
			}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	})
}
