package sitecheck

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/importer"
	"github.com/steward-ssg/steward/generator/pipeline"
	"github.com/steward-ssg/steward/generator/scaffold"
)

// The importer's fixtures: a WordPress export and an unpacked Substack
// export.
const (
	wordpressExport = "../../importer/testdata/wordpress/export.xml"
	substackExport  = "../../importer/testdata/substack"
	fixtureImage    = "../../importer/testdata/substack/posts/images/garden.png"
)

// imagesFrom answers every request with the fixture's image, as the old
// sites' image servers would: the test reaches no network, and the
// imported pages load nothing from another origin.
type imagesFrom []byte

func (b imagesFrom) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Request: r,
		Header: http.Header{"Content-Type": {"image/png"}}, Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b))}, nil
}

// importedSite is a new site (steward new site) with both fixtures
// imported into it, images downloaded, built.
func importedSite(t *testing.T) *pipeline.Site {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := scaffold.Site(scaffold.SiteOptions{Dir: dir, Now: fixedClock}); err != nil {
		t.Fatal(err)
	}
	img, err := os.ReadFile(fixtureImage)
	if err != nil {
		t.Fatal(err)
	}
	opts := importer.Options{Into: dir, DownloadImages: true, Client: &http.Client{Transport: imagesFrom(img)}}
	ctx := context.Background()
	for name, run := range map[string]func() (*importer.Summary, error){
		"wordpress": func() (*importer.Summary, error) { return importer.WordPress(ctx, wordpressExport, opts) },
		"substack":  func() (*importer.Summary, error) { return importer.Substack(ctx, substackExport, opts) },
	} {
		sum, err := run()
		if err != nil {
			t.Fatalf("importing %s: %v", name, err)
		}
		if len(sum.Remote) > 0 {
			t.Fatalf("importing %s left images remote: %v", name, sum.Remote)
		}
	}
	s, err := pipeline.NewBuilder().Build(ctx, pipeline.Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatalf("the imported site does not build:\n%v", err)
	}
	if w := s.Warnings(); len(w) > 0 {
		t.Errorf("the imported site builds with warnings:\n%v", w)
	}
	return s
}

// importedPages are the pages checked in the browser: the imported
// essays of each kind, the page, the new site's example, the home page.
var importedPages = []string{"/", "/hello-world/", "/on-gardens/", "/about/", "/the-first-letter/", "/on-footnotes/", "/your-first-essay/"}

// TestImportedSite checks a site made with steward new site and both
// imports as the example site is checked: no broken link, valid HTML,
// and no axe-core violation on the imported essays, light and dark, at
// 375 and 1280 px, with nothing loaded from another origin.
func TestImportedSite(t *testing.T) {
	s := importedSite(t)
	if broken := BrokenLinks(s); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
	for _, p := range importedPages[1:] {
		if _, ok := s.File(strings.TrimPrefix(p, "/") + "index.html"); !ok {
			t.Fatalf("no page %s", p)
		}
	}
	t.Run("valid", func(t *testing.T) { validHTML(t, map[string]Files{"imported": s}) })
	t.Run("axe", func(t *testing.T) {
		skipShort(t, "Chromium")
		needFile(t, axeJS)
		browser(t)
		axe, err := os.ReadFile(axeJS)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(handler(s))
		defer srv.Close()
		for _, p := range importedPages {
			name := strings.Trim(p, "/")
			if name == "" {
				name = "home"
			}
			t.Run(name, func(t *testing.T) {
				tb := openTab(t, 2*time.Minute)
				tb.emulate(t, mode{"light", 1280})
				tb.navigate(t, pageURL(srv.URL, p))
				if broken := eval[int](t, tb, `[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length`); broken > 0 {
					t.Errorf("%s: %d images did not load", p, broken)
				}
				eval[bool](t, tb, string(axe)+"\n;true")
				for _, m := range modes(375, 1280) {
					tb.emulate(t, m)
					for _, v := range eval[[]violation](t, tb, axeRun) {
						t.Errorf("%s at %s: %s", p, m, v)
					}
				}
			})
		}
	})
}
