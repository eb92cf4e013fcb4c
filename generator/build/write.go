package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CheckDestination refuses output folders whose replacement would destroy
// the author's work: the source folder or any folder above it, anything
// inside content/, layouts/ or static/, the file system root and the home
// folder.
func CheckDestination(source, dest string) error {
	src, err := filepath.Abs(source)
	if err != nil {
		return err
	}
	dst, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	src, dst = evalSymlinks(src), evalSymlinks(dst)
	refuse := func(why string) error {
		return fmt.Errorf("--destination %s: refused, %s; choose a folder of its own such as public", dest, why)
	}
	if dst == filepath.Dir(dst) {
		return refuse("it is the file system root")
	}
	if home, err := os.UserHomeDir(); err == nil && dst == evalSymlinks(home) {
		return refuse("it is your home folder")
	}
	if dst == src {
		return refuse("it is the source folder and would be replaced by the output")
	}
	if within(src, dst) {
		return refuse("it holds the source folder, which would be replaced by the output")
	}
	for _, d := range []string{"content", "layouts", "static"} {
		if dir := filepath.Join(src, d); dst == dir || within(dst, dir) {
			return refuse("it is inside the site's " + d + "/ folder")
		}
	}
	return nil
}

// within reports whether path is strictly inside dir.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}

func evalSymlinks(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	// A destination that does not exist yet: resolve its parent.
	if r, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		return filepath.Join(r, filepath.Base(p))
	}
	return p
}

// Write puts the site in dest atomically: the new tree is made in a
// temporary folder beside dest and swapped in only when complete, so a
// failed write leaves the previous site as it was, and files of the old
// site that the new one lacks are gone afterwards. A file whose bytes did
// not change is carried over as it was (hard-linked), keeping its
// modification time, so deploy tools that compare times upload only what
// changed. It returns how many files were written anew.
func Write(s *Site, dest string) (int, error) {
	dest = filepath.Clean(dest)
	if fi, err := os.Stat(dest); err == nil {
		if !fi.IsDir() {
			return 0, fmt.Errorf("%s exists and is not a folder; remove it or choose another --destination", dest)
		}
		if err := looksLikeOutput(dest); err != nil {
			return 0, err
		}
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".new-")
	if err != nil {
		return 0, err
	}
	written, err := fill(s, tmp, dest)
	if err != nil {
		os.RemoveAll(tmp)
		return 0, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return 0, err
	}
	old := ""
	if _, err := os.Stat(dest); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dest, old); err != nil {
			os.RemoveAll(tmp)
			return 0, err
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		if old != "" {
			_ = os.Rename(old, dest)
		}
		os.RemoveAll(tmp)
		return 0, err
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return written, fmt.Errorf("the new site is in place, but the old one could not be removed from %s: %w", old, err)
		}
	}
	return written, nil
}

// looksLikeOutput refuses to replace a non-empty folder that was not made
// by a build: an index.html marks a site.
func looksLikeOutput(dest string) error {
	entries, err := os.ReadDir(dest)
	if err != nil || len(entries) == 0 {
		return err
	}
	if _, err := os.Stat(filepath.Join(dest, "index.html")); err == nil {
		return nil
	}
	return fmt.Errorf("%s holds files but no index.html, so it does not look like a built site; Steward replaces its output folder whole, so empty it or choose another --destination", dest)
}

func fill(s *Site, tmp, prev string) (int, error) {
	written := 0
	for _, p := range s.paths {
		data := s.files[p]
		out := filepath.Join(tmp, filepath.FromSlash(p))
		if !within(out, tmp) {
			return written, fmt.Errorf("output path %q escapes the output folder", p)
		}
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return written, err
		}
		old := filepath.Join(prev, filepath.FromSlash(p))
		if same(old, data) && os.Link(old, out) == nil {
			continue
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return written, err
		}
		written++
	}
	return written, nil
}

// same reports whether the file at p holds exactly data.
func same(p string, data []byte) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	b, err := os.ReadFile(p)
	return err == nil && bytes.Equal(b, data)
}
