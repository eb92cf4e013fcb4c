package content

import (
	"path"
	"strings"
	"time"
)

// name is what a content file's path says about it, before its front
// matter and its neighbours are known.
type name struct {
	// dir is the folder the file belongs to below content/: its own, or
	// for a Jekyll post the one above _posts or _drafts.
	dir string
	// base is the file name without .md.
	base string
	// slug is the URL segment the name gives: base, less a Jekyll date.
	slug string
	// date is the date of a Jekyll-style name (2019-05-04-hello.md).
	date time.Time
	// draft marks a file in a _drafts folder.
	draft bool
	// post marks a file in _posts or _drafts: always an essay.
	post bool
	role role
}

// role is what a file may be to its folder.
type role uint8

const (
	anEssay role = iota
	anIndex      // index.md: the folder's page, or a page bundle's text
	aBranch      // _index.md (Hugo): always the folder's list page
	aReadme      // README.md (GitHub): the folder's page when it has no index
	numRoles
)

// Jekyll's folders: posts and drafts of the folder above.
const (
	postsDir  = "_posts"
	draftsDir = "_drafts"
)

// nameOf reads a content file's path ("content/notes/x.md").
func nameOf(source string) name {
	rel := strings.TrimPrefix(path.Clean(source), Dir+"/")
	dir := strings.Trim(path.Dir(rel), "/")
	if dir == "." {
		dir = ""
	}
	n := name{dir: dir, base: trimExt(path.Base(rel))}
	if dir != "" {
		segs := strings.Split(dir, "/")
		for i, s := range segs {
			if s == postsDir || s == draftsDir {
				// Everything below _posts is a post of the folder above,
				// whatever sub-folders it is sorted into.
				n.post, n.dir = true, strings.Join(segs[:i], "/")
				for _, s := range segs[i:] {
					n.draft = n.draft || s == draftsDir
				}
				break
			}
		}
	}
	n.slug, n.date = datedName(n.base)
	if !n.post {
		switch {
		case n.base == "index":
			n.role = anIndex
		case n.base == "_index":
			n.role = aBranch
		case strings.EqualFold(n.base, "readme"):
			n.role = aReadme
		}
	}
	return n
}

// titleFromName is the title of a file without one: its name, less a
// Jekyll date.
func (n name) titleFromName() string { return n.slug }

// isIndex is what Parse assumes of a file alone: index.md and _index.md
// are their folder's list page.
func (n name) isIndex() bool { return n.role == anIndex || n.role == aBranch }

// datedName splits a Jekyll-style name, "2019-05-04-hello-world", into its
// slug and date. A name without a valid date is its own slug.
// Jekyll's own pattern allows a one-digit month or day (2016-4-1-x).
func datedName(base string) (string, time.Time) {
	parts := strings.SplitN(base, "-", 4)
	if len(parts) < 4 || len(parts[0]) != 4 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) < 1 || len(parts[2]) > 2 || parts[3] == "" {
		return base, time.Time{}
	}
	d, err := time.Parse("2006-1-2", parts[0]+"-"+parts[1]+"-"+parts[2])
	if err != nil {
		return base, time.Time{}
	}
	return parts[3], d
}

// SkippedDir reports a folder (by its name) whose files are not content:
// hidden ones and those starting with an underscore, except Jekyll's
// _posts and _drafts.
func SkippedDir(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") && name != postsDir && name != draftsDir
}

// Extensions are the file name endings of Markdown content: ".md", and
// ".markdown", which Jekyll's own starter site uses.
var Extensions = []string{".md", ".markdown"}

// ForeignMarkdown says why a file (by its name) written in a kind of
// Markdown that Steward does not read as content is not published as it
// is, and how to publish it, or returns "". A new user who copied a blog
// whose posts are partly MDX (Node.js's) or named as Jekyll allows (.mkd)
// must hear that those posts are not essays, and readers must not get
// their source.
func ForeignMarkdown(name string) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".mdx":
		return "it is MDX (Markdown with JSX), which Steward does not read (as it is, readers would get its source); rename it to .md to publish it as an essay (its JSX elements then pass through as HTML; remove its import and export lines, which would show as text)"
	case ".mdown", ".mkdn", ".mkd", ".mkdown", ".markdn", ".mdwn", ".mdtxt", ".mdtext":
		return "Steward reads Markdown from .md and .markdown files only, not " + ext + " (as it is, readers would get its source); rename it to .md to publish it as an essay"
	}
	return ""
}

// IsContentFile reports whether a file (by its name) is Markdown content.
func IsContentFile(name string) bool {
	return !strings.HasPrefix(name, ".") && trimExt(name) != name
}

// trimExt removes a content file's extension.
func trimExt(name string) string {
	for _, e := range Extensions {
		if b, ok := strings.CutSuffix(name, e); ok {
			return b
		}
	}
	return name
}
