package filelock

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestFileLock: a held lock refuses a second holder (locks exclude open
// files, not processes, so one process can check this), and Unlock
// releases it and leaves no file behind.
func TestFileLock(t *testing.T) {
	if !Supported {
		t.Skip("no file locking on this system")
	}
	p := filepath.Join(t.TempDir(), "lock")
	l, err := TryLock(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TryLock(p); !errors.Is(err, ErrLocked) {
		t.Fatalf("second TryLock while held: got %v, want ErrLocked", err)
	}
	l.Unlock()
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file after Unlock: %v, want it gone", err)
	}
	l, err = TryLock(p)
	if err != nil {
		t.Fatalf("TryLock after Unlock: %v", err)
	}
	l.Unlock()
}

// TestFileLockStale: a lock file left by a holder that died (the file
// exists, nobody holds it) is taken over.
func TestFileLockStale(t *testing.T) {
	if !Supported {
		t.Skip("no file locking on this system")
	}
	p := filepath.Join(t.TempDir(), "lock")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := TryLock(p)
	if err != nil {
		t.Fatalf("TryLock on a stale lock file: %v", err)
	}
	l.Unlock()
}
