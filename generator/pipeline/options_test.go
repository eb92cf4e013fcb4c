package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestBadBaseURLOption: a base URL override that is not an absolute http
// or https URL is an OptionError naming the option and the value, alone
// (the site's own errors are not mixed in: they are not the caller's),
// and a good one replaces site.yaml's.
func TestBadBaseURLOption(t *testing.T) {
	src := testsite.New(t, map[string]string{
		"site.yaml":    "title: T\nbaseURL: https://example.org\n",
		"content/a.md": "---\ntitle: A\n---\nA.\n",
		"content/b.md": "---\ndate: never\n---\n",
	})
	for _, bad := range []string{"example.org", "ftp://example.org", "https://", "/blog"} {
		_, err := NewBuilder().Build(context.Background(), Options{Source: src, BaseURL: bad, Now: fixedClock})
		var oe *OptionError
		want := `BaseURL "` + bad + `": must be an absolute http or https URL such as https://example.org`
		if !errors.As(err, &oe) || oe.Option != "BaseURL" || oe.Value != bad || err.Error() != want {
			t.Errorf("BaseURL %q: %v; want %s", bad, err, want)
		}
	}
	if err := os.Remove(filepath.Join(src, "content/b.md")); err != nil {
		t.Fatal(err)
	}
	site, err := NewBuilder().Build(context.Background(), Options{Source: src, BaseURL: "https://staging.example.org/", Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	if feed, _ := site.File("sitemap.xml"); !bytes.Contains(feed, []byte("<loc>https://staging.example.org/a/</loc>")) {
		t.Errorf("the override is not used:\n%s", feed)
	}
}
