package markdown

import (
	"fmt"

	"github.com/yuin/goldmark/parser"
)

// warningsKey holds, in a document's parser.Context, the warnings Steward's
// transformers find while it is parsed. goldmark's transformers cannot
// return errors, so they leave them there and Convert gives them positions.
var warningsKey = parser.NewContextKey()

// finding is a warning at a byte offset of the Markdown body.
type finding struct {
	offset int
	msg    string
}

// warn records a warning at offset for the document being parsed.
func warn(pc parser.Context, offset int, format string, args ...any) {
	list, _ := pc.Get(warningsKey).([]finding)
	pc.Set(warningsKey, append(list, finding{offset, fmt.Sprintf(format, args...)}))
}

// warningsOf returns the warnings recorded while parsing with pc.
func warningsOf(pc parser.Context) []finding {
	list, _ := pc.Get(warningsKey).([]finding)
	return list
}
