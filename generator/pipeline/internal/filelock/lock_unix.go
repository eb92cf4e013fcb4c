//go:build unix && !aix

package filelock

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// Supported tells that a Lock excludes other processes here.
const Supported = true

// A Lock is held on a file until Unlock.
type Lock struct {
	f    *os.File
	path string
}

// TryLock takes the lock at path with flock(2). Because Unlock removes the
// file, a process may lock a file that another has just removed; it then
// holds a lock nobody else can see, so the lock counts only when the file
// locked is still the one at path (the usual protocol for removable lock
// files).
func TryLock(path string) (*Lock, error) {
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, ErrLocked
			}
			return nil, err
		}
		held, err1 := f.Stat()
		now, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return &Lock{f: f, path: path}, nil
		}
		f.Close() // removed or replaced since it was opened: again
		if err1 != nil {
			return nil, err1
		}
		if err2 != nil && !errors.Is(err2, os.ErrNotExist) {
			return nil, err2
		}
	}
}

// Unlock removes the lock file while still holding it, then releases it.
func (l *Lock) Unlock() {
	os.Remove(l.path)
	l.f.Close()
}
