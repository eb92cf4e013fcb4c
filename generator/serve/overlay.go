package serve

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/steward-ssg/steward/generator/diag"
)

// context lines shown either side of an error's line.
const around = 2

// maxSource is the largest source file a snippet is read from.
const maxSource = 8 << 20

// line is one line of a source snippet.
type line struct {
	N    int
	Text string
	Mark bool // the error's line
}

// snippet is the source around one diagnostic; nil when unavailable.
type snippet []line

// snippets reads, for each diagnostic with a file and line, the lines
// around it. Files are opened through an os.Root on the source folder, so
// a diagnostic can never make the server read outside it.
func snippets(source string, errs diag.List) []snippet {
	out := make([]snippet, len(errs))
	if source == "" {
		return out
	}
	root, err := os.OpenRoot(source)
	if err != nil {
		return out
	}
	defer root.Close()
	files := map[string][]string{}
	for i, d := range errs {
		f := d.Pos.File
		if f == "" || d.Pos.Line <= 0 || !filepath.IsLocal(filepath.FromSlash(f)) {
			continue
		}
		lines, ok := files[f]
		if !ok {
			lines = readLines(root, filepath.FromSlash(f))
			files[f] = lines
		}
		if d.Pos.Line > len(lines) {
			continue
		}
		lo, hi := max(1, d.Pos.Line-around), min(len(lines), d.Pos.Line+around)
		for n := lo; n <= hi; n++ {
			out[i] = append(out[i], line{N: n, Text: lines[n-1], Mark: n == d.Pos.Line})
		}
	}
	return out
}

// readLines returns a text file's lines, or nil for anything unreadable,
// too large or not UTF-8.
func readLines(root *os.Root, name string) []string {
	f, err := root.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSource+1))
	if err != nil || len(b) > maxSource || !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	return strings.Split(strings.ReplaceAll(s, "\t", "    "), "\n")
}

// printErrors writes the errors as the terminal shows them: file:line:col:
// message, then the source around it with the line marked.
func printErrors(w io.Writer, errs diag.List, snips []snippet) {
	for i, d := range errs {
		fmt.Fprintln(w, d.Error())
		width := 0
		for _, l := range snips[i] {
			width = max(width, len(fmt.Sprint(l.N)))
		}
		for _, l := range snips[i] {
			mark := " "
			if l.Mark {
				mark = ">"
			}
			fmt.Fprintf(w, "  %s %*d | %s\n", mark, width, l.N, l.Text)
		}
	}
}

type overlayError struct {
	Pos     string
	Msg     string
	Snippet snippet
}

type overlayData struct {
	Count   int
	Errors  []overlayError
	HasGood bool
}

// overlayTmpl is the error overlay: a fixed panel at the bottom of the
// page, so the last good page stays usable above it. Styles are scoped to
// its id and reset what a site's CSS could have set.
var overlayTmpl = template.Must(template.New("overlay").Parse(`<div id="steward-overlay" role="alertdialog" aria-modal="false" aria-labelledby="steward-overlay-title">
<style>
#steward-overlay{all:initial;position:fixed;z-index:2147483647;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;box-sizing:border-box;padding:1rem 1.25rem;background:#1d1f21;color:#eaeaea;border-left:6px solid #e5484d;border-radius:6px;box-shadow:0 8px 32px rgba(0,0,0,.45);font:14px/1.5 ui-sans-serif,system-ui,sans-serif;text-align:left}
#steward-overlay *{all:revert;box-sizing:border-box;color:inherit;font:inherit}
#steward-overlay h2{margin:0 2rem .75rem 0;font-size:1.05rem;font-weight:700;color:#ff8589}
#steward-overlay ol{margin:0;padding:0;list-style:none}
#steward-overlay li{margin:0 0 1rem}
#steward-overlay .steward-pos{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-weight:700;color:#8cc8ff}
#steward-overlay .steward-msg{margin:.15rem 0 .4rem;white-space:pre-wrap}
#steward-overlay pre{margin:0;padding:.5rem .75rem;background:#111;border-radius:4px;overflow-x:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre}
#steward-overlay pre span{display:block}
#steward-overlay pre .steward-mark{background:#5c1f22;color:#fff}
#steward-overlay .steward-note{margin:0;color:#a8a8a8;font-size:.85rem}
#steward-overlay button{position:absolute;top:.5rem;right:.75rem;border:0;background:transparent;color:#eaeaea;font-size:1.4rem;line-height:1;cursor:pointer}
</style>
<button type="button" data-steward-close aria-label="Hide the build errors">×</button>
<h2 id="steward-overlay-title">Build failed: {{.Count}} error{{if ne .Count 1}}s{{end}}</h2>
<ol>{{range .Errors}}
<li><div class="steward-pos">{{.Pos}}</div><div class="steward-msg">{{.Msg}}</div>{{if .Snippet}}<pre>{{range .Snippet}}<span{{if .Mark}} class="steward-mark" aria-current="true"{{end}}>{{if .Mark}}&gt;{{else}} {{end}} {{printf "%4d" .N}} | {{.Text}}</span>{{end}}</pre>{{end}}</li>{{end}}
</ol>
<p class="steward-note">{{if .HasGood}}Showing the last good build. {{end}}Fix and save; this clears by itself.</p>
</div>`))

// renderOverlay returns the overlay's HTML for errs.
func renderOverlay(errs diag.List, snips []snippet, hasGood bool) string {
	data := overlayData{Count: len(errs), HasGood: hasGood}
	for i, d := range errs {
		pos := d.Pos.String()
		if pos == "" {
			pos = "(no position)"
		}
		data.Errors = append(data.Errors, overlayError{Pos: pos, Msg: d.Msg, Snippet: snips[i]})
	}
	var b strings.Builder
	if err := overlayTmpl.Execute(&b, data); err != nil {
		// Only strings and ints: executing cannot fail short of a bug.
		return template.HTMLEscapeString(errs.Error())
	}
	return b.String()
}
