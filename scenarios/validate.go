package scenarios

// problem is one validation finding: the key path, what is wrong, what is allowed.
type problem struct{ Path, Msg, Allowed string }

func validate(sc *Scenario) []problem { return nil }
