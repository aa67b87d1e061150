package scenarios

import (
	"reflect"
	"slices"
	"sort"
	"strings"
)

// paramPaths lists the key paths that can be uncertain: every Param of sc, and each
// parameter of a per-provider distribution.
func paramPaths(sc *Scenario) []string {
	var out []string
	walkParams(reflect.ValueOf(sc).Elem(), "", false, func(path string, p Param, _ bool) {
		if !p.IsDist() {
			out = append(out, path)
			return
		}
		for _, n := range distParamNames(p) {
			out = append(out, path+"."+n)
		}
	})
	return out
}

// closeMatches returns up to three candidates close to key: those it is a suffix of
// (a missing prefix), then those within a few edits, then those ending in the same key.
func closeMatches(key string, candidates []string) []string {
	var out []string
	addOnce := func(c string) {
		if len(out) < 3 && !slices.Contains(out, c) && c != key {
			out = append(out, c)
		}
	}
	for _, c := range candidates {
		if strings.HasSuffix(c, "."+key) {
			addOnce(c)
		}
	}
	type scored struct {
		c string
		d int
	}
	var near []scored
	limit := max(2, len(key)/8)
	for _, c := range candidates {
		if d := editDistance(key, c, limit); d <= limit {
			near = append(near, scored{c, d})
		}
	}
	sort.SliceStable(near, func(i, j int) bool { return near[i].d < near[j].d })
	for _, s := range near {
		addOnce(s.c)
	}
	segs := splitPath(key)
	if len(segs) == 0 {
		return out
	}
	last := segs[len(segs)-1]
	for _, c := range candidates {
		cs := splitPath(c)
		if len(cs) > 0 && cs[len(cs)-1] == last {
			addOnce(c)
		}
	}
	return out
}

func suggestAmong(key string, names []string) string {
	canon := make([]string, len(names))
	for i, n := range names {
		canon[i] = canonicalKey(n)
	}
	if s := closeMatches(key, canon); len(s) > 0 {
		return "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b, or limit+1 when it exceeds limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Nearest returns up to three of names close to word (a mistyped key, command or
// flag), nearest first, for a "did you mean" message.
func Nearest(word string, names []string) []string { return closeMatches(word, names) }
