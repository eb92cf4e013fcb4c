package pipeline

import (
	"bytes"
	"context"
	"image/png"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestCards: every essay without an image of its own gets a 1200 by 630
// card beside its page, named in og:image with summary_large_image; an
// essay's own image (a path, relative or from the site's root, or a URL)
// is used instead; a build whose output holds the cards draws none.
func TestCards(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":               "title: S\nbaseURL: https://example.org\ncards: {draw: true}\n",
		"content/a.md":            "---\ntitle: Alpha\ndate: 2024-01-01\n---\nText.\n",
		"content/notes/b.md":      "---\ntitle: Beta\nimage: img/b.png\n---\nText.\n",
		"content/c.md":            "---\ntitle: Gamma\nimage: /images/c.png\n---\nText.\n",
		"content/d.md":            "---\ntitle: Delta\nimage: https://cdn.example.net/d.png\n---\nText.\n",
		"content/notes/img/b.png": pngOf(t, 4, 4),
	}, Options{})
	data, ok := site.File("a/card.png")
	if !ok {
		t.Fatalf("no card; the site has %v", site.Paths())
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil || img.Bounds().Dx() != 1200 || img.Bounds().Dy() != 630 {
		t.Fatalf("the card: %v, %v", err, img.Bounds())
	}
	contains(t, "a", fileOf(t, site, "a/index.html"), `<meta property="og:image" content="https://example.org/a/card.png">`,
		`<meta property="og:image:width" content="1200">`, `<meta name="twitter:card" content="summary_large_image">`)
	for p, want := range map[string]string{
		"notes/b/index.html": "https://example.org/notes/img/b.png",
		"c/index.html":       "https://example.org/images/c.png",
		"d/index.html":       "https://cdn.example.net/d.png",
	} {
		page := fileOf(t, site, p)
		contains(t, p, page, `<meta property="og:image" content="`+want+`">`, "summary_large_image")
		if strings.Contains(page, "og:image:width") {
			t.Errorf("%s gives a card's size for its own image", p)
		}
		if _, ok := site.File(strings.TrimSuffix(p, "index.html") + "card.png"); ok {
			t.Errorf("%s has its own image and a card", p)
		}
	}
	if strings.Contains(fileOf(t, site, "tags/index.html"), "og:image") {
		t.Error("a list page names an image")
	}
}

// TestCardsCached: a second build in a new Builder (a new process) with
// the persistent cache draws no card, and an edited title redraws its own.
func TestCardsCached(t *testing.T) {
	site := newCachedSite(t, 12, 9)
	testsite.WriteFile(t, site.dir, "site.yaml", "title: Corpus\nbaseURL: https://corpus.example.org\ncards: {draw: true}\n")
	if st := site.build(t, "first"); st.Cards != 12 {
		t.Errorf("the first build drew %d cards, want 12", st.Cards)
	}
	before := readTree(t, site.out)
	if st := site.build(t, "again"); st.Cards != 0 {
		t.Errorf("the second build drew %d cards, want none", st.Cards)
	}
	names, _ := filepath.Glob(filepath.Join(site.out, "*", "card.png"))
	if len(names) != 12 {
		t.Fatalf("%d cards", len(names))
	}
	after := readTree(t, site.out)
	for p := range before {
		if strings.HasSuffix(p, "card.png") && !bytes.Equal(before[p], after[p]) {
			t.Errorf("%s changed", p)
		}
	}
}

// TestCardsOff: cards.draw: false draws none and names none in og:image.
func TestCardsOff(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":    "title: T\nbaseURL: https://example.org\ncards: {draw: false}\n",
		"content/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n",
	})
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := site.File("a/card.png"); ok {
		t.Error("a card was drawn with cards.draw: false")
	}
	if b := fileOf(t, site, "a/index.html"); strings.Contains(b, "og:image") {
		t.Errorf("og:image without a card:\n%s", b)
	}
}

// TestCardsToggled: turning cards off and on again re-renders the pages
// whose og:image changed, as a fresh build would.
func TestCardsToggled(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":    "title: T\nbaseURL: https://example.org\n",
		"content/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n",
	})
	b := NewBuilder()
	for _, yaml := range []string{"cards: {draw: false}\n", "cards: {draw: true}\n"} {
		testsite.WriteFile(t, dir, "site.yaml", "title: T\nbaseURL: https://example.org\n"+yaml)
		got, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		want, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		if g, w := fileOf(t, got, "a/index.html"), fileOf(t, want, "a/index.html"); g != w {
			t.Errorf("with %s the rebuilt page differs from a fresh build's:\n%s\nwant\n%s", yaml, g, w)
		}
	}
}
