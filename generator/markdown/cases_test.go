package markdown

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected output of the case files under testdata/cases")

// TestCases converts each case file under testdata/cases and compares the
// whole result (HTML, summary, headings, diagnostics) with the file's
// expected sections. A case file is a description, then sections:
//
//	-- options --   optional: "unsafe" lets raw HTML through, "headingIDs=zola"
//	                chooses the style of heading ids
//	-- input --     the essay's Markdown (content/essay.md, line 1 is its first line)
//	-- html --, -- summary --, -- headings --, -- diagnostics --
//
// Run with -update to rewrite the expected sections after a deliberate
// change, then review the diff.
func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/cases/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			desc, sections, order := parseCase(string(data))
			input, ok := sections["input"]
			if !ok {
				t.Fatalf("%s has no -- input -- section", f)
			}
			opts := Options{}
			for _, o := range strings.Fields(sections["options"]) {
				name, value, _ := strings.Cut(o, "=")
				switch name {
				case "unsafe":
					opts.Unsafe = true
				case "headingIDs":
					opts.HeadingIDs = value
				default:
					t.Fatalf("%s: unknown option %q", f, o)
				}
			}
			got := caseOutput(opts, input)
			if *update {
				var b strings.Builder
				b.WriteString(desc)
				for _, name := range order {
					if name == "options" || name == "input" {
						fmt.Fprintf(&b, "-- %s --\n%s", name, sections[name])
					}
				}
				for _, name := range outputSections {
					fmt.Fprintf(&b, "-- %s --\n%s", name, got[name])
				}
				if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, name := range outputSections {
				want, ok := sections[name]
				if !ok {
					t.Errorf("%s has no -- %s -- section (run go test ./generator/markdown -run TestCases -update)", f, name)
					continue
				}
				if got[name] != want {
					t.Errorf("%s: %s differs:\n got:\n%s\nwant:\n%s", f, name, got[name], want)
				}
			}
		})
	}
}

var outputSections = []string{"html", "summary", "headings", "diagnostics"}

// caseOutput converts input and returns each output section's text. The
// essay is content/essay.md; beside it are the essay content/other.md and
// the files content/img/a.png, b.png, clip.mp4 and content/files/talk.pdf.
func caseOutput(opts Options, input string) map[string]string {
	pages := map[string]string{"content/other.md": "/other/"}
	files := map[string]string{"content/img/a.png": "/img/a.png", "content/img/b.png": "/img/b.png", "content/img/clip.mp4": "/img/clip.mp4", "content/files/talk.pdf": "/files/talk.pdf"}
	opts.Asset = func(s string) (string, bool) {
		u, ok := files[s]
		return u, ok
	}
	r := New(opts).Convert(Input{File: "content/essay.md", Body: []byte(input), Resolve: func(s string) (string, bool) {
		u, ok := pages[s]
		return u, ok
	}})
	var headings, diags strings.Builder
	for _, h := range r.Headings {
		fmt.Fprintf(&headings, "%d #%s %q\n", h.Level, h.ID, h.Text)
	}
	r.Diags.Sort()
	for _, d := range r.Diags {
		diags.WriteString(d.Error() + "\n")
	}
	return map[string]string{"html": string(r.HTML), "summary": string(r.Summary), "headings": headings.String(), "diagnostics": diags.String()}
}

// parseCase splits a case file into its description and its sections, by
// name, in the order they appear.
func parseCase(s string) (desc string, sections map[string]string, order []string) {
	sections = map[string]string{}
	cur := ""
	var b strings.Builder
	flush := func() {
		if cur == "" {
			desc = b.String()
		} else {
			sections[cur] = b.String()
			order = append(order, cur)
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		trimmed := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			flush()
			cur = strings.TrimSpace(trimmed[3 : len(trimmed)-3])
			continue
		}
		b.WriteString(line)
	}
	flush()
	return desc, sections, order
}
