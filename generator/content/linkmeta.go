package content

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/steward-ssg/steward/generator/diag"
)

// linkMetaRe is one line of metadata written as a link reference
// definition that Markdown shows nothing of: "[title]: <> (My essay)" or
// "[date]: # (2023/03/31)". Writers who keep their own build (Vitalik
// Buterin's blog, whose publish.py reads these lines) put the title and
// date of a post so, above its text, with no front matter.
var linkMetaRe = regexp.MustCompile(`^\[([A-Za-z][\w-]*)\]:[ \t]*(?:<>|#)[ \t]+\((.*)\)[ \t]*$`)

// linkMeta reads the metadata lines at the top of a body without front
// matter (blank lines between them allowed) into front: the title, the
// date, and category, categories or tags as tags (comma-separated). Other
// keys are left alone; they are invisible, as they were. A date it cannot
// read is a warning at its line, since the writer's own build read it.
func linkMeta(source string, body []byte, front *FrontMatter) diag.List {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '[' {
		return nil
	}
	var diags diag.List
	line := 0
	for rest := body; len(rest) > 0; {
		l, next, _ := bytes.Cut(rest, []byte("\n"))
		rest = next
		line++
		l = bytes.TrimRight(l, " \t\r")
		if len(l) == 0 {
			continue
		}
		m := linkMetaRe.FindSubmatch(l)
		if m == nil {
			break
		}
		value := strings.TrimSpace(string(m[2]))
		// Other keys are left alone: they are invisible, as they were.
		switch key := strings.ToLower(string(m[1])); key {
		case "title", "date", "category", "categories", "tags":
			if !setMeta(front, key, value) {
				diags.Warn(diag.Pos{File: source, Line: line, Col: 1 + bytes.Index(l, m[2])}, "[date]: %q is not a date Steward reads, so the essay has none; write it as 2024-03-12", value)
			}
		}
	}
	return diags
}

// headerMetaRe is one line of a metadata header above the text, with no
// front matter: "Title: My essay", as Pelican and MultiMarkdown read it,
// or indented by four spaces, as Frog (Racket's blog generator) writes it.
var headerMetaRe = regexp.MustCompile(`^( {4}|\t)?([A-Za-z][\w-]*):[ \t]+(\S.*?)[ \t]*$`)

// headerMeta reads a metadata header at the top of a body without front
// matter into front, and returns the body with the header's lines blanked
// (so that later lines keep their numbers). The header's first key must be
// title or date, so prose that opens with "Note: ..." is left alone; it
// runs to the first blank line, every line "Key: value" with the same
// indent. Without it, CommonMark shows the lines as a paragraph, or as
// code when indented, and the essay takes its title from a heading below.
func headerMeta(source string, body []byte, front *FrontMatter) ([]byte, diag.List) {
	lines := bytes.SplitAfter(body, []byte("\n"))
	i := 0
	for i < len(lines) && len(bytes.TrimSpace(lines[i])) == 0 {
		i++
	}
	start := i
	indent := ""
	var keys, values []string
	for ; i < len(lines); i++ {
		l := bytes.TrimRight(lines[i], " \t\r\n")
		if len(l) == 0 {
			break
		}
		m := headerMetaRe.FindSubmatch(l)
		if m == nil || i > start && string(m[1]) != indent {
			return body, nil // a paragraph, not a header
		}
		if i == start {
			if k := strings.ToLower(string(m[2])); k != "title" && k != "date" {
				return body, nil
			}
			indent = string(m[1])
		}
		keys, values = append(keys, strings.ToLower(string(m[2]))), append(values, string(m[3]))
	}
	if len(keys) == 0 {
		return body, nil
	}
	var diags diag.List
	for j, k := range keys {
		if !setMeta(front, k, values[j]) {
			diags.Warn(diag.Pos{File: source, Line: start + j + 1, Col: 1}, "Date: %q is not a date Steward reads, so the essay has none; write it as 2024-03-12", values[j])
		}
	}
	out := make([]byte, 0, len(body))
	for j, l := range lines {
		if j >= start && j < start+len(keys) {
			if bytes.HasSuffix(l, []byte("\n")) {
				out = append(out, '\n')
			}
			continue
		}
		out = append(out, l...)
	}
	return out, diags
}

// setMeta sets what one line of metadata above the text says (a key in
// lower case and its value) in front, as front matter would; a title,
// summary, slug or author already set stays. It returns false for a date
// it cannot read, which the caller warns of at its line.
func setMeta(front *FrontMatter, key, v string) bool {
	switch key {
	case "title":
		if front.Title == "" {
			front.Title = v
		}
	case "date":
		d, ok := ParseDate(v)
		if !ok {
			return false
		}
		front.Date = d
	case "tags", "category", "categories", "keywords":
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				front.Tags = append(front.Tags, t)
			}
		}
	case "summary", "description":
		if front.Summary == "" {
			front.Summary = v
		}
	case "slug":
		if front.Slug == "" {
			front.Slug = v
		}
	case "author", "authors":
		if front.Author == "" {
			front.Author = v
		}
	case "status":
		// Pelican's drafts: publishing one would put unfinished
		// writing on the site.
		if s := strings.ToLower(v); s == "draft" || s == "hidden" {
			front.Draft = true
		}
	}
	return true
}
