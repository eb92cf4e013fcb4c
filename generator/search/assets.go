package search

import (
	"bytes"
	_ "embed"
	"regexp"
	"sync"
)

//go:embed js/search.mjs
var jsSource []byte

// JS returns the search page's script, an ES module, without its
// whole-line comments and indentation: the build writes it to the site as
// search.<hash>.js, loaded by the search page only. Each call returns a
// copy, which the caller may change.
func JS() []byte { return bytes.Clone(jsMin()) }

// jsMin is the script made once: a build asks for it twice, and the dev
// server's every rebuild (the regular expressions took 1.5 ms of each).
var jsMin = sync.OnceValue(func() []byte {
	out := jsComment.ReplaceAll(jsSource, nil)
	out = indent.ReplaceAll(out, nil)
	return bytes.TrimLeft(out, "\n")
})

var (
	// Only whole-line comments are removed, so nothing inside a string or
	// a regular expression can be mistaken for one.
	jsComment = regexp.MustCompile(`(?m)^[ \t]*//.*\n`)
	indent    = regexp.MustCompile(`(?m)^[ \t]+`)
)
