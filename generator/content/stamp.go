package content

import (
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// Stamp is what stat tells of one version of a file. Two stamps that are
// equal name the same bytes, as in git's index: a write changes the
// change time (ctime) to the current time, and nothing can set it back,
// whatever it does to the modification time; a replaced file has another
// inode. A stamp taken within a second of the file's last change is racy
// (a write in the same clock tick could leave it equal) and is never
// trusted. Where the system does not tell the change time and inode
// (Windows), a stamp holds only the size and modification time: it is
// compared within one process, never kept across processes (KnownFiles).
//
// Every record of a file that a build reuses while the file is unchanged
// (the content Loader's, the pipeline's of static files and of files
// beside the essays, the persistent cache's) is checked against one
// stamp, from StampOf.
type Stamp struct {
	Size  int64
	MTime int64 // UnixNano
	CTime int64 // UnixNano
	Ino   uint64
	Dev   uint64
}

// racyWindow is how recent a change may be before a stamp is not trusted:
// far above the coarse clock tick that file times are taken from.
const racyWindow = time.Second

// Known is a record of a file read by an earlier build: its stamp and the
// page parsed from it. KnownFiles keeps the page without its Raw and Body;
// a page it hands back has neither.
type Known struct {
	Stamp Stamp
	Page  *Page
}

// KnownFiles remembers pages by path and stamp across processes (the build
// cache), so that a build need not read a file whose stamp is unchanged.
// It must be safe for concurrent use.
type KnownFiles interface {
	Known(path string) (Known, bool)
	RememberFile(path string, k Known)
}

// ErrChanged is returned by ReadBody when the file is no longer what the
// page was parsed from.
var ErrChanged = errors.New("the file changed during the build; build again")

// ReadBody reads the Markdown body of a page that was loaded from a known
// file's record (Body nil), checking that the file still holds the bytes
// the page came from.
func ReadBody(fsys fs.FS, p *Page) ([]byte, error) {
	if p.Body != nil {
		return p.Body, nil
	}
	raw, err := fs.ReadFile(fsys, p.Source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Source, err)
	}
	again, _ := parse(p.Source, raw, nil)
	if again == nil || again.Hash != p.Hash {
		return nil, fmt.Errorf("%s: %w", p.Source, ErrChanged)
	}
	return again.Body, nil
}
