package strictyaml

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/diag"
)

type inner struct {
	Score *int   `yaml:"score"`
	Text  string `yaml:"text"`
}

type doc struct {
	Title string    `yaml:"title"`
	Date  time.Time `yaml:"date"`
	Tags  []string  `yaml:"tags"`
	Draft bool      `yaml:"draft"`
	Items []inner   `yaml:"items"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // diagnostics, in order
	}{
		{"ok", "title: Hi\ndate: 2024-03-01\ntags: [a, b]\n", nil},
		{"unknown key with hint", "titel: Hi\n", []string{`f.md:3:1: unknown key "titel"; did you mean "title"?`}},
		{"nested unknown", "items:\n  - text: x\n    scor: 1\n", []string{`f.md:5:5: unknown key "scor"; did you mean "score"?`}},
		{"bad date", "date: yesterday\n", []string{`f.md:3:7: "yesterday" is not a valid date (write it as 2006-01-02 or 2006-01-02T15:04:05Z)`}},
		{"tags wrong type", "tags: 5\n", []string{`f.md:3:7: ...`}},
		{"bool wrong", "draft: maybe\n", []string{`f.md:3:8: "maybe" is not a valid boolean (true or false)`}},
		{"syntax", "title: [unclosed\n", []string{`f.md:3:8: ...`}},
		{"not a mapping", "- a\n- b\n", []string{`f.md:3:1: expected a mapping of keys to values, found a list`}},
		{"key twice", "title: A\ntags: [a]\ntags: [b]\n", []string{`f.md:5:1: key "tags" is already set on line 4; remove one of them`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v doc
			_, diags := Decode([]byte(tt.src), &v, Options{File: "f.md", LineOffset: 2})
			if len(diags) != len(tt.want) {
				t.Fatalf("got %d diagnostics %v, want %d %q", len(diags), diags, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !sameMessage(diags[i].Error(), w) {
					t.Errorf("diagnostic %d:\n got: %s\nwant: %s", i, diags[i].Error(), w)
				}
			}
		})
	}
}

// TestEmptyValueOnItsLine: goccy puts a value left empty a column or two
// past the end of its line; its position stays on the line. (Found by
// FuzzSelfCheck: "item 1 has no type" at column 7 of a 5-column line.)
func TestEmptyValueOnItsLine(t *testing.T) {
	for _, tt := range []struct{ src, path, want string }{
		{"items:\n  -", "$.items[0]", "f.md:4:6"},
		{"items:\n  -\n", "$.items[0]", "f.md:4:6"},
		{"items:\r\n  -\r\n", "$.items[0]", "f.md:4:6"},
		{"items:\n  - \n  - x\n", "$.items[0]", "f.md:4:6"},
	} {
		var v any
		d, _ := Decode([]byte(tt.src), &v, Options{File: "f.md", LineOffset: 2, ColOffset: 2})
		if got := d.Pos(tt.path).String(); got != tt.want {
			t.Errorf("%q: Pos(%s) = %s, want %s", tt.src, tt.path, got, tt.want)
		}
	}
}

// TestTaggedNonList: a tagged value that is not a list where a list must
// be is an error at the tag; goccy would panic decoding it. (Found by
// FuzzSelfCheck.)
func TestTaggedNonList(t *testing.T) {
	for _, tt := range []struct{ src, pos, tag string }{
		{"tags: !x a\n", "f.md:3:7", "!x"},
		{"tags: !x\n", "f.md:3:7", "!x"},
		{"tags: !x #c\n", "f.md:3:7", "!x"},
		{"tags: !!str a\n", "f.md:3:7", "!!str"},
		{"tags: !!null\n", "f.md:3:7", "!!null"},
		{"tags: !x {a: b}\n", "f.md:3:7", "!x"},
		{"tags: &a !x a\n", "f.md:3:10", "!x"},
		{"title: &a !x a\ntags: *a\n", "f.md:3:11", "!x"},
		{"items:\n  - text: x\n    score: 1\ntags: !!map\n  a: b\n", "f.md:6:7", "!!map"},
	} {
		var v doc
		_, diags := Decode([]byte(tt.src), &v, Options{File: "f.md", LineOffset: 2})
		want := tt.pos + ": expected a list, found a value tagged " + tt.tag + "; remove the tag, or write a list such as [a, b]"
		if len(diags) != 1 || diags[0].Error() != want {
			t.Errorf("%q: got %v, want one error: %s", tt.src, diags, want)
		}
	}
	// A tagged list, and tags elsewhere, are fine.
	for _, src := range []string{"tags: !!seq [a, b]\n", "tags: !x [a]\n", "title: !!str 2024\n", "tags: &a [a]\ntitle: x\n"} {
		var v doc
		if _, diags := Decode([]byte(src), &v, Options{File: "f.md"}); len(diags) != 0 {
			t.Errorf("%q: %v", src, diags)
		}
	}
}

func TestPositionsAndHas(t *testing.T) {
	var v doc
	d, diags := Decode([]byte("items:\n  - text: a\n    score: 0\n  - text: b\n"), &v, Options{File: "f.md", LineOffset: 10, UnknownKeys: diag.Warning})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	if !d.Has("$.items[0].score") || d.Has("$.items[1].score") {
		t.Errorf("Has: score written on item 0 only")
	}
	if got := d.Pos("$.items[1].score").String(); got != "f.md:14:5" {
		t.Errorf("Pos of missing key = %s, want the item's position f.md:14:5", got)
	}
}

// TestValuePosAndScalar: a value's own position, and a scalar's text as
// written, for what is decoded into a map rather than a struct.
func TestValuePosAndScalar(t *testing.T) {
	var v any
	d, diags := Decode([]byte("title: 3.10\ntags:   {a: 1}\nlist:\n  - x\nmissing:\n"), &v, Options{File: "f.md", LineOffset: 1})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	for path, want := range map[string]string{
		"$.title": "f.md:2:8", "$.tags": "f.md:3:9", "$.list": "f.md:5:3", "$.list[0]": "f.md:5:5", "$.nope": "f.md:2:1",
	} {
		if got := d.ValuePos(path).String(); got != want {
			t.Errorf("ValuePos(%s) = %s, want %s", path, got, want)
		}
	}
	if s, ok := d.Scalar("$.title"); !ok || s != "3.10" {
		t.Errorf("Scalar($.title) = %q, %v; want 3.10 as written", s, ok)
	}
	if _, ok := d.Scalar("$.tags"); ok {
		t.Error("a mapping is not a scalar")
	}
}

// sameMessage reports whether got is the whole message want, or begins
// with want's beginning when want ends in "..." (for a message whose rest
// another library words, such as the YAML parser's).
func sameMessage(got, want string) bool {
	if begin, ok := strings.CutSuffix(want, "..."); ok {
		return strings.HasPrefix(got, begin)
	}
	return got == want
}

// laughs returns YAML whose line i (from 1) is a list of ten aliases of
// line i-1's: n lines of it stand for 10^n values.
func laughs(n int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < n; i++ {
		a := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.Join(slices.Repeat([]string{a}, 10), ", "))
	}
	return b.String()
}

// TestAliasesMultiplied: aliases of lists of aliases that stand for more
// than maxAliasValues values are an error at the alias that passes it,
// before anything spells them out (ten such lines in a front matter took
// all the memory there was); reusing values, however often, is fine.
func TestAliasesMultiplied(t *testing.T) {
	msg := "the aliases up to *a3 stand for over 100000 values, as aliases of lists of aliases multiply; write the values out, or refer to fewer"
	for _, n := range []int{5, 10, 30} {
		for _, v := range []any{new(any), new(map[string]any), new(struct {
			Params map[string]any `yaml:",inline"`
		})} {
			_, diags := Decode([]byte(laughs(n)), v, Options{File: "f.md", LineOffset: 2})
			// Line 5 of the YAML, a4's, at its seventh alias: the aliases
			// of lines 1-4 stand for 14,730 values, each of a4's for
			// a3's 13,331 (values counted with their lists and aliases).
			if want := "f.md:7:40: " + msg; len(diags) != 1 || diags[0].Error() != want {
				t.Errorf("%d lines into %T: %v, want one error: %s", n, v, diags, want)
			}
		}
	}
	for name, src := range map[string]string{
		"four lines, 14,640 values":                 laughs(4),
		"an anchor of 8 values reused 20,000 times": "base: &b {x: 1, y: [a, b]}\nuses:\n" + strings.Repeat("  - *b\n", 20000),
		"an alias inside its own anchor":            "a: &a [x, *a]\n",
		"an alias of no anchor":                     "a: [*nope]\n",
		"200,000 values, no alias":                  "list: [" + strings.Repeat("x, ", 200000) + "y]\n",
		"merge keys":                                "base: &b {x: 1}\none: {<<: *b, y: 2}\ntwo:\n  <<: *b\n",
	} {
		var v any
		_, diags := Decode([]byte(src), &v, Options{File: "f.md"})
		for _, d := range diags {
			if strings.Contains(d.Msg, "stand for over") {
				t.Errorf("%s: %v", name, d)
			}
		}
	}
}

// TestTooDeep: lists and mappings nested over maxDepth deep are an error
// where they pass it, before walk records a path as long as the depth for
// every node (20,000 levels of [ in 40 KB allocated over 600 MB for it);
// maxDepth levels are fine.
func TestTooDeep(t *testing.T) {
	msg := "lists and mappings nest over 1000 deep here; no settings need that many levels: close the brackets ([ or {) left open, or nest less"
	for _, tt := range []struct{ src, want string }{
		{"x: " + strings.Repeat("[", 1001) + strings.Repeat("]", 1001) + "\n", "f.md:3:1004: " + msg},
		{"a: 1\nx: " + strings.Repeat("{a: ", 1001) + "1" + strings.Repeat("}", 1001) + "\n", "f.md:4:..."},
		{"x: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", "f.md:3:1004: " + msg},
		{"x: " + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + "\n", ""},
		{"x:\n" + strings.Repeat("- ", 1000) + "a\n", ""},
	} {
		var v any
		_, diags := Decode([]byte(tt.src), &v, Options{File: "f.md", LineOffset: 2})
		var deep []string
		for _, d := range diags {
			if strings.Contains(d.Msg, "nest over") {
				deep = append(deep, d.Error())
			}
		}
		if tt.want == "" && len(deep) != 0 || tt.want != "" && (len(deep) != 1 || !sameMessage(deep[0], tt.want)) {
			t.Errorf("%.40q: %q, want %q", tt.src, deep, tt.want)
		}
	}
}
