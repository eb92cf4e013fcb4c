package diag

import (
	"errors"
	"fmt"
	"testing"
)

func TestLineCol(t *testing.T) {
	src := []byte("ab\ncdé\nf")
	for _, tt := range []struct{ off, line, col int }{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {7, 2, 4}, {8, 3, 1}, {99, 3, 2}, {-1, 1, 1}} {
		l, c := LineCol(src, tt.off)
		if l != tt.line || c != tt.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
	}
}

func TestListSortDedupErr(t *testing.T) {
	var l List
	l.Add(Pos{File: "b.md", Line: 1, Col: 1}, "two")
	l.Add(Pos{File: "a.md", Line: 9, Col: 1}, "one")
	l.Warn(Pos{File: "a.md", Line: 2}, "careful")
	l.Add(Pos{File: "b.md", Line: 1, Col: 1}, "two")
	l.Sort()
	want := "a.md:2: warning: careful\na.md:9:1: one\nb.md:1:1: two"
	if l.Error() != want {
		t.Errorf("sorted list:\n%s\nwant:\n%s", l.Error(), want)
	}
	err := fmt.Errorf("wrapped: %w", l.Err())
	got := AsList(err)
	if len(got) != 2 || got[0].Msg != "one" {
		t.Errorf("AsList(wrapped) = %v", got)
	}
	if (List{}).Err() != nil || AsList(nil) != nil {
		t.Error("an empty list is no error")
	}
	if AsList(errors.New("plain"))[0].Msg != "plain" {
		t.Error("plain errors become one diagnostic")
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"title", "baseURL", "paginate", "markdown"}
	for in, want := range map[string]string{"titel": "title", "baseurl": "baseURL", "pagniate": "paginate", "zzzzzz": ""} {
		if got := Nearest(in, keys); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	var l List
	for i := 1; i <= 6; i++ {
		l.Warn(Pos{File: fmt.Sprintf("content/%d.md", i/2), Line: i}, "Hugo shortcode %s is not supported", "{{< x >}}")
	}
	for i := 1; i <= 4; i++ { // limit+1 of a kind are all kept
		l.Warn(Pos{File: "content/k.md", Line: i}, "unknown key %q", "weight")
	}
	l.Warn(Pos{File: "a.md"}, "%s", "one")
	l.Warn(Pos{File: "b.md"}, "%s", "two")
	l.Warn(Pos{File: "c.md"}, "%s", "three")
	l.Warn(Pos{File: "d.md"}, "%s", "four")
	l.Warn(Pos{File: "e.md"}, "%s", "five")
	got := l.Fold(3).Error()
	want := `content/0.md:1: warning: Hugo shortcode {{< x >}} is not supported
content/1.md:2: warning: Hugo shortcode {{< x >}} is not supported
content/1.md:3: warning: Hugo shortcode {{< x >}} is not supported
content/k.md:1: warning: unknown key "weight"
content/k.md:2: warning: unknown key "weight"
content/k.md:3: warning: unknown key "weight"
content/k.md:4: warning: unknown key "weight"
a.md: warning: one
b.md: warning: two
c.md: warning: three
d.md: warning: four
e.md: warning: five
warning: 3 more warnings like "Hugo shortcode {{< x >}} is not supported", in 2 files`
	if got != want {
		t.Errorf("folded:\n%s\nwant:\n%s", got, want)
	}
}
