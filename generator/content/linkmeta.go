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
		switch strings.ToLower(string(m[1])) {
		case "title":
			if front.Title == "" {
				front.Title = value
			}
		case "date":
			if d, ok := ParseDate(value); ok {
				front.Date = d
			} else {
				diags.Warn(diag.Pos{File: source, Line: line, Col: 1 + bytes.Index(l, m[2])}, "[date]: %q is not a date Steward reads, so the essay has none; write it as 2024-03-12", value)
			}
		case "category", "categories", "tags":
			for _, t := range strings.Split(value, ",") {
				if t = strings.TrimSpace(t); t != "" {
					front.Tags = append(front.Tags, t)
				}
			}
		}
	}
	return diags
}
