package scenarios

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// CheckValue reports whether the key path of sc can be set to value, as ersim sweep
// sets it: the key must name a number that can vary (as an [uncertainty] key must), and
// the scenario with value applied must pass the same validation a scenario file does.
// sc is not changed. The error is an *InputError whose Path is the key and whose
// Allowed says what the key may be set to.
func CheckValue(sc *Scenario, key string, value float64) error {
	t, err := findParam(sc, key)
	if err != nil {
		var ke *keyError
		if errors.As(err, &ke) {
			msg := strings.ReplaceAll(ke.msg, "cannot be uncertain", "cannot be swept")
			if ke.unknown {
				if s := closeMatches(canonicalKey(key), paramPaths(sc)); len(s) > 0 {
					msg += "; did you mean " + joinOr(s) + "?"
				}
			}
			return &InputError{Path: key, Msg: msg, Allowed: ke.allowed}
		}
		return &InputError{Path: key, Msg: err.Error(), Allowed: allowedKeys}
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return &InputError{Path: key, Msg: fmt.Sprintf("%v is not a finite number", value), Allowed: "a finite number"}
	}
	allowed := "a value the scenario accepts"
	if t.sub == "" {
		if b, ok := paramBounds(sc)[t.path]; ok {
			allowed = b.text
			if !b.contains(value) {
				return &InputError{Path: key, Msg: fmt.Sprintf("%s is outside the values %s may take", fmtNum(value), key), Allowed: allowed}
			}
		}
	}
	c := Clone(sc)
	if err := Apply(c, []string{key}, []float64{value}); err != nil {
		return &InputError{Path: key, Msg: err.Error(), Allowed: allowed}
	}
	if probs := validate(c); len(probs) > 0 {
		p := probs[0]
		return &InputError{Path: key, Msg: fmt.Sprintf("at %s the scenario is invalid: %s: %s", fmtNum(value), p.Path, p.Msg), Allowed: p.Allowed}
	}
	return nil
}

func joinOr(s []string) string { return strings.Join(s, " or ") }
