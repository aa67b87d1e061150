package study

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"ersim/model"
	"ersim/plots"
	"ersim/results"
	"ersim/scenarios"
)

// CompareRow is one headline metric of one variant in two runs (issue 15).
type CompareRow struct {
	Variant, Metric, Unit string
	A, B                  float64 // means
	Diff, Lo, Hi          float64 // B − A with its 95 % CI
	Paired                bool    // per replication (same seed and replications), else independent
}

// Comparison is what "ersim compare" found.
type Comparison struct {
	A, B     *results.Run
	Rows     []CompareRow
	Warnings []string
	// WarningsSv are the same warnings in Swedish, in the same order.
	WarningsSv []string
	Diff       []string // the baseline's resolved scenario, A against B, as unified-diff lines
}

// Compare compares the headline results of two runs, A and B (directories, or a
// scenario's directory of kept runs for its latest), variant by variant.
func Compare(dirA, dirB string) (*Comparison, error) {
	var runs [2]*results.Run
	for i, d := range []string{dirA, dirB} {
		r, err := results.ReadRun(d)
		if err != nil {
			return nil, &scenarios.InputError{File: d, Msg: err.Error(), Allowed: `a directory written by "ersim run"`}
		}
		runs[i] = r
	}
	a, b := runs[0], runs[1]
	c := &Comparison{A: a, B: b}
	warn := func(en, sv string, args ...any) {
		c.Warnings = append(c.Warnings, fmt.Sprintf(en, args...))
		c.WarningsSv = append(c.WarningsSv, fmt.Sprintf(sv, args...))
	}
	if a.Manifest.Scenario != b.Manifest.Scenario {
		warn("the runs are of different scenarios (%s and %s)", "körningarna gäller olika scenarier (%s och %s)", a.Manifest.Scenario, b.Manifest.Scenario)
	}
	if a.Manifest.Seed != b.Manifest.Seed {
		warn("the seeds differ (%d and %d): differences include chance; compared as independent samples",
			"fröna skiljer sig (%d och %d): skillnaderna innehåller slump; jämförda som oberoende stickprov", a.Manifest.Seed, b.Manifest.Seed)
	}
	if a.Manifest.Replications != b.Manifest.Replications {
		warn("the replications differ (%d and %d): compared as independent samples",
			"antalet replikeringar skiljer sig (%d och %d): jämförda som oberoende stickprov", a.Manifest.Replications, b.Manifest.Replications)
	}
	paired := a.Manifest.Seed == b.Manifest.Seed && a.Manifest.Replications == b.Manifest.Replications
	metrics := append([]string{}, model.Headline...)
	for _, m := range []string{"episodes", "complications_per_100", "episode_cost_region", "waiting_months"} {
		if a.Find(a.Variants[0], m, "all", "all") != nil {
			metrics = append(metrics, m)
		}
	}
	for _, v := range a.Variants {
		if b.Find(v, metrics[0], "all", "all") == nil {
			warn("variant %s is only in A", "varianten %s finns bara i A", v)
			continue
		}
		for _, m := range metrics {
			sa, sb := a.Find(v, m, "all", "all"), b.Find(v, m, "all", "all")
			if sa == nil || sb == nil {
				continue
			}
			row := CompareRow{Variant: v, Metric: m, Unit: sa.Unit, A: sa.Mean, B: sb.Mean, Diff: sb.Mean - sa.Mean}
			ra, rb := a.Replications[v], b.Replications[v]
			if paired && len(ra) == len(rb) && len(ra) > 1 {
				d := make([]float64, len(ra))
				for r := range ra {
					d[r] = rb[r][m] - ra[r][m]
				}
				st := results.Summarise(d)
				row.Diff, row.Lo, row.Hi, row.Paired = st.Mean, st.CILo, st.CIHi, true
			} else {
				se := math.Hypot(sa.MCSE, sb.MCSE)
				df := float64(min(sa.N, sb.N) - 1)
				t := 1.96
				if df >= 1 {
					t = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.975)
				}
				row.Lo, row.Hi = row.Diff-t*se, row.Diff+t*se
			}
			c.Rows = append(c.Rows, row)
		}
	}
	for _, v := range b.Variants {
		if a.Find(v, metrics[0], "all", "all") == nil {
			warn("variant %s is only in B", "varianten %s finns bara i B", v)
		}
	}
	if len(a.Manifest.Variants) > 0 && len(b.Manifest.Variants) > 0 {
		c.Diff = lineDiff(a.Manifest.Variants[0].Resolved, b.Manifest.Variants[0].Resolved)
	}
	return c, nil
}

// WriteCompare writes compare.csv, scenario.diff and the chart into dir.
func WriteCompare(c *Comparison, dir string, opt plots.Options) error {
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
	if err := out.Write("compare.csv", func(w io.Writer) error {
		cw := newCSV(w)
		cw.row("variant", "metric", "unit", "mean_a", "mean_b", "diff_b_minus_a", "ci_low", "ci_high", "paired")
		for _, r := range c.Rows {
			cw.row(r.Variant, r.Metric, r.Unit, num(r.A), num(r.B), num(r.Diff), num(r.Lo), num(r.Hi), fmt.Sprint(r.Paired))
		}
		return cw.flush()
	}); err != nil {
		return err
	}
	if err := out.Write("scenario.diff", func(w io.Writer) error {
		_, err := io.WriteString(w, "--- A "+c.A.Dir+"\n+++ B "+c.B.Dir+"\n"+strings.Join(c.Diff, "\n")+"\n")
		return err
	}); err != nil {
		return err
	}
	var pts []plots.ComparePoint
	for _, r := range c.Rows {
		rel := func(x float64) float64 { return 100 * x / math.Abs(r.A) }
		if r.A == 0 {
			continue
		}
		pts = append(pts, plots.ComparePoint{Variant: r.Variant, Metric: r.Metric, Rel: rel(r.Diff), Lo: rel(r.Lo), Hi: rel(r.Hi)})
	}
	if _, err := plots.DrawCompare(pts, filepath.Base(c.A.Dir), filepath.Base(c.B.Dir), filepath.Join(out.Stage(), "charts"), opt); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}

// lineDiff is a unified diff (without hunk headers: changed lines with two lines of
// context, "…" between hunks) of two texts, by the longest common subsequence of lines.
func lineDiff(a, b string) []string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(x), len(y)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		kind byte
		line string
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, op{' ', x[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, op{'+', y[j]})
			j++
		default:
			ops = append(ops, op{'-', x[i]})
			i++
		}
	}
	show := make([]bool, len(ops))
	for k, o := range ops {
		if o.kind != ' ' {
			for d := max(0, k-2); d <= min(len(ops)-1, k+2); d++ {
				show[d] = true
			}
		}
	}
	var out []string
	gap := false
	for k, o := range ops {
		if !show[k] {
			gap = true
			continue
		}
		if gap && len(out) > 0 {
			out = append(out, "…")
		}
		gap = false
		out = append(out, string(o.kind)+o.line)
	}
	return out
}
