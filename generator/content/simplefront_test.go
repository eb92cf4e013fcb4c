package content

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// simpleSeeds are front matter lines (without the --- lines): what
// simpleFront should read, and what it must leave to the full path.
var simpleSeeds = []string{
	// Read by simpleFront (TestSimpleFrontReads).
	"title: \"Expert front meeting habit influence\"\ndate: 2015-01-03T01:00:00Z\ntags: [learning, startups]\n",
	"title: Two Leadership Models\ndate: 2024-03-12\nlastmod: 2024-04-01T09:30:00+02:00\ndraft: false\ntags: [leadership, \"servant leadership\", 'coaching']\n",
	"title: It's\ndescription: A short one.\nsummary: What it says, in one line (roughly).\nslug: two-models\nauthor: Ada Lovelace\naliases: [/old/, /older/]\n",
	"title: Café — “quoted” ünïcode, 100% & more!\n\ntags: leadership\ndraft: true\n",
	"title: 2024\ntags: [2019, go, \"\", \" \"]\n",
	"date: 2008-10-18 12:00:00 -0700\ntitle: Jekyll's date\n",
	"tags: []\naliases: old-name\n",
	"title: a  b\n",
	// Left to the full path.
	"title: \"esc\\\"aped\"\n", "title: null\n", "title: True\n", "title: ~\n", "title:\n", "title:  two spaces\n",
	"title: a # comment\n", "title: a: b\n", "title: [a, b]\n", "title: 'it''s'\n", "title: \"tab\there\"\n",
	"title: -a\n", "title: .inf\n", "title: &anchor x\nsummary: *anchor\n", "title: !tag x\n", "title: |\n  block\n",
	"title: x\ntitle: y\n", "Title: x\n", "titel: x\n", "weight: 3\n", "categories: [a]\n", "  title: x\n", "# comment\ntitle: x\n",
	"date: yesterday\n", "date: 2024\n", "date: \"2024-03-12\"\n", "draft: yes\n", "draft: True\n",
	"tags: 5\n", "tags: [a, [b]]\n", "tags: [a,b]\n", "tags: [a , b]\n", "tags: [null, a]\n", "tags: [a, b\n", "tags: {a: b}\n",
	"tags:\n  - a\n  - b\n", "slug: ../../etc\n", "slug: a/b\n", "aliases: [/ok/, ../../etc]\n", "aliases: [\"http://e.org/\"]\n",
	"title: x\r\n", "title: x \n", "title: x\u2028y\n", "title: \"x\u0085y\"\n", "title: x\ufeff\n", "title: \u00a0x\n",
	"title: x", "title: \"x\" # c\n", "title: 'x'y\n", "---\ntitle: x\n",
}

// TestSimpleFrontReads holds that the common front matter takes the
// fast path: were it to stop doing so, builds would be slower and no
// other test would tell.
func TestSimpleFrontReads(t *testing.T) {
	for _, fm := range simpleSeeds[:8] {
		if _, ok := simpleFront([]byte(fm)); !ok {
			t.Errorf("simpleFront refuses %q", fm)
		}
	}
	if _, ok := simpleFront([]byte("title: \"Expert\"\ndate: 2015-01-03T01:00:00Z\ntags: [learning, startups]\n")); !ok {
		t.Error("simpleFront refuses the generated corpus' front matter")
	}
}

// TestSimpleFrontSameAsFull compares the seeds, each as a whole file,
// and the example site's essays, read with and without simpleFront.
func TestSimpleFrontSameAsFull(t *testing.T) {
	for _, fm := range simpleSeeds {
		if err := sameWithSimple("content/essay.md", []byte("---\n"+fm+"---\nBody.\n")); err != "" {
			t.Error(err)
		}
	}
	essays, err := filepath.Glob("../../content/*.md")
	if err != nil || len(essays) == 0 {
		t.Fatalf("no example essays: %v", err)
	}
	for _, e := range essays {
		raw, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameWithSimple("content/"+filepath.Base(e), raw); err != "" {
			t.Error(err)
		}
	}
}

// FuzzSimpleFront holds simpleFront to the full path (goccy through
// strictyaml, then interpret): any file parses to the same page and the
// same diagnostics, positions included, with it and without it. The
// fuzzer writes front matter of up to three lines, each one of the keys
// simpleFront knows (or another) with any value, and a whole file.
//
//	go test -run '^$' -fuzz '^FuzzSimpleFront$' -fuzztime 10m ./generator/content
func FuzzSimpleFront(f *testing.F) {
	keys := append(append([]string{}, ownKeys...), "categories", "Title", "")
	for i, fm := range simpleSeeds {
		lines := strings.SplitN(strings.TrimSuffix(fm, "\n"), "\n", 3)
		for len(lines) < 3 {
			lines = append(lines, "")
		}
		f.Add(uint8(i), lines[0], lines[1], lines[2], "---\n"+fm+"---\n")
	}
	f.Fuzz(func(t *testing.T, k uint8, l1, l2, l3, file string) {
		// The value of line 1 under each key in turn (the key is chosen
		// from k): "title: " + the rest of l1 after its colon, if any.
		_, v1, found := strings.Cut(l1, ": ")
		if !found {
			v1 = l1
		}
		fm := keys[int(k)%len(keys)] + ": " + v1 + "\n" + l2 + "\n" + l3 + "\n"
		for _, raw := range []string{"---\n" + fm + "---\nBody.\n", "---\n" + keys[int(k)%len(keys)] + ": " + v1 + "\n---\n", file} {
			if err := sameWithSimple("content/essay.md", []byte(raw)); err != "" {
				t.Fatal(err)
			}
		}
	})
}

// sameWithSimple returns how parsing raw with simpleFront differs from
// parsing it without, or "".
func sameWithSimple(source string, raw []byte) string {
	full, fullDiags := parseWith(source, raw, nil, false)
	fast, fastDiags := parseWith(source, raw, nil, true)
	if !reflect.DeepEqual(full, fast) {
		return fmt.Sprintf("parsing %q:\nfull:   %s\nsimple: %s", raw, describePage(full), describePage(fast))
	}
	if fullDiags.Error() != fastDiags.Error() {
		return fmt.Sprintf("parsing %q:\nfull diagnostics:   %v\nsimple diagnostics: %v", raw, fullDiags, fastDiags)
	}
	return ""
}

func describePage(p *Doc) string {
	if p == nil {
		return "no page"
	}
	return fmt.Sprintf("%+v; title %q, URL %s, tags %v", p.Front, p.Title, p.URL, p.Tags)
}

// TestSimpleFrontRandom compares the two paths on front matter written
// from an alphabet of YAML's special characters, which a fuzzer mutating
// bytes rarely puts together in a line simpleFront accepts.
func TestSimpleFrontRandom(t *testing.T) {
	const alphabet = "aZé9 0-:#,[]{}'\"\\/.!&*%@|>?`~+T\t“—\u00a0\u2028"
	runes := []rune(alphabet)
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		return b.String()
	}
	keys := []string{"title", "date", "draft", "tags", "aliases", "slug", "author"}
	n, accepted := 20000, 0
	if testing.Short() {
		n = 2000
	}
	for range n {
		var fm strings.Builder
		for range 1 + rng.IntN(2) {
			v := word()
			switch rng.IntN(4) {
			case 0:
				v = "[" + word() + ", " + word() + "]"
			case 1:
				v = "\"" + word() + "\""
			case 2:
				v = "2024-0" + word()
			}
			fm.WriteString(keys[rng.IntN(len(keys))] + ": " + v + "\n")
		}
		if _, ok := simpleFront([]byte(fm.String())); ok {
			accepted++
		}
		if err := sameWithSimple("content/essay.md", []byte("---\n"+fm.String()+"---\n")); err != "" {
			t.Fatal(err)
		}
	}
	t.Logf("simpleFront read %d of %d", accepted, n)
}

// BenchmarkParse parses an essay like the generated corpus' with and
// without simpleFront:
//
//	go test ./generator/content -run '^$' -bench Parse -count 10
func BenchmarkParse(b *testing.B) {
	raw := []byte("---\ntitle: \"Expert front meeting habit influence\"\ndate: 2015-01-03T01:00:00Z\ntags: [learning, startups]\n---\n\n" +
		strings.Repeat("People feedback strategy servant vision support care purpose.\n\n", 80))
	for _, bc := range []struct {
		name   string
		simple bool
	}{{"full", false}, {"simple", true}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if p, diags := parseWith("content/essay.md", raw, nil, bc.simple); p == nil || len(diags) > 0 {
					b.Fatal(diags)
				}
			}
		})
	}
}
