// Package testsite writes small sites for tests: real files in a
// temporary folder, given as a map of slash paths to contents.
package testsite

import (
	"os"
	"path/filepath"
	"testing"
)

// New writes files into a new temporary folder and returns it.
func New(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	Write(t, dir, files)
	return dir
}

// Write writes files (slash path to contents) below dir, making folders.
func Write(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		WriteFile(t, dir, p, c)
	}
}

// WriteFile writes one file below dir, making its folder.
func WriteFile(t testing.TB, dir, p, data string) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
