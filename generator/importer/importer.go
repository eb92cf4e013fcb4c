// Package importer owns `steward import`: reading the export of another
// platform (Substack's archive in substack.go, WordPress's WXR file in
// wordpress.go) into essays of a Steward site. Each post becomes
// content/<slug>.md, or content/<slug>/index.md beside its images, with
// front matter that keeps what the platform knew (title, date, tags,
// summary, draft, the old URL as an alias) and a body converted from
// HTML to Markdown (markdown.go), without the platform's debris
// (debris.go), its links to other imported posts pointing at their new
// files, and its images copied, downloaded or left remote (images.go).
//
// An import reads and converts everything before it writes anything, so
// a malformed export writes nothing; it writes only below content/, and
// never replaces an essay's file unless told to (write.go).
package importer

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Options say where an import writes and what it may do.
type Options struct {
	// Into is the site's folder: essays are written to its content/.
	Into string
	// Overwrite replaces an essay whose file exists; otherwise it is
	// skipped, and listed.
	Overwrite bool
	// IncludePaid publishes Substack posts for paid subscribers only;
	// otherwise they are imported as drafts.
	IncludePaid bool
	// DownloadImages fetches remote images and writes them beside their
	// essays. Nothing is fetched without it.
	DownloadImages bool
	// ImageTimeout limits each image's download, from the request to the
	// last byte (default 30 s).
	ImageTimeout time.Duration
	// MaxImageBytes is the largest image downloaded (default 20 MiB).
	MaxImageBytes int64
	// Client fetches images; nil means one with ImageTimeout.
	Client *http.Client
	// SiteURL is the old site's address when its posts' links use one the
	// export does not name (a custom domain for a Substack), so that those
	// links are rewritten to the imported essays too.
	SiteURL string
}

// Defaults of Options.
const (
	DefaultImageTimeout  = 30 * time.Second
	DefaultMaxImageBytes = 20 << 20
)

// OptionError is a value in Options, or the export named, that an import
// cannot use; the command line says it in terms of its flags.
type OptionError struct {
	Option string // a field of Options, or "Export"
	Value  string
	Reason string
}

func (e *OptionError) Error() string { return fmt.Sprintf("%s %q: %s", e.Option, e.Value, e.Reason) }

// Note is a warning about one entry of the export: a file of the
// archive, or a line of the XML, and the post it holds.
type Note struct {
	Entry   string
	Message string
}

func (n Note) String() string { return n.Entry + ": " + n.Message }

// Summary is what an import did.
type Summary struct {
	// Export is the export file's name, as given.
	Export string
	// Essays, Pages and Drafts count what was written: posts, pages (a
	// WordPress page), and the drafts among both.
	Essays, Pages, Drafts int
	// Paid counts the Substack posts for paid subscribers that were
	// written as drafts (see Options.IncludePaid).
	Paid int
	// Written are the essays' files written, and Skipped those that
	// existed and were left as they were: slash paths below Into.
	Written, Skipped []string
	// Copied counts images copied from the archive, Downloaded those
	// fetched; Remote lists those left as links to where they are.
	Copied, Downloaded int
	Remote             []Note
	// Fetched says images were to be downloaded (Options.DownloadImages).
	Fetched bool
	// Debris counts what was removed, by kind ("subscribe button",
	// "share widget"...).
	Debris map[string]int
	// Warnings are what a person should look at, each at its entry.
	Warnings []Note
	// PageURLs are the URL paths of the pages written, for the menu.
	PageURLs []string
}

// Report writes the summary for a person. setting names how an option is
// set ("--download-images" for DownloadImages), for the hints.
func (s *Summary) Report(w io.Writer, setting func(option string) string) {
	hint := func(option string) string {
		if setting == nil {
			return option
		}
		return setting(option)
	}
	fmt.Fprintf(w, "Imported %s and %s from %s (%s).\n",
		plural(s.Essays, "essay", "essays"), plural(s.Pages, "page", "pages"), s.Export, plural(s.Drafts, "draft", "drafts"))
	if s.Paid > 0 {
		fmt.Fprintf(w, "%s for paid subscribers only imported as drafts (%s publishes them).\n",
			capital(plural(s.Paid, "post", "posts")), hint("IncludePaid"))
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "Skipped %s whose file exists (%s replaces them):\n", plural(len(s.Skipped), "essay", "essays"), hint("Overwrite"))
		for _, p := range s.Skipped {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	fmt.Fprintf(w, "Images: %d copied from the export, %d downloaded, %d left remote.\n", s.Copied, s.Downloaded, len(s.Remote))
	if len(s.Remote) > 0 {
		if !s.Fetched {
			fmt.Fprintf(w, "Left remote (%s fetches them):\n", hint("DownloadImages"))
		} else {
			fmt.Fprintln(w, "Left remote:")
		}
		for _, n := range s.Remote {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	if len(s.Debris) > 0 {
		kinds := make([]string, 0, len(s.Debris))
		for k := range s.Debris {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		parts := make([]string, len(kinds))
		for i, k := range kinds {
			parts[i] = plural(s.Debris[k], k, k+"s")
		}
		fmt.Fprintf(w, "Removed: %s.\n", strings.Join(parts, ", "))
	}
	if len(s.PageURLs) > 0 {
		fmt.Fprintf(w, "Pages are not in the feed; link them from the menu in site.yaml: %s.\n", strings.Join(s.PageURLs, ", "))
	}
	if len(s.Warnings) > 0 {
		fmt.Fprintf(w, "%s:\n", capital(plural(len(s.Warnings), "warning", "warnings")))
		for _, n := range s.Warnings {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// export is what a reader found in an export file, ready to convert.
type export struct {
	// name is the export file's base name, for messages.
	name  string
	posts []*post
	// file returns a file of the archive by its slash path (Substack);
	// nil when the export holds no files.
	file func(name string) ([]byte, bool)
	// site is the old site's address, when the export names it; hosts
	// are the host names its links are written with.
	site  *url.URL
	hosts map[string]bool
	// postPath matches the path of an old post's URL that links use
	// without the export listing it, returning the old slug
	// (Substack's /p/<slug>); nil when every URL is listed.
	postPath func(p string) (slug string, ok bool)
	notes    []Note
}

// post is one post or page of an export.
type post struct {
	// entry names where it is in the export, for messages.
	entry string
	// id is the platform's id (WordPress's post ID), for links by id.
	id                     string
	title, summary, author string
	// slug is the old slug; name the new file's (see assignNames).
	slug, name  string
	date        time.Time
	draft, page bool
	// paid marks a post for paid subscribers made a draft for that.
	paid bool
	// debris counts what was removed before its HTML was parsed
	// (WordPress's form shortcodes).
	debris map[string]int
	tags   []string
	// url is the old address of the post; nil when it had none (a draft).
	url *url.URL
	// html is the body.
	html string
	// footnotes are WordPress's block footnotes, by id.
	footnotes map[string]string
	// audio is a podcast episode's file.
	audio string
	// dir is the folder of the post's file in the archive, against which
	// relative image paths resolve.
	dir string
}

// run converts an export's posts and writes them.
func run(ctx context.Context, ex *export, opts Options) (*Summary, error) {
	essays, err := convert(ctx, ex, opts)
	if err != nil {
		return nil, err
	}
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	sum := &Summary{Export: ex.name, Debris: map[string]int{}, Fetched: opts.DownloadImages}
	err = write(opts.Into, essays, opts.Overwrite, sum)
	sum.Warnings = ex.notes
	return sum, err
}

// checkContext stops an import that was interrupted before it wrote.
func checkContext(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("import interrupted; nothing was written: %w", err)
	}
	return nil
}
