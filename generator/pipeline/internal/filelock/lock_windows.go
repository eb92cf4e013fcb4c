package filelock

import (
	"errors"
	"time"

	"golang.org/x/sys/windows"
)

// Supported tells that a Lock excludes other processes here.
const Supported = true

// A Lock is held on a file until Unlock.
type Lock struct {
	h windows.Handle
}

// TryLock takes the lock at path by opening the file with no sharing and
// delete-on-close. The open is the lock: no other process can open the file
// while it is open, and when the handle closes (at Unlock, or when the
// system ends the process, even a killed one) the file goes. LockFileEx on
// a file that stays would work too, but would leave the file behind for
// good, since on Windows a file another process holds open cannot safely
// be removed by its holder.
func TryLock(path string) (*Lock, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	for tries := 0; ; tries++ {
		h, err := windows.CreateFile(p,
			windows.GENERIC_READ|windows.GENERIC_WRITE|windows.DELETE,
			0, // no sharing: this open is the lock
			nil, windows.OPEN_ALWAYS,
			windows.FILE_ATTRIBUTE_NORMAL|windows.FILE_FLAG_DELETE_ON_CLOSE, 0)
		if err == nil {
			return &Lock{h: h}, nil
		}
		if errors.Is(err, windows.ERROR_SHARING_VIOLATION) {
			return nil, ErrLocked
		}
		// A file whose last holder is closing it is "delete pending" for a
		// moment, and refuses opens with access denied; a real lack of
		// rights stays.
		if errors.Is(err, windows.ERROR_ACCESS_DENIED) && tries < 20 {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		return nil, err
	}
}

// Unlock closes the handle, which releases the lock and removes the file.
func (l *Lock) Unlock() { windows.CloseHandle(l.h) }
