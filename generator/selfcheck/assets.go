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

// JS returns the widget's script, an ES module, without its comments and
// spare whitespace: the build writes it to the site once as
// selfcheck.<hash>.js. The module enhances every form.selfcheck on the
// page and exports its pure logic.
func JS() []byte { return minifyJS(jsSource) }

// CSS returns the widget's stylesheet without its comments, written to the
// site as selfcheck.<hash>.css.
func CSS() []byte {
	out := shrink(cssSource, cssComment)
	// The stylesheet is ours and holds no strings with these in them, so
	// the spaces after : ; , { and >, before { and >, the line ends and
	// each rule's last semicolon go too.
	out = cssSpace.ReplaceAll(out, []byte("$1"))
	out = cssBefore.ReplaceAll(out, []byte("$1"))
	out = bytes.ReplaceAll(out, []byte("\n"), nil)
	return bytes.ReplaceAll(out, []byte(";}"), []byte("}"))
}

var (
	cssComment = regexp.MustCompile(`(?s)/\*.*?\*/\n?`)
	indent     = regexp.MustCompile(`(?m)^[ \t]+`)
	cssSpace   = regexp.MustCompile(`([:;,{>]) +`)
	cssBefore  = regexp.MustCompile(` +([{>])`)
)

// shrink drops comments and indentation; a fresh copy each call, so callers
// may keep or change what they get.
func shrink(src []byte, comment *regexp.Regexp) []byte {
	out := comment.ReplaceAll(src, nil)
	out = indent.ReplaceAll(out, nil)
	return bytes.TrimLeft(out, "\n")
}
