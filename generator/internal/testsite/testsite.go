// Package testsite writes small sites for tests: real files in a
// temporary folder, given as a map of slash paths to contents.
package testsite

import (
	"bytes"
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

// EditKeepingTimes changes the last lowercase letter of a file below dir
// to the next one, so that its size stays, then puts its modification
// time back, as tools that restore times do (tar, rsync -t, some editors'
// "preserve timestamps"): only the change time and the bytes tell that it
// changed. It returns the new contents.
func EditKeepingTimes(t testing.TB, dir, p string) string {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(p))
	before, err := os.Stat(full)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndexAny(b, "abcdefghijklmnopqrstuvwxyz")
	if i < 0 {
		t.Fatalf("%s has no lowercase letter to change", p)
	}
	b[i] = 'a' + (b[i]-'a'+1)%26
	if err := os.WriteFile(full, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(full, before.ModTime(), before.ModTime()); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(full)
	if err != nil {
		t.Fatal(err)
	}
	if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Fatalf("%s: size and modification time %d %v, want %d %v as before the edit", p, after.Size(), after.ModTime(), before.Size(), before.ModTime())
	}
	return string(b)
}
