package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewSiteThenEssay goes the way a new author does: a site, an essay
// in a section, the same essay again, and a build of the result.
func TestNewSiteThenEssay(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my blog")
	code, out, errOut := steward("new", "site", dir)
	if code != 0 {
		t.Fatalf("new site: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Created a new site in " + dir, "cd '" + dir + "'", "steward serve"} {
		if !strings.Contains(out, want) {
			t.Errorf("new site said %q; want it to contain %q", out, want)
		}
	}
	// Flags may follow the title.
	code, out, errOut = steward("new", "essay", "Title of the Essay", "--section", "notes", "--source", dir)
	want := filepath.Join(dir, "content", "notes", "title-of-the-essay.md")
	if code != 0 || out != want+"\n" {
		t.Fatalf("new essay: exit %d, stdout %q, stderr %q; want exit 0 and %q", code, out, errOut, want)
	}
	if b, err := os.ReadFile(want); err != nil || !strings.Contains(string(b), "title: Title of the Essay\n") || !strings.Contains(string(b), "draft: true\n") {
		t.Errorf("the essay reads %q (%v)", b, err)
	}
	code, _, errOut = steward("new", "essay", "--source", dir, "--section", "notes", "Title of the Essay")
	if code != 2 || !strings.Contains(errOut, "already exists") {
		t.Errorf("the same essay again: exit %d, %q; want exit 2 and already exists", code, errOut)
	}
	code, out, errOut = steward("build", "--source", dir, "--drafts")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "Built 2 pages") {
		t.Errorf("build: exit %d, stdout %q, stderr %q; want 2 pages and no warning", code, out, errOut)
	}
}

func TestNewRefusals(t *testing.T) {
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "x.txt"), []byte("x"), 0o644)
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"new"}, 2, "steward new site DIR"},
		{[]string{"new", "-h"}, 0, "steward new essay [flags]"},
		{[]string{"help", "new"}, 0, "steward new site DIR"},
		{[]string{"new", "blog"}, 2, `unknown kind "blog"`},
		{[]string{"new", "site"}, 2, "name the new site's folder"},
		{[]string{"new", "site", "a", "b"}, 2, `unexpected argument "b"`},
		{[]string{"new", "site", full}, 2, "not empty (it holds x.txt)"},
		{[]string{"new", "essay", "-h"}, 0, "-section"},
		{[]string{"new", "essay"}, 2, "give the title as one argument"},
		{[]string{"new", "essay", "Two", "Words"}, 2, `unexpected argument "Words"`},
		{[]string{"new", "essay", "--source", t.TempDir(), "X"}, 2, "not a site"},
		{[]string{"new", "essay", "--source", full, "--section", "../up", "X"}, 2, `--section "../up"`},
		{[]string{"new", "essay", "--bogus", "X"}, 2, "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		code, o, e := steward(tt.args...)
		if code != tt.code || !strings.Contains(o+e, tt.out) {
			t.Errorf("steward %q: exit %d, output %q; want exit %d and %q", tt.args, code, o+e, tt.code, tt.out)
		}
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("a refused command wrote into %s: %v", full, entries)
	}
}
