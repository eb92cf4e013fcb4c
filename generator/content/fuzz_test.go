package content_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/fuzzpos"
	"github.com/steward-ssg/steward/generator/markdown/selfcheckext"
	"github.com/steward-ssg/steward/generator/selfcheck"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/markdown"
)

// fuzzNames are the file names the fuzz target parses under: ones a walk
// of content/ can give, of every kind that changes the page's URL.
var fuzzNames = []string{
	"content/essay.md",
	"content/index.md",
	"content/notes/index.md",
	"content/notes/_index.md",
	"content/notes/README.md",
	"content/2019-05-04-hello-world.md",
	"content/posts/2008-10-18-a.md",
	"content/café au lait.md",
	"content/a b/c d.md",
}

// FuzzFrontMatter parses any bytes as a whole file of content/ (front
// matter and body) under one of fuzzNames, converts its body as the build
// does, and checks what must hold for every input:
//   - no panic;
//   - every diagnostic, of the front matter or the body, names the file,
//     at a line of the file (or the one after it) and a column of that
//     line;
//   - a page comes back exactly when there is no error;
//   - a page's URL is clean (it cannot escape the output folder), its
//     aliases are usable, its tags have distinct slugs;
//   - the body's lines are the file's from BodyLine on, but for lines
//     blanked (the title heading), so positions in the body hold.
//
// Seeds: the example site's essays, the front matter below (YAML, and
// TOML between +++ lines), and testdata/fuzz/FuzzFrontMatter. Run it
// longer with
//
//	go test -run '^$' -fuzz '^FuzzFrontMatter$' -fuzztime 10m -fuzzminimizetime 5s -parallel 1 ./generator/content
func FuzzFrontMatter(f *testing.F) {
	err := fs.WalkDir(os.DirFS("../.."), "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		src, err := os.ReadFile(filepath.Join("../..", p))
		f.Add(uint8(0), src)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	for i, s := range frontSeeds {
		f.Add(uint8(i), []byte(s))
	}
	// The converter as the build makes it, self-checks included.
	conv := markdown.New(markdown.Options{Extensions: []markdown.Extension{selfcheckext.New(selfcheck.DefaultStrings())}})
	f.Fuzz(func(t *testing.T, name uint8, raw []byte) {
		defer fuzzpos.Watchdog(raw)()
		source := fuzzNames[int(name)%len(fuzzNames)]
		if err := checkFile(conv, source, raw); err != nil {
			t.Fatalf("%s: %v\n--- file:\n%q", source, err, raw)
		}
	})
}

var frontSeeds = []string{
	"",
	"---\n---\n",
	"---\n",
	"---",
	"--- \r\ntitle: CRLF\r\n---  \r\nBody.\r\n",
	"\ufeff---\ntitle: BOM\n---\n# Heading\n",
	"---\ntitle: A\ndate: 2024-01-02\nlastmod: 2024-02-03T10:00:00Z\ndraft: true\ntags: [a, B, a, \"  \", \"c d\"]\nsummary: S\ndescription: D\nslug: s\nauthor: Me\naliases: [/old/, old2]\n---\nbody\n",
	"---\ntitle: A\n",
	"---\ntitle: [A\n---\n",
	"---\ntitle: A\ndate: yesterday\n---\n",
	"---\ndate: 2008-10-18 12:00:00 -0700\n---\nJekyll's date.\n",
	"---\ntags: 5\n---\n",
	"---\ntags: !x leadership\naliases: !!str /old/\n---\n",
	"---\ntags: leadership\ncategories: [essays, Leadership]\n---\n",
	"---\ntitel: typo\ntag: [x]\nDate: 2024-01-01\nweight: 3\nlayout: post\ntoc: true\npermalink: /x/\n---\n",
	"---\nslug: ../../etc\n---\n",
	"---\nslug: a/b\n---\n",
	"---\nslug: \" . \"\n---\n",
	"---\naliases: [/ok/, ../../etc, \"//x\", \"http://e.org/\", /, \"a\\\\b\"]\n---\n",
	"---\n- a list\n---\n",
	"---\njust text\n---\n",
	"---\ntitle: &a x\nsummary: *a\n---\n",
	"---\ntitle: |\n  Two\n  lines\n---\n",
	"---\ntitle: A\n---\n---\nnot front matter\n---\n",
	"---\ntitle: A\n...\n",
	"---\ntitle: bad \xff byte\n---\n",
	"# The Title\n\nText.\n",
	"# Title\n",
	"# Title",
	"# Title\r\n\r\nText.\r\n",
	"```\n# not a title\n```\n# Title\n",
	"## Second level first\n# Then first\n",
	"    # indented code\n",
	"Title\n=====\n\nSetext title.\n",
	"+++\ntitle = \"TOML\"\ndate = 2024-01-02\ntags = [\"a\", \"b\"]\ndraft = false\n+++\n\nBody.\n",
	"+++\ntitle = \"T\"\ndate = 2024-01-02T09:00:00-07:00\n[params]\nx = 1\n[[menu]]\nname = \"m\"\n+++\n",
	"+++\ntitle = \"unterminated\n+++\n",
	"+++\ntitle = \"no close\"\n",
	"+++\ntitel = \"typo\"\ntags = \"one\"\n+++\n",
	"+++\n+++\n",
	"+++ \r\ntitle = 'CRLF'\r\n+++\r\nBody.\r\n",
	"---\ntitle: A\n---\n[link](other.md) [self](#a-heading) ```selfcheck\n\n```selfcheck\nid: [\n```\n",
	"---\ntitle: A\n---\n" + "<!--more-->\n{{< shortcode >}}\n{% liquid %}\n",
}

func checkFile(conv *markdown.Converter, source string, raw []byte) error {
	p, diags := content.Parse(source, raw)
	rawLines := bytes.Split(raw, []byte("\n"))
	widths := fuzzpos.Widths(raw)
	var errs []error
	for _, d := range diags {
		if err := checkPos(d.Pos, source, widths); err != nil {
			errs = append(errs, fmt.Errorf("%q: %w", d.Error(), err))
		}
	}
	if (p == nil) != diags.HasErrors() {
		errs = append(errs, fmt.Errorf("page %v returned with diagnostics %v", p != nil, diags))
	}
	if p == nil {
		return errors.Join(errs...)
	}
	if p.Source != source || !bytes.Equal(p.Raw, raw) {
		errs = append(errs, fmt.Errorf("source %q, raw %d bytes", p.Source, len(p.Raw)))
	}
	if p.URL != "/" && (!strings.HasPrefix(p.URL, "/") || !strings.HasSuffix(p.URL, "/") || path.Clean(p.URL)+"/" != p.URL) || strings.ContainsAny(p.URL, "\\\x00") {
		errs = append(errs, fmt.Errorf("URL %q is not a clean path", p.URL))
	}
	for _, a := range p.Front.Aliases {
		if _, err := content.AliasPath(a); err != nil {
			errs = append(errs, fmt.Errorf("accepted alias %q: %v", a, err))
		}
	}
	slugs := map[string]bool{}
	for _, tag := range p.Tags {
		if tag.Slug == "" || slugs[tag.Slug] || tag.Slug != content.Slugify(tag.Name) {
			errs = append(errs, fmt.Errorf("tags %+v", p.Tags))
			break
		}
		slugs[tag.Slug] = true
	}
	if p.BodyLine < 1 || p.BodyLine > len(rawLines)+1 {
		errs = append(errs, fmt.Errorf("body line %d, the file has %d lines", p.BodyLine, len(rawLines)))
	} else {
		for i, l := range bytes.Split(p.Body, []byte("\n")) {
			j := p.BodyLine - 1 + i
			l = bytes.TrimPrefix(l, []byte("\ufeff")) // a byte order mark may go or stay
			if len(bytes.TrimSpace(l)) == 0 || j < len(rawLines) && bytes.Equal(l, bytes.TrimPrefix(rawLines[j], []byte("\ufeff"))) {
				continue
			}
			errs = append(errs, fmt.Errorf("body line %d is %q, but line %d of the file is %q", i+1, l, j+1, line(rawLines, j)))
			break
		}
	}
	r := convert(conv, markdown.Input{File: source, Body: p.Body, LineOffset: p.BodyLine - 1, Resolve: func(s string) (string, bool) {
		return p.URL, s == source
	}})
	if r.err != nil {
		errs = append(errs, r.err)
	} else {
		for _, d := range r.res.Diags {
			if err := checkPos(d.Pos, source, widths); err != nil {
				errs = append(errs, fmt.Errorf("converting the body: %q: %w", d.Error(), err))
			}
		}
	}
	return errors.Join(errs...)
}

func line(lines [][]byte, i int) []byte {
	if i < len(lines) {
		return lines[i]
	}
	return nil
}

type converted struct {
	res *markdown.Result
	err error
}

// convert turns a panic into an error.
func convert(c *markdown.Converter, in markdown.Input) (r converted) {
	defer func() {
		if v := recover(); v != nil {
			r.err = fmt.Errorf("converting the body: panic: %v\n%s", v, debug.Stack())
		}
	}()
	return converted{res: c.Convert(in)}
}

// checkPos checks that p is in the file.
func checkPos(p diag.Pos, source string, widths []int) error {
	return fuzzpos.Check(p, source, widths, 1, 0)
}
