package validation

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fakeResults gives every target a result without simulating: the estimate and its
// interval at the band's middle (or 0.5 for an unbounded band), the verdict the rule
// gives.
func fakeResults() []Result {
	var rs []Result
	for i, t := range Targets() {
		x := 0.5 + float64(i)
		if t.Band != nil && !math.IsInf(t.Band.Lo, 0) && !math.IsInf(t.Band.Hi, 0) {
			x = (t.Band.Lo + t.Band.Hi) / 2
		}
		rs = append(rs, Result{Target: t, Replications: 3, Estimate: x, CILo: x, CIHi: x, MCSE: 0,
			Verdict: Decide(t.Band, x, x)})
	}
	return rs
}

func TestInSample(t *testing.T) {
	for _, id := range []string{"6", "7a", "7b", "8a", "8c", "9a", "9b", "10", "11"} {
		if !InSample(id) || SampleOf(id) != SampleIn {
			t.Errorf("target %s: want in-sample", id)
		}
	}
	for _, id := range []string{"1", "2", "3a", "3e", "4", "5a", "5c", "7", "8b", "8d", "8e", "9", "12", ""} {
		if InSample(id) || SampleOf(id) != SampleOut {
			t.Errorf("target %s: want out-of-sample", id)
		}
	}
	for _, tg := range Targets() {
		if want := SampleOf(tg.ID); tg.Sample() != want {
			t.Errorf("target %s: Sample() = %q, want %q", tg.ID, tg.Sample(), want)
		}
	}
}

// The column sample is written and read back; a file without it (the format before
// issue 12) still reads, with the sample empty and every other field the same.
func TestCSVSample(t *testing.T) {
	rs := fakeResults()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rs); err != nil {
		t.Fatal(err)
	}
	written := buf.String()
	back, err := ReadCSV(strings.NewReader(written))
	if err != nil || len(back) != len(rs) {
		t.Fatalf("read back: %d rows, %v", len(back), err)
	}
	in, out := 0, 0
	for i, r := range back {
		if r.Sample != rs[i].Sample() {
			t.Errorf("target %s: sample read back as %q, want %q", r.ID, r.Sample, rs[i].Sample())
		}
		switch r.Sample {
		case SampleIn:
			in++
		case SampleOut:
			out++
		}
	}
	if in == 0 || out == 0 {
		t.Errorf("%d in-sample and %d out-of-sample rows; want some of each", in, out)
	}

	// The same file without the column.
	recs, err := csv.NewReader(strings.NewReader(written)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	k := slices.Index(recs[0], "sample")
	if k < 0 {
		t.Fatalf("header %v has no sample", recs[0])
	}
	var old bytes.Buffer
	cw := csv.NewWriter(&old)
	for _, rec := range recs {
		cw.Write(slices.Delete(slices.Clone(rec), k, k+1))
	}
	cw.Flush()
	oldBack, err := ReadCSV(&old)
	if err != nil || len(oldBack) != len(back) {
		t.Fatalf("old format: %d rows, %v", len(oldBack), err)
	}
	for i, r := range oldBack {
		if r.Sample != "" {
			t.Errorf("old format, target %s: sample %q, want empty", r.ID, r.Sample)
		}
		r.Sample = back[i].Sample
		if !sameRow(r, back[i]) {
			t.Errorf("old format, row %d: %+v, new format %+v", i, r, back[i])
		}
	}

	// A file that lacks a required column is still an error.
	noVerdict := strings.Replace(written, ",verdict,", ",verdikt,", 1)
	if _, err := ReadCSV(strings.NewReader(noVerdict)); err == nil || !strings.Contains(err.Error(), "verdict") {
		t.Errorf("no verdict column: %v", err)
	}
}

func sameRow(a, b Row) bool {
	eq := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	bandEq := a.Band == nil && b.Band == nil || a.Band != nil && b.Band != nil && *a.Band == *b.Band
	return a.ID == b.ID && a.Kind == b.Kind && a.Scenario == b.Scenario && a.Verdict == b.Verdict && a.Sample == b.Sample &&
		bandEq && eq(a.Estimate, b.Estimate) && eq(a.CILo, b.CILo) && eq(a.CIHi, b.CIHi) && eq(a.MCSE, b.MCSE) &&
		a.Replications == b.Replications
}

// The committed before file is the old format and has a row for every target of that
// run.
func TestBeforeCalibrationFile(t *testing.T) {
	rows, err := BeforeCalibration()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 20 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if r.Verdict == "" || r.Replications < MinReplications {
			t.Errorf("target %s: verdict %q, %d replications", r.ID, r.Verdict, r.Replications)
		}
	}
}

// section returns the Markdown between the heading and the next one.
func section(t *testing.T, md, heading string) string {
	t.Helper()
	i := strings.Index(md, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("no section %q", heading)
	}
	s := md[i+len(heading)+2:]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s
}

// tableRows returns the cells of a section's table rows (not its header or rule).
func tableRows(s string) [][]string {
	var out [][]string
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "| ") || i+1 < len(lines) && strings.HasPrefix(lines[i+1], "|---") || strings.HasPrefix(l, "|---") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), " | ")
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		out = append(out, cells)
	}
	return out
}

// The out-of-sample section lists exactly the out-of-sample targets, in ID order, with
// the before file's estimate and verdict, and "—" for a target the before file lacks.
func TestOutOfSampleSection(t *testing.T) {
	rs := fakeResults()
	slices.Reverse(rs) // the section sorts by ID itself
	var before []Row
	var missing string
	for _, r := range rs {
		if !InSample(r.ID) && missing == "" && r.Verdict == Pass {
			missing = r.ID // left out of the before file
			continue
		}
		before = append(before, Row{ID: r.ID, Kind: string(r.Kind), Scenario: r.Scenario, Verdict: Fail, Band: r.Band,
			Estimate: 1234, CILo: 1200, CIHi: 1300, Replications: MinReplications})
	}
	if missing == "" {
		t.Fatal("no passing out-of-sample target to leave out")
	}
	var md bytes.Buffer
	if err := writeMarkdown(&md, rs, Meta{Replications: 3, Workers: 1, Command: "go test"}, before); err != nil {
		t.Fatal(err)
	}
	sec := section(t, md.String(), "## Out-of-sample targets, before and after calibration")
	var want []string
	for _, tg := range Targets() {
		if !InSample(tg.ID) {
			want = append(want, tg.ID)
		}
	}
	slices.SortStableFunc(want, func(a, b string) int {
		if idLess(a, b) {
			return -1
		}
		if idLess(b, a) {
			return 1
		}
		return 0
	})
	rows := tableRows(sec)
	var got []string
	for _, c := range rows {
		got = append(got, c[0])
		if len(c) != 7 {
			t.Errorf("row %v: %d cells, want 7", c, len(c))
			continue
		}
		if c[0] == missing {
			if c[3] != "—" || c[4] != "—" {
				t.Errorf("target %s, missing before: before shows %q, %q; want —", c[0], c[3], c[4])
			}
			if c[6] != Pass {
				t.Errorf("target %s: now %q, want pass", c[0], c[6])
			}
		} else if c[3] != "1234 [1200, 1300]" || c[4] != "**fail**" {
			t.Errorf("target %s: before shows %q, %q", c[0], c[3], c[4])
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("out-of-sample section lists %v, want %v", got, want)
	}
	for _, s := range []string{BeforeCalibrationCommit, "validation/before-calibration.csv", "validation/calibration.toml", "docs/calibration.md", "no parameter was moved"} {
		if !strings.Contains(sec, s) {
			t.Errorf("the section does not say %q", s)
		}
	}

	// The results table has the column sample; the summary counts by sample.
	nIn, nOut := 0, 0
	for _, r := range rs {
		line := "\n| " + r.ID + " | " + string(r.Kind) + " | " + r.Sample() + " | "
		if !strings.Contains(md.String(), line) {
			t.Errorf("results table: no row starting %q", line)
		}
		if InSample(r.ID) {
			nIn++
		} else {
			nOut++
		}
	}
	sum := section(t, md.String(), "## Summary")
	for _, s := range []string{"| sample | rows |", "| in-sample | " + strconv.Itoa(nIn) + " | ", "| out-of-sample | " + strconv.Itoa(nOut) + " | "} {
		if !strings.Contains(sum, s) {
			t.Errorf("summary has no %q:\n%s", s, sum)
		}
	}

	// The terminal table has it too.
	var table bytes.Buffer
	if err := WriteTable(&table, rs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n")
	if f := strings.Fields(lines[0]); len(f) < 2 || f[1] != "sample" {
		t.Errorf("terminal table header %q", lines[0])
	}
	for i, r := range rs {
		if f := strings.Fields(lines[i+1]); len(f) < 2 || f[0] != r.ID || f[1] != r.Sample() {
			t.Errorf("terminal table row %q, want %s %s", lines[i+1], r.ID, r.Sample())
		}
	}
}
