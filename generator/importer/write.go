package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/content"
)

// checkInto refuses a folder that is not a site: an import into the
// wrong folder would scatter essays where no build reads them.
func checkInto(into string) error {
	fi, err := os.Stat(into)
	if err != nil || !fi.IsDir() {
		return &OptionError{Option: "Into", Value: into, Reason: "no such folder"}
	}
	for _, n := range []string{config.File, content.Dir} {
		if _, err := os.Stat(filepath.Join(into, n)); err == nil {
			return nil
		}
	}
	return &OptionError{Option: "Into", Value: into, Reason: "not a site: it has neither " + config.File + " nor " + content.Dir + "/"}
}

// write writes the essays below into's content/, each whole: everything
// is first written to a staging folder inside content/ (whose name,
// starting with a dot, no build reads), then each essay's file or
// folder is moved into place by a rename. An essay whose file exists is
// skipped unless overwrite. It fills in the summary's counts.
func write(into string, essays []*essay, overwrite bool, sum *Summary) error {
	dir := filepath.Join(into, content.Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var todo []*essay
	for _, e := range essays {
		if exists(into, e) && !overwrite {
			sum.Skipped = append(sum.Skipped, e.rel)
			continue
		}
		todo = append(todo, e)
	}
	if len(todo) == 0 {
		return nil
	}
	staging, err := os.MkdirTemp(dir, ".import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	for _, e := range todo {
		rel := strings.TrimPrefix(e.rel, content.Dir+"/")
		if err := writeFile(staging, rel, e.text); err != nil {
			return err
		}
		for _, f := range e.files {
			if err := writeFile(staging, path.Join(path.Dir(rel), f.name), f.data); err != nil {
				return err
			}
		}
	}
	for _, e := range todo {
		if err := place(dir, staging, e); err != nil {
			return fmt.Errorf("%s: %w (the essays before it were written: %s)", e.rel, err, strings.Join(sum.Written, ", "))
		}
		sum.Written = append(sum.Written, e.rel)
		count(sum, e)
	}
	return nil
}

// exists reports whether the essay's file, or the other form it could
// take (content/x.md for content/x/index.md), is there already.
func exists(into string, e *essay) bool {
	name := e.post.name
	for _, p := range []string{name + ".md", name + "/index.md", name} {
		if _, err := os.Lstat(filepath.Join(into, content.Dir, filepath.FromSlash(p))); err == nil {
			return true
		}
	}
	return false
}

// place moves an essay from the staging folder into content/. Replacing
// one, it removes the essay's other form first, so that two files never
// claim one URL; files an author added to a bundle's folder stay.
func place(dir, staging string, e *essay) error {
	name := e.post.name
	flat := filepath.Join(dir, name+".md")
	folder := filepath.Join(dir, name)
	if len(e.files) == 0 {
		if err := os.Remove(filepath.Join(folder, "index.md")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return os.Rename(filepath.Join(staging, name+".md"), flat)
	}
	if err := os.Remove(flat); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if _, err := os.Stat(folder); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(filepath.Join(staging, name), folder)
	}
	entries, err := os.ReadDir(filepath.Join(staging, name))
	if err != nil {
		return err
	}
	for _, en := range entries {
		if err := os.Rename(filepath.Join(staging, name, en.Name()), filepath.Join(folder, en.Name())); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes rel (a slash path made of names this package chose:
// slugs and image names) below root.
func writeFile(root, rel string, data []byte) error {
	if !fs.ValidPath(rel) || strings.Contains(rel, "\\") {
		return fmt.Errorf("refusing to write %q: not a plain path below content/", rel)
	}
	full := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	return os.WriteFile(full, data, 0o644)
}

// count adds a written essay's figures to the summary.
func count(sum *Summary, e *essay) {
	p := e.post
	switch {
	case p.page:
		sum.Pages++
		if !p.draft {
			sum.PageURLs = append(sum.PageURLs, "/"+p.name+"/")
		}
	default:
		sum.Essays++
	}
	if p.draft {
		sum.Drafts++
	}
	if p.paid {
		sum.Paid++
	}
	sum.Copied += e.copied
	sum.Downloaded += e.downloaded
	sum.Remote = append(sum.Remote, e.remote...)
	for k, n := range e.debris {
		if sum.Debris == nil {
			sum.Debris = map[string]int{}
		}
		sum.Debris[k] += n
	}
}
