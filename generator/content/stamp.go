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
// inode. A stamp taken soon after the file's last change is racy (a write
// in the same clock tick could leave it equal) and is never trusted (see
// Racy). Where the system does not tell the change time and inode
// (Windows), a stamp holds only the size and modification time: it is
// compared within one process, never kept across processes (KnownFiles).
//
// Every record of a file that a build reuses while the file is unchanged
// (the content Loader's, the pipeline's of static files and of files
// beside the essays, the persistent cache's) is checked by this one rule:
// an equal stamp (StampOf) that was not racy when taken.
type Stamp struct {
	Size  int64
	MTime int64 // UnixNano
	CTime int64 // UnixNano
	Ino   uint64
	Dev   uint64
}

// Racy is the rule that a stamp taken soon after its file last changed is
// not trusted: file times come from a coarse clock, so a second write in
// the same tick could leave the stamp as it was. A record of a file (its
// stamp and what was read from it) is reused only while the file's stamp
// is equal and was not racy when the record was taken. The zero value is
// the real clock and a window of RacyWindow.
type Racy struct {
	// Now is the clock by which records are taken; nil means time.Now.
	// Tests set one ahead of the files' times, so that records are
	// trusted at once without waiting out the window.
	Now func() time.Time
	// Window is how recent a change may be before its stamp is racy;
	// zero means RacyWindow.
	Window time.Duration
}

// RacyWindow is the window of the zero Racy: far above the coarse clock
// tick that file times are taken from.
const RacyWindow = time.Second

// Time is the time by r's clock. Take it before the first stat of a
// listing: its records count as taken then, so that a write during the
// listing makes them racy.
func (r Racy) Time() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Trusted reports whether a stamp from a listing that began at taken may
// be trusted by later builds: the file's last change (its change time, or
// its modification time where the stamp has no change time) lies more
// than the window before taken.
func (r Racy) Trusted(s Stamp, taken time.Time) bool {
	changed := s.CTime
	if changed == 0 {
		changed = s.MTime
	}
	w := r.Window
	if w == 0 {
		w = RacyWindow
	}
	return taken.UnixNano()-changed > int64(w)
}

// Known is a record of a file read by an earlier build: its stamp and the
// Doc parsed from it. KnownFiles keeps the Doc without its Raw and Body;
// a Doc it hands back has neither.
type Known struct {
	Stamp Stamp
	Doc   *Doc
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
func ReadBody(fsys fs.FS, p *Doc) ([]byte, error) {
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
