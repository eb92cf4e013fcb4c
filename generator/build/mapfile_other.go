//go:build !linux

package build

import "os"

// readIndex reads the cache's index (mapped on Linux; see mapfile_linux.go).
func readIndex(path string) ([]byte, error) { return os.ReadFile(path) }
