package pipeline

import (
	"os"
	"path/filepath"
	"runtime"
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
		return &OptionError{Option: "Destination", Value: dest, Reason: "refused, " + why + "; choose a folder of its own such as public"}
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

// within reports whether path is strictly inside dir. (A folder named
// "..notes" is inside; only ".." itself leads out.)
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// evalSymlinks resolves p for comparing folders: its symbolic links, and
// on the systems whose file systems ignore case by default (Windows and
// macOS), its case, so that Content\x is known to be inside content.
func evalSymlinks(p string) string {
	return foldCase(resolve(p))
}

func resolve(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	// A destination that does not exist yet: resolve its parent.
	if r, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		return filepath.Join(r, filepath.Base(p))
	}
	return p
}

func foldCase(p string) string {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.ToLower(p)
	}
	return p
}

// CheckCacheDir refuses a cache folder inside the output folder (which
// each build replaces) or inside the site's own folders.
func CheckCacheDir(source, dest, cache string) error {
	c, err := filepath.Abs(cache)
	if err != nil {
		return err
	}
	d, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	c, d = evalSymlinks(c), evalSymlinks(d)
	if c == d || within(c, d) {
		return &OptionError{Option: "CacheDir", Value: cache, Reason: "refused, it is inside the output folder; the cache must live elsewhere"}
	}
	src, _ := filepath.Abs(source)
	for _, sub := range []string{"content", "layouts", "static"} {
		if dir := filepath.Join(evalSymlinks(src), sub); c == dir || within(c, dir) {
			return &OptionError{Option: "CacheDir", Value: cache, Reason: "refused, it is inside the site's " + sub + "/ folder"}
		}
	}
	return nil
}
