// Package filelock is an exclusive lock between processes, named by a
// file's path, with one implementation per system (flock(2) on Unix, an
// open with no sharing on Windows). A Lock is never waited for: TryLock
// fails at once with ErrLocked when another process holds it. The system
// releases it when its process dies, however it dies, so a killed build
// never leaves a lock held; and Unlock removes the file, so a build leaves
// no lock file behind (one killed outright may leave the file, unlocked,
// for the next holder to remove, on systems other than Windows).
//
// A Lock is not for use by goroutines of one process against each other:
// it is for builds in different processes. Steward holds one on the cache
// folder and one on each output folder while a build uses it.
package filelock

import "errors"

// ErrLocked is returned by TryLock when another process holds the lock.
var ErrLocked = errors.New("held by another process")
