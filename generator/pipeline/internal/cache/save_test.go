package cache

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/markdown"
)

// TestSaveWritesWhatChanged: a save writes nothing when the build changed
// nothing, and a journal record of only the parts it changed otherwise;
// the parts it did not change read back as they were (the related essays
// included, which a record carries only when they were chosen again).
func TestSaveWritesWhatChanged(t *testing.T) {
	dir := t.TempDir()
	const engine = "test"
	journal := filepath.Join(dir, "journal")
	size := func() int64 {
		fi, err := os.Stat(journal)
		if os.IsNotExist(err) {
			return 0
		}
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// build opens the cache, uses the result "a" (storing it the first
	// time), gives outputs and related essays when set, and saves.
	build := func(outs map[string]OutRecord, rel *Related) {
		t.Helper()
		c := Open(dir, engine)
		if !c.Valid() {
			t.Fatal("cache not valid")
		}
		if c.Result("a") == nil {
			c.AddResult("a", &markdown.Result{HTML: []byte("<p>a</p>"), Words: 1})
		}
		if outs != nil {
			c.SetOutputs("/out", outs)
		}
		if rel != nil {
			c.SetRelated(*rel)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
	check := func(name string, outs map[string]OutRecord, rel Related) {
		t.Helper()
		c := Open(dir, engine)
		defer c.Close()
		if r := c.Result("a"); r == nil || r.Words != 1 {
			t.Errorf("%s: result a is %+v", name, r)
		}
		if h, err := c.HTML("a"); err != nil || string(h) != "<p>a</p>" {
			t.Errorf("%s: HTML of a is %q, %v", name, h, err)
		}
		if got := c.Outputs("/out"); len(got) != len(outs) || got["x"] != outs["x"] {
			t.Errorf("%s: outputs %v, want %v", name, got, outs)
		}
		if got := c.Related(); got.Key != rel.Key || !slices.EqualFunc(got.Lists, rel.Lists, slices.Equal) {
			t.Errorf("%s: related %v, want %v", name, got, rel)
		}
	}
	rel := Related{Key: [32]byte{1}, Lists: [][]int{{1}, {0}}}
	outs := map[string]OutRecord{"x": {Size: 1, MTime: 1}}
	build(outs, &rel) // the first save writes index.bin whole
	check("first", outs, rel)

	before := size()
	build(map[string]OutRecord{"x": {Size: 1, MTime: 1}}, nil)
	if size() != before {
		t.Errorf("a build that changed nothing wrote %d bytes to the journal", size()-before)
	}
	check("unchanged", outs, rel)

	outs2 := map[string]OutRecord{"x": {Size: 2, MTime: 2}}
	build(outs2, nil)
	if size() == before {
		t.Fatal("a build whose outputs changed wrote no journal record")
	}
	check("outputs changed", outs2, rel)

	rel2 := Related{Key: [32]byte{2}, Lists: [][]int{{}, {0}}}
	build(outs2, &rel2)
	check("related changed", outs2, rel2)
}

// TestSpill: what a build adds (conversions, analyses, front matter) goes
// to the spill file at once and comes back from the index or a journal
// record written from it, next to what the build found and used, also
// when the save compacts the pack (which moves every conversion's HTML);
// the spill is gone once the cache is released, and one a killed build
// left is removed when the cache is opened.
func TestSpill(t *testing.T) {
	dir := t.TempDir()
	const engine = "test"
	spillPath := filepath.Join(dir, spillName)
	key := func(s string) [32]byte { return [32]byte([]byte(s + "                                ")[:32]) }
	html := func(name string, n int) []byte {
		return []byte("<p>" + strings.Repeat(name, n) + "</p>")
	}
	// build uses the names in use (which a former build added) and adds
	// those in add, each with HTML of n bytes or so, then saves.
	build := func(use, add []string, n int) {
		t.Helper()
		c := Open(dir, engine)
		if !c.Valid() {
			t.Fatal("cache not valid")
		}
		for _, name := range use {
			if c.Result(name) == nil {
				t.Fatalf("result %s not found", name)
			}
			if _, ok := c.Analysis(key(name)); !ok {
				t.Fatalf("analysis %s not found", name)
			}
			if _, ok := c.Front(key(name)); !ok {
				t.Fatalf("front matter %s not found", name)
			}
		}
		for _, name := range add {
			c.AddResult(name, &markdown.Result{HTML: html(name, n), Summary: []byte("<p>" + name + "</p>"), SummaryText: name, Headings: []markdown.Heading{{Level: 2, ID: name, Text: name}}, Words: len(name)})
			c.StoreAnalysis(key(name), []byte("analysis of "+name))
			c.StoreFront(key(name), content.FrontMatter{Title: name, Tags: []string{name}})
		}
		if len(add) > 0 {
			if _, err := os.Stat(spillPath); err != nil {
				t.Errorf("no spill after adding %v: %v", add, err)
			}
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(spillPath); !os.IsNotExist(err) {
			t.Errorf("the spill is still there after the save: %v", err)
		}
	}
	// check opens the cache and finds exactly the names in want, each
	// whole, with the HTML of n bytes or so.
	check := func(step string, want []string, n map[string]int) {
		t.Helper()
		c := Open(dir, engine)
		defer c.Close()
		if got := slices.Sorted(maps.Keys(c.idx.Results)); !slices.Equal(got, want) {
			t.Errorf("%s: results %v, want %v", step, got, want)
		}
		if len(c.idx.Analyses) != len(want) || len(c.idx.Fronts) != len(want) {
			t.Errorf("%s: %d analyses and %d front matters, want %d", step, len(c.idx.Analyses), len(c.idx.Fronts), len(want))
		}
		for _, name := range want {
			r := c.Result(name)
			if r == nil || string(r.Summary) != "<p>"+name+"</p>" || r.SummaryText != name || r.Words != len(name) || len(r.Headings) != 1 || r.Headings[0].ID != name {
				t.Errorf("%s: result %s is %+v", step, name, r)
			}
			if h, err := c.HTML(name); err != nil || !bytes.Equal(h, html(name, n[name])) {
				t.Errorf("%s: HTML of %s is %d bytes, %v", step, name, len(h), err)
			}
			if b, ok := c.Analysis(key(name)); !ok || string(b) != "analysis of "+name {
				t.Errorf("%s: analysis of %s is %q, %v", step, name, b, ok)
			}
			if f, ok := c.Front(key(name)); !ok || f.Title != name || !slices.Equal(f.Tags, []string{name}) {
				t.Errorf("%s: front matter of %s is %+v, %v", step, name, f, ok)
			}
		}
	}
	size := map[string]int{"a": 10, "b": 10, "c": 3 << 20, "d": 10}

	if err := os.WriteFile(spillPath, []byte("left by a killed build"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := Open(dir, engine)
	if _, err := os.Stat(spillPath); !os.IsNotExist(err) {
		t.Errorf("the spill a killed build left is still there once the cache is opened: %v", err)
	}
	c.Close()

	build(nil, []string{"a"}, 10) // the first save writes index.bin whole
	check("index", []string{"a"}, size)

	build([]string{"a"}, []string{"b"}, 10) // a journal record
	if _, err := os.Stat(filepath.Join(dir, "journal")); err != nil {
		t.Fatalf("no journal record: %v", err)
	}
	check("journal", []string{"a", "b"}, size)

	build([]string{"b"}, []string{"c"}, 3<<20)
	check("journal after one was dropped", []string{"b", "c"}, size)

	// c's megabyte is no longer used: the pack is compacted, and d's
	// HTML, written at its end, moves.
	build([]string{"b"}, []string{"d"}, 10)
	if fi, err := os.Stat(filepath.Join(dir, "html.pack")); err != nil || fi.Size() > 1<<10 {
		t.Fatalf("the pack was not compacted: %v, %v", fi.Size(), err)
	}
	check("compacted", []string{"b", "d"}, size)
}
