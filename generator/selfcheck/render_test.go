package selfcheck

import (
	"bytes"
	"encoding/json"
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var emphasis = regexp.MustCompile(`\*([^*]+)\*`)

// testInline stands in for the site's Markdown: it escapes and knows *em*.
func testInline(s string) template.HTML {
	return template.HTML(emphasis.ReplaceAllString(template.HTMLEscapeString(s), "<em>$1</em>"))
}

// mustBlock parses testdata/<name>.yaml.
func mustBlock(t testing.TB, name string) *Block {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b, l := Parse("testdata/"+name+".yaml", src, 1, 0)
	if len(l) > 0 {
		t.Fatalf("parsing %s: %v", name, l)
	}
	return b
}

func TestRenderGolden(t *testing.T) {
	for _, name := range []string{"continuum", "quiz", "quadrant"} {
		t.Run(name, func(t *testing.T) {
			h, err := mustBlock(t, name).Render(testInline, DefaultStrings())
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".golden.html")
			if *update {
				if err := os.WriteFile(golden, []byte(h), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if string(h) != string(want) {
				t.Errorf("%s differs from the rendered HTML; run go test ./generator/selfcheck -update and review the diff", golden)
			}
		})
	}
}

// TestBandRanges checks the totals shown in "score it yourself" against
// the band lookup, for every reachable total.
func TestBandRanges(t *testing.T) {
	b := mustBlock(t, "continuum")
	want := []string{"−12 to −8", "−7 to −3", "−2 to +2", "+3 to +7", "+8 to +12"}
	for k := range b.s.Bands {
		if got := b.totalRange(k); got != want[k] {
			t.Errorf("band %d: got %q, want %q", k, got, want[k])
		}
	}
}

func TestEscaping(t *testing.T) {
	const evil = `</script><script>alert(1)</script>`
	src := edit(edit(base, "text: a", "text: '"+evil+"'"), "title: T", "title: '"+evil+" & <b>'")
	b, l := Parse("essay.md", []byte(src), 1, 0)
	if b == nil {
		t.Fatal(l)
	}
	h, err := b.Render(testInline, DefaultStrings())
	if err != nil {
		t.Fatal(err)
	}
	s := string(h)
	if strings.Count(s, "<script") != 1 || strings.Count(s, "</script>") != 1 {
		t.Errorf("the author's text made a script element:\n%s", s)
	}
	if !strings.Contains(s, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("option text not escaped as text in the HTML:\n%s", s)
	}
	// The JSON holds the text as the author wrote it, with <, > and &
	// escaped so that it cannot end its element.
	i := strings.Index(s, `class="sc-data">`) + len(`class="sc-data">`)
	j := strings.LastIndex(s, "</script>")
	raw := s[i:j]
	if strings.ContainsAny(raw, "<>&") {
		t.Errorf("JSON holds a raw <, > or &: %s", raw)
	}
	var d data
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatalf("JSON does not parse: %v\n%s", err, raw)
	}
	if d.Items[0].Options[0].Text != evil || d.Title != evil+" & <b>" {
		t.Errorf("JSON texts = %q, %q; want the author's text back", d.Items[0].Options[0].Text, d.Title)
	}
}

func TestRenderStrings(t *testing.T) {
	s := DefaultStrings()
	s.Submit = "Wo stehen Sie?"
	s.StronglyAgree = "Stimme voll zu"
	h, err := mustBlock(t, "continuum").Render(testInline, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">Wo stehen Sie?</button>", ">Stimme voll zu</label>", `"sa":"Stimme voll zu"`} {
		if !bytes.Contains([]byte(h), []byte(want)) {
			t.Errorf("rendered HTML lacks %s", want)
		}
	}
}
