// Package scaffold owns what `steward new` writes: a starting site (a
// commented site.yaml, one example essay, static/ and a .gitignore) and
// a new essay's file. The site's look comes from the embedded default
// theme, so a new site holds no layouts until its author adds some.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/content"
)

// skeleton holds the files of a new site. Its gitignore is written as
// .gitignore: under its own name it would act on this repository.
//
//go:embed skeleton
var skeleton embed.FS

// OptionError is a value in the options that cannot be used: the
// caller (the command line) says it in terms of how it was set.
type OptionError struct {
	Option string // the field of SiteOptions or EssayOptions
	Value  string
	Reason string
}

func (e *OptionError) Error() string { return fmt.Sprintf("%s %q: %s", e.Option, e.Value, e.Reason) }

// SiteOptions say where and when a new site is made.
type SiteOptions struct {
	// Dir is the folder to write the site in: missing or empty.
	Dir string
	// Now dates the example essay; time.Now when nil.
	Now func() time.Time
}

// Site writes a new site into opts.Dir and returns the paths it wrote,
// relative to it, in slash form. It refuses a folder that holds
// anything (an OptionError on Dir), so nothing of the author's is ever
// replaced.
func Site(opts SiteOptions) ([]string, error) {
	if opts.Dir == "" {
		return nil, &OptionError{Option: "Dir", Value: opts.Dir, Reason: "name the folder for the new site"}
	}
	entries, err := os.ReadDir(opts.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, &OptionError{Option: "Dir", Value: opts.Dir, Reason: fmt.Sprintf("cannot read it: %v", unwrapPath(err))}
	case len(entries) > 0:
		return nil, &OptionError{Option: "Dir", Value: opts.Dir, Reason: fmt.Sprintf("not empty (it holds %s); choose a new folder, so that nothing in it is replaced", entries[0].Name())}
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	files, err := siteFiles(now())
	if err != nil {
		return nil, err
	}
	var wrote []string
	for _, f := range files {
		full := filepath.Join(opts.Dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return wrote, err
		}
		if err := writeNew(full, f.data); err != nil {
			return wrote, err
		}
		wrote = append(wrote, f.path)
	}
	// static/ starts empty: its files are copied to the site as they are.
	if err := os.MkdirAll(filepath.Join(opts.Dir, "static"), 0o755); err != nil {
		return wrote, err
	}
	wrote = append(wrote, "static/")
	slices.Sort(wrote)
	return wrote, nil
}

type file struct {
	path string
	data []byte
}

// siteFiles returns the skeleton's files as a new site holds them, with
// the example essay dated today.
func siteFiles(now time.Time) ([]file, error) {
	var out []file
	err := fs.WalkDir(skeleton, "skeleton", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := skeleton.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "skeleton/")
		if rel == "gitignore" {
			rel = ".gitignore"
		}
		if strings.HasPrefix(rel, content.Dir+"/") {
			t, err := template.New(rel).Parse(string(b))
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := t.Execute(&buf, struct{ Date string }{now.Format("2006-01-02")}); err != nil {
				return err
			}
			b = buf.Bytes()
		}
		out = append(out, file{rel, b})
		return nil
	})
	return out, err
}

// EssayOptions describe a new essay.
type EssayOptions struct {
	// Source is the site's folder.
	Source string
	// Title is the essay's title; its file is named for it as the build
	// names tag pages (content.Slugify).
	Title string
	// Section is a folder below content/ ("notes", "notes/2025"), or ""
	// for content/ itself.
	Section string
	// Now gives the essay's date; time.Now when nil.
	Now func() time.Time
}

// Essay writes a new draft essay and returns its path (Source joined
// with content/<section>/<slug>.md). It refuses to replace a file, and
// a folder that is not a site (no site.yaml and no content/).
func Essay(opts EssayOptions) (string, error) {
	title := strings.TrimSpace(opts.Title)
	if title == "" {
		return "", &OptionError{Option: "Title", Value: opts.Title, Reason: "give the essay a title"}
	}
	slug := content.Slugify(title)
	if slug == "" {
		return "", &OptionError{Option: "Title", Value: opts.Title, Reason: "has no letter or digit to name its file after"}
	}
	section, err := cleanSection(opts.Section)
	if err != nil {
		return "", err
	}
	if !isSite(opts.Source) {
		return "", &OptionError{Option: "Source", Value: opts.Source, Reason: "not a site: it has neither " + config.File + " nor " + content.Dir + "/"}
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	rel := path.Join(content.Dir, section, slug+".md")
	full := filepath.Join(opts.Source, filepath.FromSlash(rel))
	t := now()
	front := content.FormatFront(content.FrontMatter{
		Title: title,
		Date:  time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC),
		Draft: true,
	})
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", err
	}
	if err := writeNew(full, front); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", &OptionError{Option: "Title", Value: opts.Title, Reason: full + " already exists; choose another title, or edit that file"}
		}
		return "", err
	}
	return full, nil
}

// cleanSection checks a section given as a slash path below content/.
func cleanSection(s string) (string, error) {
	s = strings.Trim(filepath.ToSlash(strings.TrimSpace(s)), "/")
	if s == "" {
		return "", nil
	}
	bad := func(why string) error { return &OptionError{Option: "Section", Value: s, Reason: why} }
	s = strings.TrimPrefix(s, content.Dir+"/")
	for _, seg := range strings.Split(s, "/") {
		switch {
		case seg == "" || seg == "." || seg == "..":
			return "", bad("must be a folder below content/, such as notes or notes/2025")
		case strings.HasPrefix(seg, ".") || strings.HasPrefix(seg, "_"):
			return "", bad("a folder whose name starts with . or _ is not published; choose another name")
		}
	}
	return s, nil
}

// isSite reports whether dir holds site.yaml or content/.
func isSite(dir string) bool {
	for _, n := range []string{config.File, content.Dir} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}

// writeNew writes a file that must not exist yet.
func writeNew(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
