// Package plots draws ersim's charts from a finished run's results (results.Run). It
// never runs the model: data flows scenario → model → results → charts.
package plots

// Options choose the language, size and file formats of the charts.
type Options struct {
	Lang    string   // "en" or "sv"
	Size    string   // "report" (a column of an A4 report, 16 cm wide) or "slide" (16:9)
	Formats []string // any of "svg", "png", "pdf"
}

// Chart is one drawn chart: its files (relative to the charts directory), the CSV with
// exactly the data it plots, and its title and caption in the chosen language.
type Chart struct {
	ID      string   // file stem, e.g. "tradeoff_benefit"
	Title   string   // short title
	Caption string   // what it shows and how to read it
	Files   []string // e.g. "tradeoff_benefit.svg", "tradeoff_benefit.png"
	CSV     string   // e.g. "tradeoff_benefit.csv"
}
