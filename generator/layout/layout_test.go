package layout

import (
	"bytes"
	"strings"
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
