package importer

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/steward-ssg/steward/generator/content"
)

// WordPress's export (WXR, "WordPress eXtended RSS") is an RSS 2.0 file
// whose <channel> names the site (<link>, wp:base_site_url), its authors
// (wp:author), and holds one <item> per post, page, attachment and
// internal object: title, link, dc:creator, content:encoded,
// excerpt:encoded, wp:post_id, wp:post_date(_gmt), wp:post_name,
// wp:status, wp:post_type, wp:post_password, wp:attachment_url,
// wp:post_parent, <category domain="category|post_tag">, wp:postmeta.
// The namespaces' URLs carry the WXR version (1.0 to 1.2), so elements
// are matched by the namespace's family, not its exact URL.

// WordPress imports a WordPress export file into the site at opts.Into.
// Malformed XML is an error at its line; nothing is written then.
func WordPress(ctx context.Context, file string, opts Options) (*Summary, error) {
	if err := checkInto(opts.Into); err != nil {
		return nil, err
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, &OptionError{Option: "Export", Value: file, Reason: unwrapPath(err).Error()}
	}
	defer f.Close()
	ex, err := readWordPress(filepath.Base(file), f)
	if err != nil {
		return nil, err
	}
	return run(ctx, ex, opts)
}

// xnode is an element of the XML, as read.
type xnode struct {
	ns, local string // ns: "", "wp", "content", "excerpt", "dc" or the URL
	attrs     []xml.Attr
	text      strings.Builder
	kids      []*xnode
	line      int
}

// child returns the first child of that name.
func (n *xnode) child(ns, local string) *xnode {
	for _, k := range n.kids {
		if k.ns == ns && k.local == local {
			return k
		}
	}
	return nil
}

// get returns the trimmed text of the first child of that name.
func (n *xnode) get(ns, local string) string {
	if k := n.child(ns, local); k != nil {
		return strings.TrimSpace(k.text.String())
	}
	return ""
}

func (n *xnode) attr(local string) string {
	for _, a := range n.attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// family names a namespace by what it is, whatever its version.
func family(space string) string {
	switch {
	case strings.HasPrefix(space, "http://wordpress.org/export/") && strings.HasSuffix(space, "/excerpt/"):
		return "excerpt"
	case strings.HasPrefix(space, "http://wordpress.org/export/"):
		return "wp"
	case space == "http://purl.org/rss/1.0/modules/content/":
		return "content"
	case space == "http://purl.org/dc/elements/1.1/":
		return "dc"
	}
	return space // "" for RSS's own, or a prefix left undeclared
}

// controlFree drops the control characters XML forbids (some exports
// carry them, pasted from word processors), keeping line breaks so that
// lines are counted as in the file.
type controlFree struct{ r *bufio.Reader }

func (c controlFree) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	j := 0
	for _, b := range p[:n] {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			continue
		}
		p[j] = b
		j++
	}
	if j == 0 && n > 0 && err == nil {
		return c.Read(p)
	}
	return j, err
}

// parseXML reads the whole document into xnodes.
func parseXML(name string, r io.Reader) (*xnode, error) {
	d := xml.NewDecoder(controlFree{bufio.NewReader(r)})
	// HTML's entities appear in titles (&nbsp;, &mdash;).
	d.Entity = xml.HTMLEntity
	root := &xnode{}
	stack := []*xnode{root}
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, fmt.Errorf("%s:%d: %s; the export is damaged or cut short (export it again)", name, se.Line, se.Msg)
			}
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			line, _ := d.InputPos()
			n := &xnode{ns: family(t.Name.Space), local: t.Name.Local, attrs: t.Attr, line: line}
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text.Write(t)
		}
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("%s: the file ends inside <%s>; the export is cut short (export it again)", name, stack[len(stack)-1].local)
	}
	return root, nil
}

// wpInternal are post types WordPress keeps for itself: not writing.
var wpInternal = []string{"nav_menu_item", "revision", "custom_css", "customize_changeset", "oembed_cache",
	"user_request", "wp_block", "wp_template", "wp_template_part", "wp_global_styles", "wp_navigation",
	"wp_font_family", "wp_font_face", "feedback", "jp_pay_order", "jp_pay_product"}

func readWordPress(name string, r io.Reader) (*export, error) {
	root, err := parseXML(name, r)
	if err != nil {
		return nil, err
	}
	var channel *xnode
	if rss := root.child("", "rss"); rss != nil {
		channel = rss.child("", "channel")
	}
	if channel == nil || channel.child("wp", "wxr_version") == nil && channel.child("wp", "base_site_url") == nil {
		return nil, fmt.Errorf("%s: not a WordPress export (no <rss><channel> with wp:wxr_version); export it from WordPress with Tools → Export → All content", name)
	}
	ex := &export{name: name, hosts: map[string]bool{}}
	for _, k := range []string{channel.get("", "link"), channel.get("wp", "base_blog_url"), channel.get("wp", "base_site_url")} {
		if u, err := url.Parse(k); err == nil && u.IsAbs() && u.Host != "" {
			if ex.site == nil {
				ex.site = u
			}
			ex.hosts[normHost(u.Host)] = true
		}
	}
	authors := map[string]string{}
	for _, a := range channel.kids {
		if a.ns == "wp" && a.local == "author" {
			if n := html.UnescapeString(a.get("wp", "author_display_name")); n != "" {
				authors[a.get("wp", "author_login")] = n
			}
		}
	}
	// Attachments first: posts' galleries and captions name them by id.
	attachments := map[string]attachment{}
	children := map[string][]string{} // parent id to its attachments' ids
	for _, it := range channel.kids {
		if it.local == "item" && it.ns == "" && it.get("wp", "post_type") == "attachment" {
			id := it.get("wp", "post_id")
			a := attachment{url: it.get("wp", "attachment_url")}
			for _, m := range it.kids {
				if m.ns == "wp" && m.local == "postmeta" && m.get("wp", "meta_key") == "_wp_attachment_image_alt" {
					a.alt = m.get("wp", "meta_value")
				}
			}
			attachments[id] = a
			children[it.get("wp", "post_parent")] = append(children[it.get("wp", "post_parent")], id)
		}
	}
	comments := 0
	used := map[string]bool{} // authors of the posts written
	for _, it := range channel.kids {
		if it.local != "item" || it.ns != "" {
			continue
		}
		where := fmt.Sprintf("%s:%d", name, it.line)
		typ := it.get("wp", "post_type")
		status := it.get("wp", "status")
		switch {
		case typ == "attachment" || slices.Contains(wpInternal, typ):
			continue
		case typ != "post" && typ != "page":
			ex.notes = append(ex.notes, Note{where, fmt.Sprintf("%q is of the type %s, not a post or a page; not imported", it.get("", "title"), typ)})
			continue
		case status == "trash" || status == "auto-draft" || status == "inherit":
			continue
		}
		p := &post{
			entry: fmt.Sprintf("%s (%q)", where, html.UnescapeString(it.get("", "title"))),
			id:    it.get("wp", "post_id"),
			title: html.UnescapeString(it.get("", "title")),
			page:  typ == "page",
		}
		p.slug = it.get("wp", "post_name")
		if un, err := url.PathUnescape(p.slug); err == nil {
			p.slug = un
		}
		switch status {
		case "publish":
		case "future":
			p.draft = true
			ex.notes = append(ex.notes, Note{p.entry, "scheduled for later; imported as a draft"})
		default: // draft, pending, private
			p.draft = true
		}
		if it.get("wp", "post_password") != "" && !p.draft {
			p.draft = true
			ex.notes = append(ex.notes, Note{p.entry, "protected by a password; imported as a draft"})
		}
		p.date = wpDate(it.get("wp", "post_date_gmt"), it.get("wp", "post_date"), it.get("", "pubDate"))
		login := it.get("dc", "creator")
		p.author = authors[login]
		if p.author == "" {
			p.author = login
		}
		if p.author != "" {
			used[p.author] = true
		}
		if link, err := url.Parse(it.get("", "link")); err == nil && link.IsAbs() && link.RawQuery == "" {
			p.url = link
		}
		var cats, tags []string
		for _, c := range it.kids {
			if c.local != "category" || c.ns != "" {
				continue
			}
			t := html.UnescapeString(strings.TrimSpace(c.text.String()))
			switch c.attr("domain") {
			case "category":
				if c.attr("nicename") != "uncategorized" {
					cats = append(cats, t)
				}
			case "post_tag":
				tags = append(tags, t)
			}
		}
		p.tags = mergeTags(cats, tags)
		p.summary = plainText(it.get("excerpt", "encoded"))
		meta := map[string]string{}
		for _, m := range it.kids {
			if m.ns == "wp" && m.local == "postmeta" {
				meta[m.get("wp", "meta_key")] = m.get("wp", "meta_value")
			}
			if m.ns == "wp" && m.local == "comment" && m.get("wp", "comment_approved") == "1" && m.get("wp", "comment_type") != "pingback" {
				comments++
			}
		}
		if fn := meta["footnotes"]; fn != "" {
			var list []struct{ Content, ID string }
			if err := json.Unmarshal([]byte(fn), &list); err != nil {
				ex.notes = append(ex.notes, Note{p.entry, "its footnotes do not read as WordPress writes them; left out: " + err.Error()})
			} else {
				p.footnotes = map[string]string{}
				for _, f := range list {
					p.footnotes[f.ID] = f.Content
				}
			}
		}
		p.debris = map[string]int{}
		body := it.get("content", "encoded")
		body = shortcodes(body, p, attachments, children[p.id], &ex.notes)
		p.html = autop(body)
		if p.title == "" {
			ex.notes = append(ex.notes, Note{p.entry, "no title; the essay is named after its file"})
		}
		ex.posts = append(ex.posts, p)
	}
	// One author needs no name on each essay: site.yaml's author says it.
	if len(used) <= 1 {
		for _, p := range ex.posts {
			p.author = ""
		}
	}
	if comments > 0 {
		ex.notes = append(ex.notes, Note{name, fmt.Sprintf("%s not imported: Steward sites have no comments", plural(comments, "approved comment", "approved comments"))})
	}
	return ex, nil
}

// attachment is a file of the media library.
type attachment struct{ url, alt string }

// wpDate reads the first of WordPress's dates that is set: the GMT one,
// else the site's local time (read as UTC), else the RSS pubDate.
func wpDate(gmt, local, pub string) time.Time {
	for _, s := range []string{gmt, local} {
		if s == "" || strings.HasPrefix(s, "0000") {
			continue
		}
		if t, err := time.Parse(time.DateTime, s); err == nil {
			return t
		}
	}
	if t, err := time.Parse(time.RFC1123Z, pub); err == nil && t.Year() > 1 {
		return t.UTC()
	}
	return time.Time{}
}

// mergeTags returns categories then tags, without repeats (by slug).
func mergeTags(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, t := range l {
			s := content.Slugify(t)
			if s == "" || seen[s] {
				continue
			}
			seen[s] = true
			out = append(out, t)
		}
	}
	return out
}

// plainText is the text of an HTML fragment, its spaces collapsed.
func plainText(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	_, body := parseBody(s)
	return strings.Join(strings.Fields(text(body)), " ")
}
