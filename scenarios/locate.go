package scenarios

import (
	"sort"
	"strconv"
	"strings"
)

// A locator finds the line where a key path is written, so that a problem found in the
// decoded scenario can be reported at the right line of the user's file.
//
// Paths are written as in messages: keys joined by dots, an array element as [i]
// (population.need_groups[1].share), and a key that is not bare quoted as BurntSushi's
// toml.Key.String quotes it (sources."cohorts.a.count"). The locator is a tolerant
// scanner, not a TOML parser: on text it does not understand it skips to the next line,
// and it never fails; the decoder reports what is wrong with the syntax.
type locator struct {
	lines    map[string]int  // path → line where it is first written
	implicit map[string]bool // the path is a table only implied by a longer key so far
	// loose maps a path with its array indices removed to the first line of any element's
	// key: BurntSushi names keys in arrays of tables without indices.
	loose map[string]int
}

// maxNesting bounds the nesting of arrays and inline tables, maxKeyParts the parts of a
// dotted key and maxPathParts those of a whole path, so that hostile input costs neither
// deep recursion nor much more time than its length.
const (
	maxNesting   = 64
	maxKeyParts  = 64
	maxPathParts = 128
)

func newLocator(text string) *locator {
	l := &locator{lines: map[string]int{}, implicit: map[string]bool{}, loose: map[string]int{}}
	s := &scanner{src: text, loc: l, arrays: map[string]int{}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			s.newlines = append(s.newlines, i)
		}
	}
	if strings.HasPrefix(text, "\ufeff") {
		s.pos = len("\ufeff") // a byte-order mark
	}
	s.document()
	return l
}

// line returns the line of the longest written prefix of path, or 0 when no part of it is
// written. Prefixes are whole segments: a.b[1].c, a.b[1], a.b, a.
func (l *locator) line(path string) int {
	segs := splitPath(path)
	for n := len(segs); n > 0; n-- {
		p := joinPath(segs[:n])
		if line, ok := l.lines[p]; ok {
			return line
		}
		if !hasIndex(segs[:n]) {
			if line, ok := l.loose[p]; ok {
				return line
			}
		}
	}
	return 0
}

// has reports whether exactly path is written in the text (as a key, a table header, an
// array element or a table implied by a dotted key or header).
func (l *locator) has(path string) bool {
	_, ok := l.lines[joinPath(splitPath(path))]
	return ok
}

// record notes the line of a path and, where not yet known, of the tables above it.
func (l *locator) record(segs []string, line int) {
	if len(segs) > maxPathParts {
		return
	}
	var b strings.Builder
	for i, s := range segs {
		if i > 0 && !isIndex(s) {
			b.WriteByte('.')
		}
		b.WriteString(s)
		p := b.String()
		last := i == len(segs)-1
		// An explicit header or key wins over a table implied by an earlier, longer key.
		if _, ok := l.lines[p]; !ok || (last && l.implicit[p]) {
			l.lines[p] = line
			l.implicit[p] = !last
		}
		if _, ok := l.loose[stripIndices(p)]; !ok {
			l.loose[stripIndices(p)] = line
		}
	}
}

// scanner walks TOML text, recording every key it meets.
type scanner struct {
	src      string
	pos      int
	newlines []int // byte offsets of '\n', for line numbers
	loc      *locator
	table    []string       // the current table's path
	arrays   map[string]int // elements seen so far of each array of tables, by path
	depth    int
}

func (s *scanner) lineAt(pos int) int { return sort.SearchInts(s.newlines, pos) + 1 }

func (s *scanner) peek() byte {
	if s.pos < len(s.src) {
		return s.src[s.pos]
	}
	return 0
}

func (s *scanner) eat(c byte) bool {
	if s.pos < len(s.src) && s.src[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

func (s *scanner) skipBlanks() {
	for s.pos < len(s.src) && (s.src[s.pos] == ' ' || s.src[s.pos] == '\t') {
		s.pos++
	}
}

// skipBlanksAndLines skips blanks, newlines and comments, as allowed inside arrays (and,
// in TOML 1.1, inline tables).
func (s *scanner) skipBlanksAndLines() {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		case '#':
			s.skipToEOL()
		default:
			return
		}
	}
}

func (s *scanner) skipToEOL() {
	for s.pos < len(s.src) && s.src[s.pos] != '\n' {
		s.pos++
	}
}

// document scans the text line by line: a table header, a key = value (whose value may
// span lines), or a blank or comment line. Whatever follows on the line is skipped.
func (s *scanner) document() {
	for s.pos < len(s.src) {
		s.skipBlanks()
		switch s.peek() {
		case '[':
			s.header()
		case '#', '\r', '\n', 0:
		default:
			s.keyValue(s.table)
		}
		s.skipToEOL()
		s.eat('\n')
	}
}

// header reads [a.b] or [[a.b]] and makes it the current table. The elements of arrays
// of tables are counted, so that [[a]] … [[a.b]] … [[a]] … [[a.b]] gives a[0], a[0].b[0],
// a[1], a[1].b[0].
func (s *scanner) header() {
	start := s.pos
	s.pos++
	array := s.eat('[')
	s.skipBlanks()
	keys, ok := s.key()
	if !ok {
		return
	}
	s.skipBlanks()
	if !s.eat(']') || (array && !s.eat(']')) {
		return
	}
	var path []string
	for i, k := range keys {
		path = append(path, k)
		p := joinPath(path)
		if array && i == len(keys)-1 {
			n := s.arrays[p]
			s.arrays[p] = n + 1
			path = append(path, index(n))
		} else if n, ok := s.arrays[p]; ok {
			path = append(path, index(n-1))
		}
	}
	s.table = path
	s.loc.record(path, s.lineAt(start))
}

// keyValue reads key = value under table, recording the key and everything inside the
// value.
func (s *scanner) keyValue(table []string) bool {
	start := s.pos
	keys, ok := s.key()
	if !ok {
		return false
	}
	s.skipBlanks()
	if !s.eat('=') {
		return false
	}
	s.skipBlanks()
	path := concat(table, keys...)
	s.loc.record(path, s.lineAt(start))
	return s.value(path)
}

// key reads a dotted key of bare and quoted parts, returning each part as written in
// paths (quoted where it is not bare).
func (s *scanner) key() ([]string, bool) {
	var parts []string
	for {
		s.skipBlanks()
		part, ok := s.keyPart()
		if !ok || len(parts) == maxKeyParts {
			return nil, false
		}
		parts = append(parts, quoteKey(part))
		s.skipBlanks()
		if !s.eat('.') {
			return parts, true
		}
	}
}

func (s *scanner) keyPart() (string, bool) {
	switch s.peek() {
	case '"':
		start := s.pos + 1
		if !s.basicString() {
			return "", false
		}
		return unescape(s.src[start : s.pos-1]), true
	case '\'':
		start := s.pos + 1
		if !s.literalString() {
			return "", false
		}
		return s.src[start : s.pos-1], true
	}
	start := s.pos
	for s.pos < len(s.src) && isBare(s.src[s.pos]) {
		s.pos++
	}
	return s.src[start:s.pos], s.pos > start
}

// value skips one value, recording the keys of inline tables and the elements of arrays.
func (s *scanner) value(path []string) bool {
	if s.depth >= maxNesting || len(path) > maxPathParts {
		return false
	}
	s.depth++
	defer func() { s.depth-- }()
	switch s.peek() {
	case '{':
		return s.inlineTable(path)
	case '[':
		return s.array(path)
	case '"':
		if strings.HasPrefix(s.src[s.pos:], `"""`) {
			return s.multiline(`"""`, true)
		}
		return s.basicString()
	case '\'':
		if strings.HasPrefix(s.src[s.pos:], `'''`) {
			return s.multiline(`'''`, false)
		}
		return s.literalString()
	}
	// A number, boolean or date: up to whatever may follow a value.
	start := s.pos
	for s.pos < len(s.src) && !strings.ContainsRune(",]}#\r\n", rune(s.src[s.pos])) {
		s.pos++
	}
	return s.pos > start
}

func (s *scanner) inlineTable(path []string) bool {
	s.pos++ // {
	for {
		s.skipBlanksAndLines()
		if s.eat('}') {
			return true
		}
		if !s.keyValue(path) {
			return false
		}
		s.skipBlanksAndLines()
		if s.eat('}') {
			return true
		}
		if !s.eat(',') {
			return false
		}
	}
}

func (s *scanner) array(path []string) bool {
	s.pos++ // [
	for i := 0; ; i++ {
		s.skipBlanksAndLines()
		if s.eat(']') {
			return true
		}
		if s.pos >= len(s.src) {
			return false
		}
		elem := concat(path, index(i))
		s.loc.record(elem, s.lineAt(s.pos))
		if !s.value(elem) {
			return false
		}
		s.skipBlanksAndLines()
		if s.eat(']') {
			return true
		}
		if !s.eat(',') {
			return false
		}
	}
}

// basicString skips "…" on one line, honouring backslash escapes.
func (s *scanner) basicString() bool {
	s.pos++
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '\\':
			s.pos += 2
		case '"':
			s.pos++
			return true
		case '\n':
			return false
		default:
			s.pos++
		}
	}
	s.pos = len(s.src)
	return false
}

// literalString skips '…' on one line.
func (s *scanner) literalString() bool {
	s.pos++
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '\'':
			s.pos++
			return true
		case '\n':
			return false
		}
		s.pos++
	}
	return false
}

// multiline skips a triple-quoted string, basic or literal; up to two quote characters
// may precede the closing delimiter.
func (s *scanner) multiline(delim string, escapes bool) bool {
	s.pos += len(delim)
	for s.pos < len(s.src) {
		if escapes && s.src[s.pos] == '\\' {
			s.pos += 2
			continue
		}
		if strings.HasPrefix(s.src[s.pos:], delim) {
			s.pos += len(delim)
			for i := 0; i < 2 && s.eat(delim[0]); i++ {
			}
			return true
		}
		s.pos++
	}
	s.pos = len(s.src)
	return false
}

func isBare(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// keyEscaper escapes a quoted key as toml.Key.String does.
var keyEscaper = func() *strings.Replacer {
	pairs := []string{`"`, `\"`, `\`, `\\`}
	for c := 0; c < 0x20; c++ {
		esc := map[int]string{'\b': `\b`, '\t': `\t`, '\n': `\n`, '\f': `\f`, '\r': `\r`}[c]
		if esc == "" {
			esc = `\u00` + strconv.FormatInt(int64(c>>4), 16) + strconv.FormatInt(int64(c&15), 16)
		}
		pairs = append(pairs, string(rune(c)), esc)
	}
	return strings.NewReplacer(append(pairs, "\x7f", `\u007f`)...)
}()

// quoteKey writes one key as it appears in a path: bare if it can be, else quoted.
func quoteKey(k string) string {
	if k == "" {
		return `""`
	}
	for i := 0; i < len(k); i++ {
		if !isBare(k[i]) {
			return `"` + keyEscaper.Replace(k) + `"`
		}
	}
	return k
}

// unescape decodes the escapes of a basic string as far as Go's quoting agrees with
// TOML's; anything else is kept as written.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	if u, err := strconv.Unquote(`"` + s + `"`); err == nil {
		return u
	}
	return s
}

func index(i int) string { return "[" + strconv.Itoa(i) + "]" }

func isIndex(seg string) bool { return strings.HasPrefix(seg, "[") }

func hasIndex(segs []string) bool {
	for _, s := range segs {
		if isIndex(s) {
			return true
		}
	}
	return false
}

func concat(path []string, more ...string) []string {
	out := make([]string, 0, len(path)+len(more))
	return append(append(out, path...), more...)
}

func joinPath(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 && !isIndex(s) {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// stripIndices removes the array indices from a joined path.
func stripIndices(p string) string {
	if !strings.Contains(p, "[") {
		return p
	}
	return joinPath(nonIndices(splitPath(p)))
}

func nonIndices(segs []string) []string {
	out := segs[:0:0]
	for _, s := range segs {
		if !isIndex(s) {
			out = append(out, s)
		}
	}
	return out
}

// splitPath splits a path into keys (in their path form) and indices ("[2]"). It accepts
// any string: a key that should have been quoted is quoted.
func splitPath(path string) []string {
	var segs []string
	for i := 0; i < len(path); {
		switch c := path[i]; {
		case c == '.':
			i++
		case c == '[':
			j := i + 1
			for j < len(path) && path[j] >= '0' && path[j] <= '9' {
				j++
			}
			if j > i+1 && j < len(path) && path[j] == ']' {
				n, err := strconv.Atoi(path[i+1 : j])
				if err == nil {
					segs = append(segs, index(n))
					i = j + 1
					continue
				}
			}
			// Not an index: a bracket that is part of a key.
			j = i + 1
			for j < len(path) && path[j] != '.' {
				j++
			}
			segs = append(segs, quoteKey(path[i:j]))
			i = j
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(path) && path[j] != c {
				if c == '"' && path[j] == '\\' {
					j++
				}
				j++
			}
			end := min(j, len(path))
			k := path[i+1 : end]
			if c == '"' {
				k = unescape(k)
			}
			segs = append(segs, quoteKey(k))
			i = end + 1
		default:
			j := i
			for j < len(path) && path[j] != '.' && path[j] != '[' {
				j++
			}
			segs = append(segs, quoteKey(path[i:j]))
			i = j
		}
	}
	return segs
}
