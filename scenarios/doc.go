// Package scenarios holds ersim's scenario format: the TOML schema, its strict decoding
// and validation with messages that name the file, line, key and what is allowed, the
// resolution of variants into complete scenarios, and the scenarios shipped with ersim,
// embedded in the binary.
//
// Files: types.go (the schema), param.go (a number or a distribution), defaults.go,
// load.go (decoding, variants), locate.go (line numbers of key paths), validate.go (the
// checks of each section) with checker.go (bounds and generic checks) and plausible.go
// (the plausibility bounds of numbers without a natural upper end), embed.go (shipped
// scenarios), params.go (every parameter with its source, for the assumptions table) and
// sweep.go (checking a value a sweep sets).
// Parameter uncertainty: uncertainty.go (the [uncertainty] section and one
// distribution's check), validate_uncertainty.go (the section checked against its
// scenario), sample.go (the compiled sampler, per-key streams, Gaussian copula),
// keypath.go (a key path resolved to a parameter), apply.go (draws applied to a variant),
// clone.go (deep copies) and suggest.go ("did you mean"). The distributions themselves
// are in package ersim/dist.
package scenarios
