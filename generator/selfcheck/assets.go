package selfcheck

import (
	"bytes"
	_ "embed"
	"sync"

	"github.com/tdewolff/minify/v2"
	cssmin "github.com/tdewolff/minify/v2/css"
	jsmin "github.com/tdewolff/minify/v2/js"
)

//go:embed js/selfcheck.mjs
var jsSource []byte

//go:embed selfcheck.css
var cssSource []byte

// JS returns the widget's script, an ES module, minified: the build writes
// it to the site once as selfcheck.<hash>.js. The module enhances every
// form.selfcheck on the page and exports its pure logic. Each call returns
// a copy, which the caller may change.
func JS() []byte { return bytes.Clone(minified().js) }

// CSS returns the widget's stylesheet, minified, written to the site as
// selfcheck.<hash>.css. Each call returns a copy, which the caller may
// change.
func CSS() []byte { return bytes.Clone(minified().css) }

type assets struct{ js, css []byte }

// minified minifies the embedded sources once, with tdewolff/minify (the
// script and the stylesheet together must stay within 8 KB gzipped; see
// TestSizeBudget). The sources are Steward's own, so a failure is a bug
// that the package's tests catch, and panics.
var minified = sync.OnceValue(func() assets {
	m := minify.New()
	m.Add("text/javascript", &jsmin.Minifier{Version: 2022})
	m.Add("text/css", &cssmin.Minifier{})
	j, err := m.Bytes("text/javascript", jsSource)
	if err != nil {
		panic("selfcheck: minifying the script: " + err.Error())
	}
	c, err := m.Bytes("text/css", cssSource)
	if err != nil {
		panic("selfcheck: minifying the stylesheet: " + err.Error())
	}
	return assets{j, c}
})
