package report

import (
	"os"
	"path/filepath"
	"testing"
)

// A kept run (out/<scenario>/<time>, beside a "latest" link) finds the analyses that
// "ersim sensitivity" and "ersim sweep" write to out/<scenario>/ by default; a run
// directory's own analysis comes first.
func TestAnalysisDir(t *testing.T) {
	parent := t.TempDir()
	run := filepath.Join(parent, "2026-12-02_170512")
	os.MkdirAll(run, 0o755)
	os.Symlink("2026-12-02_170512", filepath.Join(parent, "latest"))
	os.MkdirAll(filepath.Join(parent, "sensitivity"), 0o755)
	if got := AnalysisDir(run, "sensitivity"); got != filepath.Join(parent, "sensitivity") {
		t.Errorf("kept run: %s", got)
	}
	if got := AnalysisDir(filepath.Join(parent, "latest"), "sensitivity"); got != filepath.Join(parent, "sensitivity") {
		t.Errorf("through latest: %s", got)
	}
	os.MkdirAll(filepath.Join(run, "sensitivity"), 0o755)
	if got := AnalysisDir(run, "sensitivity"); got != filepath.Join(run, "sensitivity") {
		t.Errorf("the run's own: %s", got)
	}
	alone := t.TempDir()
	if got := AnalysisDir(alone, "sweep"); got != filepath.Join(alone, "sweep") {
		t.Errorf("a run with no analysis: %s", got)
	}
}
