package layout

import (
	"html/template"
	"strings"
	"testing"
)

// itemsTemplates are the range loops that tocItems, tagItems and
// relatedItems replace in the default theme, and the calls that replace
// them: both must write the same bytes for any value.
const itemsTemplates = `{{define "toc-range"}}<ol>
{{- range .}}
<li class="toc-h{{.Level}}"><a href="#{{.ID}}">{{.Text}}</a></li>
{{- end}}
</ol>{{end}}` +
	`{{define "toc-func"}}<ol>
{{- tocItems .}}
</ol>{{end}}` +
	`{{define "tags-range"}}<ul class="tags" aria-label="Tags">
{{- range .}}<li><a href="{{.URL}}" rel="tag">{{.Name}}</a></li>{{end -}}
</ul>{{end}}` +
	`{{define "tags-func"}}<ul class="tags" aria-label="Tags">
{{- tagItems . -}}
</ul>{{end}}` +
	`{{define "related-range"}}<ul>
{{- range .}}
<li><a href="{{.URL}}">{{.TitleHTML}}</a>{{if .DateISO}} <time datetime="{{.DateISO}}">{{.DateText}}</time>{{end}}</li>
{{- end}}
</ul>{{end}}` +
	`{{define "related-func"}}<ul>
{{- relatedItems .}}
</ul>{{end}}`

// itemsSame renders each pair of itemsTemplates with values built from
// text and url and reports any difference.
func itemsSame(t *testing.T, tmpl *template.Template, text, url string) {
	t.Helper()
	data := map[string]any{
		"toc":  []Heading{{Level: 2, ID: text, Text: text}, {Level: 3, ID: url, Text: "x"}},
		"tags": []Tag{{Name: text, URL: url}, {Name: "plain", URL: "/tags/plain/"}},
		"related": []EssayRef{
			{TitleHTML: template.HTML(text), URL: url, DateISO: text, DateText: text},
			{TitleHTML: "T", URL: "/t/"},
		},
	}
	for _, name := range []string{"toc", "tags", "related"} {
		var a, b strings.Builder
		if err := tmpl.ExecuteTemplate(&a, name+"-range", data[name]); err != nil {
			t.Fatal(err)
		}
		if err := tmpl.ExecuteTemplate(&b, name+"-func", data[name]); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%s with %q, %q:\nrange: %q\nfunc:  %q", name, text, url, a.String(), b.String())
		}
	}
	var empty, none strings.Builder
	_ = tmpl.ExecuteTemplate(&empty, "toc-range", []Heading(nil))
	_ = tmpl.ExecuteTemplate(&none, "toc-func", []Heading(nil))
	if empty.String() != none.String() {
		t.Errorf("no headings: range %q, func %q", empty.String(), none.String())
	}
}

func itemsTemplate(t testing.TB) *template.Template {
	return template.Must(template.New("").Funcs(Funcs("https://example.org")).Parse(itemsTemplates))
}

func TestItemsAsRange(t *testing.T) {
	tmpl := itemsTemplate(t)
	for _, c := range []struct{ text, url string }{
		{"plain words", "/essay-1/"},
		{"Quotes \"and\" 'apostrophes'", "/my%20essay/"},
		{"a+b <c> & d", "https://example.org/x/"},
		{"2024-03-12T09:00:00+02:00", "http://example.org/a_b.c~d/"},
		{"ünïcode – dash", "/café/"},
		{"nul \x00 byte", "javascript:alert(1)"},
		{"bad \xff utf8", "/a b/?q=1&r=2#frag"},
		{"", ""},
		{"id-with-dots.and_under~", "//host/path"},
		{"%41", "/%zz/"},
		{"back`tick = equals", "HTTPS://EXAMPLE.ORG/"},
		{"tab\tnew\nline", "/tags/c++/"},
	} {
		itemsSame(t, tmpl, c.text, c.url)
	}
}

func FuzzItemsAsRange(f *testing.F) {
	f.Add("a+b <c>", "/my%20essay/")
	f.Add("x", "javascript:x")
	tmpl := itemsTemplate(f)
	f.Fuzz(func(t *testing.T, text, url string) {
		itemsSame(t, tmpl, text, url)
	})
}
