// Package validation reproduces published results with the engine (issue 4): the
// verification, directional, held-out quantitative and calibration-check targets of
// MODEL.md §9, each a row with its study, quantity, published value and acceptance
// band, the simulated estimate with its 95 % interval and Monte Carlo standard error,
// the parameters calibrated against it, and pass or fail.
//
// Every target is computed from a normal scenario file in scenarios/ (embedded), one
// per study, which a user can run and vary with `ersim run`. The behavioural parameters
// are one shared set (Shared), identical in every scenario; the tests check it.
//
// Run simulates the scenarios and returns the rows; WriteMarkdown and WriteCSV write
// VALIDATION.md and VALIDATION.csv, WriteFiles both into a directory, WriteTable a short
// table for the terminal. The recorded run is rewritten with
//
//	go test ./validation -run TestUpdate -update
package validation
