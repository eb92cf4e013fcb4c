package selfcheck

import (
	"bytes"
	_ "embed"
)

// The script and stylesheet are written by hand in js/selfcheck.mjs and
// selfcheck.css, and served minified (the two together must stay within
// 8 KB gzipped; see TestSizeBudget). The minified files are made by
// tdewolff/minify at generate time, not in every build; a test fails when
// they are stale.
//go:generate go run ./internal/minify/cmd

//go:embed js/selfcheck.min.mjs
var jsMin []byte

//go:embed selfcheck.min.css
var cssMin []byte

//go:embed js/selfcheck.mjs
var jsSource []byte

//go:embed selfcheck.css
var cssSource []byte

// JS returns the widget's script, an ES module, minified: the build writes
// it to the site once as selfcheck.<hash>.js. The module enhances every
// form.selfcheck on the page and exports its pure logic. Each call returns
// a copy, which the caller may change.
func JS() []byte { return bytes.Clone(jsMin) }

// CSS returns the widget's stylesheet, minified, written to the site as
// selfcheck.<hash>.css. Each call returns a copy, which the caller may
// change.
func CSS() []byte { return bytes.Clone(cssMin) }
