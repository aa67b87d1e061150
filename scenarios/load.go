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
	base, err := f.decode(text, "")
	if err != nil {
		return nil, err
	}
	if errs := f.check(base, ""); len(errs) > 0 {
		return nil, errs
	}
	f.Base = base

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
			ie.Allowed = "the type given in docs/scenario-reference.md"
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
				ie.Allowed = "the type given in docs/scenario-reference.md"
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
