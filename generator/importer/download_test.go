package importer

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// imageServer serves the cases of a download on 127.0.0.1 and counts
// the requests for each path.
func imageServer(t *testing.T, png []byte) (*httptest.Server, func(string) int) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/img/ok.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(png)
		case "/img/untyped":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(png)
		case "/img/slow.png":
			// Never answers: the client's deadline must end the wait.
			<-r.Context().Done()
		case "/img/big.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(bytes.Repeat([]byte{0x89}, 4096))
		case "/img/page.png":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!doctype html><p>Log in to see this image"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func(p string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[p]
	}
}

// wxrWith is a WordPress export of two posts showing the given images.
func wxrWith(t *testing.T, first, second []string) string {
	img := func(srcs []string) string {
		var b strings.Builder
		for _, s := range srcs {
			fmt.Fprintf(&b, `<p><img src="%s" alt="A picture"></p>`+"\n", s)
		}
		return b.String()
	}
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>T</title><link>https://old.example.org</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>One</title><link>https://old.example.org/one/</link><content:encoded><![CDATA[` + img(first) + `]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:post_name>one</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>Two</title><link>https://old.example.org/two/</link><content:encoded><![CDATA[` + img(second) + `]]></content:encoded>
<wp:post_id>2</wp:post_id><wp:post_date_gmt>2020-01-02 00:00:00</wp:post_date_gmt><wp:post_name>two</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>`
	p := filepath.Join(t.TempDir(), "export.xml")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDownloadImages fetches from a real server on 127.0.0.1: an image
// shown twice is fetched once and written beside each essay; a 404, a
// server that never answers, an image over the size cap and a page that
// is not an image are each a warning, and the image stays remote.
func TestDownloadImages(t *testing.T) {
	png, err := os.ReadFile("testdata/substack/posts/images/garden.png")
	if err != nil {
		t.Fatal(err)
	}
	srv, hits := imageServer(t, png)
	u := func(p string) string { return srv.URL + p }
	export := wxrWith(t,
		[]string{u("/img/ok.png"), u("/img/missing.png"), u("/img/slow.png"), u("/img/untyped")},
		[]string{u("/img/ok.png"), u("/img/big.png"), u("/img/page.png")})

	// Without the option nothing is fetched.
	site := newSite(t)
	sum, err := WordPress(context.Background(), export, Options{Into: site})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/img/ok.png", "/img/missing.png", "/img/slow.png", "/img/big.png"} {
		if n := hits(p); n != 0 {
			t.Errorf("without DownloadImages, %s was requested %d times", p, n)
		}
	}
	if len(sum.Remote) != 7 || sum.Downloaded != 0 {
		t.Errorf("without DownloadImages: %d remote, %d downloaded; want 7 and 0", len(sum.Remote), sum.Downloaded)
	}

	site = newSite(t)
	start := time.Now()
	sum, err = WordPress(context.Background(), export, Options{
		Into: site, DownloadImages: true, ImageTimeout: 300 * time.Millisecond, MaxImageBytes: 1024,
	})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the import took %s: the timeout did not hold", took)
	}
	if n := hits("/img/ok.png"); n != 1 {
		t.Errorf("ok.png was requested %d times; want once for both essays", n)
	}
	for _, f := range []string{"one/index.md", "one/ok.png", "one/untyped.png", "two/index.md", "two/ok.png"} {
		b, err := os.ReadFile(filepath.Join(site, "content", filepath.FromSlash(f)))
		if err != nil {
			t.Errorf("%s: %v", f, err)
		} else if strings.HasSuffix(f, ".png") && !bytes.Equal(b, png) {
			t.Errorf("%s is not the image served", f)
		}
	}
	one, _ := os.ReadFile(filepath.Join(site, "content", "one", "index.md"))
	for _, want := range []string{"![A picture](ok.png)", "![A picture](untyped.png)", "![A picture](" + u("/img/missing.png") + ")"} {
		if !strings.Contains(string(one), want) {
			t.Errorf("one/index.md lacks %s:\n%s", want, one)
		}
	}
	if sum.Downloaded != 3 || len(sum.Remote) != 4 {
		t.Errorf("%d downloaded, %d remote; want 3 (ok.png twice, untyped) and 4", sum.Downloaded, len(sum.Remote))
	}
	var warnings []string
	for _, n := range sum.Warnings {
		warnings = append(warnings, n.String())
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{
		"/img/missing.png not downloaded: the server answered 404 Not Found; left remote",
		"/img/slow.png not downloaded: no answer within 300ms; left remote",
		"/img/big.png not downloaded: larger than the limit of 1 KB; left remote",
		"/img/page.png not downloaded: not an image (the server sent text/html); left remote",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning containing %q in:\n%s", want, all)
		}
	}
	checkBuild(t, site)
}

// TestDownloadNamesTheHost: a host that does not answer is named, and
// the summary does not suggest the flag that was given.
func TestDownloadNamesTheHost(t *testing.T) {
	srv, _ := imageServer(t, nil)
	closed := srv.URL
	srv.Close() // nothing listens there now
	site := newSite(t)
	sum, err := WordPress(context.Background(), wxrWith(t, []string{closed + "/img/ok.png"}, nil), Options{Into: site, DownloadImages: true, ImageTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0].Message, "not downloaded: cannot connect: ") {
		t.Errorf("warnings: %v; want one saying it cannot connect", sum.Warnings)
	}
	var b bytes.Buffer
	sum.Report(&b, flags)
	if strings.Contains(b.String(), "--download-images fetches them") || !strings.Contains(b.String(), "Left remote:\n") {
		t.Errorf("the summary:\n%s", b.String())
	}
}
