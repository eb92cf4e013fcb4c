// Command floor measures the floor of a build: what a user could get from
// the libraries alone. It reads every essay's Markdown under content/,
// splits off the front matter simply (between two "---" lines, not
// parsed), converts the body with plain goldmark (GFM, footnotes,
// typographer, automatic heading ids) and chroma through
// goldmark-highlighting with CSS classes, on all cores, and writes one HTML
// file per essay into the output folder. Nothing of Steward's is used: no
// templates, lists, feeds, cache, checks or Steward's own Markdown
// conversion. A whole `steward build` process is compared against a whole
// floor process by generator/bench/compare.sh.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
)

func main() {
	source := flag.String("source", ".", "the site's `folder`; essays are read from its content/")
	out := flag.String("out", "", "the `folder` to write one HTML file per essay into (default: the source's floor-public/)")
	flag.Parse()
	if *out == "" {
		*out = filepath.Join(*source, "floor-public")
	}
	if err := run(*source, *out); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(source, out string) error {
	start := time.Now()
	var files []string
	err := filepath.WalkDir(filepath.Join(source, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// One converter shared by all workers: goldmark's Markdown is safe for
	// concurrent use, as a user of the library would write it.
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.Typographer,
			highlighting.NewHighlighting(highlighting.WithFormatOptions(chromahtml.WithClasses(true))),
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	next := make(chan string)
	var wg sync.WaitGroup
	var total atomic.Int64
	var firstErr error
	var errOnce sync.Once
	fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for p := range next {
				src, err := os.ReadFile(p)
				if err != nil {
					fail(err)
					continue
				}
				buf.Reset()
				buf.WriteString("<!doctype html>\n<meta charset=\"utf-8\">\n")
				if err := md.Convert(body(src), &buf); err != nil {
					fail(fmt.Errorf("%s: %w", p, err))
					continue
				}
				name := strings.TrimSuffix(filepath.Base(p), ".md") + ".html"
				if err := os.WriteFile(filepath.Join(out, name), buf.Bytes(), 0o644); err != nil {
					fail(err)
					continue
				}
				total.Add(int64(buf.Len()))
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	fmt.Printf("converted %d essays (%d bytes of HTML) in %s\n", len(files), total.Load(), time.Since(start).Round(time.Millisecond))
	return nil
}

// body returns src without its front matter: the lines from a first "---"
// line to the next one. Anything else is returned whole.
func body(src []byte) []byte {
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return src
	}
	if bytes.HasPrefix(rest, []byte("---\n")) {
		return rest[4:]
	}
	if _, after, ok := bytes.Cut(rest, []byte("\n---\n")); ok {
		return after
	}
	return src
}
