package config

import (
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/image/font/gofont/gomono"
)

// TestCardsFont: the cards' font is read and checked when the site is
// loaded; every fault is an error at site.yaml's cards.font.
func TestCardsFont(t *testing.T) {
	tests := []struct {
		name, yaml string
		files      map[string]string
		diag       string // the start of the one diagnostic; "" for none
	}{
		{name: "none", yaml: "title: T\n"},
		{name: "a font", yaml: "cards:\n  font: fonts/mono.ttf\n", files: map[string]string{"fonts/mono.ttf": string(gomono.TTF)}},
		{name: "unknown key", yaml: "cards:\n  fonts: a.ttf\n", diag: `site.yaml:2:3: unknown key "fonts"; did you mean "font"?`},
		{name: "missing", yaml: "cards:\n  font: fonts/none.ttf\n", diag: `site.yaml:2:9: cards.font "fonts/none.ttf" cannot be read: file does not exist`},
		{name: "not a font", yaml: "cards:\n  font: notes.txt\n", files: map[string]string{"notes.txt": "hello"}, diag: `site.yaml:2:9: cards.font "notes.txt": not a TrueType or OpenType font`},
		{name: "outside", yaml: "cards:\n  font: ../x.ttf\n", diag: `site.yaml:2:9: cards.font "../x.ttf" must be a path inside the site's folder`},
		{name: "absolute", yaml: "cards:\n  font: /x.ttf\n", diag: `site.yaml:2:9: cards.font "/x.ttf" must be a path inside the site's folder`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{File: {Data: []byte(tt.yaml)}}
			for p, d := range tt.files {
				fsys[p] = &fstest.MapFile{Data: []byte(d)}
			}
			c, diags := Load(fsys)
			if tt.diag == "" {
				if len(diags) != 0 {
					t.Fatalf("diagnostics %v", diags)
				}
				if f := tt.files["fonts/mono.ttf"]; f != "" && string(c.Cards.FontData) != f {
					t.Error("the font's bytes were not kept")
				}
				return
			}
			if len(diags) != 1 || !strings.HasPrefix(diags[0].Error(), tt.diag) {
				t.Errorf("diagnostics %v, want one starting %q", diags, tt.diag)
			}
		})
	}
}
