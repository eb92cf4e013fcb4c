package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestCards: by default (site.yaml says nothing of cards), every essay
// without an image of its own gets a 1200 by 630 card beside its page,
// named in the default theme's og:image with summary_large_image; an
// essay's own image (a path, relative or from the site's root, or a URL)
// is used instead.
func TestCards(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":               "title: S\nbaseURL: https://example.org\n",
		"content/a.md":            "---\ntitle: Alpha\ndate: 2024-01-01\n---\nText.\n",
		"content/notes/b.md":      "---\ntitle: Beta\nimage: img/b.png\n---\nText.\n",
		"content/c.md":            "---\ntitle: Gamma\nimage: /images/c.png\n---\nText.\n",
		"content/d.md":            "---\ntitle: Delta\nimage: https://cdn.example.net/d.png\n---\nText.\n",
		"content/notes/img/b.png": pngOf(t, 4, 4),
		"static/images/c.png":     pngOf(t, 4, 4),
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

// TestEssayImage: an essay's own image is checked as an image in its text
// is: a path names a published file (beside the essay, relative to its
// folder; from the site's root, in static/ or beside the essays), or the
// build reports it at the value, with links.broken's severity; og:image
// is always an absolute URL.
func TestEssayImage(t *testing.T) {
	const noFile = "; fix the path (it is relative to content/notes/, or else to static/) or add the file"
	tests := []struct {
		name, image string
		toml        bool
		og          string // og:image when the build succeeds
		want        string // the diagnostic, if any
	}{
		{name: "beside the essay", image: "cover.png", og: "https://example.org/notes/cover.png"},
		{name: "beside, with ./", image: "./cover.png", og: "https://example.org/notes/cover.png"},
		{name: "in a folder beside", image: "img/a%20b.png?v=2", og: "https://example.org/notes/img/a%20b.png?v=2"},
		{name: "up a folder", image: "../top.png", og: "https://example.org/top.png"},
		{name: "relative to static/, as Hugo's themes take it", image: "images/x.png", og: "https://example.org/images/x.png"},
		{name: "from static/", image: "/images/x.png", og: "https://example.org/images/x.png"},
		{name: "from the root, beside the essays", image: "/notes/cover.png", og: "https://example.org/notes/cover.png"},
		{name: "a theme's static file", image: "/css/steward.css", og: "https://example.org/css/steward.css"},
		{name: "a full URL", image: "https://cdn.example.net/x.png", og: "https://cdn.example.net/x.png"},
		{name: "scheme-relative", image: "//cdn.example.net/x.png", og: "https://cdn.example.net/x.png"},
		{name: "in TOML", image: "cover.png", toml: true, og: "https://example.org/notes/cover.png"},
		{name: "missing beside", image: "kover.png",
			want: `content/notes/a.md:3:8: front matter: image "kover.png": there is no file content/notes/kover.png` + noFile},
		{name: "missing in TOML", image: "kover.png", toml: true,
			want: `content/notes/a.md:3:9: front matter: image "kover.png": there is no file content/notes/kover.png` + noFile},
		{name: "missing from the root", image: "/images/none.png",
			want: `content/notes/a.md:3:8: front matter: image "/images/none.png": there is no file static/images/none.png, nor content/images/none.png beside the essays; fix the path (one starting with / is from static/ or content/) or add the file`},
		{name: "in a folder that is not published", image: "_drafts/c.png",
			want: `content/notes/a.md:3:8: front matter: image "_drafts/c.png": content/notes/_drafts/c.png is in the folder _drafts, and folders starting with _ or . are not published` + noFile},
		{name: "outside content/", image: "../../x.png",
			want: `content/notes/a.md:3:8: front matter: image "../../x.png": there is no file x.png (only files under content/ and static/ are published)` + noFile},
		{name: "outside the site", image: "../../../x.png",
			want: `content/notes/a.md:3:8: front matter: image "../../../x.png": it points outside the site's folder` + noFile},
		{name: "a folder", image: "img/",
			want: `content/notes/a.md:3:8: front matter: image "img/": not the path of a file; give an image beside the essay (cover.png), one in static/ (/images/cover.png) or a full URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			front := fmt.Sprintf("---\ntitle: A\nimage: %s\n---\nText.\n", tt.image)
			if tt.toml {
				front = fmt.Sprintf("+++\ntitle = 'A'\nimage = '%s'\n+++\nText.\n", tt.image)
			}
			files := map[string]string{
				"site.yaml":                   "title: S\nbaseURL: https://example.org\n",
				"content/notes/a.md":          front,
				"content/notes/cover.png":     pngOf(t, 4, 4),
				"content/notes/img/a b.png":   pngOf(t, 4, 4),
				"content/top.png":             pngOf(t, 4, 4),
				"content/notes/_drafts/c.png": pngOf(t, 4, 4),
				"static/images/x.png":         pngOf(t, 4, 4),
			}
			dir := testsite.New(t, files)
			site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
			if tt.want != "" {
				wantDiags(t, diag.AsList(err), []string{tt.want})
				// With links.broken: warn, the same is a warning and
				// the site is built.
				testsite.WriteFile(t, dir, "site.yaml", "title: S\nbaseURL: https://example.org\nlinks: {broken: warn}\n")
				site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
				if err != nil {
					t.Fatal(err)
				}
				w, _ := strings.CutPrefix(tt.want, "content/notes/a.md:3:")
				wantDiags(t, site.Warnings(), []string{tt.want[:len(tt.want)-len(w)] + w[:strings.Index(w, " ")+1] + "warning: " + w[strings.Index(w, " ")+1:]})
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			contains(t, "a", fileOf(t, site, "notes/a/index.html"), `<meta property="og:image" content="`+tt.og+`">`)
		})
	}
}
