package validation

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// inSample holds the published targets that issue 12 puts in-sample: the shared
// behavioural parameters are calibrated on them (ABC-SMC; validation/calibration.toml
// names them, docs/calibration.md describes the method), so they are not tests of the
// model. Every other target is out-of-sample. An ID here need not be a target yet
// (target 11, the Swedish physicians' share of working time on administration, may be
// added later).
var inSample = map[string]bool{
	"6":  true,
	"7a": true,
	"7b": true,
	"8a": true,
	"8c": true,
	"9a": true,
	"9b": true,
	"10": true,
	"11": true,
	// Set by hand: the digital-care scenario's scale in 2016 (issue 13).
	"12c": true,
}

// InSample reports whether the target with this ID is in the in-sample set of issue 12.
func InSample(id string) bool { return inSample[id] }

// The two values of the sample column.
const (
	SampleIn  = "in-sample"
	SampleOut = "out-of-sample"
)

// SampleOf returns SampleIn or SampleOut for a target ID.
func SampleOf(id string) string {
	if InSample(id) {
		return SampleIn
	}
	return SampleOut
}

// Sample returns SampleIn or SampleOut: whether the target was used to calibrate the
// shared behavioural parameters (issue 12).
func (t Target) Sample() string { return SampleOf(t.ID) }

// BeforeCalibrationCommit is the commit whose VALIDATION.csv was copied to
// before-calibration.csv: the recorded run of the uncalibrated shared behavioural set.
const BeforeCalibrationCommit = "d4a4ef1"

//go:embed before-calibration.csv
var beforeCSV []byte

// BeforeCalibration returns the rows of before-calibration.csv (embedded): the recorded
// run of the uncalibrated shared behavioural set, VALIDATION.csv at
// BeforeCalibrationCommit.
func BeforeCalibration() ([]Row, error) {
	rows, err := ReadCSV(bytes.NewReader(beforeCSV))
	if err != nil {
		return nil, fmt.Errorf("validation: before-calibration.csv: %w", err)
	}
	return rows, nil
}

// writeOutOfSample writes the section that lists every out-of-sample target of rs, in
// ID order, with its estimate and verdict before calibration (from before) and now. A
// target missing from before shows "—".
func writeOutOfSample(b *strings.Builder, rs []Result, before []Row) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	// In-sample targets fitted the shared set (ABC-SMC) or set one scenario's own value.
	var shared, byHand []string
	for _, r := range rs {
		switch {
		case !InSample(r.ID):
		case strings.HasPrefix(r.Calibrated, inSampleSet):
			shared = append(shared, r.ID)
		default:
			byHand = append(byHand, r.ID)
		}
	}
	p("## Out-of-sample targets, before and after calibration\n\n")
	p("Issue 12 calibrates the shared behavioural parameters (ABC-SMC; `validation/calibration.toml`, `docs/calibration.md`) on the in-sample targets (%s): they were used to fit the calibrated parameters and so are not tests of the model. ", listOrNone(shared))
	if len(byHand) > 0 {
		p("Target %s set a scenario's own value by hand (issue 13: the digital-care scenario's scale in 2016), and so is in-sample too. ", strings.Join(byHand, ", "))
	}
	p("The out-of-sample targets below are; every one is listed, whether it passes or fails, and no parameter was moved because an out-of-sample target failed.\n\n")
	p("*Before* is the recorded run of the uncalibrated shared behavioural set: `validation/before-calibration.csv`, a copy of `VALIDATION.csv` at commit %s. *Now* is this run. A target missing from the before file shows —.\n\n", BeforeCalibrationCommit)
	byID := map[string]Row{}
	for _, r := range before {
		byID[r.ID] = r
	}
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b Result) int {
		switch {
		case idLess(a.ID, b.ID):
			return -1
		case idLess(b.ID, a.ID):
			return 1
		}
		return 0
	})
	p("| ID | quantity | band | before: estimate [95 %% interval] | before: verdict | now: estimate [95 %% interval] | now: verdict |\n|---|---|---|---|---|---|---|\n")
	for _, r := range out {
		if InSample(r.ID) {
			continue
		}
		bEst, bVerdict := "—", "—"
		if q, ok := byID[r.ID]; ok {
			bEst = num4(q.Estimate) + " [" + num4(q.CILo) + ", " + num4(q.CIHi) + "]"
			bVerdict = boldFail(q.Verdict)
		}
		p("| %s | %s | %s | %s | %s | %s [%s, %s] | %s |\n", r.ID, cell(shortQuantity(r.Quantity)), bandText(r.Band),
			bEst, bVerdict, num4(r.Estimate), num4(r.CILo), num4(r.CIHi), boldFail(r.Verdict))
	}
	p("\n")
}

func boldFail(v string) string {
	if v == Fail {
		return "**fail**"
	}
	if v == "" {
		return "—"
	}
	return v
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "none in this run"
	}
	return strings.Join(ids, ", ")
}

// shortQuantity shortens a target's quantity for the out-of-sample table: at most
// 80 characters, cut at a word.
func shortQuantity(s string) string {
	const limit = 80
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)[:limit]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + " …"
}
