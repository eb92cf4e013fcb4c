//go:build !unix

package cache

import "os"

// readIndex reads the cache's index into memory. It is not mapped here:
// on Windows a file that a process maps cannot be replaced, and the index
// is replaced by renaming a new file over it while the process that read
// it still lives (its decoded strings would point into the mapping).
func readIndex(path string) ([]byte, error) { return os.ReadFile(path) }
