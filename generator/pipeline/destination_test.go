package pipeline

import (
	"path/filepath"
	"strconv"
	"testing"
)

// TestWithin: inside means below, whatever the folders are named.
func TestWithin(t *testing.T) {
	root := filepath.Join(t.TempDir(), "site")
	for _, tt := range []struct {
		path string
		want bool
	}{
		{filepath.Join(root, "public"), true},
		{filepath.Join(root, "..notes"), true},
		{filepath.Join(root, "a", "b"), true},
		{root, false},
		{filepath.Dir(root), false},
		{filepath.Join(filepath.Dir(root), "site2"), false},
		{filepath.Join(filepath.Dir(root), "other", "site"), false},
	} {
		if got := within(tt.path, root); got != tt.want {
			t.Errorf("within(%q, %q) = %v, want %v", tt.path, root, got, tt.want)
		}
	}
}

// TestCheckDestination: the folders whose replacement would destroy the
// author's work are refused, with the reason; folders of their own are not.
func TestCheckDestination(t *testing.T) {
	src := filepath.Join(t.TempDir(), "site")
	for _, tt := range []struct {
		dest, why string // why empty: accepted
	}{
		{filepath.Join(src, "public"), ""},
		{filepath.Join(src, "..public"), ""},
		{filepath.Join(filepath.Dir(src), "public"), ""},
		{src, "it is the source folder and would be replaced by the output"},
		{filepath.Dir(src), "it holds the source folder, which would be replaced by the output"},
		{filepath.Join(src, "content"), "it is inside the site's content/ folder"},
		{filepath.Join(src, "static", "x"), "it is inside the site's static/ folder"},
	} {
		err := CheckDestination(src, tt.dest)
		want := ""
		if tt.why != "" {
			want = "Destination " + strconv.Quote(tt.dest) + ": refused, " + tt.why + "; choose a folder of its own such as public"
		}
		if got := errString(err); got != want {
			t.Errorf("CheckDestination(%q):\n got %q\nwant %q", tt.dest, got, want)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
