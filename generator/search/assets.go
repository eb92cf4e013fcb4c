package search

import (
	"bytes"
	_ "embed"
	"regexp"
)

//go:embed js/search.mjs
var jsSource []byte

// JS returns the search page's script, an ES module, without its
// whole-line comments and indentation: the build writes it to the site as
// search.<hash>.js, loaded by the search page only.
func JS() []byte {
	out := jsComment.ReplaceAll(jsSource, nil)
	out = indent.ReplaceAll(out, nil)
	return bytes.TrimLeft(out, "\n")
}

var (
	// Only whole-line comments are removed, so nothing inside a string or
	// a regular expression can be mistaken for one.
	jsComment = regexp.MustCompile(`(?m)^[ \t]*//.*\n`)
	indent    = regexp.MustCompile(`(?m)^[ \t]+`)
)
