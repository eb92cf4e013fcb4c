// Package diag owns source positions and positioned diagnostics: an error or
// warning tied to file:line:col, a sortable list of them, and the conversion
// from a byte offset to a line and column. It knows nothing else of Steward.
package diag

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a source file. Line and Col are 1-based; a zero Line
// means the position names only the file, a zero Col only the line.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, leaving out what is unknown.
func (p Pos) String() string {
	s := p.File
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
		if p.Col > 0 {
			s += fmt.Sprintf(":%d", p.Col)
		}
	}
	return s
}

// Severity says whether a diagnostic fails the build.
type Severity int

const (
	// Error fails the build.
	Error Severity = iota
	// Warning is printed but does not fail the build.
	Warning
)

// Diagnostic is one message about the input, with its position.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Msg      string
	// Kind is the format the message was made from, so that Fold can tell
	// many diagnostics of one kind from many different ones.
	Kind string
}

// Error formats the diagnostic as "file:line:col: msg", the form editors and
// terminals recognise; warnings carry a "warning: " prefix.
func (d *Diagnostic) Error() string {
	prefix := ""
	if d.Severity == Warning {
		prefix = "warning: "
	}
	if d.Pos.File == "" {
		return prefix + d.Msg
	}
	return d.Pos.String() + ": " + prefix + d.Msg
}

// New returns a diagnostic of the given severity at pos, for checks whose
// severity is a setting.
func New(pos Pos, sev Severity, format string, args ...any) *Diagnostic {
	return &Diagnostic{Pos: pos, Severity: sev, Msg: fmt.Sprintf(format, args...), Kind: format}
}

// Errorf returns an error diagnostic at pos.
func Errorf(pos Pos, format string, args ...any) *Diagnostic {
	return &Diagnostic{Pos: pos, Severity: Error, Msg: fmt.Sprintf(format, args...), Kind: format}
}

// Warnf returns a warning diagnostic at pos.
func Warnf(pos Pos, format string, args ...any) *Diagnostic {
	return &Diagnostic{Pos: pos, Severity: Warning, Msg: fmt.Sprintf(format, args...), Kind: format}
}

// List is a collection of diagnostics. The zero value is ready to use.
type List []*Diagnostic

// Add appends an error diagnostic.
func (l *List) Add(pos Pos, format string, args ...any) {
	*l = append(*l, Errorf(pos, format, args...))
}

// Warn appends a warning diagnostic.
func (l *List) Warn(pos Pos, format string, args ...any) {
	*l = append(*l, Warnf(pos, format, args...))
}

// Append adds every diagnostic of other.
func (l *List) Append(other List) { *l = append(*l, other...) }

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the error diagnostics.
func (l List) Errors() List { return l.filter(Error) }

// Warnings returns only the warnings.
func (l List) Warnings() List { return l.filter(Warning) }

func (l List) filter(s Severity) List {
	var out List
	for _, d := range l {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders the list by file, line, column and message and removes exact
// duplicates, so output is deterministic whatever order work finished in.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Msg < b.Msg
	})
	out := s[:0]
	for i, d := range s {
		if i > 0 && d.Error() == s[i-1].Error() {
			continue
		}
		out = append(out, d)
	}
	*l = out
}

// Fold keeps a long list readable: of each kind of diagnostic that occurs
// more than limit+1 times, only the first limit are kept, and one line at
// the end of the list says how many more there were, in how many files.
// A kind is the format its message was made from; a format that is mostly
// verbs ("%s") says nothing of the kind, and its diagnostics are kept.
func (l List) Fold(limit int) List {
	count := map[string]int{}
	for _, d := range l {
		if foldable(d.Kind) {
			count[d.Kind]++
		}
	}
	var out List
	seen := map[string]int{}
	type rest struct {
		first *Diagnostic
		n     int
		files map[string]bool
	}
	var order []string
	rests := map[string]*rest{}
	for _, d := range l {
		if count[d.Kind] <= limit+1 {
			out = append(out, d)
			continue
		}
		seen[d.Kind]++
		if seen[d.Kind] <= limit {
			out = append(out, d)
			continue
		}
		r := rests[d.Kind]
		if r == nil {
			r = &rest{first: d, files: map[string]bool{}}
			rests[d.Kind] = r
			order = append(order, d.Kind)
		}
		r.n++
		r.files[d.Pos.File] = true
	}
	for _, k := range order {
		r := rests[k]
		what := "errors"
		if r.first.Severity == Warning {
			what = "warnings"
		}
		files := "in 1 file"
		if len(r.files) > 1 {
			files = fmt.Sprintf("in %d files", len(r.files))
		}
		out = append(out, &Diagnostic{Severity: r.first.Severity, Kind: "fold",
			Msg: fmt.Sprintf("%d more %s like %q, %s", r.n, what, shorten(r.first.Msg, 80), files)})
	}
	return out
}

// foldable reports whether a format names a kind of diagnostic: it has
// some words of its own besides its verbs.
func foldable(format string) bool {
	letters := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '%' && i+1 < len(format) {
			i++
			continue
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			letters++
		}
	}
	return letters >= 8
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Err returns the list's errors as one error, or nil when there are none.
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

// Error joins the diagnostics one per line.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// AsList extracts the diagnostics held in err: a List, a *Diagnostic, or
// anything wrapping them. Other errors become one diagnostic without position.
func AsList(err error) List {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var d *Diagnostic
	if errors.As(err, &d) {
		return List{d}
	}
	return List{{Severity: Error, Msg: err.Error()}}
}

// LineCol converts a byte offset in src to a 1-based line and column. The
// column counts characters (runes), as editors do, not bytes.
func LineCol(src []byte, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	if offset < 0 {
		offset = 0
	}
	before := src[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = utf8.RuneCount(before[start:]) + 1
	return line, col
}

// Nearest returns the candidate closest to s by edit distance, or "" when
// none is close enough to be a plausible typo. It backs the "did you mean"
// hints for unknown keys.
func Nearest(s string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(s), strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(2, len(s)/3)
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
