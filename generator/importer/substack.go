package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Substack's export is a zip archive: posts.csv, one row per post (its
// columns named in the first row: post_id as "<number>.<slug>",
// post_date, is_published, type, audience, title, subtitle,
// podcast_url...), and the body of each post, HTML, in
// posts/<post_id>.html. Other files (the subscriber list, opens and
// deliveries) are not read.

// Substack imports a Substack export archive into the site at opts.Into.
// A malformed archive is an error naming the entry and, in posts.csv,
// the line; nothing is written then.
func Substack(ctx context.Context, archive string, opts Options) (*Summary, error) {
	if err := checkInto(opts.Into); err != nil {
		return nil, err
	}
	ex, err := readSubstack(archive, opts)
	if err != nil {
		return nil, err
	}
	return run(ctx, ex, opts)
}

// substackColumns are the columns read; the first four must be there.
var substackColumns = []string{"post_id", "post_date", "is_published", "title", "type", "audience", "subtitle", "podcast_url"}

func readSubstack(archive string, opts Options) (*export, error) {
	name := filepath.Base(archive)
	var fsys fs.FS
	if fi, err := os.Stat(archive); err == nil && fi.IsDir() {
		// The archive, unpacked.
		fsys = os.DirFS(archive)
	} else {
		zr, err := zip.OpenReader(archive)
		if err != nil {
			if errors.Is(err, zip.ErrFormat) {
				return nil, &OptionError{Option: "Export", Value: archive, Reason: "not a zip archive; give the .zip file Substack's export sent you, as it is, or the folder it unpacks to"}
			}
			return nil, &OptionError{Option: "Export", Value: archive, Reason: unwrapPath(err).Error()}
		}
		defer zr.Close()
		fsys = &zr.Reader
	}
	var names []string
	root, found := "", false
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %s: %w", name, p, unwrapPath(err))
		}
		if d.IsDir() {
			return nil
		}
		names = append(names, p)
		// posts.csv is at the root, or in the one folder the archive was
		// repacked from.
		if path.Base(p) == "posts.csv" && (!found || strings.Count(p, "/") < strings.Count(root, "/")) {
			root, found = strings.TrimSuffix(p, "posts.csv"), true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%s: no posts.csv; this is not a Substack export (Settings → Exports → New export)", name)
	}
	// Read every file now (but the other tables, which can be large), so
	// that a damaged entry is an error before anything is written.
	csvName := root + "posts.csv"
	files := map[string][]byte{}
	for _, n := range names {
		if strings.HasSuffix(n, ".csv") && n != csvName {
			continue
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: cannot read: %w", name, n, unwrapPath(err))
		}
		files[n] = b
	}
	data := files[csvName]
	delete(files, csvName)
	ex := &export{name: name, hosts: map[string]bool{}}
	ex.postPath = func(p string) (string, bool) {
		slug, ok := strings.CutPrefix(p, "/p/")
		return slug, ok && slug != "" && !strings.Contains(slug, "/")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, csvError(name, csvName, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.ToLower(h))] = i
	}
	for _, c := range substackColumns[:4] {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s: %s:1: no column %s (the columns are %s); is this Substack's posts.csv?", name, csvName, c, strings.Join(header, ", "))
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, csvName, err)
		}
		line, _ := r.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		where := fmt.Sprintf("%s:%d", csvName, line)
		id := get("post_id")
		if id == "" {
			return nil, fmt.Errorf("%s: %s: no post_id", name, where)
		}
		number, slug, _ := strings.Cut(id, ".")
		entry := root + "posts/" + id + ".html"
		p := &post{entry: entry, id: number, slug: slug, title: get("title"), summary: get("subtitle"), dir: path.Dir(entry)}
		if !strings.EqualFold(get("is_published"), "true") {
			p.draft = true
		}
		if d := get("post_date"); d != "" {
			t, err := time.Parse(time.RFC3339, d)
			if err != nil {
				ex.notes = append(ex.notes, Note{where, fmt.Sprintf("post_date %q is not a date; the essay is undated", d)})
			} else {
				p.date = t.UTC()
			}
		}
		switch get("audience") {
		case "only_paid", "founding":
			if !opts.IncludePaid && !p.draft {
				p.draft, p.paid = true, true
			}
		}
		if get("type") == "podcast" {
			p.audio = get("podcast_url")
		}
		body, ok := files[entry]
		if !ok {
			// A draft that was never written has no file; a published
			// post without one is worth a word.
			ex.notes = append(ex.notes, Note{where, fmt.Sprintf("no %s in the archive; %q not imported", entry, p.title)})
			continue
		}
		p.html = string(body)
		if !p.draft || p.paid {
			// Its address on Substack, for the alias; the host is not in
			// the export, and aliases need only the path.
			p.url = &url.URL{Path: "/p/" + slug}
		}
		if p.title == "" {
			ex.notes = append(ex.notes, Note{entry, "no title; the essay is named after its file"})
		}
		ex.posts = append(ex.posts, p)
	}
	ex.file = func(name string) ([]byte, bool) {
		b, ok := files[name]
		return b, ok
	}
	return ex, nil
}

// csvError names the line and column of a posts.csv that does not parse.
func csvError(name, entry string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %s:%d:%d: %v", name, entry, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %s: %w", name, entry, err)
}

// unwrapPath drops the path an error repeats, where the message names
// the file already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
