package build

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestFileLock: a held lock refuses a second holder (locks exclude open
// files, not processes, so one process can check this), and unlock
// releases it and leaves no file behind.
func TestFileLock(t *testing.T) {
	if !locksWork {
		t.Skip("no file locking on this system")
	}
	p := filepath.Join(t.TempDir(), "lock")
	l, err := tryLock(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tryLock(p); !errors.Is(err, errLocked) {
		t.Fatalf("second tryLock while held: got %v, want errLocked", err)
	}
	l.unlock()
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file after unlock: %v, want it gone", err)
	}
	l, err = tryLock(p)
	if err != nil {
		t.Fatalf("tryLock after unlock: %v", err)
	}
	l.unlock()
}

// TestFileLockStale: a lock file left by a holder that died (the file
// exists, nobody holds it) is taken over.
func TestFileLockStale(t *testing.T) {
	if !locksWork {
		t.Skip("no file locking on this system")
	}
	p := filepath.Join(t.TempDir(), "lock")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := tryLock(p)
	if err != nil {
		t.Fatalf("tryLock on a stale lock file: %v", err)
	}
	l.unlock()
}
