package scenarios

import (
	"slices"
	"testing"
)

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kappa", "kappa", 2, 0},
		{"kapa", "kappa", 2, 1},
		{"theta", "beta", 2, 2},
		{"substitution", "subsitutoin", 3, 3},
		{"a", "abcdef", 2, 3}, // beyond the limit: limit+1
		{"abcdef", "uvwxyz", 2, 3},
	} {
		if got := editDistance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}

// closeMatches puts a missing prefix first, then near spellings, then the same last key.
func TestCloseMatches(t *testing.T) {
	candidates := []string{"behaviour.quality.substitution", "behaviour.quality.kappa",
		"behaviour.motivation.kappa", "cohorts.lov_gp.altruism.a"}
	if got, want := closeMatches("quality.substitution", candidates), []string{"behaviour.quality.substitution"}; !slices.Equal(got, want) {
		t.Errorf("missing prefix: %v, want %v", got, want)
	}
	if got, want := closeMatches("behaviour.quality.kapa", candidates), []string{"behaviour.quality.kappa"}; !slices.Equal(got, want) {
		t.Errorf("misspelt: %v, want %v", got, want)
	}
	if got, want := closeMatches("behaviour.volume.kappa", candidates), []string{"behaviour.quality.kappa", "behaviour.motivation.kappa"}; !slices.Equal(got, want) {
		t.Errorf("same last key: %v, want %v", got, want)
	}
	if got := suggestAmong("nothing.like.it", candidates); got != "" {
		t.Errorf("a far key gets a suggestion: %q", got)
	}
}
