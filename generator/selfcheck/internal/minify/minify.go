// Package minify minifies the self-check's script and stylesheet with
// tdewolff/minify. It runs at go generate time (see ../../assets.go), so
// that neither the minifier nor its imports (net/http among them) are part
// of Steward's build; a test of package selfcheck checks that the
// committed files are what it makes of the sources.
package minify

import (
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// Assets returns the minified script (an ES2022 module) and stylesheet.
func Assets(script, stylesheet []byte) (js, css []byte, err error) {
	m := newMinifier()
	if js, err = m.Bytes("text/javascript", script); err != nil {
		return nil, nil, err
	}
	if css, err = m.Bytes("text/css", stylesheet); err != nil {
		return nil, nil, err
	}
	return js, css, nil
}

func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/javascript", &js.Minifier{Version: 2022})
	m.Add("text/css", &css.Minifier{})
	return m
}
