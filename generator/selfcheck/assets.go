package selfcheck

import (
	"bytes"
	_ "embed"
	"regexp"
)

//go:embed js/selfcheck.mjs
var jsSource []byte

//go:embed selfcheck.css
var cssSource []byte

// JS returns the widget's script, an ES module, without its comments: the
// build writes it to the site once as selfcheck.<hash>.js. The module
// enhances every form.selfcheck on the page and exports its pure logic.
func JS() []byte { return shrink(jsSource, jsComment) }

// CSS returns the widget's stylesheet without its comments, written to the
// site as selfcheck.<hash>.css.
func CSS() []byte {
	out := shrink(cssSource, cssComment)
	// The stylesheet is ours and holds no strings with these in them, so
	// the spaces after : ; , and { and the line ends go too.
	out = cssSpace.ReplaceAll(out, []byte("$1"))
	out = cssBrace.ReplaceAll(out, []byte("{"))
	return bytes.ReplaceAll(out, []byte("\n"), nil)
}

var (
	// Only whole-line comments are removed from the script, so nothing
	// inside a string or a regular expression can be mistaken for one.
	jsComment  = regexp.MustCompile(`(?m)^[ \t]*//.*\n`)
	cssComment = regexp.MustCompile(`(?s)/\*.*?\*/\n?`)
	indent     = regexp.MustCompile(`(?m)^[ \t]+`)
	cssSpace   = regexp.MustCompile(`([:;,{]) +`)
	cssBrace   = regexp.MustCompile(` +\{`)
)

// shrink drops comments and indentation; a fresh copy each call, so callers
// may keep or change what they get.
func shrink(src []byte, comment *regexp.Regexp) []byte {
	out := comment.ReplaceAll(src, nil)
	out = indent.ReplaceAll(out, nil)
	return bytes.TrimLeft(out, "\n")
}
