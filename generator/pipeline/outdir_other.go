//go:build !linux && !darwin

package pipeline

import (
	"os"
	"path/filepath"
)

// outDir is an output folder whose files are stat'ed by their path
// relative to it (see outdir_unix.go); here, by joining the two.
type outDir struct{ path string }

// openOutDir opens the folder path.
func openOutDir(path string) (*outDir, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return &outDir{path: path}, nil
}

// stat reports the size and modification time (UnixNano) of the regular
// file at the slash path rel within the folder, not following a symbolic
// link; ok is false when there is none.
func (d *outDir) stat(rel string) (size, mtime int64, ok bool) {
	fi, err := os.Lstat(filepath.Join(d.path, filepath.FromSlash(rel)))
	if err != nil || !fi.Mode().IsRegular() {
		return 0, 0, false
	}
	return fi.Size(), fi.ModTime().UnixNano(), true
}

func (d *outDir) close() {}
