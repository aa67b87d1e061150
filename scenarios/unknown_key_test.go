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
