// Package scenarios holds ersim's scenario format: the TOML schema, its strict decoding
// and validation with messages that name the file, line, key and what is allowed, the
// resolution of variants into complete scenarios, and the scenarios shipped with ersim,
// embedded in the binary.
package scenarios
