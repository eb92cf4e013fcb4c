package markdown

import (
	"fmt"

	"github.com/yuin/goldmark/parser"

	"github.com/steward-ssg/steward/generator/diag"
)

// warningsKey holds, in a document's parser.Context, the warnings Steward's
// transformers find while it is parsed. goldmark's transformers cannot
// return errors, so they leave them there and Convert gives them positions.
var warningsKey = parser.NewContextKey()

// finding is a warning at a byte offset of the Markdown body.
type finding struct {
	offset int
	// kind names the kind of warning, so that many of one kind can be
	// folded when printed (diag.Diagnostic.Kind).
	kind string
	msg  string
}

// warn records a warning at offset for the document being parsed; its kind
// is its format.
func warn(pc parser.Context, offset int, format string, args ...any) {
	warnKind(pc, offset, format, fmt.Sprintf(format, args...))
}

// warnKind records a warning of the named kind.
func warnKind(pc parser.Context, offset int, kind, msg string) {
	list, _ := pc.Get(warningsKey).([]finding)
	pc.Set(warningsKey, append(list, finding{offset, kind, msg}))
}

// warningsOf returns the warnings recorded while parsing with pc, at their
// positions; pos maps an offset to one.
func warningsOf(pc parser.Context, pos func(int) diag.Pos) diag.List {
	list, _ := pc.Get(warningsKey).([]finding)
	var out diag.List
	for _, f := range list {
		out = append(out, &diag.Diagnostic{Pos: pos(f.offset), Severity: diag.Warning, Msg: f.msg, Kind: f.kind})
	}
	return out
}
