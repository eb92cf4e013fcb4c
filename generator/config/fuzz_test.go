package config

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/fuzzpos"

	"github.com/alecthomas/chroma/v2/styles"

	"github.com/steward-ssg/steward/generator/diag"
)

// FuzzSiteYAML parses any bytes as site.yaml and checks what must hold for
// every input:
//   - no panic;
//   - every diagnostic names site.yaml, at a line of the file (or the one
//     after it) and a column of that line;
//   - a configuration without errors is one the build can use: paginate
//     1 or more, an absolute http(s) baseURL, known highlight styles,
//     links.broken error or warn, menu items with a label and a url.
//
// Seeds: the example site's site.yaml, the parse tests' files, and
// testdata/fuzz/FuzzSiteYAML. Run it longer with
//
//	go test -run '^$' -fuzz '^FuzzSiteYAML$' -fuzztime 10m -fuzzminimizetime 5s -parallel 1 ./generator/config
func FuzzSiteYAML(f *testing.F) {
	example, err := os.ReadFile("../../site.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		string(example),
		"",
		"title: T\nbaseURL: https://example.org/\npaginate: 5\nmenu:\n  - {label: About, url: /about/}\nmarkdown:\n  unsafe: true\n  highlight: {light: monokailight, dark: monokai}\nparams: {x: 1}\n",
		"title: T\ntitel: X\n",
		"markdown:\n  unsafe: true\n  hilight: {}\n",
		"paginate: many\n",
		"paginate: 0\n",
		"baseURL: example.org\n",
		"markdown:\n  highlight: {light: githb}\n",
		"menu:\n  - label: A\n",
		"permalinks:\n  post: '/:yaer/:slug[1]/'\n  notes: >\n    /:mnth/:slug/\n  \"a/b\": \"\\u00e9:x/:\"\n",
		"title: [x\n",
		"links: {broken: warn}\n",
		"links:\n  broken: sometimes\n",
		"selfcheck:\n  submit: Envoyer\n  agree: D'accord\n",
		"author: {name: A, email: a@example.org, url: https://example.org}\nlanguage: fr\n",
		"params:\n  nested: {list: [1, 2.5, true, null, 2024-01-02]}\n  anchor: &a {x: 1}\n  alias: *a\n",
		"- a list\n- not a mapping\n",
		"menu: !x a\n",
		"just a string\n",
		"title: \"unterminated\n",
		"title: T\ntitle: T again\n",
		"\ttitle: tab\n",
		"title: T\n---\ntitle: second document\n",
		"%YAML 1.2\n---\ntitle: T\n",
		"title: !!binary aGVsbG8=\npaginate: !!str 3\n",
		"paginate: 99999999999999999999\n",
		"baseURL: https://example.org/é/\ndescription: |\n  Two\n  lines\n",
		"\ufefftitle: BOM\r\nbaseURL: https://example.org\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		defer fuzzpos.Watchdog(src)()
		if err := checkConfig(src); err != nil {
			t.Fatalf("%v\n--- site.yaml:\n%q", err, src)
		}
	})
}

func checkConfig(src []byte) error {
	c, diags := Parse(src)
	var errs []error
	for _, d := range diags {
		if err := checkPos(d.Pos, src); err != nil {
			errs = append(errs, fmt.Errorf("%q: %w", d.Error(), err))
		}
	}
	if diags.HasErrors() {
		return errors.Join(errs...)
	}
	if c.Paginate < 1 {
		errs = append(errs, fmt.Errorf("accepted paginate %d", c.Paginate))
	}
	if err := CheckBaseURL(c.BaseURL); err != nil {
		errs = append(errs, fmt.Errorf("accepted baseURL %q: %v", c.BaseURL, err))
	}
	for _, s := range []string{c.Markdown.Highlight.Light, c.Markdown.Highlight.Dark} {
		if _, ok := styles.Registry[s]; !ok {
			errs = append(errs, fmt.Errorf("accepted highlight style %q", s))
		}
	}
	if c.Links.Broken != "error" && c.Links.Broken != "warn" {
		errs = append(errs, fmt.Errorf("accepted links.broken %q", c.Links.Broken))
	}
	for i, m := range c.Menu {
		if m.Label == "" || m.URL == "" {
			errs = append(errs, fmt.Errorf("accepted menu item %d %+v", i+1, m))
		}
	}
	return errors.Join(errs...)
}

// checkPos checks that p is in site.yaml.
func checkPos(p diag.Pos, src []byte) error { return fuzzpos.Check(p, File, fuzzpos.Widths(src), 1, 0) }
