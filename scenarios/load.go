package scenarios

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// InputError is one problem with a scenario file: where it is, which key, what is wrong
// and what is allowed.
type InputError struct {
	File    string
	Line    int // 0 when unknown
	Col     int // 0 when unknown
	Path    string
	Msg     string
	Allowed string
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Allowed != "" {
		b.WriteString("; allowed: ")
		b.WriteString(e.Allowed)
	}
	return b.String()
}

// InputErrors is every problem found in a file, in file order.
type InputErrors []*InputError

func (es InputErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// IsInputError reports whether err is a problem with the user's input (exit status 2).
func IsInputError(err error) bool {
	var ie *InputError
	var ies InputErrors
	return errors.As(err, &ie) || errors.As(err, &ies)
}

// File is a loaded, validated scenario file with its variants resolved.
type File struct {
	Name     string // the path, or "embedded:NAME"
	Text     string
	Base     *Scenario   // the file as written, defaults applied
	Variants []*Resolved // the baseline first, then the others in name order
	// Warnings are not errors: what a user should know before trusting a comparison
	// (an implicit baseline, variants that are not budget-neutral).
	Warnings []string
	loc      *locator
}

// Resolved is one variant: the base scenario with the variant's overrides applied.
type Resolved struct {
	Name          string
	Description   string
	BudgetNeutral bool
	Scenario      *Scenario
	// Text is the resolved scenario as TOML, and Hash its SHA-256, for provenance.
	Text string
	Hash string
}

// Load reads and validates a scenario file.
func Load(path string) (*File, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, &InputError{File: path, Msg: fmt.Sprintf("cannot read the scenario: %v", err)}
	}
	return Parse(path, text)
}

// Parse decodes and validates scenario text; name is used in messages.
func Parse(name string, text []byte) (*File, error) {
	f := &File{Name: name, Text: string(text), loc: newLocator(string(text))}
	raw := map[string]any{}
	if _, err := toml.NewDecoder(bytes.NewReader(text)).Decode(&raw); err != nil {
		return nil, f.tomlError(err, "")
	}
	if v, ok := raw["seed"].(int64); ok && v < 0 {
		// The decoder would wrap a negative seed round to a huge unsigned one.
		return nil, InputErrors{f.at("seed", fmt.Sprintf("%d is negative", v), "a whole number >= 0")}
	}
	base, err := f.decode(text, "")
	if err != nil {
		return nil, err
	}
	if errs := f.check(base, ""); len(errs) > 0 {
		return nil, errs
	}
	f.Base = base
	f.Warnings = warnings(base, raw)

	names := make([]string, 0, len(base.Variants))
	for n := range base.Variants {
		if n != base.Baseline {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	names = append([]string{base.Baseline}, names...)

	var all InputErrors
	for _, n := range names {
		v := base.Variants[n]
		if v == nil {
			v = &Variant{Description: "the scenario as written"}
		}
		prefix := "variants." + n + ".set."
		merged := copyMap(raw)
		delete(merged, "variants")
		if v.Set != nil {
			if err := mergeInto(merged, v.Set, prefix); err != nil {
				all = append(all, f.at(err.path, err.msg, ""))
				continue
			}
		}
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).Encode(merged); err != nil {
			all = append(all, f.at(strings.TrimSuffix(prefix, "."), "cannot combine the overrides with the scenario: "+err.Error(), ""))
			continue
		}
		sc, err := f.decode(buf.Bytes(), prefix)
		if err != nil {
			var ies InputErrors
			if errors.As(err, &ies) {
				all = append(all, ies...)
			} else {
				all = append(all, f.at(strings.TrimSuffix(prefix, "."), err.Error(), ""))
			}
			continue
		}
		// [calibration] belongs to the file (f.Base), checked there once: a variant
		// is what is calibrated, not what calibrates.
		sc.Variants, sc.Calibration = nil, nil
		if errs := f.check(sc, prefix); len(errs) > 0 {
			all = append(all, errs...)
			continue
		}
		r := &Resolved{Name: n, Description: v.Description, BudgetNeutral: v.BudgetNeutral, Scenario: sc}
		r.Text = Encode(sc)
		sum := sha256.Sum256([]byte(r.Text))
		r.Hash = hex.EncodeToString(sum[:])
		f.Variants = append(f.Variants, r)
	}
	if len(all) > 0 {
		return nil, all
	}
	return f, nil
}

// Encode writes a resolved scenario as TOML.
func Encode(sc *Scenario) string {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(sc); err != nil {
		panic("scenarios: cannot encode a decoded scenario: " + err.Error())
	}
	return buf.String()
}

// Variant returns the resolved variant with the given name, or nil.
func (f *File) Variant(name string) *Resolved {
	for _, v := range f.Variants {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// decode decodes text strictly into a Scenario and applies defaults. prefix is "" for
// the file itself and "variants.NAME.set." for a variant's merged document, so that
// messages point at the line in the user's file.
func (f *File) decode(text []byte, prefix string) (*Scenario, error) {
	sc := &Scenario{}
	md, err := toml.NewDecoder(bytes.NewReader(text)).Decode(sc)
	if err != nil {
		return nil, f.tomlError(err, prefix)
	}
	var errs InputErrors
	for _, k := range md.Undecoded() {
		path := k.String()
		if prefix == "" && len(k) >= 3 && k[0] == "variants" && k[2] == "set" {
			continue // a variant's overrides are checked when it is resolved
		}
		// Keys inside a Param table are the Param's own business.
		if isParamKey(md, k) {
			continue
		}
		errs = append(errs, f.at(f.mapPath(prefix, path), "unknown key", tableKeysAllowed(k)))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	applyDefaults(sc, md.IsDefined)
	return sc, nil
}

// isParamKey reports whether an undecoded key sits inside a Param table (for example
// `altruism.dist`), which Param.UnmarshalTOML has read itself.
func isParamKey(md toml.MetaData, k toml.Key) bool {
	if len(k) < 2 || !paramKeys[k[len(k)-1]] {
		return false
	}
	return isParamPath(reflect.TypeFor[Scenario](), k[:len(k)-1])
}

// isParamPath reports whether key, as BurntSushi writes it (no array indices), names a
// Param inside a value of type t.
func isParamPath(t reflect.Type, key toml.Key) bool {
	for _, part := range key {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Map:
			t = t.Elem() // part is a name: a cohort, rule, regime
		case reflect.Struct:
			f, ok := fieldByTag(t, part)
			if !ok {
				return false
			}
			t = f.Type
		default:
			return false
		}
	}
	for t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t == reflect.TypeFor[Param]()
}

func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); name == key {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// mapPath turns a key path in a variant's merged document into the path the user wrote:
// the variant's override if it set that key (or a table above it), else the base key.
func (f *File) mapPath(prefix, path string) string {
	if prefix == "" {
		return path
	}
	parts := strings.Split(path, ".")
	for i := len(parts); i > 0; i-- {
		p := prefix + strings.Join(parts[:i], ".")
		if f.loc.has(p) {
			return prefix + path
		}
	}
	return path
}

func (f *File) at(path, msg, allowed string) *InputError {
	line := f.loc.line(path)
	return &InputError{File: f.Name, Line: line, Path: path, Msg: msg, Allowed: allowed}
}

// typeWords are the TOML decoder's type names in a user's words.
var typeWords = map[string]string{
	"float64": "a decimal number", "int64": "a whole number", "integer": "a whole number", "string": "text",
	"bool": "true or false", "boolean": "true or false", "[]interface {}": "a list", "map[string]interface {}": "a table",
	"uint64": "a whole number >= 0", "slice": "a list", "struct": "a table", "map": "a table", "float": "a number",
	"time.Time": "a date",
}

// plainTypes rewrites the decoder's "incompatible types: TOML value has type float64;
// destination has type integer" as "is a decimal number" with "a whole number" allowed
// (issue 15: messages in the user's words, not Go's).
func plainTypes(msg string) (string, string) {
	got, want := "", ""
	if _, rest, ok := strings.Cut(msg, "TOML value has type "); ok {
		got, rest, _ = strings.Cut(rest, ";")
		if _, w, ok := strings.Cut(rest, "destination has type "); ok {
			want = strings.TrimSpace(w)
		}
	}
	word := func(t string) string {
		if w, ok := typeWords[strings.TrimSpace(t)]; ok {
			return w
		}
		return "another type"
	}
	if got == "" {
		return msg, "the type given in docs/scenario-reference.md"
	}
	allowed := word(want)
	if want == "" || allowed == "another type" {
		allowed = "the type given in docs/scenario-reference.md"
	}
	return "is " + word(got) + ", the wrong type", allowed
}

func (f *File) tomlError(err error, prefix string) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		path := f.mapPath(prefix, pe.LastKey)
		ie := &InputError{File: f.Name, Path: path, Msg: strings.TrimPrefix(pe.Message, "toml: ")}
		if prefix == "" {
			ie.Line, ie.Col = pe.Position.Line, pe.Position.Col
		} else {
			ie.Line = f.loc.line(path)
		}
		if strings.Contains(pe.Message, "incompatible types") {
			ie.Msg, ie.Allowed = plainTypes(ie.Msg)
		}
		return InputErrors{ie}
	}
	// Type mismatches come as plain errors: "toml: line 3 (last key "a.b"): incompatible …".
	// The line is that of the text decoded, which for a variant is the merged document,
	// so the key is located in the user's file instead.
	if m := decodeErrRE.FindStringSubmatch(err.Error()); m != nil {
		if key, uerr := strconv.Unquote(`"` + m[1] + `"`); uerr == nil {
			ie := f.at(f.mapPath(prefix, key), m[2], "")
			if strings.Contains(m[2], "incompatible types") {
				ie.Msg, ie.Allowed = plainTypes(m[2])
			}
			return InputErrors{ie}
		}
	}
	msg := strings.TrimPrefix(err.Error(), "toml: ")
	return InputErrors{&InputError{File: f.Name, Msg: msg}}
}

var decodeErrRE = regexp.MustCompile(`^toml: (?:line \d+ )?\(last key "((?:[^"\\]|\\.)*)"\): (.*)$`)

func (f *File) check(sc *Scenario, prefix string) InputErrors {
	var errs InputErrors
	for _, p := range validate(sc) {
		errs = append(errs, f.at(f.mapPath(prefix, p.Path), p.Msg, p.Allowed))
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return errs
}

type mergeError struct{ path, msg string }

// mergeInto overlays src on dst: tables merge key by key, everything else (numbers,
// strings, arrays) replaces what was there.
func mergeInto(dst, src map[string]any, path string) *mergeError {
	keys := make([]string, 0, len(src))
	for k := range src {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sv := src[k]
		sm, sIsMap := sv.(map[string]any)
		dm, dIsMap := dst[k].(map[string]any)
		switch {
		case sIsMap && dIsMap && !isParamTable(sm):
			if err := mergeInto(dm, sm, path+k+"."); err != nil {
				return err
			}
		default:
			dst[k] = copyValue(sv)
		}
	}
	return nil
}

// isParamTable reports whether a table is a Param written as a table; a variant that
// gives one replaces the whole value rather than merging into it.
func isParamTable(m map[string]any) bool {
	_, hasValue := m["value"]
	_, hasDist := m["dist"]
	return hasValue || hasDist
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = copyValue(v)
	}
	return out
}

func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return copyMap(x)
	case []map[string]any:
		out := make([]map[string]any, len(x))
		for i := range x {
			out[i] = copyMap(x[i])
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = copyValue(x[i])
		}
		return out
	}
	return v
}

// Rehash re-renders the resolved scenario after a command-line override (seed,
// replications) so that its text and hash describe what was run.
func (r *Resolved) Rehash() {
	r.Text = Encode(r.Scenario)
	sum := sha256.Sum256([]byte(r.Text))
	r.Hash = hex.EncodeToString(sum[:])
}

// tableKeysAllowed says which keys the table holding an unknown key takes, with the nearest
// ones first when the key looks like a misspelling of one of them.
func tableKeysAllowed(k toml.Key) string {
	names := tableKeys(reflect.TypeFor[Scenario](), k[:len(k)-1])
	if len(names) == 0 {
		return "the keys listed in docs/scenario-reference.md"
	}
	text := strings.Join(names, ", ")
	if near := closeMatches(k[len(k)-1], names); len(near) > 0 {
		return fmt.Sprintf("did you mean %s? The table takes: %s", strings.Join(near, " or "), text)
	}
	return "one of " + text
}

// tableKeys returns the TOML keys of the table at key (as BurntSushi names it, without
// array indices), or nil if key does not name a table of the schema.
func tableKeys(t reflect.Type, key toml.Key) []string {
	for _, part := range key {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Map:
			t = t.Elem()
		case reflect.Struct:
			f, ok := fieldByTag(t, part)
			if !ok {
				return nil
			}
			t = f.Type
		default:
			return nil
		}
	}
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeFor[Param]() {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
}

// warnings are what a user should know about a valid scenario before trusting its
// comparisons (issue 15): a baseline that no [variants] table names, and variants that
// change payment rules without being budget-neutral, whose payments then differ from
// the baseline's by design.
func warnings(sc *Scenario, raw map[string]any) []string {
	explicit := func(variant string) bool {
		vs, _ := raw["variants"].(map[string]any)
		v, _ := vs[variant].(map[string]any)
		_, ok := v["budget_neutral"]
		return ok
	}
	var out []string
	if _, ok := sc.Variants[sc.Baseline]; !ok {
		out = append(out, fmt.Sprintf("the baseline %q is not a [variants.%s] table: it is the scenario as written, under that name (name it in baseline = \"…\" or add the table to silence this)", sc.Baseline, sc.Baseline))
	}
	for _, name := range sortedKeys(sc.Variants) {
		v := sc.Variants[name]
		if name == sc.Baseline || v == nil || v.BudgetNeutral || explicit(name) {
			continue
		}
		var changed []string
		if rules, ok := v.Set["rules"].(map[string]any); ok {
			changed = append(changed, sortedKeys(rules)...)
		}
		if cohorts, ok := v.Set["cohorts"].(map[string]any); ok {
			for _, c := range sortedKeys(cohorts) {
				if m, ok := cohorts[c].(map[string]any); ok {
					if _, ok := m["rule"]; ok {
						changed = append(changed, "cohorts."+c+".rule")
					}
				}
			}
		}
		if len(changed) > 0 {
			out = append(out, fmt.Sprintf("variant %s changes payment (%s) but does not say budget_neutral: its payments differ from the baseline's (write budget_neutral = false to say that is the point, or true to compare at equal cost)", name, strings.Join(changed, ", ")))
		}
	}
	return out
}

// Line is the line of the file where a key path is written (or its nearest written
// parent), 1-based; 0 when unknown. The web front end edits values in place with it.
func (f *File) Line(path string) int { return f.loc.line(path) }

// Written lists every path written in the file's text (keys, table headers, array
// elements), in the order of their lines; the web editor uses it to find the keys it can
// edit in place.
func (f *File) Written() []string {
	out := make([]string, 0, len(f.loc.lines))
	for p := range f.loc.lines {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		li, lj := f.loc.lines[out[i]], f.loc.lines[out[j]]
		if li != lj {
			return li < lj
		}
		return out[i] < out[j]
	})
	return out
}

// Allowed is what the validator allows for the numeric key at path, in its words, or "".
func (f *File) Allowed(path string) string {
	c := &checker{seen: map[string]bool{}, bounds: map[string]bounds{}}
	c.scenario(f.Base)
	if b, ok := c.bounds[path]; ok {
		return b.text
	}
	return ""
}

// AllowedAll is Allowed for every numeric key the validator checks, in one pass.
func (f *File) AllowedAll() map[string]string {
	c := &checker{seen: map[string]bool{}, bounds: map[string]bounds{}}
	c.scenario(f.Base)
	out := make(map[string]string, len(c.bounds))
	for p, b := range c.bounds {
		out[p] = b.text
	}
	return out
}
