package scenarios

import (
	"strings"
	"testing"
)

// An unknown key is reported with the keys its table takes, nearest first.
func TestUnknownKeySuggestsNearest(t *testing.T) {
	_, err := Parse("typo.toml", []byte("name = \"x\"\nhorizn_years = 3\n"))
	if err == nil || !strings.Contains(err.Error(), "did you mean horizon_years?") || !strings.Contains(err.Error(), "typo.toml:2") {
		t.Fatalf("got %v", err)
	}
}

// A table with an empty name, [""], is an unknown key like any other: it once made the
// "did you mean" suggestion index an empty path and panic.
func TestEmptyTableName(t *testing.T) {
	for _, text := range []string{"[\"\"]\n", "[\"\"]\nx = 1\n", "[cohorts.\"\"]\n", "[\"\".\"\"]\n"} {
		_, err := Parse("empty.toml", []byte(text))
		if err == nil || !IsInputError(err) {
			t.Errorf("%q: %v, want an input error", text, err)
			continue
		}
		if !strings.Contains(err.Error(), "empty.toml:1") || !strings.Contains(err.Error(), "allowed") {
			t.Errorf("%q: %v, want the file, the line and what is allowed", text, err)
		}
	}
}
