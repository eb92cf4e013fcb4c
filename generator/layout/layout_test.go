package layout

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

func TestLoadAndOverride(t *testing.T) {
	fallback := fstest.MapFS{
		"layouts/base.html": {Data: []byte(`<main>{{template "main" .}}</main>`)},
	}
	for _, k := range Kinds {
		fallback["layouts/"+string(k)+".html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}default ` + k + `{{end}}`)}
	}
	site := fstest.MapFS{"layouts/essay.html": {Data: []byte(`{{define "main"}}mine: {{.Essay.Title}}{{end}}`)}}
	th, diags := Load(site, fallback, "https://example.org")
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	var b bytes.Buffer
	if err := th.Execute(&b, &Data{Kind: "essay", Essay: &Essay{Title: "T"}}, "content/t.md"); err != nil {
		t.Fatal(err)
	}
	if b.String() != "<main>mine: T</main>" {
		t.Errorf("site override not used: %q", b.String())
	}
	b.Reset()
	if err := th.Execute(&b, &Data{Kind: "tags"}, "tags"); err != nil || b.String() != "<main>default tags</main>" {
		t.Errorf("fallback not used: %q, %v", b.String(), err)
	}
}

func TestErrorsArePositioned(t *testing.T) {
	fallback := fstest.MapFS{"layouts/base.html": {Data: []byte(`{{template "main" .}}`)}}
	for _, k := range Kinds {
		fallback["layouts/"+string(k)+".html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{end}}`)}
	}
	_, diags := Load(fstest.MapFS{"layouts/tag.html": {Data: []byte("{{define \"main\"}}\n\n{{if}}{{end}}")}}, fallback, "")
	// The rest of the message is text/template's own.
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Error(), "layouts/tag.html:3: template: ") {
		t.Errorf("parse error: %v", diags)
	}
	_, diags = Load(fstest.MapFS{}, fstest.MapFS{}, "")
	if want := "layouts/base.html: missing: every theme needs base.html, the page skeleton"; len(diags) != 1 || diags[0].Error() != want {
		t.Errorf("missing base: %v, want %s", diags, want)
	}
}

func TestFuncs(t *testing.T) {
	f := Funcs("https://example.org")
	date := f["date"].(func(string, time.Time) string)
	if date("2006", time.Time{}) != "" || date("2006-01-02", time.Date(2024, 3, 12, 0, 0, 0, 0, time.UTC)) != "2024-03-12" {
		t.Error("date")
	}
	plural := f["plural"].(func(int, string, string) string)
	if plural(1, "minute", "minutes") != "1 minute" || plural(4, "minute", "minutes") != "4 minutes" {
		t.Error("plural")
	}
	if got := AbsURL("https://example.org", "/a/b/"); got != "https://example.org/a/b/" {
		t.Errorf("AbsURL = %q", got)
	}
	js, err := JSONLD(&Data{Essay: &Essay{Title: `</script><script>alert(1)</script>`, Author: Author{Name: "A & B"}}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "</script>") || strings.Contains(string(js), "<script") || !strings.Contains(string(js), `\u003c/script\u003e`) {
		t.Errorf("JSON-LD can break out of its script element: %s", js)
	}
}

// partialTheme is a theme whose list pages show each essay through
// partialCached, with the given card partial.
func partialTheme(t *testing.T, list, card string) *Theme {
	t.Helper()
	fallback := fstest.MapFS{
		"layouts/base.html":          {Data: []byte(`{{template "main" .}}`)},
		"layouts/partials/card.html": {Data: []byte(card)},
	}
	for _, k := range Kinds {
		fallback["layouts/"+string(k)+".html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}` + list + `{{end}}`)}
	}
	th, diags := Load(fstest.MapFS{}, fallback, "https://example.org")
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	return th
}

func TestPartialCached(t *testing.T) {
	th := partialTheme(t, `{{range .Essays}}{{partialCached "partials/card.html" .}}|{{end}}`, `<a href="{{.URL}}">{{.Title}}</a>`)
	a, b := &Essay{Title: "A & B", URL: "/a/"}, &Essay{Title: "C", URL: "/c/"}
	render := func(kind Kind, essays ...*Essay) string {
		t.Helper()
		var out strings.Builder
		if err := th.Execute(&out, &Data{Kind: kind, Essays: essays}, "list"); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	want := `<a href="/a/">A &amp; B</a>|<a href="/c/">C</a>|`
	if got := render(KindHome, a, b); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	// The same essay is the same card on every kind of list, rendered
	// once: what changed in it since is not seen (a build never changes
	// an essay once its pages render; the next build loads a new Theme).
	a.Title = "changed"
	if got := render(KindTag, b, a); got != `<a href="/c/">C</a>|<a href="/a/">A &amp; B</a>|` {
		t.Errorf("cached cards: got %q", got)
	}
	// Another essay with the same fields is another card.
	if got := render(KindSection, &Essay{Title: "changed", URL: "/a/"}); got != `<a href="/a/">changed</a>|` {
		t.Errorf("a new essay: got %q", got)
	}
}

// TestPartialCachedKeys: given keys after its argument, partialCached
// renders once per partial and keys, with the argument of the first call.
func TestPartialCachedKeys(t *testing.T) {
	th := partialTheme(t, `{{range .Essays}}{{partialCached "partials/card.html" . $.Kind}}|{{partialCached "partials/card.html" . $.Kind .URL}}|{{end}}`, `{{.Title}}`)
	render := func(kind Kind, essays ...*Essay) string {
		t.Helper()
		var out strings.Builder
		if err := th.Execute(&out, &Data{Kind: kind, Essays: essays}, "list"); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	a, b, c := &Essay{Title: "A", URL: "/a/"}, &Essay{Title: "B", URL: "/b/"}, &Essay{Title: "C", URL: "/a/"}
	for _, tc := range []struct {
		kind   Kind
		essays []*Essay
		want   string
	}{
		// One key: the first essay's title stands for every essay of
		// the kind; two keys tell the essays apart by URL.
		{KindHome, []*Essay{a, b}, "A|A|A|B|"},
		{KindTag, []*Essay{b, a}, "B|B|B|A|"},
		// Other essays, the same keys: what was rendered for them.
		{KindHome, []*Essay{c}, "A|A|"},
	} {
		if got := render(tc.kind, tc.essays...); got != tc.want {
			t.Errorf("%s page of %d essays: got %q, want %q", tc.kind, len(tc.essays), got, tc.want)
		}
	}
}

func TestPartialCachedConcurrent(t *testing.T) {
	th := partialTheme(t, `{{range .Essays}}{{partialCached "partials/card.html" .}}{{end}}`, `{{.Title}};`)
	var essays []*Essay
	var want strings.Builder
	for i := range 50 {
		essays = append(essays, &Essay{Title: strconv.Itoa(i)})
		want.WriteString(strconv.Itoa(i) + ";")
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	outs := make([]string, 8)
	for g := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out strings.Builder
			errs[g] = th.Execute(&out, &Data{Kind: KindHome, Essays: essays}, "home")
			outs[g] = out.String()
		}()
	}
	wg.Wait()
	for g := range errs {
		if errs[g] != nil || outs[g] != want.String() {
			t.Errorf("goroutine %d: %v, %q", g, errs[g], outs[g])
		}
	}
}

// TestPartialCachedEach: partialCachedEach writes what a range over the
// list calling partialCached on each, a newline before each, writes, for
// a list of essays and for any other list.
func TestPartialCachedEach(t *testing.T) {
	a, b := &Essay{Title: "A & B", URL: "/a/"}, &Essay{Title: "C", URL: "/c/"}
	d := &Data{Kind: KindHome, Essays: []*Essay{a, b, a}, Site: Site{Menu: []Link{{Label: "L", URL: "/l/"}, {Label: "M & N"}}}}
	for _, tc := range []struct{ name, list, card, want string }{
		{"essays", ".Essays", `<a href="{{.URL}}">{{.Title}}</a>`, "\n<a href=\"/a/\">A &amp; B</a>\n<a href=\"/c/\">C</a>\n<a href=\"/a/\">A &amp; B</a>"},
		{"other list", ".Site.Menu", `{{.Label}}`, "\nL\nM &amp; N"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			each := partialTheme(t, `{{partialCachedEach "partials/card.html" `+tc.list+`}}`, tc.card)
			ranged := partialTheme(t, `{{range `+tc.list+`}}
{{partialCached "partials/card.html" .}}{{end}}`, tc.card)
			var got, want strings.Builder
			if err := each.Execute(&got, d, "home"); err != nil {
				t.Fatal(err)
			}
			if err := ranged.Execute(&want, d, "home"); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() || got.String() != tc.want {
				t.Errorf("partialCachedEach wrote %q, range %q, want %q", got.String(), want.String(), tc.want)
			}
		})
	}
}

func TestPartialCachedErrors(t *testing.T) {
	for _, tc := range []struct {
		name, list, card, want string
	}{
		{"no such partial", `{{partialCached "partials/nope.html" .}}`, ``,
			`layouts/home.html:1:19: template: executing "main" at <partialCached "partials/nope.html" .>: error calling partialCached: no partial "partials/nope.html"; it renders a file of layouts/partials/, named by its path as in {{partialCached "partials/card.html" .}} (while rendering home)`},
		{"not a partial", `{{partialCached "base.html" .}}`, ``,
			`layouts/home.html:1:19: template: executing "main" at <partialCached "base.html" .>: error calling partialCached: no partial "base.html"; it renders a file of layouts/partials/, named by its path as in {{partialCached "partials/card.html" .}} (while rendering home)`},
		{"an argument that is no key", `{{partialCached "partials/card.html" .Essays}}`, ``,
			`layouts/home.html:1:19: template: executing "main" at <partialCached "partials/card.html" .Essays>: error calling partialCached: its argument (a []*layout.Essay) cannot tell one call from another; pass a pointer such as an essay of .Essays, a string or a number (while rendering home)`},
		{"a key that is no key", `{{partialCached "partials/card.html" . .Kind .Essays}}`, ``,
			`layouts/home.html:1:19: template: executing "main" at <partialCached "partials/card.html" . .Kind .Essays>: error calling partialCached: its key 2 (a []*layout.Essay) cannot tell one call from another; pass strings, numbers or pointers (while rendering home)`},
		{"too many keys", `{{partialCached "partials/card.html" . 1 2 3 4 5}}`, ``,
			`layouts/home.html:1:19: template: executing "main" at <partialCached "partials/card.html" . 1 2 3 4 5>: error calling partialCached: 5 keys after its argument; give at most 4 (while rendering home)`},
		{"each of no list", `{{partialCachedEach "partials/card.html" .Kind}}`, ``,
			`layouts/home.html:1:19: template: executing "main" at <partialCachedEach "partials/card.html" .Kind>: error calling partialCachedEach: its argument is a layout.Kind, not a list; pass one such as .Essays (while rendering home)`},
		{"each with no such partial", `{{partialCachedEach "partials/nope.html" .Essays}}`, ``,
			`layouts/home.html:1:19: template: executing "main" at <partialCachedEach "partials/nope.html" .Essays>: error calling partialCachedEach: no partial "partials/nope.html"; it renders a file of layouts/partials/, named by its path as in {{partialCached "partials/card.html" .}} (while rendering home)`},
		// A fault inside the partial is reported where it is.
		{"a fault in the partial", `{{range .Essays}}{{partialCached "partials/card.html" .}}{{end}}`, "\n{{.Nope}}",
			`layouts/partials/card.html:2:2: template: executing "partials/card.html" at <.Nope>: can't evaluate field Nope in type *layout.Essay (while rendering home)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			th := partialTheme(t, tc.list, tc.card)
			err := th.Execute(io.Discard, &Data{Kind: KindHome, Essays: []*Essay{{Title: "A"}}}, "home")
			if err == nil || err.Error() != tc.want {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestJSONLDAsMap holds JSONLD to the map it was first written with
// (encoding/json sorts a map's keys; JSONLD's struct must give the same
// bytes), over essays with and without each optional field.
func TestJSONLDAsMap(t *testing.T) {
	asMap := func(d *Data) string {
		e := d.Essay
		obj := map[string]any{
			"@context": "https://schema.org", "@type": "Article", "headline": e.Title, "url": e.Permalink,
			"mainEntityOfPage": e.Permalink, "wordCount": e.WordCount,
			"publisher": map[string]any{"@type": "Organization", "name": d.Site.Title, "url": d.Site.BaseURL + "/"},
		}
		if e.Description != "" {
			obj["description"] = e.Description
		}
		if e.Author.Name != "" {
			a := map[string]any{"@type": "Person", "name": e.Author.Name}
			if e.Author.URL != "" {
				a["url"] = e.Author.URL
			}
			obj["author"] = a
		}
		if !e.Date.IsZero() {
			obj["datePublished"] = e.Date.Format(time.RFC3339)
			obj["dateModified"] = e.Date.Format(time.RFC3339)
		}
		if !e.Lastmod.IsZero() {
			obj["dateModified"] = e.Lastmod.Format(time.RFC3339)
		}
		if len(e.Tags) > 0 {
			var kw []string
			for _, t := range e.Tags {
				kw = append(kw, t.Name)
			}
			obj["keywords"] = strings.Join(kw, ", ")
		}
		if d.Site.Language != "" {
			obj["inLanguage"] = d.Site.Language
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(true)
		if err := enc.Encode(obj); err != nil {
			t.Fatal(err)
		}
		return string(bytes.TrimSpace(b.Bytes()))
	}
	day := time.Date(2024, 3, 12, 9, 0, 0, 0, time.FixedZone("", 2*3600))
	full := Essay{Title: `A <b> & "c"`, Permalink: "https://e.org/a/", WordCount: 812, Description: "D </script>",
		Author: Author{Name: "Ada", URL: "https://ada.org/"}, Date: day, Lastmod: day.AddDate(0, 1, 0),
		Tags: []Tag{{Name: "x"}, {Name: "y & z"}}}
	site := Site{Title: "S", BaseURL: "https://e.org", Language: "en"}
	variants := []func(e *Essay, s *Site){
		func(*Essay, *Site) {},
		func(e *Essay, s *Site) { *e = Essay{}; *s = Site{} },
		func(e *Essay, _ *Site) { e.Author.URL = "" },
		func(e *Essay, _ *Site) { e.Author = Author{URL: "https://x.org/"} },
		func(e *Essay, _ *Site) { e.Lastmod = time.Time{} },
		func(e *Essay, _ *Site) { e.Date = time.Time{} },
		func(e *Essay, _ *Site) { e.Tags = []Tag{{Name: ""}} },
		func(e *Essay, _ *Site) { e.Description = ""; e.Tags = nil },
		func(_ *Essay, s *Site) { s.Language = "" },
	}
	for i, v := range variants {
		e, s := full, site
		v(&e, &s)
		d := &Data{Essay: &e, Site: s}
		got, err := JSONLD(d)
		if err != nil {
			t.Fatal(err)
		}
		if want := asMap(d); string(got) != want {
			t.Errorf("variant %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
