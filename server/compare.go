package server

import (
	"net/http"

	"ersim/results"
	"ersim/study"
)

type cmpRow struct{ Variant, Metric, A, B, Diff, CI string }

// compare shows two runs side by side (study.Compare): each headline metric, B − A with
// its interval, what differs between the scenarios, and the warnings.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	a, okA := s.runFor(r.FormValue("a"))
	b, okB := s.runFor(r.FormValue("b"))
	if !okA || !okB || a.Running || b.Running {
		s.fail(w, r, http.StatusNotFound, "choose two finished runs")
		return
	}
	c, err := study.Compare(a.Dir, b.Dir)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	l := lang(r)
	var rows []cmpRow
	for _, x := range c.Rows {
		rows = append(rows, cmpRow{Variant: c.A.Label(x.Variant, l), Metric: x.Metric, A: num(x.A, l), B: num(x.B, l),
			Diff: sign(x.Diff, l), CI: sign(x.Lo, l) + " … " + sign(x.Hi, l)})
	}
	s.render(w, r, http.StatusOK, "compare", a.ID+" · "+b.ID, map[string]any{"A": a.ID, "B": b.ID, "Rows": rows,
		"Warnings": c.Warnings, "Diff": c.Diff})
}

func sign(x float64, l string) string {
	s := results.Fmt(x, true)
	if l == "sv" {
		return results.SvNumber(s)
	}
	return s
}
