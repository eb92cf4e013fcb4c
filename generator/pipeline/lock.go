package pipeline

import "errors"

// errLocked is returned by tryLock when another process holds the lock.
var errLocked = errors.New("held by another process")

// A fileLock is an exclusive lock between processes, named by a file's
// path. It is never waited for: tryLock fails at once with errLocked when
// another process holds it. The system releases it when its process dies,
// however it dies, so a killed build never leaves a lock held; and unlock
// removes the file, so a build leaves no lock file behind (one killed
// outright may leave the file, unlocked, for the next holder to remove,
// on systems other than Windows). See lock_unix.go and lock_windows.go.
//
// A fileLock is not for use by goroutines of one process against each
// other: it is for builds in different processes.
